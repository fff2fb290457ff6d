"""Numbors REST: /api/accounting/chart-of-accounts and /api/accounting/journal."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from gql.core.graph import list_page
from gql.core.ids import from_global_id, is_object_id
from gql.core.lookups import rows_by_id
from gql.core.pagination import PageArgs
from gql.domains.companies.modules import ModuleAlias
from gql.domains.ledger import service
from gql.domains.ledger.models import (
    LedgerAccount,
    LedgerAccountType,
    LedgerLevel,
    Voucher,
    VoucherLine,
)
from gql.domains.ledger.schema import LEDGER_ACCOUNTS, VOUCHERS
from gql.rest.numbors import (
    RestContext,
    choice_param,
    date_param,
    endpoint,
    ok,
    page_params,
    paginated,
    row_json,
    text_param,
)
from gql.rest.openapi import ApiRoute, choice, day, text
from gql.rest.renames import Renames

MODULE = ModuleAlias.ACCOUNTING

ACCOUNT_NAMES = Renames({"parent": "parentId"})
# A line's `account` is an id or a code (_journal_input): accountId or accountCode to us.
JOURNAL_NAMES = Renames(
    {},
    nested={
        "lines": Renames(
            {"contact": "contactId"}, derived={"accountId": "account", "accountCode": "account"}
        )
    },
)


def account_json(account: LedgerAccount, parents: dict[str, LedgerAccount]) -> dict[str, Any]:
    parent = parents.get(account.parent_id) if account.parent_id else None
    return row_json(
        account,
        exclude=("company_id", "parent_id"),
        parent={"id": parent.id, "code": parent.code, "name": parent.name} if parent else None,
    )


# --- chart of accounts ---------------------------------------------------------------------


@endpoint(module=MODULE)
async def list_chart(ctx: RestContext) -> Response:
    """The chart as a flat list sorted by code (every level; filter with type and level)."""
    page = page_params(ctx.request, ctx.settings)
    filter = service.LedgerAccountFilter(
        type=choice_param(ctx.request, "type", [t.value for t in LedgerAccountType]),
        level=choice_param(ctx.request, "level", [lv.value for lv in LedgerLevel]),
        search=text_param(ctx.request, "search", ctx.settings),
    )
    result = await list_page(
        ctx.session,
        LEDGER_ACCOUNTS,
        PageArgs(first=page.limit, after=page.offset or None),
        where=filter,
    )
    parents = await rows_by_id(
        ctx.session, LedgerAccount, {a.parent_id for a in result.rows if a.parent_id}
    )
    items = [account_json(a, parents) for a in result.rows]
    return paginated(items, total=result.total, page=page.page, limit=page.limit)


@endpoint(module=MODULE, write=True, names=ACCOUNT_NAMES)
async def create_account(ctx: RestContext) -> Response:
    account = await service.create_account(session=ctx.session, data=await ctx.body())
    parents = await rows_by_id(
        ctx.session, LedgerAccount, {account.parent_id} if account.parent_id else set()
    )
    return ok(account_json(account, parents), 201)


# --- journal ---------------------------------------------------------------------------------


def _line_json(line: VoucherLine, accounts: dict[str, LedgerAccount]) -> dict[str, Any]:
    account = accounts.get(line.account_id)
    return row_json(
        line,
        exclude=(
            "company_id",
            "voucher_id",
            "account_id",
            "contact_id",
            "created_at",
            "updated_at",
        ),
        account={"id": account.id, "code": account.code, "name": account.name} if account else None,
        contact=line.contact_id,
    )


async def _journal_json(ctx: RestContext, vouchers: list[Voucher]) -> list[dict[str, Any]]:
    """Vouchers with their lines and each line's account: two statements for a page."""
    lines = await service.voucher_lines(ctx.session, [v.id for v in vouchers])
    accounts = await rows_by_id(ctx.session, LedgerAccount, {line.account_id for line in lines})
    by_voucher: dict[str, list[dict[str, Any]]] = {v.id: [] for v in vouchers}
    for line in lines:
        by_voucher[line.voucher_id].append(_line_json(line, accounts))
    return [
        row_json(
            v,
            exclude=("company_id", "currency_code"),
            currency=v.currency_code,
            lines=by_voucher[v.id],
        )
        for v in vouchers
    ]


@endpoint(module=MODULE)
async def list_journal(ctx: RestContext) -> Response:
    """Journal entries sorted by date (then number), with their lines."""
    page = page_params(ctx.request, ctx.settings)
    filter = service.VoucherFilter(
        date_from=date_param(ctx.request, "from"),
        date_to=date_param(ctx.request, "to"),
        account_code=text_param(ctx.request, "account", ctx.settings),
        search=text_param(ctx.request, "search", ctx.settings),
    )
    result = await list_page(
        ctx.session,
        VOUCHERS,
        PageArgs(first=page.limit, after=page.offset or None),
        where=filter,
        order=("date", choice_param(ctx.request, "order", ["asc", "desc"]) or "asc"),
    )
    items = await _journal_json(ctx, result.rows)
    return paginated(items, total=result.total, page=page.page, limit=page.limit)


def _account_ref(ref: Any) -> tuple[str, Any]:
    """A line's `account`: an object id or global id, otherwise a code."""
    if isinstance(ref, str) and (is_object_id(ref) or from_global_id(ref) is not None):
        return "accountId", ref
    return "accountCode", str(ref) if isinstance(ref, (int, str)) else ref


def _journal_input(data: dict[str, Any]) -> dict[str, Any]:
    lines = data.get("lines")
    if isinstance(lines, list):
        for line in lines:
            if isinstance(line, dict) and "account" in line:
                key, value = _account_ref(line.pop("account"))
                line.setdefault(key, value)
    return data


@endpoint(module=MODULE, write=True, names=JOURNAL_NAMES)
async def create_journal_entry(ctx: RestContext) -> Response:
    data = _journal_input(await ctx.body())
    voucher = await service.create_manual_voucher(session=ctx.session, data=data, viewer=ctx.viewer)
    return ok((await _journal_json(ctx, [voucher]))[0], 201)


routes = [
    ApiRoute(
        "/accounting/chart-of-accounts",
        list_chart,
        "GET",
        summary="The chart of accounts",
        row=LedgerAccount,
        query=[choice("type", LedgerAccountType), choice("level", LedgerLevel), text("search")],
    ),
    ApiRoute(
        "/accounting/chart-of-accounts",
        create_account,
        "POST",
        summary="Create a ledger account",
        row=LedgerAccount,
        body=service.LedgerAccountCreate,
    ),
    ApiRoute(
        "/accounting/journal",
        list_journal,
        "GET",
        summary="The journal (vouchers)",
        row=Voucher,
        query=[
            day("from"),
            day("to"),
            text("account", "an account's code or id"),
            text("search"),
            choice("order", ["asc", "desc"]),
        ],
    ),
    ApiRoute(
        "/accounting/journal",
        create_journal_entry,
        "POST",
        summary="Post a journal entry",
        row=Voucher,
        body=service.VoucherCreate,
    ),
]
