"""The length cap on text filters: every String inside a field's `filter` argument is
at most `max_search_length` characters. Checked before any SQL runs, by admission
(gql/core/admission.py), on both read paths."""

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

from gql.core.errors import BadInputError

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


FilterSite = tuple[ArgumentNode, Any]  # a `filter` argument and its input type


class _FilterSites(Visitor):
    def __init__(self, type_info: TypeInfo) -> None:
        super().__init__()
        self.type_info = type_info
        self.sites: list[FilterSite] = []

    def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
        argument = self.type_info.get_argument()
        if node.name.value == FILTER_ARGUMENT and argument is not None:
            self.sites.append((node, argument.type))


def filter_sites(schema: GraphQLSchema, document: DocumentNode) -> tuple[FilterSite, ...]:
    """Every `filter` argument of `document` with its input type: found once per
    document (a typed walk costs milliseconds), then checked per request."""
    type_info = TypeInfo(schema)
    visitor = _FilterSites(type_info)
    visit(document, TypeInfoVisitor(type_info, visitor))
    return tuple(visitor.sites)


def filter_text_errors(
    sites: tuple[FilterSite, ...], variables: dict[str, Any] | None, limit: int
) -> list[GraphQLError]:
    """A BAD_USER_INPUT error for each text in a filter longer than `limit`."""
    errors: list[GraphQLError] = []
    for node, type_ in sites:
        value = value_from_ast_untyped(node.value, variables or {})
        for path, text in _texts(value, type_, FILTER_ARGUMENT):
            if len(text) > limit:
                message = f"{path}: must be at most {limit} characters"
                errors.append(BadInputError(message, field=path, nodes=node))
    return errors
