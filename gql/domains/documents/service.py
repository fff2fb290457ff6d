"""Documents: creating, changing, issuing, cancelling, deleting and listing them.

Totals are computed here (see totals.py) every time lines or amounts change, and
stored on the document, so every reader (GraphQL, REST, reports) sees one figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import Field, model_validator
from pydantic.alias_generators import to_camel
from sqlalchemy import ColumnElement, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gql.core.errors import ErrorCode, FieldError, UserInputError
from gql.core.ids import decode_id
from gql.core.inputs import InputModel, require_row, validate
from gql.core.ordering import like_pattern, order_clauses
from gql.core.pagination import Page, PageArgs, fetch_page
from gql.db import utcnow
from gql.domains.catalogue.models import Currency, Item, ItemVariant, Tax, TaxType
from gql.domains.companies.models import Company
from gql.domains.contacts.models import Contact, ContactType
from gql.domains.documents.models import (
    NUMBER_PREFIX,
    Document,
    DocumentKind,
    DocumentLine,
    DocumentStatus,
    NumberSeries,
)
from gql.domains.documents.totals import LineAmounts, document_totals, line_amounts

MAX_LINES = 500
Amount = Field(default=None, ge=0, max_digits=18, decimal_places=4)

SALES_KINDS = {
    DocumentKind.INVOICE.value,
    DocumentKind.ESTIMATE.value,
    DocumentKind.CREDIT_NOTE.value,
    DocumentKind.SALES_ORDER.value,
}
OPEN_STATUSES = (DocumentStatus.SENT.value, DocumentStatus.PARTIAL.value)
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
)


class LineIn(InputModel):
    item_id: str | None = None
    variant_id: str | None = None
    tax_id: str | None = None
    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    quantity: Decimal = Field(default=Decimal("1"), gt=0, max_digits=18, decimal_places=4)
    unit_price: Decimal | None = Amount
    discount_rate: Decimal | None = Field(default=None, ge=0, le=100, decimal_places=4)
    discount_amount: Decimal | None = Field(default=None, ge=0, max_digits=18, decimal_places=2)

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
    currency_rate: Decimal | None = Field(default=None, gt=0, max_digits=20, decimal_places=8)
    discount_rate: Decimal | None = Field(default=None, ge=0, le=100, decimal_places=4)
    discount_amount: Decimal | None = Field(default=None, ge=0, max_digits=18, decimal_places=2)
    shipping: Decimal | None = Field(default=None, ge=0, max_digits=18, decimal_places=2)
    reference: str | None = Field(default=None, max_length=100)
    notes: str | None = Field(default=None, max_length=5000)
    terms: str | None = Field(default=None, max_length=5000)
    lines: list[LineIn] | None = Field(default=None, max_length=MAX_LINES)


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
    search: str | None = None

    def conditions(self, today: date | None = None) -> list[ColumnElement[bool]]:
        d = Document
        out: list[ColumnElement[bool]] = []
        if self.kind is not None:
            out.append(d.kind == self.kind)  # type: ignore[arg-type]
        if self.status is not None:
            out.append(d.status == self.status)  # type: ignore[arg-type]
        if self.contact_id is not None:
            out.append(d.contact_id == self.contact_id)  # type: ignore[arg-type]
        for column, low, high in (
            (d.issue_date, self.issue_date_from, self.issue_date_to),
            (d.due_date, self.due_date_from, self.due_date_to),
        ):
            if low is not None:
                out.append(column >= low)  # type: ignore[operator]
            if high is not None:
                out.append(column <= high)  # type: ignore[operator]
        if self.overdue is not None:
            condition = (d.status.in_(OPEN_STATUSES)) & (d.due_date < (today or date.today()))  # type: ignore[attr-defined,operator]
            out.append(condition if self.overdue else ~condition)
        if self.search:
            pattern = like_pattern(self.search.strip())
            out.append(
                or_(
                    d.number.ilike(pattern, escape="\\"),  # type: ignore[attr-defined]
                    d.reference.ilike(pattern, escape="\\"),  # type: ignore[union-attr]
                )
            )
        return out


ORDER_COLUMNS = {
    "issue_date": Document.issue_date,
    "due_date": Document.due_date,
    "number": Document.number,
    "created_at": Document.created_at,
}


def is_overdue(doc: Document, today: date | None = None) -> bool:
    return (
        doc.status in OPEN_STATUSES
        and doc.due_date is not None
        and doc.due_date < (today or date.today())
        and doc.total - doc.amount_paid > 0
    )


async def list_documents(
    *,
    session: AsyncSession,
    filter: DocumentFilter,
    args: PageArgs,
    order_by: str = "issue_date",
    direction: str = "desc",
) -> Page[Document]:
    return await fetch_page(
        session,
        Document,
        where=filter.conditions(),
        order_by=order_clauses(Document, ORDER_COLUMNS[order_by], direction),
        args=args,
    )


async def get_document(*, session: AsyncSession, id: str) -> Document:
    return await require_row(session, Document, id, path=("id",), what="Document")


async def lines_of(session: AsyncSession, document_id: str) -> list[DocumentLine]:
    stmt = select(DocumentLine).where(DocumentLine.document_id == document_id).order_by(DocumentLine.position)
    return list((await session.scalars(stmt)).all())


# --- writing ------------------------------------------------------------------------------


async def create_document(*, session: AsyncSession, data: dict[str, Any]) -> Document:
    payload = validate(DocumentCreate, data)
    kind = DocumentKind(payload.kind)
    contact = await _contact_for(session, kind, payload.contact_id)
    company = await session.scalar(select(Company).where(Company.id == contact.company_id))
    assert company is not None
    currency_code = payload.currency_code or contact.currency_code or company.base_currency
    rate = await _currency_rate(session, currency_code, payload.currency_rate, company.base_currency)
    issue_date = payload.issue_date or date.today()
    _check_due_date(issue_date, payload.due_date)
    doc = Document(
        kind=kind.value,
        number=await next_number(session, kind),
        contact_id=contact.id,
        issue_date=issue_date,
        due_date=payload.due_date,
        currency_code=currency_code,
        currency_rate=rate,
        discount_rate=payload.discount_rate,
        discount_amount=payload.discount_amount,
        shipping=payload.shipping or Decimal("0"),
        reference=payload.reference,
        notes=payload.notes,
        terms=payload.terms,
    )
    session.add(doc)
    await session.flush()
    await _write_lines(session, doc, payload.lines or [])
    return doc


async def update_document(*, session: AsyncSession, id: str, data: dict[str, Any]) -> Document:
    doc = await get_document(session=session, id=id)
    payload = validate(DocumentUpdate, data)
    values = payload.model_dump(exclude_unset=True)
    if doc.status == DocumentStatus.CANCELLED.value:
        raise UserInputError.single("id", "A cancelled document cannot be changed", ErrorCode.INVALID_STATE)
    if doc.status != DocumentStatus.DRAFT.value:
        locked = [k for k in LOCKED_AFTER_ISSUE if k in values]
        if locked:
            raise UserInputError(
                [
                    FieldError((k,), "cannot change once the document is issued; cancel it and issue a new one", ErrorCode.LOCKED)
                    for k in locked
                ]
            )
    for required in ("contact_id", "issue_date", "currency_code", "shipping"):
        if required in values and values[required] is None:
            raise UserInputError.single(required, "cannot be null", ErrorCode.REQUIRED)
    if "contact_id" in values:
        doc.contact_id = (await _contact_for(session, DocumentKind(doc.kind), values.pop("contact_id"))).id
    if "currency_code" in values or "currency_rate" in values:
        company = await session.scalar(select(Company).where(Company.id == doc.company_id))
        assert company is not None
        doc.currency_code = values.pop("currency_code", None) or doc.currency_code
        doc.currency_rate = await _currency_rate(
            session, doc.currency_code, values.pop("currency_rate", None), company.base_currency
        )
    values.pop("lines", None)
    for key, value in values.items():
        setattr(doc, key, value)
    _check_due_date(doc.issue_date, doc.due_date)
    if "lines" in payload.model_fields_set:
        await session.execute(delete(DocumentLine).where(DocumentLine.document_id == doc.id))
        await _write_lines(session, doc, payload.lines or [])
    else:
        await _recompute(session, doc)
    await session.flush()
    return doc


async def issue_document(*, session: AsyncSession, id: str) -> Document:
    doc = await get_document(session=session, id=id)
    if doc.status != DocumentStatus.DRAFT.value:
        raise UserInputError.single("id", f"Only a draft can be issued; this one is {doc.status}", ErrorCode.INVALID_STATE)
    if not await lines_of(session, doc.id):
        raise UserInputError.single("lines", "A document needs at least one line to be issued", ErrorCode.INVALID_STATE)
    doc.status = DocumentStatus.SENT.value
    doc.issued_at = utcnow()
    await session.flush()
    return doc


async def cancel_document(*, session: AsyncSession, id: str) -> Document:
    doc = await get_document(session=session, id=id)
    if doc.status == DocumentStatus.CANCELLED.value:
        raise UserInputError.single("id", "The document is already cancelled", ErrorCode.INVALID_STATE)
    if doc.amount_paid > 0:
        raise UserInputError.single(
            "id", "A document with payments cannot be cancelled; refund or credit it", ErrorCode.INVALID_STATE
        )
    doc.status = DocumentStatus.CANCELLED.value
    doc.cancelled_at = utcnow()
    await session.flush()
    return doc


async def delete_document(*, session: AsyncSession, id: str) -> Document:
    doc = await get_document(session=session, id=id)
    if doc.status != DocumentStatus.DRAFT.value:
        raise UserInputError.single(
            "id", "Only a draft can be deleted; cancel an issued document instead", ErrorCode.INVALID_STATE
        )
    await session.execute(delete(DocumentLine).where(DocumentLine.document_id == doc.id))
    await session.delete(doc)
    await session.flush()
    return doc


async def next_number(session: AsyncSession, kind: DocumentKind) -> str:
    """The next number of `kind`'s series, taken atomically (one UPDATE ... RETURNING),
    so concurrent creations never share a number."""
    stmt = (
        update(NumberSeries)
        .where(NumberSeries.kind == kind.value)
        .values(next_number=NumberSeries.next_number + 1)
        .returning(NumberSeries.next_number, NumberSeries.prefix)
    )
    row = (await session.execute(stmt)).first()
    if row is None:
        series = NumberSeries(kind=kind.value, prefix=NUMBER_PREFIX[kind], next_number=2)
        session.add(series)
        await session.flush()
        return f"{series.prefix}{1:05d}"
    taken, prefix = row[0] - 1, row[1]
    return f"{prefix}{taken:05d}"


def number_series_for_new_company() -> list[NumberSeries]:
    return [NumberSeries(kind=k.value, prefix=p, next_number=1) for k, p in NUMBER_PREFIX.items()]


# --- helpers ------------------------------------------------------------------------------


def _check_due_date(issue_date: date, due_date: date | None) -> None:
    if due_date is not None and due_date < issue_date:
        raise UserInputError.single("dueDate", "must not be before issueDate")


async def _contact_for(session: AsyncSession, kind: DocumentKind, ref: str) -> Contact:
    contact = await require_row(session, Contact, ref, path=("contactId",), what="Contact")
    wanted = ContactType.CUSTOMER.value if kind.value in SALES_KINDS else ContactType.SUPPLIER.value
    if contact.type not in (wanted, ContactType.BOTH.value):
        raise UserInputError.single("contactId", f"must be a {wanted} for a {kind.value.replace('_', ' ')}")
    return contact


async def _currency_rate(
    session: AsyncSession, code: str, given: Decimal | None, base: str
) -> Decimal:
    currency = await session.scalar(select(Currency).where(Currency.code == code))
    if currency is None and code != base:
        raise UserInputError.single("currencyCode", "Currency not found", ErrorCode.NOT_FOUND)
    if given is not None:
        return given
    if code == base:
        return Decimal("1")
    assert currency is not None
    return currency.rate


async def _write_lines(session: AsyncSession, doc: Document, lines: list[LineIn]) -> None:
    refs = await _line_references(session, lines)
    rows: list[DocumentLine] = []
    for position, line in enumerate(lines):
        item = refs.items.get(line.item_id) if line.item_id else None
        variant = refs.variants.get(line.variant_id) if line.variant_id else None
        tax_id = line.tax_id if line.tax_id is not None else (item.tax_id if item else None)
        tax = refs.taxes.get(tax_id) if tax_id else None
        price = line.unit_price
        if price is None:
            price = _default_price(doc.kind, item, variant)
        rows.append(
            DocumentLine(
                document_id=doc.id,
                position=position,
                item_id=item.id if item else None,
                variant_id=variant.id if variant else None,
                tax_id=tax.id if tax else None,
                name=line.name or (f"{item.name} - {variant.name}" if item and variant else item.name if item else ""),
                description=line.description,
                quantity=line.quantity,
                unit_price=price,
                discount_rate=line.discount_rate,
                discount_amount=line.discount_amount,
                tax_rate=tax.rate if tax else Decimal("0"),
            )
        )
    errors: list[FieldError] = []
    for position, row in enumerate(rows):
        tax = refs.taxes.get(row.tax_id) if row.tax_id else None
        amounts = line_amounts(
            quantity=row.quantity,
            unit_price=row.unit_price,
            discount_rate=row.discount_rate,
            discount_amount=row.discount_amount,
            tax_rate=row.tax_rate,
            withholding=bool(tax and tax.type == TaxType.WITHHOLDING.value),
        )
        if amounts.net < 0:
            errors.append(FieldError(("lines", str(position), "discountAmount"), "is larger than the line amount"))
        row.net, row.tax_amount = amounts.net, amounts.tax
    if errors:
        raise UserInputError(errors)
    session.add_all(rows)
    await session.flush()
    _apply_totals(doc, rows)


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
    return Decimal("0")


@dataclass
class _LineRefs:
    items: dict[str, Item]
    variants: dict[str, ItemVariant]
    taxes: dict[str, Tax]


async def _line_references(session: AsyncSession, lines: list[LineIn]) -> _LineRefs:
    """Every item, variant and tax the lines name, loaded in three statements; a line
    naming one the tenant does not have is refused with its position."""
    wanted: dict[str, dict[str, str | None]] = {"item_id": {}, "variant_id": {}, "tax_id": {}}
    types = {"item_id": "Item", "variant_id": "ItemVariant", "tax_id": "Tax"}
    for line in lines:
        for key in wanted:
            ref = getattr(line, key)
            if ref is not None:
                wanted[key][ref] = decode_id(ref, types[key])
    found: dict[str, dict[str, Any]] = {}
    for key, model in (("item_id", Item), ("variant_id", ItemVariant), ("tax_id", Tax)):
        ids = [pk for pk in wanted[key].values() if pk]
        rows = (await session.scalars(select(model).where(model.id.in_(ids)))).all() if ids else []
        by_pk = {row.id: row for row in rows}
        found[key] = {ref: by_pk[pk] for ref, pk in wanted[key].items() if pk in by_pk}
    errors: list[FieldError] = []
    for position, line in enumerate(lines):
        for key, what in types.items():
            ref = getattr(line, key)
            if ref is not None and ref not in found[key]:
                errors.append(
                    FieldError(("lines", str(position), to_camel(key)), f"{what} not found", ErrorCode.NOT_FOUND)
                )
        variant = found["variant_id"].get(line.variant_id) if line.variant_id else None
        item = found["item_id"].get(line.item_id) if line.item_id else None
        if variant is not None and (item is None or variant.item_id != item.id):
            errors.append(FieldError(("lines", str(position), "variantId"), "is not a variant of the line's item"))
    if errors:
        raise UserInputError(errors)
    items = {r.id: r for r in found["item_id"].values()}
    variants = {r.id: r for r in found["variant_id"].values()}
    taxes = {r.id: r for r in found["tax_id"].values()}
    # Items' default taxes may not be among the taxes the lines named.
    missing_tax_ids = {i.tax_id for i in items.values() if i.tax_id and i.tax_id not in taxes}
    if missing_tax_ids:
        for tax in (await session.scalars(select(Tax).where(Tax.id.in_(missing_tax_ids)))).all():
            taxes[tax.id] = tax
    # Lines refer to items by the ref the client sent; index by both.
    items_by_ref = {**items, **found["item_id"]}
    variants_by_ref = {**variants, **found["variant_id"]}
    taxes_by_ref = {**taxes, **found["tax_id"]}
    return _LineRefs(
        items=items_by_ref,
        variants=variants_by_ref,
        taxes=taxes_by_ref,
    )
