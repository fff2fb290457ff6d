"""A request's first visit to the database, on every path but the compiled one's steady
state (GraphQL's resolvers and mutations, both REST dialects): the viewer resolved
(user, chosen membership, role, enabled modules), the tenant set for the session's
transaction and the request's bill paid by the viewer's company, on the driver,
without the ORM.

PostgreSQL: one round trip on the session's own connection, in psycopg's pipeline
mode. First the payment, an implicit transaction of its own: the access check sets
the tenant from the chosen membership and the payment is by that tenant (none: it
pays nothing), so the bucket's row is locked for the payment alone. A Sync, then
BEGIN, the same check (setting the tenant for row-level security, and the statement
timeout), the licenses and the user with the company. That transaction is the
session's: its next statements go on in it, with the settings already sent. Only a
refused payment costs a second round trip (the level, for the retry time).

SQLite: the same statements one after another on the session's connection: the
check, the payment (committed at once), the licenses, the user with the company.

The check is the compiled path's (gql/compiler/direct.py), the payment throttle's
(gql/core/throttle.py); every request sends them afresh, so a removed membership, a
lowered role or a module switched off counts from the very next request.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

import orjson
import psycopg
from sqlalchemy import Column, Select, bindparam, func, select, true
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import make_transient_to_detached

from gql.auth.viewer import (
    NO_ACCESS,
    LicenseState,
    Viewer,
    active_modules,
    modules_known,
    wanted_company,
)
from gql.compiler.direct import (
    check_and_settings,
    chosen_membership,
    observed,
    pipelined,
    sqlite_rows,
)
from gql.core.throttle import TENANT_PAYS, Bill, ThrottleStatus, payment_statements
from gql.db.driver import DriverStatement, DriverTemplate
from gql.db.engine import DEADLINE_KEY, remaining_seconds, settings_sent, statement_timeout
from gql.db.tenant import set_actor, set_tenant
from gql.domains.companies.models import Company, ModuleLicense, Role, User
from gql.tenancy import mapped_table, tenant_table

log = logging.getLogger("ledgergraph.db")

_BEGIN = DriverStatement(b"BEGIN", ())
_BOTH = (False, True)


@dataclass(frozen=True)
class Admitted:
    viewer: Viewer
    paid: ThrottleStatus | None  # None: no bill, or no company to pay it


def _who(named_company: bool, dialect: Dialect) -> Select[Any]:
    """The user, the membership chosen (its company and role), the company and its
    licenses (a JSON array of [alias, enabled, expires_at]), in one row."""
    users, companies = mapped_table(User), mapped_table(Company)
    chosen = chosen_membership(named_company=named_company).subquery("chosen")
    licensed = tenant_table(ModuleLicense, chosen.c.company_id)
    row = func.json_build_array if dialect.name == "postgresql" else func.json_array
    rows = func.json_agg if dialect.name == "postgresql" else func.json_group_array
    licenses = licensed.select(
        rows(row(licensed.c.alias, licensed.c.enabled, licensed.c.expires_at))
    ).scalar_subquery()
    return (
        select(users, chosen.c.company_id, chosen.c.role, companies, licenses)
        .select_from(
            users.outerjoin(chosen, true()).outerjoin(
                companies, companies.c.id == chosen.c.company_id
            )
        )
        .where(users.c.id == bindparam("user"))
    )


class _Statements:
    """A dialect's statements, compiled once."""

    def __init__(self, dialect: Dialect) -> None:
        self.pg = dialect.name == "postgresql"
        self.who = {named: DriverTemplate.compile(_who(named, dialect), dialect) for named in _BOTH}
        # PostgreSQL: the check sets the transaction's tenant (row-level security) and
        # statement timeout, before the payment and before the request's statements.
        self.checks = {
            (named, paying): DriverTemplate.compile(
                check_and_settings(named_company=named, guessed=False, asynchronous_commit=paying),
                dialect,
            )
            for named in _BOTH
            for paying in _BOTH
            if self.pg
        }
        self.user_columns: list[Column[Any]] = list(mapped_table(User).columns)
        self.company_columns: list[Column[Any]] = list(mapped_table(Company).columns)
        self.readers = [
            column.type.dialect_impl(dialect).result_processor(dialect, None) or _same
            for column in (*self.user_columns, *self.company_columns)
        ]
        pay, level = payment_statements(dialect.name, TENANT_PAYS if self.pg else ":company")
        self.pay, self.level = (
            DriverTemplate.compile(pay, dialect),
            DriverTemplate.compile(level, dialect),
        )


def _same(value: Any) -> Any:
    return value


@cache
def _statements(dialect: Dialect) -> _Statements:
    return _Statements(dialect)


@dataclass
class _Rows:
    who: Any  # the user's columns, the chosen company and role, the company's, licenses
    paid_by: str | None = None  # the company that paid (None: nobody)
    level: Any = None  # the bucket's level after paying
    current: Any = None  # its level now, when it could not pay


async def first_visit(
    session: AsyncSession,
    *,
    user_id: str | None,
    auth_error: str | None,
    company_header: str | None,
    bill: Bill | None = None,
) -> Admitted:
    """The viewer, with `session` scoped to their tenant (or to none), and `bill` paid
    by their company (Throttled when it cannot pay: then nothing is paid). A
    connection found dead on first use is replaced and the visit made again, once."""
    set_tenant(session, None)
    set_actor(session, None)
    if user_id is None:
        return Admitted(Viewer(auth_error=auth_error or "authentication required"), None)
    wanted = wanted_company(company_header)
    for attempt in (1, 2):
        connection = await session.connection()
        driver: Any = (await connection.get_raw_connection()).driver_connection
        statements = _statements(connection.dialect)
        try:
            if statements.pg:
                rows = await _pipelined(session, driver, statements, user_id, wanted, bill)
            else:
                rows = await _one_by_one(session, driver, statements, user_id, wanted, bill)
        except psycopg.OperationalError as exc:
            if attempt == 2 or not (driver.closed or driver.broken):
                raise
            log.warning("a pooled connection was lost; retrying once: %r", exc)
            await connection.invalidate()
            await session.rollback()
            continue
        return _admitted(session, statements, rows, wanted, bill, connection.sync_connection)
    raise AssertionError("unreachable")  # pragma: no cover


def _values(session: AsyncSession, user_id: str, wanted: str | None) -> dict[str, Any]:
    values: dict[str, Any] = {"user": user_id, "wanted": wanted}
    deadline = session.sync_session.info.get(DEADLINE_KEY)
    values["timeout"] = "0" if deadline is None else statement_timeout(remaining_seconds(deadline))
    return values


async def _pipelined(
    session: AsyncSession,
    driver: Any,
    statements: _Statements,
    user_id: str,
    wanted: str | None,
    bill: Bill | None,
) -> _Rows:
    """PostgreSQL: the payment's transaction, a Sync, then the session's transaction
    begun with the check and the viewer's row, in one round trip."""
    values = _values(session, user_id, wanted)
    named = wanted is not None
    paying = []
    if bill is not None:
        check = statements.checks[named, True].bind(**values)
        paying = [check, statements.pay.bind(**bill.params(""))]
    check = statements.checks[named, False].bind(**values)
    reading = [_BEGIN, check, statements.who[named].bind(**values)]
    paid, read = await pipelined(driver, [paying, reading])
    rows = _Rows(who=await read[2].fetchone())
    sent = [*paying, check, reading[2]]  # (BEGIN, like the driver's own, is not counted)
    if paid:
        payer = await paid[0].fetchone()
        rows.paid_by = payer[0] if payer else None
        level = await paid[-1].fetchone()
        if level is not None:
            rows.level = level[0]
        elif rows.paid_by is not None:
            # Refused: the level it has, read in the request's transaction (under the
            # same tenant; a read, it locks nothing).
            read_level = statements.level.bind(**bill.params(rows.paid_by))  # type: ignore[union-attr]
            cursor = psycopg.AsyncRawCursor(driver)
            await cursor.execute(read_level.sql, read_level.params)
            current = await cursor.fetchone()
            rows.current = current[0] if current else None
            sent.append(read_level)
    observed(_engine(session), sent)
    return rows


async def _one_by_one(
    session: AsyncSession,
    driver: Any,
    statements: _Statements,
    user_id: str,
    wanted: str | None,
    bill: Bill | None,
) -> _Rows:
    """SQLite: the viewer's row, then the payment by its company, committed at once
    (the bucket's lock is the payment's alone)."""
    who = statements.who[wanted is not None].bind(user=user_id, wanted=wanted)
    rows = _Rows(who=await sqlite_rows(driver, who, one=True))
    sent = [who]
    company = _chosen(statements, rows.who)[0]
    if bill is not None and company is not None:
        pay = statements.pay.bind(**bill.params(company))
        level = await sqlite_rows(driver, pay, one=True)
        await driver.commit()
        rows.paid_by = company
        sent.append(pay)
        if level is not None:
            rows.level = level[0]
        else:
            read = statements.level.bind(**bill.params(company))
            current = await sqlite_rows(driver, read, one=True)
            rows.current = current[0] if current else None
            sent.append(read)
    observed(_engine(session), sent)
    return rows


def _engine(session: AsyncSession) -> AsyncEngine:
    engine = session.bind
    assert isinstance(engine, AsyncEngine)  # the app's sessions are bound to its engine
    return engine


def _chosen(statements: _Statements, row: Any) -> tuple[str | None, str | None]:
    """The chosen membership's company and role (None: no membership chosen)."""
    if row is None:
        return None, None
    split = len(statements.user_columns)
    return row[split], row[split + 1]


def _admitted(
    session: AsyncSession,
    statements: _Statements,
    rows: _Rows,
    wanted: str | None,
    bill: Bill | None,
    connection: Any,
) -> Admitted:
    """The viewer the rows describe, the session scoped to them, the bill's outcome."""
    paid = None
    if bill is not None and rows.paid_by is not None:
        paid = bill.outcome(rows.level, rows.current)  # Throttled when refused
    user, company, licenses = _detached_rows(statements, rows.who)
    company_id, role = _chosen(statements, rows.who)
    if user is None or not user.enabled:
        viewer = Viewer(auth_error="token is invalid")
    elif company_id is None or company is None:
        message = NO_ACCESS if wanted else "You do not belong to any company"
        viewer = Viewer(user=user, auth_error=None, access_error=message)
    else:
        viewer = Viewer(
            user=user,
            company=company,
            role=Role(role),
            enabled_modules=active_modules(licenses, datetime.now(UTC)),
            auth_error=None,
        )
        set_tenant(session, company.id)
        set_actor(session, user.id)
        modules_known(session, viewer.enabled_modules)
    if statements.pg:
        settings_sent(connection, viewer.company_id)  # the check set them
    return Admitted(viewer, paid)


def _detached_rows(
    statements: _Statements, row: Any
) -> tuple[User | None, Company | None, dict[str, LicenseState]]:
    """The user and company as the ORM would have loaded them, detached (a rolled-back
    mutation must not expire the viewer mid-request), and the licenses by alias."""
    if row is None:
        return None, None, {}
    users, companies = len(statements.user_columns), len(statements.company_columns)
    values = [*row[:users], *row[users + 2 : users + 2 + companies]]
    values = [read(value) for read, value in zip(statements.readers, values, strict=True)]
    user = _detached(User, statements.user_columns, values[:users])
    if values[users] is None:
        return user, None, {}
    company = _detached(Company, statements.company_columns, values[users:])
    licenses = row[-1]
    if isinstance(licenses, str):  # SQLite's JSON is text
        licenses = orjson.loads(licenses)
    return (
        user,
        company,
        {alias: LicenseState(bool(on), _utc(expires)) for alias, on, expires in licenses or ()},
    )


def _utc(value: str | None) -> datetime | None:
    """A timestamp as JSON has it (PostgreSQL's ISO text with its offset; SQLite's
    stored UTC text, without one)."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _detached(model: type[Any], columns: list[Column[Any]], values: list[Any]) -> Any:
    instance = model(**{column.key: value for column, value in zip(columns, values, strict=True)})
    make_transient_to_detached(instance)  # its values as loaded, no changes pending
    return instance
