"""The compiled read path agrees with the resolver path, exactly.

Hypothesis builds random read queries over the real schema (random fields, nested
edges, page arguments and cursors, filters, orders, aliases, ids of this company,
of another company and of nothing) and runs each through both paths on the same
data; data and errors must be identical, in order, to the byte of every value.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gql.core.graph import RootConnection, RootGet, sql_of
from gql.core.pagination import encode_cursor
from gql.schema import schema as strawberry_schema

SCHEMA = strawberry_schema._schema
STRAWBERRY = "strawberry-definition"


def _named(type_: Any) -> Any:
    while isinstance(type_, (GraphQLNonNull, GraphQLList)):
        type_ = type_.of_type
    return type_


def _root_fields(kind: type) -> list[str]:
    """Root query fields declared for the compiled path (gql/core/graph.py)."""
    out = []
    for name, field in SCHEMA.query_type.fields.items():
        definition = field.extensions.get(STRAWBERRY)
        if isinstance(sql_of(definition) if definition else None, kind):
            out.append(name)
    return sorted(out)


ROOT_LISTS = _root_fields(RootConnection)
ROOT_GETS = {
    name: _named(SCHEMA.query_type.fields[name].type).name for name in _root_fields(RootGet)
}
SCALAR_SAMPLES: dict[str, list[Any]] = {
    "String": ["a", "INV", "%", "Cust"],
    "Boolean": [True, False],
    "Int": [1, 2],
    "Date": ["2026-01-01", "2026-03-15", "2026-06-30"],
}


def _literal(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, _Enum):
        return value.name
    return json.dumps(value)


class _Enum:
    def __init__(self, name: str) -> None:
        self.name = name


@st.composite
def input_value(draw: Any, type_: Any) -> dict[str, Any]:
    """A random value of a filter input: a few of its scalar and enum fields."""
    named = _named(type_)
    out: dict[str, Any] = {}
    fields = sorted(named.fields.items())
    for name, field in draw(
        st.lists(st.sampled_from(fields), max_size=2, unique_by=lambda f: f[0])
    ):
        target = _named(field.type)
        if isinstance(target, GraphQLEnumType):
            out[name] = _Enum(draw(st.sampled_from(sorted(target.values))))
        elif isinstance(target, GraphQLScalarType) and target.name in SCALAR_SAMPLES:
            out[name] = draw(st.sampled_from(SCALAR_SAMPLES[target.name]))
    return out


@st.composite
def page_args(draw: Any, field: Any) -> str:
    """Random arguments for a connection field, from its own argument types."""
    args: dict[str, Any] = {}
    direction = draw(st.sampled_from(["first", "last", "none"]))
    if direction != "none":
        args[direction] = draw(st.sampled_from([0, 1, 2, 3, 7]))
    cursor = draw(st.sampled_from([None, "after", "before"]))
    if cursor:
        args[cursor] = encode_cursor(draw(st.integers(1, 8)))
    if "filter" in field.args and draw(st.booleans()):
        args["filter"] = draw(input_value(field.args["filter"].type))
    order = field.args.get("orderBy")
    if order is not None and draw(st.booleans()):
        order_type = _named(order.type)
        args["orderBy"] = {
            "field": _Enum(
                draw(st.sampled_from(sorted(_named(order_type.fields["field"].type).values)))
            ),
            "direction": _Enum(draw(st.sampled_from(["ASC", "DESC"]))),
        }
    if not args:
        return ""
    return "(" + ", ".join(f"{k}: {_literal(v)}" for k, v in args.items()) + ")"


@st.composite
def selection(draw: Any, type_: GraphQLObjectType, depth: int) -> str:
    """A random, valid selection set on `type_`."""
    chosen: list[str] = []
    names = sorted(type_.fields)
    picked = draw(
        st.lists(st.sampled_from(names), min_size=1, max_size=min(6, len(names)), unique=True)
    )
    if "id" in type_.fields and draw(st.booleans()):
        picked.append("id")
    for name in picked:
        field = type_.fields[name]
        target = _named(field.type)
        alias = f"a{draw(st.integers(0, 9))}_{name}: " if draw(st.integers(0, 5)) == 0 else ""
        required = [a for a, d in field.args.items() if isinstance(d.type, GraphQLNonNull)]
        if required:
            continue
        if isinstance(target, (GraphQLScalarType, GraphQLEnumType)):
            chosen.append(alias + name)
            continue
        if not isinstance(target, GraphQLObjectType) or depth <= 0:
            continue
        args = draw(page_args(field)) if "pageInfo" in target.fields else ""
        if "pageInfo" in target.fields:
            inner = draw(connection_selection(target, depth - 1))
        else:
            inner = draw(selection(target, depth - 1))
        chosen.append(f"{alias}{name}{args} {{ {inner} }}")
    if draw(st.integers(0, 4)) == 0:
        chosen.append("__typename")
    return " ".join(chosen) or "__typename"


@st.composite
def connection_selection(draw: Any, type_: GraphQLObjectType, depth: int) -> str:
    node_type = _named(_named(type_.fields["edges"].type).fields["node"].type)
    parts = []
    for part in draw(
        st.lists(
            st.sampled_from(["totalCount", "pageInfo", "nodes", "edges"]), min_size=1, unique=True
        )
    ):
        if part == "totalCount":
            parts.append("totalCount")
        elif part == "pageInfo":
            parts.append("pageInfo { hasNextPage hasPreviousPage startCursor endCursor }")
        elif part == "nodes":
            parts.append(f"nodes {{ {draw(selection(node_type, depth))} }}")
        else:
            parts.append(f"edges {{ cursor node {{ {draw(selection(node_type, depth))} }} }}")
    return " ".join(parts)


@st.composite
def queries(draw: Any, ids: dict[str, list[str]]) -> str:
    roots = []
    for index in range(draw(st.integers(1, 2))):
        alias = f"r{index}: "
        if draw(st.booleans()):
            name = draw(st.sampled_from(ROOT_LISTS))
            field = SCHEMA.query_type.fields[name]
            type_ = _named(field.type)
            roots.append(
                f"{alias}{name}{draw(page_args(field))} {{ {draw(connection_selection(type_, 2))} }}"
            )
        else:
            name = draw(st.sampled_from(sorted(ROOT_GETS)))
            type_ = _named(SCHEMA.query_type.fields[name].type)
            ref = draw(st.sampled_from(ids.get(ROOT_GETS[name]) or ["000000000000000000000000"]))
            roots.append(f'{alias}{name}(id: "{ref}") {{ {draw(selection(type_, 2))} }}')
    return "{ " + " ".join(roots) + " }"


@pytest.fixture(scope="module")
async def world(api: Any) -> dict[str, Any]:
    """Two companies with contacts, items, taxes and documents in every state."""
    owner, other = await api.register(), await api.register()
    ids: dict[str, list[str]] = {"Contact": [], "Document": []}
    for tenant, scale in ((owner, 3), (other, 1)):
        tax = await api.tax(tenant, rate="20")
        item = await api.item(tenant, taxId=tax["id"], salePrice="12.34")
        customers = [
            await api.contact(tenant, name=f"Cust {i} a_b%", type="customer")
            for i in range(scale + 1)
        ]
        supplier = await api.contact(
            tenant, name="Supplier", type="supplier", email="s@example.com"
        )
        for i, customer in enumerate(customers * scale):
            doc = await api.document(
                tenant,
                customer["id"],
                lines=[
                    {"itemId": item["id"], "quantity": str(i + 1)},
                    {"name": "Labour", "unitPrice": "99.99"},
                ],
                issueDate=f"2026-0{1 + i % 6}-1{i % 9}",
                dueDate=f"2026-0{2 + i % 6}-1{i % 9}",
                discountRate="5" if i % 2 else None,
            )
            if i % 3 == 0:
                await api.data(
                    "mutation($i: DocumentIdInput!) { documentIssue(input: $i) { userErrors { message } } }",
                    {"i": {"id": doc["id"]}},
                    tenant,
                )
            ids["Document"].append(doc["id"])
        bill = await api.document(tenant, supplier["id"], kind="BILL", issueDate="2026-02-02")
        await api.data(
            "mutation($i: DocumentIdInput!) { documentIssue(input: $i) { userErrors { message } } }",
            {"i": {"id": bill["id"]}},
            tenant,
        )
        account = (
            await api.mutate(
                "accountCreate",
                ACCOUNT,
                {"name": "Current", "type": "BANK", "openingBalance": "250.00"},
                tenant,
            )
        )["account"]
        await api.data(
            PAY,
            {"input": {"documentId": bill["id"], "accountId": account["id"], "amount": "10"}},
            tenant,
        )
        await api.data(
            VOUCHER,
            {
                "input": {
                    "date": "2026-03-01",
                    "description": "Rent",
                    "lines": [
                        {"accountCode": "6200", "debit": "99.99"},
                        {"accountCode": "1110", "credit": "99.99"},
                    ],
                }
            },
            tenant,
        )
    # ids of every type a root field answers, from both companies, plus ones that exist nowhere
    for tenant in (owner, other):
        for name in ROOT_LISTS:
            body = await api.gql(f"{{ {name}(first: 4) {{ nodes {{ id }} }} }}", tenant=tenant)
            type_name = _named(
                _named(SCHEMA.query_type.fields[name].type).fields["nodes"].type
            ).name
            for node in (body.get("data") or {}).get(name, {}).get("nodes", []):
                ids.setdefault(type_name, []).append(node["id"])
    for refs in ids.values():
        refs.extend(["000000000000000000000000", "not-an-id"])
    return {"owner": owner, "other": other, "ids": ids}


EXECUTORS: dict[str, int] = {}  # which path answered the random root fields

ACCOUNT = """mutation($input: AccountCreateInput!) { accountCreate(input: $input) {
  account { id } userErrors { field message } } }"""
PAY = """mutation($input: DocumentPaymentCreateInput!) { documentPaymentCreate(input: $input) {
  userErrors { message } } }"""
VOUCHER = """mutation($input: VoucherCreateInput!) { voucherCreate(input: $input) {
  userErrors { message } } }"""


async def _both(api: Any, resolver_client: Any, query: str, tenant: Any) -> tuple[dict, dict]:
    compiled = await api.client.post("/graphql", json={"query": query}, headers=tenant.headers)
    reference = await resolver_client.post(
        "/graphql", json={"query": query}, headers=tenant.headers
    )
    assert compiled.status_code == reference.status_code, query
    a, b = compiled.json(), reference.json()
    for executor in (a.get("extensions") or {}).get("executors", {}).values():
        EXECUTORS[executor] = EXECUTORS.get(executor, 0) + 1
    a.pop("extensions", None)
    b.pop("extensions", None)
    return a, b


async def test_errors_of_compiled_and_resolver_fields_come_in_query_order(
    api: Any, resolver_client: Any
) -> None:
    """`a` needs the resolver path (a deal's owner), `b` compiles: the compiled path's
    NOT_FOUND used to come first whatever its place in the query."""
    tenant = await api.register()
    query = '{ a: deal(id: "%s") { owner { name } } b: activity(id: "%s") { subject } }'
    body = (
        await api.client.post(
            "/graphql", json={"query": query % ("0" * 24, "0" * 24)}, headers=tenant.headers
        )
    ).json()
    assert body["extensions"]["executors"] == {"a": "resolver", "b": "compiled"}
    assert [e["path"] for e in body["errors"]] == [["a"], ["b"]]
    compiled, reference = await _both(api, resolver_client, query % ("0" * 24, "0" * 24), tenant)
    assert compiled == reference


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(data=st.data())
async def test_random_queries_agree(
    api: Any, resolver_client: Any, world: dict[str, Any], data: Any
) -> None:
    query = data.draw(queries(world["ids"]))
    compiled, reference = await _both(api, resolver_client, query, world["owner"])
    assert compiled == reference, query


def test_most_random_root_fields_were_compiled() -> None:
    """The comparison above means something only if the compiled path answered most of
    the random root fields (the rest fell back: python-only fields, bad arguments)."""
    compiled, resolver = EXECUTORS.get("compiled", 0), EXECUTORS.get("resolver", 0)
    print("executors of random root fields:", EXECUTORS)
    assert compiled > 2 * resolver, EXECUTORS


async def test_module_disabled_errors_agree(
    api: Any, resolver_client: Any, world: dict[str, Any]
) -> None:
    owner = await api.register()
    await api.data(
        'mutation { moduleSet(input: {alias: "invoicing", enabled: false}) { userErrors { message } } }',
        tenant=owner,
    )
    query = "{ documents { totalCount } contacts { nodes { name } } }"
    compiled, reference = await _both(api, resolver_client, query, owner)
    assert compiled == reference
    assert compiled["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_another_companys_id_is_not_found_on_both_paths(
    api: Any, resolver_client: Any, world: dict[str, Any]
) -> None:
    others = await api.data("{ documents(first: 1) { nodes { id } } }", tenant=world["other"])
    foreign = others["documents"]["nodes"][0]["id"]
    query = f'{{ document(id: "{foreign}") {{ number }} }}'
    compiled, reference = await _both(api, resolver_client, query, world["owner"])
    assert compiled == reference
    assert compiled["data"] == {"document": None}
    assert compiled["errors"][0]["extensions"]["code"] == "NOT_FOUND"


# --- CRM: random queries over the CRM root fields, on CRM data of two companies -----------

CRM_ROOTS = {
    "pipeline",
    "pipelines",
    "pipelineStage",
    "lead",
    "leads",
    "deal",
    "deals",
    "activity",
    "activities",
    "campaign",
    "campaigns",
}
CRM_LISTS = sorted(CRM_ROOTS & set(ROOT_LISTS))
CRM_GETS = {name: type_name for name, type_name in ROOT_GETS.items() if name in CRM_ROOTS}


def test_every_crm_root_field_is_declared_for_the_compiled_path() -> None:
    assert set(CRM_LISTS) | set(CRM_GETS) == CRM_ROOTS


@st.composite
def crm_queries(draw: Any, ids: dict[str, list[str]]) -> str:
    roots = []
    for index in range(draw(st.integers(1, 2))):
        alias = f"r{index}: "
        if draw(st.booleans()):
            name = draw(st.sampled_from(CRM_LISTS))
            field = SCHEMA.query_type.fields[name]
            selected = draw(connection_selection(_named(field.type), 2))
            roots.append(f"{alias}{name}{draw(page_args(field))} {{ {selected} }}")
        else:
            name = draw(st.sampled_from(sorted(CRM_GETS)))
            type_ = _named(SCHEMA.query_type.fields[name].type)
            ref = draw(st.sampled_from(ids.get(CRM_GETS[name]) or ["000000000000000000000000"]))
            roots.append(f'{alias}{name}(id: "{ref}") {{ {draw(selection(type_, 2))} }}')
    return "{ " + " ".join(roots) + " }"


CRM_MUTATION = (
    "mutation($i: {input}!) {{ {name}(input: $i) {{ {field} {{ id }} userErrors {{ message }} }} }}"
)


async def _crm_make(
    api: Any, tenant: Any, name: str, input_type: str, field: str, body: dict
) -> dict:
    query = CRM_MUTATION.format(input=input_type, name=name, field=field)
    payload = (await api.data(query, {"i": body}, tenant))[name]
    assert payload["userErrors"] == [], payload
    return payload[field]  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
async def crm_world(api: Any) -> dict[str, Any]:
    """Two companies with pipelines, leads (some converted), deals in every status,
    activities (overdue, done, future) and campaigns."""
    owner, other = await api.register(), await api.register()
    ids: dict[str, list[str]] = {}
    for tenant, scale in ((owner, 3), (other, 1)):
        pipeline = await _crm_make(
            api,
            tenant,
            "pipelineCreate",
            "PipelineCreateInput",
            "pipeline",
            {
                "name": "Sales a_b%",
                "stages": [{"name": "New", "probability": 10}, {"name": "Won?", "probability": 95}],
            },
        )
        stages = (
            await api.data(
                "query($id: ID!) { pipeline(id: $id) { stages { id } } }",
                {"id": pipeline["id"]},
                tenant,
            )
        )["pipeline"]["stages"]
        contact = await api.contact(tenant, name="CRM Cust")
        for i in range(scale * 2):
            lead = await _crm_make(
                api,
                tenant,
                "leadCreate",
                "LeadCreateInput",
                "lead",
                {"name": f"Lead {i}", "source": ["WEBSITE", "REFERRAL"][i % 2]},
            )
            if i % 2:
                await api.data(
                    "mutation($i: LeadConvertInput!) { leadConvert(input: $i) { userErrors { message } } }",
                    {
                        "i": {
                            "id": lead["id"],
                            "deal": {"pipelineId": pipeline["id"], "value": "12.34"},
                        }
                    },
                    tenant,
                )
            deal = await _crm_make(
                api,
                tenant,
                "dealCreate",
                "DealCreateInput",
                "deal",
                {
                    "name": f"Deal {i}",
                    "pipelineId": pipeline["id"],
                    "stageId": stages[i % 2]["id"],
                    "contactId": contact["id"],
                    "value": f"{i}00.5",
                    "expectedCloseDate": f"2026-0{1 + i % 6}-15",
                },
            )
            if i % 3 == 1:
                await api.data(
                    "mutation($i: DealIdInput!) { dealWin(input: $i) { userErrors { message } } }",
                    {"i": {"id": deal["id"]}},
                    tenant,
                )
            elif i % 3 == 2:
                await api.data(
                    "mutation($i: DealLoseInput!) { dealLose(input: $i) { userErrors { message } } }",
                    {"i": {"id": deal["id"], "reason": "Price"}},
                    tenant,
                )
            for when, done in (
                (f"2020-01-0{1 + i % 9}T10:00:00Z", None),
                ("2199-01-01T10:00:00Z", None),
                ("2021-05-05T10:00:00Z", "2021-05-06T10:00:00Z"),
            ):
                await _crm_make(
                    api,
                    tenant,
                    "activityCreate",
                    "ActivityCreateInput",
                    "activity",
                    {
                        "type": "CALL",
                        "subject": f"Call {i}",
                        "scheduledAt": when,
                        "doneAt": done,
                        "dealId": deal["id"],
                    },
                )
            await _crm_make(
                api,
                tenant,
                "campaignCreate",
                "CampaignCreateInput",
                "campaign",
                {
                    "name": f"Camp {i}",
                    "type": "EMAIL",
                    "startDate": f"2026-0{1 + i % 6}-01",
                    "budget": "99.99",
                },
            )
    for tenant in (owner, other):
        for name in CRM_LISTS:
            body = await api.gql(f"{{ {name}(first: 4) {{ nodes {{ id }} }} }}", tenant=tenant)
            type_name = _named(
                _named(SCHEMA.query_type.fields[name].type).fields["nodes"].type
            ).name
            for node in (body.get("data") or {}).get(name, {}).get("nodes", []):
                ids.setdefault(type_name, []).append(node["id"])
        stages = await api.gql("{ pipelines { nodes { stages { id } } } }", tenant=tenant)
        for p in stages["data"]["pipelines"]["nodes"]:
            ids.setdefault("PipelineStage", []).extend(s["id"] for s in p["stages"])
    for refs in ids.values():
        refs.extend(["000000000000000000000000", "not-an-id"])
    return {"owner": owner, "ids": ids}


# --- contracts and proposals ----------------------------------------------------------------

CONTRACT_ROOTS = ["contract", "contracts", "proposal", "proposals"]


@st.composite
def contracts_queries(draw: Any, ids: dict[str, list[str]]) -> str:
    """A random query over the contracts area's root fields (and, through the contact,
    back into the rest of the graph)."""
    name = draw(st.sampled_from(CONTRACT_ROOTS))
    field = SCHEMA.query_type.fields[name]
    type_ = _named(field.type)
    if name in ROOT_GETS:
        ref = draw(st.sampled_from(ids[ROOT_GETS[name]]))
        return f'{{ {name}(id: "{ref}") {{ {draw(selection(type_, 2))} }} }}'
    return f"{{ {name}{draw(page_args(field))} {{ {draw(connection_selection(type_, 2))} }} }}"


@pytest.fixture(scope="module")
async def contracts_world(api: Any) -> dict[str, Any]:
    """Two companies with contracts in every status today and proposals in every state,
    one accepted into its contract."""

    def day(offset: int) -> str:
        return (date.today() + timedelta(days=offset)).isoformat()

    run = "mutation($input: {kind}Input!) {{ {name}(input: $input) {{ {field} {{ id }} userErrors {{ message }} }} }}"

    async def call(tenant: Any, name: str, kind: str, field: str, input: dict) -> str:
        data = await api.data(
            run.format(kind=kind, name=name, field=field), {"input": input}, tenant
        )
        assert data[name]["userErrors"] == [], data
        return data[name][field]["id"]  # type: ignore[no-any-return]

    owner, other = await api.register(), await api.register()
    ids: dict[str, list[str]] = {"Contract": [], "Proposal": []}
    for tenant in (owner, other):
        contacts = [(await api.contact(tenant, name=f"Client {i} a_b%"))["id"] for i in range(3)]
        for i, (start, end, sign, terminate) in enumerate(
            [
                (None, None, False, False),
                (day(-10), day(10), True, False),
                (day(5), day(40), True, False),
                (day(-40), day(30), True, True),
                (day(-60), None, True, False),
            ]
        ):
            contract = await call(
                tenant,
                "contractCreate",
                "ContractCreate",
                "contract",
                {
                    "title": f"Contract {i} %",
                    "contactId": contacts[i % 3],
                    "startDate": start,
                    "endDate": end,
                    "value": f"{i * 111}.25",
                },
            )
            if sign:
                await call(tenant, "contractSign", "ContractSign", "contract", {"id": contract})
            if terminate:
                await call(
                    tenant, "contractTerminate", "ContractTerminate", "contract", {"id": contract}
                )
            ids["Contract"].append(contract)
        for i, fate in enumerate(["draft", "sent", "accepted", "declined"]):
            proposal = await call(
                tenant,
                "proposalCreate",
                "ProposalCreate",
                "proposal",
                {
                    "title": f"Offer {i}",
                    "contactId": contacts[i % 3],
                    "value": f"{i}99.90",
                    "sections": [{"title": f"S{j}", "body": "b" * j} for j in range(i + 1)],
                },
            )
            if fate != "draft":
                await call(tenant, "proposalSend", "ProposalId", "proposal", {"id": proposal})
            if fate == "accepted":
                accept = {"id": proposal, "contract": {"startDate": day(-1)}}
                await call(tenant, "proposalAccept", "ProposalAccept", "proposal", accept)
            if fate == "declined":
                await call(tenant, "proposalDecline", "ProposalId", "proposal", {"id": proposal})
            ids["Proposal"].append(proposal)
    for refs in ids.values():
        refs.extend(["000000000000000000000000", "not-an-id"])
    return {"owner": owner, "ids": ids}


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(data=st.data())
async def test_random_crm_queries_agree(
    api: Any, resolver_client: Any, crm_world: dict[str, Any], data: Any
) -> None:
    query = data.draw(crm_queries(crm_world["ids"]))
    compiled, reference = await _both(api, resolver_client, query, crm_world["owner"])
    assert compiled == reference, query


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(data=st.data())
async def test_random_contracts_queries_agree(
    api: Any, resolver_client: Any, contracts_world: dict[str, Any], data: Any
) -> None:
    query = data.draw(contracts_queries(contracts_world["ids"]))
    compiled, reference = await _both(api, resolver_client, query, contracts_world["owner"])
    assert compiled == reference, query


# --- helpdesk -------------------------------------------------------------------------------

HELPDESK_ROOTS = ["ticketCategories", "slas", "tickets", "articles"]
HELPDESK_QUERIES = [
    "{ tickets { totalCount pageInfo { hasNextPage endCursor } nodes { id objectId number subject"
    " priority status openedAt firstResponseDue resolutionDue respondedAt resolvedAt closedAt"
    " responseBreached resolutionBreached breached contact { name tickets { totalCount } }"
    " category { name } sla { name responseTime targets { priority responseTime } }"
    " replies { body public ticket { number } } } } }",
    "{ tickets(filter: {breached: true}) { totalCount nodes { number breached } } }",
    "{ tickets(filter: {breached: false}, orderBy: {field: RESOLUTION_DUE, direction: ASC})"
    " { nodes { number resolutionDue } } }",
    "{ tickets(filter: {responseBreached: true, status: OPEN}) { nodes { number } } }",
    "{ tickets(filter: {resolutionBreached: false, priority: HIGH}) { nodes { number } } }",
    '{ tickets(filter: {search: "refund", openedFrom: "2000-01-01"}, last: 2) { nodes { number } } }',
    "{ tickets(orderBy: {field: FIRST_RESPONSE_DUE, direction: DESC}, first: 3) { edges { cursor node { number } } } }",
    "{ slas(orderBy: {field: CREATED_AT, direction: DESC}) { nodes { name resolutionTime targets { priority resolutionTime } } } }",
    '{ ticketCategories(filter: {search: "bill"}) { totalCount nodes { name description } } }',
    "{ articles { nodes { slug title published publishedAt category { name } } } }",
    "{ articles(filter: {includeUnpublished: true}, orderBy: {field: CREATED_AT, direction: DESC}) { totalCount nodes { slug } } }",
    "{ articles(filter: {published: false}) { nodes { slug body } } }",
    "{ contacts { nodes { name tickets(filter: {breached: true}) { totalCount nodes { number breached } } } } }",
]


@pytest.fixture(scope="module")
async def helpdesk_world(app: Any, api: Any) -> dict[str, Any]:
    """A company with tickets in every state of the clock, and another company's rows."""
    from tests.helpdesk import (
        ARTICLE_CREATE,
        TICKET_UPDATE,
        age_ticket,
        category,
        reply,
        sla,
        ticket,
    )

    owner, other = await api.register(), await api.register()
    refs: dict[str, list[str]] = {}
    for tenant in (owner, other):
        billing = await category(api, tenant, "Billing")
        standard = await sla(
            api, tenant, targets=[{"priority": "HIGH", "responseTime": 1, "resolutionTime": 8}]
        )
        contact = await api.contact(tenant)
        tickets = []
        for i, priority in enumerate(["LOW", "HIGH", "URGENT", "HIGH", "MEDIUM"]):
            t = await ticket(
                api,
                tenant,
                subject=f"Refund {i}" if i % 2 else f"Login {i}",
                priority=priority,
                slaId=standard["id"] if i != 4 else None,
                contactId=contact["id"] if i % 2 == 0 else None,
                categoryId=billing["id"] if i < 3 else None,
            )
            tickets.append(t)
        await reply(api, tenant, tickets[1]["id"])
        await reply(api, tenant, tickets[2]["id"], public=False)
        await age_ticket(app, tenant, tickets[2]["id"], 30)
        await age_ticket(app, tenant, tickets[3]["id"], 2)
        await api.mutate(
            "ticketUpdate", TICKET_UPDATE, {"id": tickets[1]["id"], "status": "RESOLVED"}, tenant
        )
        for title, published in (("Reset password", True), ("Draft notes", False)):
            article = await api.mutate(
                "articleCreate",
                ARTICLE_CREATE,
                {"title": title, "body": "x", "published": published, "categoryId": billing["id"]},
                tenant,
            )
            refs.setdefault("article", []).append(article["article"]["id"])
        refs.setdefault("ticket", []).extend(t["id"] for t in tickets)
        refs.setdefault("ticketCategory", []).append(billing["id"])
        refs.setdefault("sla", []).append(standard["id"])
    return {"owner": owner, "refs": refs}


@pytest.mark.parametrize("query", HELPDESK_QUERIES)
async def test_helpdesk_root_fields_agree(
    api: Any, resolver_client: Any, helpdesk_world: dict[str, Any], query: str
) -> None:
    before = EXECUTORS.get("compiled", 0)
    compiled, reference = await _both(api, resolver_client, query, helpdesk_world["owner"])
    assert compiled == reference, query
    assert not compiled.get("errors"), compiled
    assert EXECUTORS.get("compiled", 0) == before + 1, "the compiled path did not answer"


async def test_helpdesk_root_gets_agree_for_own_foreign_and_missing_ids(
    api: Any, resolver_client: Any, helpdesk_world: dict[str, Any]
) -> None:
    fields = {
        "ticket": "number breached sla { name } category { name } replies { body }",
        "ticketCategory": "name",
        "sla": "name targets { priority }",
        "article": "slug category { name }",
    }
    for root, selection in fields.items():
        for ref in [*helpdesk_world["refs"][root], "0" * 24]:
            query = f'{{ {root}(id: "{ref}") {{ {selection} }} }}'
            compiled, reference = await _both(api, resolver_client, query, helpdesk_world["owner"])
            assert compiled == reference, query


def test_every_helpdesk_root_list_is_a_compiled_root() -> None:
    assert set(HELPDESK_ROOTS) <= set(ROOT_LISTS)
    assert {"ticket", "ticketCategory", "sla", "article"} <= set(ROOT_GETS)


# --- projects -------------------------------------------------------------------------------

PROJECT_ROOTS = ["project", "projects", "task", "tasks", "timeEntry", "timeEntries"]


@st.composite
def projects_queries(draw: Any, ids: dict[str, list[str]]) -> str:
    """A random query over the projects area's root fields (and, through the customer,
    the invoice and its lines, back into the rest of the graph)."""
    name = draw(st.sampled_from(PROJECT_ROOTS))
    field = SCHEMA.query_type.fields[name]
    type_ = _named(field.type)
    if name in ROOT_GETS:
        ref = draw(st.sampled_from(ids[ROOT_GETS[name]]))
        return f'{{ {name}(id: "{ref}") {{ {draw(selection(type_, 2))} }} }}'
    return f"{{ {name}{draw(page_args(field))} {{ {draw(connection_selection(type_, 2))} }} }}"


@pytest.fixture(scope="module")
async def projects_world(api: Any) -> dict[str, Any]:
    """Two companies with projects in several states, tasks, billable and free time, some
    of it invoiced, one project without a customer or rate."""
    from tests.projects import INVOICE_TIME, project, task, time

    owner, other = await api.register(), await api.register()
    ids: dict[str, list[str]] = {"Project": [], "Task": [], "TimeEntry": []}
    for tenant in (owner, other):
        customer = await api.contact(tenant, name="Client a_b%")
        for i, status in enumerate(["PLANNED", "ACTIVE", "ON_HOLD"]):
            made = await project(
                api,
                tenant,
                name=f"Project {i} %",
                status=status,
                customerId=customer["id"] if i else None,
                hourlyRate=f"{i * 37}.50" if i else None,
                budget=f"{i * 1000}.25",
                startDate=f"2026-0{i + 1}-01",
            )
            ids["Project"].append(made["id"])
            tasks = [
                await task(
                    api,
                    tenant,
                    made["id"],
                    name=f"Task {j}",
                    assigneeId=tenant.user_id if j else None,
                    dueDate="2026-03-15" if j else None,
                )
                for j in range(2)
            ]
            ids["Task"].extend(t["id"] for t in tasks)
            for k in range(3):
                entry = await time(
                    api,
                    tenant,
                    made["id"],
                    f"2026-01-0{k + 1}T09:00:00Z",
                    f"2026-01-0{k + 1}T{10 + k}:{7 * k:02d}:00Z",
                    taskId=tasks[k % 2]["id"] if k < 2 else None,
                    billable=k != 1,
                    description=f"Work {k}",
                )
                ids["TimeEntry"].append(entry["id"])
            if i == 2:
                await api.mutate(
                    "projectInvoiceTime",
                    INVOICE_TIME,
                    {"id": made["id"], "upTo": "2026-01-01"},
                    tenant,
                )
    for refs in ids.values():
        refs.extend(["000000000000000000000000", "not-an-id"])
    return {"owner": owner, "ids": ids}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(data=st.data())
async def test_random_projects_queries_agree(
    api: Any, resolver_client: Any, projects_world: dict[str, Any], data: Any
) -> None:
    query = data.draw(projects_queries(projects_world["ids"]))
    compiled, reference = await _both(api, resolver_client, query, projects_world["owner"])
    assert compiled == reference, query


def test_every_projects_root_field_is_compiled() -> None:
    assert {"projects", "tasks", "timeEntries"} <= set(ROOT_LISTS)
    assert {"project", "task", "timeEntry"} <= set(ROOT_GETS)


# --- payroll --------------------------------------------------------------------------------

PAYROLL_ROOTS = [
    "department",
    "departments",
    "position",
    "positions",
    "employee",
    "employees",
    "payRun",
    "payRuns",
    "payslip",
    "payslips",
]


@pytest.fixture(scope="module")
async def payroll_world(api: Any) -> dict[str, Any]:
    """Two companies with departments, positions, employees (some linked to contacts,
    one leaving mid-month) and pay runs draft, approved and paid."""
    from tests.test_payroll_graphql import (
        PAY_RUN_APPROVE,
        PAY_RUN_PAY,
        PAYSLIP_UPDATE,
        POSITION_CREATE,
        bank_account,
        department,
        employee,
        pay_run,
    )

    owner, other = await api.register(), await api.register()
    ids: dict[str, list[str]] = {
        t: [] for t in ("Department", "Position", "Employee", "PayRun", "Payslip")
    }
    for tenant in (owner, other):
        teams = [await department(api, tenant, f"Team {i} a_b%") for i in range(2)]
        ids["Department"] += [t["id"] for t in teams]
        role = (
            await api.mutate(
                "positionCreate",
                POSITION_CREATE,
                {"name": "Role", "departmentId": teams[0]["id"]},
                tenant,
            )
        )["position"]
        ids["Position"].append(role["id"])
        for i in range(4):
            contact = await api.contact(tenant) if i % 2 else None
            person = await employee(
                api,
                tenant,
                firstName=f"First {i}",
                lastName=f"Last {i % 3}",
                salary=f"{30000 + i * 1111}.50",
                startDate="2025-01-01" if i != 3 else "2026-01-10",
                endDate="2026-02-14" if i == 2 else None,
                departmentId=teams[i % 2]["id"] if i < 3 else None,
                positionId=role["id"] if i == 0 else None,
                contactId=contact["id"] if contact else None,
            )
            ids["Employee"].append(person["id"])
        account = await bank_account(api, tenant)
        for period, fate in (("2026-01", "paid"), ("2026-02", "approved"), ("2026-03", "draft")):
            run = await pay_run(api, tenant, period=period, payDate=f"{period}-25")
            ids["PayRun"].append(run["id"])
            slips = run["payslips"]["nodes"]
            ids["Payslip"] += [s["id"] for s in slips]
            await api.mutate(
                "payslipUpdate",
                PAYSLIP_UPDATE,
                {"id": slips[0]["id"], "deductions": "123.45"},
                tenant,
            )
            if fate != "draft":
                await api.mutate("payRunApprove", PAY_RUN_APPROVE, {"id": run["id"]}, tenant)
            if fate == "paid":
                pay = {"id": run["id"], "accountId": account["id"]}
                await api.mutate("payRunPay", PAY_RUN_PAY, pay, tenant)
    for refs in ids.values():
        refs.extend(["000000000000000000000000", "not-an-id"])
    return {"owner": owner, "ids": ids}


@st.composite
def payroll_queries(draw: Any, ids: dict[str, list[str]]) -> str:
    """A random query over the payroll area's root fields (and, through the edges, into
    contacts, vouchers and bank transactions)."""
    name = draw(st.sampled_from(PAYROLL_ROOTS))
    field = SCHEMA.query_type.fields[name]
    type_ = _named(field.type)
    if name in ROOT_GETS:
        ref = draw(st.sampled_from(ids[ROOT_GETS[name]]))
        return f'{{ {name}(id: "{ref}") {{ {draw(selection(type_, 2))} }} }}'
    return f"{{ {name}{draw(page_args(field))} {{ {draw(connection_selection(type_, 2))} }} }}"


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(data=st.data())
async def test_random_payroll_queries_agree(
    api: Any, resolver_client: Any, payroll_world: dict[str, Any], data: Any
) -> None:
    query = data.draw(payroll_queries(payroll_world["ids"]))
    compiled, reference = await _both(api, resolver_client, query, payroll_world["owner"])
    assert compiled == reference, query


def test_every_payroll_root_field_is_declared_for_the_compiled_path() -> None:
    assert set(PAYROLL_ROOTS) <= set(ROOT_LISTS) | set(ROOT_GETS)


# --- inventory ------------------------------------------------------------------------------

INVENTORY_ROOTS = [
    "warehouse",
    "warehouses",
    "stockMove",
    "stockMoves",
    "stockTransfer",
    "stockTransfers",
    "stockAdjustment",
    "stockAdjustments",
]


@pytest.fixture(scope="module")
async def inventory_world(api: Any) -> dict[str, Any]:
    """Two companies with warehouses, items (with variants and a low-stock alert, and a
    service), adjustments, transfers and an issued invoice and bill."""
    from tests.inventory import adjust, transfer, warehouse

    owner, other = await api.register(), await api.register()
    ids: dict[str, list[str]] = {
        k: [] for k in ("Warehouse", "StockMove", "StockTransfer", "StockAdjustment")
    }
    issue = "mutation($id: ID!) { documentIssue(input: {id: $id}) { userErrors { message } } }"
    for tenant in (owner, other):
        places = [await warehouse(api, tenant, f"Store {i} %") for i in range(2)]
        ids["Warehouse"] += [p["id"] for p in places]
        items = [
            await api.item(tenant, name="Widget", minStockAlert="4"),
            await api.item(tenant, name="Gadget", variants=[{"name": "Red"}]),
        ]
        for n, item in enumerate(items):
            made = await adjust(api, tenant, places[0]["id"], item["id"], f"{5 + n}.25")
            ids["StockAdjustment"].append(made["stockAdjustment"]["id"])
            moved = await transfer(api, tenant, places[0]["id"], places[1]["id"], item["id"], "2")
            ids["StockTransfer"].append(moved["stockTransfer"]["id"])
        supplier = await api.contact(tenant, type="supplier")
        bill = await api.document(
            tenant,
            supplier["id"],
            kind="BILL",
            lines=[{"itemId": items[0]["id"], "quantity": "3", "unitPrice": "2"}],
        )
        await api.data(issue, {"id": bill["id"]}, tenant)
        moves = await api.data("{ stockMoves(first: 50) { nodes { id } } }", None, tenant)
        ids["StockMove"] += [m["id"] for m in moves["stockMoves"]["nodes"]]
    for refs in ids.values():
        refs.extend(["000000000000000000000000", "not-an-id"])
    return {"owner": owner, "ids": ids}


@st.composite
def inventory_queries(draw: Any, ids: dict[str, list[str]]) -> str:
    """A random query over the inventory area's root fields (and through items,
    variants and sources back into the catalogue)."""
    name = draw(st.sampled_from(INVENTORY_ROOTS))
    field = SCHEMA.query_type.fields[name]
    type_ = _named(field.type)
    if name in ROOT_GETS:
        ref = draw(st.sampled_from(ids[ROOT_GETS[name]]))
        return f'{{ {name}(id: "{ref}") {{ {draw(selection(type_, 2))} }} }}'
    return f"{{ {name}{draw(page_args(field))} {{ {draw(connection_selection(type_, 2))} }} }}"


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(data=st.data())
async def test_random_inventory_queries_agree(
    api: Any, resolver_client: Any, inventory_world: dict[str, Any], data: Any
) -> None:
    query = data.draw(inventory_queries(inventory_world["ids"]))
    compiled, reference = await _both(api, resolver_client, query, inventory_world["owner"])
    assert compiled == reference, query


async def test_items_with_stock_agree(
    api: Any, resolver_client: Any, inventory_world: dict[str, Any]
) -> None:
    query = """{ items(first: 10, filter: {lowStock: false}) { totalCount nodes { name
      minStockAlert stockOnHand lowStock stock { quantity warehouse { name } variant { name } } } } }"""
    compiled, reference = await _both(api, resolver_client, query, inventory_world["owner"])
    assert compiled == reference
    assert compiled["data"]["items"]["totalCount"] == 2


def test_every_inventory_root_field_is_declared_for_the_compiled_path() -> None:
    assert set(INVENTORY_ROOTS) <= set(ROOT_LISTS) | set(ROOT_GETS)


# --- bank feeds -------------------------------------------------------------------------------

BANKFEED_ROOTS = [
    "bankConnection",
    "bankConnections",
    "bankRule",
    "bankRules",
    "bankFeedTransaction",
    "bankFeedTransactions",
]


@pytest.fixture(scope="module")
async def bankfeeds_world(api: Any) -> dict[str, Any]:
    """Two companies, each with two accounts and connections (one disconnected), rules,
    an imported statement (CSV) and an OFX one with its closing balance, lines
    unmatched, matched to an invoice payment and split into new transactions."""
    from tests.bankfeeds import (
        CONNECTION_UPDATE,
        MATCH,
        SPLIT,
        category,
        connection,
        imported,
        rule,
    )
    from tests.test_bankfeeds_graphql import OFX, by_description
    from tests.test_money_concurrency import account, issued, pay

    owner, other = await api.register(), await api.register()
    ids: dict[str, list[str]] = {
        t: [] for t in ("BankConnection", "BankRule", "BankFeedTransaction")
    }
    for tenant in (owner, other):
        account_id = await account(api, tenant)
        main = await connection(api, tenant, account_id)
        spare = await connection(api, tenant)
        ids["BankConnection"] += [main["id"], spare["id"]]
        coffee = await category(api, tenant, "Coffee a_b%", "EXPENSE")
        supplier = await api.contact(tenant, type="supplier")
        ids["BankRule"].append(
            (await rule(api, tenant, "starbucks", coffee["id"], contactId=supplier["id"]))["id"]
        )
        ids["BankRule"].append((await rule(api, tenant, "rent", coffee["id"], priority=2))["id"])
        lines = (await imported(api, tenant, main["id"]))["feedTransactions"]
        body = {"connectionId": spare["id"], "format": "OFX", "content": OFX}
        lines += (await api.mutate("bankFeedImport", IMPORT_LINES, body, tenant))[
            "feedTransactions"
        ]
        ids["BankFeedTransaction"] += [line["id"] for line in lines]
        invoice = await issued(api, tenant, "1000")
        payment = await pay(api, tenant, invoice["id"], account_id, "1000")
        acme = by_description(lines, "Acme")
        await api.mutate(
            "bankFeedMatch", MATCH, {"id": acme["id"], "transactionIds": [payment]}, tenant
        )
        await api.mutate(
            "bankFeedSplit", SPLIT, {"id": by_description(lines, "STARBUCKS")["id"]}, tenant
        )
        await api.mutate(
            "bankConnectionUpdate",
            CONNECTION_UPDATE,
            {"id": spare["id"], "status": "DISCONNECTED"},
            tenant,
        )
    for refs in ids.values():
        refs.extend(["000000000000000000000000", "not-an-id"])
    return {"owner": owner, "ids": ids}


IMPORT_LINES = """mutation($input: BankFeedImportInput!) { bankFeedImport(input: $input) {
  feedTransactions { id description } userErrors { field message code } } }"""


@st.composite
def bankfeeds_queries(draw: Any, ids: dict[str, list[str]]) -> str:
    """A random query over the bank-feed root fields (and, through account, into its
    reconciliation, transactions and the rest of the graph)."""
    name = draw(st.sampled_from(BANKFEED_ROOTS))
    field = SCHEMA.query_type.fields[name]
    type_ = _named(field.type)
    if name in ROOT_GETS:
        ref = draw(st.sampled_from(ids[ROOT_GETS[name]]))
        return f'{{ {name}(id: "{ref}") {{ {draw(selection(type_, 2))} }} }}'
    return f"{{ {name}{draw(page_args(field))} {{ {draw(connection_selection(type_, 2))} }} }}"


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(data=st.data())
async def test_random_bankfeeds_queries_agree(
    api: Any, resolver_client: Any, bankfeeds_world: dict[str, Any], data: Any
) -> None:
    query = data.draw(bankfeeds_queries(bankfeeds_world["ids"]))
    compiled, reference = await _both(api, resolver_client, query, bankfeeds_world["owner"])
    assert compiled == reference, query


ACCOUNT_RECONCILIATION = """{ accounts(first: 10) { nodes { name reconciliation {
  statementBalance { amount currency } reconciledBalance { amount } unreconciledAmount { amount }
  unreconciledCount unmatchedLines difference { amount } }
  feedTransactions(first: 3) { totalCount nodes { status amount { amount } } } } } }"""


async def test_account_reconciliation_agrees_on_both_paths(
    api: Any, resolver_client: Any, bankfeeds_world: dict[str, Any]
) -> None:
    compiled, reference = await _both(
        api, resolver_client, ACCOUNT_RECONCILIATION, bankfeeds_world["owner"]
    )
    assert compiled == reference
    executors = (await api.gql(ACCOUNT_RECONCILIATION, None, bankfeeds_world["owner"]))[
        "extensions"
    ]["executors"]
    assert set(executors.values()) == {"compiled"}
    figures = [a["reconciliation"] for a in compiled["data"]["accounts"]["nodes"]]
    assert {f["statementBalance"]["amount"] for f in figures} >= {"1204.50"}  # the OFX one


def test_every_bankfeeds_root_field_is_declared_for_the_compiled_path() -> None:
    assert set(BANKFEED_ROOTS) <= set(ROOT_LISTS) | set(ROOT_GETS)


# --- point of sale ----------------------------------------------------------------------------

POS_ROOTS = [
    "posTerminal",
    "posTerminals",
    "posSession",
    "posSessions",
    "posOrder",
    "posOrders",
    "loyaltyProgram",
    "loyaltyPrograms",
]


@pytest.fixture(scope="module")
async def pos_world(api: Any, app: Any) -> dict[str, Any]:
    """Two companies with terminals (one with a card account), sessions open and closed,
    cash and card orders with taxed lines, by contacts earning points in two programmes."""
    from tests.pos import SESSION_CLOSE, program, sell, stocked_item, terminal, till

    owner, other = await api.register(), await api.register()
    ids: dict[str, list[str]] = {
        "PosTerminal": [],
        "PosSession": [],
        "PosOrder": [],
        "LoyaltyProgram": [],
    }
    for tenant in (owner, other):
        first = await program(api, tenant, name="Points %", pointsPerUnit="1.25")
        tax = await api.tax(tenant, rate="17.5")
        item = await stocked_item(api, app, tenant, "500", salePrice="3.33", taxId=tax["id"])
        plain = await stocked_item(api, app, tenant, "500", salePrice="10")
        buyers = [await api.contact(tenant, name=f"Buyer {i} a_b") for i in range(2)]
        for i in range(3):
            made = await till(api, tenant, opening=f"{i * 25}.50")
            ids["PosTerminal"].append(made["terminal"]["id"])
            sid = made["session"]["id"]
            ids["PosSession"].append(sid)
            for j in range(3):
                order = await sell(
                    api,
                    tenant,
                    sid,
                    [{"itemId": item["id"], "quantity": str(j + 1)}, {"itemId": plain["id"]}],
                    paymentMethod=["CASH", "CARD", "OTHER"][j],
                    contactId=buyers[(i + j) % 2]["id"] if j != 2 else None,
                )
                ids["PosOrder"].append(order["id"])
            if i == 1:
                await api.mutate(
                    "posSessionClose", SESSION_CLOSE, {"id": sid, "countedCash": "40"}, tenant
                )
            if i == 0:
                ids["LoyaltyProgram"].append(first["id"])
                second = await program(api, tenant, name="Second", pointsPerUnit="3")
                ids["LoyaltyProgram"].append(second["id"])
        spare = await terminal(api, tenant, name="Spare", enabled=False)
        ids["PosTerminal"].append(spare["id"])
    for refs in ids.values():
        refs.extend(["000000000000000000000000", "not-an-id"])
    return {"owner": owner, "ids": ids}


@st.composite
def pos_queries(draw: Any, ids: dict[str, list[str]]) -> str:
    """A random query over the point-of-sale root fields (and, through the edges, into
    accounts, transactions, items, taxes and contacts)."""
    name = draw(st.sampled_from(POS_ROOTS))
    field = SCHEMA.query_type.fields[name]
    type_ = _named(field.type)
    if name in ROOT_GETS:
        ref = draw(st.sampled_from(ids[ROOT_GETS[name]]))
        return f'{{ {name}(id: "{ref}") {{ {draw(selection(type_, 2))} }} }}'
    return f"{{ {name}{draw(page_args(field))} {{ {draw(connection_selection(type_, 2))} }} }}"


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(data=st.data())
async def test_random_pos_queries_agree(
    api: Any, resolver_client: Any, pos_world: dict[str, Any], data: Any
) -> None:
    query = data.draw(pos_queries(pos_world["ids"]))
    compiled, reference = await _both(api, resolver_client, query, pos_world["owner"])
    assert compiled == reference, query


def test_every_pos_root_field_is_declared_for_the_compiled_path() -> None:
    assert set(POS_ROOTS) <= set(ROOT_LISTS) | set(ROOT_GETS)
