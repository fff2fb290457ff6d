"""Rows a delete removes or changes besides the one it names are audited with it, in
its transaction: a document's lines (deleted by the service), and the rows whose
foreign key the database itself sets to null (`ON DELETE SET NULL`)."""

from __future__ import annotations

from typing import Any

from sqlmodel import SQLModel

import gql.models  # noqa: F401  (every table in the metadata)
from gql.core import audit
from tests.bankfeeds import RULE_DELETE, category, connection, imported, rule
from tests.factories import Api
from tests.test_audit_trail import changes, events

DOCUMENT_DELETE = """mutation($input: DocumentIdInput!) {
  documentDelete(input: $input) { userErrors { field message code } } }"""


def deleted_by_entity(found: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    by_entity: dict[str, list[dict[str, Any]]] = {}
    for e in found:
        if e["action"] == "deleted":
            by_entity.setdefault(e["entity"], []).append(e)
    return by_entity


async def test_deleting_a_document_audits_its_lines_with_their_old_values(api: Api) -> None:
    # given a draft with two lines
    owner = await api.register()
    contact = await api.contact(owner)
    lines = [
        {"name": "Work", "quantity": "2", "unitPrice": "10.05"},
        {"name": "Travel", "quantity": "1", "unitPrice": "7.50"},
    ]
    doc = await api.document(owner, contact["id"], lines=lines)

    # when it is deleted
    await api.mutate("documentDelete", DOCUMENT_DELETE, {"id": doc["id"]}, owner)

    # then the document and each line have a `deleted` event with their old values
    deleted = deleted_by_entity(await events(api, owner))
    assert [e["entityId"] for e in deleted["Document"]] == [doc["objectId"]]
    old = sorted(
        (changes(e)["name"][0], changes(e)["unitPrice"][0]) for e in deleted["DocumentLine"]
    )
    assert old == [("Travel", "7.5000"), ("Work", "10.0500")]
    assert {e["operation"] for e in deleted["DocumentLine"]} == {"documentDelete"}


async def test_a_rule_deleted_leaves_an_update_on_each_line_the_database_unlinked(api: Api) -> None:
    # given imported lines that a rule categorised
    owner = await api.register()
    feed = await connection(api, owner)
    coffee = await category(api, owner, "Coffee", "EXPENSE")
    made = await rule(api, owner, "STARBUCKS", coffee["id"])
    lines = (await imported(api, owner, feed["id"]))["feedTransactions"]
    by_rule = {line["objectId"] for line in lines if line["rule"]}
    assert len(by_rule) == 2

    # when the rule is deleted (the lines' rule_id: ON DELETE SET NULL)
    await api.mutate("bankRuleDelete", RULE_DELETE, {"id": made["id"]}, owner)

    # then each of those lines has an update from the rule to null, by that mutation
    updates = [
        e
        for e in await events(api, owner, entity="BankFeedTransaction")
        if e["operation"] == "bankRuleDelete"
    ]
    assert {e["entityId"] for e in updates} == by_rule
    assert {e["action"] for e in updates} == {"updated"}
    assert all(changes(e) == {"ruleId": (made["objectId"], None)} for e in updates)


def test_the_only_foreign_key_action_is_the_one_the_audit_follows() -> None:
    # A CASCADE (or SET DEFAULT) would change rows that no audited statement names.
    actions = {
        (fk.ondelete or "").upper()
        for table in SQLModel.metadata.sorted_tables
        for fk in table.foreign_keys
    }
    assert actions <= {"", "NO ACTION", "RESTRICT", audit.AUDITED_ONDELETE}
