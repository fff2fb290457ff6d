"""Query limits and error masking: the extensions every schema runs with."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode
from strawberry.extensions import (
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)

from gql.core.query_cost import RowLimit
from gql.core.text_limits import FilterTextLimit
from gql.settings import Settings

log = logging.getLogger("ledgergraph.graphql")


def _is_expected(error: GraphQLError) -> bool:
    """Parse, validation and variable errors (no original error, or a GraphQLError
    raised on purpose) are the client's to see; anything else is a bug of ours."""
    original = error.original_error
    return original is None or isinstance(original, GraphQLError)


class MaskUnexpectedErrors(MaskErrors):
    """Unexpected errors reach the client as a generic message with a request id; the
    real error is logged server-side under the same id."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=lambda e: not _is_expected(e))

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        request_id = getattr(self.execution_context.context, "request_id", "-")
        log.error(
            "unexpected error in %s (request %s)",
            ".".join(str(p) for p in error.path or []),
            request_id,
            exc_info=error.original_error,
        )
        return GraphQLError(
            f"Unexpected error (request id {request_id})",
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
        )


class OperationNameRequired(SchemaExtension):
    """A document with several operations must say which one to run (the GraphQL
    specification's GetOperation); strawberry would quietly run the first."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        # (operation_name falls back to the first operation; what the client sent is private)
        provided = context._provided_operation_name
        if document is not None and not context.pre_execution_errors and not provided:
            operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
            if len(operations) > 1:
                context.pre_execution_errors = [
                    GraphQLError(
                        "Must provide operation name if query contains multiple operations."
                    )
                ]
        yield


def extensions(settings: Settings) -> list[Any]:
    """Factories, so each request gets its own extension instances (the parser and
    validation caches behind them are shared and bounded)."""
    return [
        lambda: ParserCache(maxsize=512),
        lambda: ValidationCache(maxsize=512),
        lambda: QueryDepthLimiter(max_depth=settings.max_query_depth),
        lambda: MaxAliasesLimiter(max_alias_count=settings.max_aliases),
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        OperationNameRequired,
        lambda: RowLimit(settings),
        lambda: FilterTextLimit(settings),
        MaskUnexpectedErrors,
    ]
