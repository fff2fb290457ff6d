"""Forbix Open-API: /openapi/accounting/vouchers and /openapi/accounting/chart-of-accounts.

The chart, mapped level for level: our ledger accounts are a four-level tree already
(gql/domains/ledger/chart.py), so Forbix's `generalTypes` are our general headings,
their `subsidiaryTypes` our subsidiary headings, `detailedTypes` our detailed headings
and `accountSlugs` our accounts (the leaves, the only level a voucher posts to). Each
node's `slug` is the account's slug, `debitCredit` its nature (debit / credit), `lock`
whether it is a locked system account, `_id` its id; a leaf's `accountType` is our
type (asset, liability, equity, income, expense) and `accCode` its code. Nothing is
pinned (`pin` false) and no account is marked for quick expenses or income (null).

A voucher item names its account by those slugs (`accountSlug`, with the headings
above it when given, each checked); a code is accepted wherever a slug is.
Vouchers are written by the ledger's `create_manual_voucher` (post_voucher): balanced,
numbered in their financial year, in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, exists, select
from sqlmodel import col
from starlette.responses import Response

from gql.compiler.sqlenv import SqlEnv
from gql.core.errors import ErrorCode, FieldError
from gql.core.graph import list_page
from gql.core.ids import decode_id
from gql.core.search import storable
from gql.domains.companies.modules import ModuleAlias
from gql.domains.ledger import service
from gql.domains.ledger.models import (
    FinancialYear,
    LedgerAccount,
    LedgerLevel,
    Voucher,
    VoucherKind,
    VoucherLine,
)
from gql.domains.ledger.schema import VOUCHERS
from gql.rest import forbix
from gql.rest.numbors import RestContext, choice_param, read_json, text_param
from gql.rest.openapi import ApiRoute, choice, millis, text, whole
from gql.rest.renames import Renames
from gql.tenancy import mapped_table, tenant_table

MODULE = ModuleAlias.ACCOUNTING

# Forbix spells the opening voucher's kind with two n's.
KIND_TO_OURS = {k.value: k.value for k in VoucherKind} | {
    "OPENNING_BALANCE": VoucherKind.OPENING_BALANCE.value
}
KIND_TO_THEIRS = {v: k for k, v in KIND_TO_OURS.items() if k != VoucherKind.OPENING_BALANCE.value}
# The item fields naming an account, head first, and the level each names.
ACCOUNT_FIELDS = (
    ("generalType", LedgerLevel.GENERAL),
    ("subsidiaryType", LedgerLevel.SUBSIDIARY),
    ("detailedType", LedgerLevel.DETAILED),
    ("accountSlug", LedgerLevel.ACCOUNT),
)
NAMES = Renames(
    {"voucherItems": "lines", "createDate": "date", "voucherKind": "kind"},
    nested={
        "lines": Renames(
            {"debitAmount": "debit", "creditAmount": "credit"},
            derived={"accountId": "accountSlug"},
        )
    },
)
SORT_COLUMNS = {
    "number": Voucher.number,
    "createDate": Voucher.date,
    "description": Voucher.description,
    "total": Voucher.total,
}
SEARCH_PARAMS = ["generalType", "subsidiaryType", "detailedType", "accountSlug", "accountSlug2"]


@dataclass
class Chart:
    """The company's whole chart (one statement): a few dozen rows."""

    by_id: dict[str, LedgerAccount]

    @classmethod
    async def read(cls, ctx: RestContext) -> Chart:
        rows = await ctx.session.scalars(select(LedgerAccount).order_by(col(LedgerAccount.code)))
        return cls({a.id: a for a in rows})

    def path(self, account: LedgerAccount) -> list[LedgerAccount]:
        """The account and the headings above it, head first."""
        out = [account]
        while out[0].parent_id and out[0].parent_id in self.by_id:
            out.insert(0, self.by_id[out[0].parent_id])
        return out

    def find(self, name: str, level: LedgerLevel) -> LedgerAccount | None:
        """The account of `level` whose slug (or code) is `name`."""
        for account in self.by_id.values():
            if account.level == level.value and name in (account.slug, account.code):
                return account
        return None

    def children(self, parent_id: str | None) -> list[LedgerAccount]:
        return [a for a in self.by_id.values() if a.parent_id == parent_id]


# --- chart of accounts -----------------------------------------------------------------------


async def default_year(ctx: RestContext) -> FinancialYear | None:
    """The company's default financial year; else the one containing today."""
    fy = FinancialYear
    today = date.today()
    stmt = (
        select(fy)
        .where(col(fy.is_default) | ((col(fy.start_date) <= today) & (col(fy.end_date) >= today)))
        .order_by(col(fy.is_default).desc(), col(fy.start_date))
        .limit(1)
    )
    return await ctx.session.scalar(stmt)


def _node(chart: Chart, account: LedgerAccount) -> dict[str, Any]:
    node: dict[str, Any] = {
        "slug": account.slug,
        "name": account.name,
        "debitCredit": account.nature,
        "lock": account.locked,
        "_id": account.id,
        "accCode": account.code,
    }
    children = chart.children(account.id)
    if account.level == LedgerLevel.GENERAL.value:
        node["subsidiaryTypes"] = [_node(chart, c) for c in children]
    elif account.level == LedgerLevel.SUBSIDIARY.value:
        node["detailedTypes"] = [_node(chart, c) for c in children]
    elif account.level == LedgerLevel.DETAILED.value:
        node["pin"] = False
        node["accountSlugs"] = [_node(chart, c) for c in children]
    else:
        node.update(
            pin=False,
            accountType=account.type,
            quickExpenseFrom=None,
            quickIncomceTo=None,
            enabled=account.enabled,
        )
    return node


@forbix.endpoint(module=MODULE)
async def chart_of_accounts(ctx: RestContext) -> Response:
    chart = await Chart.read(ctx)
    year = await default_year(ctx)
    return forbix.ok(
        {
            "_id": ctx.tenant_id,
            "companyId": ctx.tenant_id,
            "companyFinancialYearId": year.id if year else None,
            "generalTypes": [_node(chart, a) for a in chart.children(None)],
        }
    )


# --- vouchers --------------------------------------------------------------------------------


def _item_json(line: VoucherLine, chart: Chart) -> dict[str, Any]:
    account = chart.by_id[line.account_id]
    path = chart.path(account)
    slugs: dict[str, str | None] = {field: None for field, _ in ACCOUNT_FIELDS}
    for (field, _), heading in zip(ACCOUNT_FIELDS, path, strict=False):
        slugs[field] = heading.slug
    return {
        **slugs,
        "defaultDebitCredit": account.nature,
        "accountSlug2": line.account_slug2,
        "accountSlug3": line.account_slug3,
        "accountSlug4": line.account_slug4,
        "debitAmount": line.debit,
        "creditAmount": line.credit,
        "accCode": account.code,
        "description": line.description,
    }


def voucher_json(voucher: Voucher, lines: list[VoucherLine], chart: Chart) -> dict[str, Any]:
    return {
        **forbix.identity(voucher),
        "companyId": voucher.company_id,
        "companyFinancialYearId": voucher.financial_year_id,
        "number": voucher.number,
        "description": voucher.description,
        "createDate": forbix.millis(voucher.date),
        "type": voucher.type,
        "autoOptions": {},
        "deletedBy": None,
        "voucherItems": [_item_json(line, chart) for line in lines],
        "creatorId": voucher.created_by_id,
        "isOpenningVoucher": voucher.kind == VoucherKind.OPENING_BALANCE.value,
        "voucherKind": KIND_TO_THEIRS.get(voucher.kind, voucher.kind),
        "total": voucher.total,
        "currency": voucher.currency_code,
    }


def _resolve_items(body: dict[str, Any], chart: Chart) -> None:
    """Each voucher item's account from its slugs, as `accountId`; every item that
    names none, or names headings its account is not under, is refused by its field."""
    items = body.get("voucherItems")
    if not isinstance(items, list):
        return  # validation names it
    errors: list[FieldError] = []
    for position, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        # Every ledger account has its normal side: that is what is answered.
        item.pop("defaultDebitCredit", None)
        names = {field: item.pop(field, None) for field, _ in ACCOUNT_FIELDS}
        where = ("voucherItems", str(position))
        leaf = names["accountSlug"]
        account = chart.find(str(leaf), LedgerLevel.ACCOUNT) if leaf else None
        if account is None:
            message = "Ledger account not found" if leaf else "is required"
            code = ErrorCode.NOT_FOUND if leaf else ErrorCode.REQUIRED
            errors.append(FieldError((*where, "accountSlug"), message, code))
            continue
        for (field, _), heading in zip(ACCOUNT_FIELDS, chart.path(account), strict=False):
            if names[field] not in (None, "", heading.slug, heading.code):
                errors.append(
                    FieldError((*where, field), f"{account.slug} is under {heading.slug}")
                )
        item["accountId"] = account.id
    if errors:
        raise forbix.invalid(errors)


async def _check_year(ctx: RestContext, body: dict[str, Any], on: date | None) -> date:
    """The voucher's day: its createDate (else today), in companyFinancialYearId when
    one is given (else the year that day is in, as for every voucher)."""
    day = on or date.today()
    year_ref = body.pop("companyFinancialYearId", None)
    if year_ref is None:
        return day
    pk = decode_id(str(year_ref), "FinancialYear")
    stmt = select(FinancialYear).where(col(FinancialYear.id) == pk)
    year = await ctx.session.scalar(stmt) if pk else None
    if year is None:
        field = FieldError(
            ("companyFinancialYearId",), "Financial year not found", ErrorCode.NOT_FOUND
        )
        raise forbix.invalid([field])
    if on is None and not year.start_date <= day <= year.end_date:
        day = year.end_date if day > year.end_date else year.start_date
    if not year.start_date <= day <= year.end_date:
        message = f"must be within the financial year ({year.start_date} to {year.end_date})"
        raise forbix.invalid([FieldError(("createDate",), message)])
    return day


@forbix.endpoint(module=MODULE, write=True, names=NAMES)
async def create_voucher(ctx: RestContext) -> Response:
    body = await read_json(ctx.request)
    forbix.require_fields(body, "description", "voucherItems")
    # Numbered by the ledger; the company and creator are the request's; the type is
    # MANUAL (an automatic voucher is one the books post themselves).
    forbix.drop_fields(body, "companyId", "number", "type", "autoOptions", "deletedBy", "creatorId")
    opening = body.pop("isOpenningVoucher", None)
    kind = body.get("voucherKind")
    if kind is None and opening is True:
        body["voucherKind"] = VoucherKind.OPENING_BALANCE.value
    elif isinstance(kind, str) and kind in KIND_TO_OURS:
        body["voucherKind"] = KIND_TO_OURS[kind]
    holder = {"createDate": body.pop("createDate", None)}
    forbix.convert_fields(holder, {"createDate": "createDate"}, forbix.day_of_millis)
    body["createDate"] = await _check_year(ctx, body, holder["createDate"])
    chart = await Chart.read(ctx)
    _resolve_items(body, chart)
    voucher = await service.create_manual_voucher(
        session=ctx.session, data=NAMES.to_ours(body), viewer=ctx.viewer
    )
    lines = await service.voucher_lines(ctx.session, [voucher.id])
    return forbix.ok(voucher_json(voucher, lines, chart), 201)


def _has_slug2(value: str) -> ColumnElement[bool]:
    """A line of the voucher whose accountSlug2 is `value` (the line confined to the
    voucher's company, as the ledger's account filter does)."""
    line = tenant_table(VoucherLine, mapped_table(Voucher).c.company_id)
    return exists(
        line.select(line.c.id).where(
            line.c.voucher_id == Voucher.id, line.c.account_slug2 == storable(value.strip())
        )
    )


@dataclass(frozen=True)
class ForbixVoucherFilter:
    """The ledger's voucher filter, and a second account or an item's accountSlug2
    (searchParamName / Value)."""

    base: service.VoucherFilter
    under: str | None = None
    slug2: str | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        out = self.base.conditions(env)
        if self.under is not None:
            out += service.VoucherFilter(account_code=self.under).conditions(env)
        if self.slug2 is not None:
            out.append(_has_slug2(self.slug2))
        return out


async def _list_filter(ctx: RestContext, chart_of: Any) -> ForbixVoucherFilter:
    request, settings = ctx.request, ctx.settings
    year_ref = request.query_params.get("companyFinancialYearId")
    if year_ref:
        year_id: str | None = decode_id(year_ref, "FinancialYear") or "-"
    else:
        year = await default_year(ctx)
        year_id = year.id if year else None
    created_from = forbix.millis_param(request, "createDateFrom")
    created_to = forbix.millis_param(request, "createDateTo")
    kind = choice_param(request, "voucherKind", list(KIND_TO_OURS))
    under = slug2 = None
    param = choice_param(request, "searchParamName", SEARCH_PARAMS)
    value = text_param(request, "searchParamValue", settings)
    if param == "accountSlug2" and value:
        slug2 = value
    elif param and value:
        found = (await chart_of()).find(value, dict(ACCOUNT_FIELDS)[param])
        under = found.code if found else "-"  # no such account: none match
    return ForbixVoucherFilter(
        base=service.VoucherFilter(
            kind=KIND_TO_OURS[kind] if kind else None,
            date_from=created_from.date() if created_from else None,
            date_to=created_to.date() if created_to else None,
            number_from=forbix.int_param(request, "numberFrom"),
            number_to=forbix.int_param(request, "numberTo"),
            account_code=text_param(request, "accCode", settings),
            financial_year_id=year_id,
            search=text_param(request, "description", settings),
        ),
        under=under,
        slug2=slug2,
    )


@forbix.endpoint(module=MODULE)
async def list_vouchers(ctx: RestContext) -> Response:
    page = forbix.page_params(ctx.request, ctx.settings)
    order = forbix.sort_params(ctx.request, Voucher, SORT_COLUMNS, "number")
    charts: list[Chart] = []

    async def chart_of() -> Chart:
        if not charts:
            charts.append(await Chart.read(ctx))
        return charts[0]

    where = await _list_filter(ctx, chart_of)
    result = await list_page(ctx.session, VOUCHERS, page.args, where=where, order_by=order)
    lines = await service.voucher_lines(ctx.session, [v.id for v in result.rows])
    by_voucher: dict[str, list[VoucherLine]] = {}
    for line in lines:
        by_voucher.setdefault(line.voucher_id, []).append(line)
    chart = await chart_of()
    items = [voucher_json(v, by_voucher.get(v.id, []), chart) for v in result.rows]
    return forbix.listed(items, total=result.total, page=page, key="items")


routes = [
    ApiRoute(
        "/accounting/vouchers",
        list_vouchers,
        "GET",
        summary="List vouchers",
        row=Voucher,
        query=[
            text("companyFinancialYearId"),
            millis("createDateFrom"),
            millis("createDateTo"),
            choice("voucherKind", KIND_TO_OURS),
            choice("searchParamName", SEARCH_PARAMS),
            text("searchParamValue"),
            whole("numberFrom"),
            whole("numberTo"),
            text("accCode"),
            text("description"),
        ],
    ),
    ApiRoute(
        "/accounting/vouchers",
        create_voucher,
        "POST",
        summary="Create a voucher",
        row=Voucher,
        body=service.VoucherCreate,
    ),
    ApiRoute(
        "/accounting/chart-of-accounts",
        chart_of_accounts,
        "GET",
        summary="The chart of accounts, as a tree",
        listed=False,
        row={
            "type": "object",
            "description": "general types > subsidiary types > detailed types > accounts",
            "properties": {
                "_id": {"type": "string"},
                "companyFinancialYearId": {"type": ["string", "null"]},
                "generalTypes": {"type": "array", "items": {"type": "object"}},
            },
        },
    ),
]
