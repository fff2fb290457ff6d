"""Query and Mutation fields of the platform: viewer, companies, modules, auth."""

from __future__ import annotations

import strawberry

from gql.auth.permissions import CanManageCompany, InCompany, IsAuthenticated
from gql.auth.tokens import issue_token
from gql.context import Info
from gql.core.inputs import input_to_dict
from gql.core.mutations import run_mutation
from gql.domains.companies import service
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
        description="The company this request is for.", permission_classes=[InCompany]
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


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create an account and its first company (owned by it).")
    async def register(self, info: Info, input: RegisterInput) -> AuthPayload:
        ctx = info.context

        async def action() -> AuthPayload:
            user, company = await service.register(session=ctx.session, data=input_to_dict(input))
            token, expires = issue_token(ctx.settings, user.id)
            return AuthPayload(token=token, expires_at=expires, user=_user(user), company=company)

        return await run_mutation(ctx.session, AuthPayload, action)

    @strawberry.mutation(description="Exchange an email and password for a bearer token.")
    async def login(self, info: Info, input: LoginInput) -> AuthPayload:
        ctx = info.context

        async def action() -> AuthPayload:
            user, token, expires = await service.login(
                session=ctx.session, settings=ctx.settings, data=input_to_dict(input)
            )
            return AuthPayload(token=token, expires_at=expires, user=_user(user))

        return await run_mutation(ctx.session, AuthPayload, action)

    @strawberry.mutation(
        description="Create another company, owned by the viewer.",
        permission_classes=[IsAuthenticated],
    )
    async def company_create(self, info: Info, input: CompanyCreateInput) -> CompanyCreatePayload:
        ctx = info.context
        assert ctx.viewer.user is not None
        user_id = ctx.viewer.user.id

        async def action() -> CompanyCreatePayload:
            company = await service.create_company(
                session=ctx.session, user_id=user_id, data=input_to_dict(input)
            )
            return CompanyCreatePayload(company=company)

        return await run_mutation(ctx.session, CompanyCreatePayload, action)

    @strawberry.mutation(
        description="Turn a module on or off for this company (owners and admins).",
        permission_classes=[CanManageCompany],
    )
    async def module_set(self, info: Info, input: ModuleSetInput) -> ModuleSetPayload:
        ctx = info.context

        async def action() -> ModuleSetPayload:
            row = await service.set_module(session=ctx.session, data=input_to_dict(input))
            return ModuleSetPayload(module=ModuleLicenseType.from_dict(row))

        return await run_mutation(ctx.session, ModuleSetPayload, action)
