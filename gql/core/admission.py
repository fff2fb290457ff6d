"""Admission of a GraphQL document: parse, measure, validate, in time linear in its size.

Every request, on the resolver path and the compiled path alike, goes through
`Admission.check` before anything runs. The order is the point: the cheap, linear
checks (tokens while parsing, then depth, aliases and field count) come before
graphql-core's validation, so a hostile document is refused before any rule that
could cost more than its size. Each fragment is measured once and its measure is
reused wherever it is spread, so a chain of fragments that each spread the previous
one twice costs one visit per fragment, not 2^n.

The worst-case row count and the query cost (gql/core/query_cost.py) depend on the
variables (page sizes), so they are measured per request, with the same kind of
memoised walk; the cost is cached by text and variables and limited by
`max_query_cost`.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property
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
    GraphQLSyntaxError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    parse,
    specified_rules,
    validate,
)
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from gql.core.query_cost import QueryCosts
from gql.core.text_limits import FilterSite, filter_sites, filter_text_errors
from gql.settings import Settings

# The rules strawberry validates with; the first errors are enough to act on, and each
# costs a scan of the text for its line and column.
VALIDATION_RULES = (*specified_rules, MaybeNullValidationRule, OneOfInputValidationRule)
MAX_ERRORS = 20

TOO_COMPLEX = "QUERY_TOO_COMPLEX"
TOO_LARGE = "QUERY_TOO_LARGE"
PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"


def coded(error: GraphQLError, code: str) -> GraphQLError:
    """graphql-core's parse and validation errors, with the code clients switch on."""
    if error.extensions and "code" in error.extensions:
        return error
    message, original = error.message, error.original_error
    extensions = {**(error.extensions or {}), "code": code}
    if isinstance(original, GraphQLError) and original.extensions:
        # A scalar refused the literal with its own code (BAD_USER_INPUT): keep it.
        extensions = {**original.extensions, **(error.extensions or {})}
    elif original is not None:
        # A literal Python could not read (an integer of 10,000 digits): the client's
        # value is at fault, not the server, so this is a validation error like others.
        message = f"A value in this query cannot be read: {original}".split(";")[0]
        original = None
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=original,
        extensions=extensions,
    )


# Each limit: the figure's name in the error's extensions, and what it measures.
LIMITS = {
    "length": ("characters of query text", "max_query_length"),
    "tokens": ("tokens", "max_tokens"),
    "operations": ("operations in one document", "max_query_operations"),
    "depth": ("levels of nesting, fragments expanded", "max_query_depth"),
    "aliases": ("aliases, fragments expanded", "max_aliases"),
    "fields": ("fields, directives and variables, fragments expanded", "max_query_fields"),
    "cost": ("points of query cost", "max_query_cost"),
    "repeats": ("selections of one field in one place", "max_field_repeats"),
}


def over_limit(
    settings: Settings, name: str, figure: int, *, at_least: bool = False
) -> GraphQLError | None:
    """QUERY_TOO_COMPLEX naming the limit and the figure, when `figure` is over it
    (`at_least`: counting stopped there)."""
    what, setting = LIMITS[name]
    limit = getattr(settings, setting)
    if figure <= limit:
        return None
    return complexity_error(
        f"This query has {'at least ' if at_least else ''}{figure} {what}, above the limit "
        f"of {limit} "
        f"(LEDGERGRAPH_{setting.upper()}).",
        **{name: figure, "limit": limit},
    )


def complexity_error(message: str, **figures: Any) -> GraphQLError:
    return GraphQLError(message, extensions={"code": TOO_COMPLEX, **figures})


def too_large_error(rows: int, limit: int) -> GraphQLError:
    return GraphQLError(
        f"This query could return up to {rows} rows, above the limit of {limit}; "
        "ask for smaller pages (first/last) or fewer nested connections.",
        extensions={"code": TOO_LARGE, "worstCaseRows": rows, "limit": limit},
    )


# --- measuring a document -------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    """What a selection set costs once every fragment in it is expanded."""

    depth: int = 0  # nesting of fields that have selections (a leaf adds nothing)
    aliases: int = 0
    # What the server must parse and validate once fragments are expanded (field
    # selections, directives, variable definitions); bounds the walks below.
    fields: int = 0

    def __add__(self, other: Measure) -> Measure:
        return Measure(
            max(self.depth, other.depth), self.aliases + other.aliases, self.fields + other.fields
        )


NOTHING = Measure()


class _Measurer:
    """Measures selection sets, each fragment once (memoised by name)."""

    def __init__(self, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.fragments = fragments
        self.done: dict[str, Measure] = {}
        self.active: set[str] = set()  # fragments being measured: a cycle counts nothing

    def selection_set(self, selection_set: SelectionSetNode) -> Measure:
        total = NOTHING
        for selection in selection_set.selections:
            directives = len(selection.directives or ())
            if isinstance(selection, FieldNode):
                own = Measure(0, 1 if selection.alias else 0, 1 + directives)
                inner = selection.selection_set
                # Introspection (__schema, __type) is bounded by the schema, not the query,
                # so its nesting does not count as depth (as strawberry's limiter had it).
                if inner is not None:
                    nested = self.selection_set(inner)
                    deeper = 0 if selection.name.value.startswith("__") else nested.depth + 1
                    own = Measure(deeper, own.aliases + nested.aliases, own.fields + nested.fields)
                total = total + own
            elif isinstance(selection, InlineFragmentNode):
                total = total + self.selection_set(selection.selection_set)
                total = total + Measure(fields=directives)
            elif isinstance(selection, FragmentSpreadNode):
                total = total + self.fragment(selection.name.value)
                total = total + Measure(fields=directives)
        return total

    def fragment(self, name: str) -> Measure:
        known = self.done.get(name)
        if known is not None:
            return known
        definition = self.fragments.get(name)
        if definition is None or name in self.active:
            return NOTHING  # unknown or cyclic: validation refuses it after us
        self.active.add(name)
        measure = self.selection_set(definition.selection_set)
        self.active.discard(name)
        self.done[name] = measure
        return measure


def most_repeated_field(document: DocumentNode) -> int:
    """The most times one response name is selected in one (merged) selection set.

    graphql-core's OverlappingFieldsCanBeMerged compares those selections pairwise, so
    its cost grows with the square of this figure. The walk expands fragments for real:
    call it only on a document whose cost (fields once expanded) is within the limit,
    so it visits at most that many fields."""
    fragments = fragments_of(document)

    def collect(
        selection_set: SelectionSetNode, into: dict[str, list[FieldNode]], path: frozenset[str]
    ) -> None:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                into.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                collect(selection.selection_set, into, path)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = fragments.get(name)
                if fragment is not None and name not in path:
                    collect(fragment.selection_set, into, path | {name})

    def most(selection_sets: list[SelectionSetNode]) -> int:
        merged: dict[str, list[FieldNode]] = {}
        for selection_set in selection_sets:
            collect(selection_set, merged, frozenset())
        worst = max((len(nodes) for nodes in merged.values()), default=0)
        for nodes in merged.values():
            inner = [n.selection_set for n in nodes if n.selection_set is not None]
            if inner:
                worst = max(worst, most(inner))
        return worst

    return max((most([o.selection_set]) for o in operations_of(document)), default=0)


def fragments_of(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def operations_of(document: DocumentNode) -> list[OperationDefinitionNode]:
    return [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]


def measure(document: DocumentNode) -> Measure:
    """The heaviest operation's measure (aliases and fields summed over all of them,
    since every operation of the document is parsed and validated)."""
    measurer = _Measurer(fragments_of(document))
    total = NOTHING
    for operation in operations_of(document):
        declared = len(operation.variable_definitions or ()) + len(operation.directives or ())
        total = total + measurer.selection_set(operation.selection_set) + Measure(fields=declared)
    return total


# --- the worst-case row count ----------------------------------------------------------------


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


class _RowCounter:
    """The product of page sizes down each branch, summed over branches. A fragment's
    rows are computed once per type it is spread into."""

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
        self.done: dict[tuple[str, str], int] = {}
        self.active: set[tuple[str, str]] = set()

    @cached_property
    def node_types(self) -> list[GraphQLObjectType]:
        # Only `nodes(ids:)` needs them: not scanned for every request's query.
        return [
            t
            for t in self.schema.type_map.values()
            if isinstance(t, GraphQLObjectType) and any(i.name == "Node" for i in t.interfaces)
        ]

    def rows(self, type_: Any, selection_set: SelectionSetNode | None) -> int:
        if selection_set is None or not isinstance(type_, GraphQLObjectType):
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self._field_rows(type_, selection)
            elif isinstance(selection, InlineFragmentNode):
                target = self._condition(type_, selection.type_condition)
                total += self.rows(target, selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                total += self._fragment_rows(type_, selection.name.value)
        return total

    def _field_rows(self, owner: GraphQLObjectType, node: FieldNode) -> int:
        field_def = owner.fields.get(node.name.value)
        if field_def is None:
            return 0
        child = _named(field_def.type)
        if _is_connection(child):
            size = self._page_size(node)
            return (self.default_page if size is None else size) * (
                1 + self.rows(child, node.selection_set)
            )
        if owner is self.schema.query_type and node.name.value == "nodes":
            ids = self._argument(node, "ids")
            size = len(ids) if isinstance(ids, list) else self.default_page
            # nodes() returns an interface: count the heaviest object type it may be.
            heaviest = max((self.rows(t, node.selection_set) for t in self.node_types), default=0)
            return size * (1 + heaviest)
        return self.rows(child, node.selection_set)

    def _fragment_rows(self, type_: GraphQLObjectType, name: str) -> int:
        key = (name, type_.name)
        if key in self.done:
            return self.done[key]
        fragment = self.fragments.get(name)
        if fragment is None or key in self.active:
            return 0
        self.active.add(key)
        rows = self.rows(self._condition(type_, fragment.type_condition), fragment.selection_set)
        self.active.discard(key)
        self.done[key] = rows
        return rows

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
    counter = _RowCounter(schema, fragments_of(document), variables or {}, default_page)
    return counter.rows(schema.get_root_type(operation.operation), operation.selection_set)


# --- admission -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Admitted:
    """The outcome of admitting one query text: its document, if it parsed, and the
    request errors that refuse it (none: it may run)."""

    document: DocumentNode | None
    errors: list[GraphQLError] = field(default_factory=list)
    filter_sites: tuple[FilterSite, ...] = ()  # where text filters are, for request_errors
    text: str = ""  # the query text: with the variables, the key of its cost

    @property
    def ok(self) -> bool:
        return self.document is not None and not self.errors

    @property
    def fragments(self) -> dict[str, FragmentDefinitionNode]:
        return fragments_of(self.document) if self.document is not None else {}


class Admission:
    """Parses, measures and validates query texts; outcomes are kept in a bounded LRU
    by text, shared by both read paths (a hostile text repeated costs a lookup)."""

    def __init__(self, schema: GraphQLSchema, settings: Settings, maxsize: int = 512) -> None:
        self.schema = schema
        self.settings = settings
        self.maxsize = maxsize
        self._outcomes: OrderedDict[str, Admitted] = OrderedDict()
        self.costs = QueryCosts(schema, settings.default_page_size)

    def check(self, query: str) -> Admitted:
        too_long = over_limit(self.settings, "length", len(query))
        if too_long is not None:  # before the cache: a long text is not worth keeping
            return Admitted(None, [too_long])
        known = self._outcomes.get(query)
        if known is not None:
            self._outcomes.move_to_end(query)
            return known
        outcome = self._admit(query)
        self._outcomes[query] = outcome
        while len(self._outcomes) > self.maxsize:
            self._outcomes.popitem(last=False)
        return outcome

    def _admit(self, query: str) -> Admitted:
        settings = self.settings
        try:
            document = parse(query, max_tokens=settings.max_tokens)
        except GraphQLSyntaxError as exc:
            if "tokens" in exc.message and "Parsing aborted" in exc.message:
                # (graphql-core stops counting at the limit: "more than" is all we know)
                error = over_limit(settings, "tokens", settings.max_tokens + 1, at_least=True)
                return Admitted(None, [error] if error else [coded(exc, PARSE_FAILED)])
            return Admitted(None, [coded(exc, PARSE_FAILED)])
        except RecursionError:
            return Admitted(None, [_nested_too_deeply()])
        # graphql-core validates every operation of a document, each with several visits
        # of its own: many small operations cost far more than their size.
        too_many = over_limit(settings, "operations", len(operations_of(document)))
        if too_many is not None:
            return Admitted(document, [too_many])
        try:
            measured = measure(document)
            figures = {"depth": measured.depth, "aliases": measured.aliases}
            figures["fields"] = measured.fields
            errors = [e for name, v in figures.items() if (e := over_limit(settings, name, v))]
            if not errors:  # (walks the expanded document: only once its cost is bounded)
                repeats = over_limit(settings, "repeats", most_repeated_field(document))
                errors = [repeats] if repeats else []
        except RecursionError:  # fragments spread in a chain longer than Python follows
            return Admitted(document, [_nested_too_deeply()])
        if errors:
            return Admitted(document, errors)
        try:
            invalid = validate(self.schema, document, VALIDATION_RULES, max_errors=MAX_ERRORS)
        except RecursionError:
            return Admitted(document, [_nested_too_deeply()])
        if invalid:
            return Admitted(document, [coded(e, VALIDATION_FAILED) for e in invalid])
        sites = filter_sites(self.schema, document) if "filter" in query else ()
        return Admitted(document, [], sites, query)

    def request_errors(
        self,
        admitted: Admitted,
        operation: OperationDefinitionNode,
        variables: dict[str, Any] | None,
    ) -> list[GraphQLError]:
        """The refusals that depend on the request's variables, not only on the text:
        the worst-case rows, the query cost, and text filters over the length cap."""
        assert admitted.document is not None
        too_large = self.rows_error(admitted.document, operation, variables)
        if too_large is not None:
            return [too_large]
        too_costly = over_limit(self.settings, "cost", self.cost(admitted, operation, variables))
        if too_costly is not None:
            return [too_costly]
        return filter_text_errors(admitted.filter_sites, variables, self.settings.max_search_length)

    def cost(
        self,
        admitted: Admitted,
        operation: OperationDefinitionNode,
        variables: dict[str, Any] | None,
    ) -> int:
        """The request's cost (gql/core/query_cost.py), computed once per text and variables."""
        assert admitted.document is not None
        return self.costs.cost(admitted.text, admitted.document, operation, variables)

    def rows_error(
        self,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: dict[str, Any] | None,
    ) -> GraphQLError | None:
        settings = self.settings
        try:
            rows = worst_case_rows(
                self.schema, document, operation, variables, settings.default_page_size
            )
        except RecursionError:
            return _nested_too_deeply()
        return (
            too_large_error(rows, settings.max_query_rows)
            if rows > settings.max_query_rows
            else None
        )


def _nested_too_deeply() -> GraphQLError:
    return complexity_error(
        "This query is nested more deeply than the server follows (maximum query depth).",
        depth=None,
    )


def select_operation(
    document: DocumentNode, operation_name: str | None
) -> OperationDefinitionNode | GraphQLError | None:
    """The operation a request runs (the specification's GetOperation): the named one,
    or the only one; several without a name is a request error."""
    operations = operations_of(document)
    if operation_name is None:
        if len(operations) > 1:
            return GraphQLError(
                "Must provide operation name if query contains multiple operations.",
                extensions={"code": "BAD_REQUEST"},
            )
        return operations[0] if operations else None
    return next((o for o in operations if o.name and o.name.value == operation_name), None)
