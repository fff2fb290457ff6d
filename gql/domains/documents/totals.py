"""Document arithmetic, exactly as DESIGN.md states it, in Decimal.

line net   = quantity x unit price, less the line discount (rate first, then flat)
line tax   = line net x the line's tax rate (negative for a withholding tax)
subtotal   = sum of line nets
total      = subtotal - document discount (rate first, then flat) + tax + shipping
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")  # money, at its columns' scale: so is every sum that starts here
HUNDRED = Decimal("100")


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def discount_of(amount: Decimal, rate: Decimal | None, flat: Decimal | None) -> Decimal:
    """The discount on `amount`: `rate` percent of it, then `flat` on top."""
    by_rate = cents(amount * (rate or ZERO) / HUNDRED)
    return by_rate + (flat or ZERO)


@dataclass(frozen=True)
class LineAmounts:
    net: Decimal
    tax: Decimal


def line_amounts(
    *,
    quantity: Decimal,
    unit_price: Decimal,
    discount_rate: Decimal | None,
    discount_amount: Decimal | None,
    tax_rate: Decimal,
    withholding: bool = False,
) -> LineAmounts:
    gross = cents(quantity * unit_price)
    net = gross - discount_of(gross, discount_rate, discount_amount)
    tax = cents(net * tax_rate / HUNDRED)
    return LineAmounts(net=net, tax=-tax if withholding else tax)


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal
    discount_total: Decimal
    tax_total: Decimal
    total: Decimal


def document_totals(
    lines: Iterable[LineAmounts],
    *,
    discount_rate: Decimal | None,
    discount_amount: Decimal | None,
    shipping: Decimal,
) -> Totals:
    lines = list(lines)
    subtotal = sum((line.net for line in lines), ZERO)
    tax_total = sum((line.tax for line in lines), ZERO)
    discount = discount_of(subtotal, discount_rate, discount_amount)
    return Totals(
        subtotal=subtotal,
        discount_total=discount,
        tax_total=tax_total,
        total=subtotal - discount + tax_total + shipping,
    )
