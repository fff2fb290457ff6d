"""Access, re-checked per event: a subscription lives longer than the request that
opened it, so before an event goes out its users' memberships, roles and the company's
modules are read again, in ONE statement for all of the company's subscribers, and
each subscription is held to its field's needs with what is true now."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlalchemy import null, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from gql.auth.access import AccessDenied, Need, authorize
from gql.auth.viewer import NO_ACCESS, LicenseState, Viewer, active_modules
from gql.domains.companies.models import Company, Membership, ModuleLicense, Role, User


@dataclass(frozen=True)
class CompanyAccess:
    roles: dict[str, Role]  # user id -> role, for the users still members
    modules: frozenset[str]  # the modules on now


async def company_access(
    session: AsyncSession, company_id: str, user_ids: Iterable[str]
) -> CompanyAccess:
    """The roles of those of `user_ids` who are (enabled) members of the (enabled)
    company, and its modules: licences and memberships in one UNION ALL."""
    licenses = select(
        col(ModuleLicense.alias),
        col(ModuleLicense.enabled),
        col(ModuleLicense.expires_at),
        null().label("user_id"),
        null().label("role"),
    ).where(col(ModuleLicense.company_id) == company_id)
    members = (
        select(null(), null(), null(), col(Membership.user_id), col(Membership.role))
        .join(User, (col(User.id) == Membership.user_id) & col(User.enabled).is_(True))
        .join(Company, (col(Company.id) == Membership.company_id) & col(Company.enabled).is_(True))
        .where(
            col(Membership.company_id) == company_id,
            col(Membership.user_id).in_(sorted(user_ids)),
        )
    )
    rows = (await session.execute(licenses.union_all(members))).all()
    now = datetime.now(UTC)
    states = {
        alias: LicenseState(bool(on), expires)
        for alias, on, expires, user, _ in rows
        if user is None
    }
    roles = {str(user): Role(role) for _, _, _, user, role in rows if user is not None}
    return CompanyAccess(roles, active_modules(states, now))


def recheck(viewer: Viewer, access: CompanyAccess, needs: Iterable[Need]) -> Viewer | str:
    """The viewer as `access` has it now (the same object when nothing changed), or
    why it may no longer hold a subscription with these needs."""
    user = viewer.user
    role = access.roles.get(user.id) if user is not None else None
    if role is None:
        return NO_ACCESS
    if role is not viewer.role or access.modules != viewer.enabled_modules:
        viewer = replace(viewer, role=role, enabled_modules=access.modules)
    for need in needs:
        try:
            authorize(viewer, need)
        except AccessDenied as denied:
            return denied.message
    return viewer
