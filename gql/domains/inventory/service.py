"""Inventory: warehouses, stock transfers and adjustments, the company's stock setting,
and the filters of every inventory list; shared by GraphQL and REST. Every stock change
goes through stock.move_stock.

A company has exactly one default warehouse (a partial unique index): the first one
made is the default, making another the default moves the flag in one transaction
(serialized per company by a write on the company's row), and the default cannot be
unset except by making another one the default.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import Field
from sqlalchemy import ColumnElement, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from gql.auth.viewer import Viewer
from gql.compiler.sqlenv import SqlEnv
from gql.core.errors import ErrorCode, FieldError, UserInputError
from gql.core.inputs import InputModel, require_not_null, require_row, validate
from gql.core.ranges import on_days
from gql.core.search import contains_any
from gql.core.versions import bump
from gql.db.columns import utcnow
from gql.db.tenant import get_tenant
from gql.domains.companies.models import Company
from gql.domains.inventory.models import (
    MoveReason,
    SourceType,
    StockAdjustment,
    StockMove,
    StockTransfer,
    Warehouse,
)
from gql.domains.inventory.stock import StockChange, move_stock

MAX_ITEMS = 500
# As a document line's quantity: four decimals, under 10^9.
Quantity = Field(max_digits=13, decimal_places=4)


# --- inputs ---------------------------------------------------------------------------------


class WarehouseFields(InputModel):
    address: str | None = Field(default=None, max_length=1000)
    code: str | None = Field(default=None, max_length=40)
    is_default: bool | None = None


class WarehouseCreate(WarehouseFields):
    name: str = Field(min_length=1, max_length=200)


class WarehouseUpdate(WarehouseFields):
    name: str | None = Field(default=None, min_length=1, max_length=200)


class TransferLine(InputModel):
    item_id: str
    variant_id: str | None = None
    quantity: Decimal = Field(gt=0, max_digits=13, decimal_places=4)


class AdjustmentLine(InputModel):
    item_id: str
    variant_id: str | None = None
    quantity: Decimal = Quantity  # signed: a count found (+) or lost (-)


class TransferCreate(InputModel):
    from_warehouse_id: str
    to_warehouse_id: str
    notes: str | None = Field(default=None, max_length=2000)
    items: list[TransferLine] = Field(min_length=1, max_length=MAX_ITEMS)


class AdjustmentCreate(InputModel):
    warehouse_id: str
    reason: str | None = Field(default=None, max_length=500)
    items: list[AdjustmentLine] = Field(min_length=1, max_length=MAX_ITEMS)


class InventorySettings(InputModel):
    allow_negative_stock: bool


# --- filters and orders ---------------------------------------------------------------------


@dataclass(frozen=True)
class WarehouseFilter:
    is_default: bool | None = None
    search: str | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        out: list[ColumnElement[bool]] = []
        if self.is_default is not None:
            out.append(col(Warehouse.is_default).is_(self.is_default))
        if self.search:
            out.append(contains_any(self.search, Warehouse.name, Warehouse.code))
        return out


@dataclass(frozen=True)
class StockMoveFilter:
    warehouse_id: str | None = None
    item_id: str | None = None
    variant_id: str | None = None
    reason: str | None = None
    source_type: str | None = None
    source_id: str | None = None
    created_from: date | None = None  # UTC days, both included
    created_to: date | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        m = StockMove
        out: list[ColumnElement[bool]] = []
        for column, value in (
            (m.warehouse_id, self.warehouse_id),
            (m.item_id, self.item_id),
            (m.variant_id, self.variant_id),
            (m.reason, self.reason),
            (m.source_type, self.source_type),
            (m.source_id, self.source_id),
        ):
            if value is not None:
                out.append(col(column) == value)
        out.extend(on_days(col(m.created_at), self.created_from, self.created_to))
        return out


@dataclass(frozen=True)
class StockTransferFilter:
    warehouse_id: str | None = None  # from or to
    created_from: date | None = None
    created_to: date | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        t = StockTransfer
        out: list[ColumnElement[bool]] = []
        if self.warehouse_id is not None:
            out.append(
                or_(
                    col(t.from_warehouse_id) == self.warehouse_id,
                    col(t.to_warehouse_id) == self.warehouse_id,
                )
            )
        out.extend(on_days(col(t.created_at), self.created_from, self.created_to))
        return out


@dataclass(frozen=True)
class StockAdjustmentFilter:
    warehouse_id: str | None = None
    created_from: date | None = None
    created_to: date | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        a = StockAdjustment
        out: list[ColumnElement[bool]] = []
        if self.warehouse_id is not None:
            out.append(col(a.warehouse_id) == self.warehouse_id)
        out.extend(on_days(col(a.created_at), self.created_from, self.created_to))
        return out


WAREHOUSE_ORDER_COLUMNS = {"name": Warehouse.name, "created_at": Warehouse.created_at}
STOCK_MOVE_ORDER_COLUMNS = {"created_at": StockMove.created_at, "quantity": StockMove.quantity}
STOCK_TRANSFER_ORDER_COLUMNS = {"created_at": StockTransfer.created_at}
STOCK_ADJUSTMENT_ORDER_COLUMNS = {"created_at": StockAdjustment.created_at}


# --- warehouses -----------------------------------------------------------------------------


async def get_warehouse(*, session: AsyncSession, id: str) -> Warehouse:
    return await require_row(session, Warehouse, id, path=("id",), what="Warehouse")


async def _lock_defaults(session: AsyncSession) -> bool:
    """Serialize changes of the company's default warehouse (a write on its company
    row, held to commit); whether the company has a default now."""
    await session.execute(
        update(Company).where(col(Company.id) == get_tenant(session)).values(updated_at=utcnow())
    )
    return bool(await session.scalar(select(exists().where(col(Warehouse.is_default).is_(True)))))


async def _make_default(session: AsyncSession, warehouse: Warehouse) -> None:
    await session.execute(
        update(Warehouse)
        .where(col(Warehouse.is_default).is_(True), col(Warehouse.id) != warehouse.id)
        .values(is_default=False, updated_at=utcnow(), **bump(Warehouse))
        .execution_options(synchronize_session=False)
    )
    warehouse.is_default = True


async def create_warehouse(*, session: AsyncSession, data: dict[str, Any]) -> Warehouse:
    """A warehouse; the company's first one is its default."""
    payload = validate(WarehouseCreate, data)
    has_default = await _lock_defaults(session)
    warehouse = Warehouse(  # type: ignore[call-arg]  # company_id: stamped by the tenant filter
        name=payload.name, address=payload.address, code=payload.code, is_default=False
    )
    session.add(warehouse)
    await session.flush()
    if payload.is_default or not has_default:
        await _make_default(session, warehouse)
        await session.flush()
    return warehouse


async def update_warehouse(*, session: AsyncSession, id: str, data: dict[str, Any]) -> Warehouse:
    """Its fields; isDefault true moves the company's default here (false is refused:
    make another warehouse the default instead)."""
    warehouse = await get_warehouse(session=session, id=id)
    values = validate(WarehouseUpdate, data).model_dump(exclude_unset=True)
    require_not_null(WarehouseUpdate, values, "name", "is_default")
    make_default = values.pop("is_default", None)
    if make_default is False and warehouse.is_default:
        raise UserInputError.single(
            "isDefault",
            "A company always has a default warehouse; make another one the default instead",
            ErrorCode.INVALID,
        )
    for key, value in values.items():
        setattr(warehouse, key, value)
    warehouse.updated_at = utcnow()
    if make_default and not warehouse.is_default:
        await _lock_defaults(session)
        await _make_default(session, warehouse)
    await session.flush()
    return warehouse


async def delete_warehouse(*, session: AsyncSession, id: str) -> Warehouse:
    """A warehouse that never held stock, and is not the default."""
    warehouse = await get_warehouse(session=session, id=id)
    if warehouse.is_default:
        raise UserInputError.single(
            "id", "The default warehouse cannot be deleted", ErrorCode.IN_USE
        )
    used = or_(
        exists().where(col(StockMove.warehouse_id) == warehouse.id),
        exists().where(col(StockTransfer.to_warehouse_id) == warehouse.id),
        exists().where(col(StockTransfer.from_warehouse_id) == warehouse.id),
        exists().where(col(StockAdjustment.warehouse_id) == warehouse.id),
    )
    if await session.scalar(select(used)):
        raise UserInputError.single(
            "id", "The warehouse has stock moves; it cannot be deleted", ErrorCode.IN_USE
        )
    await session.delete(warehouse)
    await session.flush()
    return warehouse


# --- transfers and adjustments ---------------------------------------------------------------


def _user(viewer: Viewer | None) -> str | None:
    return viewer.user.id if viewer is not None and viewer.user is not None else None


async def create_transfer(
    *, session: AsyncSession, data: dict[str, Any], viewer: Viewer | None = None
) -> StockTransfer:
    """Stock from one warehouse to another, as two moves per line in one transaction;
    refused (INSUFFICIENT_STOCK on `items`) when the source has too little."""
    payload = validate(TransferCreate, data)
    source = await require_row(
        session, Warehouse, payload.from_warehouse_id, path=("fromWarehouseId",), what="Warehouse"
    )
    target = await require_row(
        session, Warehouse, payload.to_warehouse_id, path=("toWarehouseId",), what="Warehouse"
    )
    if source.id == target.id:
        raise UserInputError.single(
            "toWarehouseId", "must be another warehouse than fromWarehouseId", ErrorCode.INVALID
        )
    transfer = StockTransfer(  # type: ignore[call-arg]  # company_id: stamped by the tenant filter
        from_warehouse_id=source.id,
        to_warehouse_id=target.id,
        notes=payload.notes,
        created_by_id=_user(viewer),
    )
    session.add(transfer)
    await session.flush()
    changes = [
        change
        for line in payload.items
        for change in (
            StockChange(line.item_id, -line.quantity, line.variant_id, source.id),
            StockChange(line.item_id, line.quantity, line.variant_id, target.id),
        )
    ]
    try:
        await move_stock(
            session,
            changes,
            reason=MoveReason.TRANSFER.value,
            source_type=SourceType.STOCK_TRANSFER.value,
            source_id=transfer.id,
            created_by=_user(viewer),
            field="items",
        )
    except UserInputError as exc:
        raise _per_line(exc) from None
    return transfer


def _per_line(exc: UserInputError) -> UserInputError:
    """Errors about the transfer's changes (two per line) named by the line: one error
    for each line's item or variant, not one per move."""
    errors: list[FieldError] = []
    for e in exc.errors:
        path = e.path
        if len(path) > 1 and path[1].isdigit():
            path = (path[0], str(int(path[1]) // 2), *path[2:])
        moved = FieldError(path, e.message, e.code)
        if moved not in errors:
            errors.append(moved)
    return UserInputError(errors)


async def create_adjustment(
    *, session: AsyncSession, data: dict[str, Any], viewer: Viewer | None = None
) -> StockAdjustment:
    """Stock counted in or written off in one warehouse: one move per line with its
    signed quantity, in one transaction."""
    payload = validate(AdjustmentCreate, data)
    warehouse = await require_row(
        session, Warehouse, payload.warehouse_id, path=("warehouseId",), what="Warehouse"
    )
    adjustment = StockAdjustment(  # type: ignore[call-arg]  # company_id: stamped by the tenant filter
        warehouse_id=warehouse.id, reason=payload.reason, created_by_id=_user(viewer)
    )
    session.add(adjustment)
    await session.flush()
    await move_stock(
        session,
        [
            StockChange(line.item_id, line.quantity, line.variant_id, warehouse.id)
            for line in payload.items
        ],
        reason=MoveReason.ADJUSTMENT.value,
        source_type=SourceType.STOCK_ADJUSTMENT.value,
        source_id=adjustment.id,
        created_by=_user(viewer),
        field="items",
    )
    return adjustment


# --- settings -------------------------------------------------------------------------------


async def update_settings(*, session: AsyncSession, data: dict[str, Any]) -> dict[str, Any]:
    payload = validate(InventorySettings, data)
    await session.execute(
        update(Company)
        .where(col(Company.id) == get_tenant(session))
        .values(
            allow_negative_stock=payload.allow_negative_stock,
            updated_at=utcnow(),
            **bump(Company),
        )
    )
    return {"allow_negative_stock": payload.allow_negative_stock}
