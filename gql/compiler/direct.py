"""The compiled read path in one visit to the database: the viewer's access check and
the compiled statements travel together, run on the driver from their cached text,
without the ORM and without SQLAlchemy's per-statement work.

A plan depends on the viewer's company, role and modules (executor.py caches plans by
them). The access last seen for a token's user and `X-Company-Id` is this process's
guess. A request runs the guessed plan's statements together with a check of that
access as the database has it now, and is answered only when the two agree. When
they do not (a membership removed, a role lowered, a module switched off, by any
worker on any machine), the statements' answer is dropped unread and the request
takes the full path, which resolves the viewer afresh: the guess never grants
access, the check in the same round trip does.

PostgreSQL: one round trip. In psycopg's pipeline mode, on a connection in
autocommit, the check, the licenses and the statements go out together with one
Sync, so they run in one implicit transaction. The check sets the tenant for
row-level security (only while the membership exists) and the statement timeout
with `set_config(..., true)`: the statements after it see both, and both end with
the transaction.

The request's bill (gql/core/pricing.py) is paid from the points this worker paid
ahead for the company (gql/core/prepaid.py: then no payment is sent); else in the
same transaction, by its last statement (which may take points ahead too), by the
tenant the check set (none: nothing is paid): the bucket's row is locked from the
payment to the commit at the Sync right after it, never across the read, and the
whole visit is one Sync. A refused payment drops the
statements' answer unread (THROTTLED). A changed access drops both: the full path
then resolves the viewer and bills its company.

SQLite: the same statements one after another on the connection, no ORM: the check
and licenses, the payment (committed at once), then the statements only once paid.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import psycopg
from sqlalchemy import Select, bindparam, func, literal_column, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.util import greenlet_spawn

from gql.auth.viewer import DEFAULT_COMPANY_FIRST, LicenseState, Viewer, active_modules
from gql.core.lru import LRU
from gql.core.prepaid import Prepaid
from gql.core.throttle import TENANT_PAYS, Bill, ThrottleStatus, payment_statements
from gql.db.driver import DriverStatement, DriverTemplate
from gql.db.engine import remaining_seconds, set_connection_deadline, statement_timeout
from gql.domains.companies.models import Company, Membership, ModuleLicense, User
from gql.tenancy import TENANT_SETTING

log = logging.getLogger("ledgergraph.compiler")

# --- statements as the driver takes them ----------------------------------------------------


# --- the access check ---------------------------------------------------------------------


@dataclass(frozen=True)
class Access:
    """What a plan depends on: the company, the role in it, the modules enabled."""

    company_id: str
    role: str
    modules: frozenset[str]

    @classmethod
    def of(cls, viewer: Viewer) -> Access | None:
        if viewer.company is None or viewer.role is None:
            return None
        return cls(viewer.company.id, viewer.role.value, viewer.enabled_modules)


def chosen_membership(*, named_company: bool) -> Select[Any]:
    """The membership a request is for, as resolve_viewer chooses it: the named
    company, or the user's default; both user and company enabled."""
    chosen = (
        select(Membership.company_id, Membership.role)
        .join(User, User.id == Membership.user_id)
        .join(Company, Company.id == Membership.company_id)
        .where(
            Membership.user_id == bindparam("user"),
            User.enabled.is_(True),
            Company.enabled.is_(True),
        )
        .order_by(*DEFAULT_COMPANY_FIRST)
        .limit(1)
    )
    if named_company:
        chosen = chosen.where(Membership.company_id == bindparam("wanted"))
    return chosen


def check_and_settings(
    *, named_company: bool, guessed: bool = True, asynchronous_commit: bool = False
) -> Select[Any]:
    """PostgreSQL: the chosen membership, and the transaction's settings: the tenant
    (the guessed company, only if it is the chosen one; with `guessed=False`, the chosen
    one), the statement timeout, and (for a payment) `synchronous_commit` off."""
    chosen = chosen_membership(named_company=named_company).cte("chosen")
    tenant_of = select(chosen.c.company_id)
    if guessed:
        tenant_of = tenant_of.where(chosen.c.company_id == bindparam("company"))
    tenant = func.coalesce(tenant_of.scalar_subquery(), "")
    true: Any = literal_column("true")
    # The settings' names as SQL text (constants); the values bound.
    settings = [
        func.set_config(literal_column(f"'{TENANT_SETTING}'"), tenant, true),
        func.set_config(literal_column("'statement_timeout'"), bindparam("timeout"), true),
    ]
    if asynchronous_commit:
        off: Any = literal_column("'off'")
        settings.append(func.set_config(literal_column("'synchronous_commit'"), off, true))
    return select(
        select(chosen.c.company_id).scalar_subquery().label("company_id"),
        select(chosen.c.role).scalar_subquery().label("role"),
        *settings,
    )


_LICENSES = select(ModuleLicense.alias, ModuleLicense.enabled, ModuleLicense.expires_at).where(
    ModuleLicense.company_id == bindparam("company")
)


_PAYMENT_SETTINGS = (
    f"SELECT set_config('{TENANT_SETTING}', $1, true), set_config('statement_timeout', $2, true),"
    " set_config('synchronous_commit', 'off', true)"
).encode()


@dataclass(frozen=True)
class _Payment:
    statements: list[DriverStatement]  # what pays (PostgreSQL: the settings first)
    level: list[DriverStatement]  # what reads the level, when they could not


@dataclass(frozen=True)
class _Found:
    """One visit's rows: the check's, the licenses', each statement's."""

    access: Access | None  # as the database has it now
    rows: list[Any]
    sent: list[DriverStatement]
    level: Any = None  # the bucket's level after paying (None: not paid)
    taken: Any = None  # what the payment took (its cost, and any points paid ahead)
    current: Any = None  # its level now, when it could not pay


@dataclass(frozen=True)
class Visit:
    answers: list[str | None] | None  # each statement's one value; None: the access changed
    paid: ThrottleStatus | None  # the bucket after paying; None: nothing was billed


# --- observers (the tests' and the benchmark's statement counters) --------------------------

StatementObserver = Callable[[DriverStatement], None]
_observers: weakref.WeakKeyDictionary[Any, list[StatementObserver]] = weakref.WeakKeyDictionary()


def observe_statements(engine: AsyncEngine, observer: StatementObserver) -> None:
    """Call `observer` with each statement this path sends on `engine` (it bypasses
    SQLAlchemy's events, which count everything else)."""
    _observers.setdefault(engine.sync_engine, []).append(observer)


def stop_observing(engine: AsyncEngine, observer: StatementObserver) -> None:
    _observers.get(engine.sync_engine, []).remove(observer)


def observed(engine: AsyncEngine, sent: list[DriverStatement]) -> None:
    """Tell the observers of `engine` what was sent on its driver."""
    for observer in _observers.get(engine.sync_engine, ()):
        for statement in sent:
            observer(statement)


async def pipelined(
    driver: Any, transactions: list[list[DriverStatement]]
) -> list[list[psycopg.AsyncRawCursor[Any]]]:
    """Each list of statements in an implicit transaction of its own (a Sync after it),
    all sent without waiting for an answer in between: one round trip. Their cursors,
    to fetch from."""
    await driver.set_autocommit(True)  # no BEGIN, no COMMIT: a Sync ends each transaction
    try:
        async with driver.pipeline() as pipeline:
            sent = []
            for number, statements in enumerate(transactions, start=1):
                cursors = []
                for statement in statements:
                    cursor = psycopg.AsyncRawCursor(driver)
                    await cursor.execute(statement.sql, statement.params)
                    cursors.append(cursor)
                sent.append(cursors)
                if statements and any(transactions[number:]):
                    # Pipeline.sync() would wait for the answers so far: this only
                    # queues the Sync (the pipeline's exit sends the last one).
                    pipeline._enqueue_sync()
    finally:
        if not (driver.closed or driver.broken):
            await _autocommit_off(driver)
    return sent


async def _autocommit_off(driver: Any) -> None:
    if driver.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:
        await driver.set_autocommit(False)
    else:
        # The last statements began a transaction (an explicit BEGIN) that goes on as a
        # session's. psycopg refuses to switch mid-transaction, though the switch only
        # matters after it ends: the next one then begins with BEGIN again.
        driver._autocommit = False


async def sqlite_rows(driver: Any, statement: DriverStatement, *, one: bool) -> Any:
    # One hop to aiosqlite's thread for the execute, the fetch and the close alike.
    rows = await driver.execute_fetchall(statement.sql, statement.params)
    if not one:
        return rows
    return rows[0] if rows else None


# --- running -------------------------------------------------------------------------------


class DirectReads:
    """The guessed accesses of one process, and the runner of guessed plans'
    statements with the access check, on one engine."""

    def __init__(
        self, engine: AsyncEngine, timeout_seconds: float, prepaid: Prepaid | None = None
    ) -> None:
        self.engine = engine
        # Points paid ahead (gql/core/prepaid.py); none: every read pays the database.
        self.prepaid = prepaid or Prepaid(share=0.0, seconds=0.0)
        # The access last seen per (token's user, X-Company-Id as sent).
        self._guesses: LRU[tuple[str, str | None], Access] = LRU(maxsize=4096)
        self.pg = engine.dialect.name == "postgresql"
        self.timeout_seconds = timeout_seconds
        dialect = engine.dialect
        build = check_and_settings if self.pg else chosen_membership
        # PostgreSQL: a paying read's check also turns synchronous_commit off for the
        # transaction that ends with the payment (a crash may forget the last payments,
        # which only hands points back).
        self._checks = {
            (named, paying): DriverTemplate.compile(
                build(named_company=named, asynchronous_commit=paying)
                if self.pg
                else build(named_company=named),
                dialect,
            )
            for named in (False, True)
            for paying in (False, True)
        }
        self._licenses = DriverTemplate.compile(_LICENSES, dialect)
        # PostgreSQL pays by the tenant the check set: no membership, no payment.
        pay, level = payment_statements(dialect.name, TENANT_PAYS if self.pg else ":company")
        self._pay, self._level = (
            DriverTemplate.compile(pay, dialect),
            DriverTemplate.compile(level, dialect),
        )
        expires = sa_inspect(ModuleLicense).columns["expires_at"].type
        self._read_expiry = expires.result_processor(dialect, None) or (lambda value: value)

    def remember(self, user_id: str | None, company_header: str | None, viewer: Viewer) -> None:
        """The full path resolved `viewer`: the next request's guess."""
        access = Access.of(viewer)
        if user_id is not None and access is not None:
            self._guesses.put((user_id, company_header), access)

    def guess(self, user_id: str, company_header: str | None) -> Access | None:
        return self._guesses.get((user_id, company_header))

    def forget(self, user_id: str, company_header: str | None) -> None:
        self._guesses.pop((user_id, company_header))

    async def run(
        self,
        access: Access,
        *,
        user_id: str,
        wanted_company: str | None,
        statements: Sequence[DriverStatement],
        deadline: float | None = None,
        bill: Bill | None = None,
    ) -> Visit:
        """Each statement's one value, with `bill` paid by the access's company (from
        the points this worker paid ahead, else in the same round trip); no values when
        the database's access is not `access` (nor a payment to report); Throttled when
        the bucket cannot pay (the values dropped unread). They must end by `deadline`
        (time.monotonic(); default: the budget from now). A connection found dead on
        first use is replaced and the request retried once."""
        company = access.company_id
        covered = None if bill is None else self.prepaid.spend(company, bill)
        paying = None if bill is None or covered is not None else self.prepaid.asking(company, bill)
        try:
            visit = await self._run(access, user_id, wanted_company, statements, deadline, paying)
        finally:
            if paying is not None:
                self.prepaid.done_asking(company, paying)
        if covered is not None:
            if visit.answers is None:
                self.prepaid.give_back(company, bill)  # type: ignore[arg-type]
                return visit
            return replace(visit, paid=covered)
        return visit

    async def _run(
        self,
        access: Access,
        user_id: str,
        wanted_company: str | None,
        statements: Sequence[DriverStatement],
        deadline: float | None,
        bill: Bill | None,
    ) -> Visit:
        values: dict[str, Any] = {"user": user_id, "company": access.company_id}
        if wanted_company is not None:
            values["wanted"] = wanted_company
        if deadline is None:
            deadline = time.monotonic() + self.timeout_seconds
        remaining = remaining_seconds(deadline)
        if self.pg:
            values["timeout"] = statement_timeout(remaining)
        reads = [
            self._checks[wanted_company is not None, bill is not None].bind(**values),
            self._licenses.bind(company=access.company_id),
            *statements,
        ]
        payment = self._payment(bill, access.company_id, values.get("timeout"))
        for attempt in (1, 2):
            # Straight from the pool (a checkout reads no more than the socket has).
            pooled = await greenlet_spawn(self.engine.sync_engine.raw_connection)
            driver = pooled.driver_connection
            try:
                if self.pg:
                    found = await self._pipelined(driver, access, payment, reads)
                else:
                    set_connection_deadline(pooled, deadline)
                    found = await self._one_by_one(driver, access, payment, reads)
            except asyncio.CancelledError:
                await greenlet_spawn(pooled.invalidate)  # stopped mid-exchange: state unknown
                raise
            except Exception as exc:
                lost = self.pg and bool(driver.closed or driver.broken)
                await greenlet_spawn(pooled.invalidate if lost else pooled.close)
                if attempt == 1 and lost and isinstance(exc, psycopg.OperationalError):
                    log.warning("a pooled connection was lost; retrying once: %r", exc)
                    continue
                raise
            await greenlet_spawn(pooled.close)
            observed(self.engine, found.sent)
            if found.access != access:
                return Visit(None, None)  # the full path resolves the viewer, and bills it
            paid = None
            if bill is not None:
                bill.outcome(found.level, found.current)  # Throttled when it could not pay
                paid = self.prepaid.settle(access.company_id, bill, found.level, found.taken)
            return Visit([row[0] if row else None for row in found.rows[2:]], paid)
        raise AssertionError("unreachable")  # pragma: no cover

    def _payment(self, bill: Bill | None, company_id: str, timeout: str | None) -> _Payment | None:
        """The statement paying `bill` (PostgreSQL: last in the read's transaction, by
        the tenant its check set), and those reading the level when it cannot (then
        in a transaction of their own, which sets the tenant for row-level security)."""
        if bill is None:
            return None
        params = bill.params(company_id)
        pay, level = self._pay.bind(**params), self._level.bind(**params)
        if not self.pg:
            return _Payment([pay], [level])
        settings = DriverStatement(_PAYMENT_SETTINGS, (company_id, timeout))
        return _Payment([pay], [settings, level])

    def _access_of(self, rows: list[Any]) -> Access | None:
        if len(rows) < 2:
            return None
        check = rows[0]
        if not check or check[0] is None:
            return None
        now = datetime.now(UTC)
        licenses = {
            alias: LicenseState(bool(enabled), self._read_expiry(expires))
            for alias, enabled, expires in rows[1]
        }
        return Access(check[0], check[1], active_modules(licenses, now))

    async def _pipelined(
        self, driver: Any, access: Access, payment: _Payment | None, reads: list[DriverStatement]
    ) -> _Found:
        """PostgreSQL: the check, licenses, statements and payment in one implicit
        transaction, one round trip. The payment comes last, so the bucket's row is
        locked only from the payment to the Sync's commit right after it, never across
        the read. Only a refused payment costs a second round trip."""
        paying = payment.statements if payment else []
        [sent] = await pipelined(driver, [[*reads, *paying]])
        reading, paid = sent[: len(reads)], sent[len(reads) :]
        rows = [
            await reading[0].fetchone(),
            await reading[1].fetchall(),
            *[await c.fetchone() for c in reading[2:]],
        ]
        found = _Found(self._access_of(rows), rows, [*reads, *paying])
        if payment is None or found.access != access:
            return found
        level = await paid[-1].fetchone()
        if level is not None:
            return replace(found, level=level[0], taken=level[1])
        [[_, read]] = await pipelined(driver, [payment.level])
        current = await read.fetchone()
        sent_too = [*found.sent, *payment.level]
        return replace(found, current=current[0] if current else None, sent=sent_too)

    async def _one_by_one(
        self, driver: Any, access: Access, payment: _Payment | None, reads: list[DriverStatement]
    ) -> _Found:
        """SQLite: the check and licenses first; the payment only for the access
        guessed, committed at once; the statements only once it is paid."""
        check, licenses, *compiled = reads
        rows: list[Any] = [await sqlite_rows(driver, check, one=True)]
        if not rows[0] or rows[0][0] != access.company_id:
            return _Found(None, rows, [check])  # nothing of the company's is read
        rows.append(await sqlite_rows(driver, licenses, one=False))
        found = _Found(self._access_of(rows), rows, [check, licenses])
        if found.access != access:
            return found
        if payment is not None:
            (pay,), (read,) = payment.statements, payment.level
            level = await sqlite_rows(driver, pay, one=True)
            await driver.commit()
            found = replace(found, sent=[*found.sent, pay])
            if level is None:  # refused: the level it has, and nothing read
                current = await sqlite_rows(driver, read, one=True)
                sent = [*found.sent, read]
                return replace(found, current=current[0] if current else None, sent=sent)
            found = replace(found, level=level[0], taken=level[1])
        for statement in compiled:
            rows.append(await sqlite_rows(driver, statement, one=True))
        return replace(found, sent=[*found.sent, *compiled])
