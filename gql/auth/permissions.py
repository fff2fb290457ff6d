"""Field permissions, declared with `permission_classes=[...]` on fields.

Each is a `Need` (gql/auth/access.py) checked by `authorize`, the one gate every
dialect and the compiler use; a refusal raises the GraphQL error with the code clients
switch on, so the reason (expired token, module off, read-only role) reaches the
client verbatim.
"""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission

from gql.auth.access import (
    AUTHENTICATED,
    MANAGER,
    MEMBER,
    WRITER,
    AccessDenied,
    Level,
    Need,
    authorize,
)
from gql.core.errors import ForbiddenError, UnauthenticatedError
from gql.domains.companies.modules import ModuleAlias


def raise_denied(denied: AccessDenied) -> None:
    if not denied.authenticated:
        raise UnauthenticatedError(denied.message) from None
    raise ForbiddenError(denied.message) from None


def check(viewer: Any, need: Need) -> None:
    """`authorize`, with its refusal as the GraphQL error for it."""
    try:
        authorize(viewer, need)
    except AccessDenied as denied:
        raise_denied(denied)


def require_module(viewer: Any, alias: ModuleAlias | str) -> None:
    """FORBIDDEN while the module is off: for edges into a module's types and for
    inputs that reach into another module (a payment on a document)."""
    check(viewer, Need(module=ModuleAlias(alias)))


class Requires(BasePermission):
    """Base of the permission classes: each subclass names its `need`."""

    need: Need = MEMBER

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        check(info.context.viewer, self.need)
        return True


_classes: dict[Need, type[Requires]] = {}


def requires(need: Need, name: str | None = None) -> type[Requires]:
    """The permission class for `need` (one class per need, built once)."""
    if need not in _classes:
        label = name or "Requires" + "".join(
            part.capitalize()
            for part in (need.level.name, need.module.value if need.module else "")
        )
        _classes[need] = type(label, (Requires,), {"need": need})
    return _classes[need]


IsAuthenticated = requires(AUTHENTICATED, "IsAuthenticated")
InCompany = requires(MEMBER, "InCompany")
CanWrite = requires(WRITER, "CanWrite")
CanManageCompany = requires(MANAGER, "CanManageCompany")

# Shorthands for the common field declarations.
READ: list[type[BasePermission]] = [InCompany]
WRITE: list[type[BasePermission]] = [CanWrite]


def module_read(alias: ModuleAlias | str) -> list[type[BasePermission]]:
    return [requires(Need(module=ModuleAlias(alias)))]


def module_write(alias: ModuleAlias | str) -> list[type[BasePermission]]:
    return [requires(Need(level=Level.WRITE, module=ModuleAlias(alias)))]
