"""Banking loaders: accounts, transactions, transfers, account balances and the voucher
each transaction posted."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from decimal import Decimal
from typing import Any, cast

from aiodataloader import DataLoader
from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from gql.core.loaders import (
    ByForeignKeyLoader,
    ByIdLoader,
    OneByForeignKeyLoader,
    PageByForeignKeyLoader,
)
from gql.core.ordering import order_clauses
from gql.domains.banking.models import Account, Transaction, Transfer
from gql.domains.ledger.models import SourceType, Voucher


class AccountByIdLoader(ByIdLoader[Account]):
    model = Account


class TransactionByIdLoader(ByIdLoader[Transaction]):
    model = Transaction


class TransferByIdLoader(ByIdLoader[Transfer]):
    model = Transfer


class TransactionsByDocumentIdLoader(ByForeignKeyLoader[Transaction]):
    """Document.payments, oldest first."""

    model = Transaction
    foreign_key = "document_id"
    order_by = ("paid_at", "id")


class TransactionsByTransferIdLoader(ByForeignKeyLoader[Transaction]):
    """Transfer.transactions: the expense on the source, then the income on the destination."""

    model = Transaction
    foreign_key = "transfer_id"
    order_by = ("type", "id")


class TransactionPageByAccountIdLoader(PageByForeignKeyLoader[Transaction]):
    """Account.transactions: keys are (account id, PageArgs, TransactionFilter,
    (field, direction))."""

    model = Transaction
    foreign_key = "account_id"

    def conditions(self, where_key: Hashable) -> list[ColumnElement[bool]]:
        return where_key.conditions()  # type: ignore[attr-defined,no-any-return]

    def ordering(self, order_key: Hashable) -> list[ColumnElement[Any]]:
        from gql.domains.banking.service import TRANSACTION_ORDER_COLUMNS

        field, direction = cast(tuple[str, str], order_key)
        return order_clauses(Transaction, TRANSACTION_ORDER_COLUMNS[field], direction)


class AccountMovementLoader(DataLoader[str, Decimal]):
    """Incomes less expenses of each account: one grouped SUM for the whole batch."""

    def __init__(self, session: AsyncSession) -> None:
        super().__init__()
        self.session = session

    async def batch_load_fn(self, keys: Sequence[str]) -> list[Decimal]:
        from gql.domains.banking.service import movements

        found = await movements(self.session, keys)
        return [found[key] for key in keys]


class VoucherByTransactionIdLoader(OneByForeignKeyLoader[Voucher]):
    """Transaction.voucher: the voucher the transaction posted (not its reversal); none
    for a transfer's two sides, whose voucher is the transfer's."""

    model = Voucher
    foreign_key = "source_id"
    order_by = ("date", "number", "id")

    @staticmethod
    def where(table: Any) -> list[ColumnElement[bool]]:
        return [table.c.source_type == SourceType.TRANSACTION.value, table.c.reverses_id.is_(None)]


class VoucherByTransferIdLoader(OneByForeignKeyLoader[Voucher]):
    """Transfer.voucher: none between two accounts booked to the same ledger account."""

    model = Voucher
    foreign_key = "source_id"
    order_by = ("date", "number", "id")

    @staticmethod
    def where(table: Any) -> list[ColumnElement[bool]]:
        return [table.c.source_type == SourceType.TRANSFER.value, table.c.reverses_id.is_(None)]
