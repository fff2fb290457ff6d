"""One execution of a subscription's selection per group and event, its result sent to
every member: the hooks in graphql-core's executor that make that possible.

graphql-core maps each item of a subscription's source stream to a result by executing
the selection with the item as root (`build_per_event_executor(item).execute_operation`).
Our streams (`NodeStream`) yield `Ready` items, results the group has already
computed: the executor answers them as they are. The group computes with one member's
executor (`execute`), which is known once graphql-core wraps the member's stream
(`cancellable_iterable`, called once per subscription before its first event).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterable
from typing import TYPE_CHECKING, Any, TypeVar

from graphql import ExecutionResult, GraphQLError, print_ast

from gql.core.execution import LeafShortcutExecution

if TYPE_CHECKING:
    from gql.subscriptions.bus import Listener

T = TypeVar("T")


class Ready:
    """A result computed for a group, standing in for graphql-core's per-event executor."""

    __slots__ = ("result",)

    def __init__(self, result: ExecutionResult) -> None:
        self.result = result

    def execute_operation(self, serially: bool | None = None) -> ExecutionResult:
        # Each member's own copy: the extensions may rewrite its errors (masking).
        errors = list(self.result.errors) if self.result.errors else None
        return ExecutionResult(self.result.data, errors, self.result.extensions)


class Revoked:
    """The last item of a subscription whose viewer lost access: its error."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


class NodeStream:
    """The source stream of one subscription: the results its group resolved."""

    def __init__(self, listener: Listener) -> None:
        self.listener = listener
        self.open = True  # counted in context.subscriptions

    def attach(self, executor: SharedEventExecution) -> None:
        self.listener.bus.attach(self.listener, executor)

    def __aiter__(self) -> NodeStream:
        return self

    async def __anext__(self) -> Ready:
        item = await self.listener.queue.get()
        if isinstance(item, Revoked):
            # graphql-transport-ws: a last `next` carrying this error, then `complete`.
            raise GraphQLError(item.message, extensions={"code": "FORBIDDEN"})
        return item

    async def aclose(self) -> None:
        if self.open:
            self.open = False
            self.listener.context.subscriptions -= 1
            self.listener.bus.drop(self.listener)


class SharedEventExecution(LeafShortcutExecution):
    def cancellable_iterable(self, iterable: AsyncIterable[T]) -> AsyncIterable[T]:
        if isinstance(iterable, NodeStream):
            iterable.attach(self)
        return super().cancellable_iterable(iterable)

    def build_per_event_executor(self, payload: Any) -> Any:
        if isinstance(payload, Ready):
            return payload
        return super().build_per_event_executor(payload)

    def selection_key(self) -> tuple[Any, ...]:
        """What makes two subscriptions' results equal, viewer aside: the operation
        (with its fragments) and the variables' values."""
        location = self.operation.loc
        text = location.source.body if location is not None else print_ast(self.operation)
        name = self.operation.name.value if self.operation.name else None
        variables = json.dumps(self.variable_values.coerced, sort_keys=True, default=repr)
        return (text, name, variables)

    async def execute(self, node: Any) -> ExecutionResult:
        """The selection over `node`, as graphql-core would run it for one event."""
        result = super().build_per_event_executor(node).execute_operation(False)
        if self.is_awaitable(result):
            result = await result
        return result  # type: ignore[return-value]  # (a subscription never streams)
