"""Platform tables: users, companies, memberships (with a role) and module licenses."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from gql.core.versions import Versioned
from gql.db.columns import Entity, TenantOwned, UTCDateTime


class Role(str, Enum):
    OWNER = "owner"
    ADMIN = "admin"
    ACCOUNTANT = "accountant"
    STAFF = "staff"
    VIEWER = "viewer"


class User(Entity, table=True):
    name: str = Field(max_length=200)
    # Stored lower-cased: emails are unique case-insensitively.
    email: str = Field(max_length=320, unique=True, index=True)
    password_hash: str = Field(max_length=200)
    enabled: bool = True


class Company(Versioned, Entity, table=True):
    name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=320)
    base_currency: str = Field(default="USD", max_length=3)
    country: str | None = Field(default=None, max_length=2)
    enabled: bool = True
    # Inventory: whether stock may go below zero (sales of stock not yet booked in).
    allow_negative_stock: bool = False


class Membership(Entity, table=True):
    __table_args__ = (UniqueConstraint("user_id", "company_id"),)

    user_id: str = Field(foreign_key="user.id", index=True, max_length=24)
    company_id: str = Field(foreign_key="company.id", index=True, max_length=24)
    role: str = Field(default=Role.OWNER.value, max_length=20)
    is_default: bool = False


class ModuleLicense(Versioned, TenantOwned, table=True):
    __tablename__ = "module_license"
    __table_args__ = (UniqueConstraint("company_id", "alias"),)

    alias: str = Field(max_length=40)
    enabled: bool = True
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
