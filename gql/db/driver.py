"""Statements as the database driver takes them (psycopg's raw cursor, aiosqlite),
compiled once from SQLAlchemy's and run without its per-statement work: by the
compiled path's one round trip (gql/compiler/direct.py), a request's first visit
(gql/auth/first_visit.py) and the resolver path's loaders (gql/core/driver_sql.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from sqlalchemy import ClauseElement


@dataclass(frozen=True)
class DriverStatement:
    """A statement as the driver takes it. PostgreSQL: `$n` placeholders (bytes) and a
    tuple, for psycopg's raw cursor, which parses nothing per request (its cursor
    re-parses `%(name)s` text longer than 4 kB on every execute). SQLite: the text
    and parameters SQLAlchemy sent."""

    sql: str | bytes
    params: Any

    @property
    def text(self) -> str:
        return self.sql.decode() if isinstance(self.sql, bytes) else self.sql

    @classmethod
    def recorded(cls, sql: str, params: Any, dialect: str) -> DriverStatement:
        """From what SQLAlchemy sent the driver (executor.py records it)."""
        if dialect != "postgresql":
            return cls(sql, params)
        numbered, names = _numbered(sql)
        return cls(numbered, tuple(params[name] for name in names))


_PYFORMAT = re.compile(r"%%|%\(([^)]+)\)s")


def _numbered(sql: str) -> tuple[bytes, list[str]]:
    """`%(name)s` placeholders as `$1, $2, ...` (one number per name), `%%` as `%`."""
    names: list[str] = []

    def number(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return "%"
        if name not in names:
            names.append(name)
        return f"${names.index(name) + 1}"

    return _PYFORMAT.sub(number, sql).encode(), names


@dataclass(frozen=True)
class DriverTemplate:
    """A statement as its driver takes it (PostgreSQL: `$n` placeholders), the names
    of its parameters in order, and the values (bind-processed) of those it fixes."""

    sql: str | bytes
    positions: tuple[str, ...]
    defaults: dict[str, Any]

    @classmethod
    def compile(cls, statement: ClauseElement, dialect: Any) -> DriverTemplate:
        # Expanding parameters (IN lists) rendered as one parameter per value.
        postcompile = {"render_postcompile": True}
        compiled: Any = statement.compile(dialect=dialect, compile_kwargs=postcompile)
        defaults = {}
        for name, value in compiled.params.items():
            # An IN list's value `x_1_2` has the type of its parameter `x_1`.
            bind = compiled.binds[name if name in compiled.binds else name.rsplit("_", 1)[0]]
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            defaults[name] = process(value) if process is not None and value is not None else value
        if dialect.name == "postgresql":
            names = {name: name for name in compiled.params}
            numbered = DriverStatement.recorded(compiled.string, names, "postgresql")
            return cls(numbered.sql, tuple(numbered.params), defaults)
        return cls(compiled.string, tuple(compiled.positiontup or ()), defaults)

    @cached_property
    def text(self) -> str:
        """The statement as text, for those who hear of what is sent (statement counters)."""
        return self.sql.decode() if isinstance(self.sql, bytes) else self.sql

    def params(self, values: dict[str, Any]) -> tuple[Any, ...]:
        defaults = self.defaults
        return tuple(values[name] if name in values else defaults[name] for name in self.positions)

    def bind(self, **values: Any) -> DriverStatement:
        return DriverStatement(self.sql, self.params(values))
