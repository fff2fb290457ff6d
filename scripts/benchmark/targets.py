"""What the benchmark asks, and through which executor.

A `Target` is one row of the results table: a query (the question, e.g. "nested
documents") answered by an executor (the code path: "compiled" is the one-statement
SQL compiler of gql/compiler, "resolvers" strawberry over loaders and services,
"rest" the Numbors shim, "bare" a tiny Starlette app (bare_app.py) that replays the
compiled path's own SQL statement: the ceiling of this stack for those bytes). The
runner starts one server per distinct executor configuration.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlencode

import orjson

from gql.core.ids import to_global_id
from gql.settings import Settings


@dataclass(frozen=True)
class Fixture:
    """Facts about the seeded data that requests need."""

    company_id: str
    email: str
    password: str
    busy_contact_id: str
    busy_contact_documents: int
    writes_contact_id: str = ""  # a customer the write rows invoice (no read row asks for it)
    item_ids: tuple[str, ...] = ()  # the catalogue items their five lines sell
    # The busiest contact's CRM and helpdesk rows (the "contact with CRM" row asks).
    busy_contact_deals: int = 0
    busy_contact_activities: int = 0
    busy_contact_tickets: int = 0
    # The employee and the project the "employee with payslips" and "project with its
    # time" rows ask for (people.py), and their payslips and time entries.
    busy_employee_id: str = ""
    busy_employee_payslips: int = 0
    busy_project_id: str = ""
    busy_project_entries: int = 0


ID_PLACEHOLDER = "__BENCH_ID__"  # in a step's body: the id the step before it answered


@dataclass(frozen=True)
class Probe:
    """One HTTP request, and how to tell whether its answer is a success."""

    method: str
    path: str
    style: Literal["graphql", "rest"]
    json: dict[str, Any] | None = None
    params: dict[str, str] = field(default_factory=dict)
    captures_id: bool = False  # its answer's first "id" feeds the next step's ID_PLACEHOLDER

    def body_text(self) -> str:
        return "" if self.json is None else orjson.dumps(self.json).decode()

    def path_with_query(self) -> str:
        return self.path + (f"?{urlencode(self.params)}" if self.params else "")

    def with_id(self, id_: str) -> Probe:
        """This step with the id the step before it captured."""
        if self.json is None:
            return self
        return dataclasses.replace(
            self, json=orjson.loads(self.body_text().replace(ID_PLACEHOLDER, id_))
        )

    def failure(self, status: int, body: bytes) -> str | None:
        """None for a good answer, else a short description of what is wrong (wrk.lua
        checks the same on the body's text)."""
        if status != 200 and not (self.style == "rest" and 200 <= status < 300):
            return f"HTTP {status}: {body[:200]!r}"
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError:
            return f"not JSON: {body[:200]!r}"
        if self.style == "graphql":
            if not isinstance(data, dict) or data.get("errors"):
                return f"GraphQL errors: {str(data.get('errors'))[:300]}"
            if data.get("data") is None:
                return "GraphQL answer without data"
            for root in data["data"].values():
                if isinstance(root, dict) and root.get("userErrors"):
                    return f"userErrors: {str(root['userErrors'])[:300]}"
        elif not (isinstance(data, dict) and data.get("success") is True):
            return f"REST failure: {body[:200]!r}"
        return None


CAPTURED_ID = re.compile(rb'"id":"([^"]+)"')


def captured_id(body: bytes) -> str | None:
    """The first "id" of an answer (wrk.lua takes the same)."""
    found = CAPTURED_ID.search(body)
    return found.group(1).decode() if found else None


def graphql(
    query: str,
    variables: dict[str, Any] | None = None,
    path: str = "/graphql",
    captures_id: bool = False,
) -> Probe:
    body = {"query": query, "variables": variables or {}}
    return Probe("POST", path, "graphql", json=body, captures_id=captures_id)


def rest(path: str, **params: str) -> Probe:
    return Probe("GET", path, "rest", params=params)


@dataclass(frozen=True)
class Executor:
    """A code path that answers requests, and the Settings fields that select it:
    applied to the in-process app and, as LEDGERGRAPH_* variables, to uvicorn."""

    name: str
    settings: tuple[tuple[str, Any], ...] = ()
    # What the development-mode `extensions.executors` must say ("resolver" when absent).
    expect: str | None = None
    # Which server answers: the real app, or the bare app (whose statements are
    # recorded on the real app configured with `settings`).
    server: Literal["app", "bare"] = "app"

    @property
    def configuration(self) -> tuple[Any, ...]:
        """Targets with equal configurations share one server."""
        return (self.server, self.settings)

    def settings_dict(self) -> dict[str, Any]:
        unknown = [k for k, _ in self.settings if k not in Settings.model_fields]
        if unknown:
            raise SystemExit(f"executor {self.name}: Settings has no field {', '.join(unknown)}")
        return dict(self.settings)

    def env(self) -> dict[str, str]:
        def text(value: Any) -> str:
            return str(value).lower() if isinstance(value, bool) else str(value)

        return {f"LEDGERGRAPH_{k.upper()}": text(v) for k, v in self.settings_dict().items()}


COMPILED = Executor("compiled", (("compiled_reads", True),), expect="compiled")
RESOLVERS = Executor("resolvers", (("compiled_reads", False),), expect="resolver")
# REST ignores compiled_reads; sharing the compiled server's settings shares its server.
REST = Executor("rest", COMPILED.settings)
# Mutations: the default server (their payloads are resolved, whatever compiled_reads says).
GRAPHQL = Executor("graphql", COMPILED.settings)
# The compiled path's own statement, replayed by bare_app.py (settings: the app whose
# statements it records).
BARE = Executor("bare", COMPILED.settings, server="bare")


def answered_by(body: bytes) -> str | None:
    """Which GraphQL executor answered, from the development-mode extensions."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    executors = (data.get("extensions") or {}).get("executors") if isinstance(data, dict) else None
    return ",".join(sorted(set(executors.values()))) if executors else "resolver"


@dataclass(frozen=True)
class Target:
    query: str  # what is asked
    executor: Executor  # which code path answers it
    page_size: int  # the page size of the measured request
    build: Callable[[Fixture, int], Probe]  # (fixture, page size) -> request
    concurrency: int | None = None  # clients; None: the run's --concurrency
    # Rows loaded in the same sequence: each connection sends this request, then each
    # of these with the id the one before it answered (create, then issue it).
    then: tuple[Target, ...] = ()
    writes: bool = False  # changes the data: loaded after every read row

    @property
    def name(self) -> str:
        return f"{self.query} [{self.executor.name}]"

    @property
    def rows(self) -> tuple[Target, ...]:
        """The rows one load of this target measures: itself and its sequence."""
        return (self, *self.then)

    def probe(self, fixture: Fixture, page_size: int | None = None) -> Probe:
        return self.build(fixture, page_size or self.page_size)


def bare_path(query: str) -> str:
    return "/bare/" + "-".join(query.lower().split())


def bare_twin(target: Target) -> Target:
    """The bare row of a compiled GraphQL target: the same request (method, body,
    headers) sent to the bare endpoint that replays the compiled statement."""
    path = bare_path(target.query)

    def build(fixture: Fixture, page_size: int) -> Probe:
        return dataclasses.replace(target.build(fixture, page_size), path=path)

    return Target(target.query, BARE, target.page_size, build)


def graphql_probe(probe: Probe) -> Probe:
    """The GraphQL request a bare probe stands for (the same body to /graphql)."""
    return dataclasses.replace(probe, path="/graphql")


FLAT_LIST = "{ contacts(first: %d) { totalCount nodes { id name email type } } }"

NESTED_DOCUMENTS = """{ documents(first: %d, filter: {kind: INVOICE}) { nodes {
  number status total { amount currency } contact { name email }
  lines { name quantity unitPrice net item { name sku tax { rate } } } } } }"""

CONTACT_DOCUMENTS = """query($id: ID!) { contact(id: $id) { name
  documents(first: %d) { totalCount nodes { number total { amount } lines { name } } } } }"""

# Issue 10: from a contact, its deals, activities and tickets in one query.
CONTACT_CRM = """query($id: ID!) { contact(id: $id) { name
  deals(first: %(n)d) { totalCount nodes { name status value { amount currency }
    stage { name probability } pipeline { name } } }
  activities(first: %(n)d) { nodes { type subject scheduledAt overdue } }
  tickets(first: %(n)d) { totalCount nodes { number subject status priority breached
    sla { name } category { name } } } } }"""

# Issue 11: from an employee, their department, position, contact and payslips; from a
# project, its customer, figures, tasks and time.
EMPLOYEE_PAYSLIPS = """query($id: ID!) { employee(id: $id) { firstName lastName
  salary { amount currency } department { name } position { name } contact { name }
  payslips(first: %(n)d) { totalCount nodes { period daysPaid gross { amount currency }
    deductions { amount } net { amount } payRun { period status } } } } }"""

PROJECT_TIME = """query($id: ID!) { project(id: $id) { name status customer { name }
  budget { amount currency } hourlyRate loggedMinutes billableHours budgetUsed { amount }
  tasks(first: %(n)d) { totalCount nodes { name status } }
  timeEntries(first: %(n)d) { totalCount nodes { startTime minutes billable description
    task { name } } } } }"""

ITEMS_STOCK = """query { items(first: %(n)d, filter: {type: PRODUCT}) { totalCount nodes {
  name sku minStockAlert stockOnHand lowStock
  stock { quantity warehouse { name isDefault } variant { name } } } } }"""

TRIAL_BALANCE = """{ company { reports { trialBalance {
  rows { code name type debit { amount } credit { amount } balance { amount } }
  totalDebit { amount currency } totalCredit { amount currency } balanced } } } }"""

# No field at all: what every request costs before a resolver runs (auth, tenant).
BASELINE = graphql("{ __typename }")


def _flat_list(fixture: Fixture, page_size: int) -> Probe:
    return graphql(FLAT_LIST % page_size)


def _nested_documents(fixture: Fixture, page_size: int) -> Probe:
    return graphql(NESTED_DOCUMENTS % page_size)


def _contact_documents(fixture: Fixture, page_size: int) -> Probe:
    contact = to_global_id("Contact", fixture.busy_contact_id)
    return graphql(CONTACT_DOCUMENTS % page_size, {"id": contact})


def _contact_crm(fixture: Fixture, page_size: int) -> Probe:
    contact = to_global_id("Contact", fixture.busy_contact_id)
    return graphql(CONTACT_CRM % {"n": page_size}, {"id": contact})


def _employee_payslips(fixture: Fixture, page_size: int) -> Probe:
    employee = to_global_id("Employee", fixture.busy_employee_id)
    return graphql(EMPLOYEE_PAYSLIPS % {"n": page_size}, {"id": employee})


def _project_time(fixture: Fixture, page_size: int) -> Probe:
    project = to_global_id("Project", fixture.busy_project_id)
    return graphql(PROJECT_TIME % {"n": page_size}, {"id": project})


def _items_stock(fixture: Fixture, page_size: int) -> Probe:
    return graphql(ITEMS_STOCK % {"n": page_size})


def _trial_balance(fixture: Fixture, page_size: int) -> Probe:
    return graphql(TRIAL_BALANCE)


def _documents_rest(fixture: Fixture, page_size: int) -> Probe:
    return rest("/api/documents", limit=str(page_size))


DOCUMENT_CREATE = """mutation($input: DocumentCreateInput!) { documentCreate(input: $input) {
  document { id number total { amount currency } } userErrors { field message code } } }"""

DOCUMENT_ISSUE = """mutation($id: ID!) { documentIssue(input: {id: $id}) {
  document { id status voucher { number } } userErrors { field message code } } }"""

WRITE_LINES = 5
DUE_DATE = "2030-12-31"


def _quantity(i: int) -> str:
    return str(i % 3 + 1)


def _document_create(fixture: Fixture, page_size: int) -> Probe:
    lines = [
        {"itemId": to_global_id("Item", item), "quantity": _quantity(i)}
        for i, item in enumerate(fixture.item_ids[:WRITE_LINES])
    ]
    draft = {
        "kind": "INVOICE",
        "contactId": to_global_id("Contact", fixture.writes_contact_id),
        "dueDate": DUE_DATE,
        "lines": lines,
    }
    return graphql(DOCUMENT_CREATE, {"input": draft}, captures_id=True)


def _document_issue(fixture: Fixture, page_size: int) -> Probe:
    return graphql(DOCUMENT_ISSUE, {"id": ID_PLACEHOLDER})


def _document_create_rest(fixture: Fixture, page_size: int) -> Probe:
    items = [
        {"item": item, "quantity": int(_quantity(i))}
        for i, item in enumerate(fixture.item_ids[:WRITE_LINES])
    ]
    body = {
        "type": "invoice",
        "contact": fixture.writes_contact_id,
        "dueDate": DUE_DATE,
        "items": items,
    }
    return Probe("POST", "/api/documents", "rest", json=body)


def _side_by_side(
    query: str, page_size: int, build: Callable[[Fixture, int], Probe]
) -> list[Target]:
    """A GraphQL query on the compiled path, the resolver path and the bare ceiling."""
    compiled = Target(query, COMPILED, page_size, build)
    return [compiled, Target(query, RESOLVERS, page_size, build), bare_twin(compiled)]


# The queries whose compiled path is held to the bare ceiling (goals.py).
RATIO_QUERIES = ("flat list", "nested documents", "contact with documents")
CREATE_INVOICE = f"create an invoice ({WRITE_LINES} lines)"
# Side by side too, not held to the ceiling by goals.py (issue 9's targets name the three).
CONTACT_CRM_QUERY = "contact with CRM and tickets"
EMPLOYEE_QUERY = "employee with payslips"
PROJECT_QUERY = "project with its time"
STOCK_QUERY = "items with stock per warehouse"

TARGETS: list[Target] = [
    *_side_by_side(RATIO_QUERIES[0], 50, _flat_list),
    *_side_by_side(RATIO_QUERIES[1], 20, _nested_documents),
    *_side_by_side(RATIO_QUERIES[2], 20, _contact_documents),
    *_side_by_side(CONTACT_CRM_QUERY, 10, _contact_crm),
    *_side_by_side(EMPLOYEE_QUERY, 12, _employee_payslips),
    *_side_by_side(PROJECT_QUERY, 20, _project_time),
    *_side_by_side(STOCK_QUERY, 25, _items_stock),
    Target("documents list", REST, 25, _documents_rest),
    # The trial balance, on the default server, at concurrency 1 (the issue's target is
    # its latency alone); it is compiled (gql/compiler/reports.py: the company and its
    # reports in one statement).
    Target("trial balance", COMPILED, 0, _trial_balance, concurrency=1),
    # Writes, on a customer no read row asks for, after every read row.
    Target(
        CREATE_INVOICE,
        GRAPHQL,
        0,
        _document_create,
        then=(Target("issue it (posts its voucher)", GRAPHQL, 0, _document_issue, writes=True),),
        writes=True,
    ),
    Target(CREATE_INVOICE, REST, 0, _document_create_rest, writes=True),
]


def more_workers_targets(targets: list[Target]) -> list[Target]:
    """The rows the runs with more uvicorn workers repeat: the compiled path on the
    ratio queries (the bare ceiling too would cost the default run a minute)."""
    return [t for t in targets if t.query in RATIO_QUERIES and t.executor is COMPILED]


def select_targets(only: tuple[str, ...]) -> list[Target]:
    """Targets one of whose rows' names contains one of `only` (case-insensitive); all
    when empty."""
    if not only:
        return list(TARGETS)
    wanted = [w.lower() for w in only]
    chosen = [t for t in TARGETS if any(w in r.name.lower() for r in t.rows for w in wanted)]
    if not chosen:
        raise SystemExit(
            f"--only {','.join(only)} matches none of: {', '.join(t.name for t in TARGETS)}"
        )
    return chosen
