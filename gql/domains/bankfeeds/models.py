"""Bank feeds: connections to a bank for one money account, the statement lines
imported through them, the imports themselves and the rules that categorise new lines
(module: banking).

A feed line's state (FeedStatus), written down once:
- UNMATCHED: not reconciled yet; it may carry a rule's suggestion (rule, category,
  contact), which is not a state of its own;
- MATCHED: reconciled against transactions that already existed (their
  `bank_feed_transaction_id` names the line); unmatching only releases them;
- CREATED: reconciled by transactions made for it (a split, or the rule's suggestion),
  posted through banking's service; unmatching deletes them, which reverses their
  vouchers.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field

from gql.core.versions import Versioned
from gql.db.columns import TenantOwned, UTCDateTime, money_field


class ConnectionStatus(str, Enum):
    ACTIVE = "active"
    DISCONNECTED = "disconnected"


class FeedStatus(str, Enum):
    UNMATCHED = "unmatched"
    MATCHED = "matched"
    CREATED = "created"


class FeedFormat(str, Enum):
    CSV = "csv"
    OFX = "ofx"


class Direction(str, Enum):
    """Which lines a rule applies to: money in (a positive amount) or out."""

    IN = "in"
    OUT = "out"


class BankConnection(Versioned, TenantOwned, table=True):
    __tablename__ = "bank_connection"

    provider: str = Field(max_length=100)
    account_id: str = Field(foreign_key="account.id", max_length=24, index=True)
    status: str = Field(default=ConnectionStatus.ACTIVE.value, max_length=20)
    last_import_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class BankRule(Versioned, TenantOwned, table=True):
    """Lines whose description or counterparty contains `pattern` (any case), and meet
    the optional direction and account, are suggested `category_id` / `contact_id`."""

    __tablename__ = "bank_rule"

    pattern: str = Field(max_length=200)
    category_id: str = Field(foreign_key="category.id", max_length=24)
    contact_id: str | None = Field(
        default=None, foreign_key="contact.id", max_length=24, index=True
    )
    priority: int = 0  # higher first
    direction: str | None = Field(default=None, max_length=3)
    account_id: str | None = Field(default=None, foreign_key="account.id", max_length=24)


class BankFeedImport(TenantOwned, table=True):
    """One statement file taken in: what it held, and the closing balance it gave."""

    __tablename__ = "bank_feed_import"
    __table_args__ = (Index("ix_bank_feed_import_company_account", "company_id", "account_id"),)

    connection_id: str = Field(foreign_key="bank_connection.id", max_length=24)
    account_id: str = Field(foreign_key="account.id", max_length=24)
    format: str = Field(max_length=3)
    lines: int = 0
    new_lines: int = 0
    closing_balance: Decimal | None = money_field(None)
    closing_date: date | None = None


class BankFeedTransaction(Versioned, TenantOwned, table=True):
    __tablename__ = "bank_feed_transaction"
    __table_args__ = (
        # Idempotent imports: a line already taken in for the account is not taken again.
        UniqueConstraint("account_id", "fingerprint"),
        Index("ix_bank_feed_transaction_company_account_date", "company_id", "account_id", "date"),
        Index(
            "ix_bank_feed_transaction_company_connection_date",
            "company_id",
            "connection_id",
            "date",
        ),
    )

    connection_id: str = Field(foreign_key="bank_connection.id", max_length=24)
    account_id: str = Field(foreign_key="account.id", max_length=24)
    import_id: str = Field(foreign_key="bank_feed_import.id", max_length=24, index=True)
    date: date
    amount: Decimal = money_field()  # signed: money in is positive
    currency_code: str = Field(max_length=3)  # the account's
    description: str = Field(max_length=500)
    reference: str | None = Field(default=None, max_length=100)  # the FITID, or the file's
    counterparty: str | None = Field(default=None, max_length=200)
    fingerprint: str = Field(max_length=100)
    status: str = Field(default=FeedStatus.UNMATCHED.value, max_length=20)
    # The rule that made the suggestion; deleting the rule keeps the suggestion.
    rule_id: str | None = Field(
        default=None, foreign_key="bank_rule.id", ondelete="SET NULL", max_length=24
    )
    category_id: str | None = Field(default=None, foreign_key="category.id", max_length=24)
    contact_id: str | None = Field(
        default=None, foreign_key="contact.id", max_length=24, index=True
    )
