"""Forbix Open-API: /openapi/invoices (sales invoices) and /openapi/purchase-invoices
(bills), written and totalled by the documents service, as the graph's are.

A Forbix invoice is a document of ours: its items are the lines (`_id` the item,
`vatId` the tax, `discountFlat` the line's discount amount, `comment` its
description), `createDate` the issue date, `shippingAmount` the shipping,
`termsAndConditions` the terms. One with a `sentDate` is issued (posting its voucher),
one without stays a draft until a PUT gives it one. `state` is UNPAID, PARTIAL_PAYMENT,
PAID or OVERDUE (or CANCELLED), from the document's status and its `overdue` value
(forbix_filter.py, with the lists' filters).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlmodel import col
from starlette.responses import Response

from gql.core.graph import list_page
from gql.core.loaders import computed_values
from gql.domains.catalogue.models import Item
from gql.domains.companies.models import Company, Membership, User
from gql.domains.companies.modules import ModuleAlias
from gql.domains.contacts.forbix import customers_json
from gql.domains.contacts.models import Contact
from gql.domains.documents import service
from gql.domains.documents.computed import AMOUNT_DUE, OVERDUE
from gql.domains.documents.forbix_filter import (
    DELIVERY_STATUSES,
    NOT_DELIVERED,
    STATES,
    debit_or_credit,
    list_filter,
    returns_of,
    state_of,
)
from gql.domains.documents.models import Document, DocumentKind, DocumentLine, DocumentStatus
from gql.domains.documents.schema import DOCUMENTS
from gql.domains.ledger.models import SourceType, Voucher
from gql.rest import forbix
from gql.rest.numbors import (
    RestContext,
    read_json,
)
from gql.rest.openapi import ID_BESIDE, ID_ONLY, ApiRoute, choice, flag, ref, text
from gql.rest.renames import Renames
from gql.tenancy import mapped_table

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

# --- answers -----------------------------------------------------------------------------


async def _derived(ctx: RestContext, docs: list[Document]) -> dict[str, tuple[Any, ...]]:
    """amountDue and overdue of each document (the graph's expressions): one statement."""
    return await computed_values(ctx.session, Document, [AMOUNT_DUE, OVERDUE], [d.id for d in docs])


def list_json(doc: Document, amount_due: Decimal, overdue: bool) -> dict[str, Any]:
    return {
        **forbix.identity(doc),
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
        "creatorUserId": doc.created_by_id,
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
    creator = (
        (
            await session.execute(
                select(User, col(Membership.role))
                .outerjoin(
                    Membership,
                    (col(Membership.user_id) == col(User.id))
                    & (col(Membership.company_id) == doc.company_id),
                )
                .where(col(User.id) == doc.created_by_id)
            )
        ).first()
        if doc.created_by_id
        else None
    )
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
    notes, on = returns_of(mapped_table(Document))
    returns = await session.scalar(
        select(func.count()).select_from(notes.table).where(on, col(Document.id) == doc.id)
    )
    amount_due, overdue = (await _derived(ctx, [doc]))[doc.id]
    rates = {line.tax_rate for line in lines}
    assert company is not None and contact is not None
    return {
        **forbix.identity(doc),
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
        "creator": {
            "_id": creator[0].id,
            "fullname": creator[0].name,
            "email": creator[0].email,
            "role": creator[1],  # none once they are no longer a member
        }
        if creator
        else None,
        "returnsCount": returns or 0,
        "attachmentUrl": None,
        "attachments": doc.attachments,
        "items": [_line_json(line, items.get(line.item_id or "")) for line in lines],
        "sentDate": forbix.millis(doc.issued_at),
        "dueDate": forbix.millis(doc.due_date),
        "subTotal": doc.subtotal,
        "tax": _percent(rates.pop()) if len(rates) == 1 else None,
        "debitOrCredit": debit_or_credit(doc.kind),
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


async def _create(ctx: RestContext, kind: DocumentKind, names: Renames, *required: str) -> Document:
    data, sent = await _body(ctx, names, *required)
    new = await service.create_document_with_lines(
        session=ctx.session, data={**data, "kind": kind}, viewer=ctx.viewer
    )
    if sent is not None:
        return await service.issue_document(session=ctx.session, id=new.document.id)
    return new.document


async def _update(ctx: RestContext, kind: DocumentKind, names: Renames) -> Document:
    data, sent = await _body(ctx, names)
    doc = await service.get_document(
        session=ctx.session, id=ctx.request.path_params["invoiceId"], kinds={kind.value}
    )
    if data:
        doc = await service.update_document(session=ctx.session, id=doc.id, data=data)
    if sent is not None and doc.status == DocumentStatus.DRAFT.value:
        doc = await service.issue_document(session=ctx.session, id=doc.id)
    return doc


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
    return forbix.saved(await _create(ctx, INVOICE, SALES_NAMES, *SALES_REQUIRED))


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
    return forbix.saved(await _update(ctx, INVOICE, SALES_NAMES), status=200)


# --- purchase invoices (bills) -------------------------------------------------------------

BILL = DocumentKind.BILL
PURCHASE_REQUIRED = ("supplierId", "items", "shippingAmount", "termsAndConditions")


@forbix.endpoint(module=MODULE, write=True, names=PURCHASE_NAMES)
async def create_purchase_invoice(ctx: RestContext) -> Response:
    doc = await _create(ctx, BILL, PURCHASE_NAMES, *PURCHASE_REQUIRED)
    return forbix.saved(doc, top_level=True)


@forbix.endpoint(module=MODULE)
async def list_purchase_invoices(ctx: RestContext) -> Response:
    return await _list(ctx, BILL)


@forbix.endpoint(module=MODULE, write=True, names=PURCHASE_NAMES)
async def update_purchase_invoice(ctx: RestContext) -> Response:
    return forbix.saved(await _update(ctx, BILL, PURCHASE_NAMES), status=200)


FILTERS = [
    ref("customerId"),
    choice("state", STATES),
    choice("debitOrCredit", ["debit", "credit"]),
    text("invoiceNumber"),
    text("referenceNumber"),
    flag("isArchived"),
    flag("hasReturns"),
    flag("hasOfficialTaxInfo"),
    choice("deliveryStatus", DELIVERY_STATUSES),
    text("search"),
    text("creatorUserId"),
]
routes = [
    ApiRoute(
        "/invoices",
        list_invoices,
        "GET",
        summary="List sales invoices",
        row=Document,
        query=FILTERS,
    ),
    ApiRoute(
        "/invoices",
        create_invoice,
        "POST",
        summary="Create a sales invoice",
        row=ID_ONLY,
        body=service.DocumentCreate,
    ),
    ApiRoute(
        "/invoices/{invoiceId}", get_invoice, "GET", summary="Get a sales invoice", row=Document
    ),
    ApiRoute(
        "/invoices/{invoiceId}",
        update_invoice,
        "PUT",
        summary="Update a sales invoice",
        row=ID_ONLY,
        body=service.DocumentUpdate,
    ),
    ApiRoute(
        "/purchase-invoices",
        list_purchase_invoices,
        "GET",
        summary="List purchase invoices",
        row=Document,
        query=FILTERS,
    ),
    ApiRoute(
        "/purchase-invoices",
        create_purchase_invoice,
        "POST",
        summary="Create a purchase invoice",
        answer=ID_BESIDE,
        body=service.DocumentCreate,
    ),
    ApiRoute(
        "/purchase-invoices/{invoiceId}",
        update_purchase_invoice,
        "PUT",
        summary="Update a purchase invoice",
        row=ID_ONLY,
        body=service.DocumentUpdate,
    ),
]
