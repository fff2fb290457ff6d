"""What an area's types make of the filter and order inputs a client sent, the same
way in every area: ids decoded for this tenant, enums to their values, an order to
(column key, direction)."""

from __future__ import annotations

from typing import Any

from gql.core.ids import decode_id


def id_filter(value: Any, type_name: str) -> str | None:
    """An id filter: an id that is not one of the tenant's matches nothing."""
    return (decode_id(value, type_name) or "-") if value else None


def enum_value(value: Any) -> Any:
    """An enum input's value, or None when it was not sent."""
    return getattr(value, "value", None)


def order_of(value: Any, default: type[Any]) -> tuple[str, str]:
    """(column key, direction) of an order input, or of `default()` when none was sent."""
    order = value or default()
    return order.field.value, order.direction.value
