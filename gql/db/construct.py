"""A new row of a table model, built at the cost of a dict: for the writes that make
many rows per request (a document's lines, a voucher's, stock moves).

SQLModel's constructor sets every field through both SQLAlchemy's attribute events and
pydantic's `__setattr__` (a table model is never validated, so nothing is checked
there); a row about to be INSERTed needs neither: the unit of work reads a pending
row's values from its `__dict__`, which is where both would have put them. What it
does keep: the fields' defaults (ids, timestamps, default factories) and pydantic's
bookkeeping attributes, so the row reads, dumps and flushes as any other.
"""

from __future__ import annotations

from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import cache, partial
from typing import Any, TypeVar

from pydantic.fields import FieldInfo
from sqlalchemy import inspect
from sqlalchemy.orm import Mapper

M = TypeVar("M")


_IMMUTABLE = (type(None), bool, int, float, str, bytes, Decimal, date, Enum)


@dataclass(frozen=True)
class _Shape:
    mapper: Mapper[Any]
    columns: frozenset[str]
    # Each field's default: a factory to call (an id, a timestamp, a fresh list), or a
    # value; fields without one (required) are left out. (pydantic's get_default
    # inspects the factory's signature on every call.)
    factories: dict[str, Callable[[], Any]]
    values: dict[str, Any]


@cache
def _shape(model: Any) -> _Shape:
    mapper = inspect(model)
    columns = frozenset(a.key for a in mapper.column_attrs)
    # Only column fields: a relationship, or a field SQLAlchemy does not map, takes the
    # ordinary constructor.
    fields: dict[str, FieldInfo] = model.model_fields
    if not set(fields) <= columns or mapper.relationships:
        raise TypeError(f"{model.__name__} is not a plain table of columns")
    factories, values = {}, {}
    for name, field in fields.items():
        if field.default_factory is not None:
            factories[name] = field.default_factory
        elif not field.is_required():
            if isinstance(field.default, _IMMUTABLE):
                values[name] = field.default
            else:  # a list or a dict: each row its own copy, as pydantic's are
                factories[name] = partial(deepcopy, field.default)
    return _Shape(mapper, columns, factories, values)  # type: ignore[arg-type]


def new_row(model: type[M], **values: Any) -> M:
    """`model(**values)`, for a table model of plain columns (TypeError otherwise)."""
    shape = _shape(model)  # type: ignore[arg-type]  # a class is hashable
    unknown = values.keys() - shape.columns
    if unknown:
        raise TypeError(f"{model.__name__} has no {sorted(unknown)}")
    row = shape.mapper.class_manager.new_instance()
    state = row.__dict__
    state.update(shape.values)
    for name, factory in shape.factories.items():
        if name not in values:
            state[name] = factory()
    state.update(values)
    object.__setattr__(row, "__pydantic_fields_set__", set(values))
    object.__setattr__(row, "__pydantic_extra__", None)
    object.__setattr__(row, "__pydantic_private__", None)
    return row  # type: ignore[no-any-return]
