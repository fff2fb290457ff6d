"""What differs between PostgreSQL and SQLite when SQL builds JSON.

Every value is presented exactly as the resolver path presents it: global ids and
cursors in the same base64, Decimals as their exact text, datetimes as Python's
isoformat, enums by name. SQLite lacks a few of these, so a handful of small,
deterministic Python functions are registered on each SQLite connection.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, case, func, literal, literal_column, null, type_coerce
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.types import JSON, Boolean, String

from gql.core.ids import to_global_id
from gql.core.pagination import encode_cursor
from gql.db.tenant import get_tenant

# --- SQLite functions -----------------------------------------------------------------


def _gid(type_name: str | None, pk: str | None) -> str | None:
    if pk is None:
        return None
    return to_global_id(type_name or "", pk)


def _cursor(position: int | None) -> str | None:
    if position is None:
        return None
    return encode_cursor(int(position))


def _decimal_text(units: int | None, scale: int) -> str | None:
    """SQLite keeps decimals as integer units (gql/db/columns.py ExactDecimal)."""
    if units is None:
        return None
    return str(Decimal(int(units)).scaleb(-scale).quantize(Decimal(1).scaleb(-scale)))


def _iso_datetime(value: str | None) -> str | None:
    if value is None:
        return None
    parsed = datetime.fromisoformat(value)
    return (
        parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    ).isoformat()


SQLITE_FUNCTIONS = {
    "lg_gid": (2, _gid),
    "lg_cursor": (1, _cursor),
    "lg_decimal_text": (2, _decimal_text),
    "lg_iso_datetime": (1, _iso_datetime),
}


def register_sqlite_functions(dbapi_connection: Any) -> None:
    for name, (arity, fn) in SQLITE_FUNCTIONS.items():
        dbapi_connection.create_function(name, arity, fn, deterministic=True)


# --- the dialect helpers ------------------------------------------------------------------


_ENV_KEY = "ledgergraph.sql_env"


def request_env(session: Any) -> SqlEnv:
    """The SqlEnv of the request `session` serves: its dialect, its tenant and the day
    it first asked. The compiled path and the resolver path (computed values, filters)
    of one request use this one env, so they never disagree about `today`."""

    info = session.sync_session.info
    tenant = get_tenant(session)
    env: SqlEnv | None = info.get(_ENV_KEY)
    if env is None or env.tenant_id != tenant:
        # Without a tenant, an empty id: it matches no company's rows.
        env = SqlEnv(dialect=session.bind.dialect.name, tenant_id=tenant or "", today=date.today())
        info[_ENV_KEY] = env
    return env


@dataclass(frozen=True)
class SqlEnv:
    """Builders for one dialect, plus request values (`today`, `tenant_id`)."""

    dialect: str
    tenant_id: str
    today: date

    @property
    def pg(self) -> bool:
        return self.dialect == "postgresql"

    # JSON construction
    def json_object(self, pairs: Sequence[tuple[str, ColumnElement[Any]]]) -> ColumnElement[Any]:
        args: list[Any] = []
        for key, value in pairs:
            args.extend((literal(key, String), value))
        if self.pg:
            return func.json_build_object(*args, type_=JSON)
        return func.json_object(*args, type_=JSON)

    def embed(self, value: ColumnElement[Any]) -> ColumnElement[Any]:
        """A JSON value that came through a subquery, so SQLite re-reads it as JSON."""
        return value if self.pg else func.json(value, type_=JSON)

    def json_array(
        self,
        value: ColumnElement[Any],
        order_by: Sequence[ColumnElement[Any]] = (),
        where: ColumnElement[bool] | None = None,
    ) -> ColumnElement[Any]:
        """An aggregate: the JSON array of `value` over the rows (those meeting `where`),
        `[]` for none."""
        agg: Any
        if self.pg:
            agg = func.json_agg(
                aggregate_order_by(value, *order_by) if order_by else value, type_=JSON
            )
            empty: Any = literal_column("'[]'::json")
        else:
            # SQLite aggregates rows in the order its (ordered) subquery yields them.
            agg, empty = func.json_group_array(func.json(value), type_=JSON), func.json("[]")
        if where is not None:
            agg = agg.filter(where)
        return func.coalesce(agg, empty, type_=JSON)

    def any_value(self, value: ColumnElement[Any]) -> ColumnElement[Any]:
        """In an aggregate over rows that all carry the same `value` (a window total),
        that value (NULL for no rows): PostgreSQL (15: no any_value) takes max(), or
        bool_and() of a boolean; SQLite reads the bare column of the aggregate query,
        which also serves where an aggregate may not (a correlated subquery's key)."""
        if not self.pg:
            return value
        if isinstance(value.type, Boolean):
            return func.bool_and(value, type_=Boolean)
        return func.max(value, type_=value.type)

    def boolean(self, value: ColumnElement[Any]) -> ColumnElement[Any]:
        if self.pg:
            return type_coerce(value, Boolean)
        return case(
            (value.is_(None), null()),
            (value == literal(True), func.json("true")),
            else_=func.json("false"),
        )

    # presentation of scalars
    def text(self, value: ColumnElement[Any]) -> ColumnElement[Any]:
        return value

    def decimal(self, value: ColumnElement[Any]) -> ColumnElement[Any]:
        if self.pg:
            return func.cast(value, String)
        scale = getattr(value.type, "scale", None)
        if scale is None:
            raise TypeError(f"decimal of unknown scale: {value}")
        return func.lg_decimal_text(value, scale, type_=String)

    def enum_name(self, value: ColumnElement[Any]) -> ColumnElement[Any]:
        return func.upper(value)

    def date(self, value: ColumnElement[Any]) -> ColumnElement[Any]:
        return func.cast(value, String) if self.pg else value

    def datetime(self, value: ColumnElement[Any]) -> ColumnElement[Any]:
        if not self.pg:
            return func.lg_iso_datetime(value, type_=String)
        utc = func.timezone("UTC", value)
        seconds = func.to_char(utc, 'YYYY-MM-DD"T"HH24:MI:SS')
        micro = func.to_char(utc, "US")
        # Python's isoformat leaves out microseconds when they are zero.
        return case(
            (value.is_(None), null()),
            else_=seconds + case((micro == "000000", ""), else_="." + micro) + "+00:00",
        )

    def global_id(self, type_name: str, pk: ColumnElement[Any]) -> ColumnElement[Any]:
        if not self.pg:
            return func.lg_gid(type_name, pk, type_=String)
        raw = func.encode(func.convert_to(literal(f"{type_name}:") + pk, "UTF8"), "base64")
        return func.rtrim(func.translate(raw, "+/", "-_"), "=")

    def cursor(self, position: ColumnElement[Any]) -> ColumnElement[Any]:
        if not self.pg:
            return func.lg_cursor(position, type_=String)
        raw = func.encode(
            func.convert_to(literal("cursor:") + func.cast(position, String), "UTF8"), "base64"
        )
        return func.translate(raw, "+/", "-_")
