"""Numbors REST: Authentication, Companies and Modules."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from gql.auth.tokens import issue_token
from gql.core.errors import ErrorCode, UserInputError
from gql.core.versions import version_of
from gql.domains.companies import service
from gql.domains.companies.models import Company, Membership, User
from gql.domains.companies.modules import MODULES
from gql.rest.numbors import HttpError, RestContext, endpoint, ok, read_json
from gql.rest.openapi import ApiRoute


def user_json(user: User) -> dict[str, Any]:
    return {"id": user.id, "name": user.name, "email": user.email, "createdAt": user.created_at}


def company_json(company: Company, membership: Membership | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": company.id,
        "name": company.name,
        "email": company.email,
        "currency": company.base_currency,
        "country": company.country,
        "createdAt": company.created_at,
        **version_of(company),
    }
    if membership is not None:
        out["role"] = membership.role
        out["isDefault"] = membership.is_default
    return out


@endpoint(public=True)
async def register(ctx: RestContext) -> Response:
    body = await read_json(ctx.request)
    user, company = await service.register(session=ctx.session, data=body)
    token, expires = issue_token(ctx.settings, user.id)
    data = {
        "user": user_json(user),
        "company": company_json(company),
        "token": token,
        "expiresAt": expires,
    }
    return ok(data, 201)


@endpoint(public=True)
async def login(ctx: RestContext) -> Response:
    body = await read_json(ctx.request)
    try:
        user, token, expires = await service.login(
            session=ctx.session, settings=ctx.settings, data=body
        )
    except UserInputError as exc:
        if any(e.code is ErrorCode.UNAUTHENTICATED for e in exc.errors):
            raise HttpError(401, service.INVALID_CREDENTIALS) from None
        raise
    return ok({"token": token, "expiresAt": expires, "user": user_json(user)})


@endpoint(tenant=False)
async def me(ctx: RestContext) -> Response:
    assert ctx.viewer.user is not None
    data = user_json(ctx.viewer.user)
    data["company"] = company_json(ctx.viewer.company) if ctx.viewer.company else None
    data["role"] = ctx.viewer.role.value if ctx.viewer.role else None
    return ok(data)


@endpoint(tenant=False)
async def companies(ctx: RestContext) -> Response:
    assert ctx.viewer.user is not None
    rows = await service.companies_of(session=ctx.session, user_id=ctx.viewer.user.id)
    return ok([company_json(c, m) for c, m in rows])


@endpoint()
async def modules_enabled(ctx: RestContext) -> Response:
    return ok(sorted(ctx.viewer.enabled_modules))


@endpoint()
async def module_check(ctx: RestContext) -> Response:
    alias = ctx.request.path_params["alias"]
    if alias not in MODULES:
        raise HttpError(404, f"Module '{alias}' not found")
    row = next(m for m in await service.licenses(session=ctx.session) if m["alias"] == alias)
    return ok(
        {
            "alias": alias,
            "enabled": row["enabled"],
            "accessible": row["accessible"],
            "status": row["status"],
            "expiresAt": row["expiresAt"],
        }
    )


@endpoint()
async def module_licenses(ctx: RestContext) -> Response:
    return ok(await service.licenses(session=ctx.session))


routes = [
    ApiRoute(
        "/auth/register",
        register,
        "POST",
        summary="Register a user and their company",
        body=service.RegisterInput,
    ),
    ApiRoute(
        "/auth/login",
        login,
        "POST",
        summary="Log in and receive a JWT",
        body=service.LoginInput,
        status=200,
    ),
    ApiRoute("/auth/me", me, "GET", summary="The current user"),
    ApiRoute(
        "/companies",
        companies,
        "GET",
        summary="The user's companies",
        row=Company,
        listed=False,
        many=True,
    ),
    ApiRoute(
        "/modules/enabled",
        modules_enabled,
        "GET",
        summary="Enabled modules",
        row={"type": "string"},
        listed=False,
        many=True,
    ),
    ApiRoute(
        "/modules/check/{alias}", module_check, "GET", summary="Whether a module is accessible"
    ),
    ApiRoute(
        "/modules/licenses",
        module_licenses,
        "GET",
        summary="Module licenses",
        listed=False,
        many=True,
    ),
]
