"""Errors: expected failures (user errors) and the GraphQL error codes clients rely on."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from graphql import GraphQLError
from pydantic import ValidationError


class ErrorCode(str, Enum):
    INVALID = "INVALID"
    REQUIRED = "REQUIRED"
    NOT_FOUND = "NOT_FOUND"
    TAKEN = "TAKEN"
    IN_USE = "IN_USE"
    INVALID_STATE = "INVALID_STATE"
    LOCKED = "LOCKED"
    FORBIDDEN = "FORBIDDEN"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    INSUFFICIENT_STOCK = "INSUFFICIENT_STOCK"
    CONFLICT = "CONFLICT"  # not at the version the write expected (gql/core/versions.py)
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field. `path` names the field, outermost first."""

    path: tuple[str, ...]
    message: str
    code: ErrorCode = ErrorCode.INVALID

    @property
    def dotted(self) -> str:
        return dotted(self.path)


def dotted(path: Sequence[str]) -> str:
    """A field path as one string: `lines[0].quantity`."""
    out = ""
    for part in path:
        out += f"[{part}]" if part.isdigit() else (f".{part}" if out else part)
    return out


@dataclass
class UserInputError(Exception):
    """Raised by services for expected failures; becomes userErrors or a REST 4xx."""

    errors: list[FieldError] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(f"{e.dotted}: {e.message}" for e in self.errors)

    @classmethod
    def single(
        cls, path: str | Sequence[str], message: str, code: ErrorCode = ErrorCode.INVALID
    ) -> UserInputError:
        parts = (path,) if isinstance(path, str) else tuple(path)
        return cls([FieldError(parts, message, code)])


_PYDANTIC_MESSAGES = {
    "missing": ("is required", ErrorCode.REQUIRED),
}


def from_validation_error(
    exc: ValidationError, prefix: Iterable[str] = (), rename: dict[str, str] | None = None
) -> UserInputError:
    """Turn pydantic's errors into field errors whose paths use the input's names."""
    rename = rename or {}
    errors: list[FieldError] = []
    for err in exc.errors(include_url=False):
        loc = [str(p) for p in err["loc"] if p != "__root__"]
        if loc and loc[0] in rename:
            loc[0] = rename[loc[0]]
        message, code = _PYDANTIC_MESSAGES.get(err["type"], (None, ErrorCode.INVALID))
        if message is None:
            message = err["msg"]
            if message.startswith("Value error, "):
                message = message[len("Value error, ") :]
        errors.append(FieldError((*prefix, *loc), message, code))
    return UserInputError(errors)


def not_found(path: str | Sequence[str], what: str) -> UserInputError:
    return UserInputError.single(path, f"{what} not found", ErrorCode.NOT_FOUND)


# --- errors that abort a GraphQL field (not user errors) ------------------------------


class NotFoundError(GraphQLError):
    def __init__(self, what: str = "Object") -> None:
        super().__init__(f"{what} not found", extensions={"code": ErrorCode.NOT_FOUND.value})


class ForbiddenError(GraphQLError):
    def __init__(self, message: str = "You do not have access to this") -> None:
        super().__init__(message, extensions={"code": ErrorCode.FORBIDDEN.value})


class UnauthenticatedError(GraphQLError):
    def __init__(self, message: str = "Authentication required") -> None:
        super().__init__(message, extensions={"code": ErrorCode.UNAUTHENTICATED.value})


class BadInputError(GraphQLError):
    def __init__(self, message: str, field: str | None = None, nodes: Any = None) -> None:
        ext: dict[str, Any] = {"code": "BAD_USER_INPUT"}
        if field:
            ext["field"] = field
        super().__init__(message, nodes, extensions=ext)
