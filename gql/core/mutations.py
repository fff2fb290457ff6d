"""GraphQL mutation plumbing: user errors and one transaction per mutation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Any, TypeVar

import strawberry
from strawberry.utils.str_converters import to_camel_case

from gql.core.errors import ErrorCode, UserInputError
from gql.db import RequestSession

T = TypeVar("T")

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


def to_user_errors(exc: UserInputError, root: str = "input") -> list[UserError]:
    return [
        UserError(
            field=[root, *(p if p.isdigit() else to_camel_case(p) for p in e.path)],
            message=e.message,
            code=UserErrorCode(e.code.value),  # type: ignore[operator]
        )
        for e in exc.errors
    ]


async def in_transaction(
    session: RequestSession, action: Callable[[], Awaitable[T]]
) -> tuple[T | None, list[UserError]]:
    """Run `action` as one database transaction: committed whole, or rolled back whole
    with the user errors that explain why."""
    try:
        result = await action()
        await session.commit()
    except UserInputError as exc:
        await session.rollback()
        return None, to_user_errors(exc)
    except BaseException:
        await session.rollback()
        raise
    return result, []


P = TypeVar("P")


async def run_mutation(
    session: RequestSession, payload: Callable[..., P], action: Callable[[], Awaitable[P]]
) -> P:
    """`action`'s payload when it succeeds; otherwise `payload(user_errors=...)`."""
    result, errors = await in_transaction(session, action)
    return result if result is not None else payload(user_errors=errors)


async def save_mutation(
    session: RequestSession,
    payload: Callable[..., P],
    field: str,
    change: Callable[[], Awaitable[Any]],
) -> P:
    """A create or update: `payload(<field>=row)`, or `payload(user_errors=...)`."""

    async def action() -> P:
        return payload(**{field: await change()})

    return await run_mutation(session, payload, action)


async def delete_mutation(
    session: RequestSession,
    payload: Callable[..., P],
    field: str,
    change: Callable[[], Awaitable[Any]],
) -> P:
    """A delete: `payload(<field>=the deleted row's global id)`, or its user errors."""
    from gql.core.relay import global_id_of

    async def action() -> P:
        return payload(**{field: global_id_of(await change())})

    return await run_mutation(session, payload, action)
