"""Bank feeds loaders: rows by id, and the transactions reconciled with a feed line."""

from __future__ import annotations

from gql.core.loaders import ByForeignKeyLoader, ByIdLoader
from gql.domains.bankfeeds.models import BankConnection, BankFeedTransaction, BankRule
from gql.domains.banking.models import Transaction


class BankConnectionByIdLoader(ByIdLoader[BankConnection]):
    model = BankConnection


class BankRuleByIdLoader(ByIdLoader[BankRule]):
    model = BankRule


class BankFeedTransactionByIdLoader(ByIdLoader[BankFeedTransaction]):
    model = BankFeedTransaction


class TransactionsByFeedTransactionIdLoader(ByForeignKeyLoader[Transaction]):
    """BankFeedTransaction.matchedTransactions, oldest first."""

    model = Transaction
    foreign_key = "bank_feed_transaction_id"
    order_by = ("paid_at", "id")
