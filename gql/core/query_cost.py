"""The worst-case row count of a query: the product of page sizes down each branch,
summed over branches. A query above the limit is refused before any SQL runs, on the
resolver path (this extension) and the compiled path alike (which defers to it)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)
from strawberry.extensions import SchemaExtension

from gql.settings import Settings


def _named(type_: Any) -> Any:
    while isinstance(type_, (GraphQLNonNull, GraphQLList)):
        type_ = type_.of_type
    return type_


def _is_connection(type_: Any) -> bool:
    return (
        isinstance(type_, GraphQLObjectType)
        and "pageInfo" in type_.fields
        and "edges" in type_.fields
    )


class _Counter:
    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        variables: dict[str, Any],
        default_page: int,
    ) -> None:
        self.schema = schema
        self.variables = variables
        self.default_page = default_page
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }

    def rows(
        self, type_: Any, selection_set: SelectionSetNode | None, seen: frozenset[str] = frozenset()
    ) -> int:
        if selection_set is None or not isinstance(type_, GraphQLObjectType):
            return 0
        total = 0
        for node, owner in self._fields(type_, selection_set, seen):
            field = owner.fields.get(node.name.value)
            if field is None:
                continue
            child = _named(field.type)
            if _is_connection(child):
                size = self._page_size(node) or self.default_page
                total += size * (1 + self.rows(child, node.selection_set, seen))
            elif owner is self.schema.query_type and node.name.value == "nodes":
                ids = self._argument(node, "ids")
                size = len(ids) if isinstance(ids, list) else self.default_page
                total += size * (1 + self._interface_rows(node, seen))
            else:
                total += self.rows(child, node.selection_set, seen)
        return total

    def _interface_rows(self, node: FieldNode, seen: frozenset[str]) -> int:
        # node/nodes return an interface: count the heaviest possible object type.
        best = 0
        for type_ in self.schema.type_map.values():
            if isinstance(type_, GraphQLObjectType) and any(
                i.name == "Node" for i in type_.interfaces
            ):
                best = max(best, self.rows(type_, node.selection_set, seen))
        return best

    def _fields(
        self, type_: GraphQLObjectType, selection_set: SelectionSetNode, seen: frozenset[str]
    ) -> Iterator[tuple[FieldNode, GraphQLObjectType]]:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                yield selection, type_
            elif isinstance(selection, InlineFragmentNode):
                target = self._condition(type_, selection.type_condition)
                yield from self._fields(target, selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in seen:
                    target = self._condition(type_, fragment.type_condition)
                    yield from self._fields(target, fragment.selection_set, seen | {name})

    def _condition(self, type_: GraphQLObjectType, condition: Any) -> GraphQLObjectType:
        if condition is None:
            return type_
        target = self.schema.type_map.get(condition.name.value)
        return target if isinstance(target, GraphQLObjectType) else type_

    def _argument(self, node: FieldNode, name: str) -> Any:
        for argument in node.arguments or ():
            if argument.name.value == name:
                value = argument.value
                if isinstance(value, VariableNode):
                    return self.variables.get(value.name.value)
                if hasattr(value, "values"):
                    return list(value.values)
                return getattr(value, "value", None)
        return None

    def _page_size(self, node: FieldNode) -> int | None:
        for name in ("first", "last"):
            value = self._argument(node, name)
            if value is not None:
                try:
                    return max(int(value), 0)
                except (TypeError, ValueError):
                    return None
        return None


def worst_case_rows(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: dict[str, Any] | None,
    default_page: int,
) -> int:
    root = schema.get_root_type(operation.operation)
    counter = _Counter(schema, document, variables or {}, default_page)
    return counter.rows(root, operation.selection_set)


def too_large_error(rows: int, limit: int) -> GraphQLError:
    return GraphQLError(
        f"This query could return up to {rows} rows, above the limit of {limit}; "
        "ask for smaller pages (first/last) or fewer nested connections.",
        extensions={"code": "QUERY_TOO_LARGE", "worstCaseRows": rows, "limit": limit},
    )


class RowLimit(SchemaExtension):
    """Refuses, at validation, a query whose worst-case row count is above the limit."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and not context.pre_execution_errors:
            operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
            name = context.operation_name
            operation = next(
                (o for o in operations if name is None or (o.name and o.name.value == name)), None
            )
            if operation is not None:
                rows = worst_case_rows(
                    context.schema._schema,
                    document,
                    operation,
                    context.variables,
                    self.settings.default_page_size,
                )
                if rows > self.settings.max_query_rows:
                    context.pre_execution_errors = [
                        too_large_error(rows, self.settings.max_query_rows)
                    ]
        yield
