"""CRM tables: pipelines with ordered stages, leads, deals, activities and campaigns."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from sqlalchemy import CheckConstraint, Index
from sqlmodel import Field

from gql.core.versions import Versioned
from gql.db.columns import TenantOwned, UTCDateTime, money_field


class LeadSource(str, Enum):
    WEBSITE = "website"
    REFERRAL = "referral"
    COLD_CALL = "cold_call"
    SOCIAL_MEDIA = "social_media"
    OTHER = "other"


class LeadStatus(str, Enum):
    NEW = "new"
    CONTACTED = "contacted"
    QUALIFIED = "qualified"
    LOST = "lost"
    CONVERTED = "converted"


class DealStatus(str, Enum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


class ActivityType(str, Enum):
    CALL = "call"
    EMAIL = "email"
    MEETING = "meeting"
    TASK = "task"
    NOTE = "note"


class CampaignType(str, Enum):
    EMAIL = "email"
    SMS = "sms"
    SOCIAL = "social"


class CampaignStatus(str, Enum):
    PLANNED = "planned"
    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Pipeline(Versioned, TenantOwned, table=True):
    name: str = Field(max_length=200)


class PipelineStage(Versioned, TenantOwned, table=True):
    """One step of exactly one pipeline; `position` orders a pipeline's stages from 0."""

    __tablename__ = "pipeline_stage"
    __table_args__ = (
        Index("ix_pipeline_stage_company_pipeline", "company_id", "pipeline_id", "position"),
        CheckConstraint("probability >= 0 AND probability <= 100", name="probability"),
    )

    pipeline_id: str = Field(foreign_key="pipeline.id", max_length=24)
    name: str = Field(max_length=200)
    position: int = 0
    probability: int = Field(default=0, description="Win probability, 0-100 (percent).")


class Lead(Versioned, TenantOwned, table=True):
    __table_args__ = (Index("ix_lead_company_status", "company_id", "status"),)

    name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=50)
    company_name: str | None = Field(default=None, max_length=200)
    source: str = Field(default=LeadSource.OTHER.value, max_length=20)
    status: str = Field(default=LeadStatus.NEW.value, max_length=20)
    notes: str | None = Field(default=None, max_length=5000)
    # Set together when the lead is converted (gql/domains/crm/service.py convert_lead).
    contact_id: str | None = Field(default=None, foreign_key="contact.id", max_length=24)
    deal_id: str | None = Field(default=None, foreign_key="deal.id", max_length=24)
    converted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Deal(Versioned, TenantOwned, table=True):
    __table_args__ = (
        Index("ix_deal_company_pipeline", "company_id", "pipeline_id"),
        Index("ix_deal_company_stage", "company_id", "stage_id"),
        Index("ix_deal_company_contact", "company_id", "contact_id"),
    )

    name: str = Field(max_length=200)
    pipeline_id: str = Field(foreign_key="pipeline.id", max_length=24)
    stage_id: str = Field(foreign_key="pipeline_stage.id", max_length=24)
    contact_id: str | None = Field(default=None, foreign_key="contact.id", max_length=24)
    value: Decimal = money_field()
    currency_code: str = Field(max_length=3)
    expected_close_date: date | None = None
    # A member of the company (a user with a membership in it).
    owner_id: str | None = Field(default=None, foreign_key="user.id", max_length=24)
    status: str = Field(default=DealStatus.OPEN.value, max_length=10)
    lost_reason: str | None = Field(default=None, max_length=500)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Activity(Versioned, TenantOwned, table=True):
    __table_args__ = (
        Index("ix_activity_company_scheduled_at", "company_id", "scheduled_at"),
        Index("ix_activity_company_deal", "company_id", "deal_id"),
        Index("ix_activity_company_contact", "company_id", "contact_id"),
    )

    type: str = Field(max_length=10)
    subject: str = Field(max_length=300)
    notes: str | None = Field(default=None, max_length=5000)
    scheduled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    deal_id: str | None = Field(default=None, foreign_key="deal.id", max_length=24)
    contact_id: str | None = Field(default=None, foreign_key="contact.id", max_length=24)
    owner_id: str | None = Field(default=None, foreign_key="user.id", max_length=24)


class Campaign(Versioned, TenantOwned, table=True):
    __table_args__ = (CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates"),)

    name: str = Field(max_length=200)
    type: str = Field(max_length=10)
    status: str = Field(default=CampaignStatus.PLANNED.value, max_length=20)
    start_date: date | None = None
    end_date: date | None = None
    budget: Decimal = money_field()
    currency_code: str = Field(max_length=3)
    notes: str | None = Field(default=None, max_length=5000)
