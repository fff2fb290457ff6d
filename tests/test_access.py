"""The one gate (gql/auth/access.py): each refusal is decided by `authorize`, and every
dialect that asks it gives the same reason: GraphQL's permission classes, REST's
endpoint wrapper and the compiler (which leaves a refused field to the resolvers)."""

from __future__ import annotations

import pytest

from gql.auth.access import MANAGER, MEMBER, WRITER, Level, Need
from gql.domains.companies.modules import MODULES, ModuleAlias
from tests.factories import member_of

MODULE_SET = """mutation($input: ModuleSetInput!) {
  moduleSet(input: $input) { module { alias enabled } userErrors { field message code } } }"""

ACCOUNTS = "query { accounts(first: 1) { totalCount } }"

ACCOUNT_CREATE = """mutation($input: AccountCreateInput!) {
  accountCreate(input: $input) { account { id } userErrors { field message code } } }"""


def test_a_need_names_a_known_module_or_fails_where_it_is_declared():
    assert Need(module="banking").module is ModuleAlias.BANKING  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Need(module="teleportation")  # type: ignore[arg-type]


def test_only_the_modules_with_code_behind_them_are_licensed_by_default():
    on = {alias.value for alias, module in MODULES.items() if module.default_enabled}
    assert on == {
        "invoicing",
        "accounting",
        "banking",
        "crm",
        "contracts",
        "helpdesk",
        "projects",
        "payroll",
        "inventory",
        "pos",
    }


def test_the_shorthand_needs_rise_in_level():
    assert (MEMBER.level, WRITER.level, MANAGER.level) == (Level.READ, Level.WRITE, Level.MANAGE)


async def test_a_module_switched_off_is_refused_with_one_reason_in_both_dialects(
    api, resolver_client
):
    # given a company whose banking module is off
    owner = await api.register()
    off = await api.mutate("moduleSet", MODULE_SET, {"alias": "banking", "enabled": False}, owner)
    assert off["module"]["enabled"] is False
    # when its accounts are asked for over REST, GraphQL, and GraphQL without the compiler
    rest = await api.rest("GET", "/api/accounts", owner)
    compiled = await api.client.post("/graphql", json={"query": ACCOUNTS}, headers=owner.headers)
    resolved = await resolver_client.post(
        "/graphql", json={"query": ACCOUNTS}, headers=owner.headers
    )
    # then each refuses it, with the same message
    message = "The Banking module (banking) is not enabled for this company"
    assert rest.status_code == 403 and rest.json()["message"] == message
    for r in (compiled, resolved):
        error = r.json()["errors"][0]
        assert (error["message"], error["extensions"]["code"]) == (message, "FORBIDDEN")


async def test_a_read_only_role_is_refused_writes_with_one_reason_in_both_dialects(api, app):
    # given a viewer of a company
    owner = await api.register()
    viewer = await member_of(api, app, owner, "viewer")
    # when it tries to open a money account over GraphQL and over REST
    graphql = await api.client.post(
        "/graphql",
        json={"query": ACCOUNT_CREATE, "variables": {"input": {"name": "Till", "type": "CASH"}}},
        headers=viewer.headers,
    )
    rest = await api.rest("POST", "/api/accounts", viewer, json={"name": "Till", "type": "cash"})
    # then both refuse it for the same reason, and it can still read
    message = "Your role (viewer) cannot make changes"
    assert rest.status_code == 403 and rest.json()["message"] == message
    error = graphql.json()["errors"][0]
    assert (error["message"], error["extensions"]["code"]) == (message, "FORBIDDEN")
    listed = await api.client.post("/graphql", json={"query": ACCOUNTS}, headers=viewer.headers)
    assert "errors" not in listed.json(), listed.json()
