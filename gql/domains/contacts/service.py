"""Contacts: the rules for creating, changing, deleting and listing them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from pydantic import EmailStr, Field, StringConstraints, field_validator
from sqlalchemy import ColumnElement, String, cast, exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from gql.auth.viewer import Viewer
from gql.compiler.sqlenv import SqlEnv
from gql.core.errors import ErrorCode, UserInputError
from gql.core.inputs import InputModel, require_not_null, require_row, validate
from gql.core.ranges import between
from gql.core.search import contains, contains_any
from gql.domains.bankfeeds.models import BankFeedTransaction, BankRule
from gql.domains.banking.models import Transaction
from gql.domains.catalogue.models import Currency
from gql.domains.contacts.models import Contact, ContactType, EntityType, Salutation
from gql.domains.contracts.models import Contract, Proposal
from gql.domains.crm.models import Activity, Deal, Lead
from gql.domains.documents.models import Document
from gql.domains.documents.service import take_in_series
from gql.domains.events.outbox import emit
from gql.domains.helpdesk.models import Ticket
from gql.domains.ledger.models import VoucherLine
from gql.domains.payroll.computed import IS_EMPLOYEE
from gql.domains.payroll.models import Employee
from gql.domains.pos.models import LoyaltyMember, PosOrder
from gql.domains.projects.models import Project
from gql.tenancy import mapped_table

Text = Field(default=None, max_length=200)
GroupId = Annotated[str, StringConstraints(min_length=1, max_length=100, strip_whitespace=True)]
ShortText = Field(default=None, max_length=50)


class AddressIn(InputModel):
    street1: str | None = Text
    street2: str | None = Text
    city: str | None = Field(default=None, max_length=100)
    state: str | None = Field(default=None, max_length=100)
    zip_code: str | None = Field(default=None, max_length=20)
    country_region: str | None = Field(default=None, max_length=100)
    phone: str | None = ShortText


class ContactPersonIn(InputModel):
    salutation: str | None = Field(default=None, max_length=20)
    first_name: str | None = Field(default=None, max_length=100)
    last_name: str | None = Field(default=None, max_length=100)
    email: EmailStr | None = None
    work_phone: str | None = ShortText
    mobile: str | None = ShortText
    designation: str | None = Field(default=None, max_length=100)
    department: str | None = Field(default=None, max_length=100)


class CustomFieldIn(InputModel):
    field_id: str | None = Field(default=None, max_length=100)
    name: str = Field(min_length=1, max_length=100)
    type: str = Field(default="TEXT", max_length=20)
    value: str | None = Field(default=None, max_length=2000)


class ContactFields(InputModel):
    type: ContactType | None = None
    entity_type: EntityType | None = None
    company_name: str | None = Text
    salutation: Salutation | None = None
    first_name: str | None = Field(default=None, max_length=100)
    last_name: str | None = Field(default=None, max_length=100)
    email: EmailStr | None = None
    phone: str | None = ShortText
    mobile: str | None = ShortText
    website: str | None = Field(default=None, max_length=300)
    tax_number: str | None = ShortText
    national_id: str | None = ShortText
    economic_id: str | None = ShortText
    currency_code: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    reference: str | None = Field(default=None, max_length=100)
    notes: str | None = Field(default=None, max_length=5000)
    billing_address: AddressIn | None = None
    shipping_address: AddressIn | None = None
    contact_persons: list[ContactPersonIn] | None = Field(default=None, max_length=50)
    custom_fields: list[CustomFieldIn] | None = Field(default=None, max_length=100)
    enabled: bool | None = None
    crm_group_ids: list[GroupId] | None = Field(default=None, max_length=50)
    avatar_url: str | None = Field(default=None, max_length=500)
    employee_title: str | None = Field(default=None, max_length=100)

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str | None) -> str | None:
        return value.lower() if value else value


class ContactCreate(ContactFields):
    name: str = Field(min_length=1, max_length=200)


class ContactUpdate(ContactFields):
    name: str | None = Field(default=None, min_length=1, max_length=200)


@dataclass(frozen=True)
class ContactFilter:
    type: str | None = None
    entity_type: str | None = None
    enabled: bool | None = None
    search: str | None = None
    # The Forbix customer list's filters.
    full_name: str | None = None
    email: str | None = None
    phone: str | None = None
    mobile: str | None = None
    crm_group_id: str | None = None
    is_employee: bool | None = None
    acc_code: int | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        out: list[ColumnElement[bool]] = []
        if self.type is not None:
            # A "both" contact is a customer and a supplier at once, so it matches either.
            types = {self.type, ContactType.BOTH.value}
            out.append(Contact.type.in_(sorted(types)))  # type: ignore[attr-defined]
        if self.entity_type is not None:
            out.append(Contact.entity_type == self.entity_type)  # type: ignore[arg-type]
        if self.enabled is not None:
            out.append(Contact.enabled.is_(self.enabled))  # type: ignore[attr-defined]
        if self.search:
            columns = (Contact.name, Contact.email, Contact.company_name)
            out.append(contains_any(self.search, *columns))
        if self.full_name:
            names = (Contact.name, Contact.first_name, Contact.last_name, Contact.company_name)
            out.append(contains_any(self.full_name, *names))
        for column, text in (
            (Contact.email, self.email),
            (Contact.phone, self.phone),
            (Contact.mobile, self.mobile),
        ):
            if text:
                out.append(contains(column, text))
        if self.crm_group_id:
            # The ids are stored as a JSON list: one of them is the quoted id in its text.
            groups = cast(col(Contact.crm_group_ids), String)
            out.append(contains(groups, json.dumps(self.crm_group_id)))
        if self.is_employee is not None:
            employee = IS_EMPLOYEE.sql(mapped_table(Contact), env)
            out.append(employee if self.is_employee else ~employee)
        if self.acc_code is not None:
            out.append(col(Contact.acc_code) == self.acc_code)
        out.extend(between(col(Contact.created_at), self.created_from, self.created_to))
        return out


# A contact's accCode comes from this number series (1, 2, ... per company).
ACC_CODE_SERIES = "contact"

ORDER_COLUMNS = {
    "name": Contact.name,
    "created_at": Contact.created_at,
    "updated_at": Contact.updated_at,
}


async def get_contact(*, session: AsyncSession, id: str) -> Contact:
    return await require_row(session, Contact, id, path=("id",), what="Contact")


async def _check_currency(session: AsyncSession, code: str | None) -> None:
    if code is None:
        return
    found = await session.scalar(select(Currency.id).where(Currency.code == code))
    if found is None:
        raise UserInputError.single("currencyCode", "Currency not found", ErrorCode.NOT_FOUND)


def _apply(contact: Contact, values: dict[str, Any]) -> None:
    for key, value in values.items():
        setattr(contact, key, value)


async def create_contact(
    *, session: AsyncSession, data: dict[str, Any], viewer: Viewer | None = None
) -> Contact:
    """A contact; `viewer` the user making it (its creator), if any."""
    payload = validate(ContactCreate, data)
    await _check_currency(session, payload.currency_code)
    values = payload.model_dump(exclude_none=True)
    acc_code, _ = await take_in_series(session, ACC_CODE_SERIES, "")
    creator = viewer.user.id if viewer is not None and viewer.user is not None else None
    contact = Contact(**values, acc_code=acc_code, created_by_id=creator)
    session.add(contact)
    await session.flush()
    await emit(session, type="contact.created", row=contact, payload={"name": contact.name})
    return contact


async def update_contact(*, session: AsyncSession, id: str, data: dict[str, Any]) -> Contact:
    contact = await get_contact(session=session, id=id)
    payload = validate(ContactUpdate, data)
    values = payload.model_dump(exclude_unset=True)
    require_not_null(ContactUpdate, values, "name", "type", "entity_type", "enabled")
    for listed in ("contact_persons", "custom_fields", "crm_group_ids"):
        if listed in values and values[listed] is None:
            values[listed] = []
    await _check_currency(session, values.get("currency_code"))
    _apply(contact, values)
    await session.flush()
    await emit(session, type="contact.updated", row=contact, payload={"name": contact.name})
    return contact


async def delete_contact(*, session: AsyncSession, id: str) -> Contact:
    contact = await get_contact(session=session, id=id)
    # Every kind of row that names a contact, asked in one statement.
    uses = {
        "documents": Document.contact_id,
        "transactions": Transaction.contact_id,
        "journal entries": VoucherLine.contact_id,
        "contracts": Contract.contact_id,
        "proposals": Proposal.contact_id,
        "leads": Lead.contact_id,
        "deals": Deal.contact_id,
        "activities": Activity.contact_id,
        "tickets": Ticket.contact_id,
        "projects": Project.customer_id,
        "an employee": Employee.contact_id,
        "bank rules": BankRule.contact_id,
        "bank feed lines": BankFeedTransaction.contact_id,
        # Point of sale
        "point-of-sale orders": PosOrder.contact_id,
        "loyalty points": LoyaltyMember.contact_id,
    }
    found = (
        await session.execute(
            select(*(exists().where(column == contact.id) for column in uses.values()))
        )
    ).one()
    for what, used in zip(uses, found, strict=True):
        if used:
            raise UserInputError.single(
                "id", f"Contact has {what}; disable it instead of deleting it", ErrorCode.IN_USE
            )
    await session.delete(contact)
    await session.flush()
    return contact
