"""Banking loaders: accounts, transactions, transfers and the voucher each transaction
posted."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement

from gql.core.loaders import (
    ByForeignKeyLoader,
    ByIdLoader,
    OneByForeignKeyLoader,
)
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
