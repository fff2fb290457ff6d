"""Ten identical requests at the same moment on one proposal or contract: exactly one
accept creates exactly one contract, exactly one sign or terminate goes through, and the
others get what a client trying again afterwards would get (INVALID_STATE), nothing
failing unexpectedly.

Each request goes over its own client, so each has its own session and database
connection: on PostgreSQL they really run side by side, on SQLite they queue for the
write lock.
"""

from __future__ import annotations

from typing import Any

from gql.domains.contracts.models import Contract
from tests.factories import Api, count_rows
from tests.test_contracts_graphql import contract, sent
from tests.test_money_concurrency import again, exactly_one_wins, race

ERRORS = "userErrors { field message code }"
ACCEPT = f"""mutation($id: ID!) {{
  proposalAccept(input: {{id: $id, contract: {{startDate: "2026-01-01"}}}}) {{
    proposal {{ status contract {{ objectId }} }} {ERRORS} }} }}"""
SIGN = f"""mutation($id: ID!) {{ contractSign(input: {{id: $id}}) {{
  contract {{ status signedAt }} {ERRORS} }} }}"""
TERMINATE = f"""mutation($id: ID!) {{ contractTerminate(input: {{id: $id}}) {{
  contract {{ status terminatedAt }} {ERRORS} }} }}"""
PROPOSALS = "{ proposals { nodes { status contract { objectId } } } }"


async def test_a_proposal_accepted_ten_times_at_once_makes_one_contract(api: Api, app: Any) -> None:
    # given a sent proposal
    owner = await api.register()
    customer = await api.contact(owner)
    offer = await sent(api, owner, customer["id"])
    # when ten requests accept it, each asking for its contract, at the same moment
    payloads = await race(app, owner, ACCEPT, offer["id"])
    # then one accepts it and the others are told it is accepted already, as a retry is
    retry = await again(api, owner, ACCEPT, offer["id"])
    assert retry["userErrors"] == [
        {
            "field": ["input", "id"],
            "message": "Only a sent proposal can be accepted; this one is accepted",
            "code": "INVALID_STATE",
        }
    ]
    exactly_one_wins(payloads, retry)
    (winner,) = [p for p in payloads if not p["userErrors"]]
    # and there is one contract, the one the accepted proposal links to
    assert await count_rows(app, Contract, owner.company_id) == 1
    listed = await api.data(PROPOSALS, None, owner)
    assert listed["proposals"]["nodes"] == [winner["proposal"]]
    assert winner["proposal"]["status"] == "ACCEPTED" and winner["proposal"]["contract"]


async def test_a_contract_signed_or_terminated_ten_times_at_once_moves_once(
    api: Api, app: Any
) -> None:
    owner = await api.register()
    customer = await api.contact(owner)
    draft = await contract(api, owner, customer["id"])
    # signed by ten requests at once: one signs, the others find it signed
    payloads = await race(app, owner, SIGN, draft["id"])
    retry = await again(api, owner, SIGN, draft["id"])
    assert retry["userErrors"][0]["code"] == "INVALID_STATE"
    exactly_one_wins(payloads, retry)
    signed_at = {p["contract"]["signedAt"] for p in payloads if not p["userErrors"]}
    # terminated by ten at once: one terminates it, the others find it terminated
    payloads = await race(app, owner, TERMINATE, draft["id"])
    retry = await again(api, owner, TERMINATE, draft["id"])
    assert retry["userErrors"][0]["message"] == "The contract is already terminated"
    exactly_one_wins(payloads, retry)
    final = await api.data(
        "query($id: ID!) { contract(id: $id) { status signedAt } }", {"id": draft["id"]}, owner
    )
    assert final["contract"]["status"] == "TERMINATED"
    assert {final["contract"]["signedAt"]} == signed_at
