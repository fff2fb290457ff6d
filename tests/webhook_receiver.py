"""A real webhook receiver for the tests: a tiny starlette app served by uvicorn on a
random loopback port, that checks each delivery's signature as the README tells
integrators to, and answers what the test asks of it."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import socket
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

TOLERANCE_SECONDS = 300  # the replay window: older signatures are refused


def verify(secret: str, header: str, body: bytes, now: float | None = None) -> bool:
    """Whether `header` (X-Ledgergraph-Signature) signs `body` with `secret`, recently."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        at = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((now or time.time()) - at) > TOLERANCE_SECONDS:
        return False
    expected = hmac.new(secret.encode(), f"{at}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts.get("v1", ""))


@dataclass
class Received:
    body: dict[str, Any]
    raw: bytes
    headers: dict[str, str]


@dataclass
class Receiver:
    url: str = ""
    received: list[Received] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)  # statuses to answer first, in order
    hold: asyncio.Event | None = None  # set: answer only once it is set
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    def event_ids(self) -> list[int]:
        return [r.body["id"] for r in self.received]

    async def handle(self, request: Request) -> Response:
        raw = await request.body()
        self.received.append(Received(json.loads(raw), raw, dict(request.headers)))
        self.arrived.set()
        if self.hold is not None:
            await self.hold.wait()
        return Response(status_code=self.answers.pop(0) if self.answers else 200)


@asynccontextmanager
async def receiver() -> AsyncIterator[Receiver]:
    """A Receiver listening on 127.0.0.1 (a port of its own) for the context's duration."""
    found = Receiver()
    app = Starlette(routes=[Route("/hook", found.handle, methods=["POST"])])
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)  # connections wait in the backlog until uvicorn accepts them
    found.url = f"http://127.0.0.1:{sock.getsockname()[1]}/hook"
    server = uvicorn.Server(uvicorn.Config(app, lifespan="off", log_level="warning"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        yield found
    finally:
        if found.hold is not None:
            found.hold.set()
        server.should_exit = True
        await task
        sock.close()
