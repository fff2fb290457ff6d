"""The HTTP load generator: N workers on one httpx.AsyncClient (a keep-alive pool of
N connections), each sending the same request back to back, for a fixed duration or
a fixed number of requests. Every response is checked; failures are counted."""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass, field

import httpx

from scripts.benchmark.targets import Probe

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


async def _one(client: httpx.AsyncClient, probe: Probe, result: LoadResult) -> None:
    started = time.perf_counter()
    try:
        response = await client.request(
            probe.method, probe.path, json=probe.json, params=probe.params
        )
        failure = probe.failure(response.status_code, response.content)
    except httpx.HTTPError as exc:
        failure = f"{type(exc).__name__}: {exc}"
    result.latencies_ms.append((time.perf_counter() - started) * 1000)
    if failure is None:
        result.ok += 1
    else:
        result.record_failure(failure)


async def run(
    client: httpx.AsyncClient,
    probe: Probe,
    *,
    concurrency: int,
    duration: float | None = None,
    requests: int | None = None,
) -> LoadResult:
    """Load until `duration` seconds have passed, or until `requests` were sent."""
    result = LoadResult()
    remaining = requests
    started = time.perf_counter()
    deadline = started + duration if duration is not None else None

    def more() -> bool:
        nonlocal remaining
        if remaining is not None:
            if remaining <= 0:
                return False
            remaining -= 1
            return True
        return deadline is not None and time.perf_counter() < deadline

    async def worker() -> None:
        while more():
            await _one(client, probe, result)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    result.elapsed_s = time.perf_counter() - started
    return result
