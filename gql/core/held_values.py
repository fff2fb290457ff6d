"""Computed values (gql.core.graph.Computed) of rows the request holds, from the same
SQL expressions evaluated in Python over the rows' attributes (SQLAlchemy's evaluator,
the one `synchronize_session="evaluate"` uses): a REST answer about a row it just wrote
or read need not send the row's own columns back to the database to learn, say, its
amount due. One declaration still: the expression is the Computed's, not a copy."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from types import SimpleNamespace
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import evaluator

from gql.compiler.sqlenv import SqlEnv


@cache
def _columns(model: Any) -> SimpleNamespace:
    """`model`'s columns as the ORM's attributes (the evaluator maps those to the row's
    values), in the `table.c` shape a Computed's `sql(table, env)` takes."""
    return SimpleNamespace(
        c=SimpleNamespace(
            **{a.key: getattr(model, a.key).expression for a in inspect(model).column_attrs}
        )
    )


@lru_cache(maxsize=256)  # per model, specs and request env (its `today`, its tenant)
def _evaluators(
    model: Any, specs: tuple[Any, ...], env: SqlEnv
) -> list[Callable[[Any], Any]] | None:
    """The specs' expressions as Python functions of a row; None when one cannot be."""
    compiler = evaluator._EvaluatorCompiler(model)  # private: no public accessor
    try:
        columns = _columns(model)
        return [compiler.process(spec.sql(columns, env)) for spec in specs]
    except (evaluator.UnevaluatableError, AttributeError):
        return None


def held_values(
    model: Any, specs: Sequence[Any], rows: Sequence[Any], env: SqlEnv
) -> dict[str, tuple[Any, ...]] | None:
    """Each row's values of `specs`, by row id, as gql.core.loaders.computed_values
    gives them; None when one of them cannot be evaluated here (an expression the
    evaluator does not know, an attribute not loaded): then SQL answers."""
    functions = _evaluators(model, tuple(specs), env)
    if functions is None:
        return None
    out: dict[str, tuple[Any, ...]] = {}
    for row in rows:
        values = [f(row) for f in functions]
        if any(v is evaluator._EXPIRED_OBJECT for v in values):
            return None
        out[row.id] = tuple(
            bool(v) if spec.kind == "bool" else v for spec, v in zip(specs, values, strict=True)
        )
    return out
