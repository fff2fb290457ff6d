"""Helpdesk over GraphQL: categories, SLAs with per-priority targets, tickets numbered per
company with their SLA clock and allowed status moves, replies that stop the response
clock, breached flags and filters, knowledge-base articles with slugs."""

from __future__ import annotations

from tests.factories import member_of
from tests.helpdesk import (
    ARTICLE_CREATE,
    CATEGORY_CREATE,
    ERRORS,
    SLA_CREATE,
    TICKET,
    TICKET_CREATE,
    TICKET_UPDATE,
    age_ticket,
    category,
    hours_between,
    reply,
    sla,
    ticket,
)

CATEGORY_UPDATE = f"""mutation($input: TicketCategoryUpdateInput!) {{
  ticketCategoryUpdate(input: $input) {{ ticketCategory {{ name description }} {ERRORS} }} }}"""
CATEGORY_DELETE = f"""mutation($input: TicketCategoryDeleteInput!) {{
  ticketCategoryDelete(input: $input) {{ deletedTicketCategoryId {ERRORS} }} }}"""
SLA_UPDATE = f"""mutation($input: SlaUpdateInput!) {{ slaUpdate(input: $input) {{
  sla {{ name responseTime targets {{ priority responseTime }} }} {ERRORS} }} }}"""
SLA_DELETE = f"""mutation($input: SlaDeleteInput!) {{ slaDelete(input: $input) {{
  deletedSlaId {ERRORS} }} }}"""
TICKET_DELETE = f"""mutation($input: TicketDeleteInput!) {{ ticketDelete(input: $input) {{
  deletedTicketId {ERRORS} }} }}"""
ARTICLE_UPDATE = f"""mutation($input: ArticleUpdateInput!) {{ articleUpdate(input: $input) {{
  article {{ slug published publishedAt }} {ERRORS} }} }}"""
ARTICLE_DELETE = f"""mutation($input: ArticleDeleteInput!) {{ articleDelete(input: $input) {{
  deletedArticleId {ERRORS} }} }}"""
TICKETS = """query($filter: TicketFilter, $order: TicketOrder) {
  tickets(filter: $filter, orderBy: $order) { totalCount nodes { number } } }"""
ARTICLES = """query($filter: ArticleFilter) { articles(filter: $filter) {
  totalCount nodes { title slug published } } }"""


def errors(payload):
    return [(e["field"], e["code"]) for e in payload["userErrors"]]


async def test_categories_crud_and_validation(api):
    owner = await api.register()
    billing = await category(api, owner, "Billing")
    # a second category of the same name is refused, naming the field
    taken = await api.data(CATEGORY_CREATE, {"input": {"name": "Billing"}}, owner)
    assert errors(taken["ticketCategoryCreate"]) == [(["input", "name"], "TAKEN")]
    empty = await api.data(CATEGORY_CREATE, {"input": {"name": ""}}, owner)
    assert errors(empty["ticketCategoryCreate"]) == [(["input", "name"], "INVALID")]
    renamed = await api.mutate(
        "ticketCategoryUpdate",
        CATEGORY_UPDATE,
        {"id": billing["id"], "name": "Payments", "description": "Money matters"},
        owner,
    )
    assert renamed["ticketCategory"] == {"name": "Payments", "description": "Money matters"}
    # a category in use cannot go; an unused one can
    await ticket(api, owner, categoryId=billing["id"])
    in_use = await api.data(CATEGORY_DELETE, {"input": {"id": billing["id"]}}, owner)
    assert errors(in_use["ticketCategoryDelete"]) == [(["input", "id"], "IN_USE")]
    spare = await category(api, owner, "Spare")
    gone = await api.mutate("ticketCategoryDelete", CATEGORY_DELETE, {"id": spare["id"]}, owner)
    assert gone["deletedTicketCategoryId"] == spare["id"]


async def test_sla_targets_override_the_defaults_per_priority(api):
    owner = await api.register()
    standard = await sla(
        api,
        owner,
        responseTime=8,
        resolutionTime=48,
        targets=[{"priority": "URGENT", "responseTime": 1, "resolutionTime": 4}],
    )
    assert standard["targets"] == [{"priority": "URGENT", "responseTime": 1, "resolutionTime": 4}]
    # when tickets of two priorities are opened under it
    urgent = await ticket(api, owner, slaId=standard["id"], priority="URGENT")
    low = await ticket(api, owner, slaId=standard["id"], priority="LOW")
    # then each gets its priority's dues, from its opening
    assert hours_between(urgent["firstResponseDue"], urgent["openedAt"]) == 1
    assert hours_between(urgent["resolutionDue"], urgent["openedAt"]) == 4
    assert hours_between(low["firstResponseDue"], low["openedAt"]) == 8
    assert hours_between(low["resolutionDue"], low["openedAt"]) == 48
    # a priority given twice, or hours out of range, are refused with the field named
    twice = await api.data(
        SLA_CREATE,
        {"input": {"name": "X", "targets": [{"priority": "LOW"}, {"priority": "LOW"}]}},
        owner,
    )
    assert errors(twice["slaCreate"]) == [(["input", "targets"], "INVALID")]
    zero = await api.data(SLA_CREATE, {"input": {"name": "X", "responseTime": 0}}, owner)
    assert errors(zero["slaCreate"]) == [(["input", "responseTime"], "INVALID")]
    # the targets sent on update replace the old ones
    updated = await api.mutate(
        "slaUpdate",
        SLA_UPDATE,
        {
            "id": standard["id"],
            "responseTime": 2,
            "targets": [{"priority": "HIGH", "responseTime": 1}],
        },
        owner,
    )
    assert updated["sla"]["targets"] == [{"priority": "HIGH", "responseTime": 1}]
    in_use = await api.data(SLA_DELETE, {"input": {"id": standard["id"]}}, owner)
    assert errors(in_use["slaDelete"]) == [(["input", "id"], "IN_USE")]
    spare = await sla(api, owner, name="Spare", targets=[{"priority": "LOW", "responseTime": 3}])
    assert (await api.mutate("slaDelete", SLA_DELETE, {"id": spare["id"]}, owner))["deletedSlaId"]


async def test_tickets_are_numbered_per_company(api):
    a, b = await api.register(), await api.register()
    numbers_a = [(await ticket(api, a))["number"] for _ in range(3)]
    numbers_b = [(await ticket(api, b))["number"] for _ in range(2)]
    assert numbers_a == [1, 2, 3] and numbers_b == [1, 2]


async def test_ticket_create_validates_its_fields(app, api):
    owner = await api.register()
    stranger = await api.register()
    missing = "0" * 24
    bad = await api.data(
        TICKET_CREATE,
        {
            "input": {
                "subject": "",
                "categoryId": missing,
                "contactId": missing,
                "slaId": missing,
                "assigneeId": stranger.user_id,  # a user, but not a member of this company
            }
        },
        owner,
    )
    assert errors(bad["ticketCreate"]) == [(["input", "subject"], "INVALID")]
    refs = await api.data(
        TICKET_CREATE, {"input": {"subject": "Help", "categoryId": missing}}, owner
    )
    assert errors(refs["ticketCreate"]) == [(["input", "categoryId"], "NOT_FOUND")]
    for field in ("contactId", "slaId"):
        body = await api.data(TICKET_CREATE, {"input": {"subject": "Help", field: missing}}, owner)
        assert errors(body["ticketCreate"]) == [(["input", field], "NOT_FOUND")]
    outsider = await api.data(
        TICKET_CREATE, {"input": {"subject": "Help", "assigneeId": stranger.user_id}}, owner
    )
    assert errors(outsider["ticketCreate"]) == [(["input", "assigneeId"], "NOT_FOUND")]
    # a member of any role may be assigned
    staff = await member_of(api, app, owner, "staff")
    assigned = await ticket(api, owner, assigneeId=staff.user_id)
    assert assigned["assignee"] == {"id": staff.user_id, "name": "Staff member"}
    assert assigned["priority"] == "MEDIUM" and assigned["status"] == "OPEN"


async def test_only_the_allowed_status_moves(api):
    owner = await api.register()
    t = await ticket(api, owner)

    async def move(status):
        body = await api.data(TICKET_UPDATE, {"input": {"id": t["id"], "status": status}}, owner)
        return body["ticketUpdate"]

    assert (await move("PENDING"))["ticket"]["status"] == "PENDING"
    resolved = (await move("RESOLVED"))["ticket"]
    assert resolved["status"] == "RESOLVED" and resolved["resolvedAt"] is not None
    # resolved -> pending is not a move; the error names the field
    refused = await move("PENDING")
    assert errors(refused) == [(["input", "status"], "INVALID_STATE")]
    assert "cannot become pending" in refused["userErrors"][0]["message"]
    reopened = (await move("OPEN"))["ticket"]
    assert reopened["status"] == "OPEN" and reopened["resolvedAt"] is None
    closed = (await move("CLOSED"))["ticket"]
    assert closed["status"] == "CLOSED" and closed["closedAt"] and closed["resolvedAt"]
    # closed is final, and takes no replies
    assert errors(await move("OPEN")) == [(["input", "status"], "INVALID_STATE")]
    late = await api.data(
        "mutation($input: TicketReplyCreateInput!) { ticketReplyCreate(input: $input) { "
        + ERRORS
        + " } }",
        {"input": {"ticketId": t["id"], "body": "Hello?"}},
        owner,
    )
    assert errors(late["ticketReplyCreate"]) == [(["input", "ticketId"], "INVALID_STATE")]


async def test_first_public_reply_stops_the_response_clock_once(api):
    owner = await api.register()
    standard = await sla(api, owner)
    t = await ticket(api, owner, slaId=standard["id"])
    # an internal note does not count
    note = await reply(api, owner, t["id"], body="Looks like a password issue", public=False)
    assert note["ticket"]["respondedAt"] is None and note["reply"]["public"] is False
    first = await reply(api, owner, t["id"], body="Try resetting it")
    responded = first["ticket"]["respondedAt"]
    assert responded is not None and first["reply"]["author"]["name"] == "Owner"
    second = await reply(api, owner, t["id"], body="Did it work?")
    assert second["ticket"]["respondedAt"] == responded
    data = await api.data(TICKET, {"id": t["id"]}, owner)
    assert [r["body"] for r in data["ticket"]["replies"]] == [
        "Looks like a password issue",
        "Try resetting it",
        "Did it work?",
    ]
    assert data["ticket"]["responseBreached"] is False


async def test_breached_flags_follow_the_clock_and_filter_the_list(app, api):
    # given three tickets under a 4h/24h SLA: one fresh, one 10 hours old unanswered,
    # one 30 hours old answered in time but unresolved
    owner = await api.register()
    standard = await sla(api, owner)
    fresh = await ticket(api, owner, slaId=standard["id"])
    unanswered = await ticket(api, owner, slaId=standard["id"])
    answered = await ticket(api, owner, slaId=standard["id"])
    await reply(api, owner, answered["id"])
    await age_ticket(app, owner, unanswered["id"], 10)
    await age_ticket(app, owner, answered["id"], 30)
    no_sla = await ticket(api, owner)
    # then the flags say which target each missed
    flags = {}
    for t in (fresh, unanswered, answered, no_sla):
        row = (await api.data(TICKET, {"id": t["id"]}, owner))["ticket"]
        flags[row["number"]] = (
            row["responseBreached"],
            row["resolutionBreached"],
            row["breached"],
        )
    assert flags == {
        1: (False, False, False),
        2: (True, False, True),
        3: (False, True, True),
        4: (False, False, False),
    }

    async def numbers(**filter):
        body = await api.data(
            TICKETS, {"filter": filter, "order": {"field": "NUMBER", "direction": "ASC"}}, owner
        )
        return [n["number"] for n in body["tickets"]["nodes"]]

    assert await numbers(breached=True) == [2, 3]
    assert await numbers(breached=False) == [1, 4]
    assert await numbers(responseBreached=True) == [2]
    assert await numbers(resolutionBreached=True) == [3]
    # resolving late keeps the breach; resolving stops the clock
    resolved = await api.mutate(
        "ticketUpdate", TICKET_UPDATE, {"id": answered["id"], "status": "RESOLVED"}, owner
    )
    assert resolved["ticket"]["resolutionBreached"] is True


async def test_ticket_filters_and_ordering(api):
    owner = await api.register()
    billing = await category(api, owner, "Billing")
    contact = await api.contact(owner)
    await ticket(api, owner, subject="Refund please", categoryId=billing["id"], priority="HIGH")
    second = await ticket(api, owner, subject="Login broken", contactId=contact["id"])
    await ticket(
        api, owner, subject="Invoice copy", categoryId=billing["id"], assigneeId=owner.user_id
    )
    await api.mutate(
        "ticketUpdate", TICKET_UPDATE, {"id": second["id"], "status": "PENDING"}, owner
    )

    async def numbers(**filter):
        body = await api.data(TICKETS, {"filter": filter}, owner)
        return [n["number"] for n in body["tickets"]["nodes"]]

    assert await numbers() == [3, 2, 1]  # newest first
    assert await numbers(categoryId=billing["id"]) == [3, 1]
    assert await numbers(priority="HIGH") == [1]
    assert await numbers(status="PENDING") == [2]
    assert await numbers(contactId=contact["id"]) == [2]
    assert await numbers(assigneeId=owner.user_id) == [3]
    assert await numbers(search="invoice") == [3]
    assert await numbers(number=2) == [2]
    assert await numbers(openedFrom="2000-01-01", openedTo="2000-12-31") == []
    assert await numbers(categoryId="not-an-id") == []
    deleted = await api.mutate("ticketDelete", TICKET_DELETE, {"id": second["id"]}, owner)
    assert deleted["deletedTicketId"] == second["id"]
    assert await numbers() == [3, 1]
    # the contact reaches its tickets
    edge = await api.data(
        "{ contacts { nodes { tickets { totalCount nodes { number } } } } }", tenant=owner
    )
    assert edge["contacts"]["nodes"][0]["tickets"] == {"totalCount": 0, "nodes": []}


async def test_articles_slugs_and_the_unpublished(api):
    owner = await api.register()
    kb = await category(api, owner, "Account")
    draft = await api.mutate(
        "articleCreate",
        ARTICLE_CREATE,
        {"title": "How to reset your password?", "body": "Click *Forgot*.", "categoryId": kb["id"]},
        owner,
    )
    assert draft["article"]["slug"] == "how-to-reset-your-password"
    assert (
        draft["article"]["published"] is False and draft["article"]["category"]["name"] == "Account"
    )
    # the same title gets the next free slug; a slug given that is taken is refused
    again = await api.mutate(
        "articleCreate",
        ARTICLE_CREATE,
        {"title": "How to reset your password", "body": "Again", "published": True},
        owner,
    )
    assert again["article"]["slug"] == "how-to-reset-your-password-2"
    assert again["article"]["publishedAt"] is not None
    taken = await api.data(
        ARTICLE_CREATE,
        {"input": {"title": "X", "body": "Y", "slug": "how-to-reset-your-password"}},
        owner,
    )
    assert errors(taken["articleCreate"]) == [(["input", "slug"], "TAKEN")]
    bad = await api.data(
        ARTICLE_CREATE, {"input": {"title": "X", "body": "Y", "slug": "Not OK"}}, owner
    )
    assert errors(bad["articleCreate"]) == [(["input", "slug"], "INVALID")]
    # the list hides the draft unless asked
    listed = await api.data(ARTICLES, {"filter": None}, owner)
    assert [a["slug"] for a in listed["articles"]["nodes"]] == ["how-to-reset-your-password-2"]
    everything = await api.data(ARTICLES, {"filter": {"includeUnpublished": True}}, owner)
    assert everything["articles"]["totalCount"] == 2
    drafts = await api.data(ARTICLES, {"filter": {"published": False}}, owner)
    assert [a["slug"] for a in drafts["articles"]["nodes"]] == ["how-to-reset-your-password"]
    published = await api.mutate(
        "articleUpdate", ARTICLE_UPDATE, {"id": draft["article"]["id"], "published": True}, owner
    )
    assert published["article"]["published"] is True and published["article"]["publishedAt"]
    gone = await api.mutate("articleDelete", ARTICLE_DELETE, {"id": draft["article"]["id"]}, owner)
    assert gone["deletedArticleId"] == draft["article"]["id"]


async def test_module_off_is_forbidden(api):
    owner = await api.register()
    await api.data(
        'mutation { moduleSet(input: {alias: "helpdesk", enabled: false}) { userErrors { message } } }',
        tenant=owner,
    )
    body = await api.gql("{ tickets { totalCount } }", tenant=owner)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    created = await api.gql(TICKET_CREATE, {"input": {"subject": "Hi"}}, owner)
    assert created["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    edge = await api.gql("{ contacts { nodes { tickets { totalCount } } } }", tenant=owner)
    assert not edge.get("errors")  # no contacts: nothing asks for tickets
