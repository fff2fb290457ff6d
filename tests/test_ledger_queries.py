"""Ledger reads: SQL statement counts that do not grow with the page (one statement per
root field compiled, one per level through the resolvers), and the compiled read path
agreeing with the resolver path to the byte."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from gql.app import create_app
from gql.core.pagination import encode_cursor
from gql.settings import Settings
from tests.conftest import StatementCounter, counting
from tests.factories import VIEWER_STATEMENTS, Api, Tenant

VOUCHER_CREATE = """mutation($input: VoucherCreateInput!) { voucherCreate(input: $input) {
    voucher { id } userErrors { field message code } } }"""
VOUCHER_REVERSE = """mutation($input: VoucherReverseInput!) { voucherReverse(input: $input) {
    voucher { id } userErrors { field message code } } }"""
ISSUE = """mutation($input: DocumentIdInput!) { documentIssue(input: $input) {
    document { id } userErrors { field message code } } }"""

VOUCHERS_BARE = "query($first: Int!) { vouchers(first: $first) { totalCount nodes { number } } }"
VOUCHERS_WITH_EDGES = """query($first: Int!) { vouchers(first: $first) { totalCount nodes {
    number total { amount currency } lines { debit credit account { code name } }
    financialYear { name } } } }"""
VOUCHERS_WITH_LINKS = """query($first: Int!) { vouchers(first: $first) { nodes {
    number reverses { number } reversedBy { number }
    lines { contact { name } voucher { number } } } } }"""
VOUCHERS_WITH_SOURCES = """query($first: Int!) {
  vouchers(first: $first, orderBy: {field: CREATED_AT, direction: DESC}) { nodes { number
    source { __typename ... on Document { documentNumber: number } ... on Voucher { number } } } }
}"""
ACCOUNTS_BARE = (
    "query($first: Int!) { ledgerAccounts(first: $first) { totalCount nodes { code } } }"
)
# General headings only: an account on the page that is also a child of another one on
# it would be a dataloader cache hit, resolved a tick early, splitting a level's batch.
ACCOUNT_TREE = """query($first: Int!) {
  ledgerAccounts(first: $first, filter: {level: GENERAL}) { totalCount nodes {
    code children { code children { code parent { code } } } } } }"""
ACCOUNT_BALANCES = """query($first: Int!) {
  ledgerAccounts(first: $first, filter: {level: ACCOUNT}) {
    nodes { code balance } } }"""
REPORTS = """{ company { reports {
    trialBalance { rows { code account { name } } totalDebit { amount } }
    profitAndLoss { netProfit { amount } } balanceSheet { totalAssets { amount } }
    receivablesAgeing { rows { contact { name } } } } } }"""


@pytest.fixture(scope="module")
async def resolver_path(
    settings: Settings, schema_ready: None
) -> AsyncIterator[tuple[Api, StatementCounter]]:
    """The app with the compiled read path off, on the same database, with a counter."""
    application = create_app(settings.model_copy(update={"compiled_reads": False}))
    async with LifespanManager(application) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        with counting(application, StatementCounter()) as counter:
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                yield Api(client), counter


async def run(
    api: Api, counter: StatementCounter, query: str, tenant: Tenant, **variables: Any
) -> tuple[int, dict[str, Any]]:
    counter.reset()
    body = await api.gql(query, variables, tenant)
    assert not body.get("errors"), body["errors"]
    return counter.count, body


async def books(api: Api, tenant: Tenant, vouchers: int = 10) -> None:
    """`vouchers` manual vouchers over several accounts, contacts and two years, each
    second one reversed, plus two issued invoices."""
    customer = await api.contact(tenant)
    codes = ["6100", "6200", "6300", "6900", "5000"]
    for n in range(vouchers):
        payload = await api.mutate(
            "voucherCreate",
            VOUCHER_CREATE,
            {
                "date": f"{2026 + n % 2}-0{1 + n % 9}-1{n % 10}",
                "description": f"Entry {n}",
                "lines": [
                    {"accountCode": codes[n % 5], "debit": f"{n + 1}.{n:02d}"},
                    {
                        "accountCode": "1200",
                        "credit": f"{n + 1}.{n:02d}",
                        "contactId": customer["id"],
                    },
                ],
            },
            tenant,
        )
        if n % 2:
            await api.mutate(
                "voucherReverse", VOUCHER_REVERSE, {"id": payload["voucher"]["id"]}, tenant
            )
    for price in ("10", "20.05"):
        doc = await api.document(
            tenant, customer["id"], lines=[{"name": "Work", "unitPrice": price}]
        )
        await api.mutate("documentIssue", ISSUE, {"id": doc["id"]}, tenant)


# --- statement counts -------------------------------------------------------------------------


async def test_vouchers_with_lines_accounts_and_years_are_one_statement_compiled(
    api: Api, sql_counter: Any
) -> None:
    tenant = await api.register()
    await books(api, tenant)

    two, _ = await run(api, sql_counter, VOUCHERS_WITH_EDGES, tenant, first=2)
    ten, body = await run(api, sql_counter, VOUCHERS_WITH_EDGES, tenant, first=10)
    links, links_body = await run(api, sql_counter, VOUCHERS_WITH_LINKS, tenant, first=10)

    assert body["extensions"]["executors"] == {"vouchers": "compiled"}
    assert links_body["extensions"]["executors"] == {"vouchers": "compiled"}
    assert len(body["data"]["vouchers"]["nodes"]) == 10
    assert all(
        len(n["lines"]) == 2 and n["financialYear"]["name"]
        for n in body["data"]["vouchers"]["nodes"]
    )
    assert two == ten == links == VIEWER_STATEMENTS + 1, sql_counter.statements


async def test_vouchers_with_their_edges_take_one_statement_per_level_through_resolvers(
    api: Api, resolver_path: tuple[Api, StatementCounter]
) -> None:
    tenant = await api.register()
    await books(api, tenant)
    reference, counter = resolver_path

    bare, _ = await run(reference, counter, VOUCHERS_BARE, tenant, first=2)
    two, _ = await run(reference, counter, VOUCHERS_WITH_EDGES, tenant, first=2)
    ten, body = await run(reference, counter, VOUCHERS_WITH_EDGES, tenant, first=10)
    links_two, _ = await run(reference, counter, VOUCHERS_WITH_LINKS, tenant, first=2)
    links_ten, links = await run(reference, counter, VOUCHERS_WITH_LINKS, tenant, first=10)
    sources_two, _ = await run(reference, counter, VOUCHERS_WITH_SOURCES, tenant, first=2)
    sources_ten, sources = await run(reference, counter, VOUCHERS_WITH_SOURCES, tenant, first=10)

    assert len(body["data"]["vouchers"]["nodes"]) == 10
    assert bare == VIEWER_STATEMENTS + 1
    # lines, their accounts, the financial years
    assert two == ten == bare + 3, counter.statements
    # reverses, reversedBy, lines, their contacts, their vouchers
    assert links_two == links_ten == bare + 5, counter.statements
    assert any(n["reverses"] for n in links["data"]["vouchers"]["nodes"])
    # sources: one statement per kind of source on the page (documents, vouchers)
    kinds = {n["source"]["__typename"] for n in sources["data"]["vouchers"]["nodes"] if n["source"]}
    assert kinds == {"Document", "Voucher"}
    assert sources_two <= sources_ten == bare + len(kinds), counter.statements


async def test_the_account_tree_is_one_statement_compiled_and_one_per_level_resolved(
    api: Api, sql_counter: Any, resolver_path: tuple[Api, StatementCounter]
) -> None:
    tenant = await api.register()
    await books(api, tenant, vouchers=3)
    reference, counter = resolver_path

    # compiled
    two, _ = await run(api, sql_counter, ACCOUNT_TREE, tenant, first=2)
    ten, body = await run(api, sql_counter, ACCOUNT_TREE, tenant, first=10)
    balances, balance_body = await run(api, sql_counter, ACCOUNT_BALANCES, tenant, first=10)
    assert body["extensions"]["executors"] == {"ledgerAccounts": "compiled"}
    assert balance_body["extensions"]["executors"] == {"ledgerAccounts": "compiled"}
    assert two == ten == balances == VIEWER_STATEMENTS + 1, sql_counter.statements

    # through the resolvers: children, their children, their parents; balances in one
    bare, _ = await run(reference, counter, ACCOUNTS_BARE, tenant, first=2)
    r_two, _ = await run(reference, counter, ACCOUNT_TREE, tenant, first=2)
    r_ten, r_body = await run(reference, counter, ACCOUNT_TREE, tenant, first=10)
    b_two, _ = await run(reference, counter, ACCOUNT_BALANCES, tenant, first=2)
    b_ten, _ = await run(reference, counter, ACCOUNT_BALANCES, tenant, first=10)
    assert r_two == r_ten == bare + 3, counter.statements
    assert b_two == b_ten == bare + 1, counter.statements
    assert r_body["data"] == body["data"]


async def test_reports_take_the_same_statements_however_many_vouchers(
    api: Api, sql_counter: Any, resolver_path: tuple[Api, StatementCounter]
) -> None:
    small, large = await api.register(), await api.register()
    await books(api, small, vouchers=2)
    await books(api, large, vouchers=12)

    few, _ = await run(api, sql_counter, REPORTS, small)
    many, body = await run(api, sql_counter, REPORTS, large)
    reference, counter = resolver_path
    few_resolved, _ = await run(reference, counter, REPORTS, small)
    many_resolved, resolved = await run(reference, counter, REPORTS, large)

    assert body["data"]["company"]["reports"]["trialBalance"]["rows"]
    assert resolved["data"] == body["data"]
    # compiled: the viewer, then one statement for the company and all its reports
    assert few == many == VIEWER_STATEMENTS + 1, sql_counter.statements
    # resolvers: the viewer, then one statement per report (trial balance, profit and
    # loss, balance sheet, ageing) and one per loaded edge (the trial balance rows'
    # accounts, ageing's contacts)
    assert few_resolved == many_resolved == VIEWER_STATEMENTS + 6, counter.statements


async def test_the_rest_journal_takes_the_same_statements_for_any_page(
    api: Api, sql_counter: Any
) -> None:
    tenant = await api.register()
    await books(api, tenant)

    async def journal(limit: int) -> int:
        sql_counter.reset()
        r = await api.rest("GET", "/api/accounting/journal", tenant, params={"limit": limit})
        assert r.status_code == 200 and len(r.json()["data"]) == limit
        return sql_counter.count

    assert await journal(2) == await journal(10)
    sql_counter.reset()
    r = await api.rest("GET", "/api/accounting/chart-of-accounts", tenant, params={"limit": 5})
    small = sql_counter.count
    sql_counter.reset()
    r = await api.rest("GET", "/api/accounting/chart-of-accounts", tenant, params={"limit": 40})
    assert r.status_code == 200 and sql_counter.count == small


# --- compiled and resolver paths agree -------------------------------------------------------

VOUCHER_FIELDS = """id objectId number date description type kind sourceType createdAt
    total { amount currency } financialYear { id name startDate endDate isDefault createdAt }
    lines { id objectId position debit credit description account { id code } contact { id name }
            voucher { number } }
    reverses { id number } reversedBy { id number kind }"""
ACCOUNT_FIELDS = """id objectId code name slug type level nature locked enabled systemKey createdAt
    balance
    parent { code balance } children { code level balance children { code } }"""
PAGE = "totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }"

LIST_QUERIES = [
    f"{{ vouchers {{ {PAGE} edges {{ cursor node {{ {VOUCHER_FIELDS} }} }} }} }}",
    """{ vouchers(first: 3, orderBy: {field: NUMBER, direction: ASC}) {
        totalCount nodes { number date } } }""",
    f"""{{ vouchers(first: 2, after: "{encode_cursor(2)}") {{
        {PAGE} nodes {{ number total {{ amount }} }} }} }}""",
    f'{{ vouchers(last: 2, before: "{encode_cursor(5)}") {{ {PAGE} nodes {{ number }} }} }}',
    "{ vouchers(filter: {kind: REGULAR, type: MANUAL}) { totalCount nodes { number kind } } }",
    """{ vouchers(filter: {type: AUTO}) {
        totalCount nodes { number sourceType lines { account { systemKey } } } } }""",
    """{ vouchers(filter: {accountCode: "6200"}) {
        totalCount nodes { number lines { account { code } } } } }""",
    '{ vouchers(filter: {accountCode: "5"}) { totalCount nodes { number } } }',
    """{ vouchers(filter: {dateFrom: "2026-03-01", dateTo: "2026-12-31", numberFrom: 2}) {
        totalCount nodes { date number } } }""",
    """{ vouchers(filter: {sourceType: VOUCHER}) {
        totalCount nodes { number reverses { number } } } }""",
    '{ vouchers(filter: {search: "entry 1"}) { totalCount nodes { description } } }',
    '{ vouchers(filter: {financialYearId: "garbage"}) { totalCount } }',
    f"{{ ledgerAccounts(first: 50) {{ {PAGE} nodes {{ {ACCOUNT_FIELDS} }} }} }}",
    "{ ledgerAccounts(orderBy: {field: NAME, direction: DESC}, first: 5) { nodes { name code } } }",
    """{ ledgerAccounts(filter: {type: EXPENSE, level: ACCOUNT}) {
        totalCount nodes { code balance } } }""",
    '{ ledgerAccounts(filter: {codePrefix: "6", enabled: true}) { nodes { code } } }',
    '{ ledgerAccounts(filter: {search: "sales"}) { nodes { code name } } }',
    """{ chartOfAccounts { totalCount nodes { code nature balance
        children { code balance children { code balance } } } } }""",
    "{ financialYears { totalCount nodes { id name startDate endDate isDefault } } }",
]


@pytest.fixture(scope="module")
async def world(api: Api) -> dict[str, Any]:
    owner, other = await api.register(), await api.register()
    await books(api, owner)
    await books(api, other, vouchers=3)
    ids = await api.data(
        "{ vouchers(first: 1) { nodes { id } } ledgerAccounts(first: 1) { nodes { id } } }",
        tenant=owner,
    )
    theirs = await api.data(
        "{ vouchers(first: 1) { nodes { id } } ledgerAccounts(first: 1) { nodes { id } } }",
        tenant=other,
    )
    return {
        "owner": owner,
        "voucher": (ids["vouchers"]["nodes"][0]["id"], theirs["vouchers"]["nodes"][0]["id"]),
        "ledgerAccount": (
            ids["ledgerAccounts"]["nodes"][0]["id"],
            theirs["ledgerAccounts"]["nodes"][0]["id"],
        ),
    }


async def both(
    api: Api, resolver_client: httpx.AsyncClient, query: str, tenant: Tenant
) -> tuple[dict[str, Any], dict[str, Any]]:
    compiled = await api.client.post("/graphql", json={"query": query}, headers=tenant.headers)
    reference = await resolver_client.post(
        "/graphql", json={"query": query}, headers=tenant.headers
    )
    assert compiled.status_code == reference.status_code == 200, query
    a, b = compiled.json(), reference.json()
    executors = a.pop("extensions", {}).get("executors", {})
    assert executors and set(executors.values()) == {"compiled"}, (query, executors)
    b.pop("extensions", None)
    return a, b


@pytest.mark.parametrize("query", LIST_QUERIES)
async def test_lists_agree(
    api: Api, resolver_client: httpx.AsyncClient, world: dict[str, Any], query: str
) -> None:
    compiled, reference = await both(api, resolver_client, query, world["owner"])
    assert compiled == reference
    assert not compiled.get("errors")


@pytest.mark.parametrize(
    ("field", "selection"),
    [("voucher", VOUCHER_FIELDS), ("ledgerAccount", ACCOUNT_FIELDS)],
)
async def test_single_objects_agree(
    api: Api, resolver_client: httpx.AsyncClient, world: dict[str, Any], field: str, selection: str
) -> None:
    mine, theirs = world[field]
    for ref in (mine, theirs, "0" * 24, "garbage"):
        compiled, reference = await both(
            api, resolver_client, f'{{ {field}(id: "{ref}") {{ {selection} }} }}', world["owner"]
        )
        assert compiled == reference, ref
        if ref == mine:
            assert compiled["data"][field] is not None
        else:
            assert compiled["data"][field] is None
            assert [e["extensions"]["code"] for e in compiled["errors"]] == ["NOT_FOUND"]


async def test_source_falls_back_to_the_resolvers_visibly(api: Api, world: dict[str, Any]) -> None:
    query = (
        "{ vouchers(first: 3) { nodes { number source { id } } } financialYears { totalCount } }"
    )
    body = await api.gql(query, tenant=world["owner"])
    assert body["extensions"]["executors"] == {"vouchers": "resolver", "financialYears": "compiled"}
    assert not body.get("errors")


async def test_the_whole_chart_with_leaf_balances_agrees_whichever_path_answers(
    api: Api, resolver_client: httpx.AsyncClient, world: dict[str, Any]
) -> None:
    # Four nested levels with a computed field at the bottom pass SQLite's parser stack,
    # so there the compiled attempt falls back to the resolvers; either way, same data.
    query = """{ chartOfAccounts { nodes { code children { code children { code
        children { code balance } } } } } }"""
    compiled = await api.client.post(
        "/graphql", json={"query": query}, headers=world["owner"].headers
    )
    reference = await resolver_client.post(
        "/graphql", json={"query": query}, headers=world["owner"].headers
    )
    assert compiled.json()["data"] == reference.json()["data"]
    leaves = [
        leaf
        for general in reference.json()["data"]["chartOfAccounts"]["nodes"]
        for sub in general["children"]
        for detailed in sub["children"]
        for leaf in detailed["children"]
    ]
    assert sum(Decimal(leaf["balance"]) for leaf in leaves) == 0
