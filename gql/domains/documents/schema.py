"""Query and Mutation fields of documents (module: invoicing)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry

from gql.auth.permissions import module_read, module_write
from gql.auth.viewer import Viewer
from gql.context import Loaders
from gql.core.graph import RootConnection, root_connection, root_get
from gql.core.loaders import ComputedLoader
from gql.core.mutations import mutation
from gql.db.engine import RequestSession
from gql.domains.documents import service
from gql.domains.documents.computed import AMOUNT_DUE
from gql.domains.documents.loaders import DocumentLinesByDocumentIdLoader
from gql.domains.documents.models import Document, DocumentKind
from gql.domains.documents.settlement import amount_due_of
from gql.domains.documents.types import (
    MODULE,
    DocumentConnection,
    DocumentConvertPayload,
    DocumentCreateInput,
    DocumentDeletePayload,
    DocumentFilter,
    DocumentIdInput,
    DocumentNode,
    DocumentOrder,
    DocumentPayload,
    DocumentUpdateInput,
    filter_of,
    order_of,
)

READ = module_read(MODULE)
WRITE = module_write(MODULE)


def _converting(*, kinds: set[str] | None) -> Callable[..., Awaitable[dict[str, Any]]]:
    """The conversion of a document of `kinds` (None: any convertible kind): the new
    draft and its source, the payload's two fields."""

    async def convert(*, session: RequestSession, viewer: Viewer, id: str) -> dict[str, Any]:
        document, source = await service.convert_document(
            session=session, id=id, kinds=kinds, viewer=viewer
        )
        return {"document": document, "source": source}

    return convert


def _new_document(new: service.NewDocument, loaders: Loaders) -> Document:
    """The payload's document, its lines as just written (not read back)."""
    loaders.get(DocumentLinesByDocumentIdLoader).prime(new.document.id, new.lines)
    return new.document


def _issued(doc: Document, loaders: Loaders) -> Document:
    """The payload's document, with its amount due from the row the issue's claim just
    wrote (issuing changes none of its amounts), not read again."""
    due = amount_due_of(doc.total, doc.amount_paid, doc.amount_credited)
    loaders.get(ComputedLoader).prime((AMOUNT_DUE, Document, doc.id), due)
    return doc


DOCUMENTS = RootConnection(Document, filter_of, order_of, service.ORDER_COLUMNS)


@strawberry.type
class Query:
    document: DocumentNode | None = root_get(
        Document,
        "Document",
        permission_classes=READ,
        description="A document by id; null with NOT_FOUND when there is none.",
    )

    documents: DocumentConnection = root_connection(
        DOCUMENTS,
        DocumentConnection,
        filter=DocumentFilter,
        order=DocumentOrder,
        permission_classes=READ,
        description="Invoices, bills and the other documents.",
    )


@strawberry.type
class Mutation:
    document_create = mutation(
        input=DocumentCreateInput,
        payload=DocumentPayload,
        field="document",
        run=service.create_document_with_lines,
        answer=_new_document,
        permission=WRITE,
        description="Create a draft document with its lines.",
    )

    document_update = mutation(
        input=DocumentUpdateInput,
        payload=DocumentPayload,
        field="document",
        run=service.update_document,
        permission=WRITE,
        description="Change a document. An issued document keeps its lines and amounts.",
    )

    document_issue = mutation(
        input=DocumentIdInput,
        payload=DocumentPayload,
        field="document",
        run=service.issue_document,
        answer=_issued,
        permission=WRITE,
        description="Issue a draft: draft -> sent. An invoice, bill or credit note posts its "
        "voucher; a credit note against an invoice is applied to it (refused above the "
        "invoice's amount due).",
    )

    document_cancel = mutation(
        input=DocumentIdInput,
        payload=DocumentPayload,
        field="document",
        run=service.cancel_document,
        permission=WRITE,
        description="Cancel a document; nothing more can happen to it. An issued invoice, bill "
        "or credit note has its voucher reversed; a credit note gives its credit back to the "
        "invoice.",
    )

    document_convert = mutation(
        input=DocumentIdInput,
        payload=DocumentConvertPayload,
        run=_converting(kinds=None),
        permission=WRITE,
        description="Convert an estimate or a sales order into a draft invoice, a purchase order "
        "into a draft bill (same contact, currency, lines, discounts and shipping; its parent is "
        "the source, which becomes converted). A declined, cancelled or converted document "
        "cannot be converted.",
    )

    estimate_accept = mutation(
        input=DocumentIdInput,
        payload=DocumentPayload,
        field="document",
        run=service.accept_estimate,
        permission=WRITE,
        description="The customer accepted a sent estimate: sent -> accepted.",
    )

    estimate_decline = mutation(
        input=DocumentIdInput,
        payload=DocumentPayload,
        field="document",
        run=service.decline_estimate,
        permission=WRITE,
        description="The customer declined a sent estimate: sent -> declined.",
    )

    estimate_convert = mutation(
        input=DocumentIdInput,
        payload=DocumentConvertPayload,
        run=_converting(kinds={DocumentKind.ESTIMATE.value}),
        permission=WRITE,
        description="Turn an estimate into a draft invoice linked to it; the estimate becomes "
        "converted.",
    )

    document_delete = mutation(
        input=DocumentIdInput,
        payload=DocumentDeletePayload,
        field="deleted_document_id",
        returns="deleted_id",
        run=service.delete_document,
        permission=WRITE,
        description="Delete a draft document.",
    )
