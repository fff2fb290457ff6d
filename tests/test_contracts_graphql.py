"""Contracts and proposals over GraphQL: writing them, the status a contract has on the
day it is read (on both read paths), the moves that make sense and the refusal of
those that do not, accepting a proposal into its contract, and the lists' filters and
orders."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import update

from gql.domains.contracts.models import Contract
from tests.factories import Api, Tenant, tenant_db

ERRORS = "userErrors { field message code }"
CONTRACT_FIELDS = """id objectId title description startDate endDate status signedAt
    terminatedAt terminationReason currencyCode value { amount currency }
    contact { name } proposal { title }"""
CONTRACT_CREATE = f"""mutation($input: ContractCreateInput!) {{
  contractCreate(input: $input) {{ contract {{ {CONTRACT_FIELDS} }} {ERRORS} }} }}"""
CONTRACT_UPDATE = f"""mutation($input: ContractUpdateInput!) {{
  contractUpdate(input: $input) {{ contract {{ {CONTRACT_FIELDS} }} {ERRORS} }} }}"""
CONTRACT_SIGN = f"""mutation($input: ContractSignInput!) {{
  contractSign(input: $input) {{ contract {{ {CONTRACT_FIELDS} }} {ERRORS} }} }}"""
CONTRACT_TERMINATE = f"""mutation($input: ContractTerminateInput!) {{
  contractTerminate(input: $input) {{ contract {{ {CONTRACT_FIELDS} }} {ERRORS} }} }}"""
CONTRACT_DELETE = f"""mutation($input: ContractDeleteInput!) {{
  contractDelete(input: $input) {{ deletedContractId {ERRORS} }} }}"""
CONTRACT = f"query($id: ID!) {{ contract(id: $id) {{ {CONTRACT_FIELDS} }} }}"
CONTRACTS = """query($filter: ContractFilter, $orderBy: ContractOrder) {
  contracts(filter: $filter, orderBy: $orderBy) { totalCount nodes { title status } } }"""

PROPOSAL_FIELDS = """id objectId title status value { amount currency } currencyCode sentAt
    acceptedAt declinedAt contact { name } sections { position title body }
    contract { title status startDate endDate value { amount currency } contact { name } }"""
PROPOSAL_CREATE = f"""mutation($input: ProposalCreateInput!) {{
  proposalCreate(input: $input) {{ proposal {{ {PROPOSAL_FIELDS} }} {ERRORS} }} }}"""
PROPOSAL_UPDATE = f"""mutation($input: ProposalUpdateInput!) {{
  proposalUpdate(input: $input) {{ proposal {{ {PROPOSAL_FIELDS} }} {ERRORS} }} }}"""
PROPOSAL_SEND = f"""mutation($input: ProposalIdInput!) {{
  proposalSend(input: $input) {{ proposal {{ {PROPOSAL_FIELDS} }} {ERRORS} }} }}"""
PROPOSAL_ACCEPT = f"""mutation($input: ProposalAcceptInput!) {{
  proposalAccept(input: $input) {{ proposal {{ {PROPOSAL_FIELDS} }} {ERRORS} }} }}"""
PROPOSAL_DECLINE = f"""mutation($input: ProposalIdInput!) {{
  proposalDecline(input: $input) {{ proposal {{ {PROPOSAL_FIELDS} }} {ERRORS} }} }}"""
PROPOSAL_DELETE = f"""mutation($input: ProposalIdInput!) {{
  proposalDelete(input: $input) {{ deletedProposalId {ERRORS} }} }}"""
PROPOSAL = f"query($id: ID!) {{ proposal(id: $id) {{ {PROPOSAL_FIELDS} }} }}"
PROPOSALS = """query($filter: ProposalFilter, $orderBy: ProposalOrder) {
  proposals(filter: $filter, orderBy: $orderBy) { totalCount nodes { title status } } }"""

TODAY = date.today()


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


# --- helpers ------------------------------------------------------------------------------------


async def contract(api: Api, tenant: Tenant, contact_id: str, **fields: Any) -> dict[str, Any]:
    body = {"title": "Support agreement", "contactId": contact_id, **fields}
    return (await api.mutate("contractCreate", CONTRACT_CREATE, body, tenant))["contract"]  # type: ignore[no-any-return]


async def signed(api: Api, tenant: Tenant, contact_id: str, **fields: Any) -> dict[str, Any]:
    draft = await contract(api, tenant, contact_id, **fields)
    payload = await api.mutate("contractSign", CONTRACT_SIGN, {"id": draft["id"]}, tenant)
    return payload["contract"]  # type: ignore[no-any-return]


async def proposal(api: Api, tenant: Tenant, contact_id: str, **fields: Any) -> dict[str, Any]:
    body = {
        "title": "Website redesign",
        "contactId": contact_id,
        "value": "4800",
        "sections": [{"title": "Scope", "body": "Ten pages"}, {"title": "Price", "body": "4800"}],
        **fields,
    }
    return (await api.mutate("proposalCreate", PROPOSAL_CREATE, body, tenant))["proposal"]  # type: ignore[no-any-return]


async def sent(api: Api, tenant: Tenant, contact_id: str, **fields: Any) -> dict[str, Any]:
    draft = await proposal(api, tenant, contact_id, **fields)
    return (await api.mutate("proposalSend", PROPOSAL_SEND, {"id": draft["id"]}, tenant))[  # type: ignore[no-any-return]
        "proposal"
    ]


async def move_end_date(app: Any, tenant: Tenant, contract_id: str, end: date) -> None:
    """As if time had passed: the stored end date moves, nothing else is written."""
    async with tenant_db(app, tenant.company_id) as session:
        stmt = update(Contract).where(Contract.id == contract_id).values(end_date=end)  # type: ignore[arg-type]
        await session.execute(stmt)
        await session.commit()


async def refused(
    api: Api, tenant: Tenant, name: str, query: str, input: dict[str, Any]
) -> list[dict[str, Any]]:
    payload = (await api.data(query, {"input": input}, tenant))[name]
    assert payload["userErrors"], payload
    return payload["userErrors"]  # type: ignore[no-any-return]


async def on_both_paths(api: Api, resolver_client: Any, tenant: Tenant, query: str, **vars: Any):
    """The data of `query` from the compiled path, checked equal to the resolver path's."""
    body = await api.gql(query, vars, tenant)
    assert not body.get("errors"), body["errors"]
    assert set(body["extensions"]["executors"].values()) == {"compiled"}, body["extensions"]
    compiled = body["data"]
    r = await resolver_client.post(
        "/graphql", json={"query": query, "variables": vars}, headers=tenant.headers
    )
    answer = r.json()
    assert "errors" not in answer and answer["data"] == compiled, (answer, compiled)
    return compiled


# --- contracts ----------------------------------------------------------------------------------


async def test_a_contract_is_written_as_a_draft_with_its_contact_and_value(api):
    # given a customer
    owner = await api.register()
    customer = await api.contact(owner, name="Acme Ltd")
    # when a contract is created
    created = await contract(
        api,
        owner,
        customer["id"],
        description="Monthly support",
        startDate="2026-01-01",
        endDate="2026-12-31",
        value="12000",
    )
    # then it is a draft in the base currency, with its contact, exact
    assert created["status"] == "DRAFT" and created["signedAt"] is None
    assert created["value"] == {"amount": "12000.00", "currency": "USD"}
    assert created["contact"] == {"name": "Acme Ltd"} and created["proposal"] is None
    assert (await api.data(CONTRACT, {"id": created["id"]}, owner))["contract"] == created


async def test_contract_input_is_refused_with_codes_naming_the_fields(api):
    owner = await api.register()
    customer = await api.contact(owner)
    base = {"title": "T", "contactId": customer["id"]}
    errors = await refused(
        api, owner, "contractCreate", CONTRACT_CREATE, {**base, "title": "", "value": "-1"}
    )
    assert {tuple(e["field"]) for e in errors} == {("input", "title"), ("input", "value")}
    errors = await refused(
        api,
        owner,
        "contractCreate",
        CONTRACT_CREATE,
        {**base, "startDate": "2026-05-01", "endDate": "2026-04-30"},
    )
    assert errors == [
        {
            "field": ["input", "endDate"],
            "message": "must not be before startDate",
            "code": "INVALID",
        }
    ]
    errors = await refused(
        api, owner, "contractCreate", CONTRACT_CREATE, {**base, "contactId": "nope"}
    )
    assert errors == [
        {"field": ["input", "contactId"], "message": "Contact not found", "code": "NOT_FOUND"}
    ]
    errors = await refused(
        api, owner, "contractCreate", CONTRACT_CREATE, {**base, "currencyCode": "JPY"}
    )
    assert errors[0]["code"] == "NOT_FOUND" and errors[0]["field"] == ["input", "currencyCode"]


async def test_a_draft_changes_and_its_dates_stay_in_order(api):
    owner = await api.register()
    customer, other = await api.contact(owner), await api.contact(owner, name="Other Co")
    draft = await contract(api, owner, customer["id"], startDate="2026-01-01")
    payload = await api.mutate(
        "contractUpdate",
        CONTRACT_UPDATE,
        {"id": draft["id"], "title": "Retainer", "contactId": other["id"], "value": "99.5"},
        owner,
    )
    changed = payload["contract"]
    assert (changed["title"], changed["contact"], changed["value"]["amount"]) == (
        "Retainer",
        {"name": "Other Co"},
        "99.50",
    )
    # an end date before the start date it already has is refused
    errors = await refused(
        api, owner, "contractUpdate", CONTRACT_UPDATE, {"id": draft["id"], "endDate": "2025-12-31"}
    )
    assert errors[0]["field"] == ["input", "endDate"]
    errors = await refused(
        api, owner, "contractUpdate", CONTRACT_UPDATE, {"id": draft["id"], "title": None}
    )
    assert errors[0]["code"] == "REQUIRED"


async def test_the_status_follows_the_dates_on_both_read_paths(api, app, resolver_client):
    # given signed contracts running now, starting later, ended, and open on both sides
    owner = await api.register()
    customer = await api.contact(owner)
    running = await signed(api, owner, customer["id"], startDate=day(-10), endDate=day(10))
    later = await signed(api, owner, customer["id"], startDate=day(5), endDate=day(50))
    open_ended = await signed(api, owner, customer["id"])
    ends_today = await signed(api, owner, customer["id"], startDate=day(0), endDate=day(0))
    await contract(api, owner, customer["id"], title="Draft")
    assert [running["status"], later["status"], open_ended["status"], ends_today["status"]] == [
        "ACTIVE",
        "SIGNED",
        "ACTIVE",
        "ACTIVE",
    ]
    # when time passes: its end date is yesterday now, and nothing else is written
    await move_end_date(app, owner, running["objectId"], TODAY - timedelta(days=1))
    # then that contract reads as expired on both paths
    query = "{ contracts { nodes { objectId status } } }"
    data = await on_both_paths(api, resolver_client, owner, query)
    statuses = {n["objectId"]: n["status"] for n in data["contracts"]["nodes"]}
    assert statuses[running["objectId"]] == "EXPIRED"
    assert statuses[later["objectId"]] == "SIGNED"
    # and the status filter uses the same expression
    for status, count in (("ACTIVE", 2), ("EXPIRED", 1), ("SIGNED", 1), ("DRAFT", 1)):
        listed = await on_both_paths(
            api,
            resolver_client,
            owner,
            f"{{ contracts(filter: {{status: {status}}}) {{ totalCount nodes {{ status }} }} }}",
        )
        assert listed["contracts"]["totalCount"] == count, status
        assert {n["status"] for n in listed["contracts"]["nodes"]} == {status}


async def test_signing_terminating_and_deleting_only_where_they_make_sense(api, app):
    owner = await api.register()
    customer = await api.contact(owner)
    draft = await contract(api, owner, customer["id"], startDate=day(-1))
    # a draft is not terminated (it is deleted)
    errors = await refused(api, owner, "contractTerminate", CONTRACT_TERMINATE, {"id": draft["id"]})
    assert errors[0]["code"] == "INVALID_STATE" and "delete it" in errors[0]["message"]
    # signing in the future is refused; signing now makes it active
    errors = await refused(
        api,
        owner,
        "contractSign",
        CONTRACT_SIGN,
        {"id": draft["id"], "signedAt": f"{day(2)}T10:00:00+00:00"},
    )
    assert errors[0]["field"] == ["input", "signedAt"]
    active = (await api.mutate("contractSign", CONTRACT_SIGN, {"id": draft["id"]}, owner))[
        "contract"
    ]
    assert active["status"] == "ACTIVE" and active["signedAt"]
    # a signed contract is neither signed again, changed nor deleted
    for name, query, input in (
        ("contractSign", CONTRACT_SIGN, {"id": draft["id"]}),
        ("contractUpdate", CONTRACT_UPDATE, {"id": draft["id"], "title": "X"}),
        ("contractDelete", CONTRACT_DELETE, {"id": draft["id"]}),
    ):
        errors = await refused(api, owner, name, query, input)
        assert errors[0]["code"] == "INVALID_STATE", name
    # it is terminated once, with its reason
    payload = await api.mutate(
        "contractTerminate",
        CONTRACT_TERMINATE,
        {"id": draft["id"], "reason": "Customer moved away"},
        owner,
    )
    ended = payload["contract"]
    assert (ended["status"], ended["terminationReason"]) == ("TERMINATED", "Customer moved away")
    errors = await refused(api, owner, "contractTerminate", CONTRACT_TERMINATE, {"id": draft["id"]})
    assert errors[0]["message"] == "The contract is already terminated"
    # a contract that ended before it was signed cannot be signed
    past = await contract(api, owner, customer["id"], startDate=day(-30), endDate=day(-1))
    errors = await refused(api, owner, "contractSign", CONTRACT_SIGN, {"id": past["id"]})
    assert errors[0]["code"] == "INVALID_STATE" and "cannot be signed after" in errors[0]["message"]
    # but its signing back then is recorded, and it reads as expired
    back_then = {"id": past["id"], "signedAt": f"{day(-31)}T09:00:00"}  # no zone: UTC
    payload = await api.mutate("contractSign", CONTRACT_SIGN, back_then, owner)
    assert payload["contract"]["status"] == "EXPIRED"
    assert payload["contract"]["signedAt"] == f"{day(-31)}T09:00:00+00:00"
    # and an expired one cannot be terminated
    expired = await signed(api, owner, customer["id"], startDate=day(-30), endDate=day(3))
    await move_end_date(app, owner, expired["objectId"], TODAY - timedelta(days=2))
    errors = await refused(
        api, owner, "contractTerminate", CONTRACT_TERMINATE, {"id": expired["id"]}
    )
    assert errors[0]["code"] == "INVALID_STATE" and "expired" in errors[0]["message"]


async def test_a_draft_contract_is_deleted(api):
    owner = await api.register()
    customer = await api.contact(owner)
    draft = await contract(api, owner, customer["id"])
    payload = await api.mutate("contractDelete", CONTRACT_DELETE, {"id": draft["id"]}, owner)
    assert payload["deletedContractId"] == draft["id"]
    body = await api.gql(CONTRACT, {"id": draft["id"]}, owner)
    assert body["data"] == {"contract": None}
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    errors = await refused(api, owner, "contractDelete", CONTRACT_DELETE, {"id": draft["id"]})
    assert errors[0]["code"] == "NOT_FOUND"


async def test_contracts_filter_and_order(api, resolver_client):
    owner = await api.register()
    acme, globex = await api.contact(owner, name="Acme"), await api.contact(owner, name="Globex")
    await contract(api, owner, acme["id"], title="Alpha hosting", startDate="2026-01-10", value="5")
    await contract(
        api, owner, acme["id"], title="Beta support", startDate="2026-03-01", endDate="2026-04-01"
    )
    await contract(api, owner, globex["id"], title="Gamma hosting", value="700")
    cases = [
        ({"search": "hosting"}, None, ["Gamma hosting", "Alpha hosting"]),
        (
            {"contactId": acme["id"]},
            {"field": "TITLE", "direction": "ASC"},
            ["Alpha hosting", "Beta support"],
        ),
        ({"startDateFrom": "2026-02-01"}, None, ["Beta support"]),
        ({"startDateTo": "2026-02-01"}, None, ["Alpha hosting"]),
        ({"endDateFrom": "2026-04-01", "endDateTo": "2026-04-01"}, None, ["Beta support"]),
        (None, {"field": "VALUE", "direction": "DESC"}, ["Gamma hosting", "Alpha hosting"]),
        ({"contactId": "not-an-id"}, None, []),
    ]
    query = """query($filter: ContractFilter, $orderBy: ContractOrder) {
      contracts(filter: $filter, orderBy: $orderBy, first: 2) { nodes { title } } }"""
    for filter, order, titles in cases:
        data = await on_both_paths(api, resolver_client, owner, query, filter=filter, orderBy=order)
        assert [n["title"] for n in data["contracts"]["nodes"]] == titles, (filter, order)


# --- proposals ----------------------------------------------------------------------------------


async def test_a_proposal_keeps_its_sections_in_order(api):
    owner = await api.register()
    customer = await api.contact(owner, name="Acme")
    created = await proposal(api, owner, customer["id"])
    assert created["status"] == "DRAFT" and created["value"] == {
        "amount": "4800.00",
        "currency": "USD",
    }
    assert created["sections"] == [
        {"position": 0, "title": "Scope", "body": "Ten pages"},
        {"position": 1, "title": "Price", "body": "4800"},
    ]
    # sections sent on update replace the old ones; other fields leave them be
    payload = await api.mutate(
        "proposalUpdate",
        PROPOSAL_UPDATE,
        {"id": created["id"], "sections": [{"title": "Everything"}]},
        owner,
    )
    assert payload["proposal"]["sections"] == [{"position": 0, "title": "Everything", "body": ""}]
    payload = await api.mutate(
        "proposalUpdate", PROPOSAL_UPDATE, {"id": created["id"], "title": "Redesign v2"}, owner
    )
    assert (
        payload["proposal"]["title"] == "Redesign v2" and len(payload["proposal"]["sections"]) == 1
    )
    assert (await api.data(PROPOSAL, {"id": created["id"]}, owner))["proposal"] == payload[
        "proposal"
    ]


async def test_proposal_input_is_refused_with_codes_naming_the_fields(api):
    owner = await api.register()
    customer = await api.contact(owner)
    errors = await refused(
        api,
        owner,
        "proposalCreate",
        PROPOSAL_CREATE,
        {"title": "P", "contactId": customer["id"], "sections": [{"title": ""}], "value": "1.234"},
    )
    assert {tuple(e["field"]) for e in errors} == {
        ("input", "sections", "0", "title"),
        ("input", "value"),
    }
    errors = await refused(
        api, owner, "proposalCreate", PROPOSAL_CREATE, {"title": "P", "contactId": "x"}
    )
    assert errors[0]["code"] == "NOT_FOUND" and errors[0]["field"] == ["input", "contactId"]


async def test_a_proposal_moves_only_draft_sent_then_accepted_or_declined(api):
    owner = await api.register()
    customer = await api.contact(owner)
    # a proposal without sections has nothing to send
    empty = await proposal(api, owner, customer["id"], sections=[])
    errors = await refused(api, owner, "proposalSend", PROPOSAL_SEND, {"id": empty["id"]})
    assert errors[0]["code"] == "INVALID_STATE"
    # a draft is neither accepted nor declined
    for name, query, done in (
        ("proposalAccept", PROPOSAL_ACCEPT, "accepted"),
        ("proposalDecline", PROPOSAL_DECLINE, "declined"),
    ):
        errors = await refused(api, owner, name, query, {"id": empty["id"]})
        assert errors == [
            {
                "field": ["input", "id"],
                "message": f"Only a sent proposal can be {done}; this one is draft",
                "code": "INVALID_STATE",
            }
        ]
    # sent: fixed, then declined once, and a declined one is not accepted
    out = await sent(api, owner, customer["id"])
    assert out["status"] == "SENT" and out["sentAt"]
    errors = await refused(
        api, owner, "proposalUpdate", PROPOSAL_UPDATE, {"id": out["id"], "title": "X"}
    )
    assert errors[0]["code"] == "INVALID_STATE"
    declined = (await api.mutate("proposalDecline", PROPOSAL_DECLINE, {"id": out["id"]}, owner))[
        "proposal"
    ]
    assert declined["status"] == "DECLINED" and declined["declinedAt"]
    errors = await refused(api, owner, "proposalAccept", PROPOSAL_ACCEPT, {"id": out["id"]})
    assert errors[0]["message"] == "Only a sent proposal can be accepted; this one is declined"
    # a declined proposal can be deleted, an accepted one cannot
    payload = await api.mutate("proposalDelete", PROPOSAL_DELETE, {"id": out["id"]}, owner)
    assert payload["deletedProposalId"] == out["id"]
    agreed = await sent(api, owner, customer["id"])
    await api.mutate("proposalAccept", PROPOSAL_ACCEPT, {"id": agreed["id"]}, owner)
    errors = await refused(api, owner, "proposalDelete", PROPOSAL_DELETE, {"id": agreed["id"]})
    assert errors[0]["code"] == "INVALID_STATE"


async def test_accepting_a_proposal_makes_its_contract_in_the_same_transaction(api):
    # given a sent proposal
    owner = await api.register()
    customer = await api.contact(owner, name="Acme")
    out = await sent(api, owner, customer["id"])
    # when it is accepted with bad contract dates, nothing happens
    errors = await refused(
        api,
        owner,
        "proposalAccept",
        PROPOSAL_ACCEPT,
        {"id": out["id"], "contract": {"startDate": "2026-06-01", "endDate": "2026-05-01"}},
    )
    assert errors[0]["field"] == ["input", "contract", "endDate"]
    assert (await api.data(PROPOSAL, {"id": out["id"]}, owner))["proposal"]["status"] == "SENT"
    # when it is accepted with the contract's dates
    payload = await api.mutate(
        "proposalAccept",
        PROPOSAL_ACCEPT,
        {"id": out["id"], "contract": {"startDate": day(0), "endDate": day(365)}},
        owner,
    )
    # then it is accepted, with a draft contract of its title, contact and value
    accepted = payload["proposal"]
    assert accepted["status"] == "ACCEPTED" and accepted["acceptedAt"]
    assert accepted["contract"] == {
        "title": "Website redesign",
        "status": "DRAFT",
        "startDate": day(0),
        "endDate": day(365),
        "value": {"amount": "4800.00", "currency": "USD"},
        "contact": {"name": "Acme"},
    }
    # and the contract knows its proposal
    listed = await api.data("{ contracts { nodes { title proposal { objectId } } } }", None, owner)
    assert listed["contracts"]["nodes"] == [
        {"title": "Website redesign", "proposal": {"objectId": out["objectId"]}}
    ]
    # and deleting the draft contract leaves the proposal accepted, without it
    contract_id = (await api.data("{ contracts { nodes { id } } }", None, owner))["contracts"][
        "nodes"
    ][0]["id"]
    await api.mutate("contractDelete", CONTRACT_DELETE, {"id": contract_id}, owner)
    after = (await api.data(PROPOSAL, {"id": out["id"]}, owner))["proposal"]
    assert (after["status"], after["contract"]) == ("ACCEPTED", None)


async def test_accepting_without_contract_terms_makes_no_contract(api):
    owner = await api.register()
    customer = await api.contact(owner)
    out = await sent(api, owner, customer["id"])
    payload = await api.mutate("proposalAccept", PROPOSAL_ACCEPT, {"id": out["id"]}, owner)
    assert payload["proposal"]["contract"] is None
    assert (await api.data("{ contracts { totalCount } }", None, owner))["contracts"][
        "totalCount"
    ] == 0


async def test_proposals_filter_and_order(api, resolver_client):
    owner = await api.register()
    acme, globex = await api.contact(owner, name="Acme"), await api.contact(owner, name="Globex")
    await proposal(api, owner, acme["id"], title="Logo", value="300")
    await sent(api, owner, acme["id"], title="Shop", value="9000")
    await proposal(api, owner, globex["id"], title="Shop extension", value="1200")
    query = """query($filter: ProposalFilter, $orderBy: ProposalOrder) {
      proposals(filter: $filter, orderBy: $orderBy) { totalCount nodes { title } } }"""
    cases = [
        ({"status": "SENT"}, None, ["Shop"]),
        ({"contactId": acme["id"]}, {"field": "TITLE", "direction": "ASC"}, ["Logo", "Shop"]),
        ({"search": "shop"}, {"field": "VALUE", "direction": "ASC"}, ["Shop extension", "Shop"]),
        ({"createdFrom": day(0), "createdTo": day(0)}, None, ["Shop extension", "Shop", "Logo"]),
        ({"createdTo": day(-1)}, None, []),
    ]
    for filter, order, titles in cases:
        data = await on_both_paths(api, resolver_client, owner, query, filter=filter, orderBy=order)
        assert [n["title"] for n in data["proposals"]["nodes"]] == titles, (filter, order)


# --- the contact's edges ------------------------------------------------------------------------


async def test_a_contact_reaches_its_contracts_and_proposals(api, resolver_client):
    owner = await api.register()
    acme, globex = await api.contact(owner, name="Acme"), await api.contact(owner, name="Globex")
    await signed(api, owner, acme["id"], title="Acme support")
    await contract(api, owner, acme["id"], title="Acme draft")
    await proposal(api, owner, acme["id"], title="Acme offer")
    await contract(api, owner, globex["id"], title="Globex deal")
    query = """{ contacts(orderBy: {field: NAME}) { nodes { name
        contracts(filter: {status: ACTIVE}) { totalCount nodes { title status } }
        all: contracts(orderBy: {field: TITLE, direction: ASC}) { nodes { title } }
        proposals { totalCount nodes { title sections { title } } } } } }"""
    data = await on_both_paths(api, resolver_client, owner, query)
    acme_node, globex_node = data["contacts"]["nodes"]
    assert acme_node["contracts"] == {
        "totalCount": 1,
        "nodes": [{"title": "Acme support", "status": "ACTIVE"}],
    }
    assert [n["title"] for n in acme_node["all"]["nodes"]] == ["Acme draft", "Acme support"]
    assert acme_node["proposals"]["nodes"][0]["sections"] == [
        {"title": "Scope"},
        {"title": "Price"},
    ]
    assert globex_node["proposals"]["totalCount"] == 0
    assert [n["title"] for n in globex_node["all"]["nodes"]] == ["Globex deal"]


async def test_a_contact_with_contracts_or_proposals_is_not_deleted(api):
    owner = await api.register()
    signer, offered = await api.contact(owner), await api.contact(owner)
    await contract(api, owner, signer["id"])
    await proposal(api, owner, offered["id"])
    for contact, what in ((signer, "contracts"), (offered, "proposals")):
        r = await api.rest("DELETE", f"/api/contacts/{contact['id']}", owner)
        assert r.status_code == 400, r.text
        assert r.json()["errors"][0]["code"] == "IN_USE"
        assert what in r.json()["errors"][0]["message"]
