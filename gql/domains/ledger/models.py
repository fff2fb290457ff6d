"""The ledger: chart of accounts (a four-level hierarchy), financial years, vouchers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field

from gql.core.versions import Versioned
from gql.db.columns import TenantOwned, money_field


class LedgerAccountType(str, Enum):
    ASSET = "asset"
    LIABILITY = "liability"
    EQUITY = "equity"
    INCOME = "income"
    EXPENSE = "expense"


class LedgerLevel(str, Enum):
    """Forbix's hierarchy: general > subsidiary > detailed > account. Vouchers post to
    accounts (the leaves) only."""

    GENERAL = "general"
    SUBSIDIARY = "subsidiary"
    DETAILED = "detailed"
    ACCOUNT = "account"


class Nature(str, Enum):
    DEBIT = "debit"
    CREDIT = "credit"


class VoucherType(str, Enum):
    MANUAL = "MANUAL"
    AUTO = "AUTO"


class VoucherKind(str, Enum):
    DRAFT = "DRAFT"
    REGULAR = "REGULAR"
    OPENING_BALANCE = "OPENING_BALANCE"
    CLOSING_TEMPORARY_ACCOUNTS = "CLOSING_TEMPORARY_ACCOUNTS"
    CLOSING_BALANCE = "CLOSING_BALANCE"


class SourceType(str, Enum):
    """What caused an automatic voucher."""

    DOCUMENT = "document"
    TRANSACTION = "transaction"
    TRANSFER = "transfer"
    VOUCHER = "voucher"  # a reversal
    ACCOUNT = "account"  # a bank, cash or credit-card account's opening balance
    PAY_RUN = "pay_run"  # an approved pay run's salary voucher


class LedgerAccount(Versioned, TenantOwned, table=True):
    __tablename__ = "ledger_account"
    __table_args__ = (
        UniqueConstraint("company_id", "code"),
        Index("ix_ledger_account_company_system_key", "company_id", "system_key"),
    )

    code: str = Field(max_length=20)
    name: str = Field(max_length=200)
    slug: str = Field(max_length=100)
    type: str = Field(max_length=20)
    level: str = Field(max_length=20)
    nature: str = Field(max_length=10)
    parent_id: str | None = Field(
        default=None, foreign_key="ledger_account.id", max_length=24, index=True
    )
    locked: bool = False  # system accounts: cannot be renamed away or deleted
    enabled: bool = True
    # Which automatic posting uses this account ("receivables", "sales", ...).
    system_key: str | None = Field(default=None, max_length=40)


class FinancialYear(Versioned, TenantOwned, table=True):
    __tablename__ = "financial_year"

    name: str = Field(max_length=100)
    start_date: date
    end_date: date
    is_default: bool = False
    next_voucher_number: int = 1


class Voucher(Versioned, TenantOwned, table=True):
    __table_args__ = (
        UniqueConstraint("company_id", "financial_year_id", "number"),
        Index("ix_voucher_company_date", "company_id", "date"),
        Index("ix_voucher_company_source", "company_id", "source_type", "source_id"),
    )

    financial_year_id: str = Field(foreign_key="financial_year.id", index=True, max_length=24)
    number: int
    date: date
    description: str = Field(max_length=500)
    type: str = Field(default=VoucherType.MANUAL.value, max_length=10)
    kind: str = Field(default=VoucherKind.REGULAR.value, max_length=40)
    source_type: str | None = Field(default=None, max_length=20)
    source_id: str | None = Field(default=None, max_length=24)
    reverses_id: str | None = Field(default=None, foreign_key="voucher.id", max_length=24)
    total: Decimal = money_field()  # the sum of debits (= the sum of credits)
    # The company's base currency when the voucher was posted: every amount of a
    # voucher is in it.
    currency_code: str = Field(max_length=3)
    # The user who wrote a manual voucher (Forbix `creatorId`); the books' own are None.
    created_by_id: str | None = Field(default=None, foreign_key="user.id", max_length=24)


class VoucherLine(TenantOwned, table=True):
    __tablename__ = "voucher_line"
    __table_args__ = (
        Index("ix_voucher_line_company_account", "company_id", "account_id"),
        # A contact's statement reads only that contact's lines.
        Index("ix_voucher_line_company_contact", "company_id", "contact_id"),
    )

    voucher_id: str = Field(foreign_key="voucher.id", index=True, max_length=24)
    position: int = 0
    account_id: str = Field(foreign_key="ledger_account.id", max_length=24)
    debit: Decimal = money_field()
    credit: Decimal = money_field()
    description: str | None = Field(default=None, max_length=500)
    contact_id: str | None = Field(default=None, foreign_key="contact.id", max_length=24)
    # Forbix's further account labels of a voucher item, kept as sent.
    account_slug2: str | None = Field(default=None, max_length=100)
    account_slug3: str | None = Field(default=None, max_length=100)
    account_slug4: str | None = Field(default=None, max_length=100)


class LedgerBalance(TenantOwned, table=True):
    """The posted debits and credits of one account on one day: what the trial balance,
    profit and loss and balance sheet sum, instead of every voucher line (tens of
    thousands a year). Vouchers are never changed once posted, so posting adds to these
    rows in the same transaction (balances.record_posting) and nothing else writes them.
    Drafts count nowhere and have none; the year-end closing voucher's amounts are kept
    apart (`closing`), since profit and loss leaves them out."""

    __tablename__ = "ledger_balance"
    __table_args__ = (UniqueConstraint("company_id", "account_id", "date", "closing"),)

    account_id: str = Field(foreign_key="ledger_account.id", max_length=24)
    date: date
    closing: bool = False
    debit: Decimal = money_field()
    credit: Decimal = money_field()
