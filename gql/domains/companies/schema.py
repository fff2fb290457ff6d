"""Query and Mutation fields of the platform: viewer, companies, modules, auth."""

from __future__ import annotations

from typing import Any

import strawberry

from gql.auth.permissions import CanManageCompany, InCompany, IsAuthenticated
from gql.auth.tokens import issue_token
from gql.auth.viewer import Viewer
from gql.context import Info
from gql.core.graph import sql_meta
from gql.core.mutations import mutation
from gql.core.reporting import TenantRow
from gql.db.engine import RequestSession
from gql.domains.companies import service
from gql.domains.companies.models import Company
from gql.domains.companies.types import (
    AuthPayload,
    CompanyCreateInput,
    CompanyCreatePayload,
    CompanyNode,
    LoginInput,
    ModuleLicenseType,
    ModuleSetInput,
    ModuleSetPayload,
    RegisterInput,
    UserType,
    ViewerType,
)
from gql.settings import Settings


def _user(user: object) -> UserType:
    return UserType(id=strawberry.ID(user.id), name=user.name, email=user.email)  # type: ignore[attr-defined]


@strawberry.type
class Query:
    @strawberry.field(
        description="The authenticated user and the company this request is for.",
        permission_classes=[IsAuthenticated],
    )
    def viewer(self, info: Info) -> ViewerType:
        v = info.context.viewer
        return ViewerType(
            user=_user(v.user),
            company=v.company,
            role=v.role,
            enabled_modules=sorted(v.enabled_modules),
        )

    @strawberry.field(
        description="The company this request is for.",
        permission_classes=[InCompany],
        metadata=sql_meta(TenantRow(Company)),
    )
    def company(self, info: Info) -> CompanyNode:
        return info.context.viewer.company  # type: ignore[return-value]

    @strawberry.field(
        description="Every module with this company's license state.",
        permission_classes=[InCompany],
    )
    async def modules(self, info: Info) -> list[ModuleLicenseType]:
        rows = await service.licenses(session=info.context.session)
        return [ModuleLicenseType.from_dict(r) for r in rows]


async def _register(
    *, session: RequestSession, settings: Settings, data: dict[str, Any]
) -> dict[str, Any]:
    user, company = await service.register(session=session, data=data)
    token, expires = issue_token(settings, user.id)
    return {"token": token, "expires_at": expires, "user": _user(user), "company": company}


async def _login(
    *, session: RequestSession, settings: Settings, data: dict[str, Any]
) -> dict[str, Any]:
    user, token, expires = await service.login(session=session, settings=settings, data=data)
    return {"token": token, "expires_at": expires, "user": _user(user)}


async def _create_company(
    *, session: RequestSession, viewer: Viewer, data: dict[str, Any]
) -> Company:
    assert viewer.user is not None  # IsAuthenticated
    return await service.create_company(session=session, user_id=viewer.user.id, data=data)


async def _set_module(*, session: RequestSession, data: dict[str, Any]) -> ModuleLicenseType:
    return ModuleLicenseType.from_dict(await service.set_module(session=session, data=data))


@strawberry.type
class Mutation:
    # Anyone may register or log in: that is how a client gets its token.
    register = mutation(
        input=RegisterInput,
        payload=AuthPayload,
        run=_register,
        permission=[],
        description="Create an account and its first company (owned by it).",
    )

    login = mutation(
        input=LoginInput,
        payload=AuthPayload,
        run=_login,
        permission=[],
        description="Exchange an email and password for a bearer token.",
    )

    company_create = mutation(
        input=CompanyCreateInput,
        payload=CompanyCreatePayload,
        field="company",
        run=_create_company,
        permission=[IsAuthenticated],
        description="Create another company, owned by the viewer.",
    )

    module_set = mutation(
        input=ModuleSetInput,
        payload=ModuleSetPayload,
        field="module",
        run=_set_module,
        permission=[CanManageCompany],
        description="Turn a module on or off for this company (owners and admins).",
    )
