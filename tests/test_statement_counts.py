"""N+1 can never come back: list and nested queries issue a fixed number of SQL
statements, whatever the page size."""

from __future__ import annotations

import pytest

from tests.factories import (
    AUDIT_STATEMENTS,
    DIRECT_VIEWER_STATEMENTS,
    EVENTS_STATEMENTS,
    VIEWER_STATEMENTS,
)

NESTED_DOCUMENTS = """
query($first: Int!) {
  documents(first: $first) {
    totalCount
    nodes {
      number total { amount }
      contact { name }
      lines { name quantity item { name category { name } tax { rate } variants { name } } variant { name } tax { rate } }
    }
  }
}"""

CONTACTS_WITH_DOCUMENTS = """
query($first: Int!) {
  contacts(first: $first) {
    nodes { name documents(first: 3) { totalCount nodes { number lines { name } contact { name } } } }
  }
}"""

NODES = (
    "query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Document { number contact { name } } } }"
)


async def _seed(api, owner, contacts: int, documents_each: int) -> list[str]:
    tax = await api.tax(owner, rate="10")
    item = await api.item(owner, taxId=tax["id"], salePrice="5")
    ids = []
    for _ in range(contacts):
        contact = await api.contact(owner)
        for _ in range(documents_each):
            doc = await api.document(
                owner,
                contact["id"],
                lines=[
                    {"itemId": item["id"], "quantity": "2"},
                    {"name": "Labour", "unitPrice": "40", "taxId": tax["id"]},
                ],
            )
            ids.append(doc["id"])
    return ids


async def _count(api, sql_counter, tenant, query, variables):
    sql_counter.reset()
    body = await api.gql(query, variables, tenant)
    assert not body.get("errors"), body["errors"]
    return sql_counter.count, body["data"]


async def test_nested_documents_page_of_5_and_50_issue_the_same_statements(api, sql_counter):
    # given 50 invoices, each with a contact and two lines with items and taxes
    owner = await api.register()
    await _seed(api, owner, contacts=10, documents_each=5)
    # when pages of 5 and of 50 are asked for with every edge
    small, small_data = await _count(api, sql_counter, owner, NESTED_DOCUMENTS, {"first": 5})
    large, large_data = await _count(api, sql_counter, owner, NESTED_DOCUMENTS, {"first": 50})
    # then both issue the same statements: the viewer, one per level, nothing per row
    assert (
        len(small_data["documents"]["nodes"]) == 5 and len(large_data["documents"]["nodes"]) == 50
    )
    assert small == large
    # viewer (user with companies, licenses) + documents page + contacts + lines + items
    # + categories + item taxes + variants + line variants(none) + line taxes
    assert large <= 12, sql_counter.statements


async def test_contacts_with_their_documents_batch_per_level(api, sql_counter):
    owner = await api.register()
    await _seed(api, owner, contacts=8, documents_each=2)
    small, _ = await _count(api, sql_counter, owner, CONTACTS_WITH_DOCUMENTS, {"first": 2})
    large, data = await _count(api, sql_counter, owner, CONTACTS_WITH_DOCUMENTS, {"first": 8})
    assert all(c["documents"]["totalCount"] == 2 for c in data["contacts"]["nodes"])
    assert small == large
    assert large <= 8, sql_counter.statements


async def test_nodes_batch_by_type(api, sql_counter):
    owner = await api.register()
    ids = await _seed(api, owner, contacts=2, documents_each=5)
    small, _ = await _count(api, sql_counter, owner, NODES, {"ids": ids[:2]})
    large, data = await _count(api, sql_counter, owner, NODES, {"ids": ids})
    assert len(data["nodes"]) == 10 and all(n["number"] for n in data["nodes"])
    assert small == large


async def test_compiled_path_answers_each_root_field_with_one_statement(api, sql_counter):
    # given invoices with contacts, lines, items and taxes
    owner = await api.register()
    await _seed(api, owner, contacts=4, documents_each=3)
    query = NESTED_DOCUMENTS.replace(
        "query($first: Int!) {",
        "query($first: Int!) { contacts(first: $first) { totalCount nodes { name documents(first: 2) { nodes { number } } } }",
    )
    # when the nested query with two root fields runs on the compiled path
    body = await api.gql(query, {"first": 10}, owner)
    sql_counter.reset()
    body = await api.gql(query, {"first": 10}, owner)
    # then one statement answers each root field
    assert body["extensions"]["executors"] == {"contacts": "compiled", "documents": "compiled"}
    assert len(body["data"]["documents"]["nodes"]) == 10
    assert sql_counter.count == DIRECT_VIEWER_STATEMENTS + 2, sql_counter.statements


# A root fragment sends the query to the resolver path (gql/compiler/executor.py).
RESOLVER_DOCUMENTS = """
query($first: Int!) { ... on Query { documents(first: $first) { nodes { number FIELDS } } } }"""


async def test_computed_values_cost_one_batched_statement_on_the_resolver_path(api, sql_counter):
    # given 20 invoices
    owner = await api.register()
    await _seed(api, owner, contacts=4, documents_each=5)
    plain = RESOLVER_DOCUMENTS.replace("FIELDS", "")
    derived = RESOLVER_DOCUMENTS.replace("FIELDS", "overdue expired amountDue { amount }")
    # when pages of 2 and 20 ask for three computed values each, and for none
    body = await api.gql(derived, {"first": 2}, owner)
    assert "executors" not in body.get("extensions", {})  # nothing compiled
    without, _ = await _count(api, sql_counter, owner, plain, {"first": 20})
    small, _ = await _count(api, sql_counter, owner, derived, {"first": 2})
    large, data = await _count(api, sql_counter, owner, derived, {"first": 20})
    # then the three values of every row come from one more statement, whatever the page
    assert len(data["documents"]["nodes"]) == 20
    assert small == large == without + 1, sql_counter.statements


# The writes: a fixed number of statements whatever the number of lines, nothing read
# back that the write just wrote.
CREATE = """mutation($input: DocumentCreateInput!) { documentCreate(input: $input) {
  document { id number status total { amount } lines { name net taxAmount } } userErrors { message } } }"""
ISSUE = """mutation($input: DocumentIdInput!) { documentIssue(input: $input) {
  document { id status amountDue { amount } } userErrors { message } } }"""


async def _five_lines(api, owner):
    tax = await api.tax(owner, rate="20")
    item = await api.item(owner, salePrice="12.50", taxId=tax["id"])
    contact = await api.contact(owner)
    lines = [
        {"itemId": item["id"], "quantity": "2"},
        {"itemId": item["id"], "discountRate": "10"},
        {"name": "Labour", "quantity": "3", "unitPrice": "40", "taxId": tax["id"]},
        {"name": "Travel", "unitPrice": "15.75"},
        {"name": "Materials", "quantity": "4", "unitPrice": "7.20", "taxId": tax["id"]},
    ]
    return contact["id"], lines


async def test_creating_and_issuing_a_document_costs_a_fixed_few_statements(api, sql_counter):
    # given a customer, an item with a tax, and five lines naming them
    from tests.inventory import allow_negative_stock

    owner = await api.register()
    await allow_negative_stock(api, owner)
    contact_id, lines = await _five_lines(api, owner)
    create = {"kind": "INVOICE", "contactId": contact_id, "lines": lines}
    # when a document is created with five lines, then with one, and issued
    counts = {}
    for name, input in (("five", create), ("one", {**create, "lines": lines[:1]})):
        sql_counter.reset()
        payload = (await api.data(CREATE, {"input": input}, owner))["documentCreate"]
        assert payload["userErrors"] == [] and len(payload["document"]["lines"]) == len(
            input["lines"]
        )
        counts[name] = sql_counter.count
    sql_counter.reset()
    issued = (await api.data(ISSUE, {"input": {"id": payload["document"]["id"]}}, owner))[
        "documentIssue"
    ]
    assert issued["document"]["status"] == "SENT"
    # then creating is: the contact (with the base currency), the items (with their
    # taxes), the number, the document and ONE insert of all its lines; the payload's
    # lines are the rows written, not read back
    assert counts["five"] == counts["one"]
    # (and its audit rows, and its one event: document.created)
    events = EVENTS_STATEMENTS
    assert counts["five"] <= VIEWER_STATEMENTS + 5 + AUDIT_STATEMENTS + events, (
        sql_counter.statements
    )
    # and issuing is: the draft (with whether it has lines), its claim, the posting's
    # accounts, the voucher number (with the year and base currency), the voucher, its
    # lines, the accounts' daily balances (gql/domains/ledger/balances.py); and the
    # stock of its item lines (gql/domains/inventory/documents.py; the inventory license
    # is the one the viewer read): the item lines with their items, the default
    # warehouse and the negative-stock setting (the warehouse made here, on the first
    # move: inserted, and read), the one level, the moves
    stock = 5
    # and the audit trail's: the claimed draft as it was (the claim's new version follows
    # from it), and the one insert of events
    audit = 1 + AUDIT_STATEMENTS
    # and its three events (voucher.posted, item.stock_changed, document.issued); the
    # payload's amount due is the claimed row's, not read again
    assert issued["document"]["amountDue"]["amount"] == payload["document"]["total"]["amount"]
    assert sql_counter.count <= (VIEWER_STATEMENTS + 7 + stock + audit + EVENTS_STATEMENTS), (
        sql_counter.statements
    )


async def test_rest_create_answers_from_what_it_wrote(api, sql_counter):
    # given a customer, an item with a tax, and five lines naming them
    owner = await api.register()
    contact_id, lines = await _five_lines(api, owner)
    names = {"itemId": "item", "taxId": "tax", "unitPrice": "price"}
    items = [{names.get(k, k): v for k, v in line.items()} for line in lines]
    # when the document is POSTed
    sql_counter.reset()
    r = await api.rest(
        "POST",
        "/api/documents",
        owner,
        json={"type": "invoice", "contact": contact_id, "items": items},
    )
    # then it costs the writes' statements only: the answer's lines, items and contact
    # are what the write had in hand, its derived values evaluated over the row written
    # (gql/core/held_values.py)
    assert r.status_code == 201, r.text
    assert len(r.json()["data"]["items"]) == 5
    events = EVENTS_STATEMENTS  # document.created
    assert sql_counter.count <= VIEWER_STATEMENTS + 5 + AUDIT_STATEMENTS + events, (
        sql_counter.statements
    )


# --- CRM: every root list and nested edge, on both read paths -----------------------------

CRM_QUERIES = {
    "pipelines": """query($first: Int!) { ROOT pipelines(first: $first) { totalCount nodes {
        name stages { name pipeline { name } deals(first: 2) { totalCount nodes { name } } }
        deals(first: 3) { totalCount nodes { name value { amount } } }
        report { dealCount totalValue stage { name } } } } END }""",
    "deals": """query($first: Int!) { ROOT deals(first: $first) { totalCount nodes {
        name value { amount currency } pipeline { name } stage { name probability }
        contact { name } owner { email }
        activities(first: 2) { totalCount nodes { subject overdue owner { email } } } } } END }""",
    "leads": """query($first: Int!) { ROOT leads(first: $first) { totalCount nodes {
        name status contact { name deals(first: 2) { nodes { name } } } deal { name stage { name } } } } END }""",
    "activities": """query($first: Int!) { ROOT activities(first: $first) { totalCount nodes {
        subject overdue deal { name } contact { name } } } END }""",
    "campaigns": """query($first: Int!) { ROOT campaigns(first: $first) { totalCount nodes {
        name budget { amount } } } END }""",
    "contacts": """query($first: Int!) { ROOT contacts(first: $first, filter: {search: "CRM"}) {
        nodes { name deals(first: 2) { totalCount nodes { name stage { name } } }
        activities(first: 2) { totalCount nodes { subject overdue } } } } END }""",
}
CRM_PATHS = {"compiled": ("", ""), "resolver": ("... on Query {", "}")}


async def _crm_seed(api, owner, size: int) -> None:
    """`size` of each: deals (each with a contact, two activities and a converted lead's
    links) across two pipelines, and campaigns."""
    pipelines = []
    for n in range(2):
        body = {"name": f"P{n}", "stages": [{"name": "A", "probability": 20}, {"name": "B"}]}
        pipelines.append(
            (
                await api.data(
                    "mutation($i: PipelineCreateInput!) { pipelineCreate(input: $i) { pipeline { id stages { id } } } }",
                    {"i": body},
                    owner,
                )
            )["pipelineCreate"]["pipeline"]
        )
    for n in range(size):
        p = pipelines[n % 2]
        lead = (
            await api.data(
                "mutation($n: String!) { leadCreate(input: {name: $n}) { lead { id } } }",
                {"n": f"CRM lead {n}"},
                owner,
            )
        )["leadCreate"]["lead"]
        converted = await api.data(
            """mutation($i: LeadConvertInput!) { leadConvert(input: $i) {
                deal { id } userErrors { message } } }""",
            {
                "i": {
                    "id": lead["id"],
                    "deal": {
                        "pipelineId": p["id"],
                        "stageId": p["stages"][n % 2]["id"],
                        "value": f"{n}1.50",
                    },
                }
            },
            owner,
        )
        deal_id = converted["leadConvert"]["deal"]["id"]
        for when in ("2020-01-01T00:00:00Z", "2199-01-01T00:00:00Z"):
            await api.data(
                "mutation($i: ActivityCreateInput!) { activityCreate(input: $i) { userErrors { message } } }",
                {"i": {"type": "CALL", "subject": "Call", "scheduledAt": when, "dealId": deal_id}},
                owner,
            )
        await api.data(
            "mutation($n: String!) { campaignCreate(input: {name: $n, type: EMAIL}) { userErrors { message } } }",
            {"n": f"C{n}"},
            owner,
        )


@pytest.fixture(scope="module")
async def crm_owner(api):
    owner = await api.register()
    await _crm_seed(api, owner, 8)
    return owner


@pytest.mark.parametrize("path", sorted(CRM_PATHS))
@pytest.mark.parametrize("root", sorted(CRM_QUERIES))
async def test_crm_lists_and_edges_cost_the_same_statements_for_2_and_8_rows(
    api, sql_counter, crm_owner, root, path
):
    opening, closing = CRM_PATHS[path]
    query = CRM_QUERIES[root].replace("ROOT", opening).replace("END", closing)
    for first in (2, 8):  # plans made and caches warm for both
        await _count(api, sql_counter, crm_owner, query, {"first": first})
    small, small_data = await _count(api, sql_counter, crm_owner, query, {"first": 2})
    large, large_data = await _count(api, sql_counter, crm_owner, query, {"first": 8})
    key = "pipelines" if root == "pipelines" else root
    assert len(large_data[key]["nodes"]) > len(small_data[key]["nodes"]) or root == "pipelines"
    assert small == large, sql_counter.statements


async def test_compiled_path_answers_each_crm_root_field_with_one_statement(
    api, sql_counter, crm_owner
):
    # given every CRM root list with its compiled edges (owner and report are the
    # resolver path's: they are left out here)
    query = """query($first: Int!) {
      pipelines(first: $first) { nodes { name stages { name } deals(first: 2) { nodes { name } } } }
      deals(first: $first) { nodes { name pipeline { name } stage { name } contact { name }
        activities(first: 2) { nodes { subject overdue } } } }
      leads(first: $first) { nodes { name contact { name } deal { name } } }
      activities(first: $first) { nodes { subject overdue deal { name } contact { name } } }
      campaigns(first: $first) { nodes { name budget { amount } } } }"""
    await api.gql(query, {"first": 8}, crm_owner)
    sql_counter.reset()
    body = await api.gql(query, {"first": 8}, crm_owner)
    # then one statement answers each root field
    assert set(body["extensions"]["executors"].values()) == {"compiled"}, body["extensions"]
    assert len(body["data"]["deals"]["nodes"]) == 8
    assert sql_counter.count == DIRECT_VIEWER_STATEMENTS + 5, sql_counter.statements


# --- contracts and proposals ----------------------------------------------------------------

CONTACTS_WITH_CONTRACTS_AND_PROPOSALS = """
query($first: Int!) {
  contacts(first: $first) {
    nodes { name
      contracts(first: 3) { totalCount nodes { title status contact { name } proposal { title } } }
      proposals(first: 3) { totalCount nodes { title sections { title } contract { status } } } }
  }
}"""
ACCEPT = """mutation($input: ProposalAcceptInput!) { proposalAccept(input: $input) {
  proposal { contract { id } } userErrors { message } } }"""


async def test_contacts_with_contracts_and_proposals_batch_per_level(api, sql_counter):
    # given contacts, each with a proposal accepted into its contract and a draft contract
    owner = await api.register()
    for n in range(6):
        contact = await api.contact(owner)
        offer = await api.mutate(
            "proposalCreate",
            """mutation($input: ProposalCreateInput!) { proposalCreate(input: $input) {
              proposal { id } userErrors { message } } }""",
            {"title": f"Offer {n}", "contactId": contact["id"], "sections": [{"title": "S"}]},
            owner,
        )
        proposal_id = offer["proposal"]["id"]
        await api.mutate(
            "proposalSend",
            """mutation($input: ProposalIdInput!) { proposalSend(input: $input) {
              userErrors { message } } }""",
            {"id": proposal_id},
            owner,
        )
        await api.mutate("proposalAccept", ACCEPT, {"id": proposal_id, "contract": {}}, owner)
    # when pages of 2 and 6 contacts ask for both edges and their nested edges (each after
    # a first request that made its plan)
    counts = []
    for first in (2, 6):
        await api.gql(CONTACTS_WITH_CONTRACTS_AND_PROPOSALS, {"first": first}, owner)
        count, data = await _count(
            api, sql_counter, owner, CONTACTS_WITH_CONTRACTS_AND_PROPOSALS, {"first": first}
        )
        counts.append(count)
    # then one statement answers the root field, whatever the page
    assert all(c["contracts"]["totalCount"] == 1 for c in data["contacts"]["nodes"])
    assert all(c["proposals"]["nodes"][0]["contract"] for c in data["contacts"]["nodes"])
    assert counts == [DIRECT_VIEWER_STATEMENTS + 1] * 2, sql_counter.statements


# --- helpdesk ---------------------------------------------------------------------------------

HELPDESK_TICKETS = """
query($first: Int!) { ... on Query { tickets(first: $first) { totalCount nodes {
  number breached responseBreached contact { name } category { name }
  sla { name targets { priority } } assignee { name } replies { body author { name } } } } } }"""
CONTACTS_WITH_TICKETS = """
query($first: Int!) { contacts(first: $first) { nodes { name
  tickets(first: 3) { totalCount nodes { number category { name } } } } } }"""
HELPDESK_COMPILED = """
query($first: Int!) {
  tickets(first: $first, filter: {breached: false}) { totalCount nodes { number breached
    contact { name } category { name } sla { targets { priority } } replies { body } } }
  slas(first: $first) { nodes { name targets { priority } } }
  ticketCategories(first: $first) { nodes { name } }
  articles(first: $first, filter: {includeUnpublished: true}) { nodes { slug category { name } } }
}"""


async def _seed_helpdesk(api, owner, tickets: int) -> None:
    from tests.helpdesk import category, reply, sla, ticket

    billing = await category(api, owner, "Billing")
    standard = await sla(api, owner, targets=[{"priority": "HIGH", "responseTime": 1}])
    for i in range(tickets):
        contact = await api.contact(owner)
        t = await ticket(
            api,
            owner,
            contactId=contact["id"],
            categoryId=billing["id"],
            slaId=standard["id"],
            assigneeId=owner.user_id,
        )
        await reply(api, owner, t["id"], public=bool(i % 2))


async def test_helpdesk_tickets_and_their_edges_batch_per_level(api, sql_counter):
    # given 8 tickets, each with a contact, category, SLA, assignee and a reply
    owner = await api.register()
    await _seed_helpdesk(api, owner, tickets=8)
    # when pages of 2 and of 8 ask for every edge on the resolver path
    small, _ = await _count(api, sql_counter, owner, HELPDESK_TICKETS, {"first": 2})
    large, data = await _count(api, sql_counter, owner, HELPDESK_TICKETS, {"first": 8})
    # then both cost the same: the viewer, the page, one per edge and one for the flags
    assert len(data["tickets"]["nodes"]) == 8
    assert all(n["replies"][0]["author"]["name"] == "Owner" for n in data["tickets"]["nodes"])
    assert small == large
    # viewer + page + contacts + categories + slas + targets + members + replies
    # + reply authors (members again, a new batch level) + computed flags
    assert large <= VIEWER_STATEMENTS + 9, sql_counter.statements


async def test_contacts_with_their_tickets_batch_per_level(api, sql_counter):
    owner = await api.register()
    await _seed_helpdesk(api, owner, tickets=6)
    small, _ = await _count(api, sql_counter, owner, CONTACTS_WITH_TICKETS, {"first": 2})
    large, data = await _count(api, sql_counter, owner, CONTACTS_WITH_TICKETS, {"first": 6})
    assert all(c["tickets"]["totalCount"] == 1 for c in data["contacts"]["nodes"])
    assert small == large


async def test_helpdesk_root_fields_compile_to_one_statement_each(api, sql_counter):
    owner = await api.register()
    await _seed_helpdesk(api, owner, tickets=4)
    body = await api.gql(HELPDESK_COMPILED, {"first": 10}, owner)
    sql_counter.reset()
    body = await api.gql(HELPDESK_COMPILED, {"first": 10}, owner)
    assert set(body["extensions"]["executors"].values()) == {"compiled"}, body["extensions"]
    assert body["data"]["tickets"]["totalCount"] == 4
    assert sql_counter.count == DIRECT_VIEWER_STATEMENTS + 4, sql_counter.statements


# --- projects -------------------------------------------------------------------------------

PROJECTS_WITH_EVERYTHING = """
query($first: Int!) {
  projects(first: $first) { totalCount nodes { name loggedMinutes unbilledHours
    budgetUsed { amount } customer { name }
    tasks(first: 3) { totalCount nodes { name assignee { name }
      timeEntries(first: 2) { nodes { minutes } } } }
    timeEntries(first: 3) { totalCount nodes { minutes member { name } task { name }
      invoice { number } invoiceLine { name } project { name } } } } }
}"""
PROJECTS_COMPILED = """
query($first: Int!) {
  projects(first: $first) { totalCount nodes { name loggedMinutes budgetUsed { amount }
    customer { name } tasks(first: 3) { nodes { name } } } }
  tasks(first: $first) { nodes { name project { name } timeEntries(first: 2) { totalCount } } }
  timeEntries(first: $first) { nodes { minutes billable project { billableHours } task { name }
    invoice { number } } }
}"""
CONTACTS_WITH_PROJECTS = """
query($first: Int!) {
  contacts(first: $first) { nodes { name
    projects(first: 3) { totalCount nodes { name unbilledMinutes tasks { totalCount } } } } }
}"""


async def _seed_projects(api, owner, projects: int) -> None:
    from tests.projects import INVOICE_TIME, billable_project, task, time

    for i in range(projects):
        made = await billable_project(api, owner, name=f"Project {i}")
        design = await task(api, owner, made["id"], assigneeId=owner.user_id)
        await time(
            api,
            owner,
            made["id"],
            "2026-01-05T09:00:00Z",
            "2026-01-05T10:00:00Z",
            taskId=design["id"],
        )
        await time(api, owner, made["id"], "2026-01-06T09:00:00Z", "2026-01-06T09:30:00Z")
        if i % 2:
            await api.mutate("projectInvoiceTime", INVOICE_TIME, {"id": made["id"]}, owner)


async def test_projects_and_their_edges_batch_per_level(api, sql_counter):
    # given 8 projects, each with a customer, an assigned task and time, half invoiced
    owner = await api.register()
    await _seed_projects(api, owner, projects=8)
    # when pages of 2 and of 8 ask for every edge (members: the resolver path)
    small, _ = await _count(api, sql_counter, owner, PROJECTS_WITH_EVERYTHING, {"first": 2})
    large, data = await _count(api, sql_counter, owner, PROJECTS_WITH_EVERYTHING, {"first": 8})
    # then both cost the same: nothing per row
    assert len(data["projects"]["nodes"]) == 8
    assert all(p["loggedMinutes"] == 90 for p in data["projects"]["nodes"])
    assert small == large
    # viewer + page + computed + customers + tasks + assignees + task time + time
    # + members + entry tasks + invoices + lines + entry projects
    assert large <= VIEWER_STATEMENTS + 13, sql_counter.statements


async def test_contacts_with_their_projects_batch_per_level(api, sql_counter):
    owner = await api.register()
    await _seed_projects(api, owner, projects=6)
    small, _ = await _count(api, sql_counter, owner, CONTACTS_WITH_PROJECTS, {"first": 2})
    large, data = await _count(api, sql_counter, owner, CONTACTS_WITH_PROJECTS, {"first": 6})
    assert all(c["projects"]["totalCount"] == 1 for c in data["contacts"]["nodes"])
    assert small == large


async def test_projects_root_fields_compile_to_one_statement_each(api, sql_counter):
    owner = await api.register()
    await _seed_projects(api, owner, projects=4)
    for first in (2, 10):  # each page size's plan warmed first
        await api.gql(PROJECTS_COMPILED, {"first": first}, owner)
    sql_counter.reset()
    body = await api.gql(PROJECTS_COMPILED, {"first": 10}, owner)
    assert set(body["extensions"]["executors"].values()) == {"compiled"}, body["extensions"]
    assert body["data"]["projects"]["totalCount"] == 4
    assert sql_counter.count == DIRECT_VIEWER_STATEMENTS + 3, sql_counter.statements


# --- payroll ----------------------------------------------------------------------------------

PAYROLL_EMPLOYEES = """
query($first: Int!) { ... on Query { employees(first: $first) { totalCount nodes {
  firstName salary { amount } department { name } position { name } contact { name isEmployee }
  payslips(first: 3) { totalCount nodes { net { amount } payRun { period } voucher { number } } }
} } } }"""
PAYROLL_PAY_RUNS = """
query($first: Int!) { ... on Query { payRuns(first: $first) { totalCount nodes {
  period status voucher { number } payslips(first: 10) { totalCount nodes {
    gross { amount } employee { firstName department { name } } } } } } } }"""
PAYROLL_DEPARTMENTS = """
query($first: Int!) { ... on Query { departments(first: $first) { totalCount nodes {
  name employees(first: 5) { totalCount nodes { lastName } } positions { totalCount } } } } }"""
CONTACTS_AS_EMPLOYEES = """
query($first: Int!) { ... on Query { contacts(first: $first) { nodes {
  name isEmployee employee { firstName department { name } } } } } }"""
PAYROLL_COMPILED = """
query($first: Int!) {
  employees(first: $first) { totalCount nodes { firstName department { name } position { name }
    contact { isEmployee } payslips { nodes { net { amount } voucher { number } } } } }
  departments(first: $first) { nodes { name employees { totalCount } } }
  positions(first: $first) { nodes { name department { name } } }
  payRuns(first: $first) { nodes { period payslips { nodes { employee { lastName } } } } }
  payslips(first: $first) { nodes { gross { amount } payRun { status } } }
}"""


async def _seed_payroll(api, owner, employees: int) -> None:
    """`employees` employees, each in a department with a position and a contact, on two
    pay runs (one approved)."""
    from tests.test_payroll_graphql import PAY_RUN_APPROVE, POSITION_CREATE, department, employee
    from tests.test_payroll_graphql import pay_run as create_pay_run

    for i in range(employees):
        team = await department(api, owner, f"Team {i}")
        role = await api.mutate(
            "positionCreate", POSITION_CREATE, {"name": "Role", "departmentId": team["id"]}, owner
        )
        contact = await api.contact(owner)
        await employee(
            api,
            owner,
            lastName=f"Person {i}",
            departmentId=team["id"],
            positionId=role["position"]["id"],
            contactId=contact["id"],
            startDate="2025-01-01",
        )
    january = await create_pay_run(api, owner)
    await api.mutate("payRunApprove", PAY_RUN_APPROVE, {"id": january["id"]}, owner)
    await create_pay_run(api, owner, period="2026-02", payDate="2026-02-27")


@pytest.mark.parametrize(
    "query", [PAYROLL_EMPLOYEES, PAYROLL_PAY_RUNS, PAYROLL_DEPARTMENTS, CONTACTS_AS_EMPLOYEES]
)
async def test_payroll_lists_and_edges_batch_per_level(api, sql_counter, query):
    # given 6 employees with every edge, on two pay runs
    owner = await api.register()
    await _seed_payroll(api, owner, employees=6)
    # when pages of 2 and of 6 ask for every edge on the resolver path
    small, _ = await _count(api, sql_counter, owner, query, {"first": 2})
    large, data = await _count(api, sql_counter, owner, query, {"first": 6})
    # then both cost the same: one statement per level, nothing per row
    (listed,) = data.values()
    assert len(listed["nodes"]) in (2, 6)
    assert small == large, sql_counter.statements


async def test_payroll_root_fields_compile_to_one_statement_each(api, sql_counter):
    owner = await api.register()
    await _seed_payroll(api, owner, employees=3)
    body = await api.gql(PAYROLL_COMPILED, {"first": 10}, owner)
    sql_counter.reset()
    body = await api.gql(PAYROLL_COMPILED, {"first": 10}, owner)
    assert set(body["extensions"]["executors"].values()) == {"compiled"}, body["extensions"]
    assert body["data"]["employees"]["totalCount"] == 3
    assert sql_counter.count == DIRECT_VIEWER_STATEMENTS + 5, sql_counter.statements


# --- inventory ------------------------------------------------------------------------------

INVENTORY_WITH_EVERYTHING = """
query($first: Int!) {
  warehouses(first: $first) { totalCount nodes { name
    stock { quantity item { name } variant { name } warehouse { name } }
    moves(first: 3) { totalCount nodes { quantity item { name } } } } }
  stockMoves(first: $first) { nodes { quantity reason item { name lowStock stockOnHand }
    variant { name } warehouse { name } createdBy { name } } }
  stockTransfers(first: $first) { nodes { fromWarehouse { name } toWarehouse { name }
    moves { nodes { quantity } } } }
  stockAdjustments(first: $first) { nodes { warehouse { name } moves { totalCount } } }
  items(first: $first) { nodes { name lowStock stock { quantity warehouse { name } } } }
}"""
INVENTORY_COMPILED = """
query($first: Int!) {
  warehouses(first: $first) { totalCount nodes { name stock { quantity item { name } }
    moves(first: 3) { nodes { quantity } } } }
  stockMoves(first: $first) { nodes { quantity reason sourceType item { lowStock } } }
  stockTransfers(first: $first) { nodes { fromWarehouse { name } moves { totalCount } } }
  stockAdjustments(first: $first) { nodes { warehouse { name } } }
  items(first: $first) { nodes { stockOnHand stock { quantity warehouse { name } } } }
}"""


async def _seed_inventory(api, owner, warehouses: int) -> None:
    from tests.inventory import adjust, transfer, warehouse

    made = [await warehouse(api, owner, f"Warehouse {i}") for i in range(warehouses)]
    for i, place in enumerate(made):
        item = await api.item(owner, name=f"Item {i}", minStockAlert="3")
        await adjust(api, owner, place["id"], item["id"], "5")
        await transfer(api, owner, place["id"], made[(i + 1) % len(made)]["id"], item["id"], "1")


async def test_inventory_lists_and_edges_batch_per_level(api, sql_counter):
    owner = await api.register()
    await _seed_inventory(api, owner, warehouses=6)
    small, _ = await _count(api, sql_counter, owner, INVENTORY_WITH_EVERYTHING, {"first": 2})
    large, data = await _count(api, sql_counter, owner, INVENTORY_WITH_EVERYTHING, {"first": 6})
    assert len(data["warehouses"]["nodes"]) == 6
    assert all(len(w["stock"]) == 2 for w in data["warehouses"]["nodes"])
    assert small == large, sql_counter.statements


async def test_inventory_root_fields_compile_to_one_statement_each(api, sql_counter):
    owner = await api.register()
    await _seed_inventory(api, owner, warehouses=3)
    for first in (2, 10):  # each page size's plan warmed first
        await api.gql(INVENTORY_COMPILED, {"first": first}, owner)
    sql_counter.reset()
    body = await api.gql(INVENTORY_COMPILED, {"first": 10}, owner)
    assert set(body["extensions"]["executors"].values()) == {"compiled"}, body["extensions"]
    assert body["data"]["warehouses"]["totalCount"] == 3
    assert sql_counter.count == DIRECT_VIEWER_STATEMENTS + 5, sql_counter.statements


# --- bank feeds -------------------------------------------------------------------------------

BANKFEED_LINES = """
query($first: Int!) { ... on Query { bankFeedTransactions(first: $first) { totalCount nodes {
  amount { amount } status rule { pattern } category { name } contact { name } account { name }
  connection { provider account { reconciliation { statementBalance { amount }
    reconciledBalance { amount } unreconciledCount difference { amount } } } }
  matchedTransactions { amount { amount } category { name } voucher { number } } } } } }"""
BANKFEED_CONNECTIONS = """
query($first: Int!) { ... on Query { bankConnections(first: $first) { totalCount nodes {
  provider account { name } feedTransactions(first: 3) { totalCount nodes { description
    matchedTransactions { amount { amount } } } } } } } }"""
BANKFEED_RULES = """
query($first: Int!) { ... on Query { bankRules(first: $first) { totalCount nodes {
  pattern category { name } contact { name } account { name } } } } }"""
ACCOUNTS_RECONCILED = """
query($first: Int!) { ... on Query { accounts(first: $first) { nodes { name
  reconciliation { statementBalance { amount } unreconciledAmount { amount } unmatchedLines }
  feedTransactions(first: 2) { totalCount nodes { description } } } } } }"""
BANKFEED_COMPILED = """
query($first: Int!) {
  bankFeedTransactions(first: $first) { totalCount nodes { amount { amount } status
    rule { pattern } category { name } connection { provider }
    matchedTransactions { amount { amount } } } }
  bankConnections(first: $first) { nodes { provider account { reconciliation {
    statementBalance { amount } reconciledBalance { amount } difference { amount } } }
    feedTransactions(first: 2) { totalCount } } }
  bankRules(first: $first) { nodes { pattern category { name } contact { name } } }
}"""


async def _seed_bankfeeds(api, owner, connections: int) -> None:
    """`connections` accounts, each with a connection, a rule and an imported two-line
    statement whose rule-categorised line is split into a transaction."""
    from tests.bankfeeds import SPLIT, category, connection, imported, rule

    supplier = await api.contact(owner, type="supplier")
    for i in range(connections):
        made = await connection(api, owner)
        spent = await category(api, owner, f"Spend {i}", "EXPENSE")
        await rule(api, owner, f"shop {i}", spent["id"], contactId=supplier["id"])
        content = (
            f"Date,Description,Amount,Ref\n2026-01-05,Shop {i},-4.50,\n2026-01-06,Other,9.00,\n"
        )
        lines = (await imported(api, owner, made["id"], content=content))["feedTransactions"]
        shop = next(x for x in lines if x["description"].startswith("Shop"))
        await api.mutate("bankFeedSplit", SPLIT, {"id": shop["id"]}, owner)


@pytest.mark.parametrize(
    "query", [BANKFEED_LINES, BANKFEED_CONNECTIONS, BANKFEED_RULES, ACCOUNTS_RECONCILED]
)
async def test_bankfeed_lists_and_edges_batch_per_level(api, sql_counter, query):
    # given 6 connections with their lines, rules and split transactions
    owner = await api.register()
    await _seed_bankfeeds(api, owner, connections=6)
    # when pages of 2 and of 6 ask for every edge on the resolver path
    small, _ = await _count(api, sql_counter, owner, query, {"first": 2})
    large, data = await _count(api, sql_counter, owner, query, {"first": 6})
    # then both cost the same: one statement per level, nothing per row
    (listed,) = data.values()
    assert len(listed["nodes"]) == 6
    assert small == large, sql_counter.statements


async def test_bankfeed_root_fields_compile_to_one_statement_each(api, sql_counter):
    owner = await api.register()
    await _seed_bankfeeds(api, owner, connections=3)
    body = await api.gql(BANKFEED_COMPILED, {"first": 10}, owner)
    sql_counter.reset()
    body = await api.gql(BANKFEED_COMPILED, {"first": 10}, owner)
    assert set(body["extensions"]["executors"].values()) == {"compiled"}, body["extensions"]
    assert body["data"]["bankFeedTransactions"]["totalCount"] == 6
    assert sql_counter.count == DIRECT_VIEWER_STATEMENTS + 3, sql_counter.statements


# --- point of sale ----------------------------------------------------------------------------

POS_TERMINALS = """
query($first: Int!) { ... on Query { posTerminals(first: $first) { totalCount nodes {
  name cashAccount { name balance { amount } } cardAccount { name }
  sessions(first: 3) { totalCount nodes { status expectedCash { amount } openedBy { name }
    orders(first: 5) { totalCount nodes { number total { amount } } } } } } } } }"""
POS_ORDERS = """
query($first: Int!) { ... on Query { posOrders(first: $first) { totalCount nodes {
  number total { amount } session { status terminal { name } } terminal { name }
  contact { name loyaltyPoints } transaction { amount { amount } account { name } }
  loyaltyProgram { name }
  lines { name net item { name tax { rate } } variant { name } tax { rate } } } } } }"""
POS_SESSIONS = """
query($first: Int!) { ... on Query { posSessions(first: $first) { totalCount nodes {
  status openedBy { name } closedBy { name } terminal { name }
  orders { totalCount nodes { lines { name } } } } } } }"""
POS_PROGRAMS = """
query($first: Int!) { ... on Query { loyaltyPrograms(first: 1) { nodes { name
  members(first: $first) { totalCount nodes { points contact { name loyaltyPoints }
    program { name } } } } } } }"""
POS_COMPILED = """
query($first: Int!) {
  posTerminals(first: $first) { totalCount nodes { name cashAccount { name }
    sessions { nodes { expectedCash { amount } orderCount } } } }
  posOrders(first: $first) { nodes { total { amount } contact { loyaltyPoints }
    lines { net item { name } } transaction { amount { amount } } } }
  posSessions(first: $first) { nodes { status terminal { name } orders { totalCount } } }
  loyaltyPrograms(first: $first) { nodes { name members { nodes { points contact { name } } } } }
}"""


async def _seed_pos(api, app, owner, terminals: int) -> None:
    """`terminals` terminals, each with a session and two orders (one by a contact who
    earns points, a line with a tax), every other session closed."""
    from tests.pos import program, sell, stocked_item, till

    await program(api, owner, pointsPerUnit="2")
    tax = await api.tax(owner, rate="10")
    item = await stocked_item(api, app, owner, "1000", salePrice="3", taxId=tax["id"])
    for i in range(terminals):
        made = await till(api, owner)
        sid = made["session"]["id"]
        buyer = await api.contact(owner)
        await sell(api, owner, sid, [{"itemId": item["id"]}], contactId=buyer["id"])
        await sell(api, owner, sid, [{"itemId": item["id"], "quantity": "2"}], paymentMethod="CARD")
        if i % 2:
            from tests.pos import SESSION_CLOSE

            await api.mutate(
                "posSessionClose", SESSION_CLOSE, {"id": sid, "countedCash": "1"}, owner
            )


@pytest.mark.parametrize("query", [POS_TERMINALS, POS_ORDERS, POS_SESSIONS, POS_PROGRAMS])
async def test_pos_lists_and_edges_batch_per_level(api, app, sql_counter, query):
    # given 6 terminals with a session and two orders each (6 loyalty members)
    owner = await api.register()
    await _seed_pos(api, app, owner, terminals=6)
    # when pages of 2 and of 6 ask for every edge on the resolver path
    small, _ = await _count(api, sql_counter, owner, query, {"first": 2})
    large, data = await _count(api, sql_counter, owner, query, {"first": 6})
    # then both cost the same: one statement per level, nothing per row
    (listed,) = data.values()
    nodes = listed["nodes"] if "nodes" in listed else listed[0]["members"]["nodes"]
    assert len(nodes) in (2, 6) or len(listed["nodes"][0]["members"]["nodes"]) == 6
    assert small == large, sql_counter.statements


async def test_pos_root_fields_compile_to_one_statement_each(api, app, sql_counter):
    owner = await api.register()
    await _seed_pos(api, app, owner, terminals=3)
    await api.gql(POS_COMPILED, {"first": 10}, owner)
    sql_counter.reset()
    body = await api.gql(POS_COMPILED, {"first": 10}, owner)
    assert set(body["extensions"]["executors"].values()) == {"compiled"}, body["extensions"]
    assert body["data"]["posTerminals"]["totalCount"] == 3
    assert sql_counter.count == DIRECT_VIEWER_STATEMENTS + 4, sql_counter.statements
