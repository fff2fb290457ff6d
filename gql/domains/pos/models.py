"""Point of sale: terminals, their sessions (a till's shift), orders sold in a session,
and loyalty programmes (module: pos)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import Enum

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field

from gql.core.versions import Versioned
from gql.db.columns import TenantOwned, UTCDateTime, money_field, utcnow


class SessionStatus(str, Enum):
    OPEN = "open"
    CLOSED = "closed"


class PaymentMethod(str, Enum):
    CASH = "cash"
    CARD = "card"
    OTHER = "other"


class PosTerminal(Versioned, TenantOwned, table=True):
    __tablename__ = "pos_terminal"
    __table_args__ = (Index("ix_pos_terminal_company_name", "company_id", "name"),)

    name: str = Field(max_length=200)
    location: str | None = Field(default=None, max_length=500)
    # Where its orders take stock from; none: the company's default warehouse.
    warehouse_id: str | None = Field(default=None, foreign_key="warehouse.id", max_length=24)
    # The money account of its till: cash orders are paid into it (card and other too,
    # unless `card_account_id` names another).
    cash_account_id: str = Field(foreign_key="account.id", max_length=24)
    card_account_id: str | None = Field(default=None, foreign_key="account.id", max_length=24)
    enabled: bool = True


class PosSession(Versioned, TenantOwned, table=True):
    """A shift at a terminal, from an opening float to the cash counted at its close.
    `expected_cash` is the opening float plus every cash order's total, added by the
    order's own guarded write on this row (so it is exact under concurrency)."""

    __tablename__ = "pos_session"
    __table_args__ = (
        # At most one open session per terminal, also when two opens race.
        Index(
            "uq_pos_session_open_terminal",
            "terminal_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
        Index("ix_pos_session_company_terminal_opened", "company_id", "terminal_id", "opened_at"),
        Index("ix_pos_session_company_opened", "company_id", "opened_at", "id"),
    )

    terminal_id: str = Field(foreign_key="pos_terminal.id", max_length=24)
    status: str = Field(default=SessionStatus.OPEN.value, max_length=10)
    opened_by_id: str = Field(foreign_key="user.id", max_length=24)
    opened_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    opening_float: Decimal = money_field()
    currency_code: str = Field(max_length=3)
    expected_cash: Decimal = money_field()
    order_count: int = 0
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_by_id: str | None = Field(default=None, foreign_key="user.id", max_length=24)
    counted_cash: Decimal | None = money_field(None)
    # counted - expected, at the close: negative when cash is missing.
    difference: Decimal | None = money_field(None)


class PosOrder(TenantOwned, table=True):
    __tablename__ = "pos_order"
    __table_args__ = (
        Index("ix_pos_order_company_session_created", "company_id", "session_id", "created_at"),
        Index("ix_pos_order_company_created", "company_id", "created_at", "id"),
        Index("ix_pos_order_company_contact", "company_id", "contact_id"),
        Index(
            "ix_pos_order_company_program_contact", "company_id", "loyalty_program_id", "contact_id"
        ),
    )

    session_id: str = Field(foreign_key="pos_session.id", max_length=24)
    terminal_id: str = Field(foreign_key="pos_terminal.id", max_length=24)
    # 1, 2, ... within its session (the session's order count when it was sold).
    number: int
    contact_id: str | None = Field(default=None, foreign_key="contact.id", max_length=24)
    payment_method: str = Field(max_length=10)
    currency_code: str = Field(max_length=3)
    subtotal: Decimal = money_field()
    tax_total: Decimal = money_field()
    total: Decimal = money_field()
    # The income it was paid with (banking), which posted its voucher.
    transaction_id: str | None = Field(
        default=None, foreign_key="transaction.id", max_length=24, index=True
    )
    # Points earned: floor(total x the active programme's rate), for a contact's order.
    # The one source of every loyalty balance.
    loyalty_program_id: str | None = Field(
        default=None, foreign_key="loyalty_program.id", max_length=24
    )
    loyalty_points: int = 0


class PosOrderLine(TenantOwned, table=True):
    __tablename__ = "pos_order_line"
    __table_args__ = (Index("ix_pos_order_line_company_order", "company_id", "order_id"),)

    order_id: str = Field(foreign_key="pos_order.id", max_length=24)
    position: int
    item_id: str = Field(foreign_key="item.id", max_length=24, index=True)
    variant_id: str | None = Field(default=None, foreign_key="item_variant.id", max_length=24)
    tax_id: str | None = Field(default=None, foreign_key="tax.id", max_length=24)
    name: str = Field(max_length=200)
    quantity: Decimal = money_field(Decimal("1"), scale=4)
    unit_price: Decimal = money_field(scale=4)
    tax_rate: Decimal = money_field(scale=4)
    net: Decimal = money_field()
    tax_amount: Decimal = money_field()


class LoyaltyProgram(Versioned, TenantOwned, table=True):
    __tablename__ = "loyalty_program"
    __table_args__ = (
        # One active programme per company: the one an order earns points in.
        Index(
            "uq_loyalty_program_company_active",
            "company_id",
            unique=True,
            sqlite_where=text("active"),
            postgresql_where=text("active"),
        ),
    )

    name: str = Field(max_length=200)
    points_per_unit: Decimal = money_field(Decimal("1"), scale=4)
    active: bool = True


class LoyaltyMember(TenantOwned, table=True):
    """A contact who earned points in a programme (their points are their orders')."""

    __tablename__ = "loyalty_member"
    __table_args__ = (
        UniqueConstraint("program_id", "contact_id"),
        Index("ix_loyalty_member_company_program", "company_id", "program_id", "created_at"),
    )

    program_id: str = Field(foreign_key="loyalty_program.id", max_length=24)
    contact_id: str = Field(foreign_key="contact.id", max_length=24, index=True)
