"""Peak resident memory of a process tree (the uvicorn master and its workers),
sampled on a background thread so a busy event loop cannot delay the samples; and the
CPU time the tree used."""

from __future__ import annotations

import threading
from types import TracebackType

import psutil


def tree_rss(pid: int) -> int:
    """Sum of the RSS of `pid` and every descendant, in bytes (shared pages count once
    per process, as `ps` shows them)."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for process in processes:
        try:
            total += process.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds used so far by `pid` and every descendant (the uvicorn
    workers live as long as the server, so a difference of two readings is the CPU the
    server spent in between; a PostgreSQL server's own processes are not in it)."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


class PeakRss:
    """`with PeakRss(pid) as peak: ...` then `peak.mb`."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.pid = pid
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def _run(self) -> None:
        while True:
            self.peak = max(self.peak, tree_rss(self.pid))
            if self._stop.wait(self.interval):
                return

    @property
    def mb(self) -> float:
        return self.peak / 2**20

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, tree_rss(self.pid))
