"""Bank feeds under concurrent requests (each over its own client: on PostgreSQL they
really run side by side, on SQLite they queue for the write lock): ten imports of one
file add each line once; ten splits of one line post once; ten unmatches reverse once;
two lines matched to one payment at once take it once."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from gql.domains.bankfeeds.models import BankFeedTransaction
from gql.domains.banking.models import Transaction
from gql.domains.ledger.models import Voucher
from tests.bankfeeds import IMPORT, category, connection, csv_input, imported, reconciliation
from tests.factories import Api, concurrently, count_rows, tenant_db
from tests.test_money_concurrency import N, account, again, exactly_one_wins, issued, pay, race

SPLIT = """mutation($id: ID!) { bankFeedSplit(input: {id: $id, parts: [{amount: "800",
  categoryId: null}]}) { feedTransaction { status } userErrors { field message code } } }"""
UNMATCH = """mutation($id: ID!) { bankFeedUnmatch(input: {id: $id}) {
  feedTransaction { status } userErrors { field message code } } }"""
MATCH = """mutation($id: ID!, $tx: ID!) { bankFeedMatch(input: {id: $id, transactionIds: [$tx]}) {
  feedTransaction { status } userErrors { field message code } } }"""


async def test_one_file_imported_ten_times_at_once_adds_each_line_once(api: Api, app: Any) -> None:
    owner = await api.register()
    made = await connection(api, owner)
    request = ("POST", "/graphql", {"query": IMPORT, "variables": {"input": csv_input(made["id"])}})
    responses = await concurrently(app, owner, [request] * N)
    payloads = [r.json()["data"]["bankFeedImport"] for r in responses]
    assert all(p["userErrors"] == [] for p in payloads), payloads
    assert sum(p["newLines"] for p in payloads) == 4
    assert all(p["newLines"] + p["existingLines"] == 4 for p in payloads)
    assert await count_rows(app, BankFeedTransaction, owner.company_id) == 4


async def test_a_line_split_ten_times_at_once_posts_once_and_unmatched_ten_times_reverses_once(
    api: Api, app: Any
) -> None:
    owner = await api.register()
    account_id = await account(api, owner)
    made = await connection(api, owner, account_id)
    lines = (await imported(api, owner, made["id"]))["feedTransactions"]
    rent = next(x for x in lines if "rent" in x["description"])
    payloads = await race(app, owner, SPLIT, rent["id"])
    retry = await again(api, owner, SPLIT, rent["id"])
    assert retry["userErrors"][0]["message"] == "The line is already created; unmatch it first"
    exactly_one_wins(payloads, retry)
    assert await count_rows(app, Transaction, owner.company_id) == 1
    figures = await reconciliation(api, owner, account_id)
    assert figures["balance"] == {"amount": "200.00"}
    vouchers_before = await count_rows(app, Voucher, owner.company_id)
    payloads = await race(app, owner, UNMATCH, rent["id"])
    retry = await again(api, owner, UNMATCH, rent["id"])
    assert retry["userErrors"][0]["message"] == "The line is not matched"
    exactly_one_wins(payloads, retry)
    assert await count_rows(app, Transaction, owner.company_id) == 0
    assert await count_rows(app, Voucher, owner.company_id) == vouchers_before + 1  # one reversal
    assert (await reconciliation(api, owner, account_id))["balance"] == {"amount": "1000.00"}


async def test_two_lines_matched_to_one_payment_at_once_take_it_once(api: Api, app: Any) -> None:
    owner = await api.register()
    account_id = await account(api, owner)
    made = await connection(api, owner, account_id)
    content = (
        "Date,Description,Amount,Ref\n2026-01-05,Acme,250.00,A\n2026-01-06,Acme again,250.00,B\n"
    )
    lines = (await imported(api, owner, made["id"], content=content))["feedTransactions"]
    payment = await pay(api, owner, (await issued(api, owner, "250"))["id"], account_id, "250")
    requests = [
        ("POST", "/graphql", {"query": MATCH, "variables": {"id": line["id"], "tx": payment}})
        for line in lines
        for _ in range(N // 2)
    ]
    responses = await concurrently(app, owner, requests)
    payloads = [r.json()["data"]["bankFeedMatch"] for r in responses]
    winners = [p for p in payloads if not p["userErrors"]]
    assert len(winners) == 1, payloads
    assert {p["userErrors"][0]["code"] for p in payloads if p["userErrors"]} <= {
        "TAKEN",
        "INVALID_STATE",
    }
    async with tenant_db(app, owner.company_id) as session:
        matched = await session.scalar(
            select(func.count()).where(BankFeedTransaction.status == "matched")
        )
        linked = await session.scalar(
            select(Transaction.bank_feed_transaction_id).where(Transaction.id.is_not(None))
        )
    assert matched == 1 and linked in {line["objectId"] for line in lines}
    figures = (await reconciliation(api, owner, account_id))["reconciliation"]
    assert figures["reconciledBalance"] == {"amount": "1250.00"}


async def test_a_split_racing_an_unmatch_never_posts_twice(api: Api, app: Any) -> None:
    owner = await api.register()
    account_id = await account(api, owner)
    made = await connection(api, owner, account_id)
    await category(api, owner, "Rent", "EXPENSE")
    lines = (await imported(api, owner, made["id"]))["feedTransactions"]
    rent = next(x for x in lines if "rent" in x["description"])
    split = ("POST", "/graphql", {"query": SPLIT, "variables": {"id": rent["id"]}})
    unmatch = ("POST", "/graphql", {"query": UNMATCH, "variables": {"id": rent["id"]}})
    await concurrently(app, owner, [split, unmatch] * (N // 2))
    status = (
        await api.data(
            "query($id: ID!) { bankFeedTransaction(id: $id) { status } }", {"id": rent["id"]}, owner
        )
    )["bankFeedTransaction"]["status"]
    created = await count_rows(app, Transaction, owner.company_id)
    assert (status, created) in {("CREATED", 1), ("UNMATCHED", 0)}
    balance = (await reconciliation(api, owner, account_id))["balance"]["amount"]
    assert balance == ("200.00" if created else "1000.00")
    trial = "{ company { reports { trialBalance { balanced } } } }"
    assert (await api.data(trial, tenant=owner))["company"]["reports"]["trialBalance"]["balanced"]
