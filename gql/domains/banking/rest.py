"""Numbors REST: /api/accounts, /api/transactions (a `document` makes it a payment) and
/api/transfers."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from gql.auth.access import Need
from gql.core.graph import list_page
from gql.core.loaders import computed_values
from gql.core.lookups import rows_by_id
from gql.core.pagination import Page, PageArgs
from gql.domains.banking import service
from gql.domains.banking.models import Account, AccountType, Transaction, TransactionType, Transfer
from gql.domains.banking.schema import ACCOUNTS, TRANSACTIONS, TRANSFERS
from gql.domains.companies.modules import ModuleAlias
from gql.rest.numbors import (
    RestContext,
    bool_param,
    choice_param,
    endpoint,
    id_param,
    ok,
    page_params,
    paginated,
    row_json,
    text_param,
)
from gql.rest.openapi import ApiRoute, choice, flag, ref, text
from gql.rest.renames import Renames

MODULE = ModuleAlias.BANKING

# The Numbors names for the fields, and ours.
ACCOUNT_NAMES = Renames({"currency": "currencyCode"})
TRANSACTION_NAMES = Renames(
    {
        "account": "accountId",
        "category": "categoryId",
        "contact": "contactId",
        "document": "documentId",
        "currency": "currencyCode",
    }
)
TRANSFER_NAMES = Renames({"fromAccount": "fromAccountId", "toAccount": "toAccountId"})


def account_json(account: Account, balance: Any) -> dict[str, Any]:
    return row_json(
        account,
        exclude=("company_id", "ledger_account_id"),
        currency=account.currency_code,
        balance=balance,
    )


async def balances_of(ctx: RestContext, accounts: list[Account]) -> dict[str, Any]:
    """Each account's balance: the expression Account.balance answers on GraphQL."""
    found = await computed_values(ctx.session, Account, [service.BALANCE], [a.id for a in accounts])
    return {pk: values[0] for pk, values in found.items()}


def transaction_json(tx: Transaction) -> dict[str, Any]:
    refs = ("account_id", "category_id", "contact_id", "document_id", "transfer_id")
    return row_json(
        tx,
        exclude=("company_id", *refs),
        currency=tx.currency_code,
        account=tx.account_id,
        category=tx.category_id,
        contact=tx.contact_id,
        document=tx.document_id,
        transfer=tx.transfer_id,
    )


def _account_brief(account: Account | None) -> dict[str, Any] | None:
    if account is None:
        return None
    return {
        "id": account.id,
        "name": account.name,
        "type": account.type,
        "currency": account.currency_code,
    }


def transfer_json(
    transfer: Transfer, accounts: dict[str, Account], transactions: list[Transaction]
) -> dict[str, Any]:
    return row_json(
        transfer,
        exclude=("company_id", "from_account_id", "to_account_id"),
        fromAccount=_account_brief(accounts.get(transfer.from_account_id)),
        toAccount=_account_brief(accounts.get(transfer.to_account_id)),
        transactions=[t.id for t in transactions],
    )


def _page(ctx: RestContext) -> tuple[int, int, PageArgs]:
    page = page_params(ctx.request, ctx.settings)
    return page.page, page.limit, PageArgs(first=page.limit, after=page.offset or None)


def _list(items: list[Any], result: Page[Any], page: int, limit: int) -> Response:
    return paginated(items, total=result.total, page=page, limit=limit)


# --- accounts -------------------------------------------------------------------------------


@endpoint(module=MODULE)
async def list_accounts(ctx: RestContext) -> Response:
    page, limit, args = _page(ctx)
    filter = service.AccountFilter(
        type=choice_param(ctx.request, "type", [t.value for t in AccountType]),
        enabled=bool_param(ctx.request, "enabled"),
        search=text_param(ctx.request, "search", ctx.settings),
    )
    result = await list_page(ctx.session, ACCOUNTS, args, where=filter)
    balances = await balances_of(ctx, result.rows)
    return _list([account_json(a, balances[a.id]) for a in result.rows], result, page, limit)


@endpoint(module=MODULE, write=True, names=ACCOUNT_NAMES)
async def create_account(ctx: RestContext) -> Response:
    account = await service.create_account(session=ctx.session, data=await ctx.body())
    balances = await balances_of(ctx, [account])
    return ok(account_json(account, balances[account.id]), 201)


# --- transactions ---------------------------------------------------------------------------


@endpoint(module=MODULE)
async def list_transactions(ctx: RestContext) -> Response:
    page, limit, args = _page(ctx)
    filter = service.TransactionFilter(
        type=choice_param(ctx.request, "type", [t.value for t in TransactionType]),
        account_id=id_param(ctx.request, "account", "Account"),
        contact_id=id_param(ctx.request, "contact", "Contact"),
        document_id=id_param(ctx.request, "document", "Document"),
        search=text_param(ctx.request, "search", ctx.settings),
    )
    result = await list_page(ctx.session, TRANSACTIONS, args, where=filter)
    return _list([transaction_json(t) for t in result.rows], result, page, limit)


@endpoint(module=MODULE, write=True, names=TRANSACTION_NAMES)
async def create_transaction(ctx: RestContext) -> Response:
    body = await ctx.body()
    if body.get("documentId") is not None:
        ctx.authorize(Need(module=ModuleAlias.INVOICING))
    tx = await service.create_transaction(session=ctx.session, data=body)
    return ok(transaction_json(tx), 201)


# --- transfers ------------------------------------------------------------------------------


@endpoint(module=MODULE)
async def list_transfers(ctx: RestContext) -> Response:
    page, limit, args = _page(ctx)
    filter = service.TransferFilter(account_id=id_param(ctx.request, "account", "Account"))
    result = await list_page(ctx.session, TRANSFERS, args, where=filter)
    ids = {t.from_account_id for t in result.rows} | {t.to_account_id for t in result.rows}
    accounts = await rows_by_id(ctx.session, Account, ids)
    sides = await service.transactions_of_transfers(ctx.session, [t.id for t in result.rows])
    return _list(
        [transfer_json(t, accounts, sides[t.id]) for t in result.rows], result, page, limit
    )


@endpoint(module=MODULE, write=True, names=TRANSFER_NAMES)
async def create_transfer(ctx: RestContext) -> Response:
    transfer = await service.create_transfer(session=ctx.session, data=await ctx.body())
    accounts = await rows_by_id(
        ctx.session, Account, {transfer.from_account_id, transfer.to_account_id}
    )
    sides = await service.transactions_of_transfers(ctx.session, [transfer.id])
    return ok(transfer_json(transfer, accounts, sides[transfer.id]), 201)


routes = [
    ApiRoute(
        "/accounts",
        list_accounts,
        "GET",
        summary="List accounts",
        row=Account,
        query=[choice("type", AccountType), flag("enabled"), text("search")],
    ),
    ApiRoute(
        "/accounts",
        create_account,
        "POST",
        summary="Create an account",
        row=Account,
        body=service.AccountCreate,
    ),
    ApiRoute(
        "/transactions",
        list_transactions,
        "GET",
        summary="List transactions",
        row=Transaction,
        query=[
            choice("type", TransactionType),
            ref("account"),
            ref("contact"),
            ref("document"),
            text("search"),
        ],
    ),
    ApiRoute(
        "/transactions",
        create_transaction,
        "POST",
        summary="Record a transaction",
        row=Transaction,
        body=service.TransactionCreate,
    ),
    ApiRoute(
        "/transfers",
        list_transfers,
        "GET",
        summary="List transfers",
        row=Transfer,
        query=[ref("account")],
    ),
    ApiRoute(
        "/transfers",
        create_transfer,
        "POST",
        summary="Transfer between accounts",
        row=Transfer,
        body=service.TransferCreate,
    ),
]
