"""Which load generator drives a server: wrk (wrk.py) when it is installed, else the
Python one (load.py), which says so; and the CPU the generator itself used."""

from __future__ import annotations

import contextlib
import resource
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx

from scripts.benchmark import load, wrk
from scripts.benchmark.targets import Probe


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # reaped children: wrk runs
    return usage.ru_utime + usage.ru_stime


@dataclass
class Loader:
    """Loads one server. With wrk, `client` is None."""

    base_url: str
    headers: dict[str, str]
    client: httpx.AsyncClient | None = None

    @property
    def name(self) -> str:
        return "python" if self.client is not None else "wrk"

    def cpu_seconds(self) -> float:
        """CPU the generator has used so far: wrk's (a child, reaped after each run) or
        this process's."""
        return time.process_time() if self.client is not None else _children_cpu()

    async def run(
        self, probes: list[Probe], *, concurrency: int, duration: float
    ) -> list[load.LoadResult]:
        if self.client is not None:
            return await load.run(self.client, probes, concurrency=concurrency, duration=duration)
        return await wrk.run(
            self.base_url, probes, self.headers, concurrency=concurrency, duration=duration
        )


@contextlib.asynccontextmanager
async def loader_for(
    base_url: str, headers: dict[str, str], concurrency: int, use_wrk: bool
) -> AsyncIterator[Loader]:
    if use_wrk:
        yield Loader(base_url, headers)
        return
    async with load.client_for(base_url, headers, concurrency) as client:
        yield Loader(base_url, headers, client)
