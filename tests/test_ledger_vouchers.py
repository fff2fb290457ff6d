"""The ledger over GraphQL: the seeded chart, accounts, manual vouchers and what is refused,
reversals, numbering per financial year, filters, links to their causes, tenancy."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.factories import Api, Tenant

MODULE_SET = """mutation($input: ModuleSetInput!) { moduleSet(input: $input) {
    module { alias } userErrors { field message } } }"""
VOUCHER_FIELDS = """
  id objectId number date description type kind sourceType
  total { amount currency }
  financialYear { name startDate endDate }
  lines { position debit credit description account { code } contact { id } }
  reverses { id number }
  reversedBy { id number }
"""

VOUCHER_CREATE = f"""
mutation($input: VoucherCreateInput!) {{
  voucherCreate(input: $input) {{
    voucher {{ {VOUCHER_FIELDS} }} userErrors {{ field message code }} }}
}}"""

VOUCHER_REVERSE = f"""
mutation($input: VoucherReverseInput!) {{
  voucherReverse(input: $input) {{
    voucher {{ {VOUCHER_FIELDS} }} userErrors {{ field message code }} }}
}}"""

ACCOUNT_CREATE = """
mutation($input: LedgerAccountCreateInput!) {
  ledgerAccountCreate(input: $input) {
    ledgerAccount { id code name slug type level nature locked enabled parent { code } }
    userErrors { field message code }
  }
}"""

VOUCHER = (
    f"query($id: ID!) {{ voucher(id: $id) {{ {VOUCHER_FIELDS} source {{ id __typename }} }} }}"
)
LEDGER_ACCOUNT = "query($id: ID!) { ledgerAccount(id: $id) { code name balance } }"

VOUCHERS = """
query($filter: VoucherFilter, $orderBy: VoucherOrder, $first: Int) {
  vouchers(filter: $filter, orderBy: $orderBy, first: $first) {
    totalCount nodes { number date description kind type }
  }
}"""

ACCOUNTS = """
query($filter: LedgerAccountFilter, $orderBy: LedgerAccountOrder, $first: Int) {
  ledgerAccounts(filter: $filter, orderBy: $orderBy, first: $first) {
    totalCount nodes { id code name type level nature locked systemKey parent { code } }
  }
}"""

CHART = """
{ chartOfAccounts { totalCount nodes { code name type level nature children { code level
    children { code level children { code level nature systemKey } } } } } }"""

YEARS = "{ financialYears { totalCount nodes { name startDate endDate isDefault } } }"

ISSUE = """mutation($input: DocumentIdInput!) { documentIssue(input: $input) {
    document { id status } userErrors { field message code } } }"""
DOCUMENT_VOUCHERS = """{ vouchers(filter: {sourceType: DOCUMENT}) {
    nodes { description type sourceType source { __typename ... on Document { id number } }
    lines { debit credit account { systemKey } contact { id } } } } }"""


def _line(code: str, debit: str = "0", credit: str = "0", **extra: Any) -> dict[str, Any]:
    return {"accountCode": code, "debit": debit, "credit": credit, **extra}


async def post(
    api: Api, tenant: Tenant, lines: list[dict[str, Any]], day: str = "2026-03-01", **extra: Any
) -> dict[str, Any]:
    """voucherCreate's payload (voucher or userErrors)."""
    data = await api.data(
        VOUCHER_CREATE,
        {"input": {"date": day, "description": "Entry", "lines": lines, **extra}},
        tenant,
    )
    return data["voucherCreate"]  # type: ignore[no-any-return]


async def account_id(api: Api, tenant: Tenant, code: str) -> str:
    data = await api.data(ACCOUNTS, {"filter": {"code": code}}, tenant)
    return data["ledgerAccounts"]["nodes"][0]["id"]  # type: ignore[no-any-return]


# --- the chart -----------------------------------------------------------------------------


async def test_a_new_company_has_the_standard_chart_and_a_financial_year(api: Api) -> None:
    # given a new company
    owner = await api.register()

    # when its chart is read as a list and as a tree
    flat = (await api.data(ACCOUNTS, {"first": 100}, owner))["ledgerAccounts"]
    tree = (await api.data(CHART, tenant=owner))["chartOfAccounts"]
    years = (await api.data(YEARS, tenant=owner))["financialYears"]

    # then the list is sorted by code and covers the five types
    codes = [n["code"] for n in flat["nodes"]]
    assert codes == sorted(codes) and flat["totalCount"] == len(codes)
    assert {n["type"] for n in flat["nodes"]} == {
        "ASSET",
        "LIABILITY",
        "EQUITY",
        "INCOME",
        "EXPENSE",
    }
    # and the tree is general > subsidiary > detailed > account, with natures
    assert [g["code"] for g in tree["nodes"]] == ["1", "2", "3", "4", "5"]
    assert {g["level"] for g in tree["nodes"]} == {"GENERAL"}
    assets = tree["nodes"][0]
    assert assets["nature"] == "DEBIT" and tree["nodes"][1]["nature"] == "CREDIT"
    current = assets["children"][0]
    assert current["level"] == "SUBSIDIARY"
    cash = current["children"][0]
    assert cash["level"] == "DETAILED"
    assert [(a["code"], a["level"], a["systemKey"]) for a in cash["children"]] == [
        ("1110", "ACCOUNT", "bank"),
        ("1120", "ACCOUNT", "cash"),
    ]
    # and every system account automatic postings need is there
    keys = {n["systemKey"] for n in flat["nodes"] if n["systemKey"]}
    assert {
        "receivables",
        "payables",
        "sales",
        "purchases",
        "tax_payable",
        "tax_receivable",
    } <= keys
    # and there is one default financial year
    assert years["totalCount"] == 1 and years["nodes"][0]["isDefault"] is True


async def test_ledger_accounts_filter_by_type_level_code_and_search(api: Api) -> None:
    owner = await api.register()

    async def codes(filter: dict[str, Any], order: dict[str, Any] | None = None) -> list[str]:
        data = await api.data(ACCOUNTS, {"filter": filter, "orderBy": order, "first": 100}, owner)
        return [n["code"] for n in data["ledgerAccounts"]["nodes"]]

    assert await codes({"type": "INCOME", "level": "ACCOUNT"}) == ["4000", "4900"]
    assert await codes({"code": "6200"}) == ["6200"]
    assert await codes({"codePrefix": "61"}) == ["6100"]
    assert await codes({"codePrefix": "%"}) == []
    assert await codes({"search": "receiv"}) == ["112", "1200", "1300"]
    by_name = await codes({"level": "GENERAL"}, {"field": "NAME", "direction": "ASC"})
    assert by_name == ["1", "3", "5", "4", "2"]  # Assets, Equity, Expenses, Income, Liabilities


async def test_ledger_account_create_adds_a_leaf_under_a_detailed_heading(api: Api) -> None:
    owner = await api.register()
    rent = await account_id(api, owner, "521")

    # when accounts are added, with and without a parent
    default = await api.mutate(
        "ledgerAccountCreate",
        ACCOUNT_CREATE,
        {"code": "6400", "name": "Travel & Meals", "type": "EXPENSE"},
        owner,
    )
    placed = await api.mutate(
        "ledgerAccountCreate",
        ACCOUNT_CREATE,
        {"code": "6500", "name": "Insurance", "type": "EXPENSE", "parentId": rent},
        owner,
    )

    # then they are accounts vouchers can post to, with the parent's nature
    account = default["ledgerAccount"]
    assert (
        account["level"] == "ACCOUNT"
        and account["nature"] == "DEBIT"
        and account["locked"] is False
    )
    assert account["slug"] == "travel-meals" and account["parent"]["code"] == "511"
    assert placed["ledgerAccount"]["parent"]["code"] == "521"
    assert (await post(api, owner, [_line("6500", debit="10"), _line("1120", credit="10")]))[
        "userErrors"
    ] == []


async def test_ledger_account_create_refuses_taken_codes_and_bad_parents(api: Api) -> None:
    owner, other = await api.register(), await api.register()
    foreign_parent = await account_id(api, other, "521")
    income_parent = await account_id(api, owner, "411")
    cases = [
        ({"code": "6100", "name": "Dup", "type": "EXPENSE"}, ["input", "code"], "TAKEN"),
        (
            {"code": "6600", "name": "X", "type": "EXPENSE", "parentId": foreign_parent},
            ["input", "parentId"],
            "NOT_FOUND",
        ),
        (
            {"code": "6600", "name": "X", "type": "EXPENSE", "parentId": income_parent},
            ["input", "parentId"],
            "INVALID",
        ),
        ({"code": "66 00", "name": "X", "type": "EXPENSE"}, ["input", "code"], "INVALID"),
    ]
    for input, field, code in cases:
        data = await api.data(ACCOUNT_CREATE, {"input": input}, owner)
        errors = data["ledgerAccountCreate"]["userErrors"]
        assert [(e["field"], e["code"]) for e in errors] == [(field, code)], input


# --- manual vouchers -----------------------------------------------------------------------------


async def test_a_balanced_manual_voucher_is_posted(api: Api) -> None:
    # given a company and a customer
    owner = await api.register()
    customer = await api.contact(owner)

    # when a balanced voucher is posted by code and by id, one line naming the customer
    bank = await account_id(api, owner, "1110")
    payload = await post(
        api,
        owner,
        [
            {"accountId": bank, "debit": "1500.50", "description": "Deposit"},
            _line("3100", credit="1000.25"),
            _line("1200", credit="500.25", contactId=customer["id"]),
        ],
        kind="OPENING_BALANCE",
    )

    # then it is numbered, manual, in the base currency, with its lines in order
    assert payload["userErrors"] == []
    voucher = payload["voucher"]
    assert (
        voucher["number"] == 1
        and voucher["type"] == "MANUAL"
        and voucher["kind"] == "OPENING_BALANCE"
    )
    assert voucher["total"] == {"amount": "1500.50", "currency": "USD"}
    assert voucher["financialYear"]["name"] == "2026" and voucher["sourceType"] is None
    assert [
        (line["account"]["code"], line["debit"], line["credit"]) for line in voucher["lines"]
    ] == [
        ("1110", "1500.50", "0.00"),
        ("3100", "0.00", "1000.25"),
        ("1200", "0.00", "500.25"),
    ]
    assert voucher["lines"][0]["description"] == "Deposit"
    assert voucher["lines"][2]["contact"] is not None and voucher["lines"][0]["contact"] is None
    # and the accounts' balances moved (debits less credits)
    balance = await api.data(LEDGER_ACCOUNT, {"id": bank}, owner)
    assert balance["ledgerAccount"]["balance"] == "1500.50"


async def test_unbalanced_empty_and_one_sided_vouchers_are_refused(api: Api) -> None:
    owner = await api.register()
    cases = [
        ([_line("1110", debit="100"), _line("3100", credit="99.99")], [["input", "lines"]]),
        ([], [["input", "lines"]]),
        (
            [_line("1110", debit="100", credit="100"), _line("3100", credit="0")],
            [["input", "lines", "0"], ["input", "lines", "1"]],
        ),
        ([_line("1110"), _line("3100")], [["input", "lines", "0"], ["input", "lines", "1"]]),
        (
            [_line("1110", debit="-5"), _line("3100", credit="-5")],
            [["input", "lines", "0", "debit"], ["input", "lines", "1", "credit"]],
        ),
        (
            [_line("1110", debit="1.001"), _line("3100", credit="1.001")],
            [["input", "lines", "0", "debit"], ["input", "lines", "1", "credit"]],
        ),
        ([{"debit": "1"}, _line("3100", credit="1")], [["input", "lines", "0"]]),
    ]
    for lines, fields in cases:
        payload = await post(api, owner, lines)
        assert payload["voucher"] is None, lines
        assert [e["field"] for e in payload["userErrors"]] == fields, (lines, payload["userErrors"])
    # and nothing was written
    assert (await api.data(VOUCHERS, tenant=owner))["vouchers"]["totalCount"] == 0


async def test_headings_unknown_and_other_companies_accounts_are_refused_alike(api: Api) -> None:
    # given two companies
    owner, other = await api.register(), await api.register()
    foreign = await account_id(api, other, "1110")
    heading = await account_id(api, owner, "111")
    foreign_contact = await api.contact(other)

    # when vouchers name another company's account, a missing one, a heading, or another
    # company's contact
    theirs = await post(
        api, owner, [{"accountId": foreign, "debit": "5"}, _line("3100", credit="5")]
    )
    missing = await post(
        api, owner, [{"accountId": "0" * 24, "debit": "5"}, _line("3100", credit="5")]
    )
    garbage = await post(
        api, owner, [{"accountId": "garbage", "debit": "5"}, _line("3100", credit="5")]
    )
    no_code = await post(api, owner, [_line("9999", debit="5"), _line("3100", credit="5")])
    headed = await post(
        api, owner, [{"accountId": heading, "debit": "5"}, _line("3100", credit="5")]
    )
    contact = await post(
        api,
        owner,
        [_line("1110", debit="5", contactId=foreign_contact["id"]), _line("3100", credit="5")],
    )

    # then another company's account is exactly as not found as a missing one
    assert (
        theirs["userErrors"]
        == missing["userErrors"]
        == garbage["userErrors"]
        == [
            {
                "field": ["input", "lines", "0", "accountId"],
                "message": "Ledger account not found",
                "code": "NOT_FOUND",
            }
        ]
    )
    assert no_code["userErrors"][0]["field"] == ["input", "lines", "0", "accountCode"]
    assert no_code["userErrors"][0]["code"] == "NOT_FOUND"
    assert headed["userErrors"][0]["field"] == ["input", "lines", "0", "accountId"]
    assert "heading" in headed["userErrors"][0]["message"]
    assert contact["userErrors"] == [
        {
            "field": ["input", "lines", "0", "contactId"],
            "message": "Contact not found",
            "code": "NOT_FOUND",
        }
    ]
    # and neither company's books moved
    for tenant in (owner, other):
        assert (await api.data(VOUCHERS, tenant=tenant))["vouchers"]["totalCount"] == 0


async def test_vouchers_are_numbered_per_financial_year(api: Api) -> None:
    owner = await api.register()
    lines = [_line("6200", debit="10"), _line("1110", credit="10")]

    # when vouchers are posted in this year, in a later year, and in this year again
    first = await post(api, owner, lines, day="2026-01-05")
    later = await post(api, owner, lines, day="2031-06-30")
    second = await post(api, owner, lines, day="2026-12-31")
    later_again = await post(api, owner, lines, day="2031-01-01")

    # then each year numbers its own from 1, and the later year was opened for it
    assert [p["voucher"]["number"] for p in (first, second)] == [1, 2]
    assert [p["voucher"]["number"] for p in (later, later_again)] == [1, 2]
    assert later["voucher"]["financialYear"] == {
        "name": "2031",
        "startDate": "2031-01-01",
        "endDate": "2031-12-31",
    }
    years = (await api.data(YEARS, tenant=owner))["financialYears"]["nodes"]
    assert [y["name"] for y in years] == ["2031", "2026"]


# --- reversal ---------------------------------------------------------------------------------


async def test_a_reversal_swaps_every_line_and_links_both_ways(api: Api) -> None:
    owner = await api.register()
    original = (
        await post(
            api,
            owner,
            [_line("6200", debit="80"), _line("6100", debit="20"), _line("1110", credit="100")],
        )
    )["voucher"]

    # when it is reversed on a later day
    payload = await api.mutate(
        "voucherReverse", VOUCHER_REVERSE, {"id": original["id"], "date": "2026-03-15"}, owner
    )

    # then the reversal swaps each side, and each voucher points at the other
    reversal = payload["voucher"]
    assert reversal["date"] == "2026-03-15" and reversal["number"] == 2
    assert reversal["type"] == "MANUAL" and reversal["sourceType"] == "VOUCHER"
    assert reversal["description"].startswith("Reversal of voucher 1")
    assert [
        (line["account"]["code"], line["debit"], line["credit"]) for line in reversal["lines"]
    ] == [
        ("6200", "0.00", "80.00"),
        ("6100", "0.00", "20.00"),
        ("1110", "100.00", "0.00"),
    ]
    assert reversal["reverses"] == {"id": original["id"], "number": 1}
    again = (await api.data(VOUCHER, {"id": original["id"]}, owner))["voucher"]
    assert again["reversedBy"] == {"id": reversal["id"], "number": 2}
    source = (await api.data(VOUCHER, {"id": reversal["id"]}, owner))["voucher"]["source"]
    assert source == {"id": original["id"], "__typename": "Voucher"}
    # and the accounts are back where they were
    bank = await account_id(api, owner, "1110")
    assert (await api.data(LEDGER_ACCOUNT, {"id": bank}, owner))["ledgerAccount"][
        "balance"
    ] == "0.00"


async def test_a_voucher_is_reversed_once_and_a_reversal_never(api: Api) -> None:
    owner, other = await api.register(), await api.register()
    original = (await post(api, owner, [_line("6200", debit="5"), _line("1110", credit="5")]))[
        "voucher"
    ]
    reversal = (await api.mutate("voucherReverse", VOUCHER_REVERSE, {"id": original["id"]}, owner))[
        "voucher"
    ]
    theirs = (await post(api, other, [_line("6200", debit="5"), _line("1110", credit="5")]))[
        "voucher"
    ]

    async def reverse(id: str) -> list[dict[str, Any]]:
        data = await api.data(VOUCHER_REVERSE, {"input": {"id": id}}, owner)
        assert data["voucherReverse"]["voucher"] is None
        return data["voucherReverse"]["userErrors"]  # type: ignore[no-any-return]

    twice = await reverse(original["id"])
    of_reversal = await reverse(reversal["id"])
    foreign = await reverse(theirs["id"])
    assert [(e["field"], e["code"]) for e in twice] == [(["input", "id"], "INVALID_STATE")]
    assert "already been reversed" in twice[0]["message"]
    assert [(e["field"], e["code"]) for e in of_reversal] == [(["input", "id"], "INVALID_STATE")]
    assert foreign == [
        {"field": ["input", "id"], "message": "Voucher not found", "code": "NOT_FOUND"}
    ]
    assert (await api.data(VOUCHERS, tenant=owner))["vouchers"]["totalCount"] == 2


async def test_an_issued_invoice_posts_an_automatic_voucher_linked_to_it(api: Api) -> None:
    # given an invoice of 100 + 20% tax
    owner = await api.register()
    tax = await api.tax(owner, rate="20")
    customer = await api.contact(owner)
    doc = await api.document(
        owner, customer["id"], lines=[{"name": "Work", "unitPrice": "100", "taxId": tax["id"]}]
    )

    # when it is issued
    await api.mutate("documentIssue", ISSUE, {"id": doc["id"]}, owner)

    # then an automatic voucher books receivables, sales and tax, linked to the invoice
    vouchers = (await api.data(DOCUMENT_VOUCHERS, tenant=owner))["vouchers"]["nodes"]
    assert len(vouchers) == 1
    voucher = vouchers[0]
    assert voucher["type"] == "AUTO" and voucher["sourceType"] == "DOCUMENT"
    assert voucher["source"] == {"__typename": "Document", "id": doc["id"], "number": doc["number"]}
    lines = {
        line["account"]["systemKey"]: (line["debit"], line["credit"]) for line in voucher["lines"]
    }
    assert lines == {
        "receivables": ("120.00", "0.00"),
        "sales": ("0.00", "100.00"),
        "tax_payable": ("0.00", "20.00"),
    }
    # and an automatic voucher cannot be reversed by hand
    listed = await api.data("{ vouchers { nodes { id } } }", tenant=owner)
    data = await api.data(
        VOUCHER_REVERSE, {"input": {"id": listed["vouchers"]["nodes"][0]["id"]}}, owner
    )
    assert [e["code"] for e in data["voucherReverse"]["userErrors"]] == ["INVALID_STATE"]


# --- lists and tenancy -------------------------------------------------------------------------


async def test_vouchers_filter_by_kind_date_number_account_and_year(api: Api) -> None:
    owner = await api.register()
    await post(
        api,
        owner,
        [_line("1110", debit="100"), _line("3100", credit="100")],
        day="2026-01-01",
        kind="OPENING_BALANCE",
        description="Opening",
    )
    await post(
        api,
        owner,
        [_line("6200", debit="30"), _line("1110", credit="30")],
        day="2026-02-01",
        description="Rent Feb",
    )
    await post(
        api,
        owner,
        [_line("6100", debit="12"), _line("1120", credit="12")],
        day="2026-03-01",
        description="Paper",
    )
    await post(
        api,
        owner,
        [_line("6200", debit="30"), _line("1110", credit="30")],
        day="2027-02-01",
        description="Rent next year",
    )
    year_2026 = next(
        y
        for y in (await api.data("{ financialYears { nodes { id name } } }", tenant=owner))[
            "financialYears"
        ]["nodes"]
        if y["name"] == "2026"
    )

    async def descriptions(
        filter: dict[str, Any], order: dict[str, Any] | None = None
    ) -> list[str]:
        data = await api.data(
            VOUCHERS,
            {"filter": filter, "orderBy": order or {"field": "DATE", "direction": "ASC"}},
            owner,
        )
        return [n["description"] for n in data["vouchers"]["nodes"]]

    assert await descriptions({"kind": "OPENING_BALANCE"}) == ["Opening"]
    assert await descriptions({"type": "AUTO"}) == []
    assert await descriptions({"dateFrom": "2026-02-01", "dateTo": "2026-03-01"}) == [
        "Rent Feb",
        "Paper",
    ]
    assert await descriptions({"numberFrom": 2, "numberTo": 3}) == ["Rent Feb", "Paper"]
    assert await descriptions({"accountCode": "6200"}) == ["Rent Feb", "Rent next year"]
    assert await descriptions({"accountCode": "111"}) == [
        "Opening",
        "Rent Feb",
        "Paper",
        "Rent next year",
    ]
    assert await descriptions({"accountCode": "5"}) == ["Rent Feb", "Paper", "Rent next year"]
    assert await descriptions({"financialYearId": year_2026["id"]}) == [
        "Opening",
        "Rent Feb",
        "Paper",
    ]
    assert await descriptions({"financialYearId": "garbage"}) == []
    assert await descriptions({"search": "rent"}) == ["Rent Feb", "Rent next year"]
    assert await descriptions({}, {"field": "DATE", "direction": "DESC"}) == [
        "Rent next year",
        "Paper",
        "Rent Feb",
        "Opening",
    ]
    # numbers restart each year; equal numbers fall back to the newest first
    assert await descriptions({}, {"field": "NUMBER", "direction": "DESC"}) == [
        "Paper",
        "Rent Feb",
        "Rent next year",
        "Opening",
    ]


async def test_another_companys_vouchers_and_accounts_are_invisible(api: Api) -> None:
    # given two companies with a voucher each
    owner, other = await api.register(), await api.register()
    mine = (await post(api, owner, [_line("6200", debit="7"), _line("1110", credit="7")]))[
        "voucher"
    ]
    theirs = (await post(api, other, [_line("6200", debit="9"), _line("1110", credit="9")]))[
        "voucher"
    ]
    their_account = await account_id(api, other, "6200")

    # when the first lists and fetches
    listed = (await api.data("{ vouchers { totalCount nodes { id } } }", tenant=owner))["vouchers"]
    got = await api.gql(VOUCHER, {"id": theirs["id"]}, owner)
    account = await api.gql(LEDGER_ACCOUNT, {"id": their_account}, owner)
    node = await api.gql("query($id: ID!) { node(id: $id) { id } }", {"id": theirs["id"]}, owner)
    line_accounts = await api.data(ACCOUNTS, {"first": 100}, owner)

    # then only its own exist
    assert [n["id"] for n in listed["nodes"]] == [mine["id"]]
    assert got["data"]["voucher"] is None and got["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert (
        account["data"]["ledgerAccount"] is None
        and account["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    )
    assert node["data"]["node"] is None and node["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert their_account not in {n["id"] for n in line_accounts["ledgerAccounts"]["nodes"]}
    # and balances only count its own lines
    my_rent = await account_id(api, owner, "6200")
    assert (await api.data(LEDGER_ACCOUNT, {"id": my_rent}, owner))["ledgerAccount"][
        "balance"
    ] == "7.00"


async def test_the_ledger_needs_the_accounting_module_and_a_writing_role(
    api: Api, app: Any
) -> None:
    from tests.factories import member_of

    owner = await api.register()
    viewer = await member_of(api, app, owner, "viewer")
    denied = await api.gql(VOUCHER_CREATE, {"input": {"date": "2026-01-01", "lines": []}}, viewer)
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    await api.mutate(
        "moduleSet",
        MODULE_SET,
        {"alias": "accounting", "enabled": False},
        owner,
    )
    off = await api.gql("{ vouchers { totalCount } }", tenant=owner)
    assert off["data"] is None and off["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    reports = await api.gql(
        "{ company { name reports { trialBalance { balanced } } } }", tenant=owner
    )
    assert reports["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert reports["data"]["company"]["reports"] is None and reports["data"]["company"]["name"]


async def test_two_reversals_at_the_same_moment_make_one(api: Api) -> None:
    # given a manual voucher
    owner = await api.register()
    original = (await post(api, owner, [_line("6200", debit="5"), _line("1110", credit="5")]))[
        "voucher"
    ]

    # when it is reversed by two requests at once
    results = await asyncio.gather(
        *(api.data(VOUCHER_REVERSE, {"input": {"id": original["id"]}}, owner) for _ in range(2))
    )

    # then exactly one reversal is written, and the other request is told why
    payloads = [r["voucherReverse"] for r in results]
    assert sorted(p["voucher"] is None for p in payloads) == [False, True]
    refused = next(p for p in payloads if p["voucher"] is None)
    assert [e["code"] for e in refused["userErrors"]] == ["INVALID_STATE"]
    listed = await api.data(
        "{ vouchers(filter: {sourceType: VOUCHER}) { totalCount } }", tenant=owner
    )
    assert listed["vouchers"]["totalCount"] == 1
