"""Light rows: what the resolver path's loaders answer instead of ORM entities.

Building an ORM entity per row (instance state, identity map, instrumented attributes)
was the largest cost of loading a page's edges. The types only read a row's columns
as attributes, so a loader selects the table's columns with Core and answers one
plain object per row: an instance of the model's row class, whose attributes are the
mapped columns' values as the ORM would have loaded them (the same column types
process them). gql.core.relay registers row classes with their node types (global
ids, is_type_of); `model_of` gives the model back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from sqlalchemy import inspect as sa_inspect


class LightRow:
    """One row of `orm_model`'s table: its columns as attributes (nothing else)."""

    orm_model: ClassVar[type[Any]]
    names: ClassVar[tuple[str, ...]]  # the mapped attributes, in `columns_of` order

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {getattr(self, 'id', '?')}>"

    @classmethod
    def many(cls, rows: Iterable[Sequence[Any]]) -> list[Any]:
        """One row object per result row selected by `columns_of(cls.orm_model)`."""
        names, new = cls.names, object.__new__
        made = []
        for values in rows:
            row = new(cls)
            row.__dict__.update(zip(names, values, strict=True))
            made.append(row)
        return made


_ROW_CLASSES: dict[type[Any], type[LightRow]] = {}


def row_class(model: type[Any]) -> type[LightRow]:
    """The row class of `model` (one per model)."""
    cls = _ROW_CLASSES.get(model)
    if cls is None:
        names = tuple(prop.key for prop in sa_inspect(model).column_attrs)
        namespace = {"orm_model": model, "names": names}
        cls = _ROW_CLASSES[model] = type(f"{model.__name__}Row", (LightRow,), namespace)
    return cls


def columns_of(model: type[Any], table: Any) -> list[Any]:
    """The columns of `table` (an alias of the model's table) that its row class holds,
    in its order."""
    mapper = sa_inspect(model)
    return [table.c[prop.columns[0].key] for prop in mapper.column_attrs]


def model_of(row: Any) -> type[Any]:
    """The model a row (an ORM entity or a light row) belongs to."""
    cls = type(row)
    return cls.orm_model if issubclass(cls, LightRow) else cls
