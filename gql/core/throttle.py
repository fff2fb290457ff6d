"""Each company's leaky bucket of query cost, kept in the database so that every worker
and every machine draws from the same one.

A bucket holds at most `throttle_bucket_size` points and refills at
`throttle_restore_rate` points a second. Every GraphQL request pays its calculated
cost (gql/core/query_cost.py); every REST request of either dialect pays a fixed
cost: REST_READ_COST for GET, REST_WRITE_COST for anything else. A request the
bucket cannot pay is refused (`Throttled`: GraphQL THROTTLED, HTTP 429 with
Retry-After) and pays nothing. A cost above the bucket's size is charged the whole
bucket (it runs when the bucket is full), so it is slow, never impossible.

The bucket is paid with ONE atomic statement: an upsert that restores the level by
the time elapsed since it was last paid (the database's clock, the same for every
worker), caps it at the maximum, takes the cost only where enough is there, and
returns the new level. Two workers paying at once queue on the row's lock, so
neither can spend points the other already took. The row is locked from the
payment to its transaction's commit, never for the length of a request: on the
compiled path's steady state, the last statement of the read's own implicit
transaction, in the read's one round trip (gql/compiler/direct.py); on every other
request, its own implicit transaction before the request's, in the round trip that
resolves the viewer (gql/auth/first_visit.py).

A compiled read's payment may also take points ahead of the worker's next reads of
the company (gql/core/prepaid.py), only while the bucket stays at least half full.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import TextClause, text
from sqlmodel import Field

from gql.db.columns import CompanyKeyed, UTCDateTime, money_field
from gql.settings import Settings
from gql.tenancy import TENANT_SETTING

THROTTLED = "THROTTLED"
REST_READ_COST = 1
REST_WRITE_COST = 10
# The level is kept to a thousandth of a point (the restore runs by the millisecond).
SCALE = 3


class RateBucket(CompanyKeyed, table=True):
    __tablename__ = "rate_bucket"

    available: Decimal = money_field(scale=SCALE)
    taken: Decimal = money_field(scale=SCALE)  # by the last payment (prepaid points too)
    updated_at: datetime = Field(sa_type=UTCDateTime)


# The restored level: what was there, plus the seconds since (never negative: a
# payment that waited for the row's lock may have begun before the one it waited for)
# times the rate, capped. One timestamp per statement (PostgreSQL's statement_timestamp,
# SQLite's 'now'), so every expression of a payment agrees; the row's time never goes
# back. What is taken: the cost, and `:prepay` points more (paid ahead for the worker's
# next requests: gql/core/prepaid.py) only while the level stays at `:floor` or above
# after taking them; the row keeps what was taken, for RETURNING to say.
# PostgreSQL's `{company}`: the company named, or the transaction's tenant (set from
# the membership in the same implicit transaction); none ('') pays nothing.
_PG_RESTORED = (
    "LEAST(:size, b.available + :rate * GREATEST(0,"
    " EXTRACT(EPOCH FROM statement_timestamp() - b.updated_at)))"
)
_SQLITE_RESTORED = (
    "MIN(:size * 1000, available + :rate * 1000 * MAX(0,"
    " (julianday('now') - julianday(updated_at)) * 86400))"
)


def _taken(level: str, thousandths: str = "") -> str:
    """What a payment takes from `level` (SQLite: in thousandths, `* 1000`)."""
    t = thousandths
    return (
        f"CASE WHEN {level} - (:cost + :prepay){t} >= :floor{t}"
        f" THEN (:cost + :prepay){t} ELSE :cost{t} END"
    )


_PAY = {
    "postgresql": (
        "INSERT INTO rate_bucket AS b (company_id, available, taken, updated_at)"
        f" SELECT t.company, :size - {_taken(':size')}, {_taken(':size')}, statement_timestamp()"
        " FROM (SELECT CAST({company} AS varchar) AS company) AS t WHERE t.company <> ''"
        " ON CONFLICT (company_id) DO UPDATE SET"
        f"  available = {_PG_RESTORED} - {_taken(_PG_RESTORED)},"
        f"  taken = {_taken(_PG_RESTORED)},"
        "  updated_at = GREATEST(b.updated_at, statement_timestamp())"
        f" WHERE {_PG_RESTORED} >= :cost"
        " RETURNING available, taken"
    ),
    # SQLite keeps exact decimals as integers of thousandths (gql/db/columns.py).
    "sqlite": (
        "INSERT INTO rate_bucket (company_id, available, taken, updated_at)"
        f" VALUES (:company, :size * 1000 - {_taken(':size * 1000', ' * 1000')},"
        f" {_taken(':size * 1000', ' * 1000')}, strftime('%Y-%m-%d %H:%M:%f000', 'now'))"
        " ON CONFLICT (company_id) DO UPDATE SET"
        f"  available = CAST({_SQLITE_RESTORED} AS INTEGER)"
        f"   - {_taken(f'CAST({_SQLITE_RESTORED} AS INTEGER)', ' * 1000')},"
        f"  taken = {_taken(f'CAST({_SQLITE_RESTORED} AS INTEGER)', ' * 1000')},"
        "  updated_at = strftime('%Y-%m-%d %H:%M:%f000', 'now')"
        f" WHERE {_SQLITE_RESTORED} >= :cost * 1000"
        " RETURNING available / 1000.0, taken / 1000.0"
    ),
}
# Only when the bucket could not pay: the level now, to say when it will.
_LEVEL = {
    "postgresql": (
        "SELECT LEAST(:size, available + :rate * GREATEST(0,"
        " EXTRACT(EPOCH FROM clock_timestamp() - updated_at)))"
        " FROM rate_bucket WHERE company_id = :company"
    ),
    "sqlite": (
        "SELECT MIN(:size * 1000, available + :rate * 1000 * MAX(0,"
        " (julianday('now') - julianday(updated_at)) * 86400)) / 1000.0"
        " FROM rate_bucket WHERE company_id = :company"
    ),
}


@dataclass(frozen=True)
class ThrottleStatus:
    maximum_available: int
    currently_available: int  # whole points (the level, rounded down)
    restore_rate: int

    def as_json(self) -> dict[str, int]:
        return {
            "maximumAvailable": self.maximum_available,
            "currentlyAvailable": self.currently_available,
            "restoreRate": self.restore_rate,
        }


class Throttled(Exception):
    """The company's bucket cannot pay `cost` now; it can in `retry_after` seconds."""

    def __init__(self, cost: int, status: ThrottleStatus, retry_after: float) -> None:
        self.cost = cost
        self.status = status
        self.retry_after = retry_after
        super().__init__(
            f"Throttled: this request costs {cost} points and the company's bucket has "
            f"{status.currently_available} of {status.maximum_available} (it refills "
            f"{status.restore_rate} a second); retry in {self.retry_after_seconds} s."
        )

    @property
    def retry_after_seconds(self) -> int:
        """Whole seconds, as HTTP's Retry-After takes them (at least 1)."""
        return max(1, math.ceil(self.retry_after))

    def extensions(self) -> dict[str, Any]:
        return {
            "code": THROTTLED,
            "retryAfterSeconds": self.retry_after_seconds,
            "requestedQueryCost": self.cost,
            "throttleStatus": self.status.as_json(),
        }


def rest_cost(method: str) -> int:
    return REST_READ_COST if method in ("GET", "HEAD") else REST_WRITE_COST


@dataclass(frozen=True)
class Bill:
    """A request's cost as its company's bucket is charged: at most the bucket's size."""

    cost: int
    size: int
    rate: int
    prepay: int = 0  # points asked for ahead of the worker's next requests
    checks_in: bool = False  # a worker's check-in for its points ahead (gql/core/prepaid.py)

    @classmethod
    def of(cls, cost: int, settings: Settings) -> Bill:
        return cls(cost, settings.throttle_bucket_size, settings.throttle_restore_rate)

    @property
    def charged(self) -> int:
        return min(self.cost, self.size)

    def params(self, company_id: str) -> dict[str, Any]:
        return {
            "company": company_id,
            "cost": self.charged,
            "size": self.size,
            "rate": self.rate,
            "prepay": self.prepay,
            # Points are paid ahead only while the bucket stays at least half full.
            "floor": self.size // 2,
        }

    def outcome(self, level: Any, current: Any) -> ThrottleStatus:
        """The bucket's state after paying (`level`), or Throttled (then `current`: the
        level it has, None when it has never been paid from)."""
        if level is not None:
            return ThrottleStatus(self.size, math.floor(Decimal(str(level))), self.rate)
        available = Decimal(self.size if current is None else str(current))
        status = ThrottleStatus(self.size, math.floor(available), self.rate)
        wait = (self.charged - available) / self.rate
        raise Throttled(self.cost, status, float(wait))


# PostgreSQL: the tenant the same implicit transaction set before the payment.
TENANT_PAYS = f"current_setting('{TENANT_SETTING}')"


def payment_statements(dialect: str, company: str = ":company") -> tuple[TextClause, TextClause]:
    """The payment and, when it could not pay, the level read (for the retry time), as
    statements of `dialect` to run on the driver (the one place a bucket is paid:
    gql/compiler/direct.py, gql/auth/first_visit.py). PostgreSQL's payment is by
    `company`: the bound `:company`, or TENANT_PAYS."""
    pay = _PAY[dialect].format(company=company) if dialect == "postgresql" else _PAY[dialect]
    return text(pay), text(_LEVEL[dialect])
