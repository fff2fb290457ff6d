"""The benchmark's round-trip counter (scripts/benchmark/pgwire.py behind the proxy of
roundtrips.py) against a real PostgreSQL: a hand-written protocol client, so each
figure is known exactly, and the app's own driver through the same proxy."""

from __future__ import annotations

import asyncio
import struct

import pytest
from sqlalchemy import make_url, text

from gql.db.engine import create_engine
from scripts.benchmark.pgwire import SSL_REQUEST
from scripts.benchmark.roundtrips import RoundTripProxy
from tests.conftest import DATABASE_URL, IS_POSTGRES

pytestmark = pytest.mark.skipif(not IS_POSTGRES, reason="PostgreSQL wire protocol")


def _message(kind: bytes, body: bytes = b"") -> bytes:
    return kind + struct.pack("!i", 4 + len(body)) + body


def _extended(sql: str) -> bytes:
    """Parse + Bind + Execute of an unnamed statement, no parameters, then Sync."""
    parse = _message(b"P", b"\0" + sql.encode() + b"\0" + struct.pack("!h", 0))
    bind = _message(b"B", b"\0\0" + struct.pack("!hhh", 0, 0, 0))
    execute = _message(b"E", b"\0" + struct.pack("!i", 0))
    return parse + bind + execute + _message(b"S")


class RawClient:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def connect(cls, port: int) -> RawClient:
        url = make_url(DATABASE_URL)
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(struct.pack("!ii", 8, SSL_REQUEST))  # the server says 'N': no TLS
        assert await reader.readexactly(1) == b"N"
        params = f"user\0{url.username}\0database\0{url.database}\0\0".encode()
        writer.write(struct.pack("!ii", 8 + len(params), 196608) + params)
        client = cls(reader, writer)
        await client.ready(1)  # trust authentication: AuthenticationOk ... ReadyForQuery
        return client

    async def ready(self, count: int) -> None:
        """Read until `count` ReadyForQuery messages have arrived."""
        while count:
            kind = await self.reader.readexactly(1)
            (length,) = struct.unpack("!i", await self.reader.readexactly(4))
            body = await self.reader.readexactly(length - 4)
            assert kind != b"E", body
            count -= kind == b"Z"

    async def send(self, data: bytes, answers: int) -> None:
        self.writer.write(data)
        await self.ready(answers)

    async def close(self) -> None:
        self.writer.write(_message(b"X"))
        self.writer.close()


async def test_simple_extended_and_pipelined_round_trips() -> None:
    async with RoundTripProxy.to(DATABASE_URL) as proxy:
        client = await RawClient.connect(proxy.listen_port)
        await proxy.settled()
        start = proxy.snapshot()
        assert (start.connects, start.syncs, start.round_trips) == (1, 0, 0)

        await client.send(_message(b"Q", b"SELECT 1; SELECT 2\0"), 1)  # one Query, 2 statements
        await proxy.settled()
        step = proxy.snapshot() - start
        assert (step.syncs, step.round_trips, step.executes) == (1, 1, 1)
        assert step.flights == [["query SELECT 1; SELECT 2"]]

        before = proxy.snapshot()
        await client.send(_extended("SELECT 3"), 1)
        await client.send(_extended("SELECT 4"), 1)  # waited for: a second round trip
        await proxy.settled()
        step = proxy.snapshot() - before
        assert (step.syncs, step.round_trips, step.executes) == (2, 2, 2)

        before = proxy.snapshot()
        await client.send(_extended("SELECT 5") + _extended("SELECT 6"), 2)  # pipelined
        await proxy.settled()
        step = proxy.snapshot() - before
        assert (step.syncs, step.round_trips, step.executes) == (2, 1, 2)
        assert step.flights == [
            ["parse SELECT 5", "bind SELECT 5", "parse SELECT 6", "bind SELECT 6"]
        ]
        await client.close()


async def test_the_apps_driver_through_the_proxy() -> None:
    async with RoundTripProxy.to(DATABASE_URL) as proxy:
        engine = create_engine(proxy.url_for(DATABASE_URL), pool_size=1)
        try:
            async with engine.connect() as conn:  # connect, then warm the driver's caches
                await conn.execute(text("SELECT 1"))
                await conn.rollback()
            await proxy.settled()
            before = proxy.snapshot()
            async with engine.connect() as conn:
                assert await conn.scalar(text("SELECT 41 + 1")) == 42
            await proxy.settled()
            step = proxy.snapshot() - before
        finally:
            await engine.dispose()
    assert step.connects == 0 and step.encrypted == 0  # the pooled connection, in the clear
    assert step.executes >= 1 and 1 <= step.round_trips <= step.syncs
    assert any("SELECT 41 + 1" in part for flight in step.flights for part in flight)
