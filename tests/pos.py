"""Helpers of the point-of-sale tests: a terminal, an open session, an order, and the
mutations that make them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from gql.domains.banking.models import Transaction
from gql.domains.inventory.models import StockLevel, StockMove
from gql.domains.inventory.stock import StockChange, move_stock
from gql.domains.pos.models import PosOrder, PosSession
from tests.factories import Api, Tenant, tenant_db

ERRORS = "userErrors { field message code }"
TERMINAL_FIELDS = """id objectId name location enabled cashAccount { id name type }
    cardAccount { id name } warehouse { name }"""
SESSION_FIELDS = """id objectId status orderCount openedAt closedAt
    openingFloat { amount currency } expectedCash { amount currency }
    countedCash difference
    terminal { name } openedBy { id name } closedBy { id name }"""
ORDER_FIELDS = """id objectId number paymentMethod loyaltyPoints
    subtotal { amount currency } taxTotal { amount } total { amount currency }
    lines { position name quantity unitPrice taxRate net taxAmount item { name } tax { rate } }
    session { status } terminal { name } contact { name loyaltyPoints }
    transaction { type amount { amount currency } account { name } paymentMethod }
    loyaltyProgram { name }"""
PROGRAM_FIELDS = "id objectId name pointsPerUnit active"
TERMINAL_CREATE = f"""mutation($input: PosTerminalCreateInput!) {{
  posTerminalCreate(input: $input) {{ terminal {{ {TERMINAL_FIELDS} }} {ERRORS} }} }}"""
TERMINAL_UPDATE = f"""mutation($input: PosTerminalUpdateInput!) {{
  posTerminalUpdate(input: $input) {{ terminal {{ {TERMINAL_FIELDS} }} {ERRORS} }} }}"""
SESSION_OPEN = f"""mutation($input: PosSessionOpenInput!) {{
  posSessionOpen(input: $input) {{ session {{ {SESSION_FIELDS} }} {ERRORS} }} }}"""
SESSION_CLOSE = f"""mutation($input: PosSessionCloseInput!) {{
  posSessionClose(input: $input) {{ session {{ {SESSION_FIELDS} }} {ERRORS} }} }}"""
ORDER_CREATE = f"""mutation($input: PosOrderCreateInput!) {{
  posOrderCreate(input: $input) {{ order {{ {ORDER_FIELDS} }} {ERRORS} }} }}"""
PROGRAM_CREATE = f"""mutation($input: LoyaltyProgramCreateInput!) {{
  loyaltyProgramCreate(input: $input) {{ program {{ {PROGRAM_FIELDS} }} {ERRORS} }} }}"""
PROGRAM_UPDATE = f"""mutation($input: LoyaltyProgramUpdateInput!) {{
  loyaltyProgramUpdate(input: $input) {{ program {{ {PROGRAM_FIELDS} }} {ERRORS} }} }}"""


async def terminal(api: Api, tenant: Tenant, **fields: Any) -> dict[str, Any]:
    body = {"name": "Checkout 1", **fields}
    return (await api.mutate("posTerminalCreate", TERMINAL_CREATE, body, tenant))["terminal"]  # type: ignore[no-any-return]


async def open_session(
    api: Api, tenant: Tenant, terminal_id: str, opening: str = "100"
) -> dict[str, Any]:
    body = {"terminalId": terminal_id, "openingFloat": opening}
    return (await api.mutate("posSessionOpen", SESSION_OPEN, body, tenant))["session"]  # type: ignore[no-any-return]


async def till(api: Api, tenant: Tenant, opening: str = "100") -> dict[str, Any]:
    """An open session on a new terminal (with a cash account of its own)."""
    made = await terminal(api, tenant)
    return {"terminal": made, "session": await open_session(api, tenant, made["id"], opening)}


async def sell(
    api: Api, tenant: Tenant, session_id: str, lines: list[dict[str, Any]], **fields: Any
) -> dict[str, Any]:
    body = {"sessionId": session_id, "lines": lines, **fields}
    return (await api.mutate("posOrderCreate", ORDER_CREATE, body, tenant))["order"]  # type: ignore[no-any-return]


async def program(api: Api, tenant: Tenant, **fields: Any) -> dict[str, Any]:
    body = {"name": "Points Rewards", **fields}
    return (await api.mutate("loyaltyProgramCreate", PROGRAM_CREATE, body, tenant))["program"]  # type: ignore[no-any-return]


async def stock_in(app: Any, tenant: Tenant, item_id: str, quantity: str = "100") -> None:
    """`quantity` of the item into the company's default warehouse (an adjustment)."""
    async with tenant_db(app, tenant.company_id) as session:
        await move_stock(
            session,
            [StockChange(item_id, Decimal(quantity))],
            reason="adjustment",
            source_type="stock_adjustment",
            source_id=None,
        )
        await session.commit()


async def stocked_item(
    api: Api, app: Any, tenant: Tenant, quantity: str = "100", **fields: Any
) -> dict[str, Any]:
    item = await api.item(tenant, **fields)
    await stock_in(app, tenant, item["id"], quantity)
    return item


async def check_pos_books(app: Any, tenants: list[Tenant]) -> None:
    """What must hold of the tills: a session's expected cash is its opening float plus
    its cash orders' totals, every order is paid by one income of its total, and stock
    on hand is the sum of the moves."""
    for tenant in tenants:
        async with tenant_db(app, tenant.company_id) as session:
            orders = (await session.scalars(select(PosOrder))).all()
            for till in (await session.scalars(select(PosSession))).all():
                cash = [
                    o.total
                    for o in orders
                    if o.session_id == till.id and o.payment_method == "cash"
                ]
                assert till.expected_cash == till.opening_float + sum(cash, Decimal(0))
                assert till.order_count == len([o for o in orders if o.session_id == till.id])
                if till.status == "closed":
                    assert till.difference == till.counted_cash - till.expected_cash
            paid = {t.id: t for t in (await session.scalars(select(Transaction))).all()}
            for order in orders:
                tx = paid[order.transaction_id or ""]
                assert (tx.type, tx.amount) == ("income", order.total), order.id
            summed: dict[tuple[Any, ...], Decimal] = {}
            for move in (await session.scalars(select(StockMove))).all():
                key = (move.warehouse_id, move.item_id, move.variant_id)
                summed[key] = summed.get(key, Decimal(0)) + move.quantity
            kept = {
                (level.warehouse_id, level.item_id, level.variant_id): level.quantity
                for level in (await session.scalars(select(StockLevel))).all()
            }
            assert kept == summed
