"""Forbix Open-API banking: connected accounts, a deposit's information, balance and
statement (/openapi/banking/...)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from tests.bankfeeds import connection
from tests.forbix import check_shape
from tests.test_banking_accounts import ACCOUNT, account, transaction

DEPOSIT = "1020-10-2008748-1"
IBAN = "IR960580102001002008748001"

CONNECTED_FIELDS = {
    "cif": (str, type(None)),
    "accountTitle": (str,),
    "accountDepositNumbers": (str,),
}
DEPOSIT_FIELDS = {
    "depositType": (int,),
    "branchCode": (str, type(None)),
    "ibanNumber": (str, type(None)),
    "depositNumber": (str,),
    "currency": (str,),
}
BALANCE_FIELDS = {"balance": {"price": (str,), "availablePrice": (str,)}, "currency": (str,)}
S = (str, type(None))
N = (int, float, type(None))
ENTRY_FIELDS = {
    "date": (str,),
    "description": S,
    "balance": (int, float),
    "serial": (int,),
    "registrationNumber": N,
    "branchCode": S,
    "branchName": S,
    "agentBranchCode": S,
    "agentBranchName": S,
    "transferAmount": (int, float),
    "serialNumber": (str,),
    "statementId": (str,),
    "referenceNumber": S,
    "paymentId": S,
}


async def deposit_account(api, tenant, number: str = DEPOSIT, **fields: Any) -> dict[str, Any]:
    return await account(  # type: ignore[no-any-return]
        api,
        tenant,
        name="My Test Account 1",
        number="123566",
        depositNumber=number,
        branchCode="1020",
        iban=IBAN,
        currencyCode="USD",
        openingBalance="1000.00",
        **fields,
    )


async def book(api, tenant, account_id: str, kind: str, amount: str, day: str, **fields: Any):
    return await transaction(
        api,
        tenant,
        type=kind,
        accountId=account_id,
        amount=amount,
        paidAt=f"{day}T10:00:00Z",
        **fields,
    )


async def statement(api, tenant, number: str = DEPOSIT, **params: Any) -> dict[str, Any]:
    r = await api.rest(
        "GET", f"/openapi/banking/deposits/{number}/transactions", tenant, params=params
    )
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def test_connected_accounts_in_the_documented_shape(api):
    owner = await api.register()
    await deposit_account(api, owner)
    fed = await connection(api, owner)  # a bank account without a deposit number, with a feed
    await account(api, owner, name="Till", type="CASH", depositNumber="9-9")  # not a bank
    await account(api, owner, name="Unconnected")  # no deposit number, no feed
    r = await api.rest("GET", "/openapi/banking/accounts", owner)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["success"] is True and body["message"] == "SUCCESSFUL"
    for row in body["data"]:
        check_shape(row, CONNECTED_FIELDS)
    assert [(a["accountTitle"], a["cif"]) for a in body["data"]] == [
        ("My Test Account 1", "123566"),
        (fed["account"]["name"], None),
    ]
    assert json.loads(body["data"][0]["accountDepositNumbers"]) == [DEPOSIT]
    assert body["data"][0]["accountDepositNumbers"] == json.dumps([DEPOSIT])
    assert json.loads(body["data"][1]["accountDepositNumbers"]) == []


async def test_deposit_information_in_the_documented_shape(api):
    owner = await api.register()
    await deposit_account(api, owner)
    r = await api.rest("GET", f"/openapi/banking/deposits/{DEPOSIT}", owner)
    assert r.status_code == 200, r.text
    [data] = r.json()["data"]
    check_shape(data, DEPOSIT_FIELDS)
    assert data == {
        "depositType": 10,
        "branchCode": "1020",
        "ibanNumber": IBAN,
        "depositNumber": DEPOSIT,
        "currency": "USD",
    }


async def test_the_balance_is_the_graphs_balance_as_strings(api):
    owner = await api.register()
    acct = await deposit_account(api, owner)
    await book(api, owner, acct["id"], "INCOME", "250.50", "2026-01-05")
    await book(api, owner, acct["id"], "EXPENSE", "100.25", "2026-01-06")
    r = await api.rest("GET", f"/openapi/banking/deposits/{DEPOSIT}/balance", owner)
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    check_shape(data, BALANCE_FIELDS)
    assert data == {"balance": {"price": "1150.25", "availablePrice": "1150.25"}, "currency": "USD"}
    graph = (await api.data(ACCOUNT, {"id": acct["id"]}, owner))["account"]
    assert Decimal(graph["balance"]["amount"]) == Decimal(data["balance"]["price"])


async def test_the_statement_runs_the_balance_after_each_entry(api):
    owner = await api.register()
    acct = await deposit_account(api, owner)
    first = await book(
        api, owner, acct["id"], "INCOME", "500", "2026-01-05", description="In", reference="R-1"
    )
    await book(api, owner, acct["id"], "EXPENSE", "120.50", "2026-01-07", description="Out")
    await book(api, owner, acct["id"], "INCOME", "10", "2026-01-09", description="Late")
    other = await deposit_account(api, owner, number="2-2")
    await book(api, owner, other["id"], "INCOME", "999", "2026-01-06")  # another deposit's
    body = await statement(api, owner, order="asc")
    assert body["success"] is True and body["totalCount"] == 3 and body["totalPages"] == 1
    for entry in body["result"]:
        check_shape(entry, ENTRY_FIELDS)
    assert [(e["serial"], e["transferAmount"], e["balance"]) for e in body["result"]] == [
        (1, 500, 1500),
        (2, -120.5, 1379.5),
        (3, 10, 1389.5),
    ]
    entry = body["result"][0]
    assert entry["date"] == "2026-01-05T10:00:00+00:00" and entry["description"] == "In"
    assert entry["statementId"] == first["objectId"] and entry["referenceNumber"] == "R-1"
    assert entry["branchCode"] == "1020" and entry["serialNumber"] == "1"
    # newest first by default; a page keeps the balances of the whole history
    latest = await statement(api, owner, pageSize=1, page=1)
    assert latest["totalPages"] == 3
    assert [(e["serial"], e["balance"]) for e in latest["result"]] == [(2, 1379.5)]
    # a date range (epoch milliseconds, both included)
    jan7 = 1767744000000  # 2026-01-07T00:00:00Z
    jan8 = jan7 + 86_400_000
    ranged = await statement(api, owner, fromDate=jan7, toDate=jan8)
    assert ranged["totalCount"] == 1 and ranged["result"][0]["balance"] == 1379.5


async def test_an_unknown_or_another_companys_deposit_is_not_found(api):
    owner, stranger = await api.register(), await api.register()
    await deposit_account(api, owner)
    for path in ("", "/balance", "/transactions"):
        for tenant, number in ((stranger, DEPOSIT), (owner, "0000")):
            r = await api.rest("GET", f"/openapi/banking/deposits/{number}{path}", tenant)
            assert r.status_code == 404 and r.json()["success"] is False, (path, r.text)
    r = await api.rest("GET", "/openapi/banking/accounts", stranger)
    assert r.json()["data"] == []


async def test_bad_statement_parameters_are_400s_naming_them(api):
    owner = await api.register()
    await deposit_account(api, owner)
    for params, field in (
        ({"sortBy": "amount"}, "sortBy"),
        ({"order": "sideways"}, "order"),
        ({"page": "-1"}, "page"),
        ({"fromDate": "yesterday"}, "fromDate"),
    ):
        r = await api.rest(
            "GET", f"/openapi/banking/deposits/{DEPOSIT}/transactions", owner, params=params
        )
        assert r.status_code == 400, (params, r.text)
        assert r.json()["errors"][0]["field"] == field


async def test_a_statement_page_costs_the_same_statements_for_2_and_10_entries(api, sql_counter):
    owner = await api.register()
    acct = await deposit_account(api, owner)
    for n in range(10):
        await book(api, owner, acct["id"], "INCOME", str(n + 1), f"2026-01-{n + 1:02d}")
    counts = []
    for size in (2, 10):
        sql_counter.reset()
        body = await statement(api, owner, pageSize=size)
        assert len(body["result"]) == size
        counts.append(sql_counter.count)
    assert counts[0] == counts[1], sql_counter.statements


async def test_the_connected_accounts_cost_the_same_statements_for_1_and_5(api, sql_counter):
    owner = await api.register()
    counts = []
    for n in range(5):
        await deposit_account(api, owner, number=f"D-{n}")
        if n in (0, 4):
            sql_counter.reset()
            r = await api.rest("GET", "/openapi/banking/accounts", owner)
            assert len(r.json()["data"]) == n + 1
            counts.append(sql_counter.count)
    assert counts[0] == counts[1], sql_counter.statements
