"""Query and Mutation fields of the ledger (module: accounting): the chart of accounts,
financial years, vouchers. The reports hang off `Company.reports` (types.Reports)."""

from __future__ import annotations

from typing import TypeVar

import strawberry

from gql.auth.permissions import module_read, module_write
from gql.context import Info
from gql.core.graph import RootConnection, root_connection, root_get
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


LEDGER_ACCOUNTS = RootConnection(
    LedgerAccount, account_filter_of, account_order_of, service.ACCOUNT_ORDER_COLUMNS
)
CHART_OF_ACCOUNTS = RootConnection(
    LedgerAccount, chart_filter_of, account_order_of, service.ACCOUNT_ORDER_COLUMNS
)
FINANCIAL_YEARS = RootConnection(
    FinancialYear, year_filter_of, year_order_of, service.YEAR_ORDER_COLUMNS
)
VOUCHERS = RootConnection(
    Voucher, voucher_filter_of, voucher_order_of, service.VOUCHER_ORDER_COLUMNS
)


@strawberry.type
class Query:
    ledger_account: LedgerAccountNode | None = root_get(
        LedgerAccount,
        "Ledger account",
        permission_classes=READ,
        description="A ledger account by id; null with NOT_FOUND when there is none.",
    )

    ledger_accounts: LedgerAccountConnection = root_connection(
        LEDGER_ACCOUNTS,
        LedgerAccountConnection,
        filter=LedgerAccountFilter,
        order=LedgerAccountOrder,
        permission_classes=READ,
        description="The chart of accounts as a flat list, by code unless ordered otherwise.",
    )

    chart_of_accounts: LedgerAccountConnection = root_connection(
        CHART_OF_ACCOUNTS,
        LedgerAccountConnection,
        filter=None,
        order=None,
        permission_classes=READ,
        description="The chart of accounts as a tree: the general headings by code; follow "
        "`children` "
        "down to the accounts (general > subsidiary > detailed > account).",
    )

    financial_years: FinancialYearConnection = root_connection(
        FINANCIAL_YEARS,
        FinancialYearConnection,
        filter=None,
        order=None,
        permission_classes=READ,
        description="Financial years, latest first. Vouchers are numbered within their year.",
    )

    voucher: VoucherNode | None = root_get(
        Voucher,
        "Voucher",
        permission_classes=READ,
        description="A voucher by id; null with NOT_FOUND when there is none.",
    )

    vouchers: VoucherConnection = root_connection(
        VOUCHERS,
        VoucherConnection,
        filter=VoucherFilter,
        order=VoucherOrder,
        permission_classes=READ,
        description="Vouchers (journal entries), manual and automatic; latest first by default.",
    )


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
