"""The one gate for access: `authorize(viewer, need)`.

Every place that decides whether a request may do something asks it: the GraphQL
permission classes (gql/auth/permissions.py), the REST endpoint wrapper
(gql/rest/numbors.py), the compiler's planner, `node(id:)` and the edges into a
module's types. A need is: authenticated, a member of the request's company, a role
at least so high, a module switched on, each optional.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from gql.domains.companies.models import Role
from gql.domains.companies.modules import MODULES, ModuleAlias

if TYPE_CHECKING:
    from gql.auth.viewer import Viewer


class Level(int, Enum):
    """What a role may do, lowest first: a need names the least it requires."""

    READ = 0
    WRITE = 1
    MANAGE = 2


ROLE_LEVEL = {
    Role.VIEWER: Level.READ,
    Role.STAFF: Level.WRITE,
    Role.ACCOUNTANT: Level.WRITE,
    Role.ADMIN: Level.MANAGE,
    Role.OWNER: Level.MANAGE,
}


@dataclass(frozen=True)
class Need:
    tenant: bool = True  # a member of the request's company (else: only authenticated)
    level: Level = Level.READ
    module: ModuleAlias | None = None

    def __post_init__(self) -> None:
        if self.module is not None:  # an unknown alias fails here, at declaration
            object.__setattr__(self, "module", ModuleAlias(self.module))


AUTHENTICATED = Need(tenant=False)
MEMBER = Need()
WRITER = Need(level=Level.WRITE)
MANAGER = Need(level=Level.MANAGE)


class AccessDenied(Exception):
    """Why a need is not met; `authenticated` False means: who are you (401)."""

    def __init__(self, message: str, *, authenticated: bool = True) -> None:
        super().__init__(message)
        self.message = message
        self.authenticated = authenticated


def authorize(viewer: Viewer, need: Need) -> None:
    """Return if `viewer` meets `need`, else raise AccessDenied saying why."""
    if viewer.user is None:
        raise AccessDenied(_auth_message(viewer.auth_error), authenticated=False)
    if not need.tenant:
        return
    if viewer.company is None:
        raise AccessDenied(viewer.access_error or "You do not have access to this company")
    if need.module is not None and need.module.value not in viewer.enabled_modules:
        raise AccessDenied(module_disabled_message(need.module))
    role = viewer.role
    if need.level > (ROLE_LEVEL[role] if role else -1):
        if need.level is Level.MANAGE:
            raise AccessDenied("Only the company's owner or an admin can do this")
        raise AccessDenied(f"Your role ({role.value if role else 'none'}) cannot make changes")


def allows(viewer: Viewer, need: Need) -> bool:
    try:
        authorize(viewer, need)
    except AccessDenied:
        return False
    return True


def module_disabled_message(alias: ModuleAlias | str) -> str:
    module = MODULES[ModuleAlias(alias)]
    return f"The {module.name} module ({module.alias.value}) is not enabled for this company"


def _auth_message(reason: str | None) -> str:
    if not reason or reason == "authentication required":
        return "Authentication required"
    return f"Authentication required: {reason}"
