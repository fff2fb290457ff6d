"""Helpdesk writes at the same moment, on PostgreSQL (SQLite serialises writers, so
there is no race to test there): parallel ticket creates get distinct consecutive
numbers, and parallel first public replies set respondedAt once."""

from __future__ import annotations

import pytest

from tests.conftest import IS_POSTGRES
from tests.factories import concurrently
from tests.helpdesk import TICKET, ticket

pytestmark = pytest.mark.skipif(not IS_POSTGRES, reason="a race needs PostgreSQL's concurrency")
PARALLEL = 8


async def test_parallel_creates_get_distinct_consecutive_numbers(app, api):
    owner = await api.register()
    await ticket(api, owner)  # number 1, and the series row exists; then a fresh company
    fresh = await api.register()
    for tenant, first in ((owner, 2), (fresh, 1)):
        # the fresh company races on the series' very first row
        answers = await concurrently(
            app,
            tenant,
            [("POST", "/api/helpdesk/tickets", {"subject": f"T{i}"}) for i in range(PARALLEL)],
        )
        assert all(r.status_code == 201 for r in answers), [r.text for r in answers]
        numbers = sorted(r.json()["data"]["number"] for r in answers)
        assert numbers == list(range(first, first + PARALLEL))


async def test_parallel_first_replies_set_responded_at_once(app, api):
    owner = await api.register()
    t = await ticket(api, owner)
    mutation = """mutation($input: TicketReplyCreateInput!) { ticketReplyCreate(input: $input) {
      ticket { respondedAt } userErrors { message } } }"""
    answers = await concurrently(
        app,
        owner,
        [
            (
                "POST",
                "/graphql",
                {"query": mutation, "variables": {"input": {"ticketId": t["id"], "body": f"R{i}"}}},
            )
            for i in range(PARALLEL)
        ],
    )
    payloads = [r.json()["data"]["ticketReplyCreate"] for r in answers]
    assert all(p["userErrors"] == [] for p in payloads)
    final = (await api.data(TICKET, {"id": t["id"]}, owner))["ticket"]
    # every reply was kept; respondedAt was set once, and every answer saw that one value
    assert len(final["replies"]) == PARALLEL
    assert {p["ticket"]["respondedAt"] for p in payloads} == {final["respondedAt"]}
