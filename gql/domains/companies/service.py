"""Accounts, companies and module licenses: registration, login and licensing rules."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from pydantic import EmailStr, Field, field_validator
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from gql.auth.passwords import hash_password, verify_password
from gql.auth.tokens import issue_token
from gql.auth.viewer import license_is_active
from gql.core.errors import ErrorCode, UserInputError
from gql.core.inputs import InputModel, validate
from gql.db.tenant import get_tenant, set_tenant
from gql.domains.catalogue.models import Category, CategoryType, Currency, Tax
from gql.domains.companies.models import Company, Membership, ModuleLicense, Role, User
from gql.domains.companies.modules import MODULES
from gql.domains.documents.service import number_series_for_new_company
from gql.domains.ledger.service import chart_rows, default_year_for
from gql.settings import Settings

INVALID_CREDENTIALS = "Invalid email or password"


class RegisterInput(InputModel):
    name: str = Field(min_length=1, max_length=200)
    email: EmailStr
    password: str = Field(min_length=8, max_length=200)
    company_name: str | None = Field(default=None, min_length=1, max_length=200)
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.lower()


class LoginInput(InputModel):
    email: str = Field(min_length=1, max_length=320)
    password: str = Field(min_length=1, max_length=200)


class CompanyCreateInput(InputModel):
    name: str = Field(min_length=1, max_length=200)
    email: EmailStr | None = None
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")


class ModuleSetInput(InputModel):
    alias: str
    enabled: bool
    expires_at: datetime | None = None

    @field_validator("alias")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in MODULES:
            raise ValueError(f"unknown module; one of: {', '.join(m.value for m in MODULES)}")
        return value


async def register(*, session: AsyncSession, data: dict) -> tuple[User, Company]:
    """A new user with their first company, which they own, set up with its defaults."""
    payload = validate(RegisterInput, data)
    taken = await session.scalar(select(User.id).where(func.lower(User.email) == payload.email))
    if taken:
        raise UserInputError.single("email", "is already registered", ErrorCode.TAKEN)
    user = User(
        name=payload.name, email=payload.email, password_hash=hash_password(payload.password)
    )
    session.add(user)
    try:
        await session.flush()
    except IntegrityError:  # a concurrent registration with the same email won
        raise UserInputError.single("email", "is already registered", ErrorCode.TAKEN) from None
    company = await _create_company(
        session=session,
        user=user,
        name=payload.company_name or f"{payload.name}'s company",
        currency=payload.currency,
        is_default=True,
    )
    return user, company


async def create_company(*, session: AsyncSession, user_id: str, data: dict) -> Company:
    payload = validate(CompanyCreateInput, data)
    user = await session.scalar(select(User).where(User.id == user_id))
    assert user is not None
    return await _create_company(
        session=session,
        user=user,
        name=payload.name,
        currency=payload.currency,
        email=payload.email,
        country=payload.country,
        is_default=False,
    )


async def _create_company(
    *,
    session: AsyncSession,
    user: User,
    name: str,
    currency: str,
    is_default: bool,
    email: str | None = None,
    country: str | None = None,
) -> Company:
    company = Company(name=name, base_currency=currency, email=email, country=country)
    session.add(company)
    await session.flush()
    session.add(
        Membership(
            user_id=user.id, company_id=company.id, role=Role.OWNER.value, is_default=is_default
        )
    )
    previous = get_tenant(session)
    set_tenant(session, company.id)
    try:
        _add_company_defaults(session, currency)
        await session.flush()
    finally:
        set_tenant(session, previous)
    return company


def _add_company_defaults(session: AsyncSession, currency: str) -> None:
    """Base currency, a standard tax, default income and expense categories, a license
    row for every module, a number series for every document kind, the standard chart
    of accounts and a financial year."""
    session.add(Currency(code=currency, name=currency, rate=Decimal("1.00000000")))
    session.add(Tax(name="Standard rate", rate=Decimal("20.0000")))
    session.add(Category(name="Sales", type=CategoryType.INCOME.value))
    session.add(Category(name="General expenses", type=CategoryType.EXPENSE.value))
    for alias, module in MODULES.items():
        session.add(ModuleLicense(alias=alias.value, enabled=module.default_enabled))
    session.add_all(number_series_for_new_company())
    session.add_all(chart_rows())
    session.add(default_year_for(date.today()))


async def login(
    *, session: AsyncSession, settings: Settings, data: dict
) -> tuple[User, str, datetime]:
    """A token for valid credentials; one message for every failure, so it never says
    whether the email exists."""
    payload = validate(LoginInput, data)
    user = await session.scalar(select(User).where(func.lower(User.email) == payload.email.lower()))
    ok = verify_password(user.password_hash if user else None, payload.password)
    if user is None or not ok or not user.enabled:
        raise UserInputError.single("email", INVALID_CREDENTIALS, ErrorCode.UNAUTHENTICATED)
    token, expires = issue_token(settings, user.id)
    return user, token, expires


async def companies_of(*, session: AsyncSession, user_id: str) -> list[tuple[Company, Membership]]:
    rows = await session.execute(
        select(Company, Membership)
        .join(Membership, Membership.company_id == Company.id)
        .where(Membership.user_id == user_id, Company.enabled.is_(True))
        .order_by(Membership.is_default.desc(), Company.name, Company.id)
    )
    return [(c, m) for c, m in rows.all()]


async def licenses(*, session: AsyncSession) -> list[dict]:
    """Every module with its license state for the session's tenant."""
    rows = {lic.alias: lic for lic in (await session.scalars(select(ModuleLicense))).all()}
    now = datetime.now(UTC)
    out = []
    for alias, module in MODULES.items():
        lic = rows.get(alias)
        active = license_is_active(lic, alias, now)
        expired = bool(lic and lic.enabled and lic.expires_at and lic.expires_at <= now)
        out.append(
            {
                "alias": alias,
                "name": module.name,
                "description": module.description,
                "enabled": bool(lic.enabled) if lic else module.default_enabled,
                "expiresAt": lic.expires_at if lic else None,
                "status": "active" if active else ("expired" if expired else "disabled"),
                "accessible": active,
            }
        )
    return out


async def set_module(*, session: AsyncSession, data: dict) -> dict:
    payload = validate(ModuleSetInput, data)
    lic = await session.scalar(select(ModuleLicense).where(ModuleLicense.alias == payload.alias))
    if lic is None:
        lic = ModuleLicense(alias=payload.alias)
        session.add(lic)
    lic.enabled = payload.enabled
    lic.expires_at = payload.expires_at
    await session.flush()
    return next(m for m in await licenses(session=session) if m["alias"] == payload.alias)
