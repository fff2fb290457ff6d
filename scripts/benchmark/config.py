"""What a benchmark run was asked to do: databases, dataset size and load shape."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

DATABASES = ("sqlite", "postgres")
# uvicorn workers: the first count serves every row, the others the compiled read rows.
DEFAULT_WORKERS = (1, 2)

# A fixed secret: the server process and the bench both sign/verify with it.
JWT_SECRET = "ledgergraph-bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
PASSWORD = "bench-password-123"
# The benchmark's load is one company's, far beyond a real client's budget: every app
# it runs (served, and in-process for the statement counts) has a bucket that is paid
# (on the compiled path mostly from points paid ahead: gql/core/prepaid.py) but never
# empties nor falls below half, so rows measure serving, never being throttled, and the
# counted requests of every row spend points ahead alike.
THROTTLE_BUCKET_SIZE = 10**12
THROTTLE_RESTORE_RATE = 10**9


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
    # CRM, helpdesk, contracts (scripts/benchmark/relations.py): pipelines (each with
    # its 3-4 stages), ticket categories and SLAs are fixed; the rest scale.
    pipelines: int = 2
    deals: int = 1_200
    activities: int = 5_000
    ticket_categories: int = 6
    slas: int = 2
    tickets: int = 2_000
    proposals: int = 300
    contracts: int = 150
    # Payroll and projects (scripts/benchmark/people.py): departments (each with its
    # 1-3 positions) are fixed, and so are the pay runs (one a month, 24 months); the
    # rest scale.
    departments: int = 6
    employees: int = 80
    projects: int = 120
    time_entries: int = 8_000

    def scaled(self, factor: float) -> Sizes:
        def scale(n: int) -> int:
            return max(10, round(n * factor))

        return dataclasses.replace(
            self,
            contacts=scale(self.contacts),
            items=scale(self.items),
            documents=scale(self.documents),
            deals=scale(self.deals),
            activities=scale(self.activities),
            tickets=scale(self.tickets),
            proposals=scale(self.proposals),
            contracts=scale(self.contracts),
            employees=scale(self.employees),
            projects=scale(self.projects),
            time_entries=scale(self.time_entries),
        )


# The second company: a little data, so every query has someone else's rows to skip.
OTHER_COMPANY = Sizes(
    contacts=40,
    items=15,
    documents=200,
    pipelines=1,
    deals=20,
    activities=80,
    ticket_categories=3,
    slas=1,
    tickets=30,
    proposals=5,
    contracts=3,
    departments=2,
    employees=5,
    projects=4,
    time_entries=60,
)


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
