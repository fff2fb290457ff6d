"""Audit trail: every write of both dialects leaves audit rows, in its own transaction."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import Api, Tenant

EVENTS = """
query($filter: AuditEventFilter, $first: Int) {
  auditEvents(filter: $filter, first: $first) {
    totalCount
    nodes { entity entityId action operation userId changes { field old new } }
  }
}"""


async def events(api: Api, tenant: Tenant, **filter: Any) -> list[dict[str, Any]]:
    data = await api.data(EVENTS, {"filter": filter, "first": 100}, tenant)
    return data["auditEvents"]["nodes"]  # type: ignore[no-any-return]


def changes(event: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {c["field"]: (c["old"], c["new"]) for c in event["changes"]}


@pytest.mark.asyncio
async def test_smoke(api: Api) -> None:
    owner = await api.register()
    contact = await api.contact(owner, email="a@example.com")
    r = await api.rest("PUT", f"/api/contacts/{contact['id']}", owner, json={"name": "New"})
    assert r.status_code == 200, r.text
    found = await events(api, owner, entityId=contact["id"])
    print(found)
    assert found
