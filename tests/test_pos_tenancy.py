"""Another company's terminal, session, order, programme, contact, item or account
behaves exactly like an id that does not exist, at write time and read time, over
GraphQL."""

from __future__ import annotations

from typing import Any

from tests.factories import Api
from tests.pos import (
    ORDER_CREATE,
    PROGRAM_UPDATE,
    SESSION_CLOSE,
    SESSION_OPEN,
    TERMINAL_CREATE,
    TERMINAL_UPDATE,
    program,
    sell,
    stocked_item,
    till,
)

READS = """query($t: ID!, $s: ID!, $o: ID!, $p: ID!) { posTerminal(id: $t) { name }
  posSession(id: $s) { status } posOrder(id: $o) { number } loyaltyProgram(id: $p) { name } }"""
LISTS = """{ posTerminals { totalCount } posSessions { totalCount } posOrders { totalCount }
  loyaltyPrograms { totalCount } contacts { nodes { loyaltyPoints } } }"""
FILTERED = """query($t: ID!, $s: ID!) { posSessions(filter: {terminalId: $t}) { totalCount }
  posOrders(filter: {sessionId: $s}) { totalCount } }"""


async def test_another_companys_rows_are_not_found(api: Api, app: Any) -> None:
    owner, other = await api.register(), await api.register()
    theirs = await till(api, owner)
    item = await stocked_item(api, app, owner)
    buyer = await api.contact(owner)
    await program(api, owner)
    order = await sell(
        api, owner, theirs["session"]["id"], [{"itemId": item["id"]}], contactId=buyer["id"]
    )
    loyalty = await program(api, owner, name="Second")
    ids = {
        "t": theirs["terminal"]["id"],
        "s": theirs["session"]["id"],
        "o": order["id"],
        "p": loyalty["id"],
    }
    # reads: null with NOT_FOUND, lists and filters empty
    body = await api.gql(READS, ids, other)
    assert body["data"] == {
        "posTerminal": None,
        "posSession": None,
        "posOrder": None,
        "loyaltyProgram": None,
    }
    assert {e["extensions"]["code"] for e in body["errors"]} == {"NOT_FOUND"}
    lists = await api.data(LISTS, None, other)
    assert [
        lists[k]["totalCount"]
        for k in ("posTerminals", "posSessions", "posOrders", "loyaltyPrograms")
    ] == [0, 0, 0, 0]
    assert lists["contacts"]["nodes"] == []
    filtered = await api.data(FILTERED, {"t": ids["t"], "s": ids["s"]}, other)
    assert filtered == {"posSessions": {"totalCount": 0}, "posOrders": {"totalCount": 0}}
    # writes naming their rows: NOT_FOUND on the field, as for an id that never existed
    mine = await till(api, other)
    my_item = await stocked_item(api, app, other)
    account = theirs["terminal"]["cashAccount"]["id"]
    for name, query, input, field in (
        (
            "posTerminalCreate",
            TERMINAL_CREATE,
            {"name": "X", "cashAccountId": account},
            "cashAccountId",
        ),
        (
            "posTerminalCreate",
            TERMINAL_CREATE,
            {"name": "X", "cardAccountId": account},
            "cardAccountId",
        ),
        ("posTerminalUpdate", TERMINAL_UPDATE, {"id": ids["t"], "name": "X"}, "id"),
        ("posSessionOpen", SESSION_OPEN, {"terminalId": ids["t"]}, "terminalId"),
        ("posSessionClose", SESSION_CLOSE, {"id": ids["s"], "countedCash": "1"}, "id"),
        (
            "posOrderCreate",
            ORDER_CREATE,
            {"sessionId": ids["s"], "lines": [{"itemId": my_item["id"]}]},
            "sessionId",
        ),
        (
            "posOrderCreate",
            ORDER_CREATE,
            {"sessionId": mine["session"]["id"], "lines": [{"itemId": item["id"]}]},
            "lines.0.itemId",
        ),
        (
            "posOrderCreate",
            ORDER_CREATE,
            {
                "sessionId": mine["session"]["id"],
                "lines": [{"itemId": my_item["id"]}],
                "contactId": buyer["id"],
            },
            "contactId",
        ),
        ("loyaltyProgramUpdate", PROGRAM_UPDATE, {"id": ids["p"], "name": "X"}, "id"),
    ):
        payload = (await api.data(query, {"input": input}, other))[name]
        errors = payload["userErrors"]
        assert [(".".join(e["field"][1:]), e["code"]) for e in errors] == [(field, "NOT_FOUND")], (
            name,
            errors,
        )
    # and nothing of theirs changed
    still = await api.data(READS, ids, owner)
    assert still["posSession"] == {"status": "OPEN"} and still["loyaltyProgram"] == {
        "name": "Second"
    }
