"""Numbors REST: /api/documents (invoices, bills and the other kinds).

The helpers here (document JSON, bodies, error names, status moves) serve the
kind-specific paths in rest_kinds.py too."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from starlette.responses import Response

from gql.compiler.sqlenv import request_env
from gql.core.errors import UserInputError
from gql.core.graph import list_page
from gql.core.held_values import held_values
from gql.core.loaders import computed_values
from gql.core.lookups import rows_by_id
from gql.core.pagination import PageArgs
from gql.domains.catalogue.models import Item
from gql.domains.companies.modules import ModuleAlias
from gql.domains.contacts.models import Contact
from gql.domains.documents import service
from gql.domains.documents.computed import DERIVED
from gql.domains.documents.models import Document, DocumentKind, DocumentLine, DocumentStatus
from gql.domains.documents.schema import DOCUMENTS
from gql.rest.numbors import (
    RestContext,
    choice_param,
    endpoint,
    id_param,
    ok,
    page_params,
    paginated,
    row_json,
    text_param,
)
from gql.rest.openapi import DELETED, ApiRoute, choice, ref, text
from gql.rest.renames import Renames

MODULE = ModuleAlias.INVOICING

# The Numbors names for document fields, and ours.
BODY_NAMES = Renames(
    {
        "type": "kind",
        "contact": "contactId",
        "items": "lines",
        "issuedAt": "issueDate",
        "invoice": "invoiceId",
    },
    nested={
        "lines": Renames(
            {"item": "itemId", "variant": "variantId", "tax": "taxId", "price": "unitPrice"}
        )
    },
)


async def derived_of(ctx: RestContext, docs: list[Document]) -> dict[str, dict[str, Any]]:
    """amountDue, overdue and expired of each document: the expressions the GraphQL
    fields and filters use (gql.domains.documents.computed), over the rows in hand
    (evaluated in Python), else in one statement."""
    specs = list(DERIVED.values())
    found = held_values(Document, specs, docs, request_env(ctx.session))
    if found is None:
        found = await computed_values(ctx.session, Document, specs, [d.id for d in docs])
    return {pk: dict(zip(DERIVED, values, strict=True)) for pk, values in found.items()}


def document_json(
    doc: Document,
    derived: dict[str, Any],
    contact: Contact | None = None,
    lines: list[Any] | None = None,
) -> dict[str, Any]:
    """`derived`: the document's entry of `derived_of`."""
    data = row_json(doc, exclude=("company_id", "kind"), type=doc.kind, **derived)
    if contact is not None:
        data["contact"] = {
            "id": contact.id,
            "name": contact.name,
            "email": contact.email,
            "type": contact.type,
        }
    if lines is not None:
        data["items"] = lines
    return data


async def documents_json(ctx: RestContext, docs: list[Document]) -> list[dict[str, Any]]:
    """A page of documents, each with its contact: two statements for the page."""
    contacts = await rows_by_id(ctx.session, Contact, {d.contact_id for d in docs})
    derived = await derived_of(ctx, docs)
    return [document_json(d, derived[d.id], contacts.get(d.contact_id)) for d in docs]


async def document_detail(ctx: RestContext, doc: Document) -> dict[str, Any]:
    """A document with its contact and its lines, each line with its item."""
    lines = await service.lines_of(ctx.session, doc.id)
    item_ids = {line.item_id for line in lines if line.item_id}
    items = {}
    if item_ids:
        items = {
            i.id: i
            for i in (await ctx.session.scalars(select(Item).where(Item.id.in_(item_ids)))).all()
        }
    contact = (await rows_by_id(ctx.session, Contact, {doc.contact_id})).get(doc.contact_id)
    return await detail_json(ctx, doc, lines, items, contact)


async def detail_json(
    ctx: RestContext,
    doc: Document,
    lines: list[DocumentLine],
    items: dict[str, Item],
    contact: Contact | None,
) -> dict[str, Any]:
    """`document_detail` from the rows it shows."""
    line_json = []
    for line in lines:
        item = items.get(line.item_id) if line.item_id else None
        line_json.append(
            row_json(
                line,
                exclude=("company_id", "document_id"),
                item={"id": item.id, "name": item.name, "sku": item.sku} if item else None,
            )
        )
    derived = await derived_of(ctx, [doc])
    return document_json(doc, derived[doc.id], contact, line_json)


@endpoint(module=MODULE)
async def list_documents(ctx: RestContext) -> Response:
    page = page_params(ctx.request, ctx.settings)
    filter = service.DocumentFilter(
        kind=choice_param(ctx.request, "type", [k.value for k in DocumentKind]),
        status=choice_param(ctx.request, "status", [s.value for s in DocumentStatus]),
        contact_id=id_param(ctx.request, "contact", "Contact"),
        search=text_param(ctx.request, "search", ctx.settings),
    )
    result = await list_page(
        ctx.session, DOCUMENTS, PageArgs(first=page.limit, after=page.offset or None), where=filter
    )
    items = await documents_json(ctx, result.rows)
    return paginated(items, total=result.total, page=page.page, limit=page.limit)


@endpoint(module=MODULE, write=True, names=BODY_NAMES)
async def create_document(ctx: RestContext) -> Response:
    new = await service.create_document_with_lines(
        session=ctx.session, data=await ctx.body(), viewer=ctx.viewer
    )
    # Answered from what was just written and read, not read again.
    detail = await detail_json(ctx, new.document, new.lines, new.items, new.contact)
    return ok(detail, 201)


@endpoint(module=MODULE)
async def get_document(ctx: RestContext) -> Response:
    doc = await service.get_document(session=ctx.session, id=ctx.request.path_params["id"])
    return ok(await document_detail(ctx, doc))


@endpoint(module=MODULE, write=True, names=BODY_NAMES)
async def update_document(ctx: RestContext) -> Response:
    doc_id = ctx.request.path_params["id"]
    body = await ctx.body()
    # Numbors clients move a document along by PUTting its status.
    status = body.pop("status", None)
    doc = await service.get_document(session=ctx.session, id=doc_id)
    if body:
        doc = await service.update_document(session=ctx.session, id=doc_id, data=body)
    if status is not None:
        doc = await move_to(ctx, doc, status)
    return ok(await document_detail(ctx, doc))


async def move_to(ctx: RestContext, doc: Document, status: Any) -> Document:
    """A status PUT as the service step it stands for. Putting the status a document
    already has changes nothing, so of concurrent identical PUTs one takes the step
    and the others answer as that repeat would."""
    if status == doc.status:
        return doc
    try:
        return await _step(ctx, doc, status)
    except UserInputError:
        # The step's claim lost and refreshed `doc` from its row: if the winner moved it
        # to this very status, this request is a repeat.
        if doc.status == status:
            return doc
        raise


async def _step(ctx: RestContext, doc: Document, status: Any) -> Document:
    session = ctx.session
    if status == DocumentStatus.SENT.value:
        return await service.issue_document(session=session, id=doc.id)
    if status == DocumentStatus.CANCELLED.value:
        return await service.cancel_document(session=session, id=doc.id)
    if doc.kind == DocumentKind.ESTIMATE.value and status == DocumentStatus.ACCEPTED.value:
        return await service.accept_estimate(session=session, id=doc.id)
    if doc.kind == DocumentKind.ESTIMATE.value and status == DocumentStatus.DECLINED.value:
        return await service.decline_estimate(session=session, id=doc.id)
    if doc.kind in service.CONVERTS_TO and status == DocumentStatus.CONVERTED.value:
        _, source = await service.convert_document(session=session, id=doc.id, viewer=ctx.viewer)
        return source
    allowed = ["'sent' (issue)", "'cancelled'"]
    if doc.kind == DocumentKind.ESTIMATE.value:
        allowed[1:1] = ["'accepted'", "'declined'"]
    if doc.kind in service.CONVERTS_TO:
        allowed.append("'converted' (makes a draft invoice or bill)")
    raise UserInputError.single(
        "status", f"can be set to {', '.join(allowed)}; payments move it further"
    )


@endpoint(module=MODULE, write=True)
async def delete_document(ctx: RestContext) -> Response:
    doc = await service.delete_document(session=ctx.session, id=ctx.request.path_params["id"])
    return ok({"id": doc.id, "deleted": True})


routes = [
    ApiRoute(
        "/documents",
        list_documents,
        "GET",
        summary="List documents",
        row=Document,
        query=[
            choice("type", DocumentKind),
            choice("status", DocumentStatus),
            ref("contact"),
            text("search"),
        ],
    ),
    ApiRoute(
        "/documents",
        create_document,
        "POST",
        summary="Create a document",
        row=Document,
        body=service.DocumentCreate,
    ),
    ApiRoute("/documents/{id}", get_document, "GET", summary="Get a document", row=Document),
    ApiRoute(
        "/documents/{id}",
        update_document,
        "PUT",
        summary="Update a document",
        row=Document,
        body=service.DocumentUpdate,
    ),
    ApiRoute(
        "/documents/{id}", delete_document, "DELETE", summary="Delete a document", row=DELETED
    ),
]
