"""Numbors REST: /api/pos/terminals, /api/pos/sessions (with their terminal and user
populated), /api/pos/sessions/open, /api/pos/orders and /api/pos/loyalty (programmes).
Closing a session is GraphQL only (posSessionClose): the Numbors document has no path
for it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import col
from starlette.responses import Response

from gql.core.graph import list_page
from gql.core.lookups import rows_by_id
from gql.core.pagination import PageArgs
from gql.domains.companies.loaders import MemberByUserIdLoader
from gql.domains.pos import service
from gql.domains.pos.models import (
    LoyaltyProgram,
    PosOrder,
    PosOrderLine,
    PosSession,
    PosTerminal,
    SessionStatus,
)
from gql.domains.pos.schema import PROGRAMS, SESSIONS, TERMINALS
from gql.domains.pos.types import MODULE
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

# The Numbors names for the fields, and ours.
TERMINAL_NAMES = Renames(
    {"warehouse": "warehouseId", "cashAccount": "cashAccountId", "cardAccount": "cardAccountId"}
)
SESSION_NAMES = Renames({"terminal": "terminalId"})
ORDER_NAMES = Renames(
    {"session": "sessionId", "items": "lines", "contact": "contactId"},
    nested={
        "lines": Renames(
            {"item": "itemId", "variant": "variantId", "tax": "taxId", "price": "unitPrice"}
        )
    },
)
PROGRAM_NAMES = Renames({"pointsPerPound": "pointsPerUnit"})


def _page_args(ctx: RestContext) -> tuple[int, int, PageArgs]:
    page = page_params(ctx.request, ctx.settings)
    return page.page, page.limit, PageArgs(first=page.limit, after=page.offset or None)


def terminal_json(t: Any) -> dict[str, Any]:
    return row_json(
        t,
        exclude=("company_id", "warehouse_id", "cash_account_id", "card_account_id"),
        warehouse=t.warehouse_id,
        cashAccount=t.cash_account_id,
        cardAccount=t.card_account_id,
    )


async def sessions_json(ctx: RestContext, sessions: list[PosSession]) -> list[dict[str, Any]]:
    """Each session with its terminal and the user who opened it: two statements."""
    terminals = await rows_by_id(ctx.session, PosTerminal, {s.terminal_id for s in sessions})
    users = sorted({s.opened_by_id for s in sessions})
    found = await MemberByUserIdLoader(ctx.session).load_many(users) if users else []
    members = dict(zip(users, found, strict=True))
    out = []
    for s in sessions:
        terminal = terminals.get(s.terminal_id)
        user = members.get(s.opened_by_id)
        out.append(
            row_json(
                s,
                exclude=("company_id", "terminal_id", "opened_by_id", "closed_by_id"),
                currency=s.currency_code,
                terminal=None
                if terminal is None
                else {"id": terminal.id, "name": terminal.name, "location": terminal.location},
                user=None
                if user is None
                else {"id": user.id, "name": user.name, "email": user.email},
                closedBy=s.closed_by_id,
            )
        )
    return out


async def order_json(ctx: RestContext, order: PosOrder) -> dict[str, Any]:
    """The order with its items (its lines) as written."""
    lines = (
        await ctx.session.scalars(
            select(PosOrderLine)
            .where(col(PosOrderLine.order_id) == order.id)
            .order_by(col(PosOrderLine.position))
        )
    ).all()
    refs = ("session_id", "terminal_id", "contact_id", "transaction_id", "loyalty_program_id")
    return row_json(
        order,
        exclude=("company_id", *refs),
        currency=order.currency_code,
        session=order.session_id,
        terminal=order.terminal_id,
        contact=order.contact_id,
        transaction=order.transaction_id,
        loyaltyProgram=order.loyalty_program_id,
        items=[
            row_json(
                line,
                exclude=("company_id", "order_id", "item_id", "variant_id", "tax_id"),
                item=line.item_id,
                variant=line.variant_id,
                tax=line.tax_id,
            )
            for line in lines
        ],
    )


def program_json(p: LoyaltyProgram) -> dict[str, Any]:
    return row_json(p, exclude=("company_id", "points_per_unit"), pointsPerPound=p.points_per_unit)


@endpoint(module=MODULE)
async def list_terminals(ctx: RestContext) -> Response:
    page, limit, args = _page_args(ctx)
    filter = service.TerminalFilter(
        enabled=bool_param(ctx.request, "enabled"),
        search=text_param(ctx.request, "search", ctx.settings),
    )
    result = await list_page(ctx.session, TERMINALS, args, where=filter)
    items = [terminal_json(t) for t in result.rows]
    return paginated(items, total=result.total, page=page, limit=limit)


@endpoint(module=MODULE, write=True, names=TERMINAL_NAMES)
async def create_terminal(ctx: RestContext) -> Response:
    terminal = await service.create_terminal(session=ctx.session, data=await ctx.body())
    return ok(terminal_json(terminal), 201)


@endpoint(module=MODULE)
async def list_sessions(ctx: RestContext) -> Response:
    page, limit, args = _page_args(ctx)
    filter = service.SessionFilter(
        terminal_id=id_param(ctx.request, "terminal", "PosTerminal"),
        status=choice_param(ctx.request, "status", [s.value for s in SessionStatus]),
    )
    result = await list_page(ctx.session, SESSIONS, args, where=filter)
    items = await sessions_json(ctx, result.rows)
    return paginated(items, total=result.total, page=page, limit=limit)


@endpoint(module=MODULE, write=True, names=SESSION_NAMES)
async def open_session(ctx: RestContext) -> Response:
    opened = await service.open_session(
        session=ctx.session, viewer=ctx.viewer, data=await ctx.body()
    )
    return ok((await sessions_json(ctx, [opened]))[0], 201)


@endpoint(module=MODULE, write=True, names=ORDER_NAMES)
async def create_order(ctx: RestContext) -> Response:
    order = await service.create_order(
        session=ctx.session, viewer=ctx.viewer, data=await ctx.body()
    )
    return ok(await order_json(ctx, order), 201)


@endpoint(module=MODULE)
async def list_programs(ctx: RestContext) -> Response:
    page, limit, args = _page_args(ctx)
    filter = service.ProgramFilter(active=bool_param(ctx.request, "active"))
    result = await list_page(ctx.session, PROGRAMS, args, where=filter)
    items = [program_json(p) for p in result.rows]
    return paginated(items, total=result.total, page=page, limit=limit)


@endpoint(module=MODULE, write=True, names=PROGRAM_NAMES)
async def create_program(ctx: RestContext) -> Response:
    program = await service.create_program(session=ctx.session, data=await ctx.body())
    return ok(program_json(program), 201)


routes = [
    ApiRoute(
        "/pos/terminals",
        list_terminals,
        "GET",
        summary="List terminals",
        row=PosTerminal,
        query=[flag("enabled"), text("search")],
    ),
    ApiRoute(
        "/pos/terminals",
        create_terminal,
        "POST",
        summary="Create a terminal",
        row=PosTerminal,
        body=service.TerminalCreate,
    ),
    ApiRoute(
        "/pos/sessions",
        list_sessions,
        "GET",
        summary="List sessions",
        row=PosSession,
        query=[ref("terminal"), choice("status", SessionStatus)],
    ),
    ApiRoute(
        "/pos/sessions/open",
        open_session,
        "POST",
        summary="Open a session",
        row=PosSession,
        body=service.SessionOpen,
    ),
    ApiRoute(
        "/pos/orders",
        create_order,
        "POST",
        summary="Record an order",
        row=PosOrder,
        body=service.OrderCreate,
    ),
    ApiRoute(
        "/pos/loyalty",
        list_programs,
        "GET",
        summary="List loyalty programs",
        row=LoyaltyProgram,
        query=[flag("active")],
    ),
    ApiRoute(
        "/pos/loyalty/programs",
        create_program,
        "POST",
        summary="Create a loyalty program",
        row=LoyaltyProgram,
        body=service.ProgramCreate,
    ),
]
