"""Conflict detection: every mutable entity has a `version` that each write bumps;
a write that expects a version (GraphQL `input.expectedVersion`, REST `If-Match`) is
refused with CONFLICT / 409 when the row has moved on, and writes nothing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from gql.core.ids import to_global_id
from tests.conftest import IS_POSTGRES
from tests.factories import Api, Tenant, concurrently

ERRORS = "userErrors { field message code }"
NODE = "query($id: ID!) { node(id: $id) { ... on %s { version %s } } }"


# --- the areas, each with a way to make a row and to edit it ----------------------------------


async def _contact(api: Api, tenant: Tenant) -> str:
    return to_global_id("Contact", (await api.contact(tenant))["id"])


async def _document(api: Api, tenant: Tenant) -> str:
    contact = await api.contact(tenant)
    return (await api.document(tenant, to_global_id("Contact", contact["id"])))["id"]  # type: ignore[no-any-return]


async def _item(api: Api, tenant: Tenant) -> str:
    return (await api.item(tenant))["id"]  # type: ignore[no-any-return]


async def _voucher(api: Api, tenant: Tenant) -> str:
    lines = [
        {"accountCode": "1110", "debit": "10", "credit": "0"},
        {"accountCode": "3100", "debit": "0", "credit": "10"},
    ]
    query = f"""mutation($input: VoucherCreateInput!) {{ voucherCreate(input: $input) {{
        voucher {{ id }} {ERRORS} }} }}"""
    payload = await api.mutate(
        "voucherCreate", query, {"date": "2026-03-01", "lines": lines}, tenant
    )
    return payload["voucher"]["id"]  # type: ignore[no-any-return]


async def _deal(api: Api, tenant: Tenant) -> str:
    pipeline = await api.mutate(
        "pipelineCreate",
        f"""mutation($input: PipelineCreateInput!) {{ pipelineCreate(input: $input) {{
            pipeline {{ id }} {ERRORS} }} }}""",
        {"name": "Sales", "stages": [{"name": "New"}]},
        tenant,
    )
    deal = await api.mutate(
        "dealCreate",
        f"""mutation($input: DealCreateInput!) {{ dealCreate(input: $input) {{
            deal {{ id }} {ERRORS} }} }}""",
        {"name": "Big deal", "pipelineId": pipeline["pipeline"]["id"]},
        tenant,
    )
    return deal["deal"]["id"]  # type: ignore[no-any-return]


async def _ticket(api: Api, tenant: Tenant) -> str:
    ticket = await api.mutate(
        "ticketCreate",
        f"""mutation($input: TicketCreateInput!) {{ ticketCreate(input: $input) {{
            ticket {{ id }} {ERRORS} }} }}""",
        {"subject": "Printer on fire"},
        tenant,
    )
    return ticket["ticket"]["id"]  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Area:
    type_name: str
    make: Callable[[Api, Tenant], Awaitable[str]]
    mutation: str  # the edit, taking {id, **change}
    payload_field: str
    change: dict[str, Any]  # what the edit sends, and what the node then reads ("" if none)
    shown: str


AREAS = [
    Area("Contact", _contact, "contactUpdate", "contact", {"name": "Renamed"}, "name"),
    Area("Document", _document, "documentUpdate", "document", {"notes": "Edited"}, "notes"),
    Area("Item", _item, "itemUpdate", "item", {"name": "Renamed"}, "name"),
    # A posted voucher is never edited; its reversal is the write about it.
    Area("Voucher", _voucher, "voucherReverse", "voucher", {}, "reversedBy { id }"),
    Area("Deal", _deal, "dealUpdate", "deal", {"name": "Bigger deal"}, "name"),
    Area("Ticket", _ticket, "ticketUpdate", "ticket", {"subject": "Printer fixed"}, "subject"),
]


def edit_query(area: Area) -> str:
    input_type = area.mutation[0].upper() + area.mutation[1:] + "Input"
    return f"""mutation($input: {input_type}!) {{ {area.mutation}(input: $input) {{
        {area.payload_field} {{ id }} {ERRORS} }} }}"""


async def read(api: Api, tenant: Tenant, area: Area, id: str) -> dict[str, Any]:
    return (await api.data(NODE % (area.type_name, area.shown), {"id": id}, tenant))["node"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("area", AREAS, ids=[a.type_name for a in AREAS])
async def test_version_bumps_and_a_stale_expected_version_is_a_conflict(
    api: Api, area: Area
) -> None:
    # given a new row: version 1
    owner = await api.register()
    id = await area.make(api, owner)
    assert (await read(api, owner, area, id))["version"] == 1

    # when it is edited expecting version 1
    edit = edit_query(area)
    await api.mutate(area.mutation, edit, {"id": id, "expectedVersion": 1, **area.change}, owner)
    # then it is at version 2
    after = await read(api, owner, area, id)
    assert after["version"] == 2

    # when a second edit still expects version 1
    stale = {"id": id, "expectedVersion": 1, **{k: "Lost" for k in area.change}}
    payload = (await api.data(edit, {"input": stale}, owner))[area.mutation]
    # then it is refused naming the current version, and nothing was written
    (error,) = payload["userErrors"]
    assert error["field"] == ["input", "expectedVersion"]
    assert error["code"] == "CONFLICT"
    assert "current version is 2" in error["message"]
    assert await read(api, owner, area, id) == after


async def test_without_expected_version_writes_behave_as_before(api: Api) -> None:
    # given a contact edited twice without an expected version
    owner = await api.register()
    id = await _contact(api, owner)
    edit = edit_query(AREAS[0])
    for name in ("One", "Two"):
        await api.mutate("contactUpdate", edit, {"id": id, "name": name}, owner)
    # then both went through, each a version
    assert await read(api, owner, AREAS[0], id) == {"version": 3, "name": "Two"}


async def test_another_companys_id_with_an_expected_version_is_not_found(api: Api) -> None:
    # given a contact of one company
    owner, stranger = await api.register(), await api.register()
    id = await _contact(api, owner)
    # when another company edits it, expecting its version
    edit = edit_query(AREAS[0])
    payload = (
        await api.data(edit, {"input": {"id": id, "expectedVersion": 1, "name": "X"}}, stranger)
    )["contactUpdate"]
    # then it is simply not found, as an id that does not exist
    assert [e["code"] for e in payload["userErrors"]] == ["NOT_FOUND"]


async def test_compiled_and_resolver_paths_agree_on_version(api: Api, resolver_client) -> None:
    # given a contact at version 2, read on both read paths (a root get and a list)
    owner = await api.register()
    id = await _contact(api, owner)
    await api.mutate("contactUpdate", edit_query(AREAS[0]), {"id": id, "name": "B"}, owner)
    query = """query($id: ID!) { contact(id: $id) { version name }
        contacts(first: 5) { nodes { version name } } }"""
    body = {"query": query, "variables": {"id": id}}
    compiled = await api.client.post("/graphql", json=body, headers=owner.headers)
    reference = await resolver_client.post("/graphql", json=body, headers=owner.headers)
    # then both answer version 2, the compiled path having answered
    assert compiled.json()["extensions"]["executors"] == {
        "contact": "compiled",
        "contacts": "compiled",
    }
    assert compiled.json()["data"] == reference.json()["data"]
    assert compiled.json()["data"]["contact"] == {"version": 2, "name": "B"}


# --- REST: ETag and If-Match -------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/contacts", "/api/documents"])
async def test_rest_etag_and_if_match(api: Api, path: str) -> None:
    # given a contact or a document, read over REST
    owner = await api.register()
    contact = await api.contact(owner)
    if path == "/api/contacts":
        object_id, change = contact["id"], {"name": "Renamed"}
    else:
        document = await api.document(owner, to_global_id("Contact", contact["id"]))
        object_id, change = document["objectId"], {"notes": "Edited"}
    url = f"{path}/{object_id}"
    got = await api.rest("GET", url, owner)
    assert got.status_code == 200, got.text
    assert got.headers["etag"] == '"1"' and got.json()["data"]["version"] == 1

    # when it is written with If-Match of what GET answered
    put = await api.rest("PUT", url, owner, headers={"If-Match": '"1"'}, json=change)
    # then it is at version 2, and the answer says so
    assert put.status_code == 200, put.text
    assert put.json()["data"]["version"] == 2 and put.headers["etag"] == '"2"'

    # when a write or a delete still names version 1
    stale = await api.rest("PUT", url, owner, headers={"If-Match": '"1"'}, json={"notes": "X"})
    gone = await api.rest("DELETE", url, owner, headers={"If-Match": 'W/"1"'})
    # then each is a 409 naming the current version, and nothing was written
    for answer in (stale, gone):
        assert answer.status_code == 409, answer.text
        body = answer.json()
        assert body["code"] == "CONFLICT" and body["currentVersion"] == 2
        assert body["errors"][0]["field"] == "If-Match"
    after = await api.rest("GET", url, owner)
    assert after.headers["etag"] == '"2"' and after.json()["data"] == put.json()["data"]

    # and a malformed If-Match is a 400 naming it; "*" expects no particular version
    bad = await api.rest("PUT", url, owner, headers={"If-Match": "yesterday"}, json=change)
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "If-Match"
    anything = await api.rest("PUT", url, owner, headers={"If-Match": "*"}, json=change)
    assert anything.status_code == 200 and anything.headers["etag"] == '"3"'


async def test_forbix_if_match_is_checked_too(api: Api) -> None:
    # given a customer at version 2
    owner = await api.register()
    contact = await api.contact(owner)
    url = f"/openapi/customers/{contact['id']}"
    await api.rest("PUT", f"/api/contacts/{contact['id']}", owner, json={"name": "B"})
    # when Forbix writes it expecting version 1
    stale = await api.rest("PUT", url, owner, headers={"If-Match": '"1"'}, json={})
    # then it is a 409 naming version 2
    assert stale.status_code == 409, stale.text
    assert stale.json()["currentVersion"] == 2


# --- concurrency ------------------------------------------------------------------------------


@pytest.mark.skipif(not IS_POSTGRES, reason="parallel transactions: PostgreSQL")
async def test_parallel_updates_with_the_same_expected_version_one_wins(api: Api, app) -> None:
    # given a contact at version 1
    owner = await api.register()
    id = await _contact(api, owner)
    edit = edit_query(AREAS[0])
    # when four clients edit it at the same moment, each expecting version 1
    requests = [
        (
            "POST",
            "/graphql",
            {
                "query": edit,
                "variables": {"input": {"id": id, "expectedVersion": 1, "name": f"N{i}"}},
            },
        )
        for i in range(4)
    ]
    responses = await concurrently(app, owner, requests)
    payloads = [r.json()["data"]["contactUpdate"] for r in responses]
    # then exactly one went through; the others are conflicts, never a 500
    assert all(r.status_code == 200 and "errors" not in r.json() for r in responses)
    winners = [p for p in payloads if not p["userErrors"]]
    assert len(winners) == 1, payloads
    assert all(p["userErrors"][0]["code"] == "CONFLICT" for p in payloads if p["userErrors"])
    assert (await read(api, owner, AREAS[0], id))["version"] == 2
