"""Another company's bank-feed rows are not there: not by id, not in lists or edges,
not as the connection of an import, the line of a match or split, the transaction it is
matched to, or the category, contact or account of a rule, over GraphQL and REST."""

from __future__ import annotations

from tests.bankfeeds import (
    IMPORT,
    MATCH,
    RULE_CREATE,
    SPLIT,
    UNMATCH,
    category,
    connection,
    csv_input,
    imported,
)
from tests.test_money_concurrency import account, issued, pay

GETS = """query($c: ID!, $l: ID!) { bankConnection(id: $c) { id } bankFeedTransaction(id: $l) { id } }"""
LISTS = """{ bankConnections { totalCount } bankRules { totalCount }
  bankFeedTransactions { totalCount } }"""


async def test_another_companys_bank_feed_rows_are_not_found(api):
    owner, other = await api.register(), await api.register()
    theirs_account = await account(api, other)
    theirs = await connection(api, other, theirs_account)
    their_lines = (await imported(api, other, theirs["id"]))["feedTransactions"]
    their_payment = await pay(
        api, other, (await issued(api, other, "1000"))["id"], theirs_account, "1000"
    )
    their_category = await category(api, other, "Theirs", "EXPENSE")
    their_contact = await api.contact(other)
    # reads: by id, in lists, over REST
    body = await api.gql(GETS, {"c": theirs["id"], "l": their_lines[0]["id"]}, owner)
    assert body["data"] == {"bankConnection": None, "bankFeedTransaction": None}
    assert {e["extensions"]["code"] for e in body["errors"]} == {"NOT_FOUND"}
    counts = await api.data(LISTS, tenant=owner)
    assert [c["totalCount"] for c in counts.values()] == [0, 0, 0]
    for path in (
        "/api/banking/feeds",
        "/api/banking/feeds/connections",
        "/api/banking/feeds/rules",
    ):
        r = await api.rest("GET", path, owner)
        assert r.status_code == 200 and r.json()["pagination"]["total"] == 0, path
    # writes: their connection, line, transaction, category, contact, account
    mine = await connection(api, owner)
    my_lines = (await imported(api, owner, mine["id"]))["feedTransactions"]
    acme = next(x for x in my_lines if "Acme" in x["description"])

    async def errors(query, input):
        (payload,) = (await api.data(query, {"input": input}, owner)).values()
        return [(e["field"], e["code"]) for e in payload["userErrors"]]

    assert await errors(IMPORT, csv_input(theirs["id"])) == [
        (["input", "connectionId"], "NOT_FOUND")
    ]
    assert await errors(MATCH, {"id": their_lines[0]["id"], "transactionIds": [their_payment]}) == [
        (["input", "id"], "NOT_FOUND")
    ]
    assert await errors(MATCH, {"id": acme["id"], "transactionIds": [their_payment]}) == [
        (["input", "transactionIds", "0"], "NOT_FOUND")
    ]
    assert await errors(SPLIT, {"id": their_lines[0]["id"]}) == [(["input", "id"], "NOT_FOUND")]
    assert await errors(
        SPLIT, {"id": acme["id"], "parts": [{"amount": "1000", "categoryId": their_category["id"]}]}
    ) == [(["input", "parts", "0", "categoryId"], "NOT_FOUND")]
    assert await errors(UNMATCH, {"id": their_lines[0]["id"]}) == [(["input", "id"], "NOT_FOUND")]
    assert await errors(RULE_CREATE, {"pattern": "x", "categoryId": their_category["id"]}) == [
        (["input", "categoryId"], "NOT_FOUND")
    ]
    mine_category = await category(api, owner, "Mine", "EXPENSE")
    assert await errors(
        RULE_CREATE,
        {"pattern": "x", "categoryId": mine_category["id"], "contactId": their_contact["id"]},
    ) == [(["input", "contactId"], "NOT_FOUND")]
    assert await errors(
        RULE_CREATE,
        {"pattern": "x", "categoryId": mine_category["id"], "accountId": theirs_account},
    ) == [(["input", "accountId"], "NOT_FOUND")]
    r = await api.rest(
        "POST",
        "/api/banking/feeds/import",
        owner,
        json={"connection": theirs["objectId"], "format": "csv", "content": "x"},
    )
    assert r.status_code == 400 and r.json()["errors"][0]["code"] == "NOT_FOUND"
    # their lines are untouched
    still = (await api.data(LISTS, tenant=other))["bankFeedTransactions"]["totalCount"]
    assert still == 4
