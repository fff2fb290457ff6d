"""GraphQL mutations, declared: one `mutation(...)` spec per Mutation field builds the
strawberry field, runs its service call as one transaction and answers bad input as
`userErrors`; an `idempotencyKey` makes it safe to retry (gql/core/idempotency.py).
A hand-written mutation resolver has no place beside it
(tests/test_mutation_specs.py)."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any, Literal

import strawberry
from strawberry.permission import BasePermission
from strawberry.utils.str_converters import to_camel_case

from gql.core import idempotency
from gql.core.errors import ErrorCode, UserInputError
from gql.core.inputs import input_to_dict
from gql.core.relay import global_id_of
from gql.core.transaction import in_transaction
from gql.core.versions import expected_of, with_expected_version

UserErrorCode = strawberry.enum(  # type: ignore[call-overload]
    Enum("UserErrorCode", {c.name: c.value for c in ErrorCode}),  # type: ignore[misc]
    name="UserErrorCode",
    description="Why an input was refused.",
)


@strawberry.type(description="An input the mutation refused, and why.")
class UserError:
    field: list[str] | None = strawberry.field(
        description="Path to the input field, from the mutation's arguments: "
        '["input", "lines", "0", "quantity"].'
    )
    message: str
    code: UserErrorCode  # type: ignore[valid-type]


def to_user_errors(exc: UserInputError, root: str | None = "input") -> list[UserError]:
    prefix = [] if root is None else [root]
    return [
        UserError(
            field=[*prefix, *(p if p.isdigit() else to_camel_case(p) for p in e.path)],
            message=e.message,
            code=UserErrorCode(e.code.value),  # type: ignore[operator]
        )
        for e in exc.errors
    ]


# Every mutation's optional `idempotencyKey` (gql/core/idempotency.py; the README says more).
IDEMPOTENCY_KEY = Annotated[
    str | None,
    strawberry.argument(
        description="Makes a retry safe: a repeat under this key gets the first answer."
    ),
]

# The metadata key that marks a field built by `mutation`, holding its spec.
MUTATION_SPEC = "ledgergraph.mutation"

# What a mutation's `run` may ask for, by parameter name: the request's session,
# viewer and settings; the input's `id`; and the input as a dict (`data`, without the
# `id` when `run` takes that separately).
ARGUMENTS = frozenset({"session", "viewer", "settings", "id", "data"})

# What goes into the payload's field: the row `run` returns, or its global id (a delete).
Returns = Literal["row", "deleted_id"]


@dataclass(frozen=True)
class MutationSpec:
    input: type
    payload: type
    run: Callable[..., Awaitable[Any]]
    field: str | None
    returns: Returns
    takes: tuple[str, ...]  # the ARGUMENTS `run` declares
    answer: Callable[[Any, Any], Any] | None = None

    async def resolve(
        self, context: Any, input: Any, key: tuple[str, str] | None = None, field_name: str = ""
    ) -> Any:
        """The payload; with an idempotency `key` (and where it came from), the first
        result given under it for the mutation field `field_name` and this input."""
        data = input_to_dict(input)
        sent = dict(data)  # the input as sent (with its id): what a key stands for
        expected = expected_of(data)
        given = {
            "session": context.session,
            "viewer": context.viewer,
            "settings": context.settings,
            "id": data.pop("id") if "id" in self.takes else None,
            "data": data,
        }
        arguments = {name: given[name] for name in self.takes}

        async def write() -> Any:
            result = await self.run(**arguments)
            # A deleted row's id is taken while the row is at hand (a replay has none).
            return global_id_of(result) if self.returns == "deleted_id" else result

        async def write_once() -> Any:
            if key is None:
                return await write()
            return await idempotency.mutation_once(
                context, key=key, field=field_name, data=sent, write=write
            )

        try:
            result = await in_transaction(
                context.session, write_once, expected=expected, operation=field_name
            )
        except idempotency.KeyRefused as exc:
            return self.payload(user_errors=to_user_errors(exc, root=None))
        except UserInputError as exc:
            return self.payload(user_errors=to_user_errors(exc))
        finally:
            # What loaders hold was read before this write (or its rollback); the
            # payload and any later mutation of the operation read afresh.
            context.loaders.clear()
        if self.answer is not None:
            result = self.answer(result, context.loaders)
        return self.payload(**self._payload_fields(result))

    def _payload_fields(self, result: Any) -> dict[str, Any]:
        if self.field is None:
            return dict(result)
        return {self.field: result}


def mutation(
    *,
    input: type,
    payload: type,
    run: Callable[..., Awaitable[Any]],
    permission: list[type[BasePermission]],
    field: str | None = None,
    returns: Returns = "row",
    description: str | None = None,
    answer: Callable[[Any, Any], Any] | None = None,
) -> Any:
    """The Mutation field `(input: <input>): <payload>`.

    `run` (usually the service function itself) is called with the ARGUMENTS its
    signature names, inside one transaction. Its result goes into the payload's `field`
    (`returns="deleted_id"`: the deleted row's global id); with no `field`, `run`
    returns the payload's fields itself. A UserInputError rolls everything back and
    becomes `payload(user_errors=...)`. `permission` is required: who may run a write
    is never left to a default. `answer(result, loaders)`, when given, makes the
    committed result into what goes into the payload, priming the request's (fresh)
    loaders with rows the write holds already, so the payload does not read them back."""
    if field is None and returns != "row":
        raise TypeError("returns='deleted_id' needs the payload field to put the id in")
    input = with_expected_version(input)
    spec = MutationSpec(input, payload, run, field, returns, _arguments_of(run, input), answer)

    # `input`, `idempotency_key`: the GraphQL arguments' names
    async def resolve(info: Any, input: Any, idempotency_key: str | None = None) -> Any:
        try:
            key = idempotency.mutation_key(info, idempotency_key)
        except idempotency.KeyRefused as exc:
            return payload(user_errors=to_user_errors(exc, root=None))
        return await spec.resolve(info.context, input, key, info.field_name)

    # The real types, for strawberry to read the arguments and the payload from.
    resolve.__annotations__ = {
        "info": strawberry.Info,
        "input": input,
        "idempotency_key": IDEMPOTENCY_KEY,
        "return": payload,
    }
    return strawberry.mutation(
        resolver=resolve,
        description=description,
        permission_classes=permission,
        metadata={MUTATION_SPEC: spec},
    )


def _arguments_of(run: Callable[..., Any], input: type) -> tuple[str, ...]:
    """The ARGUMENTS `run` takes; refused at import when it needs anything else, or the
    input's id that the input does not have."""
    parameters = inspect.signature(run).parameters
    unknown = [
        name
        for name, p in parameters.items()
        if name not in ARGUMENTS and p.default is inspect.Parameter.empty
    ]
    if unknown:
        raise TypeError(f"{run.__qualname__} needs {unknown}; a mutation gives {sorted(ARGUMENTS)}")
    takes = tuple(name for name in parameters if name in ARGUMENTS)
    input_fields = {f.python_name for f in input.__strawberry_definition__.fields}  # type: ignore[attr-defined]
    if "id" in takes and "id" not in input_fields:
        raise TypeError(f"{run.__qualname__} takes an id, which {input.__name__} does not have")
    return takes
