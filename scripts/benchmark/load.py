"""The Python load generator, the fallback when wrk cannot be had (it runs in the bench's
own process and competes with the server for the CPU: the client CPU% column shows
how much). N workers on one httpx.AsyncClient (a keep-alive pool of N connections),
each sending a target's sequence of requests back to back for a fixed duration. Every
response is checked; failures are counted."""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass, field

import httpx

from scripts.benchmark.targets import Probe, captured_id

MAX_SAMPLES = 5  # distinct failure messages kept per target


@dataclass
class LoadResult:
    ok: int = 0
    errors: int = 0
    elapsed_s: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)  # every request, failed or not
    error_samples: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return self.ok + self.errors

    @property
    def rps(self) -> float:
        """Successful requests per second."""
        return self.ok / self.elapsed_s if self.elapsed_s else 0.0

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile of the latencies, in milliseconds."""
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        rank = min(len(ordered), max(1, math.ceil(p / 100 * len(ordered))))
        return ordered[rank - 1]

    def record_failure(self, message: str) -> None:
        self.errors += 1
        if len(self.error_samples) < MAX_SAMPLES and message not in self.error_samples:
            self.error_samples.append(message)


def client_for(base_url: str, headers: dict[str, str], concurrency: int) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    return httpx.AsyncClient(base_url=base_url, headers=headers, limits=limits, timeout=30.0)


async def _one(client: httpx.AsyncClient, probe: Probe, result: LoadResult) -> bytes | None:
    """Send `probe`; its body when the answer is good."""
    started = time.perf_counter()
    body: bytes | None = None
    try:
        response = await client.request(
            probe.method, probe.path, json=probe.json, params=probe.params
        )
        failure = probe.failure(response.status_code, response.content)
        body = response.content
    except httpx.HTTPError as exc:
        failure = f"{type(exc).__name__}: {exc}"
    result.latencies_ms.append((time.perf_counter() - started) * 1000)
    if failure is None and probe.captures_id and captured_id(body or b"") is None:
        failure = "no id in the answer"
    if failure is None:
        result.ok += 1
        return body
    result.record_failure(failure)
    return None


async def run(
    client: httpx.AsyncClient, probes: list[Probe], *, concurrency: int, duration: float
) -> list[LoadResult]:
    """Each worker sends `probes` in turn (a later one with the id the one before it
    answered) until `duration` seconds have passed; one result per probe."""
    results = [LoadResult() for _ in probes]
    started = time.perf_counter()
    deadline = started + duration

    async def worker() -> None:
        while time.perf_counter() < deadline:
            captured: str | None = None
            for probe, result in zip(probes, results, strict=True):
                body = await _one(
                    client, probe if captured is None else probe.with_id(captured), result
                )
                if body is None:
                    break  # the rest of the sequence needs this answer
                captured = captured_id(body) if probe.captures_id else captured

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    for result in results:
        result.elapsed_s = elapsed
    return results
