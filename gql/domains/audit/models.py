"""The audit trail's one table: who changed which row of the company, how, and when."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Index
from sqlmodel import Field

from gql.db.columns import TenantOwned


class AuditEvent(TenantOwned, table=True):
    """Written only by gql/core/audit.py, in the transaction of the write it records;
    never changed afterwards (on PostgreSQL the app role may not UPDATE or DELETE it)."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_company_entity", "company_id", "entity_id", "created_at"),
        Index("ix_audit_event_company_created", "company_id", "created_at"),
    )

    user_id: str | None = Field(default=None, max_length=24)  # kept if the user goes
    entity: str = Field(max_length=60)  # the GraphQL type name: "Contact"
    entity_id: str = Field(max_length=24)
    action: str = Field(max_length=10)  # created / updated / deleted
    operation: str = Field(max_length=300)  # "contactUpdate", "PUT /api/contacts/…"
    # [{"field": "openingBalance", "old": "10.00", "new": "12.50"}, ...]
    changes: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
