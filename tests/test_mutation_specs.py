"""Mutations are declared (gql/core/mutations.py): every Mutation field is built by one
spec, which runs its service call as one transaction and answers bad input as
`userErrors`."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
import strawberry
from sqlalchemy import select

from gql.context import Loaders
from gql.core.errors import UserInputError
from gql.core.mutations import MUTATION_SPEC, MutationSpec, mutation
from gql.core.scalars import SCALAR_OVERRIDES
from gql.domains.contacts import service as contacts
from gql.domains.contacts.models import Contact
from gql.domains.contacts.types import ContactCreateInput, ContactPayload
from gql.schema import Query, schema
from tests.factories import Api, tenant_db


def test_every_mutation_field_is_built_by_its_spec() -> None:
    # given the schema's Mutation type
    fields = schema.get_type_by_name("Mutation").fields  # type: ignore[union-attr]

    # then each field carries the spec that built it, and is what that spec declares:
    # one `input` argument of its input type (and the optional idempotency key),
    # answering its payload
    assert len(fields) >= 42
    for field in fields:
        spec = field.metadata.get(MUTATION_SPEC)
        assert isinstance(spec, MutationSpec), f"{field.name} is not built by mutation(...)"
        assert [(a.python_name, a.type) for a in field.arguments] == [
            ("input", spec.input),
            ("idempotency_key", str | None),
        ]
        assert field.type is spec.payload, field.name


async def _needs_a_company_id(*, session: Any, company_id: str) -> None: ...


async def _takes_an_id(*, session: Any, id: str) -> None: ...


@pytest.mark.parametrize(
    ("run", "refusal"),
    [
        (_needs_a_company_id, r"needs \['company_id'\]"),
        (_takes_an_id, "takes an id, which ContactCreateInput does not have"),
    ],
)
def test_a_spec_whose_run_asks_for_what_a_mutation_cannot_give_is_refused(
    run: Any, refusal: str
) -> None:
    # when a mutation is declared with it, then it is refused there and then, at import
    with pytest.raises(TypeError, match=refusal):
        mutation(
            input=ContactCreateInput,
            payload=ContactPayload,
            field="contact",
            run=run,
            permission=[],
        )


async def _write_then_refuse(*, session: Any, data: dict[str, Any]) -> None:
    session.add(Contact(name=data["name"]))
    await session.flush()
    raise UserInputError.single("name", "refused after writing")


async def _write_then_fail(*, session: Any, data: dict[str, Any]) -> None:
    session.add(Contact(name=data["name"]))
    await session.flush()
    raise RuntimeError("a bug after writing")


@strawberry.type(name="Mutation")
class _FailingMutations:
    write_then_refuse = mutation(
        input=ContactCreateInput,
        payload=ContactPayload,
        field="contact",
        run=_write_then_refuse,
        permission=[],
    )
    write_then_fail = mutation(
        input=ContactCreateInput,
        payload=ContactPayload,
        field="contact",
        run=_write_then_fail,
        permission=[],
    )
    contact_create = mutation(
        input=ContactCreateInput,
        payload=ContactPayload,
        field="contact",
        run=contacts.create_contact,
        permission=[],
    )


TEST_SCHEMA = strawberry.Schema(
    query=Query,
    mutation=_FailingMutations,
    scalar_overrides=SCALAR_OVERRIDES,
)

FAILING = "%s(input: {name: $name}) { contact { name } userErrors { field message code } }"
NEXT = (
    'next: contactCreate(input: {name: "Written next"}) { contact { name } userErrors { field } }'
)


async def test_bad_input_after_a_write_keeps_nothing_and_the_next_mutation_runs(
    api: Api, app: Any
) -> None:
    # given a company, and one operation whose first mutation writes a contact and then
    # refuses its input, and whose second writes another
    owner = await api.register()
    operation = f"mutation($name: String!) {{ failed: {FAILING % 'writeThenRefuse'} {NEXT} }}"
    async with tenant_db(app, owner.company_id) as session:
        context = SimpleNamespace(
            session=session, viewer=None, settings=app.state.settings, loaders=Loaders(session)
        )

        # when it runs on one session, as a request's operation does
        result = await TEST_SCHEMA.execute(operation, {"name": "Never kept"}, context_value=context)

    # then the first answers its userErrors, the second its contact
    assert result.errors is None
    assert result.data == {
        "failed": {
            "contact": None,
            "userErrors": [
                {"field": ["input", "name"], "message": "refused after writing", "code": "INVALID"}
            ],
        },
        "next": {"contact": {"name": "Written next"}, "userErrors": []},
    }
    # and only the second mutation's contact was kept
    async with tenant_db(app, owner.company_id) as session:
        assert (await session.scalars(select(Contact.name))).all() == ["Written next"]


async def test_a_failure_after_a_write_keeps_nothing_and_the_session_goes_on(
    api: Api, app: Any
) -> None:
    # given a company and a mutation that writes a contact and then fails unexpectedly
    owner = await api.register()
    async with tenant_db(app, owner.company_id) as session:
        context = SimpleNamespace(
            session=session, viewer=None, settings=app.state.settings, loaders=Loaders(session)
        )

        # when it runs, and then another operation on the same session (a WebSocket's)
        failed = await TEST_SCHEMA.execute(
            f"mutation($name: String!) {{ {FAILING % 'writeThenFail'} }}",
            {"name": "Never kept"},
            context_value=context,
        )
        following = await TEST_SCHEMA.execute(f"mutation {{ {NEXT} }}", context_value=context)

    # then the first is an error, the second writes its contact
    assert [e.message for e in failed.errors or []] == ["a bug after writing"]
    assert following.errors is None
    assert following.data == {"next": {"contact": {"name": "Written next"}, "userErrors": []}}
    # and only the second one's contact was kept
    async with tenant_db(app, owner.company_id) as session:
        assert (await session.scalars(select(Contact.name))).all() == ["Written next"]
