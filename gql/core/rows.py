"""Light rows: what the resolver path's loaders answer instead of ORM entities.

Building an ORM entity per row (instance state, identity map, instrumented attributes)
was the largest cost of loading a page's edges. The types only read a row's columns
as attributes, so a loader selects the table's columns with Core and answers one
plain object per row: an instance of the model's row class, whose attributes are the
mapped columns' values as the ORM would have loaded them (the same column types
process them, on first read). gql.core.relay registers row classes with their node types (global
ids, is_type_of); `model_of` gives the model back.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import Any, ClassVar

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import type_coerce
from sqlalchemy.types import NullType


class _Column:
    """A light row's attribute: its column's value, processed by the column's type (as
    the ORM would) on first read and kept (in the row's __dict__, which Python reads
    before this descriptor). Most of a row's columns are never read by a query."""

    __slots__ = ("index", "name")

    def __init__(self, name: str, index: int) -> None:
        self.name, self.index = name, index

    def __get__(self, row: Any, owner: Any = None) -> Any:
        if row is None:
            return self
        value = row._raw[self.index]
        process = row._processors[self.index]
        if process is not None:
            value = process(value)
        row.__dict__[self.name] = value
        return value


class LightRow:
    """One row of `orm_model`'s table: its columns as attributes (nothing else)."""

    __slots__ = ("__dict__", "_processors", "_raw")
    _raw: Sequence[Any]  # the driver's values
    _processors: Sequence[Any]  # each column's result processor, or None

    orm_model: ClassVar[type[Any]]
    names: ClassVar[tuple[str, ...]]  # the mapped attributes, in `columns_of` order

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {getattr(self, 'id', '?')}>"

    @classmethod
    def many(cls, rows: Iterable[Sequence[Any]], processors: Sequence[Any]) -> list[Any]:
        """One row object per result row selected by `raw_columns_of(cls.orm_model, ...)`,
        whose columns' result processors (None: none) are `processors`."""
        new = object.__new__
        # The columns the driver's value is already the answer for go straight into
        # the row's __dict__ (in C: no descriptor call when they are read); the others
        # are processed when first read.
        plain = [index for index, process in enumerate(processors) if process is None]
        names = tuple(cls.names[index] for index in plain)
        pick = itemgetter(*plain) if len(plain) > 1 else None
        made = []
        for values in rows:
            row = new(cls)
            row._raw, row._processors = values, processors
            if pick is not None:
                row.__dict__ = dict(zip(names, pick(values), strict=True))
            elif plain:
                row.__dict__ = {names[0]: values[plain[0]]}
            made.append(row)
        return made


_ROW_CLASSES: dict[type[Any], type[LightRow]] = {}


def row_class(model: type[Any]) -> type[LightRow]:
    """The row class of `model` (one per model)."""
    cls = _ROW_CLASSES.get(model)
    if cls is None:
        names = tuple(prop.key for prop in sa_inspect(model).column_attrs)
        namespace: dict[str, Any] = {"orm_model": model, "names": names, "__slots__": ()}
        namespace |= {name: _Column(name, index) for index, name in enumerate(names)}
        cls = _ROW_CLASSES[model] = type(f"{model.__name__}Row", (LightRow,), namespace)
    return cls


def columns_of(model: type[Any], table: Any) -> list[Any]:
    """The columns of `table` (an alias of the model's table) that its row class holds,
    in its order."""
    mapper = sa_inspect(model)
    return [table.c[prop.columns[0].key] for prop in mapper.column_attrs]


def raw_columns_of(model: type[Any], table: Any) -> list[Any]:
    """`columns_of`, selected as the driver gives them (no result processing: the row
    class processes what is read, with `processors_of`)."""
    return [type_coerce(column, NullType()) for column in columns_of(model, table)]


# Per dialect (an engine's: its settings may shape its processors), by model: a
# table's columns reach the driver with the same types every time, so the cursor's
# description (which psycopg builds afresh, a Column per column, on every read of it)
# is read once per model.
_PROCESSORS: weakref.WeakKeyDictionary[Any, dict[type[Any], tuple[Any, ...]]] = (
    weakref.WeakKeyDictionary()
)


def processors_of(
    model: type[Any], dialect: Any, description: Callable[[], Sequence[Any]]
) -> tuple[Any, ...]:
    """The result processors of the model's columns for `dialect`, given the cursor's
    `description()` (the driver's type codes), as SQLAlchemy picks them for a result."""
    known = _PROCESSORS.setdefault(dialect, {})
    processors = known.get(model)
    if processors is None:
        type_codes = [column[1] for column in description()]
        columns = [prop.columns[0] for prop in sa_inspect(model).column_attrs]
        processors = known[model] = tuple(
            column.type.dialect_impl(dialect).result_processor(dialect, code)
            for column, code in zip(columns, type_codes, strict=True)
        )
    return processors


def model_of(row: Any) -> type[Any]:
    """The model a row (an ORM entity or a light row) belongs to."""
    cls = type(row)
    return cls.orm_model if issubclass(cls, LightRow) else cls
