"""Who is asking, and for which company: the viewer of a request.

Both dialects resolve it the same way: the bearer token names the user, the
`X-Company-Id` header names the tenant (default: the user's default company), and
the tenant must be one of the user's memberships. A company the user does not
belong to and one that does not exist get the same answer.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple, Protocol

from sqlalchemy import event, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from gql.core.ids import decode_id
from gql.db.engine import PLATFORM_ONLY
from gql.db.tenant import TENANT_KEY, set_actor, set_tenant
from gql.domains.companies.models import Company, Membership, ModuleLicense, Role, User
from gql.domains.companies.modules import MODULES, ModuleAlias

NO_ACCESS = "You do not have access to this company"

log = logging.getLogger("ledgergraph.db")


@dataclass
class Viewer:
    user: User | None = None
    company: Company | None = None
    role: Role | None = None
    enabled_modules: frozenset[str] = field(default_factory=frozenset)
    auth_error: str | None = "authentication required"
    access_error: str | None = None

    @property
    def company_id(self) -> str | None:
        return self.company.id if self.company else None


# Which membership a request without `X-Company-Id` is for: the default, then the oldest.
DEFAULT_COMPANY_FIRST = (Membership.is_default.desc(), Membership.created_at)


class LicenseLike(Protocol):
    @property
    def enabled(self) -> bool: ...
    @property
    def expires_at(self) -> datetime | None: ...


class LicenseState(NamedTuple):
    """A module license as read without the ORM (gql/compiler/direct.py)."""

    enabled: bool
    expires_at: datetime | None


def license_is_active(license: LicenseLike | None, alias: str, now: datetime) -> bool:
    if license is None:
        return MODULES[ModuleAlias(alias)].default_enabled
    if not license.enabled:
        return False
    return license.expires_at is None or license.expires_at > now


def active_modules(licenses: Mapping[str, LicenseLike], now: datetime) -> frozenset[str]:
    """Aliases of the modules usable at `now`, given a company's licenses by alias."""
    return frozenset(
        alias.value for alias in MODULES if license_is_active(licenses.get(alias), alias, now)
    )


# session.info: (tenant, its enabled modules) as read in the open transaction, so a
# write that asks again (issuing a document: is inventory on?) does not read them twice.
_MODULES_KEY = "ledgergraph.enabled_modules"


async def enabled_modules(session: AsyncSession) -> frozenset[str]:
    """Aliases of the modules the session's tenant may use right now (read once per
    transaction)."""
    info = session.sync_session.info
    tenant = info.get(TENANT_KEY)
    known = info.get(_MODULES_KEY)
    if known is not None and known[0] == tenant:
        return known[1]  # type: ignore[no-any-return]
    licenses = {lic.alias: lic for lic in (await session.scalars(select(ModuleLicense))).all()}
    modules = active_modules(licenses, datetime.now(UTC))
    info[_MODULES_KEY] = (tenant, modules)
    return modules


def modules_known(session: AsyncSession, modules: frozenset[str]) -> None:
    """The session's tenant's modules as read in the open transaction by other means
    (gql/auth/first_visit.py): `enabled_modules` does not read them again."""
    info = session.sync_session.info
    info[_MODULES_KEY] = (info.get(TENANT_KEY), modules)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_modules(session: Session) -> None:
    session.info.pop(_MODULES_KEY, None)


@event.listens_for(Session, "after_flush")
def _forget_changed_modules(session: Session, _context: Any) -> None:
    """A license written in this transaction: the modules are read afresh."""
    if any(isinstance(row, ModuleLicense) for row in (*session.new, *session.dirty)):
        session.info.pop(_MODULES_KEY, None)


def wanted_company(company_header: str | None) -> str | None:
    """The company `X-Company-Id` names (its object id or its GraphQL global id; "-",
    which no company has, for anything else), or None without the header."""
    if not company_header:
        return None
    return decode_id(company_header.strip(), "Company") or "-"


async def _first_statement(session: AsyncSession, statement: Any) -> Sequence[Any]:
    """A request's first statement. A pooled connection that turns out dead here (the
    server restarted, or closed it after the pool's check) is replaced and the
    statement retried once, so the client never sees it: nothing has been done yet."""
    try:
        return (await session.execute(statement)).all()
    except DBAPIError as exc:
        if not exc.connection_invalidated:
            raise
        log.warning("a pooled connection was lost; retrying once: %r", exc.orig)
        await session.rollback()
        return (await session.execute(statement)).all()


async def resolve_viewer(
    session: AsyncSession,
    *,
    user_id: str | None,
    auth_error: str | None,
    company_header: str | None,
) -> Viewer:
    """Resolve the viewer and scope `session` to their tenant (or to none)."""
    set_tenant(session, None)
    set_actor(session, None)
    if user_id is None:
        return Viewer(auth_error=auth_error or "authentication required")
    # The user and their companies in one statement (a user without any: one row).
    found = await _first_statement(
        session,
        select(User, Membership, Company)
        .outerjoin(Membership, Membership.user_id == User.id)
        .outerjoin(Company, (Company.id == Membership.company_id) & Company.enabled.is_(True))
        .where(User.id == user_id)
        .order_by(*DEFAULT_COMPANY_FIRST)
        # Platform tables only: the transaction's settings (tenant, statement_timeout)
        # wait for the licenses below, when the tenant is known.
        .execution_options(**PLATFORM_ONLY),
    )
    user = found[0][0] if found else None
    if user is None or not user.enabled:
        return Viewer(auth_error="token is invalid")
    rows = [(m, c) for _, m, c in found if m is not None and c is not None]
    wanted = wanted_company(company_header)
    chosen = next(((m, c) for m, c in rows if wanted is None or c.id == wanted), None)
    if chosen is None:
        message = NO_ACCESS if wanted else "You do not belong to any company"
        return Viewer(user=user, auth_error=None, access_error=message)
    membership, company = chosen
    # Detached: a rolled-back mutation must not expire the viewer mid-request.
    session.expunge(user)
    session.expunge(company)
    set_tenant(session, company.id)
    set_actor(session, user.id)
    return Viewer(
        user=user,
        company=company,
        role=Role(membership.role),
        enabled_modules=await enabled_modules(session),
        auth_error=None,
    )
