"""Query and Mutation fields of the ledger (module: accounting): the chart of accounts,
financial years, vouchers. The reports hang off `Company.reports` (types.Reports)."""

from __future__ import annotations

import strawberry

from gql.auth.permissions import module_read, module_write
from gql.core.graph import RootConnection, root_connection, root_get
from gql.core.mutations import mutation
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
    ledger_account_create = mutation(
        input=LedgerAccountCreateInput,
        payload=LedgerAccountPayload,
        field="ledger_account",
        run=service.create_account,
        permission=WRITE,
        description="Add an account to the chart, under a detailed heading.",
    )

    voucher_create = mutation(
        input=VoucherCreateInput,
        payload=VoucherPayload,
        field="voucher",
        run=service.create_manual_voucher,
        permission=WRITE,
        description="Post a manual voucher. Refused unless it has lines, each line is a debit or a "
        "credit, debits equal credits, and every account is one of this company's accounts (not a "
        "heading).",
    )

    voucher_reverse = mutation(
        input=VoucherReverseInput,
        payload=VoucherPayload,
        field="voucher",
        run=service.reverse_manual_voucher,
        permission=WRITE,
        description="Correct a manual voucher with its reversing voucher (returned). A voucher is "
        "reversed at most once, a reversal is never reversed, and automatic vouchers are corrected "
        "through their cause.",
    )
