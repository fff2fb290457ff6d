"""Query and Mutation fields of the ledger (module: accounting): the chart of accounts,
financial years, vouchers. The reports hang off `Company.reports` (types.Reports)."""

from __future__ import annotations

from typing import TypeVar

import strawberry

from gql.auth.permissions import module_read, module_write
from gql.context import Info
from gql.core.graph import RootConnection, root_get, sql_meta
from gql.core.inputs import input_to_dict
from gql.core.mutations import save_mutation
from gql.domains.ledger import service
from gql.domains.ledger.models import FinancialYear, LedgerAccount, Voucher
from gql.domains.ledger.types import (
    MODULE,
    FinancialYearConnection,
    LedgerAccountConnection,
    LedgerAccountCreateInput,
    LedgerAccountFilter,
    LedgerAccountNode,
    LedgerAccountOrder,
    LedgerAccountPayload,
    VoucherConnection,
    VoucherCreateInput,
    VoucherFilter,
    VoucherNode,
    VoucherOrder,
    VoucherPayload,
    VoucherReverseInput,
    account_filter_of,
    account_order_of,
    chart_filter_of,
    voucher_filter_of,
    voucher_order_of,
    year_filter_of,
    year_order_of,
)

READ = module_read(MODULE)
WRITE = module_write(MODULE)

P = TypeVar("P")


@strawberry.type
class Query:
    ledger_account: LedgerAccountNode | None = root_get(
        LedgerAccount,
        "Ledger account",
        permission_classes=READ,
        description="A ledger account by id; null with NOT_FOUND when there is none.",
    )

    @strawberry.field(
        description="The chart of accounts as a flat list, by code unless ordered otherwise.",
        permission_classes=READ,
        metadata=sql_meta(
            RootConnection(
                LedgerAccount, account_filter_of, account_order_of, service.ACCOUNT_ORDER_COLUMNS
            )
        ),
    )
    async def ledger_accounts(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        filter: LedgerAccountFilter | None = None,
        order_by: LedgerAccountOrder | None = None,
    ) -> LedgerAccountConnection:
        field, direction = account_order_of(order_by)
        page = await service.list_accounts(
            session=info.context.session,
            filter=account_filter_of(filter),
            args=info.context.page_args(first=first, after=after, last=last, before=before),
            order_by=field,
            direction=direction,
        )
        return LedgerAccountConnection.from_page(page)  # type: ignore[return-value]

    @strawberry.field(
        description="The chart of accounts as a tree: the general headings by code; follow "
        "`children` "
        "down to the accounts (general > subsidiary > detailed > account).",
        permission_classes=READ,
        metadata=sql_meta(
            RootConnection(
                LedgerAccount, chart_filter_of, account_order_of, service.ACCOUNT_ORDER_COLUMNS
            )
        ),
    )
    async def chart_of_accounts(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> LedgerAccountConnection:
        field, direction = account_order_of(None)
        page = await service.list_accounts(
            session=info.context.session,
            filter=chart_filter_of(None),
            args=info.context.page_args(first=first, after=after, last=last, before=before),
            order_by=field,
            direction=direction,
        )
        return LedgerAccountConnection.from_page(page)  # type: ignore[return-value]

    @strawberry.field(
        description="Financial years, latest first. Vouchers are numbered within their year.",
        permission_classes=READ,
        metadata=sql_meta(
            RootConnection(FinancialYear, year_filter_of, year_order_of, service.YEAR_ORDER_COLUMNS)
        ),
    )
    async def financial_years(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> FinancialYearConnection:
        page = await service.list_financial_years(
            session=info.context.session,
            args=info.context.page_args(first=first, after=after, last=last, before=before),
        )
        return FinancialYearConnection.from_page(page)  # type: ignore[return-value]

    voucher: VoucherNode | None = root_get(
        Voucher,
        "Voucher",
        permission_classes=READ,
        description="A voucher by id; null with NOT_FOUND when there is none.",
    )

    @strawberry.field(
        description="Vouchers (journal entries), manual and automatic; latest first by default.",
        permission_classes=READ,
        metadata=sql_meta(
            RootConnection(
                Voucher, voucher_filter_of, voucher_order_of, service.VOUCHER_ORDER_COLUMNS
            )
        ),
    )
    async def vouchers(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        filter: VoucherFilter | None = None,
        order_by: VoucherOrder | None = None,
    ) -> VoucherConnection:
        field, direction = voucher_order_of(order_by)
        page = await service.list_vouchers(
            session=info.context.session,
            filter=voucher_filter_of(filter),
            args=info.context.page_args(first=first, after=after, last=last, before=before),
            order_by=field,
            direction=direction,
        )
        return VoucherConnection.from_page(page)  # type: ignore[return-value]


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Add an account to the chart, under a detailed heading.",
        permission_classes=WRITE,
    )
    async def ledger_account_create(
        self, info: Info, input: LedgerAccountCreateInput
    ) -> LedgerAccountPayload:
        session = info.context.session
        return await save_mutation(
            session,
            LedgerAccountPayload,
            "ledger_account",
            lambda: service.create_account(session=session, data=input_to_dict(input)),
        )

    @strawberry.mutation(
        description="Post a manual voucher. Refused unless it has lines, each line is a debit or a "
        "credit, debits equal credits, and every account is one of this company's accounts (not a "
        "heading).",
        permission_classes=WRITE,
    )
    async def voucher_create(self, info: Info, input: VoucherCreateInput) -> VoucherPayload:
        session = info.context.session
        return await save_mutation(
            session,
            VoucherPayload,
            "voucher",
            lambda: service.create_manual_voucher(session=session, data=input_to_dict(input)),
        )

    @strawberry.mutation(
        description="Correct a manual voucher with its reversing voucher (returned). A voucher is "
        "reversed at most once, a reversal is never reversed, and automatic vouchers are corrected "
        "through their cause.",
        permission_classes=WRITE,
    )
    async def voucher_reverse(self, info: Info, input: VoucherReverseInput) -> VoucherPayload:
        session = info.context.session
        return await save_mutation(
            session,
            VoucherPayload,
            "voucher",
            lambda: service.reverse_manual_voucher(session=session, data=input_to_dict(input)),
        )
