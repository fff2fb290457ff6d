"""What a benchmark run was asked to do: databases, dataset size and load shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

DATABASES = ("sqlite", "postgres")
# uvicorn workers: the first count serves every row, the others the compiled read rows.
DEFAULT_WORKERS = (1, 2)

# A fixed secret: the server process and the bench both sign/verify with it.
JWT_SECRET = "ledgergraph-bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
PASSWORD = "bench-password-123"


@dataclass(frozen=True)
class Sizes:
    """Rows of one company. Taxes and categories include the ones registration makes."""

    contacts: int = 3_000
    items: int = 300
    documents: int = 20_000
    taxes: int = 5
    categories: int = 10
    min_lines: int = 3
    max_lines: int = 7

    def scaled(self, factor: float) -> Sizes:
        return Sizes(
            contacts=max(10, round(self.contacts * factor)),
            items=max(10, round(self.items * factor)),
            documents=max(10, round(self.documents * factor)),
            taxes=self.taxes,
            categories=self.categories,
            min_lines=self.min_lines,
            max_lines=self.max_lines,
        )


# The second company: a little data, so every query has someone else's rows to skip.
OTHER_COMPANY = Sizes(contacts=40, items=15, documents=200)


@dataclass(frozen=True)
class BenchConfig:
    databases: tuple[str, ...] = DATABASES
    sizes: Sizes = field(default_factory=Sizes)
    concurrency: int = 10
    duration: float = 5.0  # seconds of measured load per row (whole seconds: wrk's unit)
    warmup: float = 1.0  # seconds of warm-up load per row
    workers: tuple[int, ...] = DEFAULT_WORKERS
    python_load: bool = False  # the Python load generator even when wrk is installed
    only: tuple[str, ...] = ()  # target names to run (all when empty)
    random_seed: int = 1
    postgres_url: str | None = None
    explain: bool = False
    explain_ms: float = 5.0
    out_dir: Path = Path(".bench")
    command: str = ""
