"""The HTTP server's side of the request limits (uvicorn with httptools).

httptools buffers a header until its end arrives, so without a bound one endless
header line (or an endless stream of headers) grows the process without limit, before
the application ever sees the request. This protocol counts the bytes of each
request's head as they arrive and answers 431 once they pass the limit; the
application's middleware then checks the exact size of every head that completed
(gql/app.py), so both bounds name the same setting.
"""

from __future__ import annotations

import asyncio
import json
from functools import cache
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from gql.settings import Settings

LINGER_SECONDS = 1.0


@cache
def max_header_bytes() -> int:
    return Settings().max_header_bytes


def head_too_large_response(limit: int) -> bytes:
    body = json.dumps(
        {
            "success": False,
            "message": f"Request headers exceed {limit} bytes",
            "code": "HEADERS_TOO_LARGE",
        },
        separators=(",", ":"),
    ).encode()
    return (
        b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
        b"content-type: application/json\r\n"
        b"content-length: " + str(len(body)).encode() + b"\r\n"
        b"connection: close\r\n\r\n" + body
    )


class HeadLimitedHttpToolsProtocol(HttpToolsProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._limit = max_header_bytes()
        self._in_head = True  # between requests and until the head is complete
        self._head_bytes = 0
        self._refused = False

    def on_headers_complete(self) -> None:
        self._in_head = False
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._in_head, self._head_bytes = True, 0

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return  # draining what the client still sends, unread (see _refuse)
        if self._in_head:
            # (a chunk may also carry the start of the body: compare after parsing it,
            # when a head that ended in this chunk is no longer "in head")
            self._head_bytes += len(data)
        super().data_received(data)
        if self._in_head and self._head_bytes > self._limit and not self.transport.is_closing():
            self._refuse()

    def _refuse(self) -> None:
        """Answer 431 and close gracefully: closing a socket with unread bytes makes
        the kernel reset it, and the client would lose the answer. So: send it, end our
        side, drop whatever still arrives, and close after a moment."""
        self._refused = True
        self.transport.write(head_too_large_response(self._limit))
        if self.transport.can_write_eof():
            self.transport.write_eof()
        asyncio.get_running_loop().call_later(LINGER_SECONDS, self.transport.close)
