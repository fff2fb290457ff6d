"""Documents: creating, changing, issuing, cancelling, deleting and listing them.

Totals are computed here (see totals.py) every time lines or amounts change, and
stored on the document, so every reader (GraphQL, REST, reports) sees one figure.

Every kind shares one life cycle with a few kind-specific steps:

- invoices and bills: draft -> sent (issue: posts the voucher) -> partial -> paid by
  payments (and, for invoices, by credit notes); cancelling an issued one reverses
  its voucher.
- estimates: draft -> sent -> accepted / declined; `expired` once sent and past the
  expiry date; converting one makes a draft invoice and marks it converted.
- sales and purchase orders: draft -> sent; converting makes a draft invoice (bill).
- credit notes: against an invoice of the same contact (its parent), or on account
  (no invoice). Issuing one posts the reverse of an invoice and, against an invoice,
  applies its total to the invoice (settlement.py); cancelling it reverses both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Annotated, Any

from pydantic import Field, StringConstraints, model_validator
from pydantic.alias_generators import to_camel
from sqlalchemy import ColumnElement, bindparam, delete, exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from gql.auth.viewer import Viewer
from gql.compiler.sqlenv import SqlEnv
from gql.core.claims import claim
from gql.core.errors import ErrorCode, FieldError, UserInputError, not_found
from gql.core.graph import Computed
from gql.core.ids import decode_id, new_id
from gql.core.inputs import InputModel, require_not_null, validate, wire_name
from gql.core.loaders import computed_values
from gql.core.search import contains_any
from gql.db.columns import utcnow
from gql.db.construct import new_row
from gql.domains.catalogue.models import Currency, Item, ItemVariant, Tax, TaxType
from gql.domains.companies.models import Company
from gql.domains.contacts.models import Contact, ContactType
from gql.domains.documents.computed import EXPIRED, OVERDUE
from gql.domains.documents.models import (
    NUMBER_PREFIX,
    Document,
    DocumentKind,
    DocumentLine,
    DocumentStatus,
    NumberSeries,
)
from gql.domains.documents.settlement import (
    apply_credit,
    reload_document,
    remove_credit,
)
from gql.domains.documents.totals import ZERO, LineAmounts, document_totals, line_amounts
from gql.domains.events.outbox import emit
from gql.domains.inventory import documents as stock
from gql.domains.ledger.posting import post_document, reverse_document
from gql.tenancy import mapped_table

MAX_LINES = 500
# Bounds that keep every computed total exact within 64-bit integer units (SQLite) and
# far above any small business's invoice: quantity < 10^6, unit price < 10^9, so a
# line stays under 10^15 and 500 lines under 10^18 cents.
Amount = Field(default=None, ge=0, max_digits=13, decimal_places=4)
ListedText = Annotated[str, StringConstraints(min_length=1, max_length=500)]
# Defaults written to decimal columns, at those columns' scale (as every input is).
ONE_UNIT = Decimal("1.0000")  # a line's quantity
NO_PRICE = Decimal("0.0000")  # a line's unit price
NO_TAX = Decimal("0.0000")  # a line's tax rate
BASE_RATE = Decimal("1.00000000")  # the base currency's rate

SALES_KINDS = {
    DocumentKind.INVOICE.value,
    DocumentKind.ESTIMATE.value,
    DocumentKind.CREDIT_NOTE.value,
    DocumentKind.SALES_ORDER.value,
}
# Kinds whose issue posts a voucher (see gql/domains/ledger/posting.py).
POSTED_KINDS = {DocumentKind.INVOICE.value, DocumentKind.BILL.value, DocumentKind.CREDIT_NOTE.value}
# What each kind converts into.
CONVERTS_TO = {
    DocumentKind.ESTIMATE.value: DocumentKind.INVOICE,
    DocumentKind.SALES_ORDER.value: DocumentKind.INVOICE,
    DocumentKind.PURCHASE_ORDER.value: DocumentKind.BILL,
}
# Statuses from which a document can no longer be converted.
NOT_CONVERTIBLE = {
    DocumentStatus.DECLINED.value,
    DocumentStatus.CANCELLED.value,
    DocumentStatus.CONVERTED.value,
}
KIND_LABEL = {
    DocumentKind.INVOICE.value: "Invoice",
    DocumentKind.BILL.value: "Bill",
    DocumentKind.ESTIMATE.value: "Estimate",
    DocumentKind.CREDIT_NOTE.value: "Credit note",
    DocumentKind.SALES_ORDER.value: "Sales order",
    DocumentKind.PURCHASE_ORDER.value: "Purchase order",
}
# Fields that define what is owed; they are fixed once a document is issued.
LOCKED_AFTER_ISSUE = (
    "contact_id",
    "currency_code",
    "currency_rate",
    "issue_date",
    "discount_rate",
    "discount_amount",
    "shipping",
    "lines",
    "invoice_id",
    "number",
)


class LineIn(InputModel):
    item_id: str | None = None
    variant_id: str | None = None
    tax_id: str | None = None
    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    quantity: Decimal = Field(default=ONE_UNIT, gt=0, max_digits=10, decimal_places=4)
    unit_price: Decimal | None = Amount
    discount_rate: Decimal | None = Field(default=None, ge=0, le=100, decimal_places=4)
    discount_amount: Decimal | None = Field(default=None, ge=0, max_digits=17, decimal_places=2)

    @model_validator(mode="after")
    def _named(self) -> LineIn:
        if self.item_id is None and self.name is None:
            raise ValueError("a line needs an itemId or a name")
        return self


class DocumentFields(InputModel):
    contact_id: str | None = None
    issue_date: date | None = None
    due_date: date | None = None
    currency_code: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    currency_rate: Decimal | None = Field(default=None, gt=0, max_digits=16, decimal_places=8)
    discount_rate: Decimal | None = Field(default=None, ge=0, le=100, decimal_places=4)
    discount_amount: Decimal | None = Field(default=None, ge=0, max_digits=17, decimal_places=2)
    shipping: Decimal | None = Field(default=None, ge=0, max_digits=15, decimal_places=2)
    reference: str | None = Field(default=None, max_length=100)
    notes: str | None = Field(default=None, max_length=5000)
    terms: str | None = Field(default=None, max_length=5000)
    expiry_date: date | None = None
    # Credit notes: the invoice credited (it becomes the credit note's parent).
    invoice_id: str | None = None
    lines: list[LineIn] | None = Field(default=None, max_length=MAX_LINES)
    # A number of the client's own instead of the next of the kind's series.
    number: str | None = Field(default=None, min_length=1, max_length=40)
    gateway_ids: list[ListedText] | None = Field(default=None, max_length=50)
    attachments: list[ListedText] | None = Field(default=None, max_length=50)
    payment_description: str | None = Field(default=None, max_length=2000)
    was_estimate: bool | None = None
    archived: bool | None = None


class DocumentCreate(DocumentFields):
    kind: DocumentKind
    contact_id: str  # type: ignore[assignment]


class DocumentUpdate(DocumentFields):
    pass


@dataclass(frozen=True)
class DocumentFilter:
    kind: str | None = None
    status: str | None = None
    contact_id: str | None = None
    issue_date_from: date | None = None
    issue_date_to: date | None = None
    due_date_from: date | None = None
    due_date_to: date | None = None
    overdue: bool | None = None
    expired: bool | None = None
    parent_id: str | None = None
    search: str | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        d = Document
        out: list[ColumnElement[bool]] = []
        if self.kind is not None:
            out.append(d.kind == self.kind)  # type: ignore[arg-type]
        if self.status is not None:
            out.append(d.status == self.status)  # type: ignore[arg-type]
        if self.contact_id is not None:
            out.append(d.contact_id == self.contact_id)  # type: ignore[arg-type]
        if self.parent_id is not None:
            out.append(d.parent_id == self.parent_id)  # type: ignore[arg-type]
        for column, low, high in (
            (d.issue_date, self.issue_date_from, self.issue_date_to),
            (d.due_date, self.due_date_from, self.due_date_to),
        ):
            if low is not None:
                out.append(column >= low)  # type: ignore[operator]
            if high is not None:
                out.append(column <= high)  # type: ignore[operator]
        for flag, spec in ((self.overdue, OVERDUE), (self.expired, EXPIRED)):
            if flag is not None:
                condition = spec.sql(mapped_table(d), env)
                out.append(condition if flag else ~condition)
        if self.search:
            out.append(contains_any(self.search, d.number, d.reference))
        return out


ORDER_COLUMNS = {
    "issue_date": Document.issue_date,
    "due_date": Document.due_date,
    "number": Document.number,
    "created_at": Document.created_at,
}


async def derived(session: AsyncSession, doc: Document, spec: Computed) -> Any:
    """`spec` (gql.domains.documents.computed) of one document, as SQL computes it."""
    return (await computed_values(session, Document, [spec], [doc.id]))[doc.id][0]


async def get_document(
    *,
    session: AsyncSession,
    id: str,
    kinds: set[str] | None = None,
    path: tuple[str, ...] = ("id",),
) -> Document:
    """The tenant's document `id`. With `kinds`, a document of another kind is not
    found either (an estimate's path never answers for an invoice)."""
    return (await _document_with(session, id, kinds, path))[0]


async def _document_with(
    session: AsyncSession,
    id: str,
    kinds: set[str] | None,
    path: tuple[str, ...],
    *columns: ColumnElement[Any],
) -> tuple[Any, ...]:
    """`get_document`'s document, with `columns` (SQL over it) in the same statement."""
    pk = decode_id(id, "Document") if id else None
    stmt = select(Document, *columns).where(col(Document.id) == pk)
    row = (await session.execute(stmt)).first() if pk else None
    if row is None or (kinds is not None and row[0].kind not in kinds):
        raise UserInputError.single(path, f"{_what(kinds)} not found", ErrorCode.NOT_FOUND)
    return tuple(row)


def _what(kinds: set[str] | None) -> str:
    """What a path serving `kinds` calls its document ("Estimate not found")."""
    return KIND_LABEL[next(iter(kinds))] if kinds and len(kinds) == 1 else "Document"


async def lines_of(session: AsyncSession, document_id: str) -> list[DocumentLine]:
    stmt = (
        select(DocumentLine)
        .where(DocumentLine.document_id == document_id)
        .order_by(DocumentLine.position)
    )
    return list((await session.scalars(stmt)).all())


# --- writing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewDocument:
    """A document just written, with what writing it read: all a REST answer shows."""

    document: Document
    lines: list[DocumentLine]
    contact: Contact
    items: dict[str, Item]  # the lines' items, by id


async def create_document(
    *, session: AsyncSession, data: dict[str, Any], viewer: Viewer | None = None
) -> Document:
    return (await create_document_with_lines(session=session, data=data, viewer=viewer)).document


def _creator(viewer: Viewer | None) -> str | None:
    """The user a document is made by (its created_by_id), if a user makes it."""
    return viewer.user.id if viewer is not None and viewer.user is not None else None


async def create_document_with_lines(
    *, session: AsyncSession, data: dict[str, Any], viewer: Viewer | None = None
) -> NewDocument:
    """A draft and its lines, totals computed before anything is written: one INSERT
    for the document (with its totals), one for all its lines. `viewer` the user making
    it (its creator), if any."""
    payload = validate(DocumentCreate, data)
    kind = DocumentKind(payload.kind)
    contact, base_currency = await _contact_for(session, kind, payload.contact_id)
    invoice = await _credited_invoice(session, kind, payload.invoice_id, contact.id)
    if invoice is not None:
        currency_code, rate = _credit_currency(
            invoice, payload.currency_code, payload.currency_rate
        )
    else:
        currency_code = payload.currency_code or contact.currency_code or base_currency
        rate = await _currency_rate(session, currency_code, payload.currency_rate, base_currency)
    issue_date = payload.issue_date or date.today()
    _check_dates(kind.value, issue_date, payload.due_date, payload.expiry_date)
    doc_id = new_id()
    lines, items = await _line_rows(session, kind.value, doc_id, payload.lines or [])
    doc = new_row(
        Document,
        id=doc_id,
        kind=kind.value,
        contact_id=contact.id,
        issue_date=issue_date,
        due_date=payload.due_date,
        expiry_date=payload.expiry_date,
        parent_id=invoice.id if invoice is not None else None,
        currency_code=currency_code,
        currency_rate=rate,
        discount_rate=payload.discount_rate,
        discount_amount=payload.discount_amount,
        shipping=payload.shipping or ZERO,
        reference=payload.reference,
        notes=payload.notes,
        terms=payload.terms,
        gateway_ids=payload.gateway_ids or [],
        attachments=payload.attachments or [],
        payment_description=payload.payment_description,
        was_estimate=bool(payload.was_estimate),
        archived=bool(payload.archived),
        created_by_id=_creator(viewer),
    )
    _apply_totals(doc, lines)
    if payload.number is not None:
        await _check_number_free(session, kind.value, payload.number)
        doc.number = payload.number
    else:
        # Numbered once the input is known to be good: the series' row is the first write.
        doc.number = await next_number(session, kind)
    session.add(doc)
    session.add_all(lines)
    # The document's INSERT, then its lines' (the unit of work orders them).
    await _flush_numbered(session, doc.number)
    await _created(session, doc)
    return NewDocument(doc, lines, contact, items)


async def update_document(*, session: AsyncSession, id: str, data: dict[str, Any]) -> Document:
    doc = await get_document(session=session, id=id)
    payload = validate(DocumentUpdate, data)
    values = payload.model_dump(exclude_unset=True)
    if doc.status == DocumentStatus.CANCELLED.value:
        raise UserInputError.single(
            "id", "A cancelled document cannot be changed", ErrorCode.INVALID_STATE
        )
    if doc.status != DocumentStatus.DRAFT.value:
        locked = [k for k in LOCKED_AFTER_ISSUE if k in values]
        if locked:
            raise UserInputError(
                [
                    FieldError(
                        (wire_name(DocumentUpdate, k),),
                        "cannot change once the document is issued; cancel it and issue a new one",
                        ErrorCode.LOCKED,
                    )
                    for k in locked
                ]
            )
    require_not_null(
        DocumentUpdate,
        values,
        "contact_id",
        "issue_date",
        "currency_code",
        "shipping",
        "number",
        "was_estimate",
        "archived",
    )
    for listed in ("gateway_ids", "attachments"):
        if listed in values and values[listed] is None:
            values[listed] = []
    if values.get("number") not in (None, doc.number):
        await _check_number_free(session, doc.kind, values["number"])
    if "contact_id" in values:
        contact, _ = await _contact_for(session, DocumentKind(doc.kind), values.pop("contact_id"))
        doc.contact_id = contact.id
    if "invoice_id" in values:
        ref = values.pop("invoice_id")
        invoice = await _credited_invoice(session, DocumentKind(doc.kind), ref, doc.contact_id)
        doc.parent_id = invoice.id if invoice is not None else None
    if "currency_code" in values or "currency_rate" in values:
        company = await session.scalar(select(Company).where(Company.id == doc.company_id))
        assert company is not None
        doc.currency_code = values.pop("currency_code", None) or doc.currency_code
        doc.currency_rate = await _currency_rate(
            session, doc.currency_code, values.pop("currency_rate", None), company.base_currency
        )
    if doc.kind == DocumentKind.CREDIT_NOTE.value and doc.parent_id is not None:
        # A credit note follows its invoice: same contact, same currency and rate.
        invoice = await get_document(
            session=session, id=doc.parent_id, kinds={DocumentKind.INVOICE.value}
        )
        if invoice.contact_id != doc.contact_id:
            raise UserInputError.single("contactId", "must be the contact of the invoice credited")
        sent = payload.model_fields_set
        doc.currency_code, doc.currency_rate = _credit_currency(
            invoice,
            doc.currency_code if "currency_code" in sent else None,
            doc.currency_rate if "currency_rate" in sent else None,
        )
    values.pop("lines", None)
    for key, value in values.items():
        setattr(doc, key, value)
    _check_dates(doc.kind, doc.issue_date, doc.due_date, doc.expiry_date)
    if "lines" in payload.model_fields_set:
        await session.execute(delete(DocumentLine).where(DocumentLine.document_id == doc.id))
        lines, _ = await _line_rows(session, doc.kind, doc.id, payload.lines or [])
        _apply_totals(doc, lines)
        session.add_all(lines)
    else:
        await _recompute(session, doc)
    await _flush_numbered(session, doc.number)
    return doc


async def issue_document(*, session: AsyncSession, id: str) -> Document:
    """draft -> sent. Invoices, bills and credit notes post their voucher in the same
    transaction; a credit note against an invoice is applied to it first."""
    has_lines = exists().where(col(DocumentLine.document_id) == col(Document.id))
    found = await _document_with(session, id, None, ("id",), has_lines)
    doc = found[0]
    if doc.status != DocumentStatus.DRAFT.value:
        raise UserInputError.single(
            "id", f"Only a draft can be issued; this one is {doc.status}", ErrorCode.INVALID_STATE
        )
    if not found[1]:
        raise UserInputError.single(
            "lines", "A document needs at least one line to be issued", ErrorCode.INVALID_STATE
        )
    if doc.kind == DocumentKind.CREDIT_NOTE.value and doc.total <= 0:
        raise UserInputError.single(
            "lines", "A credit note must credit more than zero", ErrorCode.INVALID_STATE
        )
    # The document's row first, then its invoice's: one lock order for every writer.
    await _transition(
        session,
        doc,
        (DocumentStatus.DRAFT.value,),
        status=DocumentStatus.SENT.value,
        issued_at=utcnow(),
    )
    if doc.kind == DocumentKind.CREDIT_NOTE.value and doc.parent_id is not None:
        await apply_credit(session, doc)
    if doc.kind in POSTED_KINDS:
        await post_document(session, doc)
    await stock.move_issued(session, doc)
    await emit(session, type="document.issued", row=doc, payload=_summary(doc))
    return doc


async def _created(session: AsyncSession, doc: Document) -> None:
    """document.created, for a new document and a converted one alike."""
    await emit(session, type="document.created", row=doc, payload=_summary(doc))


def _summary(doc: Document) -> dict[str, Any]:
    """What a document's events carry."""
    return {"kind": doc.kind, "number": doc.number, "status": doc.status, "total": doc.total}


def _check_cancellable(doc: Document) -> None:
    if doc.status == DocumentStatus.CANCELLED.value:
        raise UserInputError.single(
            "id", "The document is already cancelled", ErrorCode.INVALID_STATE
        )
    if doc.status == DocumentStatus.CONVERTED.value:
        raise UserInputError.single(
            "id",
            "A converted document cannot be cancelled; cancel what it was converted into",
            ErrorCode.INVALID_STATE,
        )
    if doc.amount_paid > 0:
        raise UserInputError.single(
            "id",
            "A document with payments cannot be cancelled; refund or credit it",
            ErrorCode.INVALID_STATE,
        )
    if doc.amount_credited > 0:
        raise UserInputError.single(
            "id",
            "An invoice with credit notes applied cannot be cancelled; "
            "cancel the credit notes first",
            ErrorCode.INVALID_STATE,
        )


async def cancel_document(*, session: AsyncSession, id: str) -> Document:
    """Nothing more can happen to a cancelled document. An issued invoice, bill or
    credit note has its voucher reversed; a credit note gives its credit back."""
    doc = await get_document(session=session, id=id)
    _check_cancellable(doc)
    was = doc.status
    # The claim: of two cancels at once one moves the document, the other is refused
    # as cancelling a cancelled document is; a payment or credit landing meanwhile
    # makes this refuse, never both. So the voucher is reversed exactly once.
    await _transition(
        session,
        doc,
        (was,),
        Document.amount_paid == 0,
        Document.amount_credited == 0,
        refuse=_check_cancellable,
        status=DocumentStatus.CANCELLED.value,
        cancelled_at=utcnow(),
    )
    if was != DocumentStatus.DRAFT.value and doc.kind in POSTED_KINDS:
        if doc.kind == DocumentKind.CREDIT_NOTE.value and doc.parent_id is not None:
            await remove_credit(session, doc)
        await reverse_document(session, doc, date.today())
        await stock.reverse_issued(session, doc)
    await emit(session, type="document.cancelled", row=doc, payload=_summary(doc))
    return doc


def _check_deletable(doc: Document) -> None:
    if doc.status != DocumentStatus.DRAFT.value:
        raise UserInputError.single(
            "id",
            "Only a draft can be deleted; cancel an issued document instead",
            ErrorCode.INVALID_STATE,
        )


async def delete_document(
    *, session: AsyncSession, id: str, kinds: set[str] | None = None
) -> Document:
    """A draft goes with its lines. With `kinds`, as in `get_document`."""
    doc = await get_document(session=session, id=id, kinds=kinds)
    _check_deletable(doc)
    # The claim locks the draft (its lines refer to it, so they go first): a second
    # delete waits, then finds it gone; an issue meanwhile makes this refuse.
    await _transition(
        session, doc, (DocumentStatus.DRAFT.value,), refuse=_check_deletable, what=_what(kinds)
    )
    if (
        await session.scalar(select(Document.id).where(Document.parent_id == doc.id).limit(1))
        is not None
    ):
        raise UserInputError.single(
            "id",
            "Documents were made from this one (credit notes or conversions); "
            "delete or cancel them first",
            ErrorCode.IN_USE,
        )
    await session.execute(delete(DocumentLine).where(DocumentLine.document_id == doc.id))
    await session.delete(doc)
    await session.flush()
    return doc


# --- estimates and conversions ------------------------------------------------------------


async def accept_estimate(*, session: AsyncSession, id: str) -> Document:
    """sent -> accepted; an expired estimate can no longer be accepted."""
    doc = await get_document(session=session, id=id, kinds={DocumentKind.ESTIMATE.value})
    if doc.status != DocumentStatus.SENT.value:
        raise UserInputError.single(
            "id",
            f"Only a sent estimate can be accepted; this one is {doc.status}",
            ErrorCode.INVALID_STATE,
        )
    if await derived(session, doc, EXPIRED):
        raise UserInputError.single(
            "id",
            f"The estimate expired on {doc.expiry_date}; it can no longer be accepted",
            ErrorCode.INVALID_STATE,
        )
    await _transition(
        session, doc, (DocumentStatus.SENT.value,), status=DocumentStatus.ACCEPTED.value
    )
    return doc


async def decline_estimate(*, session: AsyncSession, id: str) -> Document:
    """sent -> declined (an expired estimate too)."""
    doc = await get_document(session=session, id=id, kinds={DocumentKind.ESTIMATE.value})
    if doc.status != DocumentStatus.SENT.value:
        raise UserInputError.single(
            "id",
            f"Only a sent estimate can be declined; this one is {doc.status}",
            ErrorCode.INVALID_STATE,
        )
    await _transition(
        session, doc, (DocumentStatus.SENT.value,), status=DocumentStatus.DECLINED.value
    )
    return doc


async def convert_document(
    *,
    session: AsyncSession,
    id: str,
    kinds: set[str] | None = None,
    viewer: Viewer | None = None,
) -> tuple[Document, Document]:
    """An estimate or a sales order becomes a draft invoice, a purchase order a draft
    bill: same contact, currency, lines, discounts and shipping, with the source as
    its parent. The source is marked converted; the new one is `viewer`'s (its
    creator). Returns (new document, source)."""
    source = await get_document(session=session, id=id, kinds=kinds)
    target = CONVERTS_TO.get(source.kind)
    if target is None:
        raise UserInputError.single(
            "id",
            f"{KIND_LABEL[source.kind]}s are not converted; estimates and orders are",
            ErrorCode.INVALID_STATE,
        )
    label = KIND_LABEL[source.kind].lower()
    if source.status in NOT_CONVERTIBLE:
        raise UserInputError.single(
            "id", f"A {source.status} {label} cannot be converted", ErrorCode.INVALID_STATE
        )
    # Guarded, so two conversions at once make one document, not two.
    await _transition(session, source, (source.status,), status=DocumentStatus.CONVERTED.value)
    today = date.today()
    doc = Document(
        kind=target.value,
        number=await next_number(session, target),
        contact_id=source.contact_id,
        issue_date=today,
        due_date=source.due_date
        if source.due_date is not None and source.due_date >= today
        else None,
        parent_id=source.id,
        currency_code=source.currency_code,
        currency_rate=source.currency_rate,
        discount_rate=source.discount_rate,
        discount_amount=source.discount_amount,
        shipping=source.shipping,
        reference=source.reference or source.number,
        notes=source.notes,
        terms=source.terms,
        created_by_id=_creator(viewer),
    )
    session.add(doc)
    await session.flush()
    lines = [
        DocumentLine(
            document_id=doc.id,
            **line.model_dump(
                exclude={"id", "company_id", "document_id", "created_at", "updated_at"}
            ),
        )
        for line in await lines_of(session, source.id)
    ]
    _apply_totals(doc, lines)
    session.add_all(lines)
    await session.flush()
    await reload_document(session, doc.id)
    await _created(session, doc)
    return doc, source


# --- credit notes -----------------------------------------------------------------------------


async def _credited_invoice(
    session: AsyncSession, kind: DocumentKind, ref: str | None, contact_id: str
) -> Document | None:
    """The invoice a credit note is written against (None: a credit on account)."""
    if ref is None:
        return None
    if kind is not DocumentKind.CREDIT_NOTE:
        raise UserInputError.single("invoiceId", "only a credit note is written against an invoice")
    invoice = await get_document(
        session=session, id=ref, kinds={DocumentKind.INVOICE.value}, path=("invoiceId",)
    )
    if invoice.status == DocumentStatus.CANCELLED.value:
        raise UserInputError.single(
            "invoiceId", "The invoice is cancelled", ErrorCode.INVALID_STATE
        )
    if invoice.contact_id != contact_id:
        raise UserInputError.single("contactId", "must be the contact of the invoice credited")
    return invoice


def _credit_currency(
    invoice: Document, code: str | None, rate: Decimal | None
) -> tuple[str, Decimal]:
    """A credit note is in its invoice's currency, at its rate, so it undoes exactly
    what the invoice booked."""
    if code is not None and code != invoice.currency_code:
        raise UserInputError.single(
            "currencyCode", f"must be the invoice's currency ({invoice.currency_code})"
        )
    if rate is not None and rate != invoice.currency_rate:
        raise UserInputError.single(
            "currencyRate", f"must be the invoice's rate ({invoice.currency_rate})"
        )
    return invoice.currency_code, invoice.currency_rate


# --- guarded state changes -------------------------------------------------------------------


async def _transition(
    session: AsyncSession,
    doc: Document,
    allowed: tuple[str, ...],
    *guards: Any,
    refuse: Callable[[Document], None] | None = None,
    what: str = "Document",
    **values: Any,
) -> None:
    """Write `values` only while the document's status is still one of `allowed` (and
    `guards` hold): the operation's claim on the document (gql/core/claims.py), so of
    two concurrent requests moving the same document, exactly one does. `doc` is
    refreshed from the row. The loser gets `refuse`'s answer for the document as it
    now is, or NOT_FOUND when it is gone."""

    def explain(current: Document) -> None:
        if refuse is not None:
            refuse(current)
        raise UserInputError.single(
            "id",
            f"The document changed meanwhile (it is now {current.status}); try again",
            ErrorCode.INVALID_STATE,
        )

    await claim(
        session,
        doc,
        Document.status.in_(allowed),  # type: ignore[attr-defined]
        *guards,
        what=what,
        refuse=explain,
        values={"updated_at": utcnow(), **values},
    )


async def next_number(session: AsyncSession, kind: DocumentKind) -> str:
    """The next number of `kind`'s series, taken atomically (one UPDATE ... RETURNING),
    so concurrent creations never share a number."""
    taken, prefix = await take_in_series(session, kind.value, NUMBER_PREFIX[kind])
    return f"{prefix}{taken:05d}"


async def take_in_series(session: AsyncSession, kind: str, prefix: str) -> tuple[int, str]:
    """The next number of series `kind` (made with `prefix` when the company has none
    yet) and the series' prefix, taken atomically (one UPDATE ... RETURNING)."""
    row = (await session.execute(_take_next(), {"series_kind": kind})).first()
    if row is None:
        series = NumberSeries(kind=kind, prefix=prefix, next_number=2)
        session.add(series)
        await session.flush()
        return 1, series.prefix
    return int(row[0]) - 1, row[1]


@cache
def _take_next() -> Any:
    """take_in_series' UPDATE, built once (building it costs as much as running it)."""
    return (
        update(NumberSeries)
        .where(NumberSeries.kind == bindparam("series_kind"))
        .values(next_number=NumberSeries.next_number + 1)
        .returning(NumberSeries.next_number, NumberSeries.prefix)
        # No loaded series row to keep in step (evaluating the WHERE in Python costs
        # as much as the statement).
        .execution_options(synchronize_session=False)
    )


def number_series_for_new_company() -> list[NumberSeries]:
    return [NumberSeries(kind=k.value, prefix=p, next_number=1) for k, p in NUMBER_PREFIX.items()]


# --- helpers ------------------------------------------------------------------------------


async def _check_number_free(session: AsyncSession, kind: str, number: str) -> None:
    """A number of the client's choosing, refused when a document of its kind has it."""
    taken = await session.scalar(
        select(exists().where(col(Document.kind) == kind, col(Document.number) == number))
    )
    if taken:
        raise UserInputError.single("number", f"{number} is already taken", ErrorCode.TAKEN)


async def _flush_numbered(session: AsyncSession, number: str) -> None:
    """Flush; a number that a concurrent request took first (past `_check_number_free`)
    is TAKEN, not a 500."""
    try:
        await session.flush()
    except IntegrityError:
        raise UserInputError.single(
            "number", f"{number} is already taken", ErrorCode.TAKEN
        ) from None


def _check_dates(
    kind: str, issue_date: date, due_date: date | None, expiry_date: date | None
) -> None:
    if due_date is not None and due_date < issue_date:
        raise UserInputError.single("dueDate", "must not be before issueDate")
    if expiry_date is not None:
        if kind != DocumentKind.ESTIMATE.value:
            raise UserInputError.single("expiryDate", "only an estimate has an expiry date")
        if expiry_date < issue_date:
            raise UserInputError.single("expiryDate", "must not be before issueDate")


@cache
def _contact_with_currency() -> Any:
    """The contact `:contact_id` with its company's base currency (built once)."""
    return (
        select(Contact, col(Company.base_currency))
        .join(Company, col(Company.id) == col(Contact.company_id))
        .where(col(Contact.id) == bindparam("contact_id"))
    )


async def _contact_for(session: AsyncSession, kind: DocumentKind, ref: str) -> tuple[Contact, str]:
    """The contact `ref` of a document of `kind`, and its company's base currency (one
    statement)."""
    pk = decode_id(ref, "Contact")
    row = (
        (await session.execute(_contact_with_currency(), {"contact_id": pk})).first()
        if pk
        else None
    )
    if row is None:
        raise not_found(("contactId",), "Contact")
    contact, base_currency = row
    wanted = ContactType.CUSTOMER.value if kind.value in SALES_KINDS else ContactType.SUPPLIER.value
    if contact.type not in (wanted, ContactType.BOTH.value):
        raise UserInputError.single(
            "contactId", f"must be a {wanted} for a {kind.value.replace('_', ' ')}"
        )
    return contact, base_currency


async def _currency_rate(
    session: AsyncSession, code: str, given: Decimal | None, base: str
) -> Decimal:
    if code == base:  # needs no currency row
        return BASE_RATE if given is None else given
    currency = await session.scalar(select(Currency).where(Currency.code == code))
    if currency is None:
        raise UserInputError.single("currencyCode", "Currency not found", ErrorCode.NOT_FOUND)
    return currency.rate if given is None else given


async def _line_rows(
    session: AsyncSession, kind: str, document_id: str, lines: list[LineIn]
) -> tuple[list[DocumentLine], dict[str, Item]]:
    """The rows of a document's `lines`, priced and taxed, not yet written; and their
    items by id. Refused with every bad line's position."""
    refs = await _line_references(session, lines)
    rows: list[DocumentLine] = []
    errors: list[FieldError] = []
    for position, line in enumerate(lines):
        item = refs.items.get(line.item_id) if line.item_id else None
        variant = refs.variants.get(line.variant_id) if line.variant_id else None
        tax_id = line.tax_id if line.tax_id is not None else (item.tax_id if item else None)
        tax = refs.taxes.get(tax_id) if tax_id else None
        price = line.unit_price
        if price is None:
            price = _default_price(kind, item, variant)
        tax_rate = tax.rate if tax else NO_TAX
        amounts = line_amounts(
            quantity=line.quantity,
            unit_price=price,
            discount_rate=line.discount_rate,
            discount_amount=line.discount_amount,
            tax_rate=tax_rate,
            withholding=bool(tax and tax.type == TaxType.WITHHOLDING.value),
        )
        if amounts.net < 0:
            errors.append(
                FieldError(
                    ("lines", str(position), "discountAmount"), "is larger than the line amount"
                )
            )
        rows.append(
            new_row(
                DocumentLine,
                document_id=document_id,
                position=position,
                item_id=item.id if item else None,
                variant_id=variant.id if variant else None,
                tax_id=tax.id if tax else None,
                name=line.name
                or (
                    f"{item.name} - {variant.name}"
                    if item and variant
                    else item.name
                    if item
                    else ""
                ),
                description=line.description,
                quantity=line.quantity,
                unit_price=price,
                discount_rate=line.discount_rate,
                discount_amount=line.discount_amount,
                tax_rate=tax_rate,
                net=amounts.net,
                tax_amount=amounts.tax,
            )
        )
    if errors:
        raise UserInputError(errors)
    return rows, {row.item_id: refs.items[row.item_id] for row in rows if row.item_id}


async def _recompute(session: AsyncSession, doc: Document) -> None:
    _apply_totals(doc, await lines_of(session, doc.id))


def _apply_totals(doc: Document, lines: list[DocumentLine]) -> None:
    totals = document_totals(
        (LineAmounts(net=line.net, tax=line.tax_amount) for line in lines),
        discount_rate=doc.discount_rate,
        discount_amount=doc.discount_amount,
        shipping=doc.shipping,
    )
    if totals.total < 0:
        raise UserInputError.single("discountAmount", "is larger than the document's subtotal")
    doc.subtotal = totals.subtotal
    doc.discount_total = totals.discount_total
    doc.tax_total = totals.tax_total
    doc.total = totals.total


def _default_price(kind: str, item: Item | None, variant: ItemVariant | None) -> Decimal:
    sales = kind in SALES_KINDS
    for source in (variant, item):
        if source is None:
            continue
        price = source.sale_price if sales else source.purchase_price
        if price is not None:
            return price
    return NO_PRICE


@dataclass
class _LineRefs:
    items: dict[str, Item]
    variants: dict[str, ItemVariant]
    taxes: dict[str, Tax]


@cache
def _items_with_taxes() -> Any:
    """The items `:item_ids` (a list) with their default taxes (built once)."""
    return (
        select(Item, Tax)
        .outerjoin(Tax, col(Tax.id) == col(Item.tax_id))
        .where(col(Item.id).in_(bindparam("item_ids", expanding=True)))
    )


async def _line_references(session: AsyncSession, lines: list[LineIn]) -> _LineRefs:
    """Every item (with its default tax), variant and tax the lines name, in at most
    three statements (taxes only for those no item brought); a line naming one the
    tenant does not have is refused with its position."""
    wanted: dict[str, dict[str, str | None]] = {"item_id": {}, "variant_id": {}, "tax_id": {}}
    types = {"item_id": "Item", "variant_id": "ItemVariant", "tax_id": "Tax"}
    for line in lines:
        for key in wanted:
            ref = getattr(line, key)
            if ref is not None:
                wanted[key][ref] = decode_id(ref, types[key])
    by_pk: dict[str, dict[str, Any]] = {"item_id": {}, "variant_id": {}, "tax_id": {}}
    item_ids = [pk for pk in wanted["item_id"].values() if pk]
    if item_ids:
        found_items = await session.execute(_items_with_taxes(), {"item_ids": item_ids})
        for row, default_tax in found_items.all():
            by_pk["item_id"][row.id] = row
            if default_tax is not None:
                by_pk["tax_id"][default_tax.id] = default_tax
    for key, model in (("variant_id", ItemVariant), ("tax_id", Tax)):
        ids = [pk for pk in wanted[key].values() if pk and pk not in by_pk[key]]
        if ids:
            for found_row in (await session.scalars(select(model).where(model.id.in_(ids)))).all():
                by_pk[key][found_row.id] = found_row
    found = {
        key: {ref: by_pk[key][pk] for ref, pk in refs.items() if pk in by_pk[key]}
        for key, refs in wanted.items()
    }
    errors: list[FieldError] = []
    for position, line in enumerate(lines):
        for key, what in types.items():
            ref = getattr(line, key)
            if ref is not None and ref not in found[key]:
                errors.append(
                    FieldError(
                        ("lines", str(position), to_camel(key)),
                        f"{what} not found",
                        ErrorCode.NOT_FOUND,
                    )
                )
        variant = found["variant_id"].get(line.variant_id) if line.variant_id else None
        item = found["item_id"].get(line.item_id) if line.item_id else None
        if variant is not None and (item is None or variant.item_id != item.id):
            errors.append(
                FieldError(
                    ("lines", str(position), "variantId"), "is not a variant of the line's item"
                )
            )
    if errors:
        raise UserInputError(errors)
    # Lines refer to rows by the ref the client sent, an item to its tax by id: index by both.
    return _LineRefs(
        items={**by_pk["item_id"], **found["item_id"]},
        variants={**by_pk["variant_id"], **found["variant_id"]},
        taxes={**by_pk["tax_id"], **found["tax_id"]},
    )
