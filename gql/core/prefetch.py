"""Loading a page's edges before graphql-core walks it (the resolver path).

A root list (or a connection edge) knows its rows and the selection under them, so
it can ask every selected edge's dataloader for every row at once, level by level,
before it answers. The edge resolvers then find their values already loaded and
answer synchronously, so graphql-core completes the whole page without a coroutine,
a task or a gather per field. The batches are the ones the edges would have made
anyway (one per loader and level), so no statement is added.

Only plain field selections, and fragments on the row's own type, are followed;
anything else (directives, other type conditions, interfaces) is left to the edge
resolvers, which load it themselves as before. Nothing raises here: a failed load is
left for its edge resolver, which reports it at its own path.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    InlineFragmentNode,
    SelectionSetNode,
)
from strawberry.schema.schema_converter import GraphQLCoreConverter

from gql.auth.access import AccessDenied, Need, authorize
from gql.core.relay import module_of
from gql.domains.companies.modules import ModuleAlias

PREFETCH = "ledgergraph.prefetch"


@dataclass(frozen=True)
class Prefetch:
    """How an edge field loads: `loader` (a DataLoader class of the request's
    Loaders) keyed by `key_of(row)` (None: nothing to load for that row). `model` is
    the table of the rows it answers (None: it answers a value, not rows), whose
    module must be on."""

    loader: type[Any]
    key_of: Callable[[Any], Any]
    model: type[Any] | None


def settled(future: asyncio.Future[Any]) -> Any:
    """A loader's answer now when it is already loaded, else the future to await."""
    if future.done() and not future.cancelled():
        return future.result()
    return future


async def _settle_all(futures: list[asyncio.Future[Any]]) -> list[Any] | None:
    """The loaders' answers, or None when a load failed. Not a gather over every key's
    future: one batch answers all of its keys at once, so awaiting the first pending
    future of each batch is enough, without a callback per key."""
    for future in futures:
        if not future.done():
            await asyncio.wait((future,))
    if any(future.cancelled() or future.exception() is not None for future in futures):
        return None  # (each exception is retrieved, as a gather would have)
    return [future.result() for future in futures]


def _object_type(graphql_type: Any) -> GraphQLObjectType | None:
    while isinstance(graphql_type, (GraphQLNonNull, GraphQLList)):
        graphql_type = graphql_type.of_type
    return graphql_type if isinstance(graphql_type, GraphQLObjectType) else None


def _fields(
    selection_set: SelectionSetNode | None, type_name: str, fragments: dict[str, Any]
) -> Iterable[FieldNode]:
    """The field selections of `selection_set` that certainly apply to `type_name`."""
    for selection in selection_set.selections if selection_set else ():
        if selection.directives:
            continue  # @skip / @include: left to the resolvers
        if isinstance(selection, FieldNode):
            yield selection
            continue
        if isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
        elif isinstance(selection, InlineFragmentNode):
            fragment = selection
        else:
            continue
        condition = getattr(fragment, "type_condition", None)
        if fragment is not None and (condition is None or condition.name.value == type_name):
            yield from _fields(fragment.selection_set, type_name, fragments)


class _Walk:
    def __init__(self, info: Any) -> None:
        raw = info._raw_info
        self.context = info.context
        self.schema = raw.schema
        self.fragments = raw.fragments

    def _module_on(self, model: type[Any]) -> bool:
        module = module_of(model)
        if module is None:
            return True
        try:
            authorize(self.context.viewer, Need(module=ModuleAlias(module)))
        except AccessDenied:
            return False
        return True

    async def rows(
        self, rows: list[Any], object_type: GraphQLObjectType, selections: Iterable[FieldNode]
    ) -> None:
        """Load every prefetchable edge selected on `rows`, then the edges under those."""
        if not rows:
            return
        started: list[tuple[Any, Any, FieldNode, GraphQLObjectType | None]] = []
        for node in selections:
            field_def = object_type.fields.get(node.name.value)
            if field_def is None or node.arguments:
                continue
            field = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
            spec = ((field and field.metadata) or {}).get(PREFETCH)
            if spec is None or (spec.model is not None and not self._module_on(spec.model)):
                continue
            loader = self.context.loaders.get(spec.loader)
            # Every key is queued now, so sibling edges share their batches.
            answers = [loader.load(key) for key in map(spec.key_of, rows) if key is not None]
            child_type = _object_type(field_def.type) if spec.model is not None else None
            started.append((spec, answers, node, child_type))
        below = []
        for _spec, answers, node, child_type in started:
            loaded = await _settle_all(answers)
            if loaded is None:  # the edge's resolver reports it, at its own path
                continue
            if child_type is None or node.selection_set is None:
                continue
            children: list[Any] = []
            for value in loaded:
                if isinstance(value, list):
                    children.extend(value)
                elif value is not None:
                    children.append(value)
            fields = list(_fields(node.selection_set, child_type.name, self.fragments))
            below.append(self.rows(children, child_type, fields))
        if below:
            await asyncio.gather(*below)


async def prefetch_page(info: Any, rows: list[Any]) -> None:
    """For a connection field: the edges selected under `nodes` and `edges { node }`."""
    raw = info._raw_info
    connection_type = _object_type(raw.return_type)
    if connection_type is None or not rows:
        return
    walk = _Walk(info)
    node_type: GraphQLObjectType | None = None
    selections: list[FieldNode] = []
    for field_node in raw.field_nodes:
        for node in _fields(field_node.selection_set, connection_type.name, walk.fragments):
            if node.name.value == "nodes":
                node_type = _object_type(connection_type.fields["nodes"].type)
                if node_type is not None:
                    selections += _fields(node.selection_set, node_type.name, walk.fragments)
            elif node.name.value == "edges":
                edge_type = _object_type(connection_type.fields["edges"].type)
                if edge_type is None:
                    continue
                for edge_field in _fields(node.selection_set, edge_type.name, walk.fragments):
                    if edge_field.name.value == "node":
                        node_type = _object_type(edge_type.fields["node"].type)
                        if node_type is not None:
                            selections += _fields(
                                edge_field.selection_set, node_type.name, walk.fragments
                            )
    if node_type is not None and selections:
        await walk.rows(rows, node_type, selections)


async def prefetch_row(info: Any, row: Any) -> None:
    """For a field answering one row: the edges selected on it."""
    raw = info._raw_info
    object_type = _object_type(raw.return_type)
    if object_type is None or row is None:
        return
    walk = _Walk(info)
    selections = [
        node
        for field_node in raw.field_nodes
        for node in _fields(field_node.selection_set, object_type.name, walk.fragments)
    ]
    await walk.rows([row], object_type, selections)
