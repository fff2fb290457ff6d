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

from functools import cache
from typing import Any, TypeVar

from pydantic.fields import FieldInfo
from sqlalchemy import inspect
from sqlalchemy.orm import Mapper

M = TypeVar("M")


@cache
def _shape(model: Any) -> tuple[Mapper[Any], dict[str, FieldInfo], frozenset[str]]:
    mapper = inspect(model)
    columns = frozenset(a.key for a in mapper.column_attrs)
    # Only column fields: a relationship, or a field SQLAlchemy does not map, takes the
    # ordinary constructor.
    fields = {n: f for n, f in model.model_fields.items() if n in columns}
    if set(model.model_fields) != set(fields) or mapper.relationships:
        raise TypeError(f"{model.__name__} is not a plain table of columns")
    return mapper, fields, columns


def new_row(model: type[M], **values: Any) -> M:
    """`model(**values)`, for a table model of plain columns (TypeError otherwise)."""
    mapper, fields, columns = _shape(model)  # type: ignore[arg-type]  # a class is hashable
    unknown = values.keys() - columns
    if unknown:
        raise TypeError(f"{model.__name__} has no {sorted(unknown)}")
    row = mapper.class_manager.new_instance()
    state = row.__dict__
    for name, field in fields.items():
        if name in values:
            state[name] = values[name]
        elif not field.is_required():
            state[name] = field.get_default(call_default_factory=True)
    object.__setattr__(row, "__pydantic_fields_set__", set(values))
    object.__setattr__(row, "__pydantic_extra__", None)
    object.__setattr__(row, "__pydantic_private__", None)
    return row  # type: ignore[no-any-return]
