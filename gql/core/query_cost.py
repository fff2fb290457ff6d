"""The calculated cost of a GraphQL request, the way Shopify calculates it.

The rule (README, "Query cost and throttling"):

- a scalar or enum field costs 0 (`__typename` too);
- an object field (an object, interface or union, a list of them included) costs 1
  plus the cost of its selection;
- a connection (a type with `edges` and `pageInfo`) costs 2 plus its page size
  (`first` or `last`; the default page size when neither is given) times the cost of
  what is selected under it (its `nodes`/`edges`/`node`/`pageInfo` add nothing
  themselves: what counts is the node's selection, once per node);
- a mutation's root field costs 10 (its payload included);
- fragments count where they are spread, as if written out (each fragment measured
  once per type it is spread into, so a chain of fragments is not walked 2^n times).

This one number is the request's `requestedQueryCost` in `extensions.cost`, what the
company's bucket pays (gql/core/throttle.py), and what `max_query_cost` limits
(gql/core/admission.py). Page sizes may be variables, so it is computed per document
text and variables, and cached on that key (`QueryCosts`).
"""

from __future__ import annotations

import json
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
)

from gql.core.lru import LRU

OBJECT_COST = 1
CONNECTION_COST = 2
MUTATION_COST = 10
# A connection's own fields: the page's scaffolding, free; the nodes under them count.
CONNECTION_PARTS = frozenset({"edges", "node", "nodes", "pageInfo"})

Composite = GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType


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


class _Coster:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any],
        default_page: int,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.default_page = default_page
        self.done: dict[tuple[str, str, bool], int] = {}
        self.active: set[tuple[str, str, bool]] = set()

    def selection(self, type_: Any, selection_set: SelectionSetNode | None, page: bool) -> int:
        """The cost of `selection_set` on `type_`; `page`: inside a connection, whose
        scaffolding fields are free."""
        if selection_set is None or not isinstance(type_, Composite):
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(type_, selection, page)
            elif isinstance(selection, InlineFragmentNode):
                target = self._condition(type_, selection.type_condition)
                total += self.selection(target, selection.selection_set, page)
            elif isinstance(selection, FragmentSpreadNode):
                total += self._fragment(type_, selection.name.value, page)
        return total

    def field(self, owner: Any, node: FieldNode, page: bool) -> int:
        fields = getattr(owner, "fields", {})
        field_def = fields.get(node.name.value)
        if field_def is None:
            return 0  # __typename, or a field validation refuses
        child = _named(field_def.type)
        if _is_connection(child):
            size = self._page_size(node)
            per_node = self.selection(child, node.selection_set, page=True)
            return CONNECTION_COST + (self.default_page if size is None else size) * per_node
        if not isinstance(child, Composite):
            return 0
        if page and node.name.value in CONNECTION_PARTS:
            # edges { node { ... } } and nodes { ... }: only what the node selects counts.
            return self.selection(child, node.selection_set, page=node.name.value == "edges")
        return OBJECT_COST + self.selection(child, node.selection_set, page=False)

    def _fragment(self, type_: Any, name: str, page: bool) -> int:
        key = (name, type_.name, page)
        if key in self.done:
            return self.done[key]
        fragment = self.fragments.get(name)
        if fragment is None or key in self.active:
            return 0  # unknown or cyclic: validation refuses it
        self.active.add(key)
        cost = self.selection(
            self._condition(type_, fragment.type_condition), fragment.selection_set, page
        )
        self.active.discard(key)
        self.done[key] = cost
        return cost

    def _condition(self, type_: Any, condition: Any) -> Any:
        if condition is None:
            return type_
        target = self.schema.type_map.get(condition.name.value)
        return target if isinstance(target, Composite) else type_

    def _page_size(self, node: FieldNode) -> int | None:
        for argument in node.arguments or ():
            if argument.name.value not in ("first", "last"):
                continue
            value = argument.value
            raw = (
                self.variables.get(value.name.value)
                if isinstance(value, VariableNode)
                else getattr(value, "value", None)
            )
            if raw is None:
                continue
            try:
                return max(int(raw), 0)
            except (TypeError, ValueError):
                return None  # validation or coercion refuses it
        return None


def requested_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: dict[str, Any] | None,
    default_page: int,
) -> int:
    """The operation's cost by the rule above."""
    if operation.operation is OperationType.MUTATION:
        return MUTATION_COST * sum(
            1 for s in operation.selection_set.selections if isinstance(s, FieldNode)
        )
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    coster = _Coster(schema, fragments, variables or {}, default_page)
    root = schema.get_root_type(operation.operation)
    return coster.selection(root, operation.selection_set, page=False)


def variables_key(variables: dict[str, Any] | None) -> str:
    """The variables as a cache key's part (the same text for the same values). Most
    requests have none: json.dumps with these options costs ~5 us even for {}."""
    if not variables:
        return "{}"
    return json.dumps(variables, sort_keys=True, default=str)


class QueryCosts:
    """Costs by document text, operation and variables, so a request's cost is computed
    once whoever asks (the cost limit, the bucket, the response's extensions)."""

    def __init__(self, schema: GraphQLSchema, default_page: int, maxsize: int = 1024) -> None:
        self.schema = schema
        self.default_page = default_page
        self._costs: LRU[tuple[str, str | None, str], int] = LRU(maxsize=maxsize)

    def cost(
        self,
        query: str,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: dict[str, Any] | None,
    ) -> int:
        name = operation.name.value if operation.name else None
        key = (query, name, variables_key(variables))
        known = self._costs.get(key)
        if known is None:
            known = requested_cost(self.schema, document, operation, variables, self.default_page)
            self._costs.put(key, known)
        return known
