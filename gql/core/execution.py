"""The resolver path's executor: graphql-core's, with shortcuts for plain leaves and
for edges answered synchronously.

Most fields of a nested answer are plain columns (`number`, `quantity`, `name`): a
strawberry field without a resolver whose value is the row's attribute, serialized
by its scalar or enum. graphql-core runs each through its full machinery (resolve
info, argument coercion, strawberry's resolver wrapper, value completion), which
was most of the resolver path's CPU. Here such a field is read and serialized
directly; anything unusual about it (null where null is not allowed, a value the
scalar refuses, a getter that raises) goes the standard way, which reports the
error exactly as before.

An edge (a field with a DIRECT resolver, see below, answering an object or a list of
objects) whose value is already loaded is completed here too: its resolver is called
without building graphql-core's resolve info, and the object, or each item, goes
straight to `execute_fields`, without graphql-core's per-value dispatch (non-null,
list, leaf, abstract, object, sub-field collection). Errors are handled at the same
paths, by graphql-core's own `handle_field_error`, as its completion would; an
awaitable value or item goes to graphql-core's completion, anything deferred or
streamed takes the standard way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import GeneratorType
from typing import Any

from graphql import (
    ExecutionResult,
    GraphQLEnumType,
    GraphQLError,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    Undefined,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.execution.executor import invalid_return_type_error, to_nodes
from graphql.pyutils import AwaitableOrValue, Path, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter

# What a leaf getter answers when the field must take the standard path.
_STANDARD = object()

# The metadata key of a field's direct resolver: `(row, graphql_info) -> value`, for a
# field whose strawberry resolver needs nothing but the row and `info.context`.
DIRECT = "ledgergraph.direct"

# Classes whose instances are never awaitable (rows, Money, pages): graphql-core asks
# for every value, and for a pydantic model `hasattr(value, "__await__")` goes through
# its __getattr__ and an exception each time.
_NEVER_AWAITABLE: set[type[Any]] = set()

Leaf = Callable[[Any], Any]


@dataclass(frozen=True)
class _Edge:
    """A field completed here when its value is at hand: `resolve(row, info)` (its
    DIRECT resolver), answering `object_type` (a list of them when `item_type` is set),
    whose selection is `fields`."""

    field_def: GraphQLField
    resolve: Callable[[Any, Any], Any]
    non_null: bool
    item_type: GraphQLOutputType | None  # the list's item type; None: one object
    object_type: GraphQLObjectType
    fields: GroupedFieldSet


Plan = list[tuple[str, FieldDetailsList, Leaf | None, _Edge | None]]


@dataclass(frozen=True)
class _DirectInfo:
    """What a DIRECT resolver reads of its info: the context."""

    context: Any


def _leaf_getter(field_def: GraphQLField) -> Leaf | None:
    """A getter for a strawberry field with no resolver and a scalar or enum type (the
    attribute, serialized), or None when the field needs the standard path."""
    resolve = field_def.resolve
    if not getattr(resolve, "_is_default", False) or field_def.args:
        return None
    if getattr(resolve, "__name__", "") != "_get_basic_result":  # strawberry's plain field
        return None
    strawberry_field = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if strawberry_field is None or strawberry_field.default_resolver is not getattr:
        return None
    leaf_type: Any = field_def.type
    nullable = not isinstance(leaf_type, GraphQLNonNull)
    if not nullable:
        leaf_type = leaf_type.of_type
    if not isinstance(leaf_type, (GraphQLScalarType, GraphQLEnumType)):
        return None
    name = strawberry_field.python_name
    coerce = leaf_type.coerce_output_value

    def leaf(source: Any) -> Any:
        try:
            value = getattr(source, name)
            if value is None:
                return None if nullable else _STANDARD
            coerced = coerce(value)
        except Exception:  # the standard path raises it again, located
            return _STANDARD
        return _STANDARD if coerced is None or coerced is Undefined else coerced

    return leaf


def _by_class(is_awaitable: Callable[[Any], bool]) -> Callable[[Any], bool]:
    """`is_awaitable`, answered from the value's class once that class is known not to
    be awaitable (neither `__await__` nor a generator: a class attribute either way)."""

    def check(value: Any) -> bool:
        cls = type(value)
        if cls in _NEVER_AWAITABLE:
            return False
        if is_awaitable(value):
            return True
        if not hasattr(cls, "__await__") and not issubclass(cls, GeneratorType):
            _NEVER_AWAITABLE.add(cls)
        return False

    return check


def install_direct_resolvers(schema: GraphQLSchema) -> None:
    """graphql-core calls each field's DIRECT resolver itself, skipping strawberry's
    per-call wrapper (its Info, argument conversion and extension chain), for fields
    without arguments or field extensions (permission classes), where that wrapper
    does nothing."""
    for graphql_type in schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType):
            continue
        for field_def in graphql_type.fields.values():
            field = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
            if field is None:
                continue
            direct = (field.metadata or {}).get(DIRECT)
            if direct is not None and not field_def.args and not field.extensions:
                field_def.resolve = direct


def query_order(error: Mapping[str, Any]) -> tuple[Any, ...]:
    """A formatted error's place in the query: where its field is written, then its
    path (list indexes by number). Both read paths list their errors in this order."""
    locations = [(at["line"], at["column"]) for at in error.get("locations") or ()]
    path = [(0, p, "") if isinstance(p, int) else (1, 0, p) for p in error.get("path") or ()]
    return (locations, path)


def _query_order(error: GraphQLError) -> tuple[Any, ...]:
    return query_order(error.formatted)


class LeafShortcutExecution(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor (as strawberry configures it) whose `execute_fields`
    answers plain leaves directly (see the module's docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Per grouped field set (graphql-core memoizes them, so every row of a list
        # shares one): the set itself (kept so its id stays its own) and its plan.
        self._plans: dict[int, tuple[GroupedFieldSet, Plan]] = {}
        manager = self.middleware_manager
        self._shortcuts = not (manager and manager.middlewares)
        self._direct_info = _DirectInfo(self.context_value)
        self.is_awaitable = _by_class(self.is_awaitable)  # type: ignore[assignment]

    def build_response(self, data: dict[str, Any] | None) -> Any:
        # Errors in the order of the query, not in the order their fields finished
        # (a bad id fails before a missing one is looked up): the same order as the
        # compiled path's, whatever the timing.
        result = super().build_response(data)
        if isinstance(result, ExecutionResult) and result.errors:
            result.errors.sort(key=_query_order)
        return result

    def _plan(self, parent_type: GraphQLObjectType, fields: GroupedFieldSet) -> Plan:
        cached = self._plans.get(id(fields))
        if cached is not None and cached[0] is fields:
            return cached[1]
        plan: Plan = []
        for response_name, details in fields.items():
            field_def = self.schema.get_field(parent_type, details[0].node.name.value)
            leaf = edge = None
            if field_def is not None and not details[0].node.arguments:
                leaf = _leaf_getter(field_def)
                if leaf is None:
                    edge = self._edge(field_def, details)
            plan.append((response_name, details, leaf, edge))
        self._plans[id(fields)] = (fields, plan)
        return plan

    def _edge(self, field_def: GraphQLField, details: FieldDetailsList) -> _Edge | None:
        """How to complete `field_def` here, or None when it takes the standard way."""
        field = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
        direct = ((field and field.metadata) or {}).get(DIRECT)
        if direct is None or field_def.resolve is not direct or field_def.args:
            return None  # (install_direct_resolvers made it the field's resolver)
        if any(d.node.directives for d in details):  # @stream, among others
            return None
        field_type: Any = field_def.type
        non_null = isinstance(field_type, GraphQLNonNull)
        if non_null:
            field_type = field_type.of_type
        item_type = None
        if isinstance(field_type, GraphQLList):
            item_type = field_type.of_type
            field_type = item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type
        if not isinstance(field_type, GraphQLObjectType):
            return None
        fields, defers, _forbidden = self.collect_subfields(field_type, details)
        if defers:
            return None
        return _Edge(field_def, field_def.resolve, non_null, item_type, field_type, fields)

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> AwaitableOrValue[dict[str, Any]]:
        if not self._shortcuts:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        # graphql-core's execute_fields, with the shortcut first for each field.
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        try:
            for response_name, details, leaf, edge in self._plan(parent_type, grouped_field_set):
                if leaf is not None:
                    value = leaf(source_value)
                    if value is not _STANDARD:
                        results[response_name] = value
                        continue
                field_path = Path(path, response_name, parent_type.name)
                result = _STANDARD
                if edge is not None and position_context is None:
                    result = self._execute_edge(
                        edge, parent_type, source_value, details, field_path
                    )
                if result is _STANDARD:
                    result = self.execute_field(
                        parent_type, source_value, details, field_path, position_context
                    )
                if result is not Undefined:
                    results[response_name] = result
                    if is_awaitable(result):
                        awaitable_fields.append(response_name)
        except Exception:
            if awaitable_fields:
                # Settle what other fields started: they may fail too.
                self.settle_in_background([results[field] for field in awaitable_fields])
            raise

        if not awaitable_fields:
            return results

        async def get_results() -> dict[str, Any]:
            if len(awaitable_fields) == 1:
                field = awaitable_fields[0]
                results[field] = await results[field]
            else:
                awaited = await gather_with_cancel(*(results[field] for field in awaitable_fields))
                results.update(zip(awaitable_fields, awaited, strict=True))
            return results

        return get_results()

    # --- edges completed here (see the module's docstring) ----------------------------------

    def _execute_edge(
        self,
        edge: _Edge,
        parent_type: GraphQLObjectType,
        source: Any,
        details: FieldDetailsList,
        path: Path,
    ) -> Any:
        """graphql-core's execute_field for `edge`: its resolver called once, its value
        completed here when at hand, else by graphql-core's completion."""
        return_type = edge.field_def.type
        try:
            value = edge.resolve(source, self._direct_info)
            if self.is_awaitable(value) or (
                edge.item_type is not None
                and value is not None
                and (not isinstance(value, list) or any(map(self.is_awaitable, value)))
            ):
                info = self.build_resolve_info(edge.field_def, to_nodes(details), parent_type, path)
                if self.is_awaitable(value):
                    return self.complete_awaitable_value(
                        return_type, details, info, path, value, None
                    )
                completed = self.complete_value(return_type, details, info, path, value, None)
            else:
                completed = self._complete_edge(edge, parent_type, details, path, value)
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, details, path)
            return None
        if self.is_awaitable(completed):
            return self._settle(completed, return_type, details, path)
        return completed

    def _complete_edge(
        self,
        edge: _Edge,
        parent_type: GraphQLObjectType,
        details: FieldDetailsList,
        path: Path,
        value: Any,
    ) -> Any:
        """complete_value for the edge's type (a value at hand; a list's items none
        awaitable)."""
        if isinstance(value, Exception):
            raise value
        if value is None:
            if edge.non_null:
                raise TypeError(_null_message(parent_type, details))
            return None
        if edge.item_type is None:
            return self._complete_object(edge, details, path, value)
        item_type, non_null_items = edge.item_type, isinstance(edge.item_type, GraphQLNonNull)
        completed: list[Any] = []
        awaitable_indices: list[int] = []
        try:
            for index, item in enumerate(value):
                item_path = path.add_key(index, None)
                try:
                    if isinstance(item, Exception):
                        raise item
                    if item is None:
                        if non_null_items:
                            raise TypeError(_null_message(parent_type, details))
                        completed.append(None)
                        continue
                    item_value = self._complete_object(edge, details, item_path, item)
                except Exception as raw_error:
                    self.handle_field_error(raw_error, item_type, details, item_path)
                    completed.append(None)
                    continue
                if self.is_awaitable(item_value):
                    item_value = self._settle(item_value, item_type, details, item_path)
                    awaitable_indices.append(index)
                completed.append(item_value)
        except Exception:
            if awaitable_indices:
                self.settle_in_background([completed[index] for index in awaitable_indices])
            raise
        if not awaitable_indices:
            return completed
        return self._gather_items(completed, awaitable_indices)

    def _complete_object(
        self, edge: _Edge, details: FieldDetailsList, path: Path, value: Any
    ) -> AwaitableOrValue[dict[str, Any]]:
        """complete_object_value, with the sub-fields collected once per plan."""
        object_type = edge.object_type
        is_type_of = object_type.is_type_of
        # (Ours and strawberry's read only the value, never the info.)
        if is_type_of is not None and not is_type_of(value, None):  # type: ignore[arg-type]
            raise invalid_return_type_error(object_type, value, details)
        return self.execute_fields(object_type, value, path, edge.fields, None)

    async def _settle(
        self, awaitable: Any, return_type: Any, details: FieldDetailsList, path: Path
    ) -> Any:
        """An awaitable completion, its error handled at `path` as graphql-core would."""
        try:
            return await awaitable
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, details, path)
            return None

    @staticmethod
    async def _gather_items(completed: list[Any], indices: list[int]) -> list[Any]:
        if len(indices) == 1:
            completed[indices[0]] = await completed[indices[0]]
            return completed
        awaited = await gather_with_cancel(*(completed[index] for index in indices))
        for index, value in zip(indices, awaited, strict=True):
            completed[index] = value
        return completed


def _null_message(parent_type: GraphQLObjectType, details: FieldDetailsList) -> str:
    return (
        "Cannot return null for non-nullable field"
        f" {parent_type.name}.{details[0].node.name.value}."
    )
