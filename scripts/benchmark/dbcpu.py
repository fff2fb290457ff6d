"""PostgreSQL's CPU for one server under load: the user + system time of the backends
serving that server's connections, read from /proc (the cluster is local), before and
after the measured run.

A server's backends are found by port: pg_stat_activity gives each client backend's
pid and client_port, and the uvicorn process tree's TCP connections to the database's
port give the local ports it holds, so servers running side by side (each row's own)
and the bench's monitoring connection are kept apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import psutil
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine

BACKENDS = text(
    "SELECT pid, client_port FROM pg_stat_activity "
    "WHERE backend_type = 'client backend' AND datname = current_database() "
    "AND pid <> pg_backend_pid() AND client_port IS NOT NULL"
)


def _server_ports(pid: int, database_port: int) -> set[int]:
    """Local ports of the TCP connections `pid` and its children hold to the database."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return set()
    ports = set()
    for process in processes:
        try:
            connections = process.net_connections(kind="tcp")
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        ports |= {c.laddr.port for c in connections if c.raddr and c.raddr.port == database_port}
    return ports


class NotLocal(Exception):
    """The backend pid is not a local postgres process: the database is elsewhere."""


def _cpu_seconds(pid: int) -> float | None:
    """utime + stime of a local backend (/proc/<pid>/stat); None when it has just ended
    (its CPU went with it)."""
    try:
        process = psutil.Process(pid)
        if not process.name().startswith("postgres"):
            raise NotLocal(pid)
        times = process.cpu_times()
    except psutil.NoSuchProcess:
        return None
    except psutil.AccessDenied as exc:
        raise NotLocal(pid) from exc
    return times.user + times.system


@dataclass
class BackendCpu:
    """`start()` before the run and `stop()` after; `seconds` is then the CPU the
    server's backends used in between (None when they could not be read: a remote
    database). A backend that ends during the run (a connection the pool discarded)
    takes its CPU with it; `ended` counts them."""

    engine: AsyncEngine  # a monitoring connection (any role that sees pg_stat_activity pids)
    server_pid: int
    database_port: int
    _before: dict[int, float] = field(default_factory=dict)
    seconds: float | None = None
    ended: int = 0

    @classmethod
    def for_url(cls, engine: AsyncEngine, server_pid: int, database_url: str) -> BackendCpu:
        return cls(engine, server_pid, make_url(database_url).port or 5432)

    async def _read(self) -> dict[int, float]:
        async with self.engine.connect() as conn:
            rows = (await conn.execute(BACKENDS)).all()
        ports = _server_ports(self.server_pid, self.database_port)
        found = {pid: _cpu_seconds(pid) for pid, port in rows if port in ports}
        return {pid: cpu for pid, cpu in found.items() if cpu is not None}

    async def start(self) -> None:
        try:
            self._before = await self._read()
        except NotLocal:
            self._before = {}

    async def stop(self) -> None:
        try:
            after = await self._read()
        except NotLocal:
            return
        if not after:
            return  # no backend found: unknown rather than zero
        self.ended = len(set(self._before) - set(after))
        self.seconds = sum(cpu - self._before.get(pid, 0.0) for pid, cpu in after.items())
