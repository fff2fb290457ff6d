"""Round trips to PostgreSQL, read off the wire: a parser of the protocol's framing for
one connection, fed the bytes each way (by roundtrips.py's proxy), whatever driver sent
them.

The client's first packets have no type byte (int32 length, int32 code): SSLRequest and
GSSENCRequest are answered by one byte ('N': go on in the clear), then comes the
StartupMessage. After it every message, both ways, is a type byte + int32 length (which
counts itself, not the type byte). A Sync ('S') or a simple Query ('Q') makes the server
answer ReadyForQuery ('Z') when done: the client waits for one per Sync or Query it
sends, so each is a round trip, unless it was sent while an earlier one was still
unanswered (pipelining). Both figures are kept: `syncs` (every S and Q) and
`round_trips` (those sent with nothing outstanding, the visits the client waited for).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

SSL_REQUEST = 80877103
GSSENC_REQUEST = 80877104
CANCEL_REQUEST = 80877102
SHOWN = 100  # characters of a statement kept for the reader


@dataclass
class WireCounts:
    """What crossed the wire, added up over connections and requests."""

    round_trips: int = 0  # Syncs and Queries sent with none outstanding
    syncs: int = 0  # every Sync and simple Query
    executes: int = 0  # extended-protocol Executes and simple Queries: statements run
    connects: int = 0  # startup packets: new connections (each costs several round trips)
    encrypted: int = 0  # connections that switched to TLS: their messages cannot be counted
    flights: list[list[str]] = field(default_factory=list)  # per round trip: what it carried

    def __sub__(self, other: WireCounts) -> WireCounts:
        return WireCounts(
            self.round_trips - other.round_trips,
            self.syncs - other.syncs,
            self.executes - other.executes,
            self.connects - other.connects,
            self.encrypted - other.encrypted,
            self.flights[len(other.flights) :],
        )

    def copy(self) -> WireCounts:
        return WireCounts(
            self.round_trips,
            self.syncs,
            self.executes,
            self.connects,
            self.encrypted,
            list(self.flights),
        )


def _cstring(body: bytes, start: int) -> tuple[str, int]:
    end = body.index(b"\0", start)
    return body[start:end].decode(errors="replace"), end + 1


def _short(sql: str) -> str:
    flat = " ".join(sql.split())
    return flat if len(flat) <= SHOWN else flat[: SHOWN - 1] + "…"


class Connection:
    """One client connection's two byte streams. `counts` is shared by all connections
    of a proxy, so a request's figures are a difference of two snapshots."""

    def __init__(self, counts: WireCounts) -> None:
        self.counts = counts
        self._client = bytearray()
        self._server = bytearray()
        self._started = False  # the StartupMessage has been seen: typed messages follow
        self._single_bytes = 0  # answers to SSL/GSS requests the server still owes
        self._opaque = False  # TLS: nothing more can be parsed
        self.outstanding = 0  # Syncs and Queries not yet answered by ReadyForQuery
        self._batch: list[str] = []  # what the client sent since its last Sync or Query
        self._flight: list[str] = []  # what this connection's open round trip carries
        self._statements: dict[str, str] = {}  # prepared statement name -> its text

    def from_client(self, data: bytes) -> None:
        if self._opaque:
            return
        self._client += data
        while True:
            if not self._started:
                if len(self._client) < 8:
                    return
                length, code = struct.unpack_from("!ii", self._client)
                if len(self._client) < length:
                    return
                del self._client[:length]
                if code in (SSL_REQUEST, GSSENC_REQUEST):
                    self._single_bytes += 1
                elif code != CANCEL_REQUEST:
                    self._started = True
                    self.counts.connects += 1
                continue
            if len(self._client) < 5:
                return
            kind = chr(self._client[0])
            (length,) = struct.unpack_from("!i", self._client, 1)
            if len(self._client) < 1 + length:
                return
            body = bytes(self._client[5 : 1 + length])
            del self._client[: 1 + length]
            self._client_message(kind, body)

    def _client_message(self, kind: str, body: bytes) -> None:
        if kind == "P":
            name, at = _cstring(body, 0)
            sql, _ = _cstring(body, at)
            self._statements[name] = sql
            self._batch.append(f"parse {_short(sql)}")
        elif kind == "B":
            _, at = _cstring(body, 0)
            name, _ = _cstring(body, at)
            self._batch.append(f"bind {_short(self._statements.get(name, f'<{name}>'))}")
        elif kind == "E":
            self.counts.executes += 1
        elif kind in "SQ":
            if kind == "Q":
                self.counts.executes += 1
                self._batch.append(f"query {_short(_cstring(body, 0)[0])}")
            self.counts.syncs += 1
            if self.outstanding == 0:
                self.counts.round_trips += 1
                self._flight = self._batch
                self.counts.flights.append(self._flight)
            else:
                self._flight.extend(self._batch)  # pipelined into the open round trip
            self._batch = []
            self.outstanding += 1

    def from_server(self, data: bytes) -> None:
        if self._opaque:
            return
        self._server += data
        while self._single_bytes and self._server:
            answer = self._server[0]
            del self._server[:1]
            self._single_bytes -= 1
            if answer in b"SG":  # TLS or GSS encryption accepted: opaque from here on
                self._opaque = True
                self.counts.encrypted += 1
                return
        while len(self._server) >= 5:
            (length,) = struct.unpack_from("!i", self._server, 1)
            if len(self._server) < 1 + length:
                return
            if self._server[0] == ord("Z") and self.outstanding:
                self.outstanding -= 1
            del self._server[: 1 + length]
