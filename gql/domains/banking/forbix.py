"""Forbix Open-API banking: /openapi/banking/accounts and /openapi/banking/deposits/...,
over the money accounts and transactions of the books (module: banking).

Their names and ours: a connected account is an enabled bank account with a deposit
number or an active bank-feed connection; `cif` is its account number, `accountTitle`
its name, `accountDepositNumbers` its deposit number as a JSON-encoded list (as
documented). A deposit is the account with that deposit number: `depositType` is its
type as a number (10 bank, 20 credit card, 30 cash), `branchCode` its branch, and
`ibanNumber` its IBAN. The balance is banking's own (the graph's Account.balance);
`availablePrice` is the same, as no money is held.

The statement of a deposit lists its transactions with the balance after each, in
one statement with a window function over all of the account's transactions (so a
page or a date range still starts from the right balance): `serial` is the
transaction's position in the account (1 the first, by date), `statementId` the
transaction's id, `transferAmount` signed (income +, expense -), `referenceNumber`
its reference and `paymentId` the document it pays. `fromDate` / `toDate` (epoch
milliseconds, both included), `page` / `pageSize`, `sortBy=date` and `order` as on
every Forbix list.
"""

from __future__ import annotations

import json
from datetime import UTC
from decimal import Decimal
from typing import Any

from sqlalchemy import case, exists, func, or_, select, type_coerce
from sqlmodel import col
from starlette.responses import Response

from gql.compiler.sqlenv import request_env
from gql.core.errors import ErrorCode, UserInputError
from gql.core.loaders import computed_values
from gql.core.ranges import between
from gql.db.columns import ExactDecimal
from gql.domains.bankfeeds.models import BankConnection, ConnectionStatus
from gql.domains.banking.models import Account, AccountType, Transaction, TransactionType
from gql.domains.banking.service import BALANCE
from gql.domains.companies.modules import ModuleAlias
from gql.rest import forbix
from gql.rest.numbors import RestContext, bad_params, choice_param, param_error
from gql.rest.openapi import ApiRoute, millis
from gql.tenancy import tenant_table

MODULE = ModuleAlias.BANKING
DEPOSIT_TYPES = {
    AccountType.BANK.value: 10,
    AccountType.CREDIT_CARD.value: 20,
    AccountType.CASH.value: 30,
}


async def _deposit(ctx: RestContext) -> Account:
    """The account with the path's deposit number; another company's is not found."""
    number = ctx.request.path_params["depositNumber"]
    found = await ctx.session.scalar(
        select(Account).where(col(Account.deposit_number) == number).order_by(col(Account.id))
    )
    if found is None:
        raise UserInputError.single("id", "Deposit not found", ErrorCode.NOT_FOUND)
    return found


@forbix.endpoint(module=MODULE)
async def connected_accounts(ctx: RestContext) -> Response:
    connected = exists().where(
        col(BankConnection.account_id) == col(Account.id),
        col(BankConnection.status) == ConnectionStatus.ACTIVE.value,
    )
    rows = await ctx.session.scalars(
        select(Account)
        .where(
            col(Account.type) == AccountType.BANK.value,
            col(Account.enabled).is_(True),
            or_(col(Account.deposit_number).is_not(None), connected),
        )
        .order_by(col(Account.created_at), col(Account.id))
    )
    return forbix.ok(
        [
            {
                "cif": a.number,
                "accountTitle": a.name,
                "accountDepositNumbers": json.dumps([a.deposit_number] if a.deposit_number else []),
            }
            for a in rows.all()
        ]
    )


@forbix.endpoint(module=MODULE)
async def deposit(ctx: RestContext) -> Response:
    a = await _deposit(ctx)
    return forbix.ok(
        [
            {
                "depositType": DEPOSIT_TYPES[a.type],
                "branchCode": a.branch_code,
                "ibanNumber": a.iban,
                "depositNumber": a.deposit_number,
                "currency": a.currency_code,
            }
        ]
    )


@forbix.endpoint(module=MODULE)
async def deposit_balance(ctx: RestContext) -> Response:
    a = await _deposit(ctx)
    [balance] = (await computed_values(ctx.session, Account, [BALANCE], [a.id]))[a.id]
    text = str(balance)
    return forbix.ok(
        {"balance": {"price": text, "availablePrice": text}, "currency": a.currency_code}
    )


@forbix.endpoint(module=MODULE)
async def deposit_transactions(ctx: RestContext) -> Response:
    request = ctx.request
    account = await _deposit(ctx)
    page = forbix.page_params(request, ctx.settings)
    if (request.query_params.get("sortBy") or "date") != "date":
        raise bad_params(param_error("sortBy", "must be one of: date"))
    descending = (choice_param(request, "order", ["asc", "desc"]) or "desc") == "desc"
    start, end = forbix.millis_param(request, "fromDate"), forbix.millis_param(request, "toDate")

    t = tenant_table(Transaction, request_env(ctx.session).tenant_id)
    amount = case((t.c.type == TransactionType.INCOME.value, t.c.amount), else_=-t.c.amount)
    order = (t.c.paid_at, t.c.id)
    entries = (
        t.select(
            t.c.id,
            t.c.paid_at,
            t.c.description,
            t.c.reference,
            t.c.document_id,
            type_coerce(amount, ExactDecimal(2)).label("amount"),
            type_coerce(
                func.sum(amount).over(order_by=order, rows=(None, 0)), ExactDecimal(2)
            ).label("movement"),
            func.row_number().over(order_by=order).label("serial"),
        )
        .where(t.c.account_id == account.id)
        .subquery("entry")
    )
    e = entries.c
    in_range = between(e.paid_at, start, end)
    total = await ctx.session.scalar(select(func.count()).select_from(entries).where(*in_range))
    direction = (lambda c: c.desc()) if descending else (lambda c: c.asc())
    rows = (
        await ctx.session.execute(
            select(entries)
            .where(*in_range)
            .order_by(direction(e.serial))
            .limit(page.size)
            .offset(page.page * page.size)
        )
    ).all()
    opening: Decimal = account.opening_balance
    return forbix.listed(
        [
            {
                "date": r.paid_at.astimezone(UTC).isoformat(timespec="seconds"),
                "description": r.description,
                "balance": opening + r.movement,
                "serial": r.serial,
                "registrationNumber": None,
                "branchCode": account.branch_code,
                "branchName": None,
                "agentBranchCode": None,
                "agentBranchName": None,
                "transferAmount": r.amount,
                "serialNumber": str(r.serial),
                "statementId": r.id,
                "referenceNumber": r.reference,
                "paymentId": r.document_id,
            }
            for r in rows
        ],
        total=total or 0,
        page=page,
        key="result",
    )


def _object(**properties: str) -> dict[str, Any]:
    """A small answer's JSON shape: each field's JSON type (strings may be null)."""
    return {
        "type": "object",
        "properties": {
            k: {"type": [t, "null"]} if t == "string" else {"type": t}
            for k, t in properties.items()
        },
    }


routes = [
    ApiRoute(
        "/banking/accounts",
        connected_accounts,
        "GET",
        summary="Connected bank accounts",
        row=_object(cif="string", accountTitle="string", accountDepositNumbers="string"),
        listed=False,
        many=True,
    ),
    ApiRoute(
        "/banking/deposits/{depositNumber}",
        deposit,
        "GET",
        summary="A deposit's information",
        row=_object(
            depositType="string",
            branchCode="string",
            ibanNumber="string",
            depositNumber="string",
            currency="string",
        ),
        many=True,
    ),
    ApiRoute(
        "/banking/deposits/{depositNumber}/balance",
        deposit_balance,
        "GET",
        summary="A deposit's balance",
        row=_object(balance="object", currency="string"),
    ),
    ApiRoute(
        "/banking/deposits/{depositNumber}/transactions",
        deposit_transactions,
        "GET",
        summary="A deposit's statement",
        row=Transaction,
        listed=True,
        query=[millis("fromDate"), millis("toDate")],
    ),
]
