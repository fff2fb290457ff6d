"""Forbix Open-API: /openapi/invoices (sales invoices) and /openapi/purchase-invoices
(bills), written and totalled by the documents service, as the graph's are.

A Forbix invoice is a document of ours: its items are the lines (`_id` the item,
`vatId` the tax, `discountFlat` the line's discount amount, `comment` its
description), `createDate` the issue date, `shippingAmount` the shipping,
`termsAndConditions` the terms. One with a `sentDate` is issued (posting its voucher),
one without stays a draft until a PUT gives it one. `state` is UNPAID, PARTIAL_PAYMENT,
PAID or OVERDUE (or CANCELLED), from the document's status and its `overdue` value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlmodel import col
from starlette.responses import Response
from starlette.routing import Route

from gql.compiler.sqlenv import SqlEnv
from gql.core.graph import list_page
from gql.core.loaders import computed_values
from gql.core.ranges import between
from gql.core.search import contains
from gql.domains.catalogue.models import Item
from gql.domains.companies.models import Company
from gql.domains.companies.modules import ModuleAlias
from gql.domains.contacts.forbix import customers_json
from gql.domains.contacts.models import Contact
from gql.domains.documents import service
from gql.domains.documents.computed import AMOUNT_DUE, OVERDUE
from gql.domains.documents.models import Document, DocumentKind, DocumentLine, DocumentStatus
from gql.domains.documents.schema import DOCUMENTS
from gql.domains.ledger.models import SourceType, Voucher
from gql.rest import forbix
from gql.rest.numbors import (
    RestContext,
    bool_param,
    choice_param,
    id_param,
    read_json,
    text_param,
)
from gql.rest.renames import Renames
from gql.tenancy import mapped_table, tenant_table

MODULE = ModuleAlias.INVOICING

_DOCUMENT_NAMES = {
    "items": "lines",
    "shippingAmount": "shipping",
    "termsAndConditions": "terms",
    "referenceNumber": "reference",
    "discountFlat": "discountAmount",
    "invoiceNumber": "number",
    "createDate": "issueDate",
    "isArchived": "archived",
}
SALES_NAMES = Renames(
    {**_DOCUMENT_NAMES, "customerId": "contactId"},
    nested={
        "lines": Renames(
            {
                "_id": "itemId",
                "vatId": "taxId",
                "discountFlat": "discountAmount",
                "comment": "description",
            }
        )
    },
)
PURCHASE_NAMES = Renames(
    {**_DOCUMENT_NAMES, "supplierId": "contactId"},
    nested={
        "lines": Renames(
            {
                "_id": "itemId",
                "vatId": "taxId",
                "purchaseQuantity": "quantity",
                "purchaseUnitPrice": "unitPrice",
                "purchaseDiscountRate": "discountRate",
                "purchaseDiscountFlat": "discountAmount",
                "comment": "description",
            }
        )
    },
)
DATES = {"issueDate": "createDate", "dueDate": "dueDate"}
SORT_COLUMNS = {
    "createDate": Document.issue_date,
    "dueDate": Document.due_date,
    "sentDate": Document.issued_at,
    "invoiceNumber": Document.number,
    "totalInvoicePrice": Document.total,
    "discountFlat": Document.discount_amount,
    "discountRate": Document.discount_rate,
}

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


def _returns(table: Any) -> Any:
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
        if self.debit_or_credit is not None and self.debit_or_credit != _debit_or_credit(
            self.base.kind
        ):
            out.append(col(d.id).is_(None))  # every invoice is a debit, every bill a credit
        for text_column, text in ((d.number, self.number), (d.reference, self.reference)):
            if text:
                out.append(contains(text_column, text))
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
            notes, on = _returns(table)
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


def _debit_or_credit(kind: str | None) -> str:
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
    )


# --- answers -----------------------------------------------------------------------------


async def _derived(ctx: RestContext, docs: list[Document]) -> dict[str, tuple[Any, ...]]:
    """amountDue and overdue of each document (the graph's expressions): one statement."""
    return await computed_values(ctx.session, Document, [AMOUNT_DUE, OVERDUE], [d.id for d in docs])


def list_json(doc: Document, amount_due: Decimal, overdue: bool) -> dict[str, Any]:
    return {
        "_id": doc.id,
        "companyId": doc.company_id,
        "customerId": doc.contact_id,
        "state": state_of(doc.status, overdue),
        "deliveryStatus": NOT_DELIVERED,
        "totalInvoicePrice": doc.total,
        "invoiceNumber": doc.number,
        "createDate": forbix.millis(doc.issue_date),
        "dueDate": forbix.millis(doc.due_date),
        "sentDate": forbix.millis(doc.issued_at),
        "referenceNumber": doc.reference,
        "amountDue": amount_due,
        "isArchived": doc.archived,
    }


def _percent(rate: Decimal | None) -> str | None:
    return f"{rate.normalize():f}%" if rate else None


def _number_in_series(number: str) -> int | None:
    digits = number[len(number.rstrip("0123456789")) :]
    return int(digits) if digits else None


async def detail_json(ctx: RestContext, doc: Document) -> dict[str, Any]:
    """The documented detail of one document, in a fixed few statements."""
    session = ctx.session
    lines = await service.lines_of(session, doc.id)
    item_ids = forbix.ids(line.item_id for line in lines)
    items = (
        {i.id: i for i in (await session.scalars(select(Item).where(col(Item.id).in_(item_ids))))}
        if item_ids
        else {}
    )
    contact = await session.scalar(select(Contact).where(col(Contact.id) == doc.contact_id))
    company = await session.scalar(select(Company).where(col(Company.id) == doc.company_id))
    voucher_id = await session.scalar(
        select(col(Voucher.id))
        .where(
            col(Voucher.source_type) == SourceType.DOCUMENT.value,
            col(Voucher.source_id) == doc.id,
            col(Voucher.reverses_id).is_(None),
        )
        .order_by(col(Voucher.date), col(Voucher.number))
        .limit(1)
    )
    notes, on = _returns(mapped_table(Document))
    returns = await session.scalar(
        select(func.count()).select_from(notes.table).where(on, col(Document.id) == doc.id)
    )
    amount_due, overdue = (await _derived(ctx, [doc]))[doc.id]
    rates = {line.tax_rate for line in lines}
    assert company is not None and contact is not None
    return {
        "_id": doc.id,
        "type": doc.kind.upper(),
        "invoiceNumber": doc.number,
        "generatedNumber": doc.number,
        "number": _number_in_series(doc.number),
        "companyInfo": {
            "_id": company.id,
            "name": company.name,
            "email": company.email,
            "country": company.country,
            "currency": company.base_currency,
        },
        "customerInfo": (await customers_json(ctx, [contact]))[0],
        "referenceNumber": doc.reference,
        "creator": None,  # who wrote a document is not kept
        "returnsCount": returns or 0,
        "attachmentUrl": None,
        "attachments": doc.attachments,
        "items": [_line_json(line, items.get(line.item_id or "")) for line in lines],
        "sentDate": forbix.millis(doc.issued_at),
        "dueDate": forbix.millis(doc.due_date),
        "subTotal": doc.subtotal,
        "tax": _percent(rates.pop()) if len(rates) == 1 else None,
        "debitOrCredit": _debit_or_credit(doc.kind),
        "discounts": _percent(doc.discount_rate),
        "discountFlat": doc.discount_amount,
        "discountRate": doc.discount_rate,
        "discountTotal": doc.discount_total,
        "shippingAmount": doc.shipping,
        "payments": doc.amount_paid,
        "paymentDescription": doc.payment_description,
        "amountDue": amount_due,
        "gatewayIds": doc.gateway_ids,
        "termsAndConditions": doc.terms,
        "notes": doc.notes,
        "totalPrice": doc.subtotal - doc.discount_total,
        "totalVat": doc.tax_total,
        "state": state_of(doc.status, overdue),
        "status": doc.status,
        "deleted": doc.status == DocumentStatus.CANCELLED.value,
        "wasEstimate": doc.was_estimate,
        "createDate": forbix.millis(doc.issue_date),
        "deletedAt": forbix.millis(doc.cancelled_at),
        "deletedById": None,
        "isArchived": doc.archived,
        "voucherId": voucher_id,
        "deliveryNotes": [],
        "deliveryStatus": NOT_DELIVERED,
        "currency": doc.currency_code,
        "totalInvoicePrice": doc.total,
    }


def _line_json(line: DocumentLine, item: Item | None) -> dict[str, Any]:
    return {
        "_id": line.item_id,
        "name": line.name,
        "price": line.unit_price,
        "quantity": line.quantity,
        "vatPercent": line.tax_rate,
        "vatId": line.tax_id,
        "variantId": line.variant_id,
        "discountRate": line.discount_rate,
        "discountFlat": line.discount_amount,
        "comment": line.description,
        "imageUrl": None,
        "sku": item.sku if item else None,
        "total": line.net,
        "vatAmount": line.tax_amount,
    }


# --- writes ------------------------------------------------------------------------------


async def _body(ctx: RestContext, names: Renames, *required: str) -> tuple[dict[str, Any], Any]:
    """The body under our names with its dates as days, and its sentDate (or None)."""
    body = await read_json(ctx.request)
    forbix.require_fields(body, *required)
    # The company is the request's tenant and the document the path's.
    forbix.drop_fields(body, "companyId", "invoiceId", "_id")
    data = names.to_ours(body)
    forbix.convert_fields(data, DATES, forbix.day_of_millis)
    sent = {"sentDate": data.pop("sentDate", None)}
    forbix.convert_fields(sent, {"sentDate": "sentDate"}, forbix.from_millis)
    return data, sent["sentDate"]


async def _create(ctx: RestContext, kind: DocumentKind, names: Renames, *required: str) -> str:
    data, sent = await _body(ctx, names, *required)
    new = await service.create_document_with_lines(session=ctx.session, data={**data, "kind": kind})
    if sent is not None:
        await service.issue_document(session=ctx.session, id=new.document.id)
    return new.document.id


async def _update(ctx: RestContext, kind: DocumentKind, names: Renames) -> str:
    data, sent = await _body(ctx, names)
    doc = await service.get_document(
        session=ctx.session, id=ctx.request.path_params["invoiceId"], kinds={kind.value}
    )
    if data:
        doc = await service.update_document(session=ctx.session, id=doc.id, data=data)
    if sent is not None and doc.status == DocumentStatus.DRAFT.value:
        doc = await service.issue_document(session=ctx.session, id=doc.id)
    return doc.id


async def _list(ctx: RestContext, kind: DocumentKind) -> Response:
    page = forbix.page_params(ctx.request, ctx.settings)
    where = list_filter(ctx, kind)
    order = forbix.sort_params(ctx.request, Document, SORT_COLUMNS, "createDate")
    result = await list_page(ctx.session, DOCUMENTS, page.args, where=where, order_by=order)
    derived = await _derived(ctx, result.rows)
    rows = [list_json(d, *derived[d.id]) for d in result.rows]
    return forbix.listed(rows, total=result.total, page=page)


# --- sales invoices ----------------------------------------------------------------------

INVOICE = DocumentKind.INVOICE
SALES_REQUIRED = ("customerId", "shippingAmount", "termsAndConditions", "gatewayIds", "items")


@forbix.endpoint(module=MODULE, write=True, names=SALES_NAMES)
async def create_invoice(ctx: RestContext) -> Response:
    return forbix.created(await _create(ctx, INVOICE, SALES_NAMES, *SALES_REQUIRED))


@forbix.endpoint(module=MODULE)
async def list_invoices(ctx: RestContext) -> Response:
    return await _list(ctx, INVOICE)


@forbix.endpoint(module=MODULE)
async def get_invoice(ctx: RestContext) -> Response:
    doc = await service.get_document(
        session=ctx.session, id=ctx.request.path_params["invoiceId"], kinds={INVOICE.value}
    )
    return forbix.ok(await detail_json(ctx, doc))


@forbix.endpoint(module=MODULE, write=True, names=SALES_NAMES)
async def update_invoice(ctx: RestContext) -> Response:
    return forbix.ok({"_id": await _update(ctx, INVOICE, SALES_NAMES)})


# --- purchase invoices (bills) -------------------------------------------------------------

BILL = DocumentKind.BILL
PURCHASE_REQUIRED = ("supplierId", "items", "shippingAmount", "termsAndConditions")


@forbix.endpoint(module=MODULE, write=True, names=PURCHASE_NAMES)
async def create_purchase_invoice(ctx: RestContext) -> Response:
    doc_id = await _create(ctx, BILL, PURCHASE_NAMES, *PURCHASE_REQUIRED)
    return forbix.created(doc_id, top_level=True)


@forbix.endpoint(module=MODULE)
async def list_purchase_invoices(ctx: RestContext) -> Response:
    return await _list(ctx, BILL)


@forbix.endpoint(module=MODULE, write=True, names=PURCHASE_NAMES)
async def update_purchase_invoice(ctx: RestContext) -> Response:
    return forbix.ok({"_id": await _update(ctx, BILL, PURCHASE_NAMES)})


routes = [
    Route("/invoices", list_invoices, methods=["GET"]),
    Route("/invoices", create_invoice, methods=["POST"]),
    Route("/invoices/{invoiceId}", get_invoice, methods=["GET"]),
    Route("/invoices/{invoiceId}", update_invoice, methods=["PUT"]),
    Route("/purchase-invoices", list_purchase_invoices, methods=["GET"]),
    Route("/purchase-invoices", create_purchase_invoice, methods=["POST"]),
    Route("/purchase-invoices/{invoiceId}", update_purchase_invoice, methods=["PUT"]),
]
