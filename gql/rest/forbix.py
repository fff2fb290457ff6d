"""The Forbix Open-API dialect (/openapi/...): `{"success": true, "message":
"SUCCESSFUL", "data": ...}` envelopes, `page` (from 0) / `pageSize` pagination with
`totalCount` and `totalPages`, `sortBy` / `order` on every list, `_id` for ids and
epoch milliseconds for dates, in and out.

Everything else a request goes through is Numbors' (gql/rest/numbors.py), called, not
copied: the endpoint wrapper (viewer, tenant from X-Company-Id, role and module
checks, one transaction, failures classified, the request id), the body reader (exact
decimals, size limit) and the error body `{"success": false, "message", "code",
"errors": [{field, message, code}]}`, whose fields carry the names the client sent.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement
from starlette.requests import Request
from starlette.responses import Response

from gql.core.errors import ErrorCode, FieldError, UserInputError
from gql.core.ordering import order_clauses
from gql.core.pagination import MAX_POSITION, PageArgs
from gql.core.scalars import MAX_DATE, MIN_DATE, parse_decimal
from gql.core.versions import version_of
from gql.domains.companies.modules import ModuleAlias
from gql.rest import numbors
from gql.rest.numbors import Handler, HttpError, bad_params, json_response, param_error
from gql.rest.renames import SAME_NAMES, Renames
from gql.settings import Settings

SUCCESSFUL = "SUCCESSFUL"
DEFAULT_PAGE_SIZE = 10

# A user error's status by its code: a request that is well formed but conflicts with
# the state of the books (an issued invoice's lines, a number taken) is a 409; the rest
# (a value refused, a field missing, an id in the body not found) 400.
_CONFLICTS = {ErrorCode.LOCKED, ErrorCode.INVALID_STATE, ErrorCode.TAKEN, ErrorCode.IN_USE}


def user_error_status(exc: UserInputError) -> int:
    conflict = bool(exc.errors) and all(e.code in _CONFLICTS for e in exc.errors)
    return 409 if conflict else 400


def endpoint(
    *,
    module: ModuleAlias | None = None,
    write: bool = False,
    names: Renames = SAME_NAMES,
) -> Callable[[Handler], Any]:
    """Numbors' endpoint wrapper, with Forbix's statuses for user errors."""
    return numbors.endpoint(
        module=module, write=write, names=names, user_error_status=user_error_status
    )


# --- answers ---------------------------------------------------------------------------------


def ok(data: Any, status: int = 200) -> Response:
    return json_response({"success": True, "message": SUCCESSFUL, "data": data}, status)


def identity(row: Any) -> dict[str, Any]:
    """What names a row in a Forbix body: its `_id`, and its `version` (the ETag, for
    If-Match) when it has one. Every row's body starts with it; a write answers it."""
    return {"_id": row.id, **version_of(row)}


def saved(row: Any, *, top_level: bool = False, status: int = 201) -> Response:
    """A write's answer: `data._id` (and `version`), or (items, purchase invoices) both
    beside the envelope."""
    if top_level:
        return json_response({"success": True, "message": SUCCESSFUL, **identity(row)}, status)
    return ok(identity(row), status)


def listed(items: list[Any], *, total: int, page: ForbixPage, key: str = "data") -> Response:
    """A list's answer; the voucher list names its rows `items` instead of `data`."""
    return json_response(
        {
            "success": True,
            "message": SUCCESSFUL,
            key: items,
            "totalCount": total,
            "totalPages": math.ceil(total / page.size) if page.size else 0,
        }
    )


# --- epoch milliseconds ----------------------------------------------------------------------

MILLIS_RULE = "must be a time in epoch milliseconds (a whole number)"


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS = timedelta(milliseconds=1)
_MIN_MS = (datetime.combine(MIN_DATE, time(), UTC) - _EPOCH) // _MS
_MAX_MS = (datetime.combine(MAX_DATE, time.max, UTC) - _EPOCH) // _MS


def millis(value: date | datetime | None) -> int | None:
    """A date (its first instant in UTC) or a timestamp as epoch milliseconds."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(), UTC)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return (value - _EPOCH) // _MS


def from_millis(value: Any) -> datetime | None:
    """Epoch milliseconds (a JSON number or a string of digits) as a UTC timestamp;
    0 and "0" are Forbix's "not set". ValueError when it is not one."""
    if value is None:
        return None
    try:
        if isinstance(value, bool):
            raise ValueError
        number = parse_decimal(value)
    except ValueError:
        raise ValueError(MILLIS_RULE) from None
    if number != number.to_integral_value():
        raise ValueError(MILLIS_RULE)
    ms = int(number)
    if ms == 0:
        return None
    if not _MIN_MS <= ms <= _MAX_MS:
        raise ValueError(f"must be between {MIN_DATE} and {MAX_DATE}")
    return _EPOCH + ms * _MS


def day_of_millis(value: Any) -> date | None:
    moment = from_millis(value)
    return moment.date() if moment is not None else None


def invalid(errors: list[FieldError]) -> HttpError:
    """A 400 for errors already named as the client sent the fields (no renaming)."""
    return HttpError(
        400,
        "Validation failed",
        [{"field": e.dotted, "message": e.message, "code": e.code.value} for e in errors],
    )


def convert_fields(
    data: dict[str, Any], fields: dict[str, str], convert: Callable[[Any], Any]
) -> None:
    """Convert each of `fields` (our name -> the client's) present in `data` in place,
    or raise every failure naming the client's field."""
    errors: list[FieldError] = []
    for ours, theirs in fields.items():
        if ours in data:
            try:
                data[ours] = convert(data[ours])
            except ValueError as exc:
                errors.append(FieldError((theirs,), str(exc)))
    if errors:
        raise invalid(errors)


def require_fields(body: dict[str, Any], *names: str) -> None:
    """The fields the Forbix document marks required, named as the client sends them."""
    missing = [n for n in names if body.get(n) is None]
    if missing:
        raise invalid([FieldError((n,), "is required", ErrorCode.REQUIRED) for n in missing])


def drop_fields(body: dict[str, Any], *names: str) -> None:
    """Fields the document lets a client send that this server does not keep (the
    company is the request's tenant, a creator its viewer): accepted and left out."""
    for name in names:
        body.pop(name, None)


# --- query parameters ------------------------------------------------------------------------


@dataclass(frozen=True)
class ForbixPage:
    """`page` (from 0) and `pageSize` (default 10, at most the page-size cap)."""

    page: int
    size: int

    @property
    def args(self) -> PageArgs:
        return PageArgs(first=self.size, after=self.page * self.size or None)


def page_params(request: Request, settings: Settings) -> ForbixPage:
    errors: list[dict[str, str]] = []
    values: dict[str, int] = {}
    cap = settings.max_page_size
    for name, default, low, high in (
        ("page", 0, 0, MAX_POSITION // cap - 1),
        ("pageSize", DEFAULT_PAGE_SIZE, 1, cap),
    ):
        raw = request.query_params.get(name)
        try:
            value = default if raw in (None, "") else int(raw)  # type: ignore[arg-type]
        except ValueError:
            errors.append(param_error(name, "must be a whole number"))
            continue
        if not low <= value <= high:
            errors.append(param_error(name, f"must be between {low} and {high}"))
        values[name] = value
    if errors:
        raise bad_params(*errors)
    return ForbixPage(page=values["page"], size=values["pageSize"])


def sort_params(
    request: Request, model: type[Any], columns: dict[str, Any], default: str
) -> list[ColumnElement[Any]]:
    """`sortBy` (one of `columns`, the Forbix names of what a list sorts by) and `order`
    (asc / desc, default desc) as ORDER BY clauses ending with the id, so pages are
    stable. An unknown sortBy is a 400 naming it and what it can be."""
    sort_by = request.query_params.get("sortBy") or default
    if sort_by not in columns:
        raise bad_params(param_error("sortBy", f"must be one of: {', '.join(columns)}"))
    order = numbors.choice_param(request, "order", ["asc", "desc"]) or "desc"
    return order_clauses(model, columns[sort_by], order)


def millis_param(request: Request, name: str) -> datetime | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return from_millis(raw)
    except ValueError as exc:
        raise bad_params(param_error(name, str(exc))) from None


def decimal_param(request: Request, name: str) -> Decimal | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return parse_decimal(raw)
    except ValueError as exc:
        raise bad_params(param_error(name, str(exc))) from None


def int_param(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise bad_params(param_error(name, "must be a whole number")) from None
    if not -MAX_POSITION <= value <= MAX_POSITION:
        raise bad_params(param_error(name, f"must be at most {MAX_POSITION} in size"))
    return value


def ids(values: Iterable[str | None]) -> set[str]:
    return {v for v in values if v}
