"""The extensions every schema runs with: admission (parse, limits, validation, rows)
and error masking."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import MaskErrors, SchemaExtension

from gql.core.admission import Admission, select_operation
from gql.core.failures import answer as failure_answer
from gql.core.failures import classify

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
        failure = classify(error)
        if failure is not None:
            # Not a bug: the database went away or time ran out under this field.
            log.warning("%s in %s (request %s)", failure.value, error.path, request_id)
            settings = self.execution_context.context.settings
            return GraphQLError(
                failure_answer(failure, settings.request_timeout_seconds).message,
                nodes=error.nodes,
                source=error.source,
                positions=error.positions,
                path=error.path,
                extensions={"code": failure.value, "requestId": request_id},
            )
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


class Admit(SchemaExtension):
    """Parsing and validation through the schema's `Admission` (linear-time limits
    before graphql-core's rules, outcomes cached by query text), then the checks that
    depend on the request: which operation runs, and its worst-case rows."""

    def _admission(self) -> Admission:
        return self.execution_context.schema.admission  # type: ignore[attr-defined,no-any-return]

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is None and context.query:
            admitted = self._admission().check(context.query)
            if admitted.document is None:
                raise admitted.errors[0]  # a request error: strawberry answers it as such
            context.graphql_document = admitted.document
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and context.query and context.pre_execution_errors is None:
            admission = self._admission()
            admitted = admission.check(context.query)
            errors = list(admitted.errors)
            if not errors:
                # (operation_name falls back to the first operation; what the client sent
                # is private)
                operation = select_operation(document, context._provided_operation_name)
                if isinstance(operation, GraphQLError):
                    errors = [operation]
                elif operation is not None:
                    errors = admission.request_errors(admitted, operation, context.variables)
            context.pre_execution_errors = errors
        yield


def extensions() -> list[Any]:
    """Factories, so each request gets its own extension instances (the caches behind
    them live on the schema, shared and bounded)."""
    return [Admit, MaskUnexpectedErrors]
