"""The Forbix invoice lists' filters and states, as SQL over the documents (the
expressions are the documents area's: `overdue`, the amount due, credit notes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, or_
from sqlmodel import col

from gql.compiler.sqlenv import SqlEnv
from gql.core.ranges import between
from gql.core.search import contains
from gql.domains.contacts.models import Contact
from gql.domains.documents import service
from gql.domains.documents.computed import OVERDUE
from gql.domains.documents.models import Document, DocumentKind, DocumentStatus
from gql.rest import forbix
from gql.rest.numbors import (
    RestContext,
    bool_param,
    choice_param,
    id_param,
    text_param,
)
from gql.tenancy import mapped_table, tenant_table

# state -> the statuses it covers (OVERDUE and the unpaid / partial ones also ask
# about `overdue`, the graph's expression).
STATES = {
    "UNPAID": (DocumentStatus.DRAFT.value, DocumentStatus.SENT.value),
    "PARTIAL_PAYMENT": (DocumentStatus.PARTIAL.value,),
    "PAID": (DocumentStatus.PAID.value,),
    "OVERDUE": (DocumentStatus.SENT.value, DocumentStatus.PARTIAL.value),
    "CANCELLED": (DocumentStatus.CANCELLED.value,),
}
DELIVERY_STATUSES = ["NOT_DELIVERED", "PARTIALLY_DELIVERED", "FULLY_DELIVERED"]
NOT_DELIVERED = "NOT_DELIVERED"  # nothing is delivered against an invoice here (yet)


def state_of(status: str, overdue: bool) -> str:
    """The Forbix state of a document: what `state_condition` selects."""
    if overdue:
        return "OVERDUE"
    return next(state for state, statuses in STATES.items() if status in statuses)


def returns_of(table: Any) -> Any:
    """The credit notes issued against the document (the sale's returns)."""
    notes = tenant_table(Document, table.c.company_id)
    return notes, and_(
        notes.c.parent_id == table.c.id,
        notes.c.kind == DocumentKind.CREDIT_NOTE.value,
        notes.c.status != DocumentStatus.CANCELLED.value,
    )


@dataclass(frozen=True)
class ForbixDocumentFilter:
    """The Forbix lists' filters: the documents service's, and those of this dialect."""

    base: service.DocumentFilter
    state: str | None = None
    debit_or_credit: str | None = None
    number: str | None = None
    reference: str | None = None
    total: Decimal | None = None
    total_from: Decimal | None = None
    total_to: Decimal | None = None
    discount_flat: Decimal | None = None
    discount_rate: Decimal | None = None
    sent_from: datetime | None = None
    sent_to: datetime | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    archived: bool | None = None
    has_returns: bool | None = None
    has_official_tax_info: bool | None = None
    delivery_status: str | None = None
    search: str | None = None
    creator: str | None = None  # the creating user's id (creatorUserId)

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        d = Document
        out = self.base.conditions(env)
        table = mapped_table(d)
        if self.state is not None:
            overdue = OVERDUE.sql(table, env)
            statuses = col(d.status).in_(STATES[self.state])
            if self.state == "OVERDUE":
                out.append(overdue)
            elif self.state in ("UNPAID", "PARTIAL_PAYMENT"):
                out.append(and_(statuses, ~overdue))
            else:
                out.append(statuses)
        if self.debit_or_credit is not None and self.debit_or_credit != debit_or_credit(
            self.base.kind
        ):
            out.append(col(d.id).is_(None))  # every invoice is a debit, every bill a credit
        for text_column, text in ((d.number, self.number), (d.reference, self.reference)):
            if text:
                out.append(contains(text_column, text))
        if self.creator is not None:
            out.append(col(d.created_by_id) == self.creator)
        amounts: tuple[tuple[Any, Decimal | None], ...] = (
            (d.total, self.total),
            (d.discount_amount, self.discount_flat),
            (d.discount_rate, self.discount_rate),
        )
        for column, value in amounts:
            if value is not None:
                out.append(col(column) == value)
        out.extend(between(col(d.total), self.total_from, self.total_to))
        out.extend(between(col(d.issued_at), self.sent_from, self.sent_to))
        out.extend(
            between(
                col(d.issue_date),
                self.created_from.date() if self.created_from else None,
                self.created_to.date() if self.created_to else None,
            )
        )
        if self.archived is not None:
            out.append(col(d.archived).is_(self.archived))
        if self.has_returns is not None:
            notes, on = returns_of(table)
            returned = exists(notes.select(notes.c.id).where(on))
            out.append(returned if self.has_returns else ~returned)
        # Official tax information (e-invoicing) and deliveries are kept by no document.
        if self.has_official_tax_info or self.delivery_status not in (None, NOT_DELIVERED):
            out.append(col(d.id).is_(None))
        if self.search:
            contacts = tenant_table(Contact, table.c.company_id)
            named = contacts.select(contacts.c.id).where(contains(contacts.c.name, self.search))
            out.append(or_(contains(d.number, self.search), col(d.contact_id).in_(named)))
        return out


def debit_or_credit(kind: str | None) -> str:
    return "debit" if kind == DocumentKind.INVOICE.value else "credit"


def list_filter(ctx: RestContext, kind: DocumentKind) -> ForbixDocumentFilter:
    request, settings = ctx.request, ctx.settings

    def decimal(name: str) -> Decimal | None:
        return forbix.decimal_param(request, name)

    def moment(name: str) -> datetime | None:
        return forbix.millis_param(request, name)

    due_from, due_to = moment("dueDateFrom"), moment("dueDateTo")
    return ForbixDocumentFilter(
        base=service.DocumentFilter(
            kind=kind.value,
            contact_id=id_param(request, "customerId", "Contact"),
            due_date_from=due_from.date() if due_from else None,
            due_date_to=due_to.date() if due_to else None,
        ),
        state=choice_param(request, "state", list(STATES)),
        debit_or_credit=choice_param(request, "debitOrCredit", ["debit", "credit"]),
        number=text_param(request, "invoiceNumber", settings),
        reference=text_param(request, "referenceNumber", settings),
        total=decimal("totalInvoicePrice"),
        total_from=decimal("totalInvoicePriceFrom"),
        total_to=decimal("totalInvoicePriceTo"),
        discount_flat=decimal("discountFlat"),
        discount_rate=decimal("discountRate"),
        sent_from=moment("sentDateFrom"),
        sent_to=moment("sentDateTo"),
        created_from=moment("createDateFrom"),
        created_to=moment("createDateTo"),
        archived=bool_param(request, "isArchived"),
        has_returns=bool_param(request, "hasReturns"),
        has_official_tax_info=bool_param(request, "hasOfficialTaxInfo"),
        delivery_status=choice_param(request, "deliveryStatus", DELIVERY_STATUSES),
        search=text_param(request, "search", settings),
        creator=text_param(request, "creatorUserId", settings),
    )
