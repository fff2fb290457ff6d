"""Numbors REST: /api/accounting/chart-of-accounts and /api/accounting/journal."""

from __future__ import annotations

from typing import Any

from tests.factories import Api, Tenant

MODULE_SET = """mutation($input: ModuleSetInput!) { moduleSet(input: $input) {
    module { alias } userErrors { field message } } }"""
CHART = "/api/accounting/chart-of-accounts"
JOURNAL = "/api/accounting/journal"
VOUCHERS = """{ vouchers { totalCount nodes { number description
    lines { debit credit account { code } } } } }"""


async def entry(api: Api, tenant: Tenant, body: dict[str, Any]) -> Any:
    return await api.rest("POST", JOURNAL, tenant, json=body)


def _lines(*pairs: tuple[Any, str, str]) -> list[dict[str, Any]]:
    return [
        {"account": account, "debit": debit, "credit": credit} for account, debit, credit in pairs
    ]


async def test_chart_of_accounts_is_the_flat_list_sorted_by_code(api: Api) -> None:
    # given a new company
    owner = await api.register()

    # when its chart is listed a page at a time
    first = await api.rest("GET", CHART, owner, params={"limit": 10})
    second = await api.rest("GET", CHART, owner, params={"limit": 10, "page": 2})
    everything = await api.rest("GET", CHART, owner, params={"limit": 100})

    # then it is sorted by code, paginated with the total, and each entry names its parent
    assert first.status_code == 200 and first.json()["success"] is True
    rows = everything.json()["data"]
    codes = [r["code"] for r in rows]
    assert codes == sorted(codes)
    assert [r["code"] for r in first.json()["data"]] + [
        r["code"] for r in second.json()["data"]
    ] == codes[:20]
    assert first.json()["pagination"] == {
        "page": 1,
        "limit": 10,
        "total": len(codes),
        "pages": -(-len(codes) // 10),
    }
    bank = next(r for r in rows if r["code"] == "1110")
    assert bank["type"] == "asset" and bank["level"] == "account" and bank["nature"] == "debit"
    assert bank["systemKey"] == "bank" and bank["locked"] is True
    assert bank["parent"]["code"] == "111" and len(bank["id"]) == 24
    assert next(r for r in rows if r["code"] == "1")["parent"] is None


async def test_chart_filters_by_type_and_level(api: Api) -> None:
    owner = await api.register()
    r = await api.rest("GET", CHART, owner, params={"type": "income", "level": "account"})
    assert [row["code"] for row in r.json()["data"]] == ["4000", "4900"]
    bad = await api.rest("GET", CHART, owner, params={"type": "money"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "type"


async def test_posting_a_chart_entry_creates_an_account(api: Api) -> None:
    owner = await api.register()

    # when an account is created the documented way
    r = await api.rest(
        "POST", CHART, owner, json={"name": "Office Supplies 2", "code": "6110", "type": "expense"}
    )

    # then it is a leaf account in the chart, listed in code order
    assert r.status_code == 201, r.text
    created = r.json()["data"]
    assert (
        created["code"] == "6110"
        and created["level"] == "account"
        and created["parent"]["code"] == "511"
    )
    codes = [
        row["code"]
        for row in (await api.rest("GET", CHART, owner, params={"limit": 100})).json()["data"]
    ]
    assert codes.index("6110") == codes.index("6100") + 1
    # and a taken code, a missing name and an unknown type are 400s naming the field
    taken = await api.rest(
        "POST", CHART, owner, json={"name": "Again", "code": "6110", "type": "expense"}
    )
    missing = await api.rest("POST", CHART, owner, json={"code": "6120", "type": "expense"})
    wrong = await api.rest("POST", CHART, owner, json={"name": "X", "code": "6130", "type": "cost"})
    assert taken.status_code == 400 and taken.json()["errors"][0]["field"] == "code"
    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "name"
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["field"] == "type"


async def test_posting_a_journal_entry_makes_a_manual_voucher(api: Api) -> None:
    # given a company whose bank account is named by id, the others by code
    owner = await api.register()
    accounts = (await api.rest("GET", CHART, owner, params={"limit": 100})).json()["data"]
    bank = next(a for a in accounts if a["code"] == "1110")

    # when a journal entry is posted
    r = await entry(
        api,
        owner,
        {
            "date": "2026-04-01",
            "description": "Owner invests",
            "lines": [
                {"account": bank["id"], "debit": 2500.75, "description": "Transfer in"},
                {"account": 3100, "credit": "2500.75"},
            ],
        },
    )

    # then it is written as a numbered manual voucher with its lines
    assert r.status_code == 201, r.text
    data = r.json()["data"]
    assert data["number"] == 1 and data["type"] == "MANUAL" and data["kind"] == "REGULAR"
    assert data["date"] == "2026-04-01" and data["total"] == 2500.75 and data["currency"] == "USD"
    assert [(line["account"]["code"], line["debit"], line["credit"]) for line in data["lines"]] == [
        ("1110", 2500.75, 0),
        ("3100", 0, 2500.75),
    ]
    assert data["lines"][0]["description"] == "Transfer in"
    graph = (await api.data(VOUCHERS, tenant=owner))["vouchers"]
    assert graph["totalCount"] == 1 and graph["nodes"][0]["description"] == "Owner invests"


async def test_bad_journal_entries_are_400s_naming_the_field(api: Api) -> None:
    owner, other = await api.register(), await api.register()
    foreign = next(
        a
        for a in (await api.rest("GET", CHART, other, params={"limit": 100})).json()["data"]
        if a["code"] == "1110"
    )
    heading = next(
        a
        for a in (await api.rest("GET", CHART, owner, params={"limit": 100})).json()["data"]
        if a["code"] == "111"
    )
    cases = [
        (
            {"date": "2026-01-01", "lines": _lines(("1110", "10", "0"), ("3100", "0", "9"))},
            ["lines"],
        ),
        ({"date": "2026-01-01", "lines": []}, ["lines"]),
        (
            {"date": "2026-01-01", "lines": _lines(("1110", "10", "10"), ("3100", "0", "10"))},
            ["lines[0]"],
        ),
        (
            {"date": "2026-01-01", "lines": _lines(("1110", "0", "0"), ("3100", "0", "0"))},
            ["lines[0]", "lines[1]"],
        ),
        (
            {"date": "2026-01-01", "lines": _lines(("1110", "-1", "0"), ("3100", "0", "-1"))},
            ["lines[0].debit", "lines[1].credit"],
        ),
        (
            {"date": "2026-01-01", "lines": _lines((foreign["id"], "5", "0"), ("3100", "0", "5"))},
            ["lines[0].account"],
        ),
        (
            {"date": "2026-01-01", "lines": _lines(("0" * 24, "5", "0"), ("3100", "0", "5"))},
            ["lines[0].account"],
        ),
        (
            {"date": "2026-01-01", "lines": _lines(("9999", "5", "0"), ("3100", "0", "5"))},
            ["lines[0].account"],
        ),
        (
            {"date": "2026-01-01", "lines": _lines((heading["id"], "5", "0"), ("3100", "0", "5"))},
            ["lines[0].account"],
        ),
        ({"lines": _lines(("1110", "5", "0"), ("3100", "0", "5"))}, ["date"]),
        ({"date": "yesterday", "lines": _lines(("1110", "5", "0"), ("3100", "0", "5"))}, ["date"]),
        ({"date": "2026-01-01"}, ["lines"]),
    ]
    for body, fields in cases:
        r = await entry(api, owner, body)
        assert r.status_code == 400, (body, r.text)
        assert [e["field"] for e in r.json()["errors"]] == fields, (body, r.json())
    # a foreign account is refused exactly like a missing one
    foreign_r = await entry(api, owner, cases[5][0])
    missing_r = await entry(api, owner, cases[6][0])
    assert foreign_r.json() == missing_r.json()
    assert foreign_r.json()["errors"][0]["code"] == "NOT_FOUND"
    # and nothing was written
    assert (await api.data(VOUCHERS, tenant=owner))["vouchers"]["totalCount"] == 0
    not_json = await api.rest(
        "POST", JOURNAL, owner, content=b"[1, 2]", headers={"content-type": "application/json"}
    )
    assert not_json.status_code == 400


async def test_the_journal_lists_entries_sorted_by_date_with_their_lines(api: Api) -> None:
    # given entries posted out of date order, and another company's
    owner, other = await api.register(), await api.register()
    for day, amount in (("2026-03-01", "30"), ("2026-01-15", "10"), ("2026-02-01", "20")):
        r = await entry(
            api,
            owner,
            {
                "date": day,
                "description": f"On {day}",
                "lines": _lines(("6200", amount, "0"), ("1110", "0", amount)),
            },
        )
        assert r.status_code == 201
    await entry(
        api,
        other,
        {"date": "2026-01-01", "lines": _lines(("6200", "99", "0"), ("1110", "0", "99"))},
    )

    # when the journal is read, whole and a page at a time
    whole = (await api.rest("GET", JOURNAL, owner)).json()
    page_two = (await api.rest("GET", JOURNAL, owner, params={"page": 2, "limit": 2})).json()
    filtered = (
        await api.rest("GET", JOURNAL, owner, params={"from": "2026-02-01", "to": "2026-02-28"})
    ).json()
    newest = (await api.rest("GET", JOURNAL, owner, params={"order": "desc", "limit": 1})).json()

    # then it is sorted by date, with lines, and holds only this company's entries
    assert [e["date"] for e in whole["data"]] == ["2026-01-15", "2026-02-01", "2026-03-01"]
    assert whole["pagination"]["total"] == 3
    assert [
        (line["account"]["code"], line["debit"], line["credit"])
        for line in whole["data"][0]["lines"]
    ] == [
        ("6200", 10, 0),
        ("1110", 0, 10),
    ]
    assert [e["date"] for e in page_two["data"]] == ["2026-03-01"]
    assert page_two["pagination"] == {"page": 2, "limit": 2, "total": 3, "pages": 2}
    assert [e["date"] for e in filtered["data"]] == ["2026-02-01"]
    assert [e["date"] for e in newest["data"]] == ["2026-03-01"]
    bad = await api.rest("GET", JOURNAL, owner, params={"from": "soon"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "from"


async def test_accounting_paths_need_auth_the_module_and_a_writing_role(api: Api, app: Any) -> None:
    from tests.factories import member_of

    owner = await api.register()
    viewer = await member_of(api, app, owner, "viewer")
    anonymous = await api.client.get(CHART)
    assert anonymous.status_code == 401
    assert (await api.rest("GET", JOURNAL, viewer)).status_code == 200
    write = await entry(
        api, viewer, {"date": "2026-01-01", "lines": _lines(("6200", "1", "0"), ("1110", "0", "1"))}
    )
    assert write.status_code == 403
    await api.mutate(
        "moduleSet",
        MODULE_SET,
        {"alias": "accounting", "enabled": False},
        owner,
    )
    assert (await api.rest("GET", CHART, owner)).status_code == 403
