"""OpenAPI 3.1 documents of the two REST dialects, generated from the routes.

Each REST route is an `ApiRoute`: besides path, handler and method it names the row
model its answer is made of, the pydantic model its body is validated with (the same
InputModel the service validates with) and its filters, once. `document()` walks a
dialect's mount in the app and writes every operation: path and query parameters, the
body, the answer in the dialect's envelope, the error answers and the security the
handler's `endpoint(...)` asks for. Nothing here is written per path by hand."""

from __future__ import annotations

import copy
import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic.alias_generators import to_camel
from starlette.routing import BaseRoute, Mount, Route

from gql.auth.access import Level, Need
from gql.core.errors import ErrorCode
from gql.core.idempotency import MAX_KEY_LENGTH
from gql.core.throttle import THROTTLED
from gql.core.versions import is_versioned
from gql.rest.renames import SAME_NAMES, Renames

Schema = dict[str, Any]
UNDOCUMENTED = "x-ledgergraph-undocumented"


# --- query parameters ------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    name: str
    schema: Schema
    description: str = ""

    def spec(self) -> Schema:
        out: Schema = {"name": self.name, "in": "query", "required": False, "schema": self.schema}
        if self.description:
            out["description"] = self.description
        return out


def text(name: str, description: str = "free text") -> Param:
    return Param(name, {"type": "string"}, description)


def choice(name: str, values: type[enum.Enum] | Iterable[str]) -> Param:
    names = [v.value for v in values] if isinstance(values, type) else list(values)  # type: ignore[attr-defined]
    return Param(name, {"type": "string", "enum": names})


def flag(name: str) -> Param:
    return Param(name, {"type": "string", "enum": ["true", "false"]}, "true or false")


def day(name: str) -> Param:
    return Param(name, {"type": "string", "format": "date"}, "a day, YYYY-MM-DD")


def ref(name: str) -> Param:
    return Param(name, {"type": "string"}, f"the {name}'s id (object id or global id)")


def millis(name: str) -> Param:
    return Param(name, {"type": "integer"}, "a time in epoch milliseconds")


def number(name: str) -> Param:
    return Param(name, {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}, "a decimal number")


def whole(name: str) -> Param:
    return Param(name, {"type": "integer"})


# --- answers that are no row ----------------------------------------------------------------

DELETED: Schema = {
    "type": "object",
    "properties": {"id": {"type": "string"}, "deleted": {"const": True}},
    "required": ["id", "deleted"],
}
VERSION: Schema = {"type": "integer", "minimum": 1}  # a versioned row's (and its ETag)
ID_ONLY: Schema = {  # Forbix: what a create or update answers in `data`
    "type": "object",
    "properties": {"_id": {"type": "string"}, "version": VERSION},
    "required": ["_id"],
}
ID_BESIDE: Schema = {  # Forbix: `_id` beside the envelope (null and the row for doNotSave)
    "type": "object",
    "properties": {
        "success": {"const": True},
        "message": {"const": "SUCCESSFUL"},
        "_id": {"type": ["string", "null"]},
        "version": VERSION,
        "data": {"type": "object"},
    },
    "required": ["success", "_id"],
}


# --- routes ----------------------------------------------------------------------------------


class ApiRoute(Route):
    """A REST route with what its document says of it.

    `row`: the table model (or a JSON schema) one answer's `data` is made of, or each
    of a list's rows; `body`: the request model; `query`: the filters; `listed`: a
    paginated list (default: a GET of rows whose path does not end in a parameter); `many`: a
    plain array of rows; `answer`: the whole answer when it is no envelope around
    `data` (Forbix's create of an item: `_id` beside it);
    `undocumented`: why the dialect's own document lacks this path; `status`: of
    success (default 201 for a POST, else 200)."""

    def __init__(
        self,
        path: str,
        endpoint: Callable[..., Any],
        method: str,
        *,
        summary: str,
        row: type[BaseModel] | Schema | None = None,
        body: type[BaseModel] | None = None,
        query: Sequence[Param] = (),
        listed: bool | None = None,
        many: bool = False,
        answer: Schema | None = None,
        undocumented: str | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(path, endpoint, methods=[method])
        self.method = method
        self.summary = summary
        self.row = row
        self.body = body
        self.query = tuple(query)
        if listed is None:  # a GET of rows whose path names no one row
            listed = method == "GET" and row is not None and not many and not path.endswith("}")
        self.listed = listed
        self.many = many
        self.answer = answer
        self.undocumented = undocumented
        self.status = status or (201 if method == "POST" else 200)


# --- dialects --------------------------------------------------------------------------------


def _error_body(code: str | None = None, **extra: Schema) -> Schema:
    """The error answer; `code`: the one code every answer of its status carries;
    `extra`: required fields of that status (429: when to retry)."""
    field_error = {
        "type": "object",
        "properties": {
            "field": {"type": "string"},
            "message": {"type": "string"},
            "code": {"type": "string"},
        },
        "required": ["field", "message", "code"],
    }
    return {
        "type": "object",
        "properties": {
            "success": {"const": False},
            "message": {"type": "string"},
            "code": {"type": "string"} if code is None else {"const": code},
            "errors": {"type": "array", "items": field_error},
            # A stale If-Match (409): the row's version now, null when a concurrent
            # write got there first.
            "currentVersion": {"type": ["integer", "null"]},
            **extra,
        },
        "required": ["success", "message", "code", *extra],
    }


# The code each error status always answers with (gql/rest/numbors.py: STATUS_CODES; an
# Idempotency-Key's reuse; the bucket's refusal); 400's code names what was wrong.
ERROR_CODES = {
    "401": ErrorCode.UNAUTHENTICATED.value,
    "403": ErrorCode.FORBIDDEN.value,
    "404": ErrorCode.NOT_FOUND.value,
    "409": ErrorCode.CONFLICT.value,
    "422": ErrorCode.IDEMPOTENCY_KEY_REUSED.value,
    "429": THROTTLED,
}


def _error_schemas() -> dict[str, Schema]:
    schemas = {"Error": _error_body()}
    for status, code in ERROR_CODES.items():
        extra = {"retryAfterSeconds": {"type": "integer", "minimum": 0}} if status == "429" else {}
        schemas[f"Error{status}"] = _error_body(code, **extra)
    return schemas


@dataclass(frozen=True)
class Dialect:
    title: str
    prefix: str
    description: str
    page_params: tuple[Param, ...]
    id_key: str
    dates_as_millis: bool
    envelope: Callable[[Schema], Schema]
    list_envelope: Callable[[Schema, ApiRoute], Schema]


def _numbors_list(row: Schema, route: ApiRoute) -> Schema:
    count = {"type": "integer", "minimum": 0}
    return {
        "type": "object",
        "properties": {
            "success": {"const": True},
            "data": {"type": "array", "items": row},
            "pagination": {
                "type": "object",
                "properties": {"page": count, "limit": count, "total": count, "pages": count},
                "required": ["page", "limit", "total", "pages"],
            },
        },
        "required": ["success", "data", "pagination"],
    }


def _forbix_list(row: Schema, route: ApiRoute) -> Schema:
    key = "items" if route.path == "/accounting/vouchers" else "data"  # as Forbix names it
    count = {"type": "integer", "minimum": 0}
    return {
        "type": "object",
        "properties": {
            "success": {"const": True},
            "message": {"const": "SUCCESSFUL"},
            key: {"type": "array", "items": row},
            "totalCount": count,
            "totalPages": count,
        },
        "required": ["success", key, "totalCount", "totalPages"],
    }


NUMBORS = Dialect(
    title="Ledgergraph: the Numbors REST dialect",
    prefix="/api",
    description=(
        'Answers are `{"success": true, "data": ...}`; lists add `pagination` and take '
        "`page` (from 1) and `limit`. Send `Authorization: Bearer <token>` (POST "
        "/api/auth/login) and, to choose a company, `X-Company-Id`."
    ),
    page_params=(
        Param("page", {"type": "integer", "minimum": 1}, "the page, from 1"),
        Param("limit", {"type": "integer", "minimum": 1}, "rows a page (default 25)"),
    ),
    id_key="id",
    dates_as_millis=False,
    envelope=lambda data: {
        "type": "object",
        "properties": {"success": {"const": True}, "data": data},
        "required": ["success", "data"],
    },
    list_envelope=_numbors_list,
)

FORBIX = Dialect(
    title="Ledgergraph: the Forbix Open-API dialect",
    prefix="/openapi",
    description=(
        'Answers are `{"success": true, "message": "SUCCESSFUL", "data": ...}`; lists '
        "add `totalCount` and `totalPages` and take `page` (from 0), `pageSize`, "
        "`sortBy` and `order`. Ids are `_id`, times epoch milliseconds. Send "
        "`Authorization: Bearer <token>` (POST /api/auth/login) and `X-Company-Id`."
    ),
    page_params=(
        Param("page", {"type": "integer", "minimum": 0}, "the page, from 0"),
        Param("pageSize", {"type": "integer", "minimum": 1}, "rows a page (default 10)"),
        Param("sortBy", {"type": "string"}, "the field to sort by"),
        Param("order", {"type": "string", "enum": ["asc", "desc"]}),
    ),
    id_key="_id",
    dates_as_millis=True,
    envelope=lambda data: {
        "type": "object",
        "properties": {
            "success": {"const": True},
            "message": {"const": "SUCCESSFUL"},
            "data": data,
        },
        "required": ["success", "data"],
    },
    list_envelope=_forbix_list,
)


# --- schemas from the models -----------------------------------------------------------------


def _walk(schema: Any, visit: Callable[[Schema], None]) -> None:
    if isinstance(schema, dict):
        visit(schema)
        for value in schema.values():
            _walk(value, visit)
    elif isinstance(schema, list):
        for value in schema:
            _walk(value, visit)


def _rename_properties(schema: Schema, rename: Callable[[str], str]) -> None:
    properties = schema.get("properties")
    if isinstance(properties, dict):
        schema["properties"] = {rename(k): v for k, v in properties.items()}
    if isinstance(schema.get("required"), list):
        schema["required"] = [rename(k) for k in schema["required"]]


def _inline_defs(schema: Schema) -> Schema:
    """The model's schema with its `$defs` under the document's components."""
    defs = schema.pop("$defs", {})

    def point(node: Schema) -> None:
        target = node.get("$ref")
        if isinstance(target, str) and target.startswith("#/$defs/"):
            node["$ref"] = "#/components/schemas/" + target.removeprefix("#/$defs/")

    _walk(schema, point)
    _walk(defs, point)
    schema["x-defs"] = defs
    return schema


def body_schema(model: type[BaseModel], names: Renames, *, partial: bool) -> Schema:
    """The request model's schema (camelCase, as InputModel reads it), under the names the
    dialect sends (`names`: theirs -> ours); an update's fields are all optional."""
    schema = _inline_defs(model.model_json_schema(by_alias=True))
    theirs = {ours: t for t, ours in names.theirs_to_ours.items()}
    _rename_properties(schema, lambda k: theirs.get(k, k))
    if partial:
        schema.pop("required", None)
    return schema


def row_schema(row: type[BaseModel] | Schema, dialect: Dialect, names: Renames) -> Schema:
    """A row as REST answers it: camelCase keys, the tenant column left out, the id under
    the dialect's key. Every field is listed with its type; the id and a versioned
    row's version are required (every answer of a row has them), the others not: an
    answer adds derived fields (totals, lines), names a reference its own way
    (`category` for `categoryId`) or leaves a field out."""
    if not isinstance(row, type):
        return copy.deepcopy(row)
    schema = _inline_defs(row.model_json_schema())
    theirs = {ours: t for t, ours in names.theirs_to_ours.items()}

    def loosen(node: Schema) -> None:
        _rename_properties(node, lambda k: theirs.get(to_camel(k), to_camel(k)))
        node.pop("required", None)
        node.pop("additionalProperties", None)
        if dialect.dates_as_millis and node.get("format") in ("date", "date-time"):
            node.clear()
            node["type"] = "integer"
        if dialect.dates_as_millis and "enum" in node:  # Forbix writes its codes in capitals
            node.pop("enum")

    _walk(schema, loosen)
    properties = schema.setdefault("properties", {})
    properties.pop("companyId", None)
    if "id" in properties:
        properties[dialect.id_key] = properties.pop("id")
    schema["required"] = [dialect.id_key, *(["version"] if is_versioned(row) else [])]
    return schema


# --- the document ----------------------------------------------------------------------------


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: Schema, description: str) -> Schema:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERRORS = {
    "400": "Invalid input: the body or a parameter, each error naming its field",
    "401": "Unauthenticated: no token, a token that is not valid, or wrong credentials",
    "403": "Forbidden: the module is not enabled, or the role is too low",
    "404": "Not found (also another company's id)",
    "409": "Conflict: a stale If-Match (with `currentVersion`), or (Forbix) with the state "
    "of the books: a number taken, an issued invoice",
    "422": "The Idempotency-Key was sent before with another request",
    "429": "Throttled: the company's request budget is spent; retry after `Retry-After` seconds",
}


class _Builder:
    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self.schemas: dict[str, Schema] = _error_schemas()

    def component(self, name: str, schema: Schema) -> Schema:
        for key, value in schema.pop("x-defs", {}).items():
            self.schemas.setdefault(key, value)
        self.schemas.setdefault(name, schema)
        return _ref(name)

    def operation(self, route: ApiRoute) -> Schema:
        dialect = self.dialect
        handler = route.endpoint
        need: Need | None = getattr(handler, "need", None)
        names: Renames = getattr(handler, "names", SAME_NAMES)
        op: Schema = {
            "operationId": _operation_id(route),
            "summary": route.summary,
            "tags": [route.path.strip("/").split("/")[0]],
        }
        parameters = [
            {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
            for p in route.param_convertors
        ]
        if route.listed:
            parameters += [p.spec() for p in dialect.page_params]
        parameters += [p.spec() for p in route.query]
        parameters += _headers(route)
        if parameters:
            op["parameters"] = parameters
        if route.body is not None:
            schema = body_schema(route.body, names, partial=route.method == "PUT")
            body_ref = self.component(_schema_name(route, "Body"), schema)
            op["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": body_ref}},
            }
        data: Schema = {}
        if route.row is not None:
            row = route.row
            row_name = row.__name__ if isinstance(row, type) else _schema_name(route, "Row")
            data = self.component(row_name, row_schema(row, dialect, names))
        if route.many:
            data = {"type": "array", "items": data}
        if route.answer is not None:
            answer = route.answer
        elif route.listed:
            answer = dialect.list_envelope(data, route)
        else:
            answer = dialect.envelope(data)
        responses: Schema = {str(route.status): _json(answer, "Success")}
        if isinstance(route.row, type) and is_versioned(route.row) and not route.listed:
            responses[str(route.status)]["headers"] = {"ETag": ETAG}
        errors = ["400", "401", "404", "409"]  # public: 401 for wrong credentials
        if route.method != "GET":
            errors.append("422")  # every write takes an Idempotency-Key
        if need is not None:
            errors.insert(2, "403")
            errors.append("429")  # a company's requests draw from its bucket
            op["security"] = [{"bearer": [], "companyId": []}, {"bearer": []}]
            if need.module is not None:
                op["description"] = f"Needs the `{need.module.value}` module enabled."
            if need.level is not Level.READ:
                op["description"] = (
                    op.get("description", "") + f" Role: {need.level.name.lower()}."
                ).strip()
        else:
            op["security"] = []
        for code in errors:
            error = f"Error{code}" if code in ERROR_CODES else "Error"
            responses[code] = _json(_ref(error), ERRORS[code])
        op["responses"] = responses
        if route.undocumented:
            op[UNDOCUMENTED] = True
            op["description"] = (op.get("description", "") + " " + route.undocumented).strip()
        return op


IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
    "description": "Makes a retry safe: a repeat with the same key and body gets the first "
    "answer (`Idempotent-Replayed: true`); another body under it is a 422",
}
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "schema": {"type": "string"},
    "description": 'The ETag last read (`"<version>"`): a write over a newer change is a 409 '
    "naming `currentVersion`",
}
ETAG = {
    "description": 'The row\'s version, `"<version>"`, to send back as If-Match',
    "schema": {"type": "string"},
}


def _headers(route: ApiRoute) -> list[Schema]:
    """A write's Idempotency-Key, and If-Match where its path names one row, as
    gql/rest/numbors.py reads them."""
    if route.method == "GET":
        return []
    ids = [p for p in route.param_convertors if p == "id" or p.endswith("Id")]
    return [IDEMPOTENCY_KEY, *([IF_MATCH] if len(ids) == 1 else [])]


def _operation_id(route: ApiRoute) -> str:
    words = [w for w in route.path.replace("{", "").replace("}", "").split("/") if w]
    return "_".join([route.method.lower(), *(w.replace("-", "_") for w in words)])


def _schema_name(route: ApiRoute, suffix: str) -> str:
    return "".join(w.title() for w in _operation_id(route).split("_")) + suffix


def api_routes(routes: Iterable[BaseRoute], prefix: str) -> list[ApiRoute]:
    """The documented routes under the mount at `prefix`, in routing order."""
    for route in routes:
        if isinstance(route, Mount) and route.path == prefix:
            return [r for r in route.routes if isinstance(r, ApiRoute)]
    return []


def document(routes: Iterable[BaseRoute], dialect: Dialect) -> Schema:
    """The OpenAPI 3.1 document of the dialect mounted at `dialect.prefix`."""
    builder = _Builder(dialect)
    paths: dict[str, Schema] = {}
    for route in api_routes(routes, dialect.prefix):
        paths.setdefault(route.path, {})[route.method.lower()] = builder.operation(route)
    return {
        "openapi": "3.1.0",
        "info": {"title": dialect.title, "version": "1.0.0", "description": dialect.description},
        "servers": [{"url": dialect.prefix}],
        "paths": paths,
        "components": {
            "schemas": builder.schemas,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
                "companyId": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "X-Company-Id",
                    "description": "The company to act on (default: the user's first)",
                },
            },
        },
    }
