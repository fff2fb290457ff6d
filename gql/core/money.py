"""The Money GraphQL type: an exact amount and its currency, as every money field answers."""

from __future__ import annotations

from decimal import Decimal

import strawberry


@strawberry.type(description="An amount of money in a currency.")
class Money:
    amount: Decimal
    currency: str
