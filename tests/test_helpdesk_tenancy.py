"""Cross-tenant helpdesk: company B can neither see nor reference company A's tickets,
categories, SLAs, articles, contacts or members; A's ids behave exactly like ids that do
not exist, at write time and at read time."""

from __future__ import annotations

from tests.helpdesk import (
    ARTICLE_CREATE,
    REPLY_CREATE,
    TICKET_CREATE,
    TICKET_UPDATE,
    category,
    sla,
    ticket,
)

MISSING = "0" * 24
SINGLE = {
    "ticket": "query($id: ID!) { ticket(id: $id) { number } }",
    "ticketCategory": "query($id: ID!) { ticketCategory(id: $id) { name } }",
    "sla": "query($id: ID!) { sla(id: $id) { name } }",
    "article": "query($id: ID!) { article(id: $id) { title } }",
}
LISTS = """{ tickets { totalCount } ticketCategories { totalCount } slas { totalCount }
  articles(filter: {includeUnpublished: true}) { totalCount } }"""


async def _world(api):
    a, b = await api.register(name="A"), await api.register(name="B")
    refs = {}
    refs["ticketCategory"] = await category(api, a)
    refs["sla"] = await sla(api, a)
    contact = await api.contact(a)
    refs["ticket"] = await ticket(
        api,
        a,
        categoryId=refs["ticketCategory"]["id"],
        slaId=refs["sla"]["id"],
        contactId=contact["id"],
    )
    refs["article"] = (
        await api.mutate("articleCreate", ARTICLE_CREATE, {"title": "A", "body": "x"}, a)
    )["article"]
    return a, b, refs, contact


def codes(payload):
    return [(e["field"], e["code"], e["message"]) for e in payload["userErrors"]]


async def test_another_companys_helpdesk_rows_are_not_found(api):
    _, b, refs, _ = await _world(api)
    for name, query in SINGLE.items():
        answers = []
        for ref in (refs[name]["id"], refs[name]["objectId"], MISSING):
            body = await api.gql(query, {"id": ref}, b)
            answers.append((body["data"], body["errors"][0]["extensions"]["code"]))
        # another company's row reads exactly like one that does not exist
        assert answers[0] == answers[1] == answers[2] == ({name: None}, "NOT_FOUND"), name
    counts = await api.data(LISTS, tenant=b)
    assert all(v["totalCount"] == 0 for v in counts.values())
    node = await api.gql(
        "query($id: ID!) { node(id: $id) { id } }", {"id": refs["ticket"]["id"]}, b
    )
    assert node["data"] == {"node": None}
    assert node["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_another_companys_references_are_refused_at_write_time(api):
    a, b, refs, contact = await _world(api)
    for field, ref in (
        ("categoryId", refs["ticketCategory"]["id"]),
        ("slaId", refs["sla"]["id"]),
        ("contactId", contact["id"]),
        ("assigneeId", a.user_id),
    ):
        theirs = await api.data(TICKET_CREATE, {"input": {"subject": "x", field: ref}}, b)
        nowhere = await api.data(TICKET_CREATE, {"input": {"subject": "x", field: MISSING}}, b)
        assert codes(theirs["ticketCreate"]) == codes(nowhere["ticketCreate"]), field
        assert codes(theirs["ticketCreate"])[0][1] == "NOT_FOUND"
    for query, name, input in (
        (TICKET_UPDATE, "ticketUpdate", {"id": refs["ticket"]["id"], "status": "CLOSED"}),
        (REPLY_CREATE, "ticketReplyCreate", {"ticketId": refs["ticket"]["id"], "body": "hi"}),
    ):
        body = await api.data(query, {"input": input}, b)
        assert codes(body[name])[0][1] == "NOT_FOUND"
    # A's ticket is untouched
    mine = await api.data(
        SINGLE["ticket"].replace("number", "status respondedAt"), {"id": refs["ticket"]["id"]}, a
    )
    assert mine["ticket"] == {"status": "OPEN", "respondedAt": None}
    # B's own contact cannot see A's tickets through the edge
    own = await api.contact(b)
    await ticket(api, b, contactId=own["id"])
    edge = await api.data("{ contacts { nodes { tickets { nodes { subject } } } } }", tenant=b)
    assert [n["tickets"]["nodes"] for n in edge["contacts"]["nodes"]] == [
        [{"subject": "Cannot access my account"}]
    ]
