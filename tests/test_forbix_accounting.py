"""Forbix Open-API accounting: /openapi/accounting/vouchers and .../chart-of-accounts."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from typing import Any

from gql.core.ids import to_global_id
from tests.factories import member_of
from tests.forbix import CHART_FIELDS, VOUCHER_FIELDS, check_shape

VOUCHERS = "/openapi/accounting/vouchers"
CHART = "/openapi/accounting/chart-of-accounts"

VOUCHER = """
query($id: ID!) { node(id: $id) { ... on Voucher {
  number description kind type total { amount } lines { debit credit account { code } }
} } }"""
LINE_SLUGS = """
query($id: ID!) { node(id: $id) { ... on Voucher { lines { accountSlug2 accountSlug3 accountSlug4 } } } }"""
VOUCHER_CREATE = """
mutation($input: VoucherCreateInput!) { voucherCreate(input: $input) { voucher { id } } }"""
TRIAL_BALANCE = "query { company { reports { trialBalance { totalDebit { amount } balanced } } } }"

# The document's example request body (its strings are put in by `example`).
EXAMPLE: dict[str, Any] = {
    "companyId": "string",
    "companyFinancialYearId": "string",
    "number": 0,
    "description": "string",
    "createDate": 0,
    "type": "MANUAL",
    "autoOptions": {},
    "deletedBy": 0,
    "voucherItems": [
        {
            "generalType": "string",
            "subsidiaryType": "string",
            "detailedType": "string",
            "accountSlug": "string",
            "defaultDebitCredit": "string",
            "accountSlug2": "string",
            "accountSlug4": "string",
            "accountSlug3": "string",
            "debitAmount": 0,
            "creditAmount": 0,
        }
    ],
    "creatorId": "string",
    "isOpenningVoucher": True,
    "voucherKind": "DRAFT",
}


def ms(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() * 1000)


def item(general: str, subsidiary: str, detailed: str, slug: str, **amounts: Any) -> dict[str, Any]:
    line = copy.deepcopy(EXAMPLE["voucherItems"][0])
    line.update(
        generalType=general,
        subsidiaryType=subsidiary,
        detailedType=detailed,
        accountSlug=slug,
        **{"debitAmount": 0, "creditAmount": 0, **amounts},
    )
    return line


def example(**changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(EXAMPLE)
    del body["companyFinancialYearId"]  # "string" is no year of ours: the default one
    body.update(
        description="Owner's capital",
        createDate=ms(date.today()),
        voucherKind="REGULAR",
        voucherItems=[
            item("assets", "current-assets", "cash-and-bank", "bank", debitAmount=1500),
            item("equity", None, None, "owners-capital", creditAmount="1500.00"),
        ],
    )
    body.update(changes)
    return body


async def chart(api, tenant) -> dict[str, Any]:
    r = await api.rest("GET", CHART, tenant)
    assert r.status_code == 200, r.text
    return r.json()["data"]  # type: ignore[no-any-return]


def leaves(tree: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        leaf["slug"]: {**leaf, "path": (g["slug"], s["slug"], d["slug"])}
        for g in tree["generalTypes"]
        for s in g["subsidiaryTypes"]
        for d in s["detailedTypes"]
        for leaf in d["accountSlugs"]
    }


async def test_the_chart_is_the_documented_four_level_tree(api):
    owner = await api.register()
    tree = await chart(api, owner)
    check_shape(tree, CHART_FIELDS)
    assert tree["companyId"] == owner.company_id and tree["companyFinancialYearId"]
    assert [g["slug"] for g in tree["generalTypes"]][:2] == ["assets", "liabilities"]
    bank = leaves(tree)["bank"]
    assert bank["path"] == ("assets", "current-assets", "cash-and-bank")
    assert bank["debitCredit"] == "debit" and bank["accountType"] == "asset" and bank["lock"]
    assert "owners-capital" in leaves(tree)


async def test_the_documented_example_names_its_unknown_account(api):
    owner = await api.register()
    r = await api.rest("POST", VOUCHERS, owner, json=EXAMPLE)
    assert r.status_code == 400, r.text
    assert r.json()["success"] is False
    assert {e["field"] for e in r.json()["errors"]} == {"companyFinancialYearId"}
    body = {k: v for k, v in EXAMPLE.items() if k != "companyFinancialYearId"}
    r = await api.rest("POST", VOUCHERS, owner, json=body)
    assert r.status_code == 400
    assert {e["field"] for e in r.json()["errors"]} == {"voucherItems[0].accountSlug"}


async def test_a_voucher_posts_through_the_ledger_and_answers_the_documented_shape(api):
    # given
    owner = await api.register()
    tree = await chart(api, owner)
    # when
    r = await api.rest("POST", VOUCHERS, owner, json=example())
    # then
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["success"] is True and body["message"] == "SUCCESSFUL"
    data = body["data"]
    check_shape(data, VOUCHER_FIELDS)
    assert data["number"] == 1 and data["type"] == "MANUAL" and data["voucherKind"] == "REGULAR"
    assert data["companyFinancialYearId"] == tree["companyFinancialYearId"]
    assert data["createDate"] == ms(date.today()) and data["isOpenningVoucher"] is False
    first, second = data["voucherItems"]
    assert (first["generalType"], first["subsidiaryType"], first["detailedType"]) == (
        "assets",
        "current-assets",
        "cash-and-bank",
    )
    assert first["accountSlug"] == "bank" and first["debitAmount"] == 1500
    assert second["accountSlug"] == "owners-capital" and second["creditAmount"] == 1500
    # the graph sees the same voucher, and the books still balance
    node = (await api.data(VOUCHER, {"id": to_global_id("Voucher", data["_id"])}, owner))["node"]
    assert node["total"]["amount"] == "1500.00" and node["kind"] == "REGULAR"
    assert [line["account"]["code"] for line in node["lines"]] == ["1110", "3100"]
    balance = (await api.data(TRIAL_BALANCE, None, owner))["company"]["reports"]["trialBalance"]
    assert balance["balanced"] and balance["totalDebit"]["amount"] == "1500.00"


async def test_opening_vouchers_and_forbix_kind_spelling(api):
    owner = await api.register()
    body = example()
    del body["voucherKind"]
    r = await api.rest("POST", VOUCHERS, owner, json=body)  # isOpenningVoucher: true
    assert r.status_code == 201, r.text
    assert r.json()["data"]["voucherKind"] == "OPENNING_BALANCE"
    assert r.json()["data"]["isOpenningVoucher"] is True
    r = await api.rest("POST", VOUCHERS, owner, json=example(voucherKind="OPENNING_BALANCE"))
    assert r.json()["data"]["voucherKind"] == "OPENNING_BALANCE"


async def test_unbalanced_and_misplaced_items_are_refused_naming_the_field(api):
    owner = await api.register()
    unbalanced = example()
    unbalanced["voucherItems"][1]["creditAmount"] = 1000
    r = await api.rest("POST", VOUCHERS, owner, json=unbalanced)
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "voucherItems"
    misplaced = example()
    misplaced["voucherItems"][0]["generalType"] = "expenses"
    r = await api.rest("POST", VOUCHERS, owner, json=misplaced)
    assert r.status_code == 400
    assert r.json()["errors"][0]["field"] == "voucherItems[0].generalType"
    negative = example()
    negative["voucherItems"][0]["debitAmount"] = "-5"
    r = await api.rest("POST", VOUCHERS, owner, json=negative)
    assert r.status_code == 400
    assert r.json()["errors"][0]["field"] == "voucherItems[0].debitAmount"
    r = await api.rest("POST", VOUCHERS, owner, json=example(voucherKind="WEEKLY"))
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "voucherKind"
    r = await api.rest(
        "POST",
        VOUCHERS,
        owner,
        json=example(
            createDate=ms(date(1990, 1, 1)),
            companyFinancialYearId=(await chart(api, owner))["companyFinancialYearId"],
        ),
    )
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "createDate"


async def test_the_list_answers_in_items_with_every_documented_filter(api):
    owner = await api.register()
    for n in range(3):
        r = await api.rest("POST", VOUCHERS, owner, json=example(description=f"Capital {n}"))
        assert r.status_code == 201, r.text
    rent = example(
        description="Rent for March",
        voucherKind="DRAFT",
        voucherItems=[
            item("expenses", None, None, "rent", debitAmount=200),
            item(None, None, None, "bank", creditAmount=200),
        ],
    )
    assert (await api.rest("POST", VOUCHERS, owner, json=rent)).status_code == 201

    async def numbers(**params: Any) -> list[int]:
        r = await api.rest("GET", VOUCHERS, owner, params=params)
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["success"] is True and "items" in body and "data" not in body
        return [v["number"] for v in body["items"]]

    r = await api.rest("GET", VOUCHERS, owner, params={"pageSize": 3})
    body = r.json()
    assert body["totalCount"] == 4 and body["totalPages"] == 2
    check_shape(body["items"][0], VOUCHER_FIELDS)
    assert await numbers() == [4, 3, 2, 1]  # by number, newest first
    assert await numbers(sortBy="number", order="asc", page=1, pageSize=3) == [4]
    assert await numbers(accCode="6200") == [4]
    assert await numbers(accCode="52") == [4]  # and everything under a heading
    assert await numbers(numberFrom=2, numberTo=3, order="asc") == [2, 3]
    today = ms(date.today())
    assert await numbers(createDateFrom=today, createDateTo=today + 1) == [4, 3, 2, 1]
    assert await numbers(createDateTo=today - 86_400_000) == []
    assert await numbers(description="march") == [4]
    assert await numbers(voucherKind="DRAFT") == [4]
    assert await numbers(voucherKind="REGULAR", order="asc") == [1, 2, 3]
    assert await numbers(searchParamName="accountSlug", searchParamValue="rent") == [4]
    assert await numbers(searchParamName="generalType", searchParamValue="equity") == [3, 2, 1]
    assert await numbers(searchParamName="accountSlug2", searchParamValue="x") == []
    year = (await chart(api, owner))["companyFinancialYearId"]
    assert await numbers(companyFinancialYearId=year) == [4, 3, 2, 1]
    assert await numbers(companyFinancialYearId="000000000000000000000000") == []
    r = await api.rest("GET", VOUCHERS, owner, params={"sortBy": "colour"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "sortBy"


async def test_another_company_sees_none_of_it(api):
    owner, stranger = await api.register(), await api.register()
    r = await api.rest("POST", VOUCHERS, owner, json=example())
    year = r.json()["data"]["companyFinancialYearId"]
    r = await api.rest("GET", VOUCHERS, stranger, params={"companyFinancialYearId": year})
    assert r.json()["totalCount"] == 0
    r = await api.rest("POST", VOUCHERS, stranger, json=example(companyFinancialYearId=year))
    assert r.status_code == 400
    assert r.json()["errors"][0]["field"] == "companyFinancialYearId"
    assert r.json()["errors"][0]["code"] == "NOT_FOUND"


async def test_a_list_page_costs_the_same_statements_for_2_and_8_vouchers(api, sql_counter):
    owner = await api.register()
    for _ in range(8):
        assert (await api.rest("POST", VOUCHERS, owner, json=example())).status_code == 201
    counts = []
    for size in (2, 8):
        sql_counter.reset()
        r = await api.rest("GET", VOUCHERS, owner, params={"pageSize": size})
        assert len(r.json()["items"]) == size
        counts.append(sql_counter.count)
    assert counts[0] == counts[1], sql_counter.statements


async def test_further_slugs_and_the_creator_are_kept_and_filter_the_list(api, app):
    # given: a member who writes vouchers too, and a stranger with the same slug
    owner, stranger = await api.register(), await api.register()
    clerk = await member_of(api, app, owner, "accountant")
    labelled = example()
    labelled["voucherItems"][0].update(
        accountSlug2="branch-7", accountSlug3="project-x", accountSlug4=None
    )
    labelled["voucherItems"][1].update(accountSlug2=None, accountSlug3=None, accountSlug4="q3")
    # when
    r = await api.rest("POST", VOUCHERS, clerk, json=labelled)
    other = example()
    other["voucherItems"][0]["accountSlug2"] = "branch-8"
    assert (await api.rest("POST", VOUCHERS, owner, json=other)).status_code == 201
    assert (await api.rest("POST", VOUCHERS, stranger, json=labelled)).status_code == 201
    # then: the create answers them as kept, with the account's normal side
    assert r.status_code == 201, r.text
    data = r.json()["data"]
    assert data["creatorId"] == clerk.user_id
    first, second = data["voucherItems"]
    assert (first["accountSlug2"], first["accountSlug3"], first["accountSlug4"]) == (
        "branch-7",
        "project-x",
        None,
    )
    assert (second["accountSlug2"], second["accountSlug3"], second["accountSlug4"]) == (
        None,
        None,
        "q3",
    )
    assert first["defaultDebitCredit"] == "debit" and second["defaultDebitCredit"] == "credit"

    async def listed(**params: Any) -> list[dict[str, Any]]:
        r = await api.rest("GET", VOUCHERS, owner, params=params)
        assert r.status_code == 200, r.text
        return r.json()["items"]  # type: ignore[no-any-return]

    # the list answers the same, and finds exactly the voucher of an accountSlug2
    found = await listed(searchParamName="accountSlug2", searchParamValue="branch-7")
    assert [v["_id"] for v in found] == [data["_id"]]
    assert found[0]["voucherItems"] == data["voucherItems"]
    assert found[0]["creatorId"] == clerk.user_id
    assert [
        v["number"]
        for v in await listed(searchParamName="accountSlug2", searchParamValue="branch-8")
    ] == [2]
    assert await listed(searchParamName="accountSlug2", searchParamValue="project-x") == []
    # the graph's voucher line shows them too
    node = (await api.data(LINE_SLUGS, {"id": to_global_id("Voucher", data["_id"])}, owner))["node"]
    assert node["lines"] == [
        {"accountSlug2": "branch-7", "accountSlug3": "project-x", "accountSlug4": None},
        {"accountSlug2": None, "accountSlug3": None, "accountSlug4": "q3"},
    ]


async def test_a_graph_voucher_keeps_its_slugs_and_records_its_writer(api):
    owner = await api.register()
    lines = [
        {"accountCode": "1110", "debit": "10.00", "accountSlug2": "till-1"},
        {"accountCode": "3100", "credit": "10.00"},
    ]
    data = await api.data(
        VOUCHER_CREATE, {"input": {"date": date.today().isoformat(), "lines": lines}}, owner
    )
    voucher_id = data["voucherCreate"]["voucher"]["id"]
    r = await api.rest(
        "GET",
        VOUCHERS,
        owner,
        params={"searchParamName": "accountSlug2", "searchParamValue": "till-1"},
    )
    (listed,) = r.json()["items"]
    assert to_global_id("Voucher", listed["_id"]) == voucher_id
    assert listed["creatorId"] == owner.user_id
    assert listed["voucherItems"][0]["accountSlug2"] == "till-1"
