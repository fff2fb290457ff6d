"""Helpdesk: ticket categories, SLAs (with per-priority targets), tickets with their SLA
clock, ticket replies, and knowledge-base articles."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field

from gql.core.versions import Versioned
from gql.db.columns import TenantOwned, UTCDateTime


class TicketPriority(str, Enum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    URGENT = "urgent"


class TicketStatus(str, Enum):
    OPEN = "open"
    PENDING = "pending"
    RESOLVED = "resolved"
    CLOSED = "closed"


class TicketCategory(Versioned, TenantOwned, table=True):
    __tablename__ = "ticket_category"
    __table_args__ = (UniqueConstraint("company_id", "name"),)

    name: str = Field(max_length=100)
    description: str | None = Field(default=None, max_length=500)


class Sla(Versioned, TenantOwned, table=True):
    """Targets in whole hours; a target of a priority (SlaTarget) overrides them."""

    name: str = Field(max_length=100)
    description: str | None = Field(default=None, max_length=500)
    response_time: int | None = None
    resolution_time: int | None = None


class SlaTarget(TenantOwned, table=True):
    __tablename__ = "sla_target"
    __table_args__ = (UniqueConstraint("sla_id", "priority"),)

    sla_id: str = Field(foreign_key="sla.id", index=True, max_length=24)
    priority: str = Field(max_length=10)
    response_time: int | None = None
    resolution_time: int | None = None


class Ticket(Versioned, TenantOwned, table=True):
    __table_args__ = (
        UniqueConstraint("company_id", "number"),
        Index("ix_ticket_company_status", "company_id", "status"),
    )

    number: int
    subject: str = Field(max_length=200)
    description: str | None = Field(default=None, max_length=10000)
    priority: str = Field(default=TicketPriority.MEDIUM.value, max_length=10)
    status: str = Field(default=TicketStatus.OPEN.value, max_length=10)
    category_id: str | None = Field(
        default=None, foreign_key="ticket_category.id", max_length=24, index=True
    )
    contact_id: str | None = Field(
        default=None, foreign_key="contact.id", max_length=24, index=True
    )
    # A user who is a member of the company (checked when set).
    assignee_id: str | None = Field(default=None, foreign_key="user.id", max_length=24)
    sla_id: str | None = Field(default=None, foreign_key="sla.id", max_length=24, index=True)
    # The SLA clock: the dues are fixed from the SLA when the ticket is opened.
    opened_at: datetime = Field(sa_type=UTCDateTime)
    first_response_due: datetime | None = Field(default=None, sa_type=UTCDateTime)
    resolution_due: datetime | None = Field(default=None, sa_type=UTCDateTime)
    responded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class TicketReply(TenantOwned, table=True):
    __tablename__ = "ticket_reply"

    ticket_id: str = Field(foreign_key="ticket.id", index=True, max_length=24)
    author_id: str = Field(foreign_key="user.id", max_length=24)
    body: str = Field(max_length=10000)
    # An internal note (public=False) never stops the response clock.
    public: bool = True


class Article(Versioned, TenantOwned, table=True):
    __table_args__ = (UniqueConstraint("company_id", "slug"),)

    title: str = Field(max_length=200)
    slug: str = Field(max_length=200)
    body: str = Field(max_length=50000)
    category_id: str | None = Field(
        default=None, foreign_key="ticket_category.id", max_length=24, index=True
    )
    published: bool = False
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
