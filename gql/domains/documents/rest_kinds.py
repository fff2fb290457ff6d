"""Numbors REST for one kind of document each: /api/estimates, /api/credit-notes,
/api/sales/orders and /api/purchases/orders.

They are /api/documents with the kind fixed: the same service functions, the same
JSON, and a document of another kind is a 404 on a kind's path.

POST /api/credit-notes takes Numbors' `contact`, `amount` and `reason` (or `items`),
plus our optional `invoice`. It creates the credit note and issues it at once (the
Numbors API has no step to issue it later): against an invoice, its amount is
applied to the invoice (refused above the invoice's amount due); without one, it is
a credit on account, posted to the ledger against the contact's receivables.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import Field
from starlette.responses import Response
from starlette.routing import Route

from gql.core.errors import ErrorCode, UserInputError
from gql.core.graph import list_page
from gql.core.inputs import InputModel, validate
from gql.core.pagination import PageArgs
from gql.domains.documents import service
from gql.domains.documents.models import Document, DocumentKind, DocumentStatus
from gql.domains.documents.rest import (
    BODY_NAMES,
    MODULE,
    document_detail,
    documents_json,
    move_to,
)
from gql.domains.documents.schema import DOCUMENTS
from gql.rest.numbors import (
    Handler,
    RestContext,
    choice_param,
    endpoint,
    id_param,
    ok,
    page_params,
    paginated,
)
from gql.rest.openapi import DELETED, ApiRoute, choice, ref, text

EXPIRED = "expired"  # a status filter of estimates: sent and past the expiry date


async def _list(
    ctx: RestContext, kind: DocumentKind, *, statuses: list[str] | None = None
) -> Response:
    page = page_params(ctx.request, ctx.settings)
    status = choice_param(ctx.request, "status", statuses) if statuses else None
    filter = service.DocumentFilter(
        kind=kind.value,
        status=None if status == EXPIRED else status,
        expired=True if status == EXPIRED else None,
        contact_id=id_param(ctx.request, "contact", "Contact"),
    )
    result = await list_page(
        ctx.session, DOCUMENTS, PageArgs(first=page.limit, after=page.offset or None), where=filter
    )
    items = await documents_json(ctx, result.rows)
    return paginated(items, total=result.total, page=page.page, limit=page.limit)


async def _create(ctx: RestContext, kind: DocumentKind, body: dict[str, Any]) -> Any:
    body.pop("kind", None)  # the path names the kind
    return await service.create_document(
        session=ctx.session, data={**body, "kind": kind.value}, viewer=ctx.viewer
    )


def _kind_routes(
    prefix: str, kind: DocumentKind, *, items_required: bool, single: bool
) -> list[Route]:
    """List and create (and, with `single`, get, update and delete) for one kind."""
    kinds = {kind.value}
    statuses = [s.value for s in DocumentStatus] + (
        [EXPIRED] if kind is DocumentKind.ESTIMATE else []
    )

    async def list_kind(ctx: RestContext) -> Response:
        return await _list(ctx, kind, statuses=statuses)

    async def create_kind(ctx: RestContext) -> Response:
        body = await ctx.body()
        if items_required and not body.get("lines"):
            raise UserInputError.single(
                "lines", "at least one item is required", ErrorCode.REQUIRED
            )
        doc = await _create(ctx, kind, body)
        return ok(await document_detail(ctx, doc), 201)

    async def get_kind(ctx: RestContext) -> Response:
        doc = await service.get_document(
            session=ctx.session, id=ctx.request.path_params["id"], kinds=kinds
        )
        return ok(await document_detail(ctx, doc))

    async def update_kind(ctx: RestContext) -> Response:
        body = await ctx.body()  # first: a body that is not an object is a 400 for any id
        doc = await service.get_document(
            session=ctx.session, id=ctx.request.path_params["id"], kinds=kinds
        )
        status = body.pop("status", None)
        if body:
            doc = await service.update_document(session=ctx.session, id=doc.id, data=body)
        if status is not None:
            doc = await move_to(ctx, doc, status)
        return ok(await document_detail(ctx, doc))

    async def delete_kind(ctx: RestContext) -> Response:
        doc = await service.delete_document(
            session=ctx.session, id=ctx.request.path_params["id"], kinds=kinds
        )
        return ok({"id": doc.id, "deleted": True})

    name = kind.value

    def wrap(handler: Handler, verb: str, *, write: bool) -> Any:
        handler.__name__ = f"{verb}_{name}"
        return endpoint(module=MODULE, write=write, names=BODY_NAMES)(handler)

    # One declaration per shape, for every kind (estimates, sales and purchase orders).
    label = name.replace("_", " ")
    query = [choice("status", statuses), ref("contact"), text("search")]
    routes: list[Route] = [
        ApiRoute(
            prefix,
            wrap(list_kind, "list", write=False),
            "GET",
            summary=f"List {label}s",
            row=Document,
            query=query,
        ),
        ApiRoute(
            prefix,
            wrap(create_kind, "create", write=True),
            "POST",
            summary=f"Create a {label}",
            row=Document,
            body=service.DocumentCreate,
        ),
    ]
    if single:
        one = f"{prefix}/{{id}}"
        routes += [
            ApiRoute(
                one,
                wrap(get_kind, "get", write=False),
                "GET",
                summary=f"Get a {label}",
                row=Document,
            ),
            ApiRoute(
                one,
                wrap(update_kind, "update", write=True),
                "PUT",
                summary=f"Update a {label}",
                row=Document,
                body=service.DocumentUpdate,
            ),
            ApiRoute(
                one,
                wrap(delete_kind, "delete", write=True),
                "DELETE",
                summary=f"Delete a {label}",
                row=DELETED,
            ),
        ]
    return routes


# --- credit notes ------------------------------------------------------------------------------


class CreditNoteAmount(InputModel):
    amount: Decimal | None = Field(default=None, gt=0, max_digits=18, decimal_places=2)
    reason: str | None = Field(default=None, min_length=1, max_length=190)


def credit_note_fields(doc: Any) -> dict[str, Any]:
    """What a credit note's JSON adds to a document's, in the Numbors names."""
    return {"amount": doc.total, "reason": doc.notes, "invoice": doc.parent_id}


@endpoint(module=MODULE)
async def list_credit_notes(ctx: RestContext) -> Response:
    page = page_params(ctx.request, ctx.settings)
    filter = service.DocumentFilter(
        kind=DocumentKind.CREDIT_NOTE.value,
        contact_id=id_param(ctx.request, "contact", "Contact"),
        parent_id=id_param(ctx.request, "invoice", "Document"),
    )
    result = await list_page(
        ctx.session, DOCUMENTS, PageArgs(first=page.limit, after=page.offset or None), where=filter
    )
    items = await documents_json(ctx, result.rows)
    for data, doc in zip(items, result.rows, strict=True):
        data.update(credit_note_fields(doc))
    return paginated(items, total=result.total, page=page.page, limit=page.limit)


@endpoint(module=MODULE, write=True, names=BODY_NAMES)
async def create_credit_note(ctx: RestContext) -> Response:
    """Created and issued in one transaction: refused whole, or applied and posted."""
    body = await ctx.body()
    given = validate(CreditNoteAmount, {k: body.pop(k) for k in ("amount", "reason") if k in body})
    if given.amount is not None and body.get("lines"):
        raise UserInputError.single("amount", "send an amount or items, not both")
    if given.amount is None and not body.get("lines"):
        raise UserInputError.single(
            "amount", "an amount (or items) is required", ErrorCode.REQUIRED
        )
    if given.amount is not None:
        name = f"Credit: {given.reason}" if given.reason else "Credit"
        body["lines"] = [{"name": name, "quantity": "1", "unitPrice": given.amount}]
    if given.reason is not None:
        body.setdefault("notes", given.reason)
    doc = await _create(ctx, DocumentKind.CREDIT_NOTE, body)
    try:
        doc = await service.issue_document(session=ctx.session, id=doc.id)
    except UserInputError as exc:
        if given.amount is not None:  # the client sent an amount, not lines: name it
            exc = UserInputError(
                [
                    e if e.path != ("total",) else type(e)(("amount",), e.message, e.code)
                    for e in exc.errors
                ]
            )
        raise exc from None
    detail = await document_detail(ctx, doc)
    detail.update(credit_note_fields(doc))
    return ok(detail, 201)


routes = [
    *_kind_routes("/estimates", DocumentKind.ESTIMATE, items_required=False, single=True),
    ApiRoute(
        "/credit-notes",
        list_credit_notes,
        "GET",
        summary="List credit notes",
        row=Document,
        query=[ref("contact"), ref("invoice")],
    ),
    ApiRoute(
        "/credit-notes",
        create_credit_note,
        "POST",
        summary="Create a credit note",
        row=Document,
        body=service.DocumentCreate,
    ),
    *_kind_routes("/sales/orders", DocumentKind.SALES_ORDER, items_required=True, single=False),
    *_kind_routes(
        "/purchases/orders", DocumentKind.PURCHASE_ORDER, items_required=True, single=False
    ),
]
