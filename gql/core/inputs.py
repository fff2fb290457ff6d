"""Input validation shared by GraphQL and REST: pydantic models and reference checks."""

from __future__ import annotations

import types
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar, Union, get_args, get_origin

import strawberry
from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator
from pydantic.alias_generators import to_camel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.utils.str_converters import to_camel_case

from gql.core.errors import ErrorCode, FieldError, UserInputError, from_validation_error
from gql.core.ids import decode_id
from gql.core.scalars import parse_date, parse_datetime, parse_decimal

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R")

# The strict parser of each value type (gql/core/scalars.py), by the annotation.
_STRICT: dict[type, Callable[[object], object]] = {
    Decimal: parse_decimal,
    datetime: parse_datetime,
    date: parse_date,
}


@cache
def _strict_parser(model: type[BaseModel], name: str) -> Callable[[object], object] | None:
    """The strict parser for field `name` of `model` (`Decimal`, `date | None`, ...)."""
    annotation = model.model_fields[name].annotation
    kinds = get_args(annotation) if get_origin(annotation) in (Union, types.UnionType) else ()
    for kind in kinds or (annotation,):
        if kind in _STRICT:
            return _STRICT[kind]
    return None


@cache
def _scale(model: type[BaseModel], name: str) -> Decimal | None:
    """The quantum of decimal field `name`: its `decimal_places`, which is the scale of
    the column it is stored in (a value with more places is refused, not rounded)."""
    for constraint in model.model_fields[name].metadata:
        places = getattr(constraint, "decimal_places", None)
        if places is not None:
            return Decimal(1).scaleb(-places)
    return None


class InputModel(BaseModel):
    """Base of every Create/Update model: camelCase on the wire, strict about unknowns."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        str_strip_whitespace=True,
        use_enum_values=True,
    )

    @field_validator("*", mode="before")
    @classmethod
    def _strict_values(cls, value: Any, info: ValidationInfo) -> Any:
        # Every money, rate, quantity and date field of every input, in both dialects:
        # only plainly written numbers and sane dates (gql/core/scalars.py).
        parse = _strict_parser(cls, info.field_name) if info.field_name else None
        return value if parse is None or value is None else parse(value)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        unscaled = [
            n
            for n in cls.model_fields
            if _strict_parser(cls, n) is parse_decimal and _scale(cls, n) is None
        ]
        if unscaled:  # a decimal input says its column's scale, so it can be quantized
            raise TypeError(f"{cls.__name__}: decimal fields without decimal_places: {unscaled}")

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul_and_at_scale(cls, value: Any, info: ValidationInfo) -> Any:
        # PostgreSQL text cannot hold U+0000 (the driver raises): refuse it as bad input.
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain NUL characters")
        # Decimals leave validation at their column's scale ("5" is "5.00"), so what a
        # mutation returns is what a later read of the stored row returns.
        if isinstance(value, Decimal) and info.field_name:
            quantum = _scale(cls, info.field_name)
            if quantum is not None:
                return value.quantize(quantum)
        return value


def validate(model: type[M], data: Any, *, prefix: Sequence[str] = ()) -> M:
    """`model` from `data`, or a UserInputError naming every bad field."""
    if not isinstance(data, dict):
        raise UserInputError.single(list(prefix) or ["body"], "must be a JSON object")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(exc, prefix) from None


def wire_name(model: type[BaseModel], name: str) -> str:
    """Field `name` of `model` as clients send it (its camelCase alias): the name every
    error about it carries, from where it is raised."""
    return model.model_fields[name].alias or name


def require_not_null(model: type[BaseModel], values: dict[str, Any], *fields: str) -> None:
    """Refuse an explicit null for any of `fields` (an update that would clear them)."""
    nulls = [f for f in fields if f in values and values[f] is None]
    if nulls:
        raise UserInputError(
            [
                FieldError((wire_name(model, f),), "cannot be null", ErrorCode.REQUIRED)
                for f in nulls
            ]
        )


def input_to_dict(value: Any) -> Any:
    """A strawberry input as plain data with its GraphQL (camelCase) names; fields the
    client did not send are left out, so updates change only what was sent."""
    definition = getattr(value, "__strawberry_definition__", None)
    if definition is not None and hasattr(definition, "fields"):
        out: dict[str, Any] = {}
        for f in definition.fields:
            item = getattr(value, f.python_name)
            if item is strawberry.UNSET:
                continue
            out[f.graphql_name or to_camel_case(f.python_name)] = input_to_dict(item)
        return out
    if isinstance(value, list):
        return [input_to_dict(v) for v in value]
    return value


async def require_row(
    session: AsyncSession,
    model: type[R],
    ref: str | None,
    *,
    path: Sequence[str],
    what: str,
) -> R:
    """The tenant's `model` row named by `ref` (a global or object id), or a NOT_FOUND
    user error on `path`. Another company's id is simply not found."""
    pk = decode_id(ref, what) if ref else None
    row = None
    if pk is not None:
        row = await session.scalar(select(model).where(model.id == pk))  # type: ignore[attr-defined]
    if row is None:
        raise UserInputError([FieldError(tuple(path), f"{what} not found", ErrorCode.NOT_FOUND)])
    return row


async def find_row(session: AsyncSession, model: type[R], ref: str | None, what: str) -> R | None:
    """The tenant's row named by a global or object id, or None."""
    pk = decode_id(ref, what) if ref else None
    if pk is None:
        return None
    return await session.scalar(select(model).where(model.id == pk))  # type: ignore[attr-defined,no-any-return]
