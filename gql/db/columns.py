"""Column types and base tables: exact decimals, UTC datetimes, and the two bases every
table builds on (Entity: id and timestamps; TenantOwned: a company's row)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime, Numeric
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from gql.core.ids import new_id

# Named constraints, so migrations can find them again (SQLite above all).
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


# --- column types -----------------------------------------------------------------------


class ExactDecimal(TypeDecorator[Decimal]):
    """Exact decimals: NUMERIC on PostgreSQL; on SQLite (whose NUMERIC is a float) an
    integer count of the smallest unit (value x 10^scale), so sums, comparisons and
    ordering in SQL stay exact there too.

    Values are quantized to the column's scale on the way in, so both databases
    hand back the same Decimal.
    """

    impl = Numeric
    cache_ok = True

    def __init__(self, scale: int = 2, precision: int = 20) -> None:
        super().__init__()
        self.scale = scale
        self.precision = precision
        self._quantum = Decimal(1).scaleb(-scale)

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        quantized = Decimal(value).quantize(self._quantum)
        return int(quantized.scaleb(self.scale)) if dialect.name == "sqlite" else quantized

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return Decimal(int(value)).scaleb(-self.scale).quantize(self._quantum)
        if type(value) is Decimal:  # what psycopg reads a NUMERIC as: no detour via str
            return value.quantize(self._quantum)
        return Decimal(str(value)).quantize(self._quantum)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on both databases (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def money_field(default: Decimal | None = Decimal("0"), *, scale: int = 2, **kw: Any) -> Any:
    """An exact decimal column; its default is already at the column's scale, as every
    input is (gql/core/inputs.py) and every computed amount (totals, postings)."""
    if default is not None:
        default = default.quantize(Decimal(1).scaleb(-scale))
    return Field(default=default, sa_type=ExactDecimal(scale), **kw)


# --- base tables --------------------------------------------------------------------------


class Entity(SQLModel):
    """Fields every table shares: an object id and audit timestamps."""

    id: str = Field(default_factory=new_id, primary_key=True, max_length=24)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class TenantOwned(Entity):
    """A row that belongs to one company. Scoped by the session, never by hand."""

    company_id: str = Field(foreign_key="company.id", index=True, max_length=24)


class CompanyKeyed(SQLModel):
    """A company's one row of something (its throttle bucket): keyed by the company,
    and tenant-owned like a TenantOwned row (row-level security, gql/tenancy.py)."""

    company_id: str = Field(foreign_key="company.id", primary_key=True, max_length=24)
