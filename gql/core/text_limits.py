"""The length cap on text filters: every String inside a field's `filter` argument is
at most `max_search_length` characters. Checked before any SQL runs, on the resolver
path (this extension) and the compiled path alike (which defers to it)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLSchema,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    value_from_ast_untyped,
    visit,
)
from graphql.type import GraphQLString
from strawberry.extensions import SchemaExtension

from gql.core.errors import BadInputError
from gql.settings import Settings

FILTER_ARGUMENT = "filter"


def _texts(value: Any, type_: Any, path: str) -> Iterator[tuple[str, str]]:
    """(dotted path, text) of every String in `value`, read as the input type `type_`.
    The value is the client's, unchecked: anything not of the expected shape is left
    to GraphQL's own coercion to refuse."""
    while isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    if isinstance(type_, GraphQLList) and isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, type_.of_type, f"{path}[{index}]")
    elif isinstance(type_, GraphQLInputObjectType) and isinstance(value, dict):
        for name, field in type_.fields.items():
            if name in value:
                yield from _texts(value[name], field.type, f"{path}.{name}")
    elif type_ is GraphQLString and isinstance(value, str):
        yield path, value


class _FilterTexts(Visitor):
    def __init__(self, type_info: TypeInfo, variables: dict[str, Any], limit: int) -> None:
        super().__init__()
        self.type_info = type_info
        self.variables = variables
        self.limit = limit
        self.errors: list[GraphQLError] = []

    def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
        argument = self.type_info.get_argument()
        if node.name.value != FILTER_ARGUMENT or argument is None:
            return
        value = value_from_ast_untyped(node.value, self.variables)
        for path, text in _texts(value, argument.type, FILTER_ARGUMENT):
            if len(text) > self.limit:
                message = f"{path}: must be at most {self.limit} characters"
                self.errors.append(BadInputError(message, field=path, nodes=node))


def filter_text_errors(
    schema: GraphQLSchema, document: DocumentNode, variables: dict[str, Any] | None, limit: int
) -> list[GraphQLError]:
    """A BAD_USER_INPUT error for each text filter in `document` longer than `limit`."""
    type_info = TypeInfo(schema)
    visitor = _FilterTexts(type_info, variables or {}, limit)
    visit(document, TypeInfoVisitor(type_info, visitor))
    return visitor.errors


class FilterTextLimit(SchemaExtension):
    """Refuses, at validation, a query with a text filter over the length cap."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and not context.pre_execution_errors:
            errors = filter_text_errors(
                context.schema._schema,
                document,
                context.variables,
                self.settings.max_search_length,
            )
            if errors:
                context.pre_execution_errors = errors
        yield
