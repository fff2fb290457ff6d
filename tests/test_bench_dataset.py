"""The benchmark's dataset (scripts/benchmark/dataset.py, relations.py), bulk-inserted as
scripts/bench does, read back through the app: its CRM, helpdesk and contracts rows are
what the services would have written, and the benchmark's "contact with CRM and
tickets" row is answered by the compiled path, as the resolver path answers it; its
payroll and projects rows (people.py) are what those services would have written, and
the "employee with payslips" and "project with its time" rows are compiled too."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import col

from gql.core.ids import to_global_id
from gql.domains.companies.models import Company
from gql.domains.payroll.posting import KEYS as PAYROLL_KEYS
from gql.domains.payroll.service import gross_for, period_days
from scripts.benchmark.config import Sizes
from scripts.benchmark.dataset import CompanyRows, generate_company
from scripts.benchmark.people import HISTORY_MONTHS, PeopleRows
from scripts.benchmark.relations import RelationRows, busy_counts
from scripts.benchmark.seed import read_existing, write_company
from scripts.benchmark.targets import (
    CONTACT_CRM_QUERY,
    EMPLOYEE_QUERY,
    PROJECT_QUERY,
    STOCK_QUERY,
    TARGETS,
    Fixture,
    answered_by,
)
from tests.conftest import DATABASE_URL
from tests.factories import Api, Tenant

SIZES = Sizes(
    contacts=30,
    items=10,
    documents=60,
    deals=30,
    activities=90,
    tickets=45,
    proposals=12,
    contracts=8,
    departments=3,
    employees=12,
    projects=8,
    time_entries=120,
)


async def _seeded(api: Api, seed: int) -> tuple[Tenant, CompanyRows]:
    """A registered company with the generated rows of SIZES (without the documents'
    vouchers: the ledger is the books' benchmark, not this one's; with the approved pay
    runs' salary vouchers), inserted as the owner."""
    tenant = await api.register(companyName=f"Bench dataset {seed}")
    engine = create_async_engine(DATABASE_URL)
    try:
        async with engine.begin() as conn:
            base = await conn.scalar(
                select(col(Company.base_currency)).where(col(Company.id) == tenant.company_id)
            )
            existing = await read_existing(conn, tenant.company_id, str(base))
            # No document vouchers; the pay runs' (payroll.posting's accounts).
            existing.accounts = {k: v for k, v in existing.accounts.items() if k in PAYROLL_KEYS}
            company = generate_company(
                tenant.company_id, SIZES, existing, random.Random(seed), date.today()
            )
            await write_company(conn, company)
    finally:
        await engine.dispose()
    return tenant, company


def _relations(company: CompanyRows) -> RelationRows:
    assert company.relations is not None
    return company.relations


def _people(company: CompanyRows) -> PeopleRows:
    assert company.people is not None
    return company.people


def _at(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value.replace("Z", "+00:00"))


@pytest.fixture(scope="module")
async def seeded(api: Api) -> tuple[Tenant, CompanyRows]:
    return await _seeded(api, 7)


async def test_the_dataset_has_every_kind_of_row(seeded: tuple[Tenant, CompanyRows]) -> None:
    _, company = seeded
    rows = _relations(company)
    assert len(rows.deals) == SIZES.deals and len(rows.tickets) == SIZES.tickets
    assert len(rows.activities) == SIZES.activities
    assert len(rows.contracts) == SIZES.contracts and len(rows.proposals) == SIZES.proposals
    assert {d["status"] for d in rows.deals} == {"open", "won", "lost"}
    assert sum(d["contact_id"] is None for d in rows.deals) < SIZES.deals / 4
    assert {t["status"] for t in rows.tickets} >= {"open", "resolved", "closed"}
    assert any(a["done_at"] is not None for a in rows.activities)
    assert any(
        a["done_at"] is None and a["scheduled_at"] and a["scheduled_at"].date() < date.today()
        for a in rows.activities
    )  # overdue
    assert {p["status"] for p in rows.proposals} == {"draft", "sent", "accepted", "declined"}
    # The contact the benchmark asks for has several of each.
    busy, _ = company.busiest_contact()
    deals, activities, tickets = busy_counts(rows, busy)
    assert deals >= 2 and activities >= 2 and tickets >= 2


async def test_tickets_are_numbered_per_company_and_the_series_goes_on(
    api: Api, seeded: tuple[Tenant, CompanyRows]
) -> None:
    tenant, _ = seeded
    data = await api.data(
        """{ tickets(first: 100, orderBy: {field: OPENED_AT, direction: ASC}) {
          totalCount nodes { number openedAt } } }""",
        tenant=tenant,
    )
    nodes = data["tickets"]["nodes"]
    assert data["tickets"]["totalCount"] == SIZES.tickets
    assert [n["number"] for n in nodes] == list(range(1, SIZES.tickets + 1))
    created = await api.mutate(
        "ticketCreate",
        """mutation($input: TicketCreateInput!) { ticketCreate(input: $input) {
          ticket { number } userErrors { field message code } } }""",
        {"subject": "After the bulk load"},
        tenant,
    )
    assert created["ticket"]["number"] == SIZES.tickets + 1


async def test_ticket_dues_follow_the_sla_and_its_first_public_reply_stopped_the_clock(
    api: Api, seeded: tuple[Tenant, CompanyRows]
) -> None:
    tenant, _ = seeded
    data = await api.data(
        """{ tickets(first: 100) { nodes { number priority openedAt firstResponseDue
          resolutionDue respondedAt resolvedAt responseBreached
          sla { responseTime resolutionTime targets { priority responseTime resolutionTime } }
          replies { public createdAt } } } }""",
        tenant=tenant,
    )
    checked = Counter[str]()
    for t in data["tickets"]["nodes"]:
        opened = _at(t["openedAt"])
        assert opened is not None
        sla = t["sla"]
        if sla is None:
            assert t["firstResponseDue"] is None and t["resolutionDue"] is None
            continue
        target = next((x for x in sla["targets"] if x["priority"] == t["priority"]), None)
        response = (target or {}).get("responseTime") or sla["responseTime"]
        resolution = (target or {}).get("resolutionTime") or sla["resolutionTime"]
        assert _at(t["firstResponseDue"]) == opened + timedelta(hours=response)
        assert _at(t["resolutionDue"]) == opened + timedelta(hours=resolution)
        checked["target" if target else "default"] += 1
        responded = _at(t["respondedAt"])
        first_public = min(
            (_at(r["createdAt"]) for r in t["replies"] if r["public"]),
            default=None,
            key=lambda at: at or opened,
        )
        assert first_public == responded, t["number"]
        if responded is not None:
            late = responded > (_at(t["firstResponseDue"]) or responded)
            assert t["responseBreached"] is late
            checked["late" if late else "in time"] += 1
        if t["resolvedAt"] is not None:
            assert responded is not None and _at(t["resolvedAt"]) >= responded  # type: ignore[operator]
    assert checked["target"] and checked["default"] and checked["in time"]


async def test_a_deals_stage_is_of_its_pipeline_and_its_activities_on_its_contact(
    api: Api, seeded: tuple[Tenant, CompanyRows]
) -> None:
    tenant, _ = seeded
    data = await api.data(
        """{ deals(first: 100) { nodes { status stage { id pipeline { id } }
          pipeline { id stages { id position } } contact { id }
          activities(first: 50) { nodes { contact { id } } } } } }""",
        tenant=tenant,
    )
    deals = data["deals"]["nodes"]
    assert len(deals) == SIZES.deals
    for deal in deals:
        stages = [s["id"] for s in deal["pipeline"]["stages"]]
        assert deal["stage"]["pipeline"]["id"] == deal["pipeline"]["id"]
        assert deal["stage"]["id"] in stages
        if deal["status"] == "WON":
            assert deal["stage"]["id"] == stages[-1]
        for activity in deal["activities"]["nodes"]:
            assert activity["contact"] == deal["contact"]


async def test_accepted_proposals_contracts_carry_their_terms(
    api: Api, seeded: tuple[Tenant, CompanyRows]
) -> None:
    tenant, _ = seeded
    data = await api.data(
        """{ proposals(first: 100) { nodes { status title value { amount currency }
          contact { id } deal { contact { id } }
          contract { title value { amount currency } contact { id } } } } }""",
        tenant=tenant,
    )
    with_contract = 0
    for p in data["proposals"]["nodes"]:
        if p["deal"] is not None:
            assert p["deal"]["contact"] == p["contact"]
        if p["contract"] is not None:
            assert p["status"] == "ACCEPTED"
            assert (p["contract"]["title"], p["contract"]["value"]) == (p["title"], p["value"])
            assert p["contract"]["contact"] == p["contact"]
            with_contract += 1
    assert with_contract


async def test_the_contact_with_crm_row_is_compiled_and_agrees_with_the_resolvers(
    api: Api,
    client: httpx.AsyncClient,
    resolver_client: httpx.AsyncClient,
    seeded: tuple[Tenant, CompanyRows],
) -> None:
    tenant, company = seeded
    busy, documents = company.busiest_contact()
    fixture = Fixture(tenant.company_id, tenant.email, tenant.password, busy, documents)
    rows = [t for t in TARGETS if t.query == CONTACT_CRM_QUERY]
    assert [t.executor.name for t in rows] == ["compiled", "resolvers", "bare"]
    probe = rows[0].probe(fixture)
    assert probe.json is not None
    assert probe.json["variables"] == {"id": to_global_id("Contact", busy)}
    answers: list[Any] = []
    for http in (client, resolver_client):
        r = await http.post("/graphql", json=probe.json, headers=tenant.headers)
        assert probe.failure(r.status_code, r.content) is None, r.text
        answers.append((answered_by(r.content), r.json()["data"]))
    (compiled_by, compiled), (resolved_by, resolved) = answers
    assert (compiled_by, resolved_by) == ("compiled", "resolver")
    assert compiled == resolved
    contact = compiled["contact"]
    deals, activities, tickets = busy_counts(_relations(company), busy)
    assert contact["deals"]["totalCount"] == deals
    assert contact["tickets"]["totalCount"] == tickets
    assert len(contact["activities"]["nodes"]) == min(activities, rows[0].page_size)
    scheduled = [a["scheduledAt"] for a in contact["activities"]["nodes"] if a["scheduledAt"]]
    assert scheduled == sorted(scheduled)  # by scheduled date


def _money(value: dict[str, Any]) -> Decimal:
    return Decimal(value["amount"])


async def test_pay_runs_and_payslips_are_what_payroll_would_have_written(
    api: Api, seeded: tuple[Tenant, CompanyRows]
) -> None:
    tenant, company = seeded
    people = _people(company)
    assert len(people.employees) == SIZES.employees and len(people.pay_runs) == HISTORY_MONTHS
    assert any(e["contact_id"] for e in people.employees)
    data = await api.data(
        """{ payRuns(first: 24, orderBy: {field: PERIOD, direction: ASC}) { totalCount nodes {
          period payDate status gross { amount currency } deductions { amount } net { amount }
          voucher { date description total { amount } lines { debit credit } }
          payslips(first: 12) { totalCount nodes { period daysPaid daysInPeriod
            gross { amount } deductions { amount } net { amount } voucher { description }
            employee { id salary { amount } startDate endDate } } } } } }""",
        tenant=tenant,
    )
    runs = data["payRuns"]["nodes"]
    assert data["payRuns"]["totalCount"] == HISTORY_MONTHS
    assert [r["status"] for r in runs] == ["APPROVED"] * (HISTORY_MONTHS - 1) + ["DRAFT"]
    paid_for: set[tuple[str, str]] = set()
    for run in runs:
        slips = run["payslips"]["nodes"]
        assert run["payslips"]["totalCount"] == len(slips) > 0
        first, last = period_days(run["period"])
        assert date.fromisoformat(run["payDate"]) == last
        for slip in slips:
            e = slip["employee"]
            key = (e["id"], slip["period"])
            assert slip["period"] == run["period"] and key not in paid_for  # once a period
            paid_for.add(key)
            employee = SimpleNamespace(
                salary=_money(e["salary"]),
                start_date=date.fromisoformat(e["startDate"]),
                end_date=e["endDate"] and date.fromisoformat(e["endDate"]),
            )
            gross, days, days_in_period = gross_for(employee, first, last)  # type: ignore[arg-type]
            assert (_money(slip["gross"]), slip["daysPaid"], slip["daysInPeriod"]) == (
                gross,
                days,
                days_in_period,
            )
            assert days > 0
            assert _money(slip["net"]) == gross - _money(slip["deductions"])
        for field in ("gross", "deductions", "net"):
            assert _money(run[field]) == sum((_money(s[field]) for s in slips), Decimal(0))
        voucher = run["voucher"]
        if run["status"] == "DRAFT":
            assert voucher is None and not any(_money(s["deductions"]) for s in slips)
            assert all(s["voucher"] is None for s in slips)
            continue
        # approving posted it: Dr salaries the gross = Cr deductions payable + wages payable
        assert voucher["description"] == f"Payroll {run['period']}"
        assert voucher["date"] == run["payDate"]
        assert _money(voucher["total"]) == _money(run["gross"])
        debits = sum(Decimal(line["debit"]) for line in voucher["lines"])
        credits = sorted(Decimal(x["credit"]) for x in voucher["lines"] if Decimal(x["credit"]))
        assert debits == _money(run["gross"])
        assert credits == sorted([_money(run["deductions"]), _money(run["net"])])
        assert all(s["voucher"] == {"description": voucher["description"]} for s in slips)
    assert len(paid_for) == len(people.payslips)


async def test_time_entries_are_whole_minutes_within_their_projects(
    api: Api, seeded: tuple[Tenant, CompanyRows]
) -> None:
    tenant, company = seeded
    people = _people(company)
    data = await api.data(
        """{ projects(first: 8) { totalCount nodes { id status startDate endDate
          hourlyRate loggedMinutes billableMinutes unbilledMinutes budgetUsed { amount }
          customer { id } tasks(first: 20) { nodes { id } }
          timeEntries(first: 100) { totalCount nodes { startTime endTime minutes billable
            invoice { id } task { project { id } } project { id } } } } } }""",
        tenant=tenant,
    )
    projects = data["projects"]["nodes"]
    assert data["projects"]["totalCount"] == SIZES.projects
    logged = 0
    for p in projects:
        entries = p["timeEntries"]
        nodes = entries["nodes"]
        logged += entries["totalCount"]
        if p["endDate"] is not None:
            assert p["endDate"] >= p["startDate"]
        if entries["totalCount"] > len(nodes):
            continue  # the sums below need every entry
        minutes = [n["minutes"] for n in nodes]
        billable = sum(n["minutes"] for n in nodes if n["billable"])
        assert (p["loggedMinutes"], p["billableMinutes"]) == (sum(minutes), billable)
        assert p["unbilledMinutes"] == billable  # nothing is invoiced
        rate = Decimal(p["hourlyRate"] or 0)
        assert _money(p["budgetUsed"]) == (Decimal(billable) * rate / 60).quantize(Decimal("0.01"))
        for n in nodes:
            start, end = _at(n["startTime"]), _at(n["endTime"])
            assert start is not None and end is not None
            assert start.second == end.second == 0 and end > start
            assert n["minutes"] == (end - start) // timedelta(minutes=1)
            assert p["startDate"] <= start.date().isoformat() < date.today().isoformat()
            if p["endDate"] is not None:
                assert start.date().isoformat() <= p["endDate"]
            assert n["invoice"] is None and n["project"]["id"] == p["id"]
            if n["task"] is not None:
                assert n["task"]["project"]["id"] == p["id"]
    assert logged == SIZES.time_entries == len(people.time_entries)
    assert any(n["billable"] for p in projects for n in p["timeEntries"]["nodes"])
    assert any(not n["billable"] for p in projects for n in p["timeEntries"]["nodes"])


@pytest.mark.parametrize("query", [EMPLOYEE_QUERY, PROJECT_QUERY])
async def test_the_people_rows_are_compiled_and_agree_with_the_resolvers(
    query: str,
    client: httpx.AsyncClient,
    resolver_client: httpx.AsyncClient,
    seeded: tuple[Tenant, CompanyRows],
) -> None:
    tenant, company = seeded
    busy, documents = company.busiest_contact()
    employee, payslips, project, entries = company.busiest_people()
    fixture = Fixture(
        tenant.company_id,
        tenant.email,
        tenant.password,
        busy,
        documents,
        busy_employee_id=employee,
        busy_employee_payslips=payslips,
        busy_project_id=project,
        busy_project_entries=entries,
    )
    rows = [t for t in TARGETS if t.query == query]
    assert [t.executor.name for t in rows] == ["compiled", "resolvers", "bare"]
    probe = rows[0].probe(fixture)
    assert probe.json is not None
    answers: list[Any] = []
    for http in (client, resolver_client):
        r = await http.post("/graphql", json=probe.json, headers=tenant.headers)
        assert probe.failure(r.status_code, r.content) is None, r.text
        answers.append((answered_by(r.content), r.json()["data"]))
    (compiled_by, compiled), (resolved_by, resolved) = answers
    assert (compiled_by, resolved_by) == ("compiled", "resolver")
    assert compiled == resolved
    page = rows[0].page_size
    if query == EMPLOYEE_QUERY:
        e = compiled["employee"]
        assert e["contact"] is not None and e["department"] is not None
        assert e["payslips"]["totalCount"] == payslips == HISTORY_MONTHS
        periods = [s["period"] for s in e["payslips"]["nodes"]]
        assert len(periods) == page and periods == sorted(periods, reverse=True)  # latest first
        assert e["payslips"]["nodes"][0]["payRun"] == {"period": periods[0], "status": "DRAFT"}
    else:
        p = compiled["project"]
        assert p["timeEntries"]["totalCount"] == entries
        assert len(p["timeEntries"]["nodes"]) == min(entries, page)
        starts = [n["startTime"] for n in p["timeEntries"]["nodes"]]
        assert starts == sorted(starts, reverse=True)  # latest first
        mine = [t for t in _people(company).time_entries if t["project_id"] == project]
        assert p["loggedMinutes"] == sum(t["minutes"] for t in mine)


async def test_stock_levels_are_the_sum_of_the_moves_and_never_below_zero(
    api: Api, seeded: tuple[Tenant, CompanyRows]
) -> None:
    """As inventory would have written them: every level the sum of its moves (read
    back through the API), the issued invoices' sales out of the default warehouse."""
    tenant, company = seeded
    assert company.stock is not None
    stock = company.stock
    sums: Counter[tuple[str, str, str | None]] = Counter()
    for m in stock.moves:
        sums[m["warehouse_id"], m["item_id"], m["variant_id"]] += m["quantity"]
    assert {
        (lv["warehouse_id"], lv["item_id"], lv["variant_id"]): lv["quantity"] for lv in stock.levels
    } == dict(sums)
    assert all(q >= 0 for q in sums.values())
    issued_invoices = {
        d["id"] for d in company.documents if d["kind"] == "invoice" and d["status"] != "draft"
    }
    sales = {m["source_id"] for m in stock.moves if m["reason"] == "sale"}
    assert sales and sales <= issued_invoices
    default = next(w for w in stock.warehouses if w["is_default"])
    assert all(m["warehouse_id"] == default["id"] for m in stock.moves if m["reason"] == "sale")
    data = await api.data(
        """{ warehouses(first: 10) { nodes { name isDefault
             stock { quantity item { id } variant { id } } } } }""",
        tenant=tenant,
    )
    api_levels = {
        (w["name"], s["item"]["id"], (s["variant"] or {}).get("id")): Decimal(s["quantity"])
        for w in data["warehouses"]["nodes"]
        for s in w["stock"]
    }
    names = {w["id"]: w["name"] for w in stock.warehouses}
    assert api_levels == {
        (
            names[w],
            to_global_id("Item", i),
            None if v is None else to_global_id("ItemVariant", v),
        ): q
        for (w, i, v), q in sums.items()
    }


async def test_the_stock_row_is_compiled_and_agrees_with_the_resolvers(
    client: httpx.AsyncClient,
    resolver_client: httpx.AsyncClient,
    seeded: tuple[Tenant, CompanyRows],
) -> None:
    tenant, company = seeded
    busy, documents = company.busiest_contact()
    fixture = Fixture(tenant.company_id, tenant.email, tenant.password, busy, documents)
    rows = [t for t in TARGETS if t.query == STOCK_QUERY]
    assert [t.executor.name for t in rows] == ["compiled", "resolvers", "bare"]
    probe = rows[0].probe(fixture)
    assert probe.json is not None
    answers: list[Any] = []
    for http in (client, resolver_client):
        r = await http.post("/graphql", json=probe.json, headers=tenant.headers)
        assert probe.failure(r.status_code, r.content) is None, r.text
        answers.append((answered_by(r.content), r.json()["data"]))
    (compiled_by, compiled), (resolved_by, resolved) = answers
    assert (compiled_by, resolved_by) == ("compiled", "resolver")
    assert compiled == resolved
    items = compiled["items"]["nodes"]
    assert items and all(i["stock"] for i in items)  # every product was counted
    assert {s["warehouse"]["name"] for i in items for s in i["stock"]} >= {"Main warehouse"}
    for i in items:
        assert Decimal(i["stockOnHand"]) == sum(Decimal(s["quantity"]) for s in i["stock"])
        alert = i["minStockAlert"]
        assert i["lowStock"] == (alert is not None and Decimal(i["stockOnHand"]) < Decimal(alert))
    assert any(i["lowStock"] for i in items) or len(items) < 5
