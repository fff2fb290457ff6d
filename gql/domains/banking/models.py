"""Money: bank, cash and credit-card accounts, their transactions, and transfers."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import Enum

from sqlalchemy import Index
from sqlmodel import Field

from gql.core.versions import Versioned
from gql.db.columns import TenantOwned, UTCDateTime, money_field, utcnow


class AccountType(str, Enum):
    BANK = "bank"
    CASH = "cash"
    CREDIT_CARD = "credit_card"


class TransactionType(str, Enum):
    INCOME = "income"
    EXPENSE = "expense"


class Account(Versioned, TenantOwned, table=True):
    name: str = Field(max_length=200)
    type: str = Field(default=AccountType.BANK.value, max_length=20)
    number: str | None = Field(default=None, max_length=50)
    currency_code: str = Field(max_length=3)
    opening_balance: Decimal = money_field()
    bank_name: str | None = Field(default=None, max_length=200)
    iban: str | None = Field(default=None, max_length=40)
    deposit_number: str | None = Field(default=None, max_length=50, index=True)
    branch_code: str | None = Field(default=None, max_length=30)
    enabled: bool = True
    # The ledger account (under cash and bank) this account's money is booked to.
    ledger_account_id: str | None = Field(
        default=None, foreign_key="ledger_account.id", max_length=24
    )


class Transaction(Versioned, TenantOwned, table=True):
    __table_args__ = (
        Index("ix_transaction_company_paid_at", "company_id", "paid_at"),
        Index("ix_transaction_company_account", "company_id", "account_id"),
    )

    type: str = Field(max_length=10)
    account_id: str = Field(foreign_key="account.id", max_length=24)
    # In the account's currency; `currency_rate` converts it to the company's base.
    amount: Decimal = money_field()
    currency_code: str = Field(max_length=3)
    currency_rate: Decimal = money_field(Decimal("1"), scale=8)
    paid_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    description: str | None = Field(default=None, max_length=500)
    category_id: str | None = Field(default=None, foreign_key="category.id", max_length=24)
    contact_id: str | None = Field(
        default=None, foreign_key="contact.id", max_length=24, index=True
    )
    payment_method: str | None = Field(default=None, max_length=30)
    reference: str | None = Field(default=None, max_length=100)
    document_id: str | None = Field(
        default=None, foreign_key="document.id", max_length=24, index=True
    )
    # The amount applied to the document, in the document's currency.
    document_amount: Decimal | None = money_field(None)
    transfer_id: str | None = Field(
        default=None, foreign_key="transfer.id", max_length=24, index=True
    )
    # bankfeeds: the bank feed line this transaction is reconciled with (at most one).
    bank_feed_transaction_id: str | None = Field(
        default=None, foreign_key="bank_feed_transaction.id", max_length=24, index=True
    )


class Transfer(Versioned, TenantOwned, table=True):
    from_account_id: str = Field(foreign_key="account.id", max_length=24)
    to_account_id: str = Field(foreign_key="account.id", max_length=24)
    amount: Decimal = money_field()  # in the source account's currency
    to_amount: Decimal = money_field()  # in the destination account's currency
    currency_rate: Decimal = money_field(Decimal("1"), scale=8)
    paid_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    description: str | None = Field(default=None, max_length=500)
    reference: str | None = Field(default=None, max_length=100)
