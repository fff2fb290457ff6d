"""Contacts: customers and suppliers, businesses or individuals (Numbors + Forbix fields)."""

from __future__ import annotations

from enum import Enum
from typing import Any

from sqlalchemy import JSON, Index, UniqueConstraint
from sqlmodel import Field

from gql.core.versions import Versioned
from gql.db.columns import TenantOwned


class ContactType(str, Enum):
    CUSTOMER = "customer"
    SUPPLIER = "supplier"
    BOTH = "both"


class EntityType(str, Enum):
    BUSINESS = "BUSINESS"
    INDIVIDUAL = "INDIVIDUAL"


class Salutation(str, Enum):
    MR = "MR"
    MRS = "MRS"
    MS = "MS"
    DR = "DR"


class Contact(Versioned, TenantOwned, table=True):
    __table_args__ = (
        Index("ix_contact_company_name", "company_id", "name"),
        Index("ix_contact_company_type", "company_id", "type"),
        UniqueConstraint("company_id", "acc_code"),
    )

    type: str = Field(default=ContactType.CUSTOMER.value, max_length=20)
    entity_type: str = Field(default=EntityType.BUSINESS.value, max_length=20)
    name: str = Field(max_length=200)  # the display name (Forbix customerDisplayName)
    company_name: str | None = Field(default=None, max_length=200)
    salutation: str | None = Field(default=None, max_length=10)
    first_name: str | None = Field(default=None, max_length=100)
    last_name: str | None = Field(default=None, max_length=100)
    email: str | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=50)
    mobile: str | None = Field(default=None, max_length=50)
    website: str | None = Field(default=None, max_length=300)
    tax_number: str | None = Field(default=None, max_length=50)
    national_id: str | None = Field(default=None, max_length=50)
    economic_id: str | None = Field(default=None, max_length=50)
    currency_code: str | None = Field(default=None, max_length=3)
    reference: str | None = Field(default=None, max_length=100)
    notes: str | None = Field(default=None, max_length=5000)
    billing_address: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    shipping_address: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    contact_persons: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    custom_fields: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    enabled: bool = True
    # Forbix: the customer groups it belongs to (opaque ids), a picture, the job title
    # of one who is an employee, and its number in the company's accounts (accCode),
    # taken from the "contact" number series when it is created.
    crm_group_ids: list[str] = Field(default_factory=list, sa_type=JSON)
    avatar_url: str | None = Field(default=None, max_length=500)
    employee_title: str | None = Field(default=None, max_length=100)
    acc_code: int | None = None
    # The user who created it (Forbix creatorUserId); None for the books' own.
    created_by_id: str | None = Field(default=None, foreign_key="user.id", max_length=24)
