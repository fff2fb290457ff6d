"""The server under test: uvicorn in its own process group, started with an app
factory (the app's, or the bare app's) and the database in its environment, stopped
(and reaped) at the end."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

import httpx

from scripts.benchmark.config import JWT_SECRET, THROTTLE_BUCKET_SIZE, THROTTLE_RESTORE_RATE

APP_FACTORY = "gql.app:app_factory"
BARE_FACTORY = "scripts.benchmark.bare_app:app_factory"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _signal_group(group: int, sig: signal.Signals) -> None:
    try:
        os.killpg(group, sig)
    except ProcessLookupError:
        pass


class Server:
    def __init__(
        self,
        *,
        database_url: str,
        workers: int,
        log_path: Path,
        env: dict[str, str],
        factory: str = APP_FACTORY,
        cwd: Path | None = None,
    ) -> None:
        self.database_url = database_url
        self.factory = factory
        self.cwd = cwd  # the checkout served (uvicorn imports the app from it)
        self.extra_env = env
        self.workers = workers
        self.log_path = log_path
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    @property
    def command(self) -> list[str]:
        uvicorn = str(Path(sys.prefix) / "bin" / "uvicorn")
        return [
            uvicorn,
            "--factory",
            self.factory,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
            "--no-access-log",
            "--log-level",
            "warning",
            "--ws-per-message-deflate",  # as `ledgergraph serve` runs it (gql/cli.py)
            "false",
        ]

    def start(self) -> None:
        env = {
            **os.environ,
            "LEDGERGRAPH_DATABASE_URL": self.database_url,
            "LEDGERGRAPH_JWT_SECRET": JWT_SECRET,
            "LEDGERGRAPH_LOG_LEVEL": "warning",
            "LEDGERGRAPH_THROTTLE_BUCKET_SIZE": str(THROTTLE_BUCKET_SIZE),
            "LEDGERGRAPH_THROTTLE_RESTORE_RATE": str(THROTTLE_RESTORE_RATE),
            **self.extra_env,
        }
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                self.command,
                env=env,
                cwd=self.cwd,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    async def wait_ready(self, within: float = 60.0) -> None:
        deadline = time.monotonic() + within
        async with httpx.AsyncClient(base_url=self.base_url, timeout=2.0) as client:
            while time.monotonic() < deadline:
                if self.process is not None and self.process.poll() is not None:
                    raise RuntimeError(
                        f"uvicorn exited with {self.process.returncode}:\n{self.log_tail()}"
                    )
                try:
                    if (await client.get("/healthz")).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.2)
        raise RuntimeError(f"uvicorn not healthy after {within:.0f}s:\n{self.log_tail()}")

    def stop(self) -> None:
        """SIGTERM to the process group we created, SIGKILL if it lingers."""
        if self.process is None:
            return
        group = self.process.pid  # start_new_session: the group id is the master's pid
        if self.process.poll() is None:
            _signal_group(group, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                _signal_group(group, signal.SIGKILL)
                self.process.wait()
        _signal_group(group, signal.SIGKILL)  # a worker that outlived its master

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"

    def log_lines(self) -> list[str]:
        try:
            return self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return []

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
