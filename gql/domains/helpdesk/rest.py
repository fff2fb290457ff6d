"""Numbors REST: /api/helpdesk/categories, tickets, slas and articles (module: helpdesk)."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from gql.core.graph import list_page
from gql.core.loaders import computed_values
from gql.core.pagination import PageArgs
from gql.domains.companies.loaders import MemberByUserIdLoader
from gql.domains.companies.modules import ModuleAlias
from gql.domains.contacts.loaders import ContactByIdLoader
from gql.domains.helpdesk import service
from gql.domains.helpdesk.computed import BREACHED, RESOLUTION_BREACHED, RESPONSE_BREACHED
from gql.domains.helpdesk.loaders import (
    SlaTargetsBySlaIdLoader,
    TicketCategoryByIdLoader,
)
from gql.domains.helpdesk.models import (
    Article,
    Sla,
    Ticket,
    TicketCategory,
    TicketPriority,
    TicketStatus,
)
from gql.domains.helpdesk.schema import ARTICLES, CATEGORIES, SLAS, TICKETS
from gql.rest.numbors import (
    RestContext,
    bool_param,
    choice_param,
    endpoint,
    id_param,
    ok,
    page_params,
    paginated,
    row_json,
    text_param,
)
from gql.rest.openapi import ApiRoute, choice, flag, ref, text
from gql.rest.renames import Renames

MODULE = ModuleAlias.HELPDESK
# The Numbors names for the fields, and ours.
TICKET_NAMES = Renames(
    {"category": "categoryId", "contact": "contactId", "assignee": "assigneeId", "sla": "slaId"}
)
ARTICLE_NAMES = Renames({"category": "categoryId"})
FLAGS = (RESPONSE_BREACHED, RESOLUTION_BREACHED, BREACHED)


def _page(ctx: RestContext) -> tuple[int, int, PageArgs]:
    page = page_params(ctx.request, ctx.settings)
    return page.page, page.limit, PageArgs(first=page.limit, after=page.offset or None)


def _brief(row: Any, *fields: str) -> dict[str, Any] | None:
    return None if row is None else {name: getattr(row, name) for name in ("id", *fields)}


async def tickets_json(ctx: RestContext, tickets: list[Ticket]) -> list[dict[str, Any]]:
    """The tickets with their contact, category and assignee populated and their SLA
    flags (the expressions Ticket.responseBreached, ... answer on GraphQL): one
    statement per kind of thing, whatever the number of tickets."""

    async def load(loader: type[Any], keys: set[str | None]) -> dict[str, Any]:
        wanted = sorted(k for k in keys if k is not None)
        if not wanted:
            return {}
        rows = await loader(ctx.session).load_many(wanted)
        return dict(zip(wanted, rows, strict=True))

    contacts = await load(ContactByIdLoader, {t.contact_id for t in tickets})
    categories = await load(TicketCategoryByIdLoader, {t.category_id for t in tickets})
    members = await load(MemberByUserIdLoader, {t.assignee_id for t in tickets})
    flags = await computed_values(ctx.session, Ticket, FLAGS, [t.id for t in tickets])
    out = []
    for t in tickets:
        response, resolution, either = flags[t.id]
        refs = ("contact_id", "category_id", "assignee_id", "sla_id")
        out.append(
            row_json(
                t,
                exclude=("company_id", *refs),
                contact=_brief(contacts.get(t.contact_id or ""), "name", "email"),
                category=_brief(categories.get(t.category_id or ""), "name"),
                assignee=_brief(members.get(t.assignee_id or ""), "name", "email"),
                sla=t.sla_id,
                responseBreached=response,
                resolutionBreached=resolution,
                breached=either,
            )
        )
    return out


async def slas_json(ctx: RestContext, slas: list[Sla]) -> list[dict[str, Any]]:
    targets = await SlaTargetsBySlaIdLoader(ctx.session).load_many([s.id for s in slas])
    return [
        row_json(
            sla,
            targets=[
                {
                    "priority": t.priority,
                    "responseTime": t.response_time,
                    "resolutionTime": t.resolution_time,
                }
                for t in own
            ],
        )
        for sla, own in zip(slas, targets, strict=True)
    ]


def article_json(article: Article) -> dict[str, Any]:
    return row_json(article, exclude=("company_id", "category_id"), category=article.category_id)


# --- categories -----------------------------------------------------------------------------


@endpoint(module=MODULE)
async def list_categories(ctx: RestContext) -> Response:
    page, limit, args = _page(ctx)
    where = service.NameFilter(CATEGORIES.model, text_param(ctx.request, "search", ctx.settings))
    result = await list_page(ctx.session, CATEGORIES, args, where=where)
    return paginated([row_json(r) for r in result.rows], total=result.total, page=page, limit=limit)


@endpoint(module=MODULE, write=True)
async def create_category(ctx: RestContext) -> Response:
    row = await service.create_category(session=ctx.session, data=await ctx.body())
    return ok(row_json(row), 201)


# --- tickets --------------------------------------------------------------------------------


@endpoint(module=MODULE)
async def list_tickets(ctx: RestContext) -> Response:
    page, limit, args = _page(ctx)
    request = ctx.request
    where = service.TicketFilter(
        status=choice_param(request, "status", [s.value for s in TicketStatus]),
        priority=choice_param(request, "priority", [p.value for p in TicketPriority]),
        category_id=id_param(request, "category", "TicketCategory"),
        contact_id=id_param(request, "contact", "Contact"),
        assignee_id=request.query_params.get("assignee") or None,
        breached=bool_param(request, "breached"),
        search=text_param(request, "search", ctx.settings),
    )
    result = await list_page(ctx.session, TICKETS, args, where=where)
    items = await tickets_json(ctx, result.rows)
    return paginated(items, total=result.total, page=page, limit=limit)


@endpoint(module=MODULE, write=True, names=TICKET_NAMES)
async def create_ticket(ctx: RestContext) -> Response:
    ticket = await service.create_ticket(session=ctx.session, data=await ctx.body())
    return ok((await tickets_json(ctx, [ticket]))[0], 201)


# --- SLAs -----------------------------------------------------------------------------------


@endpoint(module=MODULE)
async def list_slas(ctx: RestContext) -> Response:
    page, limit, args = _page(ctx)
    where = service.NameFilter(SLAS.model, text_param(ctx.request, "search", ctx.settings))
    result = await list_page(ctx.session, SLAS, args, where=where)
    items = await slas_json(ctx, result.rows)
    return paginated(items, total=result.total, page=page, limit=limit)


@endpoint(module=MODULE, write=True)
async def create_sla(ctx: RestContext) -> Response:
    sla = await service.create_sla(session=ctx.session, data=await ctx.body())
    return ok((await slas_json(ctx, [sla]))[0], 201)


# --- articles -------------------------------------------------------------------------------


@endpoint(module=MODULE)
async def list_articles(ctx: RestContext) -> Response:
    """Published articles; `published=false` lists the drafts, `includeUnpublished=true`
    both."""
    page, limit, args = _page(ctx)
    where = service.ArticleFilter(
        published=bool_param(ctx.request, "published"),
        include_unpublished=bool(bool_param(ctx.request, "includeUnpublished")),
        category_id=id_param(ctx.request, "category", "TicketCategory"),
        search=text_param(ctx.request, "search", ctx.settings),
    )
    result = await list_page(ctx.session, ARTICLES, args, where=where)
    items = [article_json(a) for a in result.rows]
    return paginated(items, total=result.total, page=page, limit=limit)


@endpoint(module=MODULE, write=True, names=ARTICLE_NAMES)
async def create_article(ctx: RestContext) -> Response:
    article = await service.create_article(session=ctx.session, data=await ctx.body())
    return ok(article_json(article), 201)


routes = [
    ApiRoute(
        "/helpdesk/categories",
        list_categories,
        "GET",
        summary="List ticket categories",
        row=TicketCategory,
        query=[text("search")],
    ),
    ApiRoute(
        "/helpdesk/categories",
        create_category,
        "POST",
        summary="Create a ticket category",
        row=TicketCategory,
        body=service.CategoryCreate,
    ),
    ApiRoute(
        "/helpdesk/tickets",
        list_tickets,
        "GET",
        summary="List tickets",
        row=Ticket,
        query=[
            choice("status", TicketStatus),
            choice("priority", TicketPriority),
            ref("category"),
            ref("contact"),
            ref("assignee"),
            flag("breached"),
            text("search"),
        ],
    ),
    ApiRoute(
        "/helpdesk/tickets",
        create_ticket,
        "POST",
        summary="Create a ticket",
        row=Ticket,
        body=service.TicketCreate,
    ),
    ApiRoute(
        "/helpdesk/slas", list_slas, "GET", summary="List SLAs", row=Sla, query=[text("search")]
    ),
    ApiRoute(
        "/helpdesk/slas",
        create_sla,
        "POST",
        summary="Create an SLA",
        row=Sla,
        body=service.SlaCreate,
    ),
    ApiRoute(
        "/helpdesk/articles",
        list_articles,
        "GET",
        summary="List articles",
        row=Article,
        query=[flag("published"), flag("includeUnpublished"), ref("category"), text("search")],
    ),
    ApiRoute(
        "/helpdesk/articles",
        create_article,
        "POST",
        summary="Create an article",
        row=Article,
        body=service.ArticleCreate,
    ),
]
