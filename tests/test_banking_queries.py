"""Banking reads: a fixed number of SQL statements whatever the page size (one per root
field on the compiled path, one per level on the resolver path), and the compiled path
answering exactly as the resolvers do."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from gql.app import create_app
from gql.core.pagination import encode_cursor
from gql.settings import Settings
from tests.conftest import StatementCounter, counting
from tests.factories import VIEWER_STATEMENTS, Api, Tenant

ACCOUNT_CREATE = """mutation($input: AccountCreateInput!) { accountCreate(input: $input) {
    account { id } userErrors { field message } } }"""
CURRENCY_CREATE = """mutation($input: CurrencyCreateInput!) { currencyCreate(input: $input) {
    currency { code } userErrors { field message } } }"""
ISSUE = (
    "mutation($input: DocumentIdInput!) { documentIssue(input: $input) { userErrors { message } } }"
)
TRANSACTION_CREATE = """mutation($input: TransactionCreateInput!) {
  transactionCreate(input: $input) {
    transaction { id } userErrors { field message } } }"""
TRANSFER_CREATE = """mutation($input: TransferCreateInput!) { transferCreate(input: $input) {
    transfer { id } userErrors { field message } } }"""
CATEGORIES = "{ categories { nodes { id type } } }"

ACCOUNTS_BARE = "query($first: Int!) { accounts(first: $first) { totalCount nodes { name } } }"
ACCOUNTS_WITH_TRANSACTIONS = """query($first: Int!) { accounts(first: $first) { totalCount nodes {
    name balance { amount currency } openingBalance { amount }
    transactions(first: 3) { totalCount nodes { amount { amount } } } } } }"""
TRANSACTIONS_BARE = """query($first: Int!) {
  transactions(first: $first, filter: {type: INCOME}) { nodes { paidAt } } }"""
TRANSACTIONS_WITH_EDGES = """query($first: Int!) {
  transactions(first: $first, filter: {type: INCOME}) {
    totalCount nodes { amount { amount } account { name balance { amount } } contact { name }
    category { name } document { number } voucher { number } } } }"""
DOCUMENTS_BARE = "query($first: Int!) { documents(first: $first) { nodes { number } } }"
DOCUMENTS_WITH_PAYMENTS = """query($first: Int!) { documents(first: $first) { nodes { number
    payments { amount { amount } documentAmount account { name } contact { name } } } } }"""
TRANSFERS_BARE = "query($first: Int!) { transfers(first: $first) { nodes { amount } } }"
TRANSFERS_WITH_EDGES = """query($first: Int!) {
  transfers(first: $first) { totalCount nodes { amount toAmount
    fromAccount { name } toAccount { name } transactions { type amount { amount currency } }
    voucher { number } } } }"""


@pytest.fixture(scope="module")
async def resolver_path(
    settings: Settings, schema_ready: None
) -> AsyncIterator[tuple[Api, StatementCounter]]:
    """The app with the compiled read path off (edges through dataloaders), on the same
    database, and a counter of its statements."""
    application = create_app(settings.model_copy(update={"compiled_reads": False}))
    async with LifespanManager(application) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        with counting(application, StatementCounter()) as counter:
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                yield Api(client), counter


async def books(api: Api, tenant: Tenant, size: int = 10) -> dict[str, list[str]]:
    """`size` accounts (every type, one in EUR, odd opening balances), each holding a
    paid invoice's payment with a contact and a category, and `size` transfers."""
    await api.mutate(
        "currencyCreate",
        CURRENCY_CREATE,
        {"code": "EUR", "name": "Euro", "rate": "0.91234567"},
        tenant,
    )
    sales = next(
        c["id"]
        for c in (await api.data(CATEGORIES, tenant=tenant))["categories"]["nodes"]
        if c["type"] == "INCOME"
    )
    ids: dict[str, list[str]] = {
        "accounts": [],
        "transactions": [],
        "transfers": [],
        "documents": [],
    }
    types = ["BANK", "CASH", "CREDIT_CARD"]
    for n in range(size):
        fields = {
            "name": f"Account {n:02d}",
            "type": types[n % 3],
            "openingBalance": str(n * 111 - 300) + ".07",
        }
        if n == 3:
            fields["currencyCode"] = "EUR"
        account = await api.mutate("accountCreate", ACCOUNT_CREATE, fields, tenant)
        ids["accounts"].append(account["account"]["id"])
    for n, account_id in enumerate(ids["accounts"]):
        contact = await api.contact(tenant, name=f"Customer {n:02d}")
        currency = {"currencyCode": "EUR"} if n == 3 else {}
        doc = await api.document(
            tenant,
            contact["id"],
            lines=[{"name": "Work", "quantity": "3", "unitPrice": f"{n + 1}.33"}],
            **currency,
        )
        await api.mutate("documentIssue", ISSUE, {"id": doc["id"]}, tenant)
        ids["documents"].append(doc["id"])
        payment = await api.mutate(
            "transactionCreate",
            TRANSACTION_CREATE,
            {
                "type": "INCOME",
                "accountId": account_id,
                "amount": f"{n + 1}.01",
                "documentId": doc["id"],
                "categoryId": sales,
                "paidAt": f"2026-02-{n + 1:02d}T09:30:00.123456+00:00",
                "reference": f"R{n}",
            },
            tenant,
        )
        ids["transactions"].append(payment["transaction"]["id"])
    for n in range(size):
        source, target = ids["accounts"][n], ids["accounts"][(n + 1) % size]
        extra = {"toAmount": "4.44"} if 3 in (n, (n + 1) % size) else {}
        transfer = await api.mutate(
            "transferCreate",
            TRANSFER_CREATE,
            {
                "fromAccountId": source,
                "toAccountId": target,
                "amount": f"{n + 5}",
                "description": f"T{n}",
                "paidAt": f"2026-01-{n + 1:02d}T12:00:00+00:00",
                **extra,
            },
            tenant,
        )
        ids["transfers"].append(transfer["transfer"]["id"])
    return ids


async def run(
    api: Api, counter: Any, query: str, tenant: Tenant, **variables: Any
) -> tuple[int, dict[str, Any]]:
    counter.reset()
    body = await api.gql(query, variables, tenant)
    assert not body.get("errors"), body["errors"]
    return counter.count, body


@pytest.fixture(scope="module")
async def world(api: Api) -> dict[str, Any]:
    owner, other = await api.register(), await api.register()
    own = await books(api, owner)
    foreign = await books(api, other, size=3)
    return {"owner": owner, "other": other, "own": own, "foreign": foreign}


# --- statement counts ---------------------------------------------------------------------------

CASES = [
    ("accounts", ACCOUNTS_BARE, ACCOUNTS_WITH_TRANSACTIONS, 2),  # balances, transactions page
    (
        "transactions",
        TRANSACTIONS_BARE,
        TRANSACTIONS_WITH_EDGES,
        6,
    ),  # account, balance, contact, category, document, voucher
    (
        "documents",
        DOCUMENTS_BARE,
        DOCUMENTS_WITH_PAYMENTS,
        3,
    ),  # payments, their accounts, their contacts
    ("transfers", TRANSFERS_BARE, TRANSFERS_WITH_EDGES, 3),  # accounts, transactions, voucher
]


@pytest.mark.parametrize(("root", "bare", "query", "levels"), CASES)
async def test_compiled_path_answers_with_one_statement_whatever_the_page(
    api: Api, sql_counter: Any, world: dict[str, Any], root: str, bare: str, query: str, levels: int
) -> None:
    two, two_body = await run(api, sql_counter, query, world["owner"], first=2)
    ten, ten_body = await run(api, sql_counter, query, world["owner"], first=10)
    assert ten_body["extensions"]["executors"] == {root: "compiled"}
    assert len(two_body["data"][root]["nodes"]) == 2 and len(ten_body["data"][root]["nodes"]) == 10
    assert two == ten == VIEWER_STATEMENTS + 1, sql_counter.statements


@pytest.mark.parametrize(("root", "bare", "query", "levels"), CASES)
async def test_resolver_path_takes_one_statement_per_level(
    world: dict[str, Any],
    resolver_path: tuple[Api, StatementCounter],
    root: str,
    bare: str,
    query: str,
    levels: int,
) -> None:
    reference, counter = resolver_path
    plain, _ = await run(reference, counter, bare, world["owner"], first=10)
    two, _ = await run(reference, counter, query, world["owner"], first=2)
    ten, body = await run(reference, counter, query, world["owner"], first=10)
    assert len(body["data"][root]["nodes"]) == 10
    assert two == ten == plain + levels, counter.statements


# --- compiled and resolver paths agree ------------------------------------------------------------

ACCOUNT_FIELDS = """id objectId name type number currencyCode bankName iban depositNumber
    branchCode enabled createdAt updatedAt openingBalance { amount currency }
    balance { amount currency } ledgerAccount { code }"""
TRANSACTION_FIELDS = """id objectId type amount { amount currency } currencyCode currencyRate paidAt
    description
    paymentMethod reference documentAmount createdAt updatedAt account { name balance { amount } }
    contact { name } category { name } document { number amountPaid { amount } }
    transfer { amount } voucher { number kind lines { debit credit account { code } } }"""
TRANSFER_FIELDS = """id objectId amount toAmount currencyRate paidAt description reference createdAt
    fromAccount { name currencyCode } toAccount { name }
    transactions { type amount { amount currency } }
    voucher { number total { amount } }"""
PAGE = "totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }"

AGREEING_QUERIES = [
    f"{{ accounts {{ {PAGE} edges {{ cursor node {{ {ACCOUNT_FIELDS} }} }} }} }}",
    """{ accounts(filter: {type: CREDIT_CARD}, orderBy: {field: CREATED_AT, direction: DESC}) {
        nodes { name balance { amount } } } }""",
    '{ accounts(filter: {search: "0", currencyCode: "EUR"}) { totalCount nodes { name } } }',
    f'{{ accounts(first: 3, after: "{encode_cursor(2)}") {{ {PAGE} nodes {{ name }} }} }}',
    f"""{{ accounts(last: 4) {{ nodes {{ name
        recent: transactions(first: 2) {{ {PAGE} nodes {{ paidAt amount {{ amount }}
            contact {{ name }}
            document {{ number }} voucher {{ number }} }} }}
        out: transactions(filter: {{type: EXPENSE}}, orderBy: {{field: AMOUNT, direction: ASC}}) {{
            totalCount nodes {{ amount {{ amount }} }} }}
        }} }} }}""",
    f"{{ transactions {{ {PAGE} nodes {{ {TRANSACTION_FIELDS} }} }} }}",
    """{ transactions(orderBy: {field: AMOUNT, direction: ASC}, first: 7) {
        nodes { amount { amount } type } } }""",
    "{ transactions(orderBy: {field: CREATED_AT}, last: 5) { totalCount nodes { description } } }",
    """{ transactions(filter: {paidAtFrom: "2026-02-03", paidAtTo: "2026-02-05"}) {
        totalCount nodes { reference } } }""",
    '{ transactions(filter: {search: "r1"}) { totalCount nodes { reference } } }',
    '{ transactions(filter: {type: EXPENSE, accountId: "garbage"}) { totalCount } }',
    f"{{ transfers {{ {PAGE} nodes {{ {TRANSFER_FIELDS} }} }} }}",
    """{ transfers(orderBy: {field: AMOUNT, direction: ASC}, first: 3) {
        nodes { amount description } } }""",
    """{ documents(first: 4) { nodes { number status amountPaid { amount }
        payments { amount { amount } documentAmount account { name } } } } }""",
    "{ a: accounts(first: 1) { nodes { name } } t: transfers(first: 1) { nodes { amount } } }",
]


async def both(
    api: Api, resolver_client: httpx.AsyncClient, query: str, tenant: Tenant
) -> tuple[dict[str, Any], dict[str, Any]]:
    compiled = await api.client.post("/graphql", json={"query": query}, headers=tenant.headers)
    reference = await resolver_client.post(
        "/graphql", json={"query": query}, headers=tenant.headers
    )
    assert compiled.status_code == reference.status_code == 200, query
    a, b = compiled.json(), reference.json()
    executors = a.pop("extensions", {}).get("executors", {})
    assert executors and set(executors.values()) == {"compiled"}, (query, executors)
    b.pop("extensions", None)
    return a, b


@pytest.mark.parametrize("query", AGREEING_QUERIES)
async def test_lists_agree(
    api: Api, resolver_client: httpx.AsyncClient, world: dict[str, Any], query: str
) -> None:
    compiled, reference = await both(api, resolver_client, query, world["owner"])
    assert compiled == reference
    assert not compiled.get("errors")


async def test_filters_by_another_companys_ids_agree_and_match_nothing(
    api: Api, resolver_client: httpx.AsyncClient, world: dict[str, Any]
) -> None:
    for ref in (world["own"]["accounts"][0], world["foreign"]["accounts"][0]):
        query = (
            f'{{ transactions(filter: {{accountId: "{ref}"}}) '
            "{ totalCount nodes { reference } } }"
        )
        compiled, reference = await both(api, resolver_client, query, world["owner"])
        assert compiled == reference
    assert compiled["data"]["transactions"]["totalCount"] == 0


@pytest.mark.parametrize(
    ("field", "key", "selection"),
    [
        (
            "account",
            "accounts",
            ACCOUNT_FIELDS + " transactions { totalCount nodes { reference } }",
        ),
        ("transaction", "transactions", TRANSACTION_FIELDS),
        ("transfer", "transfers", TRANSFER_FIELDS),
    ],
)
async def test_single_objects_agree(
    api: Api,
    resolver_client: httpx.AsyncClient,
    world: dict[str, Any],
    field: str,
    key: str,
    selection: str,
) -> None:
    for ref in (world["own"][key][3], world["foreign"][key][0], "0" * 24, "garbage"):
        query = f'{{ {field}(id: "{ref}") {{ {selection} }} }}'
        compiled, reference = await both(api, resolver_client, query, world["owner"])
        assert compiled == reference, query
        if ref == world["own"][key][3]:
            assert compiled["data"][field] is not None
        else:
            assert compiled["data"][field] is None
            assert [e["extensions"]["code"] for e in compiled["errors"]] == ["NOT_FOUND"]


async def test_balances_are_exact_on_both_paths(
    api: Api, resolver_client: httpx.AsyncClient, world: dict[str, Any]
) -> None:
    query = """{ accounts(filter: {search: "Account 03"}) {
        nodes { currencyCode openingBalance { amount } balance { amount currency } } } }"""
    compiled, reference = await both(api, resolver_client, query, world["owner"])
    assert compiled == reference
    # opening 33.07 EUR + a payment of 4.01 - a transfer out of 8 + a transfer in of 4.44
    assert compiled["data"]["accounts"]["nodes"] == [
        {
            "currencyCode": "EUR",
            "openingBalance": {"amount": "33.07"},
            "balance": {"amount": "33.52", "currency": "EUR"},
        }
    ]
