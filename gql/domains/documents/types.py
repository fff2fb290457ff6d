"""GraphQL types of documents: Document, DocumentLine, inputs, filter and order."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from gql.context import Context
from gql.core.graph import computed, money, to_many, to_one, to_one_by
from gql.core.ids import decode_id
from gql.core.inputs import input_to_dict
from gql.core.money import Money
from gql.core.mutations import UserError
from gql.core.ordering import OrderDirection
from gql.core.relay import Connection, Node, node_type
from gql.domains.audit.types import AuditEventConnection, audit_events_edge
from gql.domains.banking.loaders import TransactionsByDocumentIdLoader
from gql.domains.catalogue.loaders import ItemByIdLoader, ItemVariantByIdLoader, TaxByIdLoader
from gql.domains.catalogue.types import ItemNode, ItemVariantNode, TaxNode
from gql.domains.companies.modules import ModuleAlias
from gql.domains.contacts.loaders import ContactByIdLoader
from gql.domains.contacts.types import ContactNode
from gql.domains.documents import service
from gql.domains.documents.computed import AMOUNT_DUE, EXPIRED, OVERDUE
from gql.domains.documents.loaders import (
    DocumentByIdLoader,
    DocumentLineByIdLoader,
    DocumentLinesByDocumentIdLoader,
    DocumentsByParentIdLoader,
    VoucherByDocumentIdLoader,
)
from gql.domains.documents.models import Document, DocumentKind, DocumentLine, DocumentStatus

if TYPE_CHECKING:
    from gql.domains.banking.types import TransactionNode
    from gql.domains.ledger.types import VoucherNode

MODULE = ModuleAlias.INVOICING

DocumentKindEnum = strawberry.enum(DocumentKind, name="DocumentKind")
DocumentStatusEnum = strawberry.enum(
    DocumentStatus,
    name="DocumentStatus",
    description=(
        "draft -> sent -> partial -> paid, by payments (and credit notes); estimates: sent -> "
        "accepted / declined; estimates and orders: converted once turned into an invoice or "
        "bill; cancelled stops everything."
    ),
)


async def _load_documents(ctx: Context, ids: list[str]) -> list[Any]:
    return await ctx.loaders.get(DocumentByIdLoader).load_many(ids)  # type: ignore[no-any-return]


async def _load_lines(ctx: Context, ids: list[str]) -> list[Any]:
    return await ctx.loaders.get(DocumentLineByIdLoader).load_many(ids)  # type: ignore[no-any-return]


@node_type(name="DocumentLine", model=DocumentLine, load=_load_lines, module=MODULE)
class DocumentLineNode(Node):
    position: int
    name: str
    description: str | None
    quantity: Decimal
    unit_price: Decimal
    discount_rate: Decimal | None
    discount_amount: Decimal | None
    tax_rate: Decimal = strawberry.field(description="The tax rate when the line was written.")
    net: Decimal = strawberry.field(description="Quantity x unit price, less the line discount.")
    tax_amount: Decimal
    item: ItemNode | None = to_one(ItemByIdLoader, "item_id")
    variant: ItemVariantNode | None = to_one(ItemVariantByIdLoader, "variant_id")
    tax: TaxNode | None = to_one(TaxByIdLoader, "tax_id")
    document: DocumentNode = to_one(DocumentByIdLoader, "document_id")


@node_type(
    name="Document",
    model=Document,
    load=_load_documents,
    module=MODULE,
    description="An invoice, bill, estimate, credit note, sales order or purchase order.",
)
class DocumentNode(Node):
    kind: DocumentKindEnum  # type: ignore[valid-type]
    number: str
    status: DocumentStatusEnum  # type: ignore[valid-type]
    issue_date: date
    due_date: date | None
    currency_code: str
    currency_rate: Decimal
    discount_rate: Decimal | None
    discount_amount: Decimal | None
    reference: str | None
    notes: str | None
    terms: str | None
    expiry_date: date | None = strawberry.field(description="Estimates: valid until this day.")
    issued_at: datetime | None
    cancelled_at: datetime | None
    created_at: datetime
    updated_at: datetime
    gateway_ids: list[str] = strawberry.field(description="The payment gateways offered.")
    attachments: list[str] = strawberry.field(description="Attached files (URLs).")
    payment_description: str | None
    was_estimate: bool = strawberry.field(description="Made from an estimate.")
    archived: bool
    overdue: bool = computed(OVERDUE, description="Issued, unpaid and past its due date.")
    expired: bool = computed(
        EXPIRED,
        description="An estimate sent, neither accepted, declined nor converted, past its "
        "expiry date.",
    )
    subtotal: Money = money("subtotal")
    discount_total: Money = money("discount_total")
    tax_total: Money = money("tax_total")
    shipping: Money = money("shipping")
    total: Money = money("total")
    amount_paid: Money = money("amount_paid")
    amount_credited: Money = money(
        "amount_credited", description="Invoices: the total of the credit notes issued against it."
    )
    amount_due: Money = money(
        AMOUNT_DUE,
        description="Total less amount paid and amount credited.",
    )
    contact: ContactNode = to_one(ContactByIdLoader, "contact_id")
    lines: list[DocumentLineNode] = to_many(DocumentLinesByDocumentIdLoader)
    parent: DocumentNode | None = to_one(
        DocumentByIdLoader,
        "parent_id",
        description="What this document was made from: a credit note's invoice, the estimate "
        "or order an invoice or bill was converted from.",
    )
    children: list[DocumentNode] = to_many(
        DocumentsByParentIdLoader,
        description="What was made from this document (credit notes, conversions), oldest first.",
    )
    voucher: Annotated[VoucherNode, strawberry.lazy("gql.domains.ledger.types")] | None = to_one_by(
        VoucherByDocumentIdLoader,
        description="The journal entry issuing this document posted (null for drafts and "
        "kinds that post nothing).",
    )
    payments: list[Annotated[TransactionNode, strawberry.lazy("gql.domains.banking.types")]] = (
        to_many(
            TransactionsByDocumentIdLoader,
            description="Payments on this invoice or bill (bank transactions), oldest first.",
        )
    )
    audit_events: AuditEventConnection = audit_events_edge()


@strawberry.type(name="DocumentConnection")
class DocumentConnection(Connection[DocumentNode]):
    pass


@strawberry.enum(description="What documents can be sorted by.")
class DocumentOrderField(Enum):
    ISSUE_DATE = "issue_date"
    DUE_DATE = "due_date"
    NUMBER = "number"
    CREATED_AT = "created_at"


@strawberry.input(description="How to sort documents.")
class DocumentOrder:
    field: DocumentOrderField = DocumentOrderField.ISSUE_DATE
    direction: OrderDirection = OrderDirection.DESC


@strawberry.input(description="Which documents to list; all conditions must hold.")
class DocumentFilter:
    kind: DocumentKindEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    status: DocumentStatusEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    contact_id: strawberry.ID | None = strawberry.UNSET
    issue_date_from: date | None = strawberry.UNSET
    issue_date_to: date | None = strawberry.UNSET
    due_date_from: date | None = strawberry.UNSET
    due_date_to: date | None = strawberry.UNSET
    overdue: bool | None = strawberry.UNSET
    expired: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Estimates past their expiry date."
    )
    parent_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Documents made from this one."
    )
    search: str | None = strawberry.field(
        default=strawberry.UNSET, description="Part of the number or reference."
    )


def filter_of(value: DocumentFilter | None) -> service.DocumentFilter:
    data = input_to_dict(value) if value else {}
    contact = data.get("contactId")
    parent = data.get("parentId")
    return service.DocumentFilter(
        kind=getattr(data.get("kind"), "value", None),
        status=getattr(data.get("status"), "value", None),
        # An id that is not a contact's matches nothing, like another company's.
        contact_id=(decode_id(contact, "Contact") or "-") if contact else None,
        issue_date_from=data.get("issueDateFrom"),
        issue_date_to=data.get("issueDateTo"),
        due_date_from=data.get("dueDateFrom"),
        due_date_to=data.get("dueDateTo"),
        overdue=data.get("overdue"),
        expired=data.get("expired"),
        parent_id=(decode_id(parent, "Document") or "-") if parent else None,
        search=data.get("search"),
    )


def order_of(value: DocumentOrder | None) -> tuple[str, str]:
    order = value or DocumentOrder()
    return order.field.value, order.direction.value


@strawberry.input
class DocumentLineInput:
    item_id: strawberry.ID | None = strawberry.UNSET
    variant_id: strawberry.ID | None = strawberry.UNSET
    tax_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Defaults to the item's tax."
    )
    name: str | None = strawberry.field(
        default=strawberry.UNSET, description="Defaults to the item's name."
    )
    description: str | None = strawberry.UNSET
    quantity: Decimal | None = strawberry.UNSET
    unit_price: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="Defaults to the item's sale (or purchase) price."
    )
    discount_rate: Decimal | None = strawberry.UNSET
    discount_amount: Decimal | None = strawberry.UNSET


@strawberry.input(description="A document's fields; on update, only the fields sent change.")
class DocumentFieldsInput:
    issue_date: date | None = strawberry.UNSET
    due_date: date | None = strawberry.UNSET
    currency_code: str | None = strawberry.UNSET
    currency_rate: Decimal | None = strawberry.UNSET
    discount_rate: Decimal | None = strawberry.UNSET
    discount_amount: Decimal | None = strawberry.UNSET
    shipping: Decimal | None = strawberry.UNSET
    reference: str | None = strawberry.UNSET
    notes: str | None = strawberry.UNSET
    terms: str | None = strawberry.UNSET
    expiry_date: date | None = strawberry.field(
        default=strawberry.UNSET, description="Estimates only."
    )
    invoice_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="Credit notes only: the invoice credited (same contact); without one, a "
        "credit on account.",
    )
    lines: list[DocumentLineInput] | None = strawberry.field(
        default=strawberry.UNSET, description="On update, replaces every line (drafts only)."
    )
    number: str | None = strawberry.field(
        default=strawberry.UNSET, description="A number of your own instead of the next one."
    )
    gateway_ids: list[str] | None = strawberry.UNSET
    attachments: list[str] | None = strawberry.UNSET
    payment_description: str | None = strawberry.UNSET
    was_estimate: bool | None = strawberry.UNSET
    archived: bool | None = strawberry.UNSET


@strawberry.input
class DocumentCreateInput(DocumentFieldsInput):
    kind: DocumentKindEnum  # type: ignore[valid-type]
    contact_id: strawberry.ID


@strawberry.input
class DocumentUpdateInput(DocumentFieldsInput):
    id: strawberry.ID
    contact_id: strawberry.ID | None = strawberry.UNSET


@strawberry.input
class DocumentIdInput:
    id: strawberry.ID


@strawberry.type
class DocumentPayload:
    document: DocumentNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DocumentConvertPayload:
    document: DocumentNode | None = strawberry.field(
        default=None,
        description="The new draft invoice (or bill), its parent the converted document.",
    )
    source: DocumentNode | None = strawberry.field(
        default=None, description="The estimate or order, now converted."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DocumentDeletePayload:
    deleted_document_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
