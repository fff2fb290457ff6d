"""The tills under parallel requests (PostgreSQL; each request over its own client, so
they really run side by side): orders at once in one session all count, exactly, in its
expected cash; a close racing orders keeps it exact (an order lands before the close and
counts, or is refused as the session is closed); two opens of one terminal open one
session."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.books import check_books
from tests.conftest import IS_POSTGRES
from tests.factories import Api, concurrently
from tests.pos import (
    ORDER_CREATE,
    SESSION_CLOSE,
    SESSION_OPEN,
    check_pos_books,
    stocked_item,
    terminal,
    till,
)

pytestmark = pytest.mark.skipif(not IS_POSTGRES, reason="parallel requests need PostgreSQL")

SESSION = """query($id: ID!) { posSession(id: $id) { status orderCount expectedCash { amount }
  difference orders { totalCount nodes { number } } } }"""


def _payloads(responses: list[Any]) -> list[dict[str, Any]]:
    out = []
    for response in responses:
        assert response.status_code == 200, response.text
        data = response.json()
        assert "errors" not in data, data["errors"]  # no masked 500, no deadlock
        (payload,) = data["data"].values()
        out.append(payload)
    return out


def _order(session_id: str, item_id: str, method: str = "CASH") -> tuple[str, str, Any]:
    body = {"sessionId": session_id, "lines": [{"itemId": item_id}], "paymentMethod": method}
    return ("POST", "/graphql", {"query": ORDER_CREATE, "variables": {"input": body}})


async def test_orders_at_once_in_one_session_all_count(api: Api, app: Any) -> None:
    owner = await api.register()
    made = await till(api, owner, opening="10")
    item = await stocked_item(api, app, owner, salePrice="2.50")
    sid = made["session"]["id"]
    requests = [_order(sid, item["id"], "CARD" if n % 3 == 0 else "CASH") for n in range(8)]
    payloads = _payloads(await concurrently(app, owner, requests))
    assert all(p["userErrors"] == [] for p in payloads), payloads
    # numbered 1..8 without a gap or a repeat; 5 cash orders of 2.50 on the 10.00 float
    assert sorted(p["order"]["number"] for p in payloads) == list(range(1, 9))
    session = (await api.data(SESSION, {"id": sid}, owner))["posSession"]
    assert session["orderCount"] == 8 and session["expectedCash"] == {"amount": "22.50"}
    await check_books(app, api, [owner])
    await check_pos_books(app, [owner])


async def test_a_close_racing_orders_keeps_the_expected_cash_exact(api: Api, app: Any) -> None:
    owner = await api.register()
    made = await till(api, owner, opening="0")
    item = await stocked_item(api, app, owner, salePrice="1")
    sid = made["session"]["id"]
    close = {"query": SESSION_CLOSE, "variables": {"input": {"id": sid, "countedCash": "100"}}}
    requests = [_order(sid, item["id"]) for _ in range(5)]
    requests.insert(2, ("POST", "/graphql", close))
    requests += [_order(sid, item["id"]) for _ in range(5)]
    payloads = _payloads(await concurrently(app, owner, requests))
    closed = payloads.pop(2)
    assert closed["userErrors"] == [] and closed["session"]["status"] == "CLOSED"
    sold = [p for p in payloads if not p["userErrors"]]
    refused = [p for p in payloads if p["userErrors"]]
    assert all(
        p["userErrors"]
        == [
            {
                "field": ["input", "sessionId"],
                "message": "The session is closed",
                "code": "INVALID_STATE",
            }
        ]
        for p in refused
    ), refused
    # what the close saw is exactly the orders that landed: each 1.00 in cash
    expected = Decimal(len(sold)).quantize(Decimal("0.01"))
    assert closed["session"]["expectedCash"]["amount"] == str(expected)
    assert closed["session"]["difference"] == str(Decimal("100.00") - expected)
    session = (await api.data(SESSION, {"id": sid}, owner))["posSession"]
    assert session["orderCount"] == session["orders"]["totalCount"] == len(sold)
    assert session["expectedCash"]["amount"] == str(expected)
    await check_books(app, api, [owner])
    await check_pos_books(app, [owner])


async def test_two_opens_of_one_terminal_open_one_session(api: Api, app: Any) -> None:
    owner = await api.register()
    made = await terminal(api, owner)
    body = {"query": SESSION_OPEN, "variables": {"input": {"terminalId": made["id"]}}}
    payloads = _payloads(await concurrently(app, owner, [("POST", "/graphql", body)] * 6))
    opened = [p for p in payloads if not p["userErrors"]]
    assert len(opened) == 1, payloads
    assert all(
        [(e["field"], e["code"]) for e in p["userErrors"]] == [(["input", "terminalId"], "TAKEN")]
        for p in payloads
        if p["userErrors"]
    )
    listed = await api.data("{ posSessions { totalCount } }", None, owner)
    assert listed["posSessions"]["totalCount"] == 1
