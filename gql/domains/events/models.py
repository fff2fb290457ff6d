"""Webhook endpoints (a company's receivers) and their deliveries (one row per attempt)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from sqlalchemy import JSON, BigInteger, Index, Integer
from sqlmodel import Field

from gql.db.columns import TenantOwned, UTCDateTime


class DeliveryStatus(str, Enum):
    PENDING = "pending"  # due at next_attempt_at
    SUCCEEDED = "succeeded"  # the receiver answered 2xx
    FAILED = "failed"  # this attempt failed; next_attempt_at: when the retry is due, if any


class WebhookEndpoint(TenantOwned, table=True):
    __tablename__ = "webhook_endpoint"
    __table_args__ = (
        Index("ix_webhook_endpoint_company_created", "company_id", "created_at", "id"),
    )

    url: str = Field(max_length=2000)
    event_types: list[str] = Field(default_factory=list, sa_type=JSON)
    active: bool = True
    # The HMAC key, shown once in webhookCreate's payload; the worker signs with it.
    secret: str = Field(max_length=100)
    consecutive_failures: int = 0
    disabled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class WebhookDelivery(TenantOwned, table=True):
    __tablename__ = "webhook_delivery"
    __table_args__ = (
        Index("ix_webhook_delivery_due", "company_id", "status", "next_attempt_at"),
        Index("ix_webhook_delivery_endpoint", "company_id", "endpoint_id", "created_at", "id"),
    )

    endpoint_id: str = Field(foreign_key="webhook_endpoint.id", max_length=24)
    event_id: int = Field(
        foreign_key="outbox_events.id", sa_type=BigInteger().with_variant(Integer(), "sqlite")
    )
    event_type: str = Field(max_length=40)
    attempt: int = 1
    status: str = Field(default=DeliveryStatus.PENDING.value, max_length=20)
    response_code: int | None = None
    duration_ms: int | None = None
    error: str | None = Field(default=None, max_length=500)
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    attempted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
