"""Limits that hold on both read paths: the worst-case row count (the product of page
sizes down the tree) is refused before any SQL runs, with the figure in the error."""

from __future__ import annotations

NESTED = """query($outer: Int!, $inner: Int!) {
  contacts(first: $outer) { nodes { name documents(first: $inner) { nodes { number } } } }
}"""


async def _ask(client, tenant, variables):
    r = await client.post(
        "/graphql",
        json={"query": NESTED, "variables": variables},
        headers={**tenant.headers, "accept": "application/graphql-response+json"},
    )
    return r.status_code, r.json()


async def test_a_query_above_the_row_limit_is_refused_with_its_figure_on_both_paths(
    api, resolver_client, sql_counter
):
    # given a company, and a query that could return 100 x (1 + 100) = 10,100 rows, then 100 x 201
    owner = await api.register()
    for client in (api.client, resolver_client):
        # when a query within the limit (20,000 by default) runs, it is answered
        status, body = await _ask(client, owner, {"outer": 100, "inner": 100})
        assert status == 200 and "errors" not in body
        # when one above it runs
        sql_counter.reset()
        status, body = await _ask(client, owner, {"outer": 100, "inner": 200})
        # then it is a request error naming the computed figure and the limit, before any query
        assert status == 400
        error = body["errors"][0]
        assert error["extensions"] == {
            "code": "QUERY_TOO_LARGE",
            "worstCaseRows": 20100,
            "limit": 20000,
        }
        assert "20100" in error["message"]
    assert all("contact" not in s and "document" not in s for s in sql_counter.statements)
