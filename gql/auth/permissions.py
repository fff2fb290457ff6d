"""Field permissions, declared with `permission_classes=[...]` on fields.

Each raises a GraphQL error with the code clients switch on, so the reason
(expired token, module off, read-only role) reaches the client verbatim.
"""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission

from gql.core.errors import ForbiddenError, UnauthenticatedError
from gql.domains.companies.modules import MODULES


def _viewer(info: Any) -> Any:
    return info.context.viewer


class IsAuthenticated(BasePermission):
    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        viewer = _viewer(info)
        if viewer.user is None:
            raise UnauthenticatedError(_auth_message(viewer.auth_error))
        return True


class InCompany(BasePermission):
    """Authenticated, and a member of the request's company."""

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        IsAuthenticated().has_permission(source, info)
        viewer = _viewer(info)
        if viewer.company is None:
            raise ForbiddenError(viewer.access_error or "You do not have access to this company")
        return True


class CanWrite(BasePermission):
    """A role that may change the books (every role but viewer)."""

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        InCompany().has_permission(source, info)
        role = _viewer(info).role
        if role is None or not role.can_write:
            raise ForbiddenError(
                f"Your role ({role.value if role else 'none'}) cannot make changes"
            )
        return True


class CanManageCompany(BasePermission):
    """Owners and admins: company settings and module licenses."""

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        InCompany().has_permission(source, info)
        role = _viewer(info).role
        if role is None or not role.can_manage_company:
            raise ForbiddenError("Only the company's owner or an admin can do this")
        return True


def module_disabled_message(alias: str) -> str:
    return f"The {MODULES[alias].name} module ({alias}) is not enabled for this company"


_module_permissions: dict[str, type[BasePermission]] = {}


def ModuleEnabled(alias: str) -> type[BasePermission]:
    """The permission class for one module (one class per alias, built once)."""
    if alias not in MODULES:
        raise KeyError(f"unknown module {alias!r}")
    if alias in _module_permissions:
        return _module_permissions[alias]

    def has_permission(self: BasePermission, source: Any, info: Any, **kwargs: Any) -> bool:
        InCompany().has_permission(source, info)
        if alias not in _viewer(info).enabled_modules:
            raise ForbiddenError(module_disabled_message(alias))
        return True

    cls = type(
        f"Module{alias.capitalize()}Enabled", (BasePermission,), {"has_permission": has_permission}
    )
    _module_permissions[alias] = cls
    return cls


def _auth_message(reason: str | None) -> str:
    if not reason or reason == "authentication required":
        return "Authentication required"
    return f"Authentication required: {reason}"


# Shorthands for the common field declarations.
READ: list[type[BasePermission]] = [InCompany]
WRITE: list[type[BasePermission]] = [CanWrite]


def module_read(alias: str) -> list[type[BasePermission]]:
    return [InCompany, ModuleEnabled(alias)]


def module_write(alias: str) -> list[type[BasePermission]]:
    return [CanWrite, ModuleEnabled(alias)]
