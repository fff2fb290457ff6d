"""Numbors REST: /api/banking/feeds (feed lines, sorted by date), /api/banking/feeds/
connections and /api/banking/feeds/rules; and, not in Numbors, POST
/api/banking/feeds/import (a statement file as JSON, as bankFeedImport takes it)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import col
from starlette.responses import Response

from gql.core.graph import list_page
from gql.core.loaders import computed_values
from gql.core.lookups import rows_by_id
from gql.core.pagination import PageArgs
from gql.domains.bankfeeds import service
from gql.domains.bankfeeds.filters import MODULE
from gql.domains.bankfeeds.imports import FeedImportInput, import_statement
from gql.domains.bankfeeds.models import (
    BankConnection,
    BankFeedTransaction,
    BankRule,
    ConnectionStatus,
    FeedStatus,
)
from gql.domains.bankfeeds.reconciliation import FIGURES
from gql.domains.bankfeeds.schema import CONNECTIONS, FEED, RULES
from gql.domains.banking.models import Account, Transaction
from gql.rest.numbors import (
    RestContext,
    choice_param,
    date_param,
    endpoint,
    id_param,
    ok,
    page_params,
    paginated,
    row_json,
    text_param,
)
from gql.rest.openapi import ApiRoute, choice, day, ref, text
from gql.rest.renames import Renames

CONNECTION_NAMES = Renames({"account": "accountId"})
RULE_NAMES = Renames({"category": "categoryId", "contact": "contactId", "account": "accountId"})
IMPORT_NAMES = Renames({"connection": "connectionId"})


def _page_args(ctx: RestContext) -> tuple[int, int, PageArgs]:
    page = page_params(ctx.request, ctx.settings)
    return page.page, page.limit, PageArgs(first=page.limit, after=page.offset or None)


async def _matched(ctx: RestContext, lines: list[BankFeedTransaction]) -> dict[str, list[str]]:
    """The transactions each line is reconciled with: one statement for the page."""
    out: dict[str, list[str]] = {line.id: [] for line in lines}
    if lines:
        stmt = (
            select(col(Transaction.bank_feed_transaction_id), col(Transaction.id))
            .where(col(Transaction.bank_feed_transaction_id).in_(list(out)))
            .order_by(col(Transaction.paid_at), col(Transaction.id))
        )
        for line_id, tx_id in (await ctx.session.execute(stmt)).all():
            out[line_id].append(tx_id)
    return out


def feed_json(line: BankFeedTransaction, matched: list[str]) -> dict[str, Any]:
    refs = ("connection_id", "account_id", "import_id", "rule_id", "category_id", "contact_id")
    return row_json(
        line,
        exclude=("company_id", "currency_code", *refs),
        currency=line.currency_code,
        connection=line.connection_id,
        account=line.account_id,
        importId=line.import_id,
        rule=line.rule_id,
        category=line.category_id,
        contact=line.contact_id,
        matchedTransactions=matched,
    )


async def feeds_json(ctx: RestContext, lines: list[BankFeedTransaction]) -> list[dict[str, Any]]:
    matched = await _matched(ctx, lines)
    return [feed_json(line, matched[line.id]) for line in lines]


async def connections_json(
    ctx: RestContext, connections: list[BankConnection]
) -> list[dict[str, Any]]:
    """Each connection with its account and the account's reconciliation (the figures
    Account.reconciliation answers): two statements for the page."""
    ids = {c.account_id for c in connections}
    accounts = await rows_by_id(ctx.session, Account, ids)
    figures = await computed_values(ctx.session, Account, list(FIGURES.values()), ids)
    out = []
    for c in connections:
        account = accounts.get(c.account_id)
        values = dict(zip(FIGURES, figures.get(c.account_id, ()), strict=False))
        brief = (
            None
            if account is None
            else {"id": account.id, "name": account.name, "currency": account.currency_code}
        )
        out.append(
            row_json(
                c,
                exclude=("company_id", "account_id"),
                account=brief,
                reconciliation=values,
            )
        )
    return out


def rule_json(rule: BankRule) -> dict[str, Any]:
    return row_json(
        rule,
        exclude=("company_id", "category_id", "contact_id", "account_id"),
        category=rule.category_id,
        contact=rule.contact_id,
        account=rule.account_id,
    )


@endpoint(module=MODULE)
async def list_feeds(ctx: RestContext) -> Response:
    page, limit, args = _page_args(ctx)
    filter = service.FeedFilter(
        connection_id=id_param(ctx.request, "connection", "BankConnection"),
        account_id=id_param(ctx.request, "account", "Account"),
        status=choice_param(ctx.request, "status", [s.value for s in FeedStatus]),
        date_from=date_param(ctx.request, "from"),
        date_to=date_param(ctx.request, "to"),
        search=text_param(ctx.request, "search", ctx.settings),
    )
    result = await list_page(ctx.session, FEED, args, where=filter)
    return paginated(await feeds_json(ctx, result.rows), total=result.total, page=page, limit=limit)


@endpoint(module=MODULE)
async def list_connections(ctx: RestContext) -> Response:
    page, limit, args = _page_args(ctx)
    filter = service.ConnectionFilter(
        account_id=id_param(ctx.request, "account", "Account"),
        status=choice_param(ctx.request, "status", [s.value for s in ConnectionStatus]),
    )
    result = await list_page(ctx.session, CONNECTIONS, args, where=filter)
    items = await connections_json(ctx, result.rows)
    return paginated(items, total=result.total, page=page, limit=limit)


@endpoint(module=MODULE, write=True, names=CONNECTION_NAMES)
async def create_connection(ctx: RestContext) -> Response:
    connection = await service.create_connection(session=ctx.session, data=await ctx.body())
    return ok((await connections_json(ctx, [connection]))[0], 201)


@endpoint(module=MODULE)
async def list_rules(ctx: RestContext) -> Response:
    page, limit, args = _page_args(ctx)
    filter = service.RuleFilter(
        category_id=id_param(ctx.request, "category", "Category"),
        contact_id=id_param(ctx.request, "contact", "Contact"),
    )
    result = await list_page(ctx.session, RULES, args, where=filter)
    return paginated(
        [rule_json(r) for r in result.rows], total=result.total, page=page, limit=limit
    )


@endpoint(module=MODULE, write=True, names=RULE_NAMES)
async def create_rule(ctx: RestContext) -> Response:
    rule = await service.create_rule(session=ctx.session, data=await ctx.body())
    return ok(rule_json(rule), 201)


@endpoint(module=MODULE, write=True, names=IMPORT_NAMES)
async def import_file(ctx: RestContext) -> Response:
    result = await import_statement(session=ctx.session, data=await ctx.body())
    body = {
        "importId": result.batch.id,
        "connection": result.connection.id,
        "lines": result.batch.lines,
        "newLines": result.batch.new_lines,
        "existingLines": result.existing,
        "feedTransactions": await feeds_json(ctx, result.new),
    }
    return ok(body, 201)


routes = [
    ApiRoute(
        "/banking/feeds",
        list_feeds,
        "GET",
        summary="List bank feed transactions",
        row=BankFeedTransaction,
        query=[
            ref("connection"),
            ref("account"),
            choice("status", FeedStatus),
            day("from"),
            day("to"),
            text("search"),
        ],
    ),
    ApiRoute(
        "/banking/feeds/connections",
        list_connections,
        "GET",
        summary="List bank connections",
        row=BankConnection,
        query=[ref("account"), choice("status", ConnectionStatus)],
    ),
    ApiRoute(
        "/banking/feeds/connections",
        create_connection,
        "POST",
        summary="Connect a bank account",
        row=BankConnection,
        body=service.ConnectionCreate,
    ),
    ApiRoute(
        "/banking/feeds/rules",
        list_rules,
        "GET",
        summary="List bank rules",
        row=BankRule,
        query=[ref("category"), ref("contact")],
    ),
    ApiRoute(
        "/banking/feeds/rules",
        create_rule,
        "POST",
        summary="Create a bank rule",
        row=BankRule,
        body=service.RuleCreate,
    ),
    ApiRoute(
        "/banking/feeds/import",
        import_file,
        "POST",
        summary="Import a bank statement (CSV or OFX)",
        body=FeedImportInput,
        undocumented=(
            "Not in the Numbors document: Ledgergraph's own, for statements that arrive as files."
        ),
    ),
]
