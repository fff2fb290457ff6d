"""The point of sale over GraphQL: terminals, sessions opened and closed with the cash
counted, orders priced and taxed like document lines that move stock and post their
income, loyalty points, filters, and the refusals (each a coded userError naming its
field)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from gql.domains.inventory.models import StockMove
from gql.domains.inventory.stock import StockChange, move_stock
from tests.books import check_books
from tests.factories import Api, tenant_db
from tests.pos import (
    ORDER_CREATE,
    PROGRAM_UPDATE,
    SESSION_CLOSE,
    SESSION_OPEN,
    TERMINAL_CREATE,
    TERMINAL_UPDATE,
    check_pos_books,
    open_session,
    program,
    sell,
    stocked_item,
    terminal,
    till,
)

VOUCHERS = """{ vouchers(filter: {sourceType: TRANSACTION}) { nodes { description
  lines { account { code } debit credit } } } }"""
SESSION = """query($id: ID!) { posSession(id: $id) { status orderCount expectedCash { amount }
  orders { totalCount nodes { number total { amount } paymentMethod } } } }"""
LISTS = """query($terminal: ID!, $contact: ID!) {
  posSessions(filter: {terminalId: $terminal, status: OPEN}) { totalCount }
  card: posOrders(filter: {paymentMethod: CARD}) { totalCount nodes { paymentMethod } }
  theirs: posOrders(filter: {contactId: $contact}) { totalCount }
  today: posOrders(filter: {createdFrom: "2000-01-01", createdTo: "2000-01-02"}) { totalCount }
  byTotal: posOrders(orderBy: {field: TOTAL, direction: ASC}) { nodes { total { amount } } }
  posTerminals(filter: {search: "Front"}) { nodes { name sessions { totalCount } } } }"""
MEMBERS = """query($id: ID!) { loyaltyProgram(id: $id) { name members { totalCount nodes {
  points contact { name loyaltyPoints } program { name } } } } }"""
PROGRAMS = "{ loyaltyPrograms { nodes { name active } } }"
DELETE_CONTACT = """mutation($id: ID!) { contactDelete(input: {id: $id}) {
  userErrors { field message code } } }"""
DELETE_TRANSACTION = """mutation($id: ID!) { transactionDelete(input: {id: $id}) {
  userErrors { field message code } } }"""
MODULE_OFF = """mutation { moduleSet(input: {alias: "pos", enabled: false}) {
  userErrors { message } } }"""


async def _errors(api: Api, tenant: Any, query: str, input: dict[str, Any]) -> list[Any]:
    body = await api.data(query, {"input": input}, tenant)
    (payload,) = body.values()
    return payload["userErrors"]  # type: ignore[no-any-return]


async def test_a_terminal_gets_a_till_account_and_can_be_changed(api: Api) -> None:
    owner = await api.register()
    made = await terminal(api, owner, location="Front desk")
    assert made["name"] == "Checkout 1" and made["location"] == "Front desk"
    assert made["cashAccount"] == {
        "id": made["cashAccount"]["id"],
        "name": "Checkout 1 till",
        "type": "CASH",
    }
    assert made["cardAccount"] is None and made["enabled"] is True
    bank = await api.data(
        """mutation { accountCreate(input: {name: "Card takings", type: BANK}) {
          account { id } } }""",
        None,
        owner,
    )
    card = bank["accountCreate"]["account"]["id"]
    changed = await api.mutate(
        "posTerminalUpdate",
        TERMINAL_UPDATE,
        {"id": made["id"], "cardAccountId": card, "name": "Checkout A"},
        owner,
    )
    assert changed["terminal"]["cardAccount"] == {"id": card, "name": "Card takings"}
    assert changed["terminal"]["name"] == "Checkout A"
    # refusals name their field
    assert await _errors(api, owner, TERMINAL_CREATE, {"name": ""}) == [
        {
            "field": ["input", "name"],
            "message": "String should have at least 1 character",
            "code": "INVALID",
        }
    ]
    missing = await _errors(
        api, owner, TERMINAL_CREATE, {"name": "X", "cashAccountId": "000000000000000000000000"}
    )
    assert missing[0]["field"] == ["input", "cashAccountId"] and missing[0]["code"] == "NOT_FOUND"
    nowhere = await _errors(
        api, owner, TERMINAL_CREATE, {"name": "X", "warehouseId": "000000000000000000000000"}
    )
    assert nowhere[0]["field"] == ["input", "warehouseId"] and nowhere[0]["code"] == "NOT_FOUND"


async def test_an_order_prices_taxes_moves_stock_and_posts_its_income(api: Api, app: Any) -> None:
    # given an open session and an item at 9.99 with 20% tax, 10 in stock
    owner = await api.register()
    made = await till(api, owner, opening="50")
    tax = await api.tax(owner, rate="20")
    item = await stocked_item(api, app, owner, "10", salePrice="9.99", taxId=tax["id"])
    # when three are sold for cash
    order = await sell(api, owner, made["session"]["id"], [{"itemId": item["id"], "quantity": "3"}])
    # then the line is a document line's arithmetic: 29.97 net, 5.99 tax, 35.96 total
    assert order["number"] == 1 and order["paymentMethod"] == "CASH"
    assert order["subtotal"] == {"amount": "29.97", "currency": "USD"}
    assert order["taxTotal"] == {"amount": "5.99"} and order["total"]["amount"] == "35.96"
    (line,) = order["lines"]
    assert (line["unitPrice"], line["taxRate"], line["net"], line["taxAmount"]) == (
        "9.9900",
        "20.0000",
        "29.97",
        "5.99",
    )
    # the income went into the till's account, and the books balance with the tax payable
    assert order["transaction"] == {
        "type": "INCOME",
        "amount": {"amount": "35.96", "currency": "USD"},
        "account": {"name": "Checkout 1 till"},
        "paymentMethod": "cash",
    }
    vouchers = (await api.data(VOUCHERS, None, owner))["vouchers"]["nodes"]
    lines = sorted(
        (line["account"]["code"], line["debit"], line["credit"])
        for v in vouchers
        for line in v["lines"]
    )
    # 1120 Cash 35.96 / 4000 Sales 35.96; then 4000 Sales 5.99 / 2200 VAT payable 5.99
    assert lines == sorted(
        [
            ("1120", "35.96", "0.00"),
            ("4000", "0.00", "35.96"),
            ("4000", "5.99", "0.00"),
            ("2200", "0.00", "5.99"),
        ]
    ), vouchers
    # three left the default warehouse, as a move sourced by the order
    async with tenant_db(app, owner.company_id) as session:
        moves = (await session.scalars(select(StockMove).where(StockMove.reason == "pos"))).all()
    assert [(m.quantity, m.source_type, m.source_id) for m in moves] == [
        (Decimal("-3.0000"), "pos_order", order["objectId"])
    ]
    # the session counts the cash: 50 + 35.96
    session = (await api.data(SESSION, {"id": made["session"]["id"]}, owner))["posSession"]
    assert session["expectedCash"] == {"amount": "85.96"} and session["orderCount"] == 1
    await check_books(app, api, [owner])
    await check_pos_books(app, [owner])


async def test_order_refusals_name_their_field(api: Api, app: Any) -> None:
    owner = await api.register()
    made = await till(api, owner)
    item = await stocked_item(api, app, owner, "2")
    unpriced = await api.item(owner, salePrice=None)
    sid = made["session"]["id"]
    cases = [
        ({"sessionId": sid, "lines": []}, ["input", "lines"], "INVALID"),
        (
            {"sessionId": "000000000000000000000000", "lines": [{"itemId": item["id"]}]},
            ["input", "sessionId"],
            "NOT_FOUND",
        ),
        (
            {"sessionId": sid, "lines": [{"itemId": "000000000000000000000000"}]},
            ["input", "lines", "0", "itemId"],
            "NOT_FOUND",
        ),
        (
            {"sessionId": sid, "lines": [{"itemId": unpriced["id"]}]},
            ["input", "lines", "0", "unitPrice"],
            "REQUIRED",
        ),
        (
            {"sessionId": sid, "lines": [{"itemId": item["id"], "quantity": "-1"}]},
            ["input", "lines", "0", "quantity"],
            "INVALID",
        ),
        (
            {"sessionId": sid, "lines": [{"itemId": item["id"], "quantity": "3"}]},
            ["input", "lines"],
            "INSUFFICIENT_STOCK",
        ),
    ]
    for input, field, code in cases:
        errors = await _errors(api, owner, ORDER_CREATE, input)
        assert [(e["field"], e["code"]) for e in errors] == [(field, code)], (input, errors)
    # nothing was sold, counted or moved by the refusals
    await check_pos_books(app, [owner])
    session = (await api.data(SESSION, {"id": sid}, owner))["posSession"]
    assert session["orderCount"] == 0 and session["expectedCash"] == {"amount": "100.00"}


async def test_one_open_session_per_terminal_and_a_closed_one_takes_no_orders(
    api: Api, app: Any
) -> None:
    # given an open session with a cash and a card order
    owner = await api.register()
    made = await till(api, owner, opening="20")
    item = await stocked_item(api, app, owner, salePrice="10")
    sid, tid = made["session"]["id"], made["terminal"]["id"]
    assert made["session"]["openedBy"] == {"id": owner.user_id, "name": "Owner"}
    again = await _errors(api, owner, SESSION_OPEN, {"terminalId": tid})
    assert again == [
        {
            "field": ["input", "terminalId"],
            "message": "The terminal has an open session; close it first",
            "code": "TAKEN",
        }
    ]
    await sell(api, owner, sid, [{"itemId": item["id"]}])
    await sell(api, owner, sid, [{"itemId": item["id"], "quantity": "2"}], paymentMethod="CARD")
    # when it is closed with 25.00 counted (30.00 expected: 20 + the cash order's 10)
    closed = await api.mutate(
        "posSessionClose", SESSION_CLOSE, {"id": sid, "countedCash": "25"}, owner
    )
    session = closed["session"]
    # then it is closed with the difference, by the viewer
    assert session["status"] == "CLOSED" and session["closedAt"] is not None
    assert session["expectedCash"] == {"amount": "30.00", "currency": "USD"}
    assert (session["countedCash"], session["difference"]) == ("25.00", "-5.00")
    assert session["closedBy"] == {"id": owner.user_id, "name": "Owner"}
    # and it takes no more orders, nor a second close
    refused = await _errors(
        api, owner, ORDER_CREATE, {"sessionId": sid, "lines": [{"itemId": item["id"]}]}
    )
    assert refused == [
        {
            "field": ["input", "sessionId"],
            "message": "The session is closed",
            "code": "INVALID_STATE",
        }
    ]
    twice = await _errors(api, owner, SESSION_CLOSE, {"id": sid, "countedCash": "30"})
    assert twice[0]["code"] == "INVALID_STATE"
    # while the terminal opens a new one
    reopened = await open_session(api, owner, tid, "0")
    assert reopened["status"] == "OPEN" and reopened["expectedCash"]["amount"] == "0.00"
    await check_books(app, api, [owner])
    await check_pos_books(app, [owner])


async def test_filters_and_orders(api: Api, app: Any) -> None:
    owner = await api.register()
    made = await till(api, owner)
    await api.mutate(
        "posTerminalUpdate", TERMINAL_UPDATE, {"id": made["terminal"]["id"], "name": "Front"}, owner
    )
    item = await stocked_item(api, app, owner, salePrice="4")
    buyer = await api.contact(owner)
    sid = made["session"]["id"]
    await sell(api, owner, sid, [{"itemId": item["id"], "quantity": "3"}], contactId=buyer["id"])
    await sell(api, owner, sid, [{"itemId": item["id"]}], paymentMethod="CARD")
    found = await api.data(
        LISTS, {"terminal": made["terminal"]["id"], "contact": buyer["id"]}, owner
    )
    assert found["posSessions"]["totalCount"] == 1
    assert found["card"]["nodes"] == [{"paymentMethod": "CARD"}]
    assert found["theirs"]["totalCount"] == 1 and found["today"]["totalCount"] == 0
    assert [n["total"]["amount"] for n in found["byTotal"]["nodes"]] == ["4.00", "12.00"]
    assert found["posTerminals"]["nodes"] == [{"name": "Front", "sessions": {"totalCount": 1}}]


async def test_a_contacts_orders_earn_points_in_the_active_programme(api: Api, app: Any) -> None:
    # given a programme at 1.5 points per unit and an item at 9.99
    owner = await api.register()
    first = await program(api, owner, pointsPerUnit="1.5")
    made = await till(api, owner)
    item = await stocked_item(api, app, owner, salePrice="9.99")
    buyer = await api.contact(owner, name="Pat")
    sid = made["session"]["id"]
    # when Pat buys twice and someone without a contact once
    one = await sell(api, owner, sid, [{"itemId": item["id"]}], contactId=buyer["id"])
    two = await sell(
        api, owner, sid, [{"itemId": item["id"], "quantity": "2"}], contactId=buyer["id"]
    )
    anonymous = await sell(api, owner, sid, [{"itemId": item["id"]}])
    # then each of Pat's orders earns floor(total x 1.5): 14 (14.985) and 29 (29.97)
    assert (one["loyaltyPoints"], two["loyaltyPoints"], anonymous["loyaltyPoints"]) == (14, 29, 0)
    assert two["contact"] == {"name": "Pat", "loyaltyPoints": 43}
    assert two["loyaltyProgram"] == {"name": "Points Rewards"}
    listed = (await api.data(MEMBERS, {"id": first["id"]}, owner))["loyaltyProgram"]
    assert listed["members"]["nodes"] == [
        {
            "points": 43,
            "contact": {"name": "Pat", "loyaltyPoints": 43},
            "program": {"name": "Points Rewards"},
        }
    ]
    # a new active programme ends the first; Pat's next points count in it
    second = await program(api, owner, name="Double", pointsPerUnit="2")
    assert (await api.data(PROGRAMS, None, owner))["loyaltyPrograms"]["nodes"] == [
        {"name": "Double", "active": True},
        {"name": "Points Rewards", "active": False},
    ]
    three = await sell(api, owner, sid, [{"itemId": item["id"]}], contactId=buyer["id"])
    assert three["loyaltyPoints"] == 19 and three["contact"]["loyaltyPoints"] == 62
    theirs = (await api.data(MEMBERS, {"id": second["id"]}, owner))["loyaltyProgram"]
    assert [n["points"] for n in theirs["members"]["nodes"]] == [19]
    # reactivating the first ends the second
    back = await api.mutate(
        "loyaltyProgramUpdate", PROGRAM_UPDATE, {"id": first["id"], "active": True}, owner
    )
    assert back["program"]["active"] is True
    assert [
        p["active"] for p in (await api.data(PROGRAMS, None, owner))["loyaltyPrograms"]["nodes"]
    ] == [False, True]
    # and Pat is in use: not deleted
    refused = await api.data(DELETE_CONTACT, {"id": buyer["id"]}, owner)
    assert refused["contactDelete"]["userErrors"][0]["code"] == "IN_USE"


async def test_an_orders_payment_is_not_deleted(api: Api, app: Any) -> None:
    owner = await api.register()
    made = await till(api, owner)
    item = await stocked_item(api, app, owner)
    order = await sell(api, owner, made["session"]["id"], [{"itemId": item["id"]}])
    paid = await api.data(
        """query($id: ID!) { posOrder(id: $id) { transaction { id } } }""",
        {"id": order["id"]},
        owner,
    )
    refused = await api.data(
        DELETE_TRANSACTION, {"id": paid["posOrder"]["transaction"]["id"]}, owner
    )
    assert refused["transactionDelete"]["userErrors"] == [
        {
            "field": ["input", "id"],
            "message": "This transaction pays a point-of-sale order",
            "code": "INVALID_STATE",
        }
    ]


async def test_every_field_is_forbidden_while_the_module_is_off(api: Api) -> None:
    owner = await api.register()
    made = await terminal(api, owner)
    assert (await api.data(MODULE_OFF, None, owner))["moduleSet"]["userErrors"] == []
    for query in (
        "{ posTerminals { totalCount } }",
        "{ posSessions { totalCount } }",
        "{ posOrders { totalCount } }",
        "{ loyaltyPrograms { totalCount } }",
        f'{{ posTerminal(id: "{made["id"]}") {{ name }} }}',
    ):
        body = await api.gql(query, None, owner)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", query
    body = await api.gql(SESSION_OPEN, {"input": {"terminalId": made["id"]}}, owner)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_terminals_orders_take_stock_from_its_warehouse(api: Api, app: Any) -> None:
    # given a terminal of the "Kiosk" warehouse, which has 2 of an item (none elsewhere)
    owner = await api.register()
    kiosk = await api.mutate(
        "warehouseCreate",
        """mutation($input: WarehouseCreateInput!) { warehouseCreate(input: $input) {
          warehouse { id objectId } userErrors { message } } }""",
        {"name": "Kiosk"},
        owner,
    )
    warehouse = kiosk["warehouse"]
    made = await terminal(api, owner, warehouseId=warehouse["id"])
    assert made["warehouse"] == {"name": "Kiosk"}
    item = await api.item(owner, salePrice="5")
    async with tenant_db(app, owner.company_id) as session:
        await move_stock(
            session,
            [StockChange(item["id"], Decimal("2"), warehouse_id=warehouse["objectId"])],
            reason="adjustment",
            source_type="stock_adjustment",
            source_id=None,
        )
        await session.commit()
    sid = (await open_session(api, owner, made["id"]))["id"]
    # when two are sold, then one more
    await sell(api, owner, sid, [{"itemId": item["id"], "quantity": "2"}])
    refused = await _errors(
        api, owner, ORDER_CREATE, {"sessionId": sid, "lines": [{"itemId": item["id"]}]}
    )
    # then the kiosk's stock went to zero and the third was refused there
    assert [(e["field"], e["code"]) for e in refused] == [
        (["input", "lines"], "INSUFFICIENT_STOCK")
    ]
    assert "Kiosk" in refused[0]["message"]
    await check_pos_books(app, [owner])
