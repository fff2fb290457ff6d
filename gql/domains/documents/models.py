"""Documents (invoices, bills, estimates, credit notes, orders), their lines and numbering."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from sqlalchemy import JSON, Index, UniqueConstraint
from sqlmodel import Field

from gql.core.versions import Versioned
from gql.db.columns import TenantOwned, UTCDateTime, money_field


class DocumentKind(str, Enum):
    INVOICE = "invoice"
    BILL = "bill"
    ESTIMATE = "estimate"
    CREDIT_NOTE = "credit_note"
    SALES_ORDER = "sales_order"
    PURCHASE_ORDER = "purchase_order"


class DocumentStatus(str, Enum):
    DRAFT = "draft"
    SENT = "sent"
    PARTIAL = "partial"
    PAID = "paid"
    ACCEPTED = "accepted"  # estimates
    DECLINED = "declined"  # estimates
    CONVERTED = "converted"  # estimates and orders, once turned into an invoice or bill
    CANCELLED = "cancelled"


NUMBER_PREFIX = {
    DocumentKind.INVOICE: "INV-",
    DocumentKind.BILL: "BILL-",
    DocumentKind.ESTIMATE: "EST-",
    DocumentKind.CREDIT_NOTE: "CN-",
    DocumentKind.SALES_ORDER: "SO-",
    DocumentKind.PURCHASE_ORDER: "PO-",
}


class Document(Versioned, TenantOwned, table=True):
    __table_args__ = (
        UniqueConstraint("company_id", "kind", "number"),
        Index("ix_document_company_kind_status", "company_id", "kind", "status"),
        Index("ix_document_company_issue_date", "company_id", "issue_date"),
        # Contact.documents pages in issue-date order without sorting the contact's rows.
        Index(
            "ix_document_company_contact_issue_date", "company_id", "contact_id", "issue_date", "id"
        ),
    )

    kind: str = Field(max_length=20)
    number: str = Field(max_length=40)
    status: str = Field(default=DocumentStatus.DRAFT.value, max_length=20)
    contact_id: str = Field(foreign_key="contact.id", index=True, max_length=24)
    issue_date: date
    due_date: date | None = None
    currency_code: str = Field(max_length=3)
    currency_rate: Decimal = money_field(Decimal("1"), scale=8)
    discount_rate: Decimal | None = money_field(None, scale=4)
    discount_amount: Decimal | None = money_field(None)
    shipping: Decimal = money_field()
    reference: str | None = Field(default=None, max_length=100)
    notes: str | None = Field(default=None, max_length=5000)
    terms: str | None = Field(default=None, max_length=5000)
    # Totals are computed by the service from the lines whenever they change.
    subtotal: Decimal = money_field()
    discount_total: Decimal = money_field()
    tax_total: Decimal = money_field()
    total: Decimal = money_field()
    amount_paid: Decimal = money_field()
    # Credit notes applied to this invoice; amount due = total - paid - credited.
    amount_credited: Decimal = money_field()
    expiry_date: date | None = None  # estimates: expired after this day
    parent_id: str | None = Field(
        default=None, foreign_key="document.id", max_length=24, index=True
    )
    issued_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    cancelled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Forbix: the payment gateways offered, attached files (URLs), the payment note,
    # whether it came from an estimate, and archived (kept, hidden from everyday lists).
    gateway_ids: list[str] = Field(default_factory=list, sa_type=JSON)
    attachments: list[str] = Field(default_factory=list, sa_type=JSON)
    payment_description: str | None = Field(default=None, max_length=2000)
    was_estimate: bool = False
    archived: bool = False
    # The user who created it (Forbix creator / creatorUserId); None for the books' own.
    created_by_id: str | None = Field(default=None, foreign_key="user.id", max_length=24)


class DocumentLine(TenantOwned, table=True):
    __tablename__ = "document_line"

    document_id: str = Field(foreign_key="document.id", index=True, max_length=24)
    position: int = 0
    item_id: str | None = Field(default=None, foreign_key="item.id", max_length=24, index=True)
    variant_id: str | None = Field(default=None, foreign_key="item_variant.id", max_length=24)
    tax_id: str | None = Field(default=None, foreign_key="tax.id", max_length=24)
    name: str = Field(max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    quantity: Decimal = money_field(Decimal("1"), scale=4)
    unit_price: Decimal = money_field(scale=4)
    discount_rate: Decimal | None = money_field(None, scale=4)
    discount_amount: Decimal | None = money_field(None)
    # The tax rate as it was when the line was written, so later rate changes
    # never alter a document's totals.
    tax_rate: Decimal = money_field(scale=4)
    net: Decimal = money_field()
    tax_amount: Decimal = money_field()


class NumberSeries(TenantOwned, table=True):
    __tablename__ = "number_series"
    __table_args__ = (UniqueConstraint("company_id", "kind"),)

    kind: str = Field(max_length=20)
    prefix: str = Field(max_length=20)
    next_number: int = 1
