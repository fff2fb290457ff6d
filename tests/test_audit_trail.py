"""Audit trail: every write of both dialects leaves audit rows in its own transaction,
with the values before and after; owners and admins read them, per company only."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from tests.conftest import IS_POSTGRES
from tests.factories import (
    DIRECT_VIEWER_STATEMENTS,
    VIEWER_STATEMENTS,
    Api,
    Tenant,
    member_of,
    statements_per_page,
    tenant_db,
)

ERRORS = "userErrors { field message code }"
EVENTS = """
query($filter: AuditEventFilter, $first: Int) {
  auditEvents(filter: $filter, first: $first) {
    totalCount
    nodes { entity entityId action operation userId changes { field old new } }
  }
}"""
CONTACT_UPDATE = f"""mutation($input: ContactUpdateInput!) {{
  contactUpdate(input: $input) {{ contact {{ id }} {ERRORS} }} }}"""
CONTACT_DELETE = f"""mutation($input: ContactDeleteInput!) {{
  contactDelete(input: $input) {{ deletedContactId {ERRORS} }} }}"""
ITEM_UPDATE = f"""mutation($input: ItemUpdateInput!) {{
  itemUpdate(input: $input) {{ item {{ id }} {ERRORS} }} }}"""
ISSUE = f"""mutation($input: DocumentIdInput!) {{
  documentIssue(input: $input) {{ document {{ status }} {ERRORS} }} }}"""
ACCOUNT_CREATE = f"""mutation($input: AccountCreateInput!) {{
  accountCreate(input: $input) {{ account {{ id objectId }} {ERRORS} }} }}"""
PAY = f"""mutation($input: DocumentPaymentCreateInput!) {{ documentPaymentCreate(input: $input) {{
  transaction {{ objectId }} {ERRORS} }} }}"""
CONTACT_EVENTS = """query($id: ID!) { contact(id: $id) {
  auditEvents(first: 10) { totalCount nodes { action operation } } } }"""


async def events(api: Api, tenant: Tenant, **filter: Any) -> list[dict[str, Any]]:
    data = await api.data(EVENTS, {"filter": filter, "first": 100}, tenant)
    return data["auditEvents"]["nodes"]  # type: ignore[no-any-return]


def changes(event: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {c["field"]: (c["old"], c["new"]) for c in event["changes"]}


def by_action(found: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {e["action"]: e for e in found}


async def test_contact_written_over_graphql_leaves_created_updated_deleted(api: Api) -> None:
    owner = await api.register()
    created = await api.mutate(
        "contactCreate",
        f"""mutation($input: ContactCreateInput!) {{
          contactCreate(input: $input) {{ contact {{ id objectId }} {ERRORS} }} }}""",
        {"name": "Acme", "email": "a@acme.example", "type": "CUSTOMER"},
        owner,
    )
    contact_id = created["contact"]["id"]
    await api.mutate("contactUpdate", CONTACT_UPDATE, {"id": contact_id, "name": "Acme Ltd"}, owner)
    await api.mutate("contactDelete", CONTACT_DELETE, {"id": contact_id}, owner)

    found = by_action(await events(api, owner, entity="Contact", entityId=contact_id))
    assert set(found) == {"created", "updated", "deleted"}
    assert {e["operation"] for e in found.values()} == {
        "contactCreate",
        "contactUpdate",
        "contactDelete",
    }
    assert all(e["userId"] == owner.user_id for e in found.values())
    assert changes(found["created"])["name"] == (None, "Acme")
    assert changes(found["updated"]) == {"name": ("Acme", "Acme Ltd")}
    assert changes(found["deleted"])["name"] == ("Acme Ltd", None)
    assert changes(found["deleted"])["email"] == ("a@acme.example", None)


async def test_contact_written_over_rest_and_money_kept_exact(api: Api) -> None:
    owner = await api.register()
    contact = await api.contact(owner, name="Rest Co")
    path = f"/api/contacts/{contact['id']}"
    assert (await api.rest("PUT", path, owner, json={"name": "Rest Co 2"})).status_code == 200
    assert (await api.rest("DELETE", path, owner)).status_code == 200
    found = by_action(await events(api, owner, entityId=contact["id"]))
    assert found["created"]["operation"] == "POST /api/contacts"
    assert found["updated"]["operation"] == f"PUT {path}"
    assert found["deleted"]["operation"] == f"DELETE {path}"
    assert changes(found["updated"])["name"] == ("Rest Co", "Rest Co 2")

    # Money: exact strings, old and new, whatever the database stores it as.
    item = await api.item(owner, salePrice="10.10")
    await api.mutate("itemUpdate", ITEM_UPDATE, {"id": item["id"], "salePrice": "12.35"}, owner)
    updated = by_action(await events(api, owner, entity="Item", entityId=item["objectId"]))
    assert changes(updated["created"])["salePrice"] == (None, "10.1000")  # at the column's scale
    assert changes(updated["updated"]) == {"salePrice": ("10.1000", "12.3500")}


async def test_document_issue_and_payment_are_audited(api: Api) -> None:
    owner = await api.register()
    contact = await api.contact(owner)
    doc = await api.document(
        owner, contact["id"], lines=[{"name": "Work", "quantity": "1", "unitPrice": "100.05"}]
    )
    await api.mutate("documentIssue", ISSUE, {"id": doc["id"]}, owner)
    account = await api.mutate(
        "accountCreate", ACCOUNT_CREATE, {"name": "Bank", "type": "BANK"}, owner
    )
    paid = await api.mutate(
        "documentPaymentCreate",
        PAY,
        {"documentId": doc["id"], "accountId": account["account"]["id"], "amount": "40.02"},
        owner,
    )
    on_document = await events(api, owner, entity="Document", entityId=doc["objectId"])
    operations = {e["operation"]: e for e in on_document}
    assert operations["documentCreate"]["action"] == "created"
    assert changes(operations["documentCreate"])["total"] == (None, "100.05")
    assert changes(operations["documentIssue"])["status"] == ("draft", "sent")
    assert changes(operations["documentPaymentCreate"])["status"] == ("sent", "partial")
    # (what a guarded UPDATE increments is its old value plus the increment: the old
    # value as read and locked before it, the new one not read back)
    assert changes(operations["documentIssue"])["version"] == (1, 2)
    assert changes(operations["documentPaymentCreate"]) == {
        "amountPaid": ("0.00", "40.02"),
        "status": ("sent", "partial"),
        "version": (2, 3),
    }
    payment = await events(api, owner, entity="Transaction")
    assert [p["entityId"] for p in payment] == [paid["transaction"]["objectId"]]
    assert changes(payment[0])["amount"] == (None, "40.02")
    # The vouchers the issue and the payment posted are audited too; derived rows not.
    vouchers = await events(api, owner, entity="Voucher")
    assert {v["operation"] for v in vouchers} >= {"documentIssue", "documentPaymentCreate"}
    assert await events(api, owner, entity="LedgerBalance") == []


# One write per area: (mutation, input type, input, the type it audits).
AREA_WRITES: list[tuple[str, str, dict[str, Any], str]] = [
    ("categoryCreate", "CategoryCreateInput", {"name": "Tools", "type": "EXPENSE"}, "Category"),
    (
        "ledgerAccountCreate",
        "LedgerAccountCreateInput",
        {"code": "1999", "name": "Float", "type": "ASSET"},
        "LedgerAccount",
    ),
    ("accountCreate", "AccountCreateInput", {"name": "Till", "type": "CASH"}, "Account"),
    (
        "pipelineCreate",
        "PipelineCreateInput",
        {"name": "Sales", "stages": [{"name": "New"}]},
        "Pipeline",
    ),
    ("ticketCategoryCreate", "TicketCategoryCreateInput", {"name": "Billing"}, "TicketCategory"),
    ("projectCreate", "ProjectCreateInput", {"name": "Site"}, "Project"),
    ("departmentCreate", "DepartmentCreateInput", {"name": "Ops"}, "Department"),
    ("warehouseCreate", "WarehouseCreateInput", {"name": "North"}, "Warehouse"),
    ("posTerminalCreate", "PosTerminalCreateInput", {"name": "Till 1"}, "PosTerminal"),
]
VOUCHER_LINES = [
    {"accountCode": "6000", "debit": "5.25"},
    {"accountCode": "1110", "credit": "5.25"},
]


async def test_one_write_of_every_area_leaves_audit_rows(api: Api) -> None:
    owner = await api.register()
    contact = await api.contact(owner)
    writes = [
        *AREA_WRITES,
        (
            "contractCreate",
            "ContractCreateInput",
            {"title": "S", "contactId": contact["id"]},
            "Contract",
        ),
        (
            "voucherCreate",
            "VoucherCreateInput",
            {"date": "2026-06-30", "description": "Manual", "lines": VOUCHER_LINES},
            "Voucher",
        ),
        # Last: the POS module off (a ModuleLicense row of the company).
        ("moduleSet", "ModuleSetInput", {"alias": "pos", "enabled": False}, "ModuleLicense"),
    ]
    for name, input_type, input, _entity in writes:
        query = f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ {ERRORS} }} }}"
        await api.mutate(name, query, input, owner)
    found = await events(api, owner)
    by_operation: dict[str, set[str]] = {}
    for e in found:
        by_operation.setdefault(e["operation"], set()).add(e["entity"])
    for name, _input_type, _input, entity in writes:
        assert name in by_operation, name
        assert entity in by_operation[name], (name, by_operation[name])
    category = await api.data("{ categories(first: 1) { nodes { objectId } } }", None, owner)
    rule = {"pattern": "RENT", "categoryId": category["categories"]["nodes"][0]["objectId"]}
    await api.mutate(
        "bankRuleCreate",
        f"mutation($input: BankRuleCreateInput!) {{ bankRuleCreate(input: $input) {{ {ERRORS} }} }}",
        rule,
        owner,
    )
    assert [e["operation"] for e in await events(api, owner, entity="BankRule")] == [
        "bankRuleCreate"
    ]


async def test_a_refused_write_leaves_no_audit_row(api: Api) -> None:
    owner = await api.register()
    contact = await api.contact(owner)
    before = len(await events(api, owner))
    payload = (await api.data(CONTACT_UPDATE, {"input": {"id": contact["id"], "name": ""}}, owner))[
        "contactUpdate"
    ]
    assert payload["userErrors"]
    r = await api.rest("PUT", f"/api/contacts/{contact['id']}", owner, json={"email": 5})
    assert r.status_code == 400
    assert len(await events(api, owner)) == before


async def test_another_companys_audit_rows_are_invisible(api: Api) -> None:
    owner, other = await api.register(), await api.register()
    contact = await api.contact(owner)
    assert await events(api, other, entityId=contact["id"]) == []
    assert all(e["entityId"] != contact["id"] for e in await events(api, other))
    r = await api.rest("GET", f"/api/audit?id={contact['id']}", other)
    assert r.status_code == 200 and r.json()["data"] == [], r.text
    data = await api.gql(CONTACT_EVENTS, {"id": contact["id"]}, other)
    assert data["data"]["contact"] is None


async def test_only_owners_and_admins_read_the_trail(api: Api, app: Any) -> None:
    owner = await api.register()
    contact = await api.contact(owner)
    admin = await member_of(api, app, owner, "admin")
    assert [e["action"] for e in await events(api, admin, entityId=contact["id"])] == ["created"]
    for role in ("accountant", "staff", "viewer"):
        member = await member_of(api, app, owner, role)
        body = await api.gql(EVENTS, {}, member)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", role
        nested = await api.gql(CONTACT_EVENTS, {"id": contact["id"]}, member)
        assert nested["errors"][0]["extensions"]["code"] == "FORBIDDEN", role
        r = await api.rest("GET", f"/api/audit?id={contact['id']}", member)
        assert r.status_code == 403, role


async def test_rest_list_in_the_numbors_envelope(api: Api) -> None:
    owner = await api.register()
    contact = await api.contact(owner)
    path = f"/api/contacts/{contact['id']}"
    for n in range(3):
        await api.rest("PUT", path, owner, json={"name": f"Name {n}"})
    r = await api.rest("GET", f"/api/audit?entity=Contact&id={contact['id']}&limit=2", owner)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["success"] is True
    assert body["pagination"] == {"page": 1, "limit": 2, "total": 4, "pages": 2}
    newest = body["data"][0]
    assert newest["action"] == "updated" and newest["operation"] == f"PUT {path}"
    assert newest["changes"] == [{"field": "name", "old": "Name 1", "new": "Name 2"}]
    bad = await api.rest("GET", "/api/audit?from=yesterday", owner)
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "from"


NESTED = """query($first: Int!) { contacts(first: $first) {
  nodes { name auditEvents(first: 5) { totalCount nodes { action entity createdAt } } } } }"""
LIST = """query($first: Int!) { auditEvents(first: $first) {
  totalCount nodes { action entity entityId operation createdAt } } }"""


@pytest.mark.parametrize("query", [LIST, NESTED], ids=["auditEvents", "Contact.auditEvents"])
async def test_statement_counts_do_not_grow_with_the_page(
    api: Api, sql_counter: Any, query: str
) -> None:
    owner = await api.register()
    for _ in range(4):
        await api.contact(owner)
    counts = [count for count, _ in await statements_per_page(api, sql_counter, query, owner)]
    assert counts[0] == counts[1], sql_counter.statements
    # Compiled: the viewer and one statement for the whole tree.
    assert counts[1] <= max(VIEWER_STATEMENTS, DIRECT_VIEWER_STATEMENTS) + 1


@pytest.mark.skipif(not IS_POSTGRES, reason="SQLite has no roles")
async def test_the_app_role_cannot_change_or_delete_audit_rows(api: Api, app: Any) -> None:
    owner = await api.register()
    await api.contact(owner)
    async with tenant_db(app, owner.company_id) as session:
        assert await session.scalar(text("SELECT count(*) FROM audit_event")) > 0
        for statement in ("UPDATE audit_event SET action = 'x'", "DELETE FROM audit_event"):
            with pytest.raises(Exception, match="permission denied"):
                await session.execute(text(statement))
            await session.rollback()


async def test_both_read_paths_answer_alike(api: Api, resolver_client: Any) -> None:
    owner = await api.register()
    contact = await api.contact(owner)
    await api.rest("PUT", f"/api/contacts/{contact['id']}", owner, json={"name": "Renamed"})
    for query in (LIST, NESTED):
        compiled = await api.data(query, {"first": 5}, owner)
        r = await resolver_client.post(
            "/graphql", json={"query": query, "variables": {"first": 5}}, headers=owner.headers
        )
        assert "errors" not in r.json() and r.json()["data"] == compiled
