"""Hostile input (issue 7): whatever a client sends, it gets data or a coded refusal
naming what it sent; never a 500, never a database error, never a half-stored row.

Every test runs on SQLite and on PostgreSQL (scripts/test)."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any, get_args

import httpx
import pytest
from graphql import GraphQLInputObjectType, GraphQLNonNull, GraphQLString
from pydantic import ValidationError
from starlette.routing import Mount, Route

from gql.app import create_app
from gql.core.inputs import InputModel
from gql.domains.catalogue.models import Tax
from gql.domains.ledger.models import FinancialYear, Voucher
from gql.schema import schema as strawberry_schema
from gql.settings import Settings
from tests.conftest import TEST_SECRET
from tests.factories import Tenant, bearer, count_rows, craft_token

MISSING_ID = "0" * 24  # an object id no row has
MAX_SEARCH = 200  # LEDGERGRAPH_MAX_SEARCH_LENGTH default

SEARCH_CONTACTS = """
query Search($filter: ContactFilter) {
  contacts(first: 50, filter: $filter) { totalCount nodes { name } }
}
"""

CONTACT_DOCUMENTS = """
query ContactDocuments($filter: DocumentFilter) {
  contacts(first: 1) { nodes { documents(first: 5, filter: $filter) { totalCount } } }
}
"""

VIEWER = """
query Viewer { viewer { user { id } } }
"""

TAX_CREATE = """
mutation TaxCreate($input: TaxCreateInput!) {
  taxCreate(input: $input) { tax { id rate } userErrors { field message code } }
}
"""

TAX = """
query Tax($id: ID!) { tax(id: $id) { rate } }
"""

VOUCHER_CREATE = """
mutation VoucherCreate($input: VoucherCreateInput!) {
  voucherCreate(input: $input) { voucher { date total { amount } } userErrors { field message } }
}
"""

DOCUMENTS_FROM = """
query Documents($filter: DocumentFilter) { documents(first: 5, filter: $filter) { totalCount } }
"""

TRANSACTIONS_TO = """
query Transactions($filter: TransactionFilter) {
  transactions(first: 5, filter: $filter) { totalCount }
}
"""

CODE_PREFIX = """
query Codes($prefix: String) {
  ledgerAccounts(first: 100, filter: {codePrefix: $prefix}) { totalCount }
}
"""


@pytest.fixture(scope="module")
async def owner(api):
    """One company for the module's 750 tests (registering one each was most of their
    time): they only read, are refused, or add rows that no other test here looks for;
    the one that needs exactly its own rows registers its own company."""
    return await api.register()


async def post_graphql(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any], tenant: Tenant
) -> dict[str, Any]:
    """POSTs a GraphQL operation; the JSON is written by hand (ASCII-escaped) so that
    lone surrogates can be sent, as JSON allows."""
    r = await client.post(
        "/graphql",
        content=json.dumps({"query": query, "variables": variables}),
        headers={**tenant.headers, "content-type": "application/json"},
    )
    assert r.status_code in (200, 400), r.text
    return r.json()  # type: ignore[no-any-return]


@pytest.fixture(params=["compiled", "resolvers"])
def graphql(request: Any, client: httpx.AsyncClient, resolver_client: httpx.AsyncClient) -> Any:
    """post_graphql through one read path, then the other."""
    chosen = client if request.param == "compiled" else resolver_client

    async def post(query: str, variables: dict[str, Any], tenant: Tenant) -> dict[str, Any]:
        return await post_graphql(chosen, query, variables, tenant)

    return post


# --- REST bodies that are not JSON objects ------------------------------------------------------


def _body_routes() -> list[tuple[str, str]]:
    """(method, path) of every Numbors and Forbix route that takes a body, read from the
    app itself so that a new route is covered without touching this test."""
    app = create_app(Settings(jwt_secret=TEST_SECRET))
    mounts = [r for r in app.routes if isinstance(r, Mount) and r.path in ("/api", "/openapi")]
    out = []
    for mount in mounts:
        for route in mount.routes:
            if not isinstance(route, Route) or "{path:path}" in route.path:
                continue  # the catch-all 404
            path = re.sub(r"\{\w+\}", MISSING_ID, route.path)
            for method in sorted((route.methods or set()) & {"POST", "PUT"}):
                out.append((method, mount.path + path))
    return out


BODY_ROUTES = _body_routes()
NOT_OBJECTS = ["42", "true", '"s"', "null", "[]", '[{"name": "x"}]', "1e400"]


def test_the_body_routes_are_found():
    # then: the collection above really sees the app's routes
    assert ("POST", "/api/contacts") in BODY_ROUTES
    assert ("PUT", f"/api/contacts/{MISSING_ID}") in BODY_ROUTES
    assert ("POST", "/api/auth/login") in BODY_ROUTES
    assert ("PUT", f"/openapi/invoices/{MISSING_ID}") in BODY_ROUTES
    assert len(BODY_ROUTES) >= 20


@pytest.mark.parametrize("raw", NOT_OBJECTS)
@pytest.mark.parametrize(("method", "path"), BODY_ROUTES, ids=[f"{m} {p}" for m, p in BODY_ROUTES])
async def test_rest_a_body_that_is_not_an_object_is_a_coded_400(
    api, owner: Tenant, method: str, path: str, raw: str
):
    # when
    r = await api.rest(
        method,
        path,
        owner,
        content=raw.encode(),
        headers={"content-type": "application/json"},
    )
    # then
    assert r.status_code == 400, r.text
    body = r.json()
    assert body["success"] is False and body["message"]
    assert [(e["field"], e["code"]) for e in body["errors"]] == [("body", "INVALID")]
    assert body["errors"][0]["message"] == "must be a JSON object"


async def test_rest_a_non_object_body_stores_nothing(api, owner: Tenant):
    # given
    before = (await api.rest("GET", "/api/contacts", owner)).json()["pagination"]["total"]
    # when
    r = await api.rest("POST", "/api/contacts", owner, content=json.dumps([{"name": "x"}]))
    # then
    assert r.status_code == 400
    after = (await api.rest("GET", "/api/contacts", owner)).json()["pagination"]["total"]
    assert after == before


# --- search and text filters -------------------------------------------------------------------


def _text_filters() -> list[tuple[str, str, str]]:
    """(root field, filter input type, String field) for every text field of every root
    connection's filter, read from the schema: a new filter is covered by itself."""
    schema = strawberry_schema._schema
    out = []
    for name, field in sorted(schema.query_type.fields.items()):
        argument = field.args.get("filter")
        if argument is None:
            continue
        type_ = (
            argument.type.of_type if isinstance(argument.type, GraphQLNonNull) else argument.type
        )
        assert isinstance(type_, GraphQLInputObjectType)
        for text_field, spec in sorted(type_.fields.items()):
            if spec.type is GraphQLString:
                out.append((name, type_.name, text_field))
    return out


TEXT_FILTERS = _text_filters()
TEXT_FILTER_IDS = [f"{f}.{t}" for f, _, t in TEXT_FILTERS]


def _filter_query(field: str, filter_type: str) -> str:
    return (
        f"query F($filter: {filter_type}) {{ {field}(first: 5, filter: $filter) {{ totalCount }} }}"
    )


def test_every_root_list_with_a_search_is_found():
    # then
    assert ("contacts", "ContactFilter", "search") in TEXT_FILTERS
    assert ("ledgerAccounts", "LedgerAccountFilter", "codePrefix") in TEXT_FILTERS
    assert len({f for f, _, _ in TEXT_FILTERS}) >= 10


@pytest.mark.parametrize(("field", "filter_type", "text"), TEXT_FILTERS, ids=TEXT_FILTER_IDS)
async def test_graphql_a_text_filter_over_the_cap_is_bad_user_input_naming_it(
    graphql, owner: Tenant, field: str, filter_type: str, text: str
):
    # when
    too_long = await graphql(
        _filter_query(field, filter_type), {"filter": {text: "x" * (MAX_SEARCH + 1)}}, owner
    )
    at_the_cap = await graphql(
        _filter_query(field, filter_type), {"filter": {text: "x" * MAX_SEARCH}}, owner
    )
    # then
    assert too_long.get("data") is None
    [error] = too_long["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": f"filter.{text}"}
    assert f"filter.{text}" in error["message"] and str(MAX_SEARCH) in error["message"]
    assert "errors" not in at_the_cap, at_the_cap
    assert at_the_cap["data"][field]["totalCount"] == 0


async def test_graphql_the_cap_holds_in_a_literal_and_on_an_edge(graphql, owner: Tenant, api):
    # given
    await api.contact(owner)
    long = "y" * (MAX_SEARCH + 1)
    literal = f'{{ contacts(first: 1, filter: {{search: "{long}"}}) {{ totalCount }} }}'
    # when
    inline = await graphql(literal, {}, owner)
    edge = await graphql(CONTACT_DOCUMENTS, {"filter": {"search": long}}, owner)
    # then
    assert inline["errors"][0]["extensions"]["field"] == "filter.search"
    assert edge["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "filter.search"}
    assert edge.get("data") is None


HOSTILE_TEXT = ["nul\u0000", "\ud800", "lone\udfff", "%%%", "\\", "_", "%_\\", "x" * MAX_SEARCH]
HOSTILE_IDS = [
    "nul",
    "high-surrogate",
    "low-surrogate",
    "percents",
    "backslash",
    "underscore",
    "all-wildcards",
    "at-the-cap",
]


@pytest.mark.parametrize("value", HOSTILE_TEXT, ids=HOSTILE_IDS)
@pytest.mark.parametrize(("field", "filter_type", "text"), TEXT_FILTERS, ids=TEXT_FILTER_IDS)
async def test_graphql_hostile_text_filters_get_data_not_a_database_error(
    graphql, owner: Tenant, field: str, filter_type: str, text: str, value: str
):
    # when
    body = await graphql(_filter_query(field, filter_type), {"filter": {text: value}}, owner)
    # then: nothing stored holds these, so nothing matches
    assert "errors" not in body, body
    assert body["data"][field]["totalCount"] == 0


REST_SEARCHES = [
    "/api/contacts",
    "/api/items",
    "/api/categories",
    "/api/taxes",
    "/api/currencies",
    "/api/documents",
    "/api/accounts",
    "/api/transactions",
    "/api/accounting/chart-of-accounts",
    "/api/accounting/journal",
]
# Percent-encoded as a client's URL has them: NUL, UTF-8 of a surrogate (invalid: it
# arrives as U+FFFD), bytes that are not UTF-8, the wildcards and the escape character.
HOSTILE_QUERY = ["a%00b", "%ED%A0%80", "%FF%FE", "%25%25%25", "%5C", "_", "%25_%5C"]


@pytest.mark.parametrize("path", REST_SEARCHES)
async def test_rest_a_search_over_the_cap_is_a_400_naming_it(api, owner: Tenant, path: str):
    # when
    too_long = await api.rest("GET", path, owner, params={"search": "x" * (MAX_SEARCH + 1)})
    at_the_cap = await api.rest("GET", path, owner, params={"search": "x" * MAX_SEARCH})
    # then
    assert too_long.status_code == 400, too_long.text
    assert too_long.json()["errors"] == [
        {
            "field": "search",
            "message": f"must be at most {MAX_SEARCH} characters",
            "code": "INVALID",
        }
    ]
    assert at_the_cap.status_code == 200, at_the_cap.text


@pytest.mark.parametrize("raw", HOSTILE_QUERY)
@pytest.mark.parametrize("path", REST_SEARCHES)
async def test_rest_hostile_searches_get_data_not_a_database_error(
    api, owner: Tenant, path: str, raw: str
):
    # when
    r = await api.rest("GET", f"{path}?search={raw}", owner)
    # then
    assert r.status_code == 200, r.text
    assert r.json()["success"] is True


@pytest.mark.parametrize("raw", HOSTILE_QUERY)
@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("/api/documents", "contact"),
        ("/api/estimates", "contact"),
        ("/api/credit-notes", "contact"),
        ("/api/credit-notes", "invoice"),
        ("/api/transactions", "account"),
        ("/api/accounting/journal", "account"),
    ],
)
async def test_rest_hostile_filter_parameters_match_nothing(
    api, owner: Tenant, path: str, param: str, raw: str
):
    # when
    r = await api.rest("GET", f"{path}?{param}={raw}", owner)
    # then
    assert r.status_code == 200, r.text
    assert r.json()["pagination"]["total"] == 0


async def test_rest_an_account_code_over_the_cap_is_a_400(api, owner: Tenant):
    # when
    r = await api.rest("GET", "/api/accounting/journal", owner, params={"account": "1" * 201})
    # then
    assert r.status_code == 400
    assert [e["field"] for e in r.json()["errors"]] == ["account"]


LITERAL_NAMES = ["50% off", "50 off", "a_b", "axb", "back\\slash", "backslash"]


@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("%", ["50% off"]),
        ("0%", ["50% off"]),
        ("_", ["a_b"]),
        ("a_b", ["a_b"]),
        ("\\", ["back\\slash"]),
        ("k\\s", ["back\\slash"]),
        ("%%", []),
    ],
    ids=[
        "percent",
        "percent-after",
        "underscore",
        "underscore-inside",
        "backslash",
        "backslash-inside",
        "two-percents",
    ],
)
async def test_wildcards_and_the_escape_character_match_themselves(
    api, graphql, search: str, found: list[str]
):
    # given: the names in a company of their own
    owner = await api.register()
    for name in LITERAL_NAMES:
        await api.contact(owner, name=name)
    # when
    rest = await api.rest("GET", "/api/contacts", owner, params={"search": search})
    body = await graphql(SEARCH_CONTACTS, {"filter": {"search": search}}, owner)
    # then
    assert sorted(c["name"] for c in rest.json()["data"]) == sorted(found)
    assert sorted(n["name"] for n in body["data"]["contacts"]["nodes"]) == sorted(found)


async def test_a_code_prefix_wildcard_is_literal(graphql, owner: Tenant):
    # when: every company's chart has codes starting with 1, none with an underscore
    digit = await graphql(CODE_PREFIX, {"prefix": "1"}, owner)
    underscore = await graphql(CODE_PREFIX, {"prefix": "1_"}, owner)
    percent = await graphql(CODE_PREFIX, {"prefix": "%"}, owner)
    # then
    assert digit["data"]["ledgerAccounts"]["totalCount"] > 0
    assert underscore["data"]["ledgerAccounts"]["totalCount"] == 0
    assert percent["data"]["ledgerAccounts"]["totalCount"] == 0


# --- tokens' lifetime --------------------------------------------------------------------------


def _token(user_id: str, lifetime: int, **change: Any) -> str:
    """A token signed with the test secret: issued `iat`, expiring at `exp`, or as changed;
    a claim changed to None is left out."""
    now = datetime.now(UTC)
    claims: dict[str, Any] = {
        "sub": user_id,
        "iat": now,
        "exp": now + timedelta(seconds=lifetime),
        "jti": uuid.uuid4().hex,
    }
    claims.update(change)
    return craft_token(TEST_SECRET, **{k: v for k, v in claims.items() if v is not None})


def _refused_token(kind: str, user_id: str, lifetime: int) -> str:
    now = datetime.now(UTC)
    if kind == "one-second-too-long":
        return _token(user_id, lifetime + 1)
    if kind == "issued-long-ago":
        return _token(user_id, 60, iat=now - timedelta(seconds=lifetime + 60))
    if kind == "year-9999":
        return _token(user_id, 60, exp=datetime(9999, 12, 31, tzinfo=UTC))
    if kind == "no-iat":
        return _token(user_id, 60, iat=None)
    if kind == "no-exp":
        return _token(user_id, 60, exp=None)
    if kind == "iat-in-the-future":
        return _token(user_id, 60, iat=now + timedelta(hours=1), exp=now + timedelta(hours=2))
    raise AssertionError(kind)


REFUSED_TOKENS = [
    "one-second-too-long",
    "issued-long-ago",
    "year-9999",
    "no-iat",
    "no-exp",
    "iat-in-the-future",
]


@pytest.mark.parametrize("kind", REFUSED_TOKENS)
async def test_a_token_outliving_the_lifetime_is_refused_on_both_dialects(
    api, client: httpx.AsyncClient, settings: Settings, owner: Tenant, kind: str
):
    # given: validly signed, for a real user
    token = _refused_token(kind, owner.user_id, settings.token_lifetime_seconds)
    # when
    me = await client.get("/api/auth/me", headers=bearer(token))
    contacts = await client.get("/api/contacts", headers=bearer(token, owner.company_id))
    body = await api.gql(VIEWER, headers=bearer(token))
    # then
    assert (me.status_code, contacts.status_code) == (401, 401), me.text
    assert me.json()["success"] is False
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]


@pytest.mark.parametrize("seconds", [60, "lifetime"])
async def test_a_token_within_the_lifetime_is_accepted(
    api, client: httpx.AsyncClient, settings: Settings, owner: Tenant, seconds: Any
):
    # given
    lifetime = settings.token_lifetime_seconds if seconds == "lifetime" else seconds
    token = _token(owner.user_id, lifetime)
    # when
    me = await client.get("/api/auth/me", headers=bearer(token))
    body = await api.gql(VIEWER, headers=bearer(token))
    # then
    assert me.status_code == 200, me.text
    assert body["data"]["viewer"]["user"]["id"]


# --- strict decimals ---------------------------------------------------------------------------

ARABIC_TEN = "\u0661\u0660"
FULL_WIDTH_12_5 = "\uff11\uff12.\uff15"
BAD_DECIMALS = [
    ARABIC_TEN,
    FULL_WIDTH_12_5,
    "1\u0660",  # ASCII and Arabic-Indic mixed
    "NaN",
    "Infinity",
    "-Infinity",
    "1e400",
    "1e2",
    " 5 ",
    "5 ",
    "",
    "1,5",
    "1_000",
    "0x10",
    "+-1",
    "1.2.3",
    ".",
    "1" * 41,
]
BAD_DECIMAL_IDS = [
    "arabic-indic",
    "full-width",
    "mixed-digits",
    "nan",
    "infinity",
    "minus-infinity",
    "1e400",
    "exponent",
    "spaces",
    "trailing-space",
    "empty",
    "comma",
    "underscore",
    "hex",
    "two-signs",
    "two-points",
    "lone-point",
    "41-digits",
]


def _voucher(date: str = "2026-01-15", debit: Any = "10", credit: Any = "10") -> dict[str, Any]:
    return {
        "date": date,
        "lines": [
            {"accountCode": "6200", "debit": debit},
            {"accountCode": "1110", "credit": credit},
        ],
    }


def _journal(date: Any = "2026-01-15", debit: Any = "10", credit: Any = "10") -> dict[str, Any]:
    return {
        "date": date,
        "lines": [
            {"account": "6200", "debit": debit, "credit": "0"},
            {"account": "1110", "debit": "0", "credit": credit},
        ],
    }


async def _books(app: Any, tenant: Tenant) -> tuple[int, int, int]:
    """What a refused value must not have changed: taxes, vouchers, financial years."""
    return (
        await count_rows(app, Tax, tenant.company_id),
        await count_rows(app, Voucher, tenant.company_id),
        await count_rows(app, FinancialYear, tenant.company_id),
    )


@pytest.mark.parametrize("value", BAD_DECIMALS, ids=BAD_DECIMAL_IDS)
async def test_graphql_a_decimal_not_written_plainly_is_bad_user_input_naming_it(
    api, app, owner: Tenant, value: str
):
    # given
    before = await _books(app, owner)
    # when
    tax = await post_graphql(api.client, TAX_CREATE, {"input": {"name": "T", "rate": value}}, owner)
    voucher = await post_graphql(
        api.client, VOUCHER_CREATE, {"input": _voucher(debit=value)}, owner
    )
    # then
    for body, field in ((tax, "input.rate"), (voucher, "input.lines[0].debit")):
        assert body.get("data") is None, body
        [error] = body["errors"]
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    assert await _books(app, owner) == before


@pytest.mark.parametrize("literal", [f'"{ARABIC_TEN}"', '"NaN"', '" 5 "', "1e2", "1.5E1", "true"])
async def test_graphql_a_decimal_literal_is_read_as_written(api, app, owner: Tenant, literal: str):
    # given
    before = await _books(app, owner)
    query = f'mutation {{ taxCreate(input: {{name: "T", rate: {literal}}}) {{ tax {{ id }} }} }}'
    # when
    body = await post_graphql(api.client, query, {}, owner)
    # then
    assert body.get("data") is None, body
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "input.rate"}
    assert await _books(app, owner) == before


@pytest.mark.parametrize("value", BAD_DECIMALS, ids=BAD_DECIMAL_IDS)
async def test_rest_a_decimal_not_written_plainly_is_a_400_naming_it(
    api, app, owner: Tenant, value: str
):
    # given
    before = await _books(app, owner)
    # when
    tax = await api.rest("POST", "/api/taxes", owner, json={"name": "T", "rate": value})
    journal = await api.rest("POST", "/api/accounting/journal", owner, json=_journal(credit=value))
    # then
    for r, field in ((tax, "rate"), (journal, "lines[1].credit")):
        assert r.status_code == 400, r.text
        assert [(e["field"], e["code"]) for e in r.json()["errors"]] == [(field, "INVALID")]
    assert await _books(app, owner) == before


@pytest.mark.parametrize("number", ["1e400", "1E2", "2.5e1", "1e-2", "-0e0"])
async def test_rest_a_json_number_with_an_exponent_is_a_400_naming_it(
    api, app, owner: Tenant, number: str
):
    # given
    before = await _books(app, owner)
    raw = f'{{"name": "T", "rate": {number}}}'
    # when
    r = await api.rest(
        "POST", "/api/taxes", owner, content=raw, headers={"content-type": "application/json"}
    )
    # then
    assert r.status_code == 400, r.text
    assert [e["field"] for e in r.json()["errors"]] == ["rate"]
    assert await _books(app, owner) == before


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("12", "12.0000"),
        ("+5", "5.0000"),
        (".5", "0.5000"),
        ("5.", "5.0000"),
        ("0.10", "0.1000"),
        ("-0", "0.0000"),
        ("-0.00", "0.0000"),
        (7, "7.0000"),
        (7.25, "7.2500"),
    ],
)
async def test_graphql_plain_decimals_are_stored_and_minus_zero_is_zero(
    api, graphql, owner: Tenant, sent: Any, stored: str
):
    # when
    created = await post_graphql(
        api.client, TAX_CREATE, {"input": {"name": "T", "rate": sent}}, owner
    )
    tax = created["data"]["taxCreate"]["tax"]
    read = await graphql(TAX, {"id": tax["id"]}, owner)
    # then: the same on the way in and read back through either path
    assert tax["rate"] == stored
    assert read["data"]["tax"]["rate"] == stored


@pytest.mark.parametrize("raw", ["-0", "-0.0", '"-0"', '"-0.00"'])
async def test_rest_minus_zero_is_stored_and_returned_as_zero(api, owner: Tenant, raw: str):
    # when
    r = await api.rest(
        "POST",
        "/api/taxes",
        owner,
        content=f'{{"name": "Zero", "rate": {raw}}}',
        headers={"content-type": "application/json"},
    )
    listed = await api.rest("GET", "/api/taxes", owner, params={"search": "Zero"})
    # then
    assert r.status_code == 201, r.text
    assert '"rate":0.0000' in r.text and '"rate":0.0000' in listed.text
    assert '"rate":-' not in r.text + listed.text


def _input_models() -> list[type[InputModel]]:
    found, pending = [], list(InputModel.__subclasses__())
    while pending:
        model = pending.pop()
        found.append(model)
        pending.extend(model.__subclasses__())
    return found


def _strict_fields() -> list[tuple[type[InputModel], str, str]]:
    """(model, wire name, kind) of every decimal, date and datetime input field."""
    out = []
    for model in _input_models():
        for name, info in model.model_fields.items():
            kinds = {
                getattr(k, "__name__", "") for k in (*get_args(info.annotation), info.annotation)
            }
            for kind in ("Decimal", "datetime", "date"):
                if kind in kinds:
                    out.append((model, info.alias or name, kind))
                    break
    return out


STRICT_FIELDS = _strict_fields()
REFUSED_BY_KIND = {"Decimal": ARABIC_TEN, "date": "9999-12-31", "datetime": 0}


@pytest.mark.parametrize(
    ("model", "field", "kind"),
    STRICT_FIELDS,
    ids=[f"{m.__name__}.{f}" for m, f, _ in STRICT_FIELDS],
)
def test_every_decimal_and_date_field_of_every_input_is_strict(
    model: type[InputModel], field: str, kind: str
):
    # when
    with pytest.raises(ValidationError) as refused:
        model.model_validate({field: REFUSED_BY_KIND[kind]})
    # then: among whatever else is missing, this field is named
    assert (field,) in [e["loc"] for e in refused.value.errors()]
    assert len(STRICT_FIELDS) >= 20


# --- dates in a sane range ----------------------------------------------------------------------

BAD_DATES = [
    "9999-12-31",
    "2201-01-01",
    "1899-12-31",
    "0001-01-01",
    "20260115",
    "2026-W03-4",
    "2026-02-30",
    "2026-1-15",
    " 2026-01-15",
    "\uff12\uff10\uff12\uff16-01-15",
    "2026-01-15T00:00:00",
]
BAD_DATE_IDS = [
    "year-9999",
    "2201",
    "1899",
    "year-1",
    "basic-format",
    "week-date",
    "february-30",
    "unpadded",
    "space",
    "full-width",
    "with-time",
]


@pytest.mark.parametrize("value", BAD_DATES, ids=BAD_DATE_IDS)
async def test_graphql_a_date_out_of_range_or_form_is_bad_user_input_and_opens_no_year(
    api, app, owner: Tenant, value: str
):
    # given
    before = await _books(app, owner)
    # when
    body = await post_graphql(api.client, VOUCHER_CREATE, {"input": _voucher(date=value)}, owner)
    # then
    assert body.get("data") is None, body
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "input.date"}
    assert await _books(app, owner) == before


@pytest.mark.parametrize("value", [*BAD_DATES, 0, 20260115], ids=[*BAD_DATE_IDS, "zero", "number"])
async def test_rest_a_date_out_of_range_or_form_is_a_400_and_opens_no_year(
    api, app, owner: Tenant, value: Any
):
    # given
    before = await _books(app, owner)
    # when
    r = await api.rest("POST", "/api/accounting/journal", owner, json=_journal(date=value))
    # then
    assert r.status_code == 400, r.text
    assert [(e["field"], e["code"]) for e in r.json()["errors"]] == [("date", "INVALID")]
    assert await _books(app, owner) == before


@pytest.mark.parametrize("day", ["1900-01-01", "2200-12-31"])
async def test_the_first_and_last_sane_days_are_accepted(api, owner: Tenant, day: str):
    # when
    graphql = await post_graphql(api.client, VOUCHER_CREATE, {"input": _voucher(date=day)}, owner)
    rest = await api.rest("POST", "/api/accounting/journal", owner, json=_journal(date=day))
    # then
    assert graphql["data"]["voucherCreate"]["voucher"]["date"] == day
    assert rest.status_code == 201, rest.text
    assert rest.json()["data"]["date"] == day


@pytest.mark.parametrize(
    ("query", "filter"),
    [
        (DOCUMENTS_FROM, {"issueDateFrom": "9999-12-31"}),
        (DOCUMENTS_FROM, {"dueDateTo": "0001-01-01"}),
        (TRANSACTIONS_TO, {"paidAtTo": "9999-12-31"}),
        (TRANSACTIONS_TO, {"paidAtFrom": "1899-12-31"}),
    ],
    ids=["issue-from-9999", "due-to-year-1", "paid-to-9999", "paid-from-1899"],
)
async def test_graphql_a_date_filter_out_of_range_is_bad_user_input(
    graphql, owner: Tenant, query: str, filter: dict[str, str]
):
    # when
    body = await graphql(query, {"filter": filter}, owner)
    # then
    [name] = filter
    assert body.get("data") is None, body
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": f"filter.{name}"}


@pytest.mark.parametrize("value", ["9999-12-31", "1899-12-31", "soon"])
async def test_rest_a_journal_date_filter_out_of_range_is_a_400(api, owner: Tenant, value: str):
    # when
    r = await api.rest("GET", "/api/accounting/journal", owner, params={"to": value})
    # then
    assert r.status_code == 400
    assert [(e["field"], e["code"]) for e in r.json()["errors"]] == [("to", "INVALID")]


@pytest.mark.parametrize(
    "paid_at", ["9999-01-01T00:00:00Z", "1899-12-31T23:59:59Z", "tomorrow", 0, 1767225600]
)
async def test_rest_a_datetime_out_of_range_or_form_is_a_400_naming_it(
    api, app, owner: Tenant, paid_at: Any
):
    # given
    account = (
        await api.rest("POST", "/api/accounts", owner, json={"name": "Bank", "type": "bank"})
    ).json()["data"]
    body = {"type": "income", "account": account["id"], "amount": "5", "paidAt": paid_at}
    # when
    r = await api.rest("POST", "/api/transactions", owner, json=body)
    # then
    assert r.status_code == 400, r.text
    assert [e["field"] for e in r.json()["errors"]] == ["paidAt"]
    assert (await api.rest("GET", "/api/transactions", owner)).json()["pagination"]["total"] == 0
