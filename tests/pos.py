"""Helpers of the point-of-sale tests: a terminal, an open session, an order, and the
mutations that make them."""

from __future__ import annotations

from typing import Any

from tests.factories import Api, Tenant

ERRORS = "userErrors { field message code }"
TERMINAL_FIELDS = """id objectId name location enabled cashAccount { id name type }
    cardAccount { id name }"""
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
