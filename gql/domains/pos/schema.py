"""Query and Mutation fields of the point of sale (module: pos)."""

from __future__ import annotations

import strawberry

from gql.auth.permissions import module_read, module_write
from gql.core.graph import RootConnection, root_connection, root_get
from gql.core.mutations import mutation
from gql.domains.pos import service
from gql.domains.pos.models import LoyaltyProgram, PosOrder, PosSession, PosTerminal
from gql.domains.pos.types import (
    MODULE,
    LoyaltyProgramConnection,
    LoyaltyProgramCreateInput,
    LoyaltyProgramFilter,
    LoyaltyProgramNode,
    LoyaltyProgramOrder,
    LoyaltyProgramPayload,
    LoyaltyProgramUpdateInput,
    PosOrderConnection,
    PosOrderCreateInput,
    PosOrderFilter,
    PosOrderNode,
    PosOrderOrder,
    PosOrderPayload,
    PosSessionCloseInput,
    PosSessionConnection,
    PosSessionFilter,
    PosSessionNode,
    PosSessionOpenInput,
    PosSessionOrder,
    PosSessionPayload,
    PosTerminalConnection,
    PosTerminalCreateInput,
    PosTerminalFilter,
    PosTerminalNode,
    PosTerminalOrder,
    PosTerminalPayload,
    PosTerminalUpdateInput,
    order_filter_of,
    pos_order_order_of,
    program_filter_of,
    program_order_of,
    session_filter_of,
    session_order_of,
    terminal_filter_of,
    terminal_order_of,
)

READ = module_read(MODULE)
WRITE = module_write(MODULE)

TERMINALS = RootConnection(
    PosTerminal, terminal_filter_of, terminal_order_of, service.TERMINAL_ORDER_COLUMNS
)
SESSIONS = RootConnection(
    PosSession, session_filter_of, session_order_of, service.SESSION_ORDER_COLUMNS
)
ORDERS = RootConnection(PosOrder, order_filter_of, pos_order_order_of, service.ORDER_ORDER_COLUMNS)
PROGRAMS = RootConnection(
    LoyaltyProgram, program_filter_of, program_order_of, service.PROGRAM_ORDER_COLUMNS
)


@strawberry.type
class Query:
    pos_terminal: PosTerminalNode | None = root_get(
        PosTerminal, "PosTerminal", permission_classes=READ
    )
    pos_terminals: PosTerminalConnection = root_connection(
        TERMINALS,
        PosTerminalConnection,
        filter=PosTerminalFilter,
        order=PosTerminalOrder,
        permission_classes=READ,
        description="The company's terminals, by name unless ordered otherwise.",
    )
    pos_session: PosSessionNode | None = root_get(PosSession, "PosSession", permission_classes=READ)
    pos_sessions: PosSessionConnection = root_connection(
        SESSIONS,
        PosSessionConnection,
        filter=PosSessionFilter,
        order=PosSessionOrder,
        permission_classes=READ,
        description="Every terminal's sessions, latest opened first unless ordered otherwise.",
    )
    pos_order: PosOrderNode | None = root_get(PosOrder, "PosOrder", permission_classes=READ)
    pos_orders: PosOrderConnection = root_connection(
        ORDERS,
        PosOrderConnection,
        filter=PosOrderFilter,
        order=PosOrderOrder,
        permission_classes=READ,
        description="Every session's orders, latest first unless ordered otherwise.",
    )
    loyalty_program: LoyaltyProgramNode | None = root_get(
        LoyaltyProgram, "LoyaltyProgram", permission_classes=READ
    )
    loyalty_programs: LoyaltyProgramConnection = root_connection(
        PROGRAMS,
        LoyaltyProgramConnection,
        filter=LoyaltyProgramFilter,
        order=LoyaltyProgramOrder,
        permission_classes=READ,
        description="The company's loyalty programmes, by name unless ordered otherwise.",
    )


@strawberry.type
class Mutation:
    pos_terminal_create = mutation(
        input=PosTerminalCreateInput,
        payload=PosTerminalPayload,
        field="terminal",
        run=service.create_terminal,
        permission=WRITE,
        description="Add a terminal; without a cashAccountId it gets a cash account of its own.",
    )
    pos_terminal_update = mutation(
        input=PosTerminalUpdateInput,
        payload=PosTerminalPayload,
        field="terminal",
        run=service.update_terminal,
        permission=WRITE,
        description="Change a terminal (its accounts count for the orders sold after).",
    )
    pos_session_open = mutation(
        input=PosSessionOpenInput,
        payload=PosSessionPayload,
        field="session",
        run=service.open_session,
        permission=WRITE,
        description="Open a session with an opening float, by the viewer. TAKEN when the "
        "terminal has an open session (also for concurrent opens: one wins).",
    )
    pos_session_close = mutation(
        input=PosSessionCloseInput,
        payload=PosSessionPayload,
        field="session",
        run=service.close_session,
        permission=WRITE,
        description="Close an open session with the cash counted: expectedCash is the opening "
        "float plus the cash orders' totals, difference = countedCash - expectedCash. A closed "
        "session takes no orders (INVALID_STATE).",
    )
    pos_order_create = mutation(
        input=PosOrderCreateInput,
        payload=PosOrderPayload,
        field="order",
        run=service.create_order,
        permission=WRITE,
        description="Sell in an open session: the stock moves out, the income is paid into the "
        "terminal's account (posting its voucher), a contact earns loyalty points.",
    )
    loyalty_program_create = mutation(
        input=LoyaltyProgramCreateInput,
        payload=LoyaltyProgramPayload,
        field="program",
        run=service.create_program,
        permission=WRITE,
        description="Start a loyalty programme; an active one ends the programme active before.",
    )
    loyalty_program_update = mutation(
        input=LoyaltyProgramUpdateInput,
        payload=LoyaltyProgramPayload,
        field="program",
        run=service.update_program,
        permission=WRITE,
        description="Change a programme's name, rate (for the orders after) or activity.",
    )
