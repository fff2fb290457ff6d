"""Point of sale: terminals, sessions, orders and loyalty; shared by GraphQL and REST.

A session is opened on a terminal with an opening float; at most one is open per
terminal (a partial unique index, which concurrent opens meet too: TAKEN). Every order
first claims its session row (gql/core/claims.py) with `status = 'open'`, and the same
guarded UPDATE numbers the order and adds a cash order's total to the session's
`expected_cash`; closing claims the same row. So an order racing a close either lands
before it (and counts) or is refused as the session is closed: the expected cash is
exact. An order then moves its stock out (gql/domains/pos/stock.py), is paid by an
income transaction written by banking's service into the terminal's account (its
voucher: Dr the account / Cr Sales, the total; the tax moved on to Tax payable by a
second voucher of the same transaction), and earns its contact loyalty points.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from pydantic import Field
from sqlalchemy import ColumnElement, exists, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from gql.auth.viewer import Viewer
from gql.compiler.sqlenv import SqlEnv
from gql.core.claims import claim
from gql.core.errors import ErrorCode, FieldError, UserInputError
from gql.core.ids import new_id
from gql.core.inputs import InputModel, require_not_null, require_row, validate
from gql.core.ranges import on_days
from gql.core.search import contains_any
from gql.core.versions import bump
from gql.db.columns import utcnow
from gql.db.tenant import get_tenant
from gql.domains.banking import service as banking
from gql.domains.banking.models import Account, AccountType
from gql.domains.catalogue.models import Item, ItemVariant, TaxType
from gql.domains.companies.models import Company
from gql.domains.contacts.models import Contact
from gql.domains.documents.service import LineIn, _line_references
from gql.domains.documents.totals import ZERO, LineAmounts, document_totals, line_amounts
from gql.domains.inventory.models import Warehouse
from gql.domains.ledger.models import SourceType
from gql.domains.ledger.service import post_voucher, signed_lines, system_accounts
from gql.domains.pos.models import (
    LoyaltyMember,
    LoyaltyProgram,
    PaymentMethod,
    PosOrder,
    PosOrderLine,
    PosSession,
    PosTerminal,
    SessionStatus,
)
from gql.domains.pos.stock import sell_stock

Cash = Field(default=None, ge=0, max_digits=18, decimal_places=2)
NO_TAX = Decimal("0.0000")


# --- inputs ---------------------------------------------------------------------------------


class TerminalFields(InputModel):
    location: str | None = Field(default=None, max_length=500)
    warehouse_id: str | None = None
    cash_account_id: str | None = None
    card_account_id: str | None = None
    enabled: bool | None = None


class TerminalCreate(TerminalFields):
    name: str = Field(min_length=1, max_length=200)


class TerminalUpdate(TerminalFields):
    name: str | None = Field(default=None, min_length=1, max_length=200)


class SessionOpen(InputModel):
    terminal_id: str
    opening_float: Decimal | None = Cash


class SessionClose(InputModel):
    counted_cash: Decimal = Field(ge=0, max_digits=18, decimal_places=2)


class OrderLineIn(LineIn):
    """A document line's fields and rules (price, tax, discounts); a till sells items."""

    item_id: str


class OrderCreate(InputModel):
    session_id: str
    lines: list[OrderLineIn] = Field(min_length=1, max_length=200)
    payment_method: PaymentMethod = PaymentMethod.CASH
    contact_id: str | None = None


class ProgramFields(InputModel):
    points_per_unit: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=4)
    active: bool | None = None


class ProgramCreate(ProgramFields):
    name: str = Field(min_length=1, max_length=200)


class ProgramUpdate(ProgramFields):
    name: str | None = Field(default=None, min_length=1, max_length=200)


# --- filters and orders ---------------------------------------------------------------------


@dataclass(frozen=True)
class TerminalFilter:
    enabled: bool | None = None
    search: str | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        out: list[ColumnElement[bool]] = []
        if self.enabled is not None:
            out.append(col(PosTerminal.enabled).is_(self.enabled))
        if self.search:
            out.append(contains_any(self.search, PosTerminal.name, PosTerminal.location))
        return out


@dataclass(frozen=True)
class SessionFilter:
    terminal_id: str | None = None
    status: str | None = None
    opened_by_id: str | None = None
    opened_from: date | None = None  # UTC days, both included
    opened_to: date | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        s = PosSession
        out: list[ColumnElement[bool]] = []
        for column, value in (
            (s.terminal_id, self.terminal_id),
            (s.status, self.status),
            (s.opened_by_id, self.opened_by_id),
        ):
            if value is not None:
                out.append(col(column) == value)
        out.extend(on_days(col(s.opened_at), self.opened_from, self.opened_to))
        return out


@dataclass(frozen=True)
class OrderFilter:
    session_id: str | None = None
    terminal_id: str | None = None
    payment_method: str | None = None
    contact_id: str | None = None
    created_from: date | None = None  # UTC days, both included
    created_to: date | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        o = PosOrder
        out: list[ColumnElement[bool]] = []
        for column, value in (
            (o.session_id, self.session_id),
            (o.terminal_id, self.terminal_id),
            (o.payment_method, self.payment_method),
            (o.contact_id, self.contact_id),
        ):
            if value is not None:
                out.append(col(column) == value)
        out.extend(on_days(col(o.created_at), self.created_from, self.created_to))
        return out


@dataclass(frozen=True)
class ProgramFilter:
    active: bool | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        if self.active is None:
            return []
        return [col(LoyaltyProgram.active).is_(self.active)]


@dataclass(frozen=True)
class MemberFilter:
    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        return []


TERMINAL_ORDER_COLUMNS = {"name": PosTerminal.name, "created_at": PosTerminal.created_at}
SESSION_ORDER_COLUMNS = {
    "opened_at": PosSession.opened_at,
    "closed_at": PosSession.closed_at,
    "expected_cash": PosSession.expected_cash,
}
ORDER_ORDER_COLUMNS = {"created_at": PosOrder.created_at, "total": PosOrder.total}
PROGRAM_ORDER_COLUMNS = {"name": LoyaltyProgram.name, "created_at": LoyaltyProgram.created_at}
MEMBER_ORDER_COLUMNS = {"created_at": LoyaltyMember.created_at}


# --- terminals ------------------------------------------------------------------------------


async def _base_currency(session: AsyncSession) -> str:
    base = await session.scalar(
        select(Company.base_currency).where(col(Company.id) == get_tenant(session))
    )
    assert base is not None  # a session without a company never reaches a service
    return base


async def _till_account(session: AsyncSession, ref: str, field: str) -> str:
    """An enabled money account of the company in its base currency (a till's money is
    booked in the base currency, as its orders are priced)."""
    account = await require_row(session, Account, ref, path=(field,), what="Account")
    if not account.enabled:
        raise UserInputError.single(field, "The account is disabled", ErrorCode.INVALID_STATE)
    base = await _base_currency(session)
    if account.currency_code != base:
        raise UserInputError.single(field, f"must be an account in the base currency ({base})")
    return account.id


async def _warehouse(session: AsyncSession, ref: str | None) -> str | None:
    if ref is None:
        return None
    return (await require_row(session, Warehouse, ref, path=("warehouseId",), what="Warehouse")).id


async def get_terminal(*, session: AsyncSession, id: str) -> PosTerminal:
    return await require_row(session, PosTerminal, id, path=("id",), what="PosTerminal")


async def create_terminal(*, session: AsyncSession, data: dict[str, Any]) -> PosTerminal:
    """A terminal; without a cash account, a cash account of its own ("<name> till")."""
    payload = validate(TerminalCreate, data)
    if payload.cash_account_id is not None:
        cash = await _till_account(session, payload.cash_account_id, "cashAccountId")
    else:
        till = await banking.create_account(
            session=session, data={"name": f"{payload.name} till", "type": AccountType.CASH}
        )
        cash = till.id
    card = payload.card_account_id
    terminal = PosTerminal(
        name=payload.name,
        location=payload.location,
        warehouse_id=await _warehouse(session, payload.warehouse_id),
        cash_account_id=cash,
        card_account_id=await _till_account(session, card, "cardAccountId") if card else None,
        enabled=True if payload.enabled is None else payload.enabled,
    )
    session.add(terminal)
    await session.flush()
    return terminal


async def update_terminal(*, session: AsyncSession, id: str, data: dict[str, Any]) -> PosTerminal:
    terminal = await get_terminal(session=session, id=id)
    values = validate(TerminalUpdate, data).model_dump(exclude_unset=True)
    require_not_null(TerminalUpdate, values, "name", "cash_account_id", "enabled")
    if "cash_account_id" in values:
        values["cash_account_id"] = await _till_account(
            session, values["cash_account_id"], "cashAccountId"
        )
    if "warehouse_id" in values:
        values["warehouse_id"] = await _warehouse(session, values["warehouse_id"])
    if values.get("card_account_id") is not None:
        values["card_account_id"] = await _till_account(
            session, values["card_account_id"], "cardAccountId"
        )
    for key, value in values.items():
        setattr(terminal, key, value)
    terminal.updated_at = utcnow()
    await session.flush()
    return terminal


# --- sessions -------------------------------------------------------------------------------


async def get_session(*, session: AsyncSession, id: str) -> PosSession:
    return await require_row(session, PosSession, id, path=("id",), what="PosSession")


def _open_elsewhere(field: str) -> UserInputError:
    return UserInputError.single(
        field, "The terminal has an open session; close it first", ErrorCode.TAKEN
    )


async def open_session(
    *, session: AsyncSession, viewer: Viewer, data: dict[str, Any]
) -> PosSession:
    """A session on an enabled terminal with no open session, opened by the viewer."""
    payload = validate(SessionOpen, data)
    terminal = await require_row(
        session, PosTerminal, payload.terminal_id, path=("terminalId",), what="PosTerminal"
    )
    if not terminal.enabled:
        raise UserInputError.single(
            "terminalId", "The terminal is disabled", ErrorCode.INVALID_STATE
        )
    is_open = (col(PosSession.terminal_id) == terminal.id) & (
        col(PosSession.status) == SessionStatus.OPEN.value
    )
    if await session.scalar(select(exists().where(is_open))):
        raise _open_elsewhere("terminalId")
    assert viewer.user is not None  # a write needs a signed-in member
    opening = payload.opening_float if payload.opening_float is not None else ZERO
    row = PosSession(
        terminal_id=terminal.id,
        opened_by_id=viewer.user.id,
        opening_float=opening,
        currency_code=await _base_currency(session),
        expected_cash=opening,
    )
    session.add(row)
    try:
        await session.flush()
    except IntegrityError:  # a concurrent open of the same terminal won
        raise _open_elsewhere("terminalId") from None
    return row


def _refuse_closed(row: PosSession, field: str = "id") -> None:
    if row.status != SessionStatus.OPEN.value:
        raise UserInputError.single(field, "The session is closed", ErrorCode.INVALID_STATE)


async def close_session(
    *, session: AsyncSession, viewer: Viewer, id: str, data: dict[str, Any]
) -> PosSession:
    """Close with the cash counted; difference = counted - expected, in the same guarded
    write, so no order can land between reading the expected cash and closing."""
    row = await get_session(session=session, id=id)
    payload = validate(SessionClose, data)
    _refuse_closed(row)
    assert viewer.user is not None
    now = utcnow()
    await claim(
        session,
        row,
        col(PosSession.status) == SessionStatus.OPEN.value,
        what="PosSession",
        values={
            "status": SessionStatus.CLOSED.value,
            "closed_at": now,
            "closed_by_id": viewer.user.id,
            "counted_cash": payload.counted_cash,
            "difference": payload.counted_cash - col(PosSession.expected_cash),
            "updated_at": now,
        },
        refuse=_refuse_closed,
    )
    return row


# --- orders ---------------------------------------------------------------------------------


async def get_order(*, session: AsyncSession, id: str) -> PosOrder:
    return await require_row(session, PosOrder, id, path=("id",), what="PosOrder")


def _price(item: Item, variant: ItemVariant | None) -> Decimal | None:
    """The variant's sale price, else the item's."""
    for source in (variant, item):
        if source is not None and source.sale_price is not None:
            return source.sale_price
    return None


async def _order_lines(session: AsyncSession, lines: list[OrderLineIn]) -> list[PosOrderLine]:
    """The lines priced and taxed as a document's are (gql/domains/documents/totals.py):
    the unit price defaults to the sale price, the tax to the item's."""
    refs = await _line_references(session, list(lines))
    rows: list[PosOrderLine] = []
    errors: list[FieldError] = []
    for position, line in enumerate(lines):
        item = refs.items[line.item_id]
        variant = refs.variants.get(line.variant_id) if line.variant_id else None
        tax_id = line.tax_id if line.tax_id is not None else item.tax_id
        tax = refs.taxes.get(tax_id) if tax_id else None
        price = line.unit_price if line.unit_price is not None else _price(item, variant)
        path = ("lines", str(position))
        if not item.enabled:
            errors.append(FieldError((*path, "itemId"), "The item is disabled", ErrorCode.INVALID))
        if price is None:
            errors.append(
                FieldError((*path, "unitPrice"), "The item has no sale price", ErrorCode.REQUIRED)
            )
            continue
        amounts = line_amounts(
            quantity=line.quantity,
            unit_price=price,
            discount_rate=line.discount_rate,
            discount_amount=line.discount_amount,
            tax_rate=tax.rate if tax else NO_TAX,
            withholding=bool(tax and tax.type == TaxType.WITHHOLDING.value),
        )
        if amounts.net < 0:
            errors.append(FieldError((*path, "discountAmount"), "is larger than the line amount"))
        rows.append(
            PosOrderLine(
                position=position,
                item_id=item.id,
                variant_id=variant.id if variant else None,
                tax_id=tax.id if tax else None,
                name=line.name or (f"{item.name} - {variant.name}" if variant else item.name),
                quantity=line.quantity,
                unit_price=price,
                tax_rate=tax.rate if tax else NO_TAX,
                net=amounts.net,
                tax_amount=amounts.tax,
            )
        )
    if errors:
        raise UserInputError(errors)
    return rows


async def _contact(session: AsyncSession, ref: str | None) -> str | None:
    if ref is None:
        return None
    return (await require_row(session, Contact, ref, path=("contactId",), what="Contact")).id


async def create_order(*, session: AsyncSession, viewer: Viewer, data: dict[str, Any]) -> PosOrder:
    """An order in an open session: its stock out, its income in, its points earned."""
    payload = validate(OrderCreate, data)
    till = await require_row(
        session, PosSession, payload.session_id, path=("sessionId",), what="PosSession"
    )
    _refuse_closed(till, "sessionId")
    contact_id = await _contact(session, payload.contact_id)
    lines = await _order_lines(session, payload.lines)
    totals = document_totals(
        (LineAmounts(net=line.net, tax=line.tax_amount) for line in lines),
        discount_rate=None,
        discount_amount=None,
        shipping=ZERO,
    )
    if totals.total <= 0:
        raise UserInputError.single("lines", "The order's total must be more than zero")
    cash = totals.total if payload.payment_method == PaymentMethod.CASH.value else ZERO
    # The claim first: it queues behind a close (or another order) of this session, and
    # is refused once the session is closed; it numbers the order and counts its cash.
    await claim(
        session,
        till,
        col(PosSession.status) == SessionStatus.OPEN.value,
        what="PosSession",
        values={
            "order_count": col(PosSession.order_count) + 1,
            "expected_cash": col(PosSession.expected_cash) + cash,
            "updated_at": utcnow(),
        },
        refuse=lambda current: _refuse_closed(current, "sessionId"),
        path=("sessionId",),
    )
    terminal = await session.get_one(PosTerminal, till.terminal_id)
    order = PosOrder(
        session_id=till.id,
        terminal_id=terminal.id,
        number=till.order_count,
        contact_id=contact_id,
        payment_method=payload.payment_method,
        currency_code=till.currency_code,
        subtotal=totals.subtotal,
        tax_total=totals.tax_total,
        total=totals.total,
    )
    session.add(order)
    for line in lines:
        line.order_id = order.id
    session.add_all(lines)
    await session.flush()
    await sell_stock(
        session,
        lines,
        warehouse_id=terminal.warehouse_id,
        order_id=order.id,
        sold_by=viewer.user.id if viewer.user else None,
    )
    order.transaction_id = await _pay(session, order, terminal)
    await _earn_points(session, order)
    await session.flush()
    return order


async def _pay(session: AsyncSession, order: PosOrder, terminal: PosTerminal) -> str:
    """The income into the terminal's account, posted Dr account / Cr Sales by banking;
    the tax then moved from Sales to Tax payable under the same transaction."""
    account = terminal.cash_account_id
    if order.payment_method != PaymentMethod.CASH.value and terminal.card_account_id:
        account = terminal.card_account_id
    label = f"POS order {order.number} ({terminal.name})"
    tx = await banking.create_transaction(
        session=session,
        data={
            "type": "income",
            "accountId": account,
            "amount": order.total,
            "description": label,
            "contactId": order.contact_id,
            "paymentMethod": order.payment_method,
            "reference": order.id,
        },
        against="sales",
    )
    if order.tax_total != 0:
        accounts = await system_accounts(session, ("sales", "tax_payable"))
        await post_voucher(
            session,
            on=tx.paid_at.date(),
            description=f"{label}: tax",
            lines=signed_lines(
                [
                    (accounts["sales"].id, order.tax_total),
                    (accounts["tax_payable"].id, -order.tax_total),
                ],
                contact_id=order.contact_id,
            ),
            source_type=SourceType.TRANSACTION,
            source_id=tx.id,
            accounts=accounts.values(),
        )
    return tx.id


def points_for(total: Decimal, rate: Decimal) -> int:
    """floor(total x rate): whole points only, never rounded up."""
    return int((total * rate).to_integral_value(rounding=ROUND_FLOOR))


async def _earn_points(session: AsyncSession, order: PosOrder) -> None:
    """A contact's order earns points in the active programme; the contact becomes (or
    stays) one of its members."""
    if order.contact_id is None:
        return
    program = await session.scalar(
        select(LoyaltyProgram).where(col(LoyaltyProgram.active).is_(True))
    )
    if program is None:
        return
    points = points_for(order.total, program.points_per_unit)
    if points <= 0:
        return
    order.loyalty_program_id, order.loyalty_points = program.id, points
    now = utcnow()
    insert = postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert
    await session.execute(
        insert(LoyaltyMember)
        .values(
            id=new_id(),
            company_id=get_tenant(session),
            program_id=program.id,
            contact_id=order.contact_id,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=["program_id", "contact_id"])
    )


# --- loyalty programmes ---------------------------------------------------------------------


async def get_program(*, session: AsyncSession, id: str) -> LoyaltyProgram:
    return await require_row(session, LoyaltyProgram, id, path=("id",), what="LoyaltyProgram")


async def _end_active(session: AsyncSession, keep: str | None) -> None:
    """The programme active until now is no longer (one is active at a time)."""
    await session.execute(
        update(LoyaltyProgram)
        .where(col(LoyaltyProgram.active).is_(True), col(LoyaltyProgram.id) != (keep or ""))
        .values(active=False, updated_at=utcnow(), **bump(LoyaltyProgram))
        .execution_options(synchronize_session=False)
    )


async def _flush_active(session: AsyncSession) -> None:
    try:
        await session.flush()
    except IntegrityError:  # a concurrent request made another programme active
        raise UserInputError.single(
            "active", "Another programme became active meanwhile; try again", ErrorCode.TAKEN
        ) from None


async def create_program(*, session: AsyncSession, data: dict[str, Any]) -> LoyaltyProgram:
    """A programme, active unless told otherwise: it ends the one active before."""
    payload = validate(ProgramCreate, data)
    program = LoyaltyProgram(
        name=payload.name,
        points_per_unit=payload.points_per_unit
        if payload.points_per_unit is not None
        else Decimal("1.0000"),
        active=True if payload.active is None else payload.active,
    )
    if program.active:
        await _end_active(session, None)
    session.add(program)
    await _flush_active(session)
    return program


async def update_program(*, session: AsyncSession, id: str, data: dict[str, Any]) -> LoyaltyProgram:
    program = await get_program(session=session, id=id)
    values = validate(ProgramUpdate, data).model_dump(exclude_unset=True)
    require_not_null(ProgramUpdate, values, "name", "points_per_unit", "active")
    if values.get("active"):
        await _end_active(session, program.id)
    for key, value in values.items():
        setattr(program, key, value)
    program.updated_at = utcnow()
    await _flush_active(session)
    return program
