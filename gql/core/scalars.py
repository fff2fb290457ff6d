"""Strict Decimal, Date and DateTime values, the same in both dialects.

Python (and so strawberry and pydantic) read far more as a number or a date than a
client of an accounting API means: Arabic-Indic or full-width digits are numbers to
Decimal(), so are " 5 ", "NaN" and "1e400", and pydantic reads the number 0 as the
date 1970-01-01. Here:

- a decimal is written with the ASCII digits 0-9, an optional leading sign (+ or -)
  and an optional decimal point ("12", "-3.50", ".5", "5."), at most 40 characters;
  no exponent, no spaces, no NaN or Infinity. A JSON number (REST) or a GraphQL Int
  or Float literal is taken on the same terms (a JSON number written with an exponent
  is refused as such). -0 is 0.
- a date is written YYYY-MM-DD; a datetime as ISO 8601 ("2026-03-01T09:30:00Z");
  both between 1900-01-01 and 2200-12-31.

The parse functions serve the GraphQL scalars (below) and every pydantic input
model (gql/core/inputs.py), so GraphQL and REST refuse exactly the same values.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import strawberry
from graphql import BREAK, DocumentNode, GraphQLError, Visitor, value_from_ast_untyped, visit
from graphql.language import (
    ArgumentNode,
    FloatValueNode,
    IntValueNode,
    ListValueNode,
    ObjectValueNode,
    StringValueNode,
)

MAX_DECIMAL_CHARS = 40
MAX_DATETIME_CHARS = 64
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2200, 12, 31)

_PLAIN_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_PLAIN_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

DECIMAL_RULE = "must be a number written with the digits 0-9, an optional sign and decimal point"
DATE_RULE = "must be a date written YYYY-MM-DD"
DATETIME_RULE = "must be a date and time written in ISO 8601 (2026-03-01T09:30:00Z)"
RANGE_RULE = f"must be between {MIN_DATE.isoformat()} and {MAX_DATE.isoformat()}"


class JsonExponent(Decimal):
    """A JSON number written with an exponent ("1e400"): read by the REST dialect's
    parser so that the field it was sent for can be named when it is refused."""


def parse_decimal(value: object) -> Decimal:
    """`value` as an exact Decimal, or ValueError saying what a decimal must be."""
    if isinstance(value, Decimal):
        return _plain(value)
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(DECIMAL_RULE)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(DECIMAL_RULE)
        value = repr(value)  # the shortest text that reads back as this float
    text = str(value)
    if len(text) > MAX_DECIMAL_CHARS:
        raise ValueError(f"must be at most {MAX_DECIMAL_CHARS} characters")
    if not _PLAIN_DECIMAL.fullmatch(text):
        raise ValueError(DECIMAL_RULE)
    return _without_sign_on_zero(Decimal(text))


def _plain(value: Decimal) -> Decimal:
    # A positive exponent (Decimal("1E+2")) only comes from exponent notation.
    if isinstance(value, JsonExponent) or not value.is_finite():
        raise ValueError(DECIMAL_RULE)
    sign_digits_exponent = value.as_tuple()
    exponent = sign_digits_exponent.exponent
    if not isinstance(exponent, int) or exponent > 0:
        raise ValueError(DECIMAL_RULE)
    if len(sign_digits_exponent.digits) > MAX_DECIMAL_CHARS:
        raise ValueError(f"must be at most {MAX_DECIMAL_CHARS} characters")
    return _without_sign_on_zero(value)


def _without_sign_on_zero(value: Decimal) -> Decimal:
    return value.copy_abs() if value.is_zero() else value


def json_number(text: str) -> Decimal:
    """simplejson's `parse_float`: exact, and marked when written with an exponent."""
    try:
        return JsonExponent(text) if "e" in text or "E" in text else Decimal(text)
    except InvalidOperation:  # cannot happen for JSON's number grammar; be sure anyway
        raise ValueError(f"not a number: {text}") from None


def check_date_range(value: date) -> date:
    """`value` (a date, or a datetime's day as written) within the sane range."""
    day = value.date() if isinstance(value, datetime) else value
    if not MIN_DATE <= day <= MAX_DATE:
        raise ValueError(RANGE_RULE)
    return value


def parse_date(value: object) -> date:
    if isinstance(value, datetime):
        raise ValueError(DATE_RULE)
    if isinstance(value, date):
        return check_date_range(value)
    if not isinstance(value, str) or not _PLAIN_DATE.fullmatch(value):
        raise ValueError(DATE_RULE)
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{DATE_RULE}, and be a day of the calendar") from None
    return check_date_range(day)


def parse_datetime(value: object) -> datetime:
    if isinstance(value, datetime):
        return check_date_range(value)  # type: ignore[return-value]
    if not isinstance(value, str) or not value.isascii() or len(value) > MAX_DATETIME_CHARS:
        raise ValueError(DATETIME_RULE)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(DATETIME_RULE) from None
    return check_date_range(moment)  # type: ignore[return-value]


# --- the GraphQL scalars -------------------------------------------------------------------


class BadValueError(GraphQLError):
    """A scalar value the client sent that is not one: BAD_USER_INPUT, and (by
    name_bad_values) the field it was sent for."""

    def __init__(self, message: str, node: Any = None) -> None:
        super().__init__(message, node, extensions={"code": "BAD_USER_INPUT"})


# graphql-core's wording for a variable that does not coerce (the path is in no field).
_VARIABLE_ERROR = re.compile(r"Variable '\$(\w+)' has invalid value(?: at ([^:]+))?:")


def name_bad_values(errors: Iterable[GraphQLError], document: DocumentNode | None) -> None:
    """Adds `extensions.field` to every BadValueError: the variable and the path in it
    ("input.lines[0].quantity"), or the argument and the path to a literal."""
    for error in errors:
        bad = error if isinstance(error, BadValueError) else error.original_error
        if not isinstance(bad, BadValueError) or "field" in (error.extensions or {}):
            continue
        variable = _VARIABLE_ERROR.match(error.message)
        if variable is not None:
            field: str | None = variable.group(1) + (variable.group(2) or "")
        else:
            field = _literal_path(document, bad.nodes[0]) if bad.nodes else None
        if field is not None:
            error.extensions = {**(error.extensions or {}), "field": field}


def _literal_path(document: DocumentNode | None, target: Any) -> str | None:
    """The argument and path of the literal `target` in `document` ("input.rate")."""
    found: list[str] = []

    class Find(Visitor):
        def enter_argument(self, node: ArgumentNode, *_: Any) -> Any:
            path = _path_to(node.value, target, node.name.value)
            if path is not None:
                found.append(path)
                return BREAK
            return None

    if document is not None:
        visit(document, Find())
    return found[0] if found else None


def _path_to(value: Any, target: Any, path: str) -> str | None:
    if value is target:
        return path
    if isinstance(value, ObjectValueNode):
        for field in value.fields:
            found = _path_to(field.value, target, f"{path}.{field.name.value}")
            if found is not None:
                return found
    elif isinstance(value, ListValueNode):
        for index, item in enumerate(value.values):
            found = _path_to(item, target, f"{path}[{index}]")
            if found is not None:
                return found
    return None


def _value_parser(parse: Any) -> Any:
    def parse_value(value: Any) -> Any:
        try:
            return parse(value)
        except ValueError as exc:
            raise BadValueError(str(exc)) from None

    return parse_value


def _literal_parser(parse: Any) -> Any:
    """Literals are parsed from their text as written, so a Float literal `1e2` is
    refused like the string "1e2"."""

    def parse_literal(node: Any, variables: dict[str, Any] | None = None) -> Any:
        if isinstance(node, (StringValueNode, IntValueNode, FloatValueNode)):
            raw: Any = node.value
        else:
            raw = value_from_ast_untyped(node, variables)
        try:
            return parse(raw)
        except ValueError as exc:
            raise BadValueError(str(exc), node) from None

    return parse_literal


def _text_only(parse: Any, rule: str) -> Any:
    """Dates are strings in GraphQL: an Int literal is not a date."""

    def parse_text(raw: Any) -> Any:
        if not isinstance(raw, str):
            raise ValueError(rule)
        return parse(raw)

    return parse_text


def _serialize_decimal(value: Decimal) -> str:
    return str(_without_sign_on_zero(value))


def _isoformat(value: date) -> str:
    return value.isoformat()


DecimalScalar = strawberry.scalar(
    name="Decimal",
    description=(
        "An exact decimal number, given and returned as a string: the digits 0-9, an "
        "optional sign and decimal point; no exponent, no spaces (an Int or Float "
        "literal is read on the same terms)."
    ),
    serialize=_serialize_decimal,
    parse_value=_value_parser(parse_decimal),
    parse_literal=_literal_parser(parse_decimal),
)
DateScalar = strawberry.scalar(
    name="Date",
    description="A day, YYYY-MM-DD, between 1900-01-01 and 2200-12-31.",
    serialize=_isoformat,
    parse_value=_value_parser(_text_only(parse_date, DATE_RULE)),
    parse_literal=_literal_parser(_text_only(parse_date, DATE_RULE)),
)
DateTimeScalar = strawberry.scalar(
    name="DateTime",
    description="A moment in ISO 8601 (2026-03-01T09:30:00Z), between 1900 and 2200.",
    serialize=_isoformat,
    parse_value=_value_parser(_text_only(parse_datetime, DATETIME_RULE)),
    parse_literal=_literal_parser(_text_only(parse_datetime, DATETIME_RULE)),
)
SCALAR_OVERRIDES: dict[object, Any] = {
    Decimal: DecimalScalar,
    date: DateScalar,
    datetime: DateTimeScalar,
}
