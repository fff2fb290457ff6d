"""Contracts with a contact and the proposals sent before them (module: contracts)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from sqlalchemy import Index
from sqlmodel import Field

from gql.core.versions import Versioned
from gql.db.columns import TenantOwned, UTCDateTime, money_field


class ContractStatus(str, Enum):
    """What a contract is on the day it is read (gql/domains/contracts/computed.py):
    only signing and terminating are stored, the rest follows from the dates."""

    DRAFT = "draft"
    SIGNED = "signed"  # signed, its start date still ahead
    ACTIVE = "active"
    EXPIRED = "expired"
    TERMINATED = "terminated"


class ProposalStatus(str, Enum):
    DRAFT = "draft"
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Contract(Versioned, TenantOwned, table=True):
    __table_args__ = (
        # Contact.contracts pages newest first without sorting the contact's rows.
        Index(
            "ix_contract_company_contact_created", "company_id", "contact_id", "created_at", "id"
        ),
        Index("ix_contract_company_start_date", "company_id", "start_date"),
    )

    title: str = Field(max_length=200)
    description: str | None = Field(default=None, max_length=5000)
    contact_id: str = Field(foreign_key="contact.id", max_length=24)
    start_date: date | None = None
    end_date: date | None = None
    value: Decimal = money_field()
    currency_code: str = Field(max_length=3)
    signed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    terminated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    termination_reason: str | None = Field(default=None, max_length=500)


class Proposal(Versioned, TenantOwned, table=True):
    __table_args__ = (
        Index(
            "ix_proposal_company_contact_created", "company_id", "contact_id", "created_at", "id"
        ),
        Index("ix_proposal_company_status", "company_id", "status"),
    )

    title: str = Field(max_length=200)
    contact_id: str = Field(foreign_key="contact.id", max_length=24)
    # The CRM deal it was written for, if any (a deal of the same contact).
    deal_id: str | None = Field(default=None, foreign_key="deal.id", max_length=24, index=True)
    value: Decimal = money_field()
    currency_code: str = Field(max_length=3)
    status: str = Field(default=ProposalStatus.DRAFT.value, max_length=20)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    accepted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    declined_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The contract accepting it created, if it did.
    contract_id: str | None = Field(
        default=None, foreign_key="contract.id", max_length=24, index=True
    )


class ProposalSection(TenantOwned, table=True):
    """One section of a proposal; `position` orders them from 0."""

    __tablename__ = "proposal_section"
    __table_args__ = (
        Index("ix_proposal_section_proposal", "company_id", "proposal_id", "position"),
    )

    proposal_id: str = Field(foreign_key="proposal.id", max_length=24)
    position: int
    title: str = Field(max_length=200)
    body: str = Field(default="", max_length=20000)
