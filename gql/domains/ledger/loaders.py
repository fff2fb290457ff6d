"""Ledger loaders: accounts (and their subtree balances), financial years, vouchers and
their lines."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, func, literal, type_coerce

from gql.core.graph import Computed
from gql.core.loaders import ByForeignKeyLoader, ByIdLoader, OneByForeignKeyLoader
from gql.db.columns import ExactDecimal
from gql.domains.ledger.models import (
    FinancialYear,
    LedgerAccount,
    Voucher,
    VoucherKind,
    VoucherLine,
)
from gql.tenancy import tenant_table

ZERO = Decimal("0.00")


class LedgerAccountByIdLoader(ByIdLoader[LedgerAccount]):
    model = LedgerAccount


class LedgerAccountsByParentIdLoader(ByForeignKeyLoader[LedgerAccount]):
    """LedgerAccount.children, by code."""

    model = LedgerAccount
    foreign_key = "parent_id"
    order_by = ("code", "id")


class FinancialYearByIdLoader(ByIdLoader[FinancialYear]):
    model = FinancialYear


class VoucherByIdLoader(ByIdLoader[Voucher]):
    model = Voucher


class VoucherLineByIdLoader(ByIdLoader[VoucherLine]):
    model = VoucherLine


class VoucherLinesByVoucherIdLoader(ByForeignKeyLoader[VoucherLine]):
    """Voucher.lines, in position order."""

    model = VoucherLine
    foreign_key = "voucher_id"
    order_by = ("position", "id")


class VoucherByReversesIdLoader(OneByForeignKeyLoader[Voucher]):
    """Voucher.reversedBy: the reversal of each voucher (there is at most one)."""

    model = Voucher
    foreign_key = "reverses_id"


# --- balances -------------------------------------------------------------------------------


def posted(voucher: Any) -> ColumnElement[bool]:
    """Vouchers that count in balances and reports: every kind but drafts."""
    return voucher.kind != VoucherKind.DRAFT.value


def balance_sql(account: Any, env: Any) -> ColumnElement[Any]:
    """Debits minus credits of the lines on `account` (a ledger_account table or alias)
    and on every account under it, as one scalar subquery. The hierarchy has four
    levels, so an account's ancestors are its parent, grandparent and great-grandparent."""
    tenant_id = env.tenant_id
    line, voucher = tenant_table(VoucherLine, tenant_id), tenant_table(Voucher, tenant_id)
    leaf, parent, grand = (tenant_table(LedgerAccount, tenant_id) for _ in range(3))
    total = func.coalesce(func.sum(line.c.debit - line.c.credit), literal(ZERO, ExactDecimal(2)))
    return (
        line.select(type_coerce(total, ExactDecimal(2)))
        .select_from(
            line.table.join(voucher.table, voucher.on(voucher.c.id == line.c.voucher_id))
            .join(leaf.table, leaf.on(leaf.c.id == line.c.account_id))
            .outerjoin(parent.table, parent.on(parent.c.id == leaf.c.parent_id))
            .outerjoin(grand.table, grand.on(grand.c.id == parent.c.parent_id))
        )
        .where(
            posted(voucher.c),
            # One IN rather than an OR of four: SQLite's parser has a bounded stack, and
            # this subquery sits deep inside compiled queries of the account tree.
            account.c.id.in_([leaf.c.id, leaf.c.parent_id, parent.c.parent_id, grand.c.parent_id]),
        )
        .correlate(account)
        .scalar_subquery()
    )


BALANCE = Computed(balance_sql, "decimal")
