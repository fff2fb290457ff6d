"""Where the areas of issue 10 meet: a proposal written for a CRM deal, and a contact
that CRM or helpdesk rows name, which is then not deleted."""

from __future__ import annotations

from typing import Any

from tests.factories import DIRECT_VIEWER_STATEMENTS, Api
from tests.helpdesk import ticket
from tests.test_contracts_graphql import PROPOSAL_CREATE, PROPOSAL_UPDATE, contract, on_both_paths
from tests.test_crm_graphql import ACTIVITY_CREATE, DEAL_DELETE, deal, pipeline

PROPOSAL_DEAL = """query($id: ID!) { proposal(id: $id) { title deal { name contact { name } } } }"""


async def _proposal(api: Api, tenant: Any, **fields: Any) -> dict[str, Any]:
    body = {"title": "Fit-out", "sections": [{"title": "Scope", "body": "All"}], **fields}
    return (await api.data(PROPOSAL_CREATE, {"input": body}, tenant))["proposalCreate"]  # type: ignore[no-any-return]


async def test_a_proposal_is_written_for_a_deal_of_its_contact(api, resolver_client):
    owner = await api.register()
    acme, globex = await api.contact(owner, name="Acme"), await api.contact(owner, name="Globex")
    sales = await pipeline(api, owner)
    acme_deal = await deal(api, owner, sales["id"], name="Acme refit", contactId=acme["id"])
    open_deal = await deal(api, owner, sales["id"], name="No contact yet")

    made = await _proposal(api, owner, contactId=acme["id"], dealId=acme_deal["id"])
    assert made["userErrors"] == []
    data = await on_both_paths(
        api, resolver_client, owner, PROPOSAL_DEAL, id=made["proposal"]["id"]
    )
    assert data["proposal"]["deal"] == {"name": "Acme refit", "contact": {"name": "Acme"}}
    listed = await api.data(
        "query($deal: ID) { proposals(filter: {dealId: $deal}) { totalCount } }",
        {"deal": acme_deal["id"]},
        owner,
    )
    assert listed["proposals"]["totalCount"] == 1

    # A deal of another contact is refused; one without a contact is fine.
    other = await _proposal(api, owner, contactId=globex["id"], dealId=acme_deal["id"])
    assert other["userErrors"] == [
        {
            "field": ["input", "dealId"],
            "message": "The deal is with another contact",
            "code": "INVALID",
        }
    ]
    assert (await _proposal(api, owner, contactId=globex["id"], dealId=open_deal["id"]))[
        "userErrors"
    ] == []
    # Changing the contact away from the deal's is refused too.
    moved = await api.data(
        PROPOSAL_UPDATE,
        {"input": {"id": made["proposal"]["id"], "contactId": globex["id"]}},
        owner,
    )
    assert moved["proposalUpdate"]["userErrors"][0]["field"] == ["input", "dealId"]


async def test_another_companys_deal_is_not_found_for_a_proposal(api):
    owner, stranger = await api.register(), await api.register()
    theirs = await deal(api, stranger, (await pipeline(api, stranger))["id"])
    contact = await api.contact(owner)
    made = await _proposal(api, owner, contactId=contact["id"], dealId=theirs["id"])
    assert [(e["field"], e["code"]) for e in made["userErrors"]] == [
        (["input", "dealId"], "NOT_FOUND")
    ]


async def test_deleting_a_deal_keeps_its_proposals_without_it(api):
    owner = await api.register()
    contact = await api.contact(owner)
    sold = await deal(api, owner, (await pipeline(api, owner))["id"], contactId=contact["id"])
    made = await _proposal(api, owner, contactId=contact["id"], dealId=sold["id"])
    deleted = await api.data(DEAL_DELETE, {"input": {"id": sold["id"]}}, owner)
    assert deleted["dealDelete"]["userErrors"] == []
    data = await api.data(PROPOSAL_DEAL, {"id": made["proposal"]["id"]}, owner)
    assert data["proposal"] == {"title": "Fit-out", "deal": None}


async def test_a_contact_with_deals_activities_or_tickets_is_not_deleted(api):
    owner = await api.register()
    with_deal, with_activity, with_ticket = [await api.contact(owner) for _ in range(3)]
    await deal(api, owner, (await pipeline(api, owner))["id"], contactId=with_deal["id"])
    activity = {"type": "CALL", "subject": "Ring", "contactId": with_activity["id"]}
    assert (await api.data(ACTIVITY_CREATE, {"input": activity}, owner))["activityCreate"][
        "userErrors"
    ] == []
    await ticket(api, owner, contactId=with_ticket["id"])
    for contact, what in (
        (with_deal, "deals"),
        (with_activity, "activities"),
        (with_ticket, "tickets"),
    ):
        r = await api.rest("DELETE", f"/api/contacts/{contact['id']}", owner)
        assert r.status_code == 400, r.text
        assert r.json()["errors"][0]["code"] == "IN_USE"
        assert what in r.json()["errors"][0]["message"]
    unused = await api.contact(owner)
    assert (await api.rest("DELETE", f"/api/contacts/{unused['id']}", owner)).status_code == 200


CONTACT_EVERYTHING = """query($first: Int!) { contacts(first: $first, orderBy: {field: NAME}) {
  nodes { name
    deals { totalCount nodes { name stage { name } pipeline { name } } }
    activities { nodes { subject overdue } }
    tickets { totalCount nodes { number breached category { name } } }
    contracts { nodes { title status } }
    proposals { nodes { title deal { name } } } } } }"""


async def test_a_contact_reaches_deals_activities_tickets_contracts_and_proposals_at_once(
    api, resolver_client, sql_counter
):
    # given 6 contacts, each with a deal, an activity, a ticket, a contract and a proposal
    owner = await api.register()
    sales = await pipeline(api, owner)
    for n in range(6):
        contact = await api.contact(owner, name=f"Contact {n}")
        sold = await deal(api, owner, sales["id"], name=f"Deal {n}", contactId=contact["id"])
        activity = {"type": "CALL", "subject": f"Call {n}", "contactId": contact["id"]}
        await api.data(ACTIVITY_CREATE, {"input": activity}, owner)
        await ticket(api, owner, contactId=contact["id"])
        await contract(api, owner, contact["id"], title=f"Contract {n}")
        await _proposal(api, owner, contactId=contact["id"], dealId=sold["id"])
    # when pages of 2 and of 6 contacts ask for all five edges
    counts = []
    for first in (2, 6):
        data = await on_both_paths(api, resolver_client, owner, CONTACT_EVERYTHING, first=first)
        sql_counter.reset()
        await api.gql(CONTACT_EVERYTHING, {"first": first}, owner)
        counts.append(sql_counter.count)
    # then the compiled path answers each page in one statement, and the answers are whole
    assert counts == [DIRECT_VIEWER_STATEMENTS + 1] * 2, sql_counter.statements
    node = data["contacts"]["nodes"][5]
    assert node["deals"]["nodes"] == [
        {"name": "Deal 5", "stage": {"name": "Lead in"}, "pipeline": {"name": "Sales"}}
    ]
    assert node["activities"]["nodes"] == [{"subject": "Call 5", "overdue": False}]
    assert node["tickets"]["totalCount"] == 1
    assert node["contracts"]["nodes"] == [{"title": "Contract 5", "status": "DRAFT"}]
    assert node["proposals"]["nodes"] == [{"title": "Fit-out", "deal": {"name": "Deal 5"}}]
