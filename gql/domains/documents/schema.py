"""Query and Mutation fields of documents (module: invoicing)."""

from __future__ import annotations

import strawberry

from gql.auth.permissions import module_read, module_write
from gql.context import Info
from gql.core.graph import RootConnection, root_connection, root_get
from gql.core.inputs import input_to_dict
from gql.core.mutations import run_mutation, save_mutation
from gql.core.relay import global_id_of
from gql.db import RequestSession
from gql.domains.documents import service
from gql.domains.documents.models import Document, DocumentKind
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


async def _convert_mutation(
    session: RequestSession, id: str, kinds: set[str] | None
) -> DocumentConvertPayload:
    async def action() -> DocumentConvertPayload:
        doc, source = await service.convert_document(session=session, id=id, kinds=kinds)
        return DocumentConvertPayload(document=doc, source=source)  # type: ignore[arg-type]

    return await run_mutation(session, DocumentConvertPayload, action)


ESTIMATE = {DocumentKind.ESTIMATE.value}


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
    @strawberry.mutation(
        description="Create a draft document with its lines.", permission_classes=WRITE
    )
    async def document_create(self, info: Info, input: DocumentCreateInput) -> DocumentPayload:
        session = info.context.session
        return await save_mutation(
            session,
            DocumentPayload,
            "document",
            lambda: service.create_document(session=session, data=input_to_dict(input)),
        )

    @strawberry.mutation(
        description="Change a document. An issued document keeps its lines and amounts.",
        permission_classes=WRITE,
    )
    async def document_update(self, info: Info, input: DocumentUpdateInput) -> DocumentPayload:
        session = info.context.session
        data = input_to_dict(input)
        document_id = data.pop("id")
        return await save_mutation(
            session,
            DocumentPayload,
            "document",
            lambda: service.update_document(session=session, id=document_id, data=data),
        )

    @strawberry.mutation(
        description="Issue a draft: draft -> sent. An invoice, bill or credit note posts its "
        "voucher; a credit note against an invoice is applied to it (refused above the "
        "invoice's amount due).",
        permission_classes=WRITE,
    )
    async def document_issue(self, info: Info, input: DocumentIdInput) -> DocumentPayload:
        session = info.context.session
        return await save_mutation(
            session,
            DocumentPayload,
            "document",
            lambda: service.issue_document(session=session, id=input.id),
        )

    @strawberry.mutation(
        description="Cancel a document; nothing more can happen to it. An issued invoice, bill "
        "or credit note has its voucher reversed; a credit note gives its credit back to the "
        "invoice.",
        permission_classes=WRITE,
    )
    async def document_cancel(self, info: Info, input: DocumentIdInput) -> DocumentPayload:
        session = info.context.session
        return await save_mutation(
            session,
            DocumentPayload,
            "document",
            lambda: service.cancel_document(session=session, id=input.id),
        )

    @strawberry.mutation(
        description="Convert an estimate or a sales order into a draft invoice, a purchase order "
        "into a draft bill (same contact, currency, lines, discounts and shipping; its parent is "
        "the source, which becomes converted). A declined, cancelled or converted document "
        "cannot be converted.",
        permission_classes=WRITE,
    )
    async def document_convert(self, info: Info, input: DocumentIdInput) -> DocumentConvertPayload:
        return await _convert_mutation(info.context.session, input.id, None)

    @strawberry.mutation(
        description="The customer accepted a sent estimate: sent -> accepted.",
        permission_classes=WRITE,
    )
    async def estimate_accept(self, info: Info, input: DocumentIdInput) -> DocumentPayload:
        session = info.context.session
        return await save_mutation(
            session,
            DocumentPayload,
            "document",
            lambda: service.accept_estimate(session=session, id=input.id),
        )

    @strawberry.mutation(
        description="The customer declined a sent estimate: sent -> declined.",
        permission_classes=WRITE,
    )
    async def estimate_decline(self, info: Info, input: DocumentIdInput) -> DocumentPayload:
        session = info.context.session
        return await save_mutation(
            session,
            DocumentPayload,
            "document",
            lambda: service.decline_estimate(session=session, id=input.id),
        )

    @strawberry.mutation(
        description="Turn an estimate into a draft invoice linked to it; the estimate becomes "
        "converted.",
        permission_classes=WRITE,
    )
    async def estimate_convert(self, info: Info, input: DocumentIdInput) -> DocumentConvertPayload:
        return await _convert_mutation(info.context.session, input.id, ESTIMATE)

    @strawberry.mutation(description="Delete a draft document.", permission_classes=WRITE)
    async def document_delete(self, info: Info, input: DocumentIdInput) -> DocumentDeletePayload:
        session = info.context.session

        async def action() -> DocumentDeletePayload:
            row = await service.delete_document(session=session, id=input.id)
            return DocumentDeletePayload(deleted_document_id=global_id_of(row))

        return await run_mutation(session, DocumentDeletePayload, action)
