"""Reports on the compiled read path: a report's JSON built in the database over its one
statement (gql/core/reporting.py declarations; the statements in
gql/domains/ledger/reports.py, which the resolver path runs too).

The report is one aggregate over its rows: lists are JSON arrays of the rows (those
of a type, in the statement's order), totals the value every row carries (window
columns), arguments literals, Money in the currency of the row the report hangs from
(the company). Anything else falls back to the resolver path.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from graphql import FieldNode, GraphQLEnumType, GraphQLField, GraphQLObjectType, GraphQLScalarType
from sqlalchemy import ColumnElement, case, func, literal, null, select

from gql.compiler.basics import STRAWBERRY, Fallback
from gql.compiler.basics import unwrap as _unwrap
from gql.core.errors import ErrorCode
from gql.core.graph import ToOne, sql_of
from gql.core.reporting import Namespace, Report, ReportArgument, ReportRows, ReportValue

if TYPE_CHECKING:
    from gql.compiler.planner import Planner


@dataclass(frozen=True)
class NullError:
    """A field inside a root field's JSON that, when null, answers an error: `path`
    from the root field's key, the field's node (for the error's location)."""

    path: tuple[str, ...]
    message: str
    code: str
    node: FieldNode


@dataclass(frozen=True)
class _Scope:
    """What a report's fields read: its rows, as a whole (`whole`) or one at a time."""

    rows: Any  # the report's statement, as a subquery
    currency: ColumnElement[Any]
    args: dict[str, Any]
    whole: bool
    prefix: str = ""  # of the column names (a Namespace's)

    def column(self, name: str) -> Any:
        return self.rows.c[self.prefix + name]


def plan_report(
    planner: Planner, spec: Report, field: GraphQLField, row: Any, nodes: list[FieldNode]
) -> ColumnElement[Any]:
    """The report field's JSON: one scalar subquery over its statement, correlated to
    `row` (the company) only for the currency."""
    if len(nodes) > 1:
        raise Fallback("report selected twice under one key")
    named, _ = _unwrap(field.type)
    args = planner.arguments(field, nodes[0])
    rows = spec.rows(planner.env, args).subquery()
    scope = _Scope(rows, row.c[spec.currency], args, whole=True)
    body = _object(planner, named, scope, nodes)
    if spec.not_found is not None:
        if not (planner.root_is_object and planner.depth == 1):
            raise Fallback("a report that can be not found, below the root object")
        body = case((func.count() > 0, body), else_=null())
        error = NullError(tuple(planner.path), spec.not_found, ErrorCode.NOT_FOUND.value, nodes[0])
        planner.null_errors.append(error)
    else:
        # count(*) makes the select one aggregate over the rows even when nothing else
        # selected is one: a single answer, also for no rows.
        body = case((func.count() >= 0, body))
    return planner.env.embed(select(body).select_from(rows).scalar_subquery())


def _object(
    planner: Planner, type_: GraphQLObjectType, scope: _Scope, nodes: list[FieldNode]
) -> ColumnElement[Any]:
    pairs = [
        (key, _field(planner, type_, scope, sub))
        for key, sub in planner.collect(type_, nodes).items()
    ]
    return planner.env.json_object(pairs)


def _field(
    planner: Planner, type_: GraphQLObjectType, scope: _Scope, nodes: list[FieldNode]
) -> ColumnElement[Any]:
    env = planner.env
    name = nodes[0].name.value
    if name == "__typename":
        return literal(type_.name)
    field = type_.fields[name]
    definition = field.extensions.get(STRAWBERRY)
    if getattr(definition, "permission_classes", None):
        planner.check_permissions(field)
    spec = sql_of(definition) if definition is not None else None
    named, is_list = _unwrap(field.type)
    if isinstance(spec, ReportRows) and scope.whole:
        one = replace(scope, whole=False)
        return env.json_array(
            _object(planner, named, one, nodes),
            order_by=[scope.column(c) for c in spec.order_by],
            where=spec.where(scope.rows.c) if spec.where else None,
        )
    if isinstance(spec, Namespace):
        return _object(planner, named, replace(scope, prefix=scope.prefix + spec.prefix), nodes)
    if isinstance(spec, ReportArgument):
        value = scope.args.get(spec.name) or (env.today if spec.today else None)
        return null() if value is None else planner._present(named, literal(value))
    if isinstance(spec, ReportValue):
        value = _value(planner, scope, scope.column(spec.column), spec.default)
        if named.name == "Money":
            return planner.money_object(named, value, scope.currency, nodes)
        return planner._present(named, value)
    if isinstance(spec, ToOne):
        key = _value(planner, scope, scope.column(spec.fk), None)
        return planner.to_one_at(spec, named, key, nodes)
    plain = spec is None and getattr(definition, "base_resolver", None) is None
    if (
        plain
        and not scope.whole
        and not is_list
        and isinstance(named, (GraphQLScalarType, GraphQLEnumType))
    ):
        return planner._present(named, scope.column(definition.python_name))
    raise Fallback(f"{type_.name}.{name} is not declared for its report")


def _value(planner: Planner, scope: _Scope, column: Any, default: Any) -> Any:
    """A column of the row; of the whole report: the value its rows carry, or
    `default` when there are none."""
    if not scope.whole:
        return column
    value = planner.env.any_value(column)
    return value if default is None else func.coalesce(value, literal(default, column.type))
