"""A company's stock, generated like people.py does payroll: warehouses, an opening
count in each (a stock adjustment), a few transfers out of the default warehouse, and
the moves the documents' issues and cancellations wrote. Plain dicts for Core inserts.

Each row is what gql/domains/inventory would have written: every issued invoice (bill)
moved its product lines out of (into) the default warehouse when it was issued, a
cancelled one moved them back ("reversal"); service items and free-text lines move
nothing. The opening count of the default warehouse covers everything sold after it,
so no level is ever below zero; a transfer takes at most what the opening count left
spare. Each level is the sum of its moves, and some products carry a minimum stock
alert above what they hold (the low-stock flag).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlmodel import SQLModel

from gql.domains.catalogue.models import ItemType
from gql.domains.documents.models import DocumentKind, DocumentStatus
from gql.domains.inventory.models import (
    NO_VARIANT,
    MoveReason,
    SourceType,
    StockAdjustment,
    StockLevel,
    StockMove,
    StockTransfer,
    Warehouse,
)

Row = dict[str, Any]
New = Callable[..., Row]

WAREHOUSES = [("Main warehouse", "MAIN"), ("North store", "NORTH"), ("South store", "SOUTH")]
SIGN = {DocumentKind.INVOICE.value: -1, DocumentKind.BILL.value: 1}
REASON = {
    DocumentKind.INVOICE.value: MoveReason.SALE.value,
    DocumentKind.BILL.value: MoveReason.PURCHASE.value,
}
Key = tuple[str, str, str | None]  # (warehouse, item, variant)


@dataclass
class StockRows:
    warehouses: list[Row] = field(default_factory=list)
    adjustments: list[Row] = field(default_factory=list)
    transfers: list[Row] = field(default_factory=list)
    moves: list[Row] = field(default_factory=list)
    levels: list[Row] = field(default_factory=list)

    def tables(self) -> list[tuple[type[SQLModel], list[Row]]]:
        """Parents before children (after the items, variants and documents)."""
        return [
            (Warehouse, self.warehouses),
            (StockAdjustment, self.adjustments),
            (StockTransfer, self.transfers),
            (StockMove, self.moves),
            (StockLevel, self.levels),
        ]


class StockGenerator:
    def __init__(
        self,
        new: New,
        items: list[Row],
        variants: list[Row],
        documents: list[Row],
        lines: list[Row],
        rng: random.Random,
        opened_at: datetime,
    ) -> None:
        self.new = new
        self.items = items
        self.variants = variants
        self.documents = documents
        self.lines = lines
        self.rng = rng
        self.opened_at = opened_at  # the opening count: before every document
        self.out = StockRows()
        self.held: Counter[Key] = Counter()

    def generate(self) -> StockRows:
        products = {i["id"]: i for i in self.items if i["type"] == ItemType.PRODUCT.value}
        if not products:
            return self.out
        self.out.warehouses = [
            self.new(Warehouse, self.opened_at, name=name, code=code, is_default=k == 0)
            for k, (name, code) in enumerate(WAREHOUSES)
        ]
        document_moves = self._document_moves(products)
        sold: Counter[tuple[str, str | None]] = Counter()
        for m in document_moves:
            if m["quantity"] < 0:
                sold[m["item_id"], m["variant_id"]] -= m["quantity"]
        spare = self._opening_counts(products, sold)
        self._transfers(spare)
        self.out.moves.extend(document_moves)
        for m in document_moves:
            self.held[m["warehouse_id"], m["item_id"], m["variant_id"]] += m["quantity"]
        self._levels()
        self._alerts(products)
        return self.out

    def _stock_keys(self, products: dict[str, Row]) -> list[tuple[str, str | None]]:
        """Each product without variants, and each variant of the others."""
        variants: dict[str, list[str]] = {}
        for v in self.variants:
            variants.setdefault(v["item_id"], []).append(v["id"])
        keys: list[tuple[str, str | None]] = []
        for item_id in products:
            keys.append((item_id, None))
            keys.extend((item_id, v) for v in variants.get(item_id, []))
        return keys

    def _move(
        self, at: datetime, key: Key, quantity: Decimal, reason: str, source: tuple[str, str]
    ) -> Row:
        warehouse, item, variant = key
        return self.new(
            StockMove,
            at,
            item_id=item,
            variant_id=variant,
            warehouse_id=warehouse,
            quantity=quantity,
            reason=reason,
            source_type=source[0],
            source_id=source[1],
        )

    def _document_moves(self, products: dict[str, Row]) -> list[Row]:
        default = self.out.warehouses[0]["id"]
        lines_of: dict[str, list[Row]] = {}
        for line in self.lines:
            if line["item_id"] in products and line["quantity"] != 0:
                lines_of.setdefault(line["document_id"], []).append(line)
        moves = []
        for doc in self.documents:
            sign = SIGN.get(doc["kind"])
            if sign is None or doc["status"] == DocumentStatus.DRAFT.value:
                continue
            source = (SourceType.DOCUMENT.value, doc["id"])
            for line in lines_of.get(doc["id"], []):
                key = (default, line["item_id"], line["variant_id"])
                moves.append(
                    self._move(
                        doc["issued_at"], key, sign * line["quantity"], REASON[doc["kind"]], source
                    )
                )
                if doc["cancelled_at"] is not None:
                    moves.append(
                        self._move(
                            doc["cancelled_at"],
                            key,
                            -sign * line["quantity"],
                            MoveReason.REVERSAL.value,
                            source,
                        )
                    )
        return moves

    def _opening_counts(
        self, products: dict[str, Row], sold: Counter[tuple[str, str | None]]
    ) -> dict[tuple[str, str | None], int]:
        """One counted adjustment per warehouse; the default one holds what is sold
        later plus a spare, which is what a transfer may take."""
        spare = {}
        keys = self._stock_keys(products)
        for k, warehouse in enumerate(self.out.warehouses):
            adjustment = self.new(
                StockAdjustment,
                self.opened_at,
                warehouse_id=warehouse["id"],
                reason="Opening count",
            )
            self.out.adjustments.append(adjustment)
            source = (SourceType.STOCK_ADJUSTMENT.value, adjustment["id"])
            for item_id, variant_id in keys:
                if k == 0:
                    spare[item_id, variant_id] = self.rng.randint(0, 60)
                    count = int(sold[item_id, variant_id]) + spare[item_id, variant_id]
                elif self.rng.random() < 0.6:
                    count = self.rng.randint(1, 80)
                else:
                    continue
                if count:
                    key = (warehouse["id"], item_id, variant_id)
                    self.out.moves.append(
                        self._move(
                            self.opened_at, key, Decimal(count), MoveReason.ADJUSTMENT.value, source
                        )
                    )
                    self.held[key] += count
        return spare

    def _transfers(self, spare: dict[tuple[str, str | None], int]) -> None:
        """A transfer to each other warehouse, a day after the count, of part of the
        default warehouse's spare stock."""
        default = self.out.warehouses[0]["id"]
        for k, target in enumerate(self.out.warehouses[1:]):
            at = self.opened_at + timedelta(days=1 + k)
            transfer = self.new(
                StockTransfer,
                at,
                from_warehouse_id=default,
                to_warehouse_id=target["id"],
                notes=f"Restock {target['name']}",
            )
            self.out.transfers.append(transfer)
            source = (SourceType.STOCK_TRANSFER.value, transfer["id"])
            for (item_id, variant_id), left in spare.items():
                quantity = left // 3
                if quantity == 0 or self.rng.random() < 0.5:
                    continue
                spare[item_id, variant_id] = left - quantity
                for warehouse, sign in ((default, -1), (target["id"], 1)):
                    key = (warehouse, item_id, variant_id)
                    self.out.moves.append(
                        self._move(
                            at, key, Decimal(sign * quantity), MoveReason.TRANSFER.value, source
                        )
                    )
                    self.held[key] += sign * quantity

    def _levels(self) -> None:
        last = max(m["created_at"] for m in self.out.moves)
        for (warehouse, item, variant), quantity in sorted(
            self.held.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or "")
        ):
            self.out.levels.append(
                self.new(
                    StockLevel,
                    last,
                    warehouse_id=warehouse,
                    item_id=item,
                    variant_id=variant,
                    variant_key=variant or NO_VARIANT,
                    quantity=Decimal(quantity),
                )
            )

    def _alerts(self, products: dict[str, Row]) -> None:
        """A minimum stock alert on about a third of the products, half of them above
        what the product holds in all warehouses (low stock)."""
        on_hand: Counter[str] = Counter()
        for (_, item, _), quantity in self.held.items():
            on_hand[item] += quantity
        for item_id, item in products.items():
            if self.rng.random() < 0.33:
                held = int(on_hand[item_id])
                low = self.rng.random() < 0.5
                item["min_stock_alert"] = Decimal(held + self.rng.randint(1, 20) if low else 5)
