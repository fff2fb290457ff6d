"""CRM over GraphQL: pipelines and their stages, leads converted into contacts and
deals, deals through stages to won or lost, activities with their overdue flag,
campaigns, and the per-stage report."""

from __future__ import annotations

from typing import Any

from tests.factories import Api, Tenant, member_of

ERRORS = "userErrors { field message code }"
STAGES = "stages { id name position probability }"
PIPELINE_CREATE = f"""mutation($input: PipelineCreateInput!) {{ pipelineCreate(input: $input) {{
  pipeline {{ id objectId name {STAGES} }} {ERRORS} }} }}"""
STAGE_ADD = f"""mutation($input: PipelineStageAddInput!) {{ pipelineStageAdd(input: $input) {{
  stage {{ id name position probability pipeline {{ {STAGES} }} }} {ERRORS} }} }}"""
STAGE_UPDATE = f"""mutation($input: PipelineStageUpdateInput!) {{
  pipelineStageUpdate(input: $input) {{ stage {{ name probability }} {ERRORS} }} }}"""
STAGE_REMOVE = f"""mutation($input: PipelineStageRemoveInput!) {{
  pipelineStageRemove(input: $input) {{ pipeline {{ {STAGES} }} {ERRORS} }} }}"""
STAGES_REORDER = f"""mutation($input: PipelineStagesReorderInput!) {{
  pipelineStagesReorder(input: $input) {{ pipeline {{ {STAGES} }} {ERRORS} }} }}"""
PIPELINE_DELETE = f"""mutation($input: PipelineDeleteInput!) {{
  pipelineDelete(input: $input) {{ deletedPipelineId {ERRORS} }} }}"""
REPORT = """query($id: ID!) { pipeline(id: $id) { name report {
  stage { name } currency dealCount totalValue weightedValue } } }"""

LEAD_FIELDS = (
    "id name email phone companyName source status convertedAt contact { name email } deal { name }"
)
LEAD_CREATE = f"""mutation($input: LeadCreateInput!) {{ leadCreate(input: $input) {{
  lead {{ {LEAD_FIELDS} }} {ERRORS} }} }}"""
LEAD_UPDATE = f"""mutation($input: LeadUpdateInput!) {{ leadUpdate(input: $input) {{
  lead {{ {LEAD_FIELDS} }} {ERRORS} }} }}"""
LEAD_CONVERT = f"""mutation($input: LeadConvertInput!) {{ leadConvert(input: $input) {{
  lead {{ {LEAD_FIELDS} }} contact {{ id name type }}
  deal {{ id name value {{ amount currency }} stage {{ name }} contact {{ name }} owner {{ email }} }}
  {ERRORS} }} }}"""
LEADS = (
    """query($filter: LeadFilter) { leads(filter: $filter) { totalCount nodes { name status } } }"""
)

DEAL_FIELDS = """id name status lostReason closedAt expectedCloseDate currencyCode
  value { amount currency } pipeline { name } stage { name probability } contact { name }
  owner { id email } activities { totalCount nodes { subject } }"""
DEAL_CREATE = f"""mutation($input: DealCreateInput!) {{ dealCreate(input: $input) {{
  deal {{ {DEAL_FIELDS} }} {ERRORS} }} }}"""
DEAL_UPDATE = f"""mutation($input: DealUpdateInput!) {{ dealUpdate(input: $input) {{
  deal {{ {DEAL_FIELDS} }} {ERRORS} }} }}"""
DEAL_MOVE = f"""mutation($input: DealMoveInput!) {{ dealMove(input: $input) {{
  deal {{ stage {{ name }} }} {ERRORS} }} }}"""
DEAL_WIN = f"""mutation($input: DealIdInput!) {{ dealWin(input: $input) {{
  deal {{ status closedAt }} {ERRORS} }} }}"""
DEAL_LOSE = f"""mutation($input: DealLoseInput!) {{ dealLose(input: $input) {{
  deal {{ status lostReason }} {ERRORS} }} }}"""
DEAL_REOPEN = f"""mutation($input: DealIdInput!) {{ dealReopen(input: $input) {{
  deal {{ status lostReason closedAt }} {ERRORS} }} }}"""
DEAL_DELETE = f"""mutation($input: DealIdInput!) {{ dealDelete(input: $input) {{
  deletedDealId {ERRORS} }} }}"""
DEALS = """query($filter: DealFilter, $orderBy: DealOrder) { deals(filter: $filter, orderBy: $orderBy) {
  totalCount nodes { name } } }"""

ACTIVITY_CREATE = f"""mutation($input: ActivityCreateInput!) {{ activityCreate(input: $input) {{
  activity {{ id type subject scheduledAt doneAt overdue deal {{ name }} contact {{ name }}
  owner {{ email }} }} {ERRORS} }} }}"""
ACTIVITY_COMPLETE = f"""mutation($input: ActivityCompleteInput!) {{
  activityComplete(input: $input) {{ activity {{ doneAt overdue }} {ERRORS} }} }}"""
ACTIVITIES = """query($filter: ActivityFilter) { activities(filter: $filter) {
  totalCount nodes { subject overdue } } }"""

CAMPAIGN_CREATE = f"""mutation($input: CampaignCreateInput!) {{ campaignCreate(input: $input) {{
  campaign {{ id name type status startDate endDate budget {{ amount currency }} }} {ERRORS} }} }}"""
CAMPAIGN_UPDATE = f"""mutation($input: CampaignUpdateInput!) {{ campaignUpdate(input: $input) {{
  campaign {{ name endDate }} {ERRORS} }} }}"""
CAMPAIGNS = """query($filter: CampaignFilter) { campaigns(filter: $filter) {
  totalCount nodes { name } } }"""

CONTACT_CRM = """query($id: ID!) { contact(id: $id) { name
  deals { totalCount nodes { name } } activities { totalCount nodes { subject } } } }"""


# --- helpers ------------------------------------------------------------------------------


async def pipeline(api: Api, tenant: Tenant, *stages: tuple[str, int]) -> dict[str, Any]:
    stages = stages or (("Lead in", 10), ("Proposal", 50), ("Negotiation", 80))
    body = {"name": "Sales", "stages": [{"name": n, "probability": p} for n, p in stages]}
    return (await api.mutate("pipelineCreate", PIPELINE_CREATE, body, tenant))["pipeline"]  # type: ignore[no-any-return]


async def deal(api: Api, tenant: Tenant, pipeline_id: str, **fields: Any) -> dict[str, Any]:
    body = {"name": "Big deal", "pipelineId": pipeline_id, **fields}
    return (await api.mutate("dealCreate", DEAL_CREATE, body, tenant))["deal"]  # type: ignore[no-any-return]


async def errors(api: Api, tenant: Tenant, query: str, input: dict[str, Any]) -> list[Any]:
    (payload,) = (await api.data(query, {"input": input}, tenant)).values()
    return payload["userErrors"]  # type: ignore[no-any-return]


# --- pipelines and stages -----------------------------------------------------------------


async def test_a_pipeline_keeps_its_stages_in_order_through_adds_removes_and_reorders(api):
    # given a pipeline of three stages
    owner = await api.register()
    p = await pipeline(api, owner)
    assert [(s["name"], s["position"], s["probability"]) for s in p["stages"]] == [
        ("Lead in", 0, 10),
        ("Proposal", 1, 50),
        ("Negotiation", 2, 80),
    ]
    # when a stage is added at position 1, and another at the end
    added = (
        await api.mutate(
            "pipelineStageAdd",
            STAGE_ADD,
            {"pipelineId": p["id"], "name": "Qualified", "probability": 25, "position": 1},
            owner,
        )
    )["stage"]
    await api.mutate("pipelineStageAdd", STAGE_ADD, {"pipelineId": p["id"], "name": "Won?"}, owner)
    # then the stages move down to make room
    names = [
        s["name"]
        for s in (
            await api.data(
                REPORT.replace("report {", "stages { name } report {"), {"id": p["id"]}, owner
            )
        )["pipeline"]["stages"]
    ]
    assert names == ["Lead in", "Qualified", "Proposal", "Negotiation", "Won?"]
    # when one is renamed, one removed and the rest reversed
    await api.mutate(
        "pipelineStageUpdate", STAGE_UPDATE, {"id": added["id"], "probability": 30}, owner
    )
    last = (
        await api.data(
            REPORT.replace("report {", "stages { id name } report {"), {"id": p["id"]}, owner
        )
    )["pipeline"]["stages"]
    removed = (
        await api.mutate("pipelineStageRemove", STAGE_REMOVE, {"id": last[-1]["id"]}, owner)
    )["pipeline"]
    assert [(s["name"], s["position"]) for s in removed["stages"]] == [
        ("Lead in", 0),
        ("Qualified", 1),
        ("Proposal", 2),
        ("Negotiation", 3),
    ]
    ids = [s["id"] for s in removed["stages"]][::-1]
    reordered = (
        await api.mutate(
            "pipelineStagesReorder", STAGES_REORDER, {"pipelineId": p["id"], "stageIds": ids}, owner
        )
    )["pipeline"]
    assert [(s["name"], s["position"]) for s in reordered["stages"]] == [
        ("Negotiation", 0),
        ("Proposal", 1),
        ("Qualified", 2),
        ("Lead in", 3),
    ]
    assert reordered["stages"][2]["probability"] == 30


async def test_stage_and_pipeline_inputs_are_checked(api):
    owner = await api.register()
    p = await pipeline(api, owner)
    # a probability outside 0-100, no stages, a partial or doubled reorder
    assert (
        await errors(
            api,
            owner,
            PIPELINE_CREATE,
            {"name": "X", "stages": [{"name": "A", "probability": 101}]},
        )
    )[0]["field"] == ["input", "stages", "0", "probability"]
    assert (await errors(api, owner, PIPELINE_CREATE, {"name": "X", "stages": []}))[0]["field"] == [
        "input",
        "stages",
    ]
    first = p["stages"][0]["id"]
    partial = await errors(api, owner, STAGES_REORDER, {"pipelineId": p["id"], "stageIds": [first]})
    assert partial == [
        {"field": ["input", "stageIds"], "message": "must name all 3 stages", "code": "INVALID"}
    ]
    doubled = await errors(
        api,
        owner,
        STAGES_REORDER,
        {"pipelineId": p["id"], "stageIds": [first, first, p["stages"][1]["id"]]},
    )
    assert doubled[0]["field"] == ["input", "stageIds", "1"]
    # a stage with deals, and a pipeline with deals, cannot go
    await deal(api, owner, p["id"])
    assert (await errors(api, owner, STAGE_REMOVE, {"id": first}))[0]["code"] == "IN_USE"
    assert (await errors(api, owner, PIPELINE_DELETE, {"id": p["id"]}))[0]["code"] == "IN_USE"
    # an empty pipeline can
    empty = await pipeline(api, owner, ("Only", 0))
    assert (await errors(api, owner, STAGE_REMOVE, {"id": empty["stages"][0]["id"]}))[0][
        "code"
    ] == "INVALID_STATE"
    assert (await api.mutate("pipelineDelete", PIPELINE_DELETE, {"id": empty["id"]}, owner))[
        "deletedPipelineId"
    ] == empty["id"]


# --- leads --------------------------------------------------------------------------------


async def test_a_lead_converts_into_a_contact_and_a_deal_once(api):
    # given a lead and a pipeline
    owner = await api.register()
    p = await pipeline(api, owner)
    lead = (
        await api.mutate(
            "leadCreate",
            LEAD_CREATE,
            {
                "name": "Ada Lovelace",
                "email": "ADA@Example.com",
                "phone": "+44 1",
                "companyName": "Engines Ltd",
                "source": "REFERRAL",
            },
            owner,
        )
    )["lead"]
    assert (lead["status"], lead["email"], lead["contact"], lead["deal"]) == (
        "NEW",
        "ada@example.com",
        None,
        None,
    )
    # when it is converted with a deal in the second stage
    body = {
        "id": lead["id"],
        "deal": {"pipelineId": p["id"], "stageId": p["stages"][1]["id"], "value": "1200"},
    }
    out = await api.mutate("leadConvert", LEAD_CONVERT, body, owner)
    # then the contact and the deal exist, linked to the lead, which is converted
    assert out["contact"]["name"] == "Engines Ltd" and out["contact"]["type"] == "CUSTOMER"
    assert out["deal"] == {
        "id": out["deal"]["id"],
        "name": "Ada Lovelace",
        "value": {"amount": "1200.00", "currency": "USD"},
        "stage": {"name": "Proposal"},
        "contact": {"name": "Engines Ltd"},
        "owner": {"email": owner.email},
    }
    assert out["lead"]["status"] == "CONVERTED" and out["lead"]["convertedAt"]
    assert out["lead"]["contact"] == {"name": "Engines Ltd", "email": "ada@example.com"}
    assert out["lead"]["deal"] == {"name": "Ada Lovelace"}
    # and a second conversion is refused, as is setting its status back
    again = await errors(api, owner, LEAD_CONVERT, {"id": lead["id"]})
    assert again == [
        {
            "field": ["input", "id"],
            "message": "The lead is already converted",
            "code": "INVALID_STATE",
        }
    ]
    assert (await errors(api, owner, LEAD_UPDATE, {"id": lead["id"], "status": "NEW"}))[0][
        "code"
    ] == "INVALID_STATE"
    assert (await errors(api, owner, LEAD_UPDATE, {"id": lead["id"], "status": "CONVERTED"}))[0][
        "field"
    ] == ["input", "status"]


async def test_a_conversion_without_a_deal_and_a_bad_one_change_nothing(api):
    owner = await api.register()
    p = await pipeline(api, owner)
    other = await pipeline(api, owner, ("Elsewhere", 5))
    lead = (await api.mutate("leadCreate", LEAD_CREATE, {"name": "Bob"}, owner))["lead"]
    # a stage of another pipeline: refused, and the lead stays as it was
    bad = await errors(
        api,
        owner,
        LEAD_CONVERT,
        {"id": lead["id"], "deal": {"pipelineId": p["id"], "stageId": other["stages"][0]["id"]}},
    )
    assert bad == [
        {
            "field": ["input", "deal", "stageId"],
            "message": "is not a stage of the pipeline Sales",
            "code": "INVALID",
        }
    ]
    assert (await api.data(LEADS, {"filter": {"status": "NEW"}}, owner))["leads"]["totalCount"] == 1
    # without a deal: only the contact
    out = await api.mutate(
        "leadConvert", LEAD_CONVERT, {"id": lead["id"], "contactType": "BOTH"}, owner
    )
    assert (out["contact"]["name"], out["contact"]["type"], out["deal"]) == ("Bob", "BOTH", None)
    assert (await api.data(LEADS, {"filter": {"status": "CONVERTED", "search": "bo"}}, owner))[
        "leads"
    ]["totalCount"] == 1


# --- deals --------------------------------------------------------------------------------


async def test_a_deal_moves_through_its_own_stages_only_and_is_won_lost_and_reopened(api):
    owner = await api.register()
    p = await pipeline(api, owner)
    other = await pipeline(api, owner, ("Elsewhere", 5))
    contact = await api.contact(owner, name="Acme")
    d = await deal(
        api, owner, p["id"], contactId=contact["id"], value="500", expectedCloseDate="2026-09-30"
    )
    assert (d["stage"]["name"], d["status"], d["contact"], d["owner"]["email"]) == (
        "Lead in",
        "OPEN",
        {"name": "Acme"},
        owner.email,
    )
    # moving to a stage of another pipeline is refused, naming the field
    refused = await errors(
        api, owner, DEAL_MOVE, {"id": d["id"], "stageId": other["stages"][0]["id"]}
    )
    assert refused == [
        {
            "field": ["input", "stageId"],
            "message": "is not a stage of the pipeline Sales",
            "code": "INVALID",
        }
    ]
    moved = await api.mutate(
        "dealMove", DEAL_MOVE, {"id": d["id"], "stageId": p["stages"][2]["id"]}, owner
    )
    assert moved["deal"]["stage"] == {"name": "Negotiation"}
    # switching pipeline lands on its first stage, or on a stage of it
    switched = (
        await api.mutate(
            "dealUpdate", DEAL_UPDATE, {"id": d["id"], "pipelineId": other["id"]}, owner
        )
    )["deal"]
    assert switched["stage"]["name"] == "Elsewhere"
    assert (
        await errors(api, owner, DEAL_UPDATE, {"id": d["id"], "stageId": p["stages"][0]["id"]})
    )[0]["field"] == ["input", "stageId"]
    # won once; then lost is refused until reopened
    won = await api.mutate("dealWin", DEAL_WIN, {"id": d["id"]}, owner)
    assert won["deal"]["status"] == "WON" and won["deal"]["closedAt"]
    assert (await errors(api, owner, DEAL_LOSE, {"id": d["id"], "reason": "x"})) == [
        {"field": ["input", "id"], "message": "The deal is already won", "code": "INVALID_STATE"}
    ]
    reopened = await api.mutate("dealReopen", DEAL_REOPEN, {"id": d["id"]}, owner)
    assert reopened["deal"] == {"status": "OPEN", "lostReason": None, "closedAt": None}
    lost = await api.mutate(
        "dealLose", DEAL_LOSE, {"id": d["id"], "reason": "Too expensive"}, owner
    )
    assert lost["deal"] == {"status": "LOST", "lostReason": "Too expensive"}
    # filters
    assert (
        await api.data(DEALS, {"filter": {"status": "LOST", "contactId": contact["id"]}}, owner)
    )["deals"]["totalCount"] == 1
    assert (await api.data(DEALS, {"filter": {"status": "OPEN"}}, owner))["deals"][
        "totalCount"
    ] == 0
    assert (
        await api.data(
            DEALS,
            {
                "filter": {
                    "expectedCloseFrom": "2026-09-30",
                    "expectedCloseTo": "2026-09-30",
                    "ownerId": owner.user_id,
                }
            },
            owner,
        )
    )["deals"]["totalCount"] == 1
    # deleted, with its activities
    await api.mutate(
        "activityCreate",
        ACTIVITY_CREATE,
        {"type": "CALL", "subject": "Call", "dealId": d["id"]},
        owner,
    )
    assert (await api.mutate("dealDelete", DEAL_DELETE, {"id": d["id"]}, owner))[
        "deletedDealId"
    ] == d["id"]
    assert (await api.data(ACTIVITIES, {}, owner))["activities"]["totalCount"] == 0


async def test_deal_inputs_are_checked(api, app):
    owner = await api.register()
    p = await pipeline(api, owner)
    stranger = await api.register()
    staff = await member_of(api, app, owner, "staff")
    cases = [
        ({"pipelineId": "000000000000000000000000"}, ["input", "pipelineId"], "NOT_FOUND"),
        ({"value": "-1"}, ["input", "value"], "INVALID"),
        ({"value": "1.234"}, ["input", "value"], "INVALID"),
        ({"currencyCode": "EUR"}, ["input", "currencyCode"], "NOT_FOUND"),
        ({"ownerId": stranger.user_id}, ["input", "ownerId"], "NOT_FOUND"),
        ({"name": ""}, ["input", "name"], "INVALID"),
    ]
    for fields, field, code in cases:
        body = {"name": "D", "pipelineId": p["id"], **fields}
        got = await errors(api, owner, DEAL_CREATE, body)
        assert [(e["field"], e["code"]) for e in got] == [(field, code)], (fields, got)
    # a member of the company may own it
    assert (await deal(api, owner, p["id"], ownerId=staff.user_id))["owner"]["id"] == staff.user_id


async def test_the_report_sums_open_deals_per_stage_in_sql(api):
    owner = await api.register()
    p = await pipeline(api, owner)
    proposal = p["stages"][1]["id"]
    for value in ("100.05", "200.10"):
        await deal(api, owner, p["id"], value=value)
    await deal(api, owner, p["id"], stageId=proposal, value="333.33")
    lost = await deal(api, owner, p["id"], stageId=proposal, value="1000")
    await api.mutate("dealLose", DEAL_LOSE, {"id": lost["id"]}, owner)
    report = (await api.data(REPORT, {"id": p["id"]}, owner))["pipeline"]["report"]
    assert report == [
        {
            "stage": {"name": "Lead in"},
            "currency": "USD",
            "dealCount": 2,
            "totalValue": "300.15",
            "weightedValue": "30.02",
        },
        {
            "stage": {"name": "Proposal"},
            "currency": "USD",
            "dealCount": 1,
            "totalValue": "333.33",
            "weightedValue": "166.67",
        },
        {
            "stage": {"name": "Negotiation"},
            "currency": None,
            "dealCount": 0,
            "totalValue": "0.00",
            "weightedValue": "0.00",
        },
    ]


# --- activities and campaigns -------------------------------------------------------------


async def test_activities_are_listed_by_scheduled_date_with_their_overdue_flag(api):
    owner = await api.register()
    p = await pipeline(api, owner)
    contact = await api.contact(owner, name="Acme")
    d = await deal(api, owner, p["id"], contactId=contact["id"])
    later = await api.mutate(
        "activityCreate",
        ACTIVITY_CREATE,
        {
            "type": "MEETING",
            "subject": "Later",
            "scheduledAt": "2199-01-01T10:00:00Z",
            "dealId": d["id"],
        },
        owner,
    )
    past = await api.mutate(
        "activityCreate",
        ACTIVITY_CREATE,
        {
            "type": "CALL",
            "subject": "Past",
            "scheduledAt": "2020-01-01T10:00:00Z",
            "contactId": contact["id"],
        },
        owner,
    )
    # an activity on a deal is on its contact too; a past one not done is overdue
    assert (
        later["activity"]["contact"] == {"name": "Acme"} and later["activity"]["overdue"] is False
    )
    assert past["activity"]["overdue"] is True and past["activity"]["owner"] == {
        "email": owner.email
    }
    listed = (await api.data(ACTIVITIES, {}, owner))["activities"]["nodes"]
    assert listed == [{"subject": "Past", "overdue": True}, {"subject": "Later", "overdue": False}]
    assert (await api.data(ACTIVITIES, {"filter": {"overdue": True}}, owner))["activities"][
        "nodes"
    ] == [{"subject": "Past", "overdue": True}]
    done = await api.mutate(
        "activityComplete", ACTIVITY_COMPLETE, {"id": past["activity"]["id"]}, owner
    )
    assert done["activity"]["doneAt"] and done["activity"]["overdue"] is False
    assert (await api.data(ACTIVITIES, {"filter": {"done": False}}, owner))["activities"][
        "totalCount"
    ] == 1
    # the contact reaches its deals and activities
    node = (await api.data(CONTACT_CRM, {"id": contact["id"]}, owner))["contact"]
    assert node["deals"] == {"totalCount": 1, "nodes": [{"name": "Big deal"}]}
    assert node["activities"]["nodes"] == [{"subject": "Past"}, {"subject": "Later"}]
    # an activity on nothing is refused
    assert (await errors(api, owner, ACTIVITY_CREATE, {"type": "NOTE", "subject": "x"})) == [
        {
            "field": ["input", "dealId"],
            "message": "An activity is on a deal, a contact or both",
            "code": "REQUIRED",
        }
    ]


async def test_a_campaign_ends_not_before_it_starts(api):
    owner = await api.register()
    made = await api.mutate(
        "campaignCreate",
        CAMPAIGN_CREATE,
        {
            "name": "Spring Sale",
            "type": "EMAIL",
            "startDate": "2026-03-01",
            "endDate": "2026-03-31",
            "budget": "250",
        },
        owner,
    )
    c = made["campaign"]
    assert (c["status"], c["budget"]) == ("PLANNED", {"amount": "250.00", "currency": "USD"})
    assert (
        await errors(api, owner, CAMPAIGN_UPDATE, {"id": c["id"], "endDate": "2026-02-28"})
    ) == [
        {
            "field": ["input", "endDate"],
            "message": "must not be before startDate",
            "code": "INVALID",
        }
    ]
    assert (
        await errors(
            api,
            owner,
            CAMPAIGN_CREATE,
            {"name": "X", "type": "SMS", "startDate": "2026-03-02", "endDate": "2026-03-01"},
        )
    )[0]["field"] == ["input", "endDate"]
    assert (
        await api.data(CAMPAIGNS, {"filter": {"type": "EMAIL", "startFrom": "2026-03-01"}}, owner)
    )["campaigns"]["totalCount"] == 1


# --- tenancy and access -------------------------------------------------------------------


async def test_another_companys_rows_are_refused_at_write_time_and_invisible_at_read_time(api):
    owner, other = await api.register(), await api.register()
    theirs = await pipeline(api, other)
    their_contact = await api.contact(other)
    their_deal = await deal(api, other, theirs["id"])
    mine = await pipeline(api, owner)
    # a deal on their pipeline, stage or contact is refused as not found
    for fields, field in (
        ({"pipelineId": theirs["id"]}, "pipelineId"),
        ({"pipelineId": mine["id"], "stageId": theirs["stages"][0]["id"]}, "stageId"),
        ({"pipelineId": mine["id"], "contactId": their_contact["id"]}, "contactId"),
    ):
        got = await errors(api, owner, DEAL_CREATE, {"name": "D", **fields})
        assert [(e["field"], e["code"]) for e in got] == [(["input", field], "NOT_FOUND")]
    assert (
        await errors(
            api,
            owner,
            ACTIVITY_CREATE,
            {"type": "CALL", "subject": "x", "dealId": their_deal["id"]},
        )
    )[0]["code"] == "NOT_FOUND"
    assert (await errors(api, owner, DEAL_WIN, {"id": their_deal["id"]}))[0]["code"] == "NOT_FOUND"
    # and nothing of theirs is listed or found
    body = await api.gql(
        "query($id: ID!) { deal(id: $id) { name } }", {"id": their_deal["id"]}, owner
    )
    assert body["data"] == {"deal": None} and body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert (await api.data("{ deals { totalCount } pipelines { totalCount } }", tenant=owner)) == {
        "deals": {"totalCount": 0},
        "pipelines": {"totalCount": 1},
    }


async def test_the_crm_is_forbidden_while_its_module_is_off(api):
    owner = await api.register()
    contact = await api.contact(owner)
    await api.data(
        'mutation { moduleSet(input: {alias: "crm", enabled: false}) { userErrors { message } } }',
        tenant=owner,
    )
    body = await api.gql("{ deals { totalCount } }", tenant=owner)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await api.gql(CONTACT_CRM, {"id": contact["id"]}, owner)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await api.gql(LEAD_CREATE, {"input": {"name": "x"}}, owner)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
