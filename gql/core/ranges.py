"""The range conditions of the areas' filters, one rule for all: both ends included,
and a day of a timestamp is a whole day in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement


def between(column: Any, low: Any, high: Any) -> list[ColumnElement[bool]]:
    """`column` from `low` to `high`, both included; an end not given is open."""
    out: list[ColumnElement[bool]] = []
    if low is not None:
        out.append(column >= low)
    if high is not None:
        out.append(column <= high)
    return out


def day_start(day: date) -> datetime:
    """The first instant of `day` in UTC."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def on_days(column: Any, first: date | None, last: date | None) -> list[ColumnElement[bool]]:
    """A timestamp `column` within the whole days `first` to `last` (UTC), both included."""
    out: list[ColumnElement[bool]] = []
    if first is not None:
        out.append(column >= day_start(first))
    if last is not None:
        out.append(column < day_start(last + timedelta(days=1)))
    return out
