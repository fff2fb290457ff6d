"""A tiny TCP proxy between an app and PostgreSQL that counts round trips per request
(pgwire.py reads the framing), for the counting pass only: the throughput pass
connects directly, so the proxy never slows a measured run.

    async with RoundTripProxy.to(url) as proxy:
        app_url = proxy.url_for(url)          # same driver, user and database; host:port -> proxy
        before = proxy.snapshot()
        ...one request...
        await proxy.settled()
        counts = proxy.snapshot() - before
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from types import TracebackType

from sqlalchemy import make_url

from scripts.benchmark.pgwire import Connection, WireCounts

CHUNK = 65536


class RoundTripProxy:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.counts = WireCounts()
        self.connections: list[Connection] = []
        self._last_traffic = time.monotonic()
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @classmethod
    def to(cls, database_url: str) -> RoundTripProxy:
        url = make_url(database_url)
        return cls(url.host or "127.0.0.1", url.port or 5432)

    @property
    def listen_port(self) -> int:
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1])

    def url_for(self, database_url: str) -> str:
        """`database_url` (any driver) pointed at the proxy."""
        url = make_url(database_url).set(host="127.0.0.1", port=self.listen_port)
        return url.render_as_string(hide_password=False)

    def snapshot(self) -> WireCounts:
        return self.counts.copy()

    async def settled(self, quiet: float = 0.05, within: float = 5.0) -> None:
        """Wait until every Sync and Query has its ReadyForQuery and nothing has crossed
        for `quiet` seconds (a connection returned to the pool may still be rolled back
        just after the response)."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            idle = time.monotonic() - self._last_traffic
            if idle >= quiet and not any(c.outstanding for c in self.connections):
                return
            await asyncio.sleep(quiet / 5)
        raise RuntimeError("round-trip proxy: the traffic did not settle")

    async def _pipe(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        feed: Callable[[bytes], None],
    ) -> None:
        try:
            while data := await reader.read(CHUNK):
                self._last_traffic = time.monotonic()
                feed(data)  # before forwarding: the other side cannot answer it first
                writer.write(data)
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def _serve(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        try:
            server_r, server_w = await asyncio.open_connection(self.host, self.port)
        except OSError:
            client_w.close()
            return
        conn = Connection(self.counts)
        self.connections.append(conn)
        try:
            await asyncio.gather(
                self._pipe(client_r, server_w, conn.from_client),
                self._pipe(server_r, client_w, conn.from_server),
            )
        finally:
            self.connections.remove(conn)

    def _track(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        task = asyncio.ensure_future(self._serve(client_r, client_w))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def __aenter__(self) -> RoundTripProxy:
        self._server = await asyncio.start_server(self._track, "127.0.0.1", 0)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()
