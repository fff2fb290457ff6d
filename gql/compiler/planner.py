"""From a validated GraphQL selection to one SQL statement per root field.

The planner reads the schema's own declarations (gql/core/graph.py metadata on
strawberry fields, columns of the node's table) and builds SQLAlchemy Core over
table aliases from `tenant_table` (gql/tenancy.py), which brings the tenant predicate
to every table it touches. Anything it
does not know raises `Fallback`, and that root field goes to the resolver path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLField,
    GraphQLIncludeDirective,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLSkipDirective,
    InlineFragmentNode,
    SelectionSetNode,
)
from graphql.execution.values import get_argument_values, get_directive_values
from sqlalchemy import ColumnElement, Select, func, literal, select
from sqlalchemy.sql.util import ClauseAdapter
from strawberry.types.arguments import convert_arguments
from strawberry.utils.str_converters import to_camel_case

from gql.auth.access import Need, allows
from gql.compiler.basics import STRAWBERRY, Fallback
from gql.compiler.basics import unwrap as _unwrap
from gql.compiler.reports import NullError, plan_report
from gql.compiler.sqlenv import SqlEnv
from gql.core.graph import (
    Computed,
    EdgeConnection,
    MoneyOf,
    NotCompiled,
    RootConnection,
    RootGet,
    ToMany,
    ToOne,
    ToOneBy,
    sql_of,
)
from gql.core.ids import decode_id
from gql.core.pagination import PageArgs, window_bounds
from gql.core.relay import NODE_TYPES
from gql.core.reporting import Namespace, Report, TenantRow
from gql.domains.companies.modules import ModuleAlias
from gql.tenancy import TenantTable, own_row, tenant_table

# How many node objects deep one statement may nest on SQLite (see node_object).
SQLITE_MAX_NESTING = 4


@dataclass
class RootPlan:
    statement: Select[Any] | None  # None: answered without SQL (an id that cannot exist)
    not_found: str | None  # for single-object fields: the NOT_FOUND message when null
    # The statement as the driver took it the first time (text and parameters), for
    # the direct path (gql/compiler/direct.py): recorded, not recompiled.
    driver: Any = None
    # Fields inside the JSON that answer null with an error (a contact statement of no
    # contact): the executor reports each that came back null.
    null_errors: tuple[NullError, ...] = ()


class Planner:
    def __init__(
        self,
        *,
        schema: GraphQLSchema,
        strawberry_schema: Any,
        env: SqlEnv,
        variables: Any,  # graphql-core's coerced VariableValues
        fragments: dict[str, FragmentDefinitionNode],
        context: Any,
    ) -> None:
        self.schema = schema
        self.strawberry_schema = strawberry_schema
        self.env = env
        self.variables = variables
        self.fragments = fragments
        self.context = context
        self.depth = 0
        # Where the field being planned is: response keys from the root field's, while
        # the root field is one object (not a list); for fields that can be null with
        # an error (gql/compiler/reports.py).
        self.path: list[str] = []
        self.root_is_object = False
        self.null_errors: list[NullError] = []

    # --- selections ---------------------------------------------------------------

    def collect(
        self, type_: GraphQLObjectType, nodes: list[FieldNode]
    ) -> dict[str, list[FieldNode]]:
        """The sub-fields of `nodes`, merged by response key, as the executor would."""
        out: dict[str, list[FieldNode]] = {}
        for node in nodes:
            if node.selection_set is not None:
                self._visit(type_, node.selection_set, out, set())
        return out

    def collect_root(
        self, type_: GraphQLObjectType, selection_set: SelectionSetNode
    ) -> dict[str, list[FieldNode]]:
        out: dict[str, list[FieldNode]] = {}
        self._visit(type_, selection_set, out, set())
        return out

    def _visit(
        self,
        type_: GraphQLObjectType,
        selection_set: SelectionSetNode,
        out: dict[str, list[FieldNode]],
        seen: set[str],
    ) -> None:
        for selection in selection_set.selections:
            if not self._included(selection):
                continue
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                out.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                if self._applies(type_, selection.type_condition):
                    self._visit(type_, selection.selection_set, out, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if name in seen or fragment is None:
                    continue
                seen.add(name)
                if self._applies(type_, fragment.type_condition):
                    self._visit(type_, fragment.selection_set, out, seen)

    def _included(self, node: Any) -> bool:
        skip = get_directive_values(GraphQLSkipDirective, node, self.variables)
        if skip and skip.get("if") is True:
            return False
        include = get_directive_values(GraphQLIncludeDirective, node, self.variables)
        return not (include and include.get("if") is False)

    def _applies(self, type_: GraphQLObjectType, condition: Any) -> bool:
        if condition is None or condition.name.value == type_.name:
            return True
        return any(i.name == condition.name.value for i in type_.interfaces)

    # --- permissions ------------------------------------------------------------------

    def check_permissions(self, field: GraphQLField) -> None:
        """Compile only what the gate allows; a refusal is the resolver path's to give,
        with its exact error."""
        definition = field.extensions.get(STRAWBERRY)
        for permission in getattr(definition, "permission_classes", None) or []:
            need = getattr(permission, "need", None)
            if need is None:
                raise Fallback(f"permission {permission.__name__} is not a declared need")
            if not allows(self.context.viewer, need):
                raise Fallback(f"permission {permission.__name__} refused")

    def _check_module(self, type_name: str) -> None:
        spec = NODE_TYPES.get(type_name)
        if spec and spec.module:
            self._require_module(spec.module)

    def _require_module(self, module: str) -> None:
        if not allows(self.context.viewer, Need(module=ModuleAlias(module))):
            raise Fallback(f"module {module} is off")

    def arguments(self, field: GraphQLField, node: FieldNode) -> dict[str, Any]:
        """The field's arguments as its resolver receives them (strawberry inputs,
        enums), keyed by GraphQL name."""
        raw = get_argument_values(field, node, self.variables)
        definition = field.extensions.get(STRAWBERRY)
        converted = convert_arguments(
            raw,
            definition.arguments,
            scalar_registry=self.strawberry_schema.schema_converter.scalar_registry,
            config=self.strawberry_schema.config,
        )
        by_python_name = {
            a.python_name: a.graphql_name or to_camel_case(a.python_name)
            for a in definition.arguments
        }
        return {by_python_name.get(k, k): v for k, v in converted.items()}

    def page_args(self, args: dict[str, Any]) -> PageArgs:
        try:
            return self.context.page_args(
                first=args.get("first"),
                after=args.get("after"),
                last=args.get("last"),
                before=args.get("before"),
            )
        except Exception as exc:  # the resolver path reports the bad argument
            raise Fallback("invalid page arguments") from exc

    # --- root fields ------------------------------------------------------------------

    def root(self, field: GraphQLField, nodes: list[FieldNode]) -> RootPlan:
        definition = field.extensions.get(STRAWBERRY)
        spec = sql_of(definition) if definition is not None else None
        if not isinstance(spec, (RootConnection, RootGet, TenantRow)):
            raise Fallback(f"root field {nodes[0].name.value} is not declared for SQL")
        self.check_permissions(field)
        args = self.arguments(field, nodes[0])
        named, _ = _unwrap(field.type)
        first = nodes[0]
        self.path = [first.alias.value if first.alias else first.name.value]
        self.root_is_object = not isinstance(spec, RootConnection)
        self.null_errors = []
        if isinstance(spec, TenantRow):
            own = own_row(spec.model, self.env.tenant_id)
            body = self.node_object(named, own.table, self.collect(named, nodes))
            return RootPlan(own.select(body), None, null_errors=tuple(self.null_errors))
        if isinstance(spec, RootGet):
            self._check_module(named.name)
            pk = decode_id(str(args["id"]), named.name)
            if pk is None:
                return RootPlan(statement=None, not_found=f"{spec.what} not found")
            table = self._table(spec.model)
            body = self.node_object(named, table.table, self.collect(named, nodes))
            statement = table.select(body).where(table.c.id == pk)
            return RootPlan(statement=statement, not_found=f"{spec.what} not found")
        table = self._table(spec.model)
        where = self._adapt(table.table, spec.filter_of(args.get("filter")).conditions(self.env))
        field_name, direction = spec.order_of(args.get("orderBy"))
        order = self._order(table.table, spec.order_columns[field_name], direction)
        body = self.connection(named, nodes, spec.model, table, where, order, self.page_args(args))
        return RootPlan(statement=select(body), not_found=None)

    # --- objects ------------------------------------------------------------------------

    def node_object(
        self, type_: GraphQLObjectType, row: Any, fields: dict[str, list[FieldNode]]
    ) -> ColumnElement[Any]:
        """The JSON object of the selected `fields` of one row of `type_` (a node type)."""
        self._check_module(type_.name)
        self.depth += 1
        try:
            if self.env.dialect == "sqlite" and self.depth > SQLITE_MAX_NESTING:
                # SQLite's parser has a fixed stack; deeper statements fail to parse.
                raise Fallback(f"nested deeper than {SQLITE_MAX_NESTING} objects on SQLite")
            pairs = self._fields(type_, row, fields)
        finally:
            self.depth -= 1
        return self.env.json_object(pairs)

    def _fields(
        self, type_: GraphQLObjectType, row: Any, fields: dict[str, list[FieldNode]]
    ) -> list[tuple[str, ColumnElement[Any]]]:
        pairs = []
        for key, nodes in fields.items():
            self.path.append(key)
            try:
                pairs.append((key, self.node_field(type_, row, nodes)))
            finally:
                self.path.pop()
        return pairs

    def node_field(
        self, type_: GraphQLObjectType, row: Any, nodes: list[FieldNode]
    ) -> ColumnElement[Any]:
        name = nodes[0].name.value
        env = self.env
        if name == "__typename":
            return literal(type_.name)
        if name == "id":
            return env.global_id(type_.name, row.c.id)
        if name == "objectId":
            return row.c.id
        field = type_.fields[name]
        definition = field.extensions.get(STRAWBERRY)
        if getattr(definition, "permission_classes", None):
            self.check_permissions(field)
        spec = sql_of(definition) if definition is not None else None
        named, is_list = _unwrap(field.type)
        if isinstance(spec, NotCompiled):
            raise Fallback(f"{type_.name}.{name}: {spec.reason}")
        if isinstance(spec, ToOne):
            return self._to_one(spec, named, row, nodes)
        if isinstance(spec, ToMany):
            return self._to_many(spec, named, row, nodes)
        if isinstance(spec, ToOneBy):
            return self._to_one_by(spec, named, row, nodes)
        if isinstance(spec, EdgeConnection):
            return self._edge(spec, field, named, row, nodes)
        if isinstance(spec, MoneyOf):
            return self._money(spec, named, row, nodes)
        if isinstance(spec, Computed):
            return self._present(named, spec.sql(row, env), kind=spec.kind)
        if isinstance(spec, Namespace) and not spec.prefix:
            return env.json_object(self._fields(named, row, self.collect(named, nodes)))
        if isinstance(spec, Report):
            return plan_report(self, spec, field, row, nodes)
        if getattr(definition, "base_resolver", None) is not None:
            # Its own resolver decides its value; without a declaration it is not a column.
            raise Fallback(f"{type_.name}.{name} has a resolver and no SQL declaration")
        if field.args and any(n.arguments for n in nodes):
            raise Fallback(f"{type_.name}.{name} takes arguments")
        column = getattr(definition, "python_name", name)
        if column not in row.c or is_list or isinstance(named, GraphQLObjectType):
            raise Fallback(f"{type_.name}.{name} is not a column")
        return self._present(named, row.c[column])

    def _present(
        self, named: Any, value: ColumnElement[Any], kind: str | None = None
    ) -> ColumnElement[Any]:
        env = self.env
        if kind == "bool":
            return env.boolean(func.coalesce(value, False))  # a computed flag is never null
        if isinstance(named, GraphQLScalarType) and named.name == "Boolean":
            return env.boolean(value)
        if isinstance(named, GraphQLEnumType):
            return env.enum_name(value)
        scalar = named.name if isinstance(named, GraphQLScalarType) else None
        if scalar in ("String", "ID", "Int"):
            return value
        if scalar == "Decimal" or kind == "decimal":
            return env.decimal(value)
        if scalar == "Date":
            return env.date(value)
        if scalar == "DateTime":
            return env.datetime(value)
        raise Fallback(f"no SQL presentation for {named}")

    def _money(
        self, spec: MoneyOf, named: GraphQLObjectType, row: Any, nodes: list[FieldNode]
    ) -> ColumnElement[Any]:
        amount = (
            row.c[spec.amount] if isinstance(spec.amount, str) else spec.amount.sql(row, self.env)
        )
        return self.money_object(named, amount, row.c[spec.currency], nodes)

    def money_object(
        self,
        named: GraphQLObjectType,
        amount: ColumnElement[Any],
        currency: ColumnElement[Any],
        nodes: list[FieldNode],
    ) -> ColumnElement[Any]:
        parts = []
        for key, sub in self.collect(named, nodes).items():
            name = sub[0].name.value
            if name == "amount":
                parts.append((key, self.env.decimal(amount)))
            elif name == "currency":
                parts.append((key, currency))
            elif name == "__typename":
                parts.append((key, literal(named.name)))
            else:
                raise Fallback(f"Money.{name}")
        return self.env.json_object(parts)

    def _to_one(
        self, spec: ToOne, named: GraphQLObjectType, row: Any, nodes: list[FieldNode]
    ) -> ColumnElement[Any]:
        return self.to_one_at(spec, named, row.c[spec.fk], nodes)

    def to_one_at(
        self, spec: ToOne, named: GraphQLObjectType, key: Any, nodes: list[FieldNode]
    ) -> ColumnElement[Any]:
        """The node object of the `spec.model` row whose id is `key`, or null."""
        target = self._table(spec.model)
        body = self.node_object(named, target.table, self.collect(named, nodes))
        sub = target.select(body).where(target.c.id == key).scalar_subquery()
        return self.env.embed(sub)

    def _to_one_by(
        self, spec: ToOneBy, named: GraphQLObjectType, row: Any, nodes: list[FieldNode]
    ) -> ColumnElement[Any]:
        target = self._table(spec.model)
        body = self.node_object(named, target.table, self.collect(named, nodes))
        sub = (
            target.select(body)
            .where(target.c[spec.fk] == row.c.id, *spec.where(target.table))
            .order_by(*[target.c[c] for c in spec.order_by])
            .limit(1)
            .scalar_subquery()
        )
        return self.env.embed(sub)

    def _to_many(
        self, spec: ToMany, named: GraphQLObjectType, row: Any, nodes: list[FieldNode]
    ) -> ColumnElement[Any]:
        target = self._table(spec.model)
        order = [target.c[c] for c in spec.order_by]
        ordered = (
            target.select(*target.c)
            .where(target.c[spec.fk] == row.c.id)
            .order_by(*order)
            .correlate(row)
            .subquery()
        )
        body = self.node_object(named, ordered, self.collect(named, nodes))
        aggregate = self.env.json_array(body, order_by=[ordered.c[c] for c in spec.order_by])
        return self.env.embed(select(aggregate).select_from(ordered).scalar_subquery())

    def _edge(
        self,
        spec: EdgeConnection,
        field: GraphQLField,
        named: GraphQLObjectType,
        row: Any,
        nodes: list[FieldNode],
    ) -> ColumnElement[Any]:
        if spec.module:
            self._require_module(spec.module)
        if len(nodes) > 1:
            raise Fallback("edge selected twice under one key")
        args = self.arguments(field, nodes[0])
        target = self._table(spec.model)
        where = [
            target.c[spec.fk] == row.c.id,
            *self._adapt(target.table, spec.filter_of(args.get("filter")).conditions(self.env)),
        ]
        field_name, direction = spec.order_of(args.get("orderBy"))
        order = self._order(target.table, spec.order_columns[field_name], direction)
        body = self.connection(
            named, nodes, spec.model, target, where, order, self.page_args(args), correlate=row
        )
        return self.env.embed(select(body).scalar_subquery())

    # --- connections --------------------------------------------------------------------

    def connection(
        self,
        conn_type: GraphQLObjectType,
        nodes: list[FieldNode],
        model: type[Any],
        table: TenantTable,
        where: list[ColumnElement[bool]],
        order: list[ColumnElement[Any]],
        args: PageArgs,
        correlate: Any | None = None,
    ) -> ColumnElement[Any]:
        """A connection object, computed from one numbered page of rows. The page and
        its total come from one window over the filtered rows, as the resolver path's
        `fetch_pages` does, so both give the same pages and cursors."""
        env = self.env
        counting = table.select(func.count()).where(*where)
        if correlate is not None:
            counting = counting.correlate(correlate)
        count_all = counting.scalar_subquery()
        if correlate is None and args.last is None:
            numbered = self._forward_page(table, where, order, args, count_all)
        else:
            numbered = table.select(
                *table.c,
                func.row_number().over(order_by=order).label("lg_pos"),
                func.count().over().label("lg_total"),
            ).where(*where)
            if correlate is not None:  # an edge: the parent row comes from the enclosing query
                numbered = numbered.correlate(correlate)
            numbered = numbered.subquery()
        bounds = window_bounds(numbered.c.lg_pos, numbered.c.lg_total, args)
        page = select(numbered).where(bounds).order_by(numbered.c.lg_pos).subquery()
        node_type = _unwrap(conn_type.fields["edges"].type)[0].fields["node"].type
        node_named = _unwrap(node_type)[0]
        parts: list[tuple[str, ColumnElement[Any]]] = []
        for key, sub in self.collect(conn_type, nodes).items():
            name = sub[0].name.value
            if name == "totalCount":
                parts.append((key, func.coalesce(func.max(page.c.lg_total), count_all)))
            elif name == "nodes":
                body = self.node_object(node_named, page, self.collect(node_named, sub))
                parts.append((key, env.json_array(body, order_by=[page.c.lg_pos])))
            elif name == "edges":
                edge_type = _unwrap(conn_type.fields["edges"].type)[0]
                parts.append(
                    (
                        key,
                        env.json_array(
                            self._edge_object(edge_type, node_named, page, sub),
                            order_by=[page.c.lg_pos],
                        ),
                    )
                )
            elif name == "pageInfo":
                parts.append(
                    (key, self._page_info(_unwrap(conn_type.fields["pageInfo"].type)[0], page, sub))
                )
            elif name == "__typename":
                parts.append((key, literal(conn_type.name)))
            else:
                raise Fallback(f"{conn_type.name}.{name}")
        return select(env.json_object(parts)).select_from(page).scalar_subquery()

    @staticmethod
    def _forward_page(
        table: TenantTable,
        where: list[ColumnElement[bool]],
        order: list[ColumnElement[Any]],
        args: PageArgs,
        count_all: Any,
    ) -> Any:
        """A forward page of a whole list: LIMIT/OFFSET, so an index can stop early,
        numbered from the offset (the same positions the window would give)."""
        start = args.after or 0
        limited = (
            table.select(*table.c)
            .where(*where)
            .order_by(*order)
            .limit(args.first or 0)
            .offset(start)
            .subquery()
        )
        adapter = ClauseAdapter(limited)
        return select(
            *limited.c,
            (
                literal(start)
                + func.row_number().over(order_by=[adapter.traverse(o) for o in order])
            ).label("lg_pos"),
            count_all.label("lg_total"),
        ).subquery()

    def _edge_object(
        self,
        edge_type: GraphQLObjectType,
        node_type: GraphQLObjectType,
        page: Any,
        nodes: list[FieldNode],
    ) -> ColumnElement[Any]:
        parts: list[tuple[str, ColumnElement[Any]]] = []
        for key, sub in self.collect(edge_type, nodes).items():
            name = sub[0].name.value
            if name == "cursor":
                parts.append((key, self.env.cursor(page.c.lg_pos)))
            elif name == "node":
                parts.append((key, self.node_object(node_type, page, self.collect(node_type, sub))))
            elif name == "__typename":
                parts.append((key, literal(edge_type.name)))
            else:
                raise Fallback(f"{edge_type.name}.{name}")
        return self.env.json_object(parts)

    def _page_info(
        self, info_type: GraphQLObjectType, page: Any, nodes: list[FieldNode]
    ) -> ColumnElement[Any]:
        env = self.env
        first, last, total = (
            func.min(page.c.lg_pos),
            func.max(page.c.lg_pos),
            func.max(page.c.lg_total),
        )
        parts: list[tuple[str, ColumnElement[Any]]] = []
        for key, sub in self.collect(info_type, nodes).items():
            name = sub[0].name.value
            if name == "hasNextPage":
                parts.append((key, env.boolean(func.coalesce(last < total, False))))
            elif name == "hasPreviousPage":
                parts.append((key, env.boolean(func.coalesce(first > 1, False))))
            elif name == "startCursor":
                parts.append((key, env.cursor(first)))
            elif name == "endCursor":
                parts.append((key, env.cursor(last)))
            elif name == "__typename":
                parts.append((key, literal(info_type.name)))
            else:
                raise Fallback(f"PageInfo.{name}")
        return env.json_object(parts)

    # --- helpers ---------------------------------------------------------------------------

    def _table(self, model: type[Any]) -> TenantTable:
        return tenant_table(model, self.env.tenant_id)

    @staticmethod
    def _adapt(table: Any, conditions: list[ColumnElement[bool]]) -> list[ColumnElement[bool]]:
        adapter = ClauseAdapter(table)
        return [adapter.traverse(c) for c in conditions]

    @staticmethod
    def _order(table: Any, column: Any, direction: str) -> list[ColumnElement[Any]]:
        col = table.c[column.key]
        if direction == "desc":
            return [col.desc(), table.c.id.desc()]
        return [col.asc(), table.c.id.asc()]
