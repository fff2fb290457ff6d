"""The resolver path's executor: graphql-core's, with a shortcut for plain leaves.

Most fields of a nested answer are plain columns (`number`, `quantity`, `name`): a
strawberry field without a resolver whose value is the row's attribute, serialized
by its scalar or enum. graphql-core runs each through its full machinery (resolve
info, argument coercion, strawberry's resolver wrapper, value completion), which
was most of the resolver path's CPU. Here such a field is read and serialized
directly; anything unusual about it (null where null is not allowed, a value the
scalar refuses, a getter that raises) goes the standard way, which reports the
error exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable
from types import GeneratorType
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    Undefined,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
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
Plan = list[tuple[str, FieldDetailsList, Leaf | None]]


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
        self.is_awaitable = _by_class(self.is_awaitable)  # type: ignore[assignment]

    def _plan(self, parent_type: GraphQLObjectType, fields: GroupedFieldSet) -> Plan:
        cached = self._plans.get(id(fields))
        if cached is not None and cached[0] is fields:
            return cached[1]
        plan: Plan = []
        for response_name, details in fields.items():
            field_def = self.schema.get_field(parent_type, details[0].node.name.value)
            leaf = None
            if field_def is not None and not details[0].node.arguments:
                leaf = _leaf_getter(field_def)
            plan.append((response_name, details, leaf))
        self._plans[id(fields)] = (fields, plan)
        return plan

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
            for response_name, details, leaf in self._plan(parent_type, grouped_field_set):
                if leaf is not None:
                    value = leaf(source_value)
                    if value is not _STANDARD:
                        results[response_name] = value
                        continue
                field_path = Path(path, response_name, parent_type.name)
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
