"""The stock-move service: the one writer of stock moves, for every area that moves
stock (transfers, adjustments, invoices and bills, point-of-sale orders).

`move_stock` writes the moves in the caller's transaction and keeps each (warehouse,
item, variant)'s StockLevel equal to the sum of its moves with one statement per level:
an upsert that adds the change, or, for a change out of stock the company does not let
go below zero, `UPDATE ... SET quantity = quantity + :d WHERE quantity >= -:d`. On
PostgreSQL a concurrent writer of the same level waits on its row lock and re-checks
that guard against the committed quantity; on SQLite writers are serialized by the
database's write lock. Levels are written in key order, so two writers of the same
levels never wait on each other in a cycle.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import bindparam, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from gql.compiler.sqlenv import request_env
from gql.core.errors import ErrorCode, FieldError, UserInputError
from gql.core.ids import decode_id, new_id
from gql.core.lookups import rows_by_id
from gql.db.columns import utcnow
from gql.db.construct import new_row
from gql.db.tenant import get_tenant
from gql.domains.catalogue.models import Item, ItemType, ItemVariant
from gql.domains.companies.models import Company
from gql.domains.events.outbox import emit
from gql.domains.inventory.models import (
    NO_VARIANT,
    QUANTITY_SCALE,
    StockLevel,
    StockMove,
    Warehouse,
)
from gql.tenancy import mapped_table

DEFAULT_WAREHOUSE_NAME = "Main warehouse"
QUANTUM = Decimal(1).scaleb(-QUANTITY_SCALE)
# A level's key: (warehouse id, item id, variant key).
LevelKey = tuple[str, str, str]


@dataclass(frozen=True)
class StockChange:
    item_id: str
    quantity: Decimal  # signed: positive into stock, negative out of it
    variant_id: str | None = None
    warehouse_id: str | None = None  # None: the company's default warehouse


def _insert(session: AsyncSession) -> Any:
    return postgresql.insert if request_env(session).pg else sqlite.insert


async def default_warehouse(session: AsyncSession) -> Warehouse:
    """The company's default warehouse, made on first use. Of concurrent first uses one
    inserts it; the others' inserts meet the one-default index and do nothing."""
    found = await session.scalar(select(Warehouse).where(col(Warehouse.is_default).is_(True)))
    return found if found is not None else await _made_default(session)


async def _made_default(session: AsyncSession) -> Warehouse:
    """The default warehouse of a company that had none when it looked."""
    now = utcnow()
    stmt = (
        _insert(session)(Warehouse)
        .values(
            id=new_id(),
            created_at=now,
            updated_at=now,
            company_id=get_tenant(session),
            name=DEFAULT_WAREHOUSE_NAME,
            is_default=True,
        )
        .on_conflict_do_nothing(index_elements=["company_id"], index_where=text("is_default"))
    )
    await session.execute(stmt)
    made = await session.scalar(select(Warehouse).where(col(Warehouse.is_default).is_(True)))
    assert made is not None  # inserted now, or by the request that won
    return made


# (the default warehouse's id or None when it has none yet, whether the company allows
# negative stock), as `policy_columns` reads them
Policy = tuple[str | None, bool]


# The parameter `policy_columns` take: the company's id.
POLICY_COMPANY = "policy_company"


def policy_columns() -> tuple[Any, Any]:
    """The `Policy` of the company `:policy_company` as two scalar subqueries, for a
    caller's own statement to carry (one statement less for `move_stock`)."""
    company: Any = bindparam(POLICY_COMPANY)
    default = (
        select(col(Warehouse.id))
        .where(col(Warehouse.company_id) == company, col(Warehouse.is_default).is_(True))
        .scalar_subquery()
    )
    allowed = (
        select(col(Company.allow_negative_stock)).where(col(Company.id) == company)
    ).scalar_subquery()
    return default, allowed


async def _default_and_policy(
    session: AsyncSession, need_default: bool, policy: Policy | None = None
) -> tuple[str | None, bool]:
    """The default warehouse's id (when `need_default`; made on first use) and whether
    the company allows negative stock, in one statement (none when the caller read the
    `policy` already)."""
    if policy is not None:
        default_id, allowed = policy
        if default_id is None and need_default:
            default_id = (await _made_default(session)).id
        return default_id, bool(allowed)
    if not need_default:
        return None, await allows_negative_stock(session)
    stmt = (
        select(col(Company.allow_negative_stock), Warehouse)
        .outerjoin(
            Warehouse,
            (col(Warehouse.company_id) == col(Company.id)) & col(Warehouse.is_default).is_(True),
        )
        .where(col(Company.id) == get_tenant(session))
    )
    row = (await session.execute(stmt)).first()
    allowed, found = row if row is not None else (False, None)
    if found is None:
        found = await _made_default(session)
    return found.id, bool(allowed)


async def allows_negative_stock(session: AsyncSession) -> bool:
    allowed = await session.scalar(
        select(col(Company.allow_negative_stock)).where(col(Company.id) == get_tenant(session))
    )
    return bool(allowed)


@dataclass(frozen=True)
class _Resolved:
    item: Item
    variant_id: str | None
    warehouse_id: str | None  # None: the default warehouse, resolved after the checks
    quantity: Decimal


async def _resolve(
    session: AsyncSession,
    changes: Sequence[StockChange],
    field: str,
    known_items: Mapping[str, Item] | None = None,
) -> list[_Resolved]:
    """Each change's item, variant and warehouse, checked: NOT_FOUND for an id the
    company does not have (another company's included), the variant of another item
    INVALID, a zero quantity INVALID; all problems at once."""
    item_ids = [decode_id(c.item_id, "Item") for c in changes]
    variant_ids = [
        decode_id(c.variant_id, "ItemVariant") if c.variant_id else None for c in changes
    ]
    warehouse_ids = [
        decode_id(c.warehouse_id, "Warehouse") if c.warehouse_id else None for c in changes
    ]
    wanted_items = {i for i in item_ids if i}
    if known_items is not None and wanted_items <= known_items.keys():
        items = {i: known_items[i] for i in wanted_items}
    else:
        items = await rows_by_id(session, Item, wanted_items)
    variants = await rows_by_id(session, ItemVariant, {v for v in variant_ids if v})
    warehouses = await rows_by_id(session, Warehouse, {w for w in warehouse_ids if w})
    errors: list[FieldError] = []
    out: list[_Resolved] = []
    for n, change in enumerate(changes):
        path = (field, str(n))
        item = items.get(item_ids[n] or "")
        if item is None:
            errors.append(FieldError((*path, "itemId"), "Item not found", ErrorCode.NOT_FOUND))
        if change.variant_id is not None:
            variant = variants.get(variant_ids[n] or "")
            if variant is None:
                errors.append(
                    FieldError((*path, "variantId"), "ItemVariant not found", ErrorCode.NOT_FOUND)
                )
            elif item is not None and variant.item_id != item.id:
                errors.append(FieldError((*path, "variantId"), "is a variant of another item"))
        if change.warehouse_id is not None and warehouse_ids[n] not in warehouses:
            errors.append(
                FieldError((*path, "warehouseId"), "Warehouse not found", ErrorCode.NOT_FOUND)
            )
        quantity = Decimal(change.quantity).quantize(QUANTUM)
        if quantity == 0:
            errors.append(FieldError((*path, "quantity"), "must not be zero"))
        if item is not None:
            out.append(_Resolved(item, variant_ids[n], warehouse_ids[n], quantity))
    if errors:
        raise UserInputError(errors)
    return out


async def _add_to_level(
    session: AsyncSession, key: LevelKey, delta: Decimal, *, guarded: bool
) -> bool:
    """Add `delta` to the level of `key` in one statement; False (nothing written) when
    `guarded` and the level would go below zero."""
    warehouse_id, item_id, variant_key = key
    if guarded and delta < 0:
        stmt = (
            update(StockLevel)
            .where(
                col(StockLevel.warehouse_id) == warehouse_id,
                col(StockLevel.item_id) == item_id,
                col(StockLevel.variant_key) == variant_key,
                col(StockLevel.quantity) >= -delta,
            )
            .values(quantity=col(StockLevel.quantity) + delta, updated_at=utcnow())
            .returning(col(StockLevel.id))
            .execution_options(synchronize_session=False)
        )
        return await session.scalar(stmt) is not None
    await _add_to_levels(session, {key: delta})
    return True


@cache
def _level_upsert(dialect: str) -> Any:
    """INSERT a level; where the level exists, add the change to it. Built once and run
    with every level's parameters (one executemany), as the ledger's balances are."""
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(StockLevel)
    table = mapped_table(StockLevel)
    return insert.on_conflict_do_update(
        index_elements=["company_id", "warehouse_id", "item_id", "variant_key"],
        set_={
            "quantity": table.c.quantity + insert.excluded.quantity,
            "updated_at": insert.excluded.updated_at,
        },
    )


async def _add_to_levels(session: AsyncSession, deltas: Mapping[LevelKey, Decimal]) -> None:
    """Add each change to its level, unguarded, in one statement (in key order: the
    order the rows are written, so the levels' locks are taken in it too)."""
    now, company_id = utcnow(), get_tenant(session)
    rows = [
        {
            "id": new_id(),
            "created_at": now,
            "updated_at": now,
            "company_id": company_id,
            "warehouse_id": warehouse_id,
            "item_id": item_id,
            "variant_id": variant_key or None,
            "variant_key": variant_key,
            "quantity": delta,
        }
        for (warehouse_id, item_id, variant_key), delta in sorted(deltas.items())
    ]
    await session.execute(_level_upsert(request_env(session).dialect), rows)


async def on_hand(session: AsyncSession, key: LevelKey) -> Decimal:
    quantity = await session.scalar(
        select(col(StockLevel.quantity))
        .where(
            col(StockLevel.warehouse_id) == key[0],
            col(StockLevel.item_id) == key[1],
            col(StockLevel.variant_key) == key[2],
        )
        .execution_options(populate_existing=True)
    )
    return quantity if quantity is not None else Decimal(0).quantize(QUANTUM)


async def _refusal(
    session: AsyncSession, key: LevelKey, delta: Decimal, item: Item, field: str
) -> UserInputError:
    warehouse = await session.get(Warehouse, key[0])
    where = warehouse.name if warehouse is not None else "the warehouse"
    available = await on_hand(session, key)
    return UserInputError.single(
        field,
        f"Not enough stock of {item.name} in {where}: {available} on hand, {-delta} needed",
        ErrorCode.INSUFFICIENT_STOCK,
    )


async def move_stock(
    session: AsyncSession,
    changes: Sequence[StockChange],
    *,
    reason: str,
    source_type: str,
    source_id: str | None,
    field: str = "items",
    created_by: str | None = None,
    items: Mapping[str, Item] | None = None,
    policy: Policy | None = None,
) -> list[StockMove]:
    """Writes the moves (in the caller's transaction) and refuses, with a coded
    UserInputError naming `field` (code INSUFFICIENT_STOCK), any change that would take
    an item's stock in a warehouse below zero unless the company allows negative stock.
    Items that are not products (services, appointments) are ignored (no move). Safe
    under concurrency.

    `created_by`: the user making the moves, when there is one (not for a document's).
    `items`: the changes' items by id when the caller has read them already; `policy`:
    the company's, when the caller has read it already (`policy_columns`)."""
    resolved = [r for r in await _resolve(session, changes, field, items) if _stocked(r.item)]
    if not resolved:
        return []
    default_id, negative_allowed = await _default_and_policy(
        session, any(r.warehouse_id is None for r in resolved), policy
    )
    moves = [
        new_row(  # company_id: stamped by the tenant filter
            StockMove,
            item_id=r.item.id,
            variant_id=r.variant_id,
            warehouse_id=r.warehouse_id or default_id or "",
            quantity=r.quantity,
            reason=reason,
            source_type=source_type,
            source_id=source_id,
            created_by_id=created_by,
        )
        for r in resolved
    ]
    deltas: dict[LevelKey, Decimal] = {}
    for move in moves:
        key = (move.warehouse_id, move.item_id, move.variant_id or NO_VARIANT)
        deltas[key] = deltas.get(key, Decimal(0)) + move.quantity
    by_id = {r.item.id: r.item for r in resolved}
    guarded = not negative_allowed
    changed = {key: delta for key, delta in deltas.items() if delta != 0}
    if not guarded or all(delta > 0 for delta in changed.values()):
        if changed:  # nothing can be refused: every level in one statement
            await _add_to_levels(session, changed)
    else:
        for key in sorted(changed):
            if not await _add_to_level(session, key, changed[key], guarded=guarded):
                raise await _refusal(session, key, changed[key], by_id[key[1]], field)
    session.add_all(moves)
    await session.flush()
    for move in moves:
        payload = {"warehouseId": move.warehouse_id, "change": move.quantity, "reason": reason}
        await emit(session, type="item.stock_changed", row=by_id[move.item_id], payload=payload)
    return moves


def _stocked(item: Item) -> bool:
    return item.type == ItemType.PRODUCT.value
