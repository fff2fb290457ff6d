"""The reports on the compiled read path (gql/compiler/reports.py) answer exactly what
the resolver path answers: every report, with every field, over books with every
kind of posting, for dates on and around the postings, for contacts of this company,
of another one and of none; and in one statement for the company and all its
reports."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import DIRECT_VIEWER_STATEMENTS, Api, Tenant
from tests.test_reports import CURRENCY_CREATE, DOCUMENT_CANCEL, issued, voucher

MONEY = "{ amount currency __typename }"
LINE = f"{{ code name type amount {MONEY} account {{ id code level balance }} __typename }}"
BUCKETS = f"""current {MONEY} days1To30 {MONEY} days31To60 {MONEY} days61To90 {MONEY}
  over90 {MONEY} total {MONEY}"""
AGEING = f"""asOf rows {{ name contact {{ id name type }} amounts {{ {BUCKETS} }} }}
  totals {{ {BUCKETS} __typename }}"""
EVERY_REPORT = f"""query($from: Date, $to: Date, $asOf: Date, $contact: ID!) {{
  company {{ __typename id objectId name baseCurrency createdAt reports {{ __typename
    trialBalance(from: $from, to: $to) {{ from to balanced totalDebit {MONEY} totalCredit {MONEY}
      rows {{ code name type debit {MONEY} credit {MONEY} balance {MONEY} account {{ code }} }} }}
    profitAndLoss(from: $from, to: $to) {{ from to income {LINE} expenses {LINE}
      totalIncome {MONEY} totalExpenses {MONEY} netProfit {MONEY} }}
    balanceSheet(asOf: $asOf) {{ asOf assets {LINE} liabilities {LINE} equity {LINE}
      currentEarnings {MONEY} totalAssets {MONEY} totalLiabilities {MONEY} totalEquity {MONEY}
      totalLiabilitiesAndEquity {MONEY} }}
    receivablesAgeing(asOf: $asOf) {{ {AGEING} }}
    payables: payablesAgeing(asOf: $asOf) {{ {AGEING} }}
    contactStatement(contactId: $contact, from: $from, to: $to) {{
      contact {{ objectId name email }} from to openingBalance {MONEY} closingBalance {MONEY}
      entries {{ date number description debit {MONEY} credit {MONEY} balance {MONEY}
                 voucher {{ number kind lines {{ debit }} }} }} }}
    defaults: contactStatement(contactId: $contact) {{ openingBalance {{ amount }}
      entries {{ balance {{ amount }} }} closingBalance {{ amount }} }}
    todays: balanceSheet {{ asOf totalAssets {{ amount }} }}
}} }} }}"""

PERIODS = [
    {},
    {"from": "2026-01-01", "to": "2026-03-31"},
    {"from": "2026-02-15", "to": "2026-02-15"},
    {"from": "2026-02-16"},
    {"to": "2026-01-09"},
    {"from": "2030-01-01"},
]
AS_OF = [None, "2026-01-01", "2026-02-19", "2026-02-20", "2026-05-20", "2026-12-31", "2019-01-01"]


async def _both(
    api: Api, resolver_client: Any, query: str, variables: dict[str, Any], tenant: Tenant
) -> tuple[dict[str, Any], dict[str, Any]]:
    body = {"query": query, "variables": variables}
    compiled = await api.client.post("/graphql", json=body, headers=tenant.headers)
    reference = await resolver_client.post("/graphql", json=body, headers=tenant.headers)
    assert compiled.status_code == reference.status_code == 200
    return _without_cost(compiled.json()), _without_cost(reference.json())


def _without_cost(body: dict[str, Any]) -> dict[str, Any]:
    """The body less `extensions.cost` (the bucket's level differs between two
    requests; test_throttle.py checks both paths report the same cost)."""
    extensions = {k: v for k, v in (body.get("extensions") or {}).items() if k != "cost"}
    body = {k: v for k, v in body.items() if k != "extensions"}
    return {**body, "extensions": extensions} if extensions else body


@pytest.fixture(scope="module")
async def world(api: Api) -> dict[str, Any]:
    """Books with invoices, bills, credit notes, foreign currency, payments, a
    cancellation, a draft, a reversal and a year-end closing; another company's books;
    and a company with none."""
    owner, other, empty = await api.register(), await api.register(), await api.register()
    tax = await api.tax(owner, rate="19.6")
    acme = await api.contact(owner, name="Acme")
    zeta = await api.contact(owner, name="Acme")  # the same name: ordered by id after it
    supplier = await api.contact(owner, name="Supplies Co", type="supplier")
    await api.mutate(
        "currencyCreate", CURRENCY_CREATE, {"code": "EUR", "name": "Euro", "rate": "0.9"}, owner
    )
    await voucher(
        api,
        owner,
        "2026-01-01",
        ("1110", "5000", "0"),
        ("3100", "0", "5000"),
        kind="OPENING_BALANCE",
    )
    invoice = await issued(
        api,
        owner,
        acme["id"],
        "100",
        tax_id=tax["id"],
        issueDate="2026-01-10",
        dueDate="2026-02-09",
    )
    await issued(api, owner, acme["id"], "33.33", issueDate="2026-02-15", dueDate="2026-03-15")
    await issued(
        api,
        owner,
        acme["id"],
        "12.34",
        kind="CREDIT_NOTE",
        invoiceId=invoice["id"],
        issueDate="2026-02-15",
    )
    await issued(
        api,
        owner,
        zeta["id"],
        "200",
        issueDate="2026-01-20",
        dueDate="2026-01-20",
        currencyCode="EUR",
        currencyRate="3",
    )
    cancelled = await issued(api, owner, zeta["id"], "999", issueDate="2026-02-01")
    await api.mutate("documentCancel", DOCUMENT_CANCEL, {"id": cancelled["id"]}, owner)
    await issued(
        api,
        owner,
        supplier["id"],
        "40",
        kind="BILL",
        tax_id=tax["id"],
        issueDate="2026-01-20",
        dueDate="2026-02-19",
    )
    await voucher(
        api, owner, "2026-02-15", ("1110", "50", "0"), ("1200", "0", "50"), contact=acme["id"]
    )
    await voucher(
        api, owner, "2026-02-20", ("6100", "999", "0"), ("1110", "0", "999"), kind="DRAFT"
    )
    await voucher(api, owner, "2026-04-01", ("6100", "25", "0"), ("1110", "0", "25"))
    await voucher(
        api,
        owner,
        "2026-12-31",
        ("4000", "100", "0"),
        ("3200", "0", "100"),
        kind="CLOSING_TEMPORARY_ACCOUNTS",
    )
    stranger = await api.contact(other, name="Acme")
    await issued(api, other, stranger["id"], "7", issueDate="2026-01-10")
    return {
        "owner": owner,
        "other": other,
        "empty": empty,
        "contacts": [acme["id"], zeta["id"], supplier["id"]],
        "stranger": stranger["id"],
    }


@pytest.mark.parametrize("period", PERIODS)
@pytest.mark.parametrize("as_of", AS_OF[:4])
async def test_every_report_agrees_with_the_resolver_path(
    api: Api, resolver_client: Any, world: dict[str, Any], period: dict[str, str], as_of: str
) -> None:
    for contact in world["contacts"]:
        variables = {**period, "asOf": as_of, "contact": contact}
        compiled, reference = await _both(
            api, resolver_client, EVERY_REPORT, variables, world["owner"]
        )
        # then the compiled path answered, with exactly the resolver path's response
        assert compiled.pop("extensions") == {"executors": {"company": "compiled"}}
        assert compiled == reference, variables
        assert "errors" not in compiled


@pytest.mark.parametrize("as_of", AS_OF[3:])
async def test_balance_sheet_and_ageing_agree_on_every_date(
    api: Api, resolver_client: Any, world: dict[str, Any], as_of: str
) -> None:
    variables = {"asOf": as_of, "contact": world["contacts"][0]}
    compiled, reference = await _both(api, resolver_client, EVERY_REPORT, variables, world["owner"])
    compiled.pop("extensions")
    assert compiled == reference


@pytest.mark.parametrize("who", ["stranger", "nobody", "not an id"])
async def test_a_statement_of_no_such_contact_is_null_with_not_found_on_both_paths(
    api: Api, resolver_client: Any, world: dict[str, Any], who: str
) -> None:
    contact = {"stranger": world["stranger"], "nobody": "0" * 24, "not an id": "x"}[who]
    compiled, reference = await _both(
        api, resolver_client, EVERY_REPORT, {"contact": contact}, world["owner"]
    )
    compiled.pop("extensions", None)
    assert compiled == reference
    assert compiled["data"]["company"]["reports"]["contactStatement"] is None
    assert [(e["path"], e["extensions"]["code"]) for e in compiled["errors"]] == [
        (["company", "reports", "contactStatement"], "NOT_FOUND"),
        (["company", "reports", "defaults"], "NOT_FOUND"),
    ]


async def test_a_company_without_books_gets_empty_reports_on_both_paths(
    api: Api, resolver_client: Any, world: dict[str, Any]
) -> None:
    contact = await api.contact(world["empty"])
    compiled, reference = await _both(
        api, resolver_client, EVERY_REPORT, {"contact": contact["id"]}, world["empty"]
    )
    assert compiled.pop("extensions") == {"executors": {"company": "compiled"}}
    assert compiled == reference
    statement = compiled["data"]["company"]["reports"]["contactStatement"]
    assert statement["entries"] == [] and statement["closingBalance"]["amount"] == "0.00"


async def test_reports_with_accounting_off_are_left_to_the_resolver_path(
    api: Api, resolver_client: Any
) -> None:
    owner = await api.register()
    await api.data(
        'mutation { moduleSet(input: {alias: "accounting", enabled: false}) { userErrors { message } } }',
        tenant=owner,
    )
    query = "{ company { name reports { trialBalance { balanced } } } }"
    compiled, reference = await _both(api, resolver_client, query, {}, owner)
    # then the whole query went to the resolver path (no compiled root field to report)
    assert "extensions" not in compiled
    assert compiled == reference
    assert compiled["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_the_company_and_all_its_reports_are_one_statement(
    api: Api, sql_counter: Any, world: dict[str, Any]
) -> None:
    variables = {"from": "2026-01-01", "asOf": "2026-12-31", "contact": world["contacts"][0]}
    first = await api.gql(EVERY_REPORT, variables, world["owner"])
    sql_counter.reset()
    again = await api.gql(EVERY_REPORT, variables, world["owner"])
    # the steady state: the viewer's check and licenses, and the one compiled statement
    assert again == first and again["extensions"]["executors"] == {"company": "compiled"}
    assert sql_counter.count == DIRECT_VIEWER_STATEMENTS + 1, sql_counter.statements
