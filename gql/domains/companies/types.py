"""GraphQL types of the platform: the viewer, companies, roles and module licenses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from gql.auth.permissions import module_read
from gql.context import Context, Info
from gql.core.graph import sql_meta
from gql.core.mutations import UserError
from gql.core.relay import Node, node_type
from gql.core.reporting import Namespace
from gql.domains.companies import service
from gql.domains.companies.loaders import MemberByUserIdLoader
from gql.domains.companies.models import Company, Role
from gql.domains.ledger.types import Reports

RoleEnum = strawberry.enum(Role, name="Role", description="A member's role in a company.")


async def _load_companies(ctx: Context, ids: list[str]) -> list[Company | None]:
    # Only the request's own company is reachable by id.
    current = ctx.viewer.company
    return [current if current is not None and current.id == pk else None for pk in ids]


@node_type(name="Company", model=Company, load=_load_companies)
class CompanyNode(Node):
    name: str
    email: str | None
    base_currency: str = strawberry.field(description="ISO 4217 code of the books' currency.")
    country: str | None
    created_at: datetime

    @strawberry.field(
        description="Financial reports of the books (module: accounting; null with FORBIDDEN when "
        "it is off).",
        permission_classes=module_read("accounting"),
        metadata=sql_meta(Namespace()),
    )
    def reports(self) -> Reports | None:

        return Reports()


@strawberry.type(name="User", description="A person who can log in.")
class UserType:
    id: strawberry.ID
    name: str
    email: str


async def member_user(info: strawberry.Info, user_id: str | None) -> UserType | None:
    """The member of the request's company with this user id, as a User; null for no
    one, a former member or another company's user."""
    if user_id is None:
        return None
    row = await info.context.loaders.get(MemberByUserIdLoader).load(user_id)
    return (
        None if row is None else UserType(id=strawberry.ID(row.id), name=row.name, email=row.email)
    )


@strawberry.type(name="Membership", description="A company the viewer belongs to, and their role.")
class MembershipType:
    company: CompanyNode
    role: RoleEnum  # type: ignore[valid-type]
    is_default: bool


@strawberry.type(name="ModuleLicense", description="A module and whether this company may use it.")
class ModuleLicenseType:
    alias: str
    name: str
    description: str
    enabled: bool
    expires_at: datetime | None
    status: str = strawberry.field(description="active, disabled or expired.")
    accessible: bool

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModuleLicenseType:
        return cls(
            alias=data["alias"],
            name=data["name"],
            description=data["description"],
            enabled=data["enabled"],
            expires_at=data["expiresAt"],
            status=data["status"],
            accessible=data["accessible"],
        )


@strawberry.type(name="Viewer", description="Who is asking, and for which company.")
class ViewerType:
    user: UserType
    company: CompanyNode | None
    role: RoleEnum | None  # type: ignore[valid-type]
    enabled_modules: list[str]

    @strawberry.field(description="Every company the viewer belongs to.")
    async def memberships(self, info: Info) -> list[MembershipType]:

        rows = await service.companies_of(session=info.context.session, user_id=self.user.id)
        return [
            # The row is the node: CompanyNode's resolvers read the Company table row.
            MembershipType(company=c, role=Role(m.role), is_default=m.is_default)  # type: ignore[arg-type]
            for c, m in rows
        ]


@strawberry.input
class RegisterInput:
    name: str
    email: str
    password: str
    company_name: str | None = strawberry.UNSET
    currency: str | None = strawberry.UNSET


@strawberry.input
class LoginInput:
    email: str
    password: str


@strawberry.input
class CompanyCreateInput:
    name: str
    email: str | None = strawberry.UNSET
    currency: str | None = strawberry.UNSET
    country: str | None = strawberry.UNSET


@strawberry.input
class ModuleSetInput:
    alias: str
    enabled: bool
    expires_at: datetime | None = strawberry.UNSET


@strawberry.type
class AuthPayload:
    token: str | None = None
    expires_at: datetime | None = None
    user: UserType | None = None
    company: CompanyNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CompanyCreatePayload:
    company: CompanyNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ModuleSetPayload:
    module: ModuleLicenseType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
