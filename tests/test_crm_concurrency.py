"""Ten conversions of one lead at the same moment create exactly one contact and one
deal; ten wins of one deal close it once. Each request has its own client, session and
connection, so on PostgreSQL they really run side by side (on SQLite they would only
queue for the write lock, which proves nothing: skipped there)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from gql.domains.contacts.models import Contact
from gql.domains.crm.models import Deal
from tests.conftest import IS_POSTGRES
from tests.factories import Api, concurrently, count_rows, tenant_db

pytestmark = pytest.mark.skipif(not IS_POSTGRES, reason="parallel requests need PostgreSQL")

N = 10
ERRORS = "userErrors { field message code }"
PIPELINE = f"""mutation($input: PipelineCreateInput!) {{ pipelineCreate(input: $input) {{
  pipeline {{ id stages {{ id }} }} {ERRORS} }} }}"""
LEAD = f"""mutation($input: LeadCreateInput!) {{ leadCreate(input: $input) {{
  lead {{ id }} {ERRORS} }} }}"""
CONVERT = f"""mutation($input: LeadConvertInput!) {{ leadConvert(input: $input) {{
  lead {{ status contact {{ id }} deal {{ id }} }} contact {{ id }} deal {{ id }} {ERRORS} }} }}"""
WIN = f"""mutation($input: DealIdInput!) {{ dealWin(input: $input) {{
  deal {{ status }} {ERRORS} }} }}"""


def _payloads(responses: list[Any]) -> list[dict[str, Any]]:
    out = []
    for response in responses:
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body["errors"]  # nothing masked, nothing locked
        (payload,) = body["data"].values()
        out.append(payload)
    return out


async def test_ten_conversions_of_one_lead_create_one_contact_and_one_deal(api: Api, app: Any):
    # given a lead and a pipeline
    owner = await api.register()
    pipeline = (
        await api.mutate(
            "pipelineCreate", PIPELINE, {"name": "Sales", "stages": [{"name": "New"}]}, owner
        )
    )["pipeline"]
    lead = (await api.mutate("leadCreate", LEAD, {"name": "Ada"}, owner))["lead"]
    contacts_before = await count_rows(app, Contact, owner.company_id)
    # when ten requests convert it, with a deal, at once
    input = {"id": lead["id"], "deal": {"pipelineId": pipeline["id"], "value": "10"}}
    request = ("POST", "/graphql", {"query": CONVERT, "variables": {"input": input}})
    payloads = _payloads(await concurrently(app, owner, [request] * N))
    # then one converts it; the others are refused as a retry is
    winners = [p for p in payloads if not p["userErrors"]]
    assert len(winners) == 1, payloads
    refusal = [
        {
            "field": ["input", "id"],
            "message": "The lead is already converted",
            "code": "INVALID_STATE",
        }
    ]
    assert all(p["userErrors"] == refusal for p in payloads if p["userErrors"])
    # and exactly one contact and one deal exist, the ones the lead points to
    assert await count_rows(app, Contact, owner.company_id) == contacts_before + 1
    assert await count_rows(app, Deal, owner.company_id) == 1
    (won,) = winners
    assert won["lead"]["contact"]["id"] == won["contact"]["id"]
    assert won["lead"]["deal"]["id"] == won["deal"]["id"]


async def test_ten_wins_of_one_deal_close_it_once(api: Api, app: Any):
    owner = await api.register()
    pipeline = (
        await api.mutate(
            "pipelineCreate", PIPELINE, {"name": "Sales", "stages": [{"name": "New"}]}, owner
        )
    )["pipeline"]
    deal = await api.data(
        'mutation($p: ID!) { dealCreate(input: {name: "D", pipelineId: $p}) { deal { id } } }',
        {"p": pipeline["id"]},
        owner,
    )
    deal_id = deal["dealCreate"]["deal"]["id"]
    request = ("POST", "/graphql", {"query": WIN, "variables": {"input": {"id": deal_id}}})
    payloads = _payloads(await concurrently(app, owner, [request] * N))
    assert len([p for p in payloads if not p["userErrors"]]) == 1, payloads
    assert {p["userErrors"][0]["message"] for p in payloads if p["userErrors"]} == {
        "The deal is already won"
    }
    async with tenant_db(app, owner.company_id) as session:
        closed = await session.scalar(
            select(func.count()).select_from(Deal).where(Deal.status == "won")
        )
    assert closed == 1
