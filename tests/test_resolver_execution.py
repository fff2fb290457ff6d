"""The resolver path's executor (gql/core/execution.py) answers exactly as graphql-core's:
the same data and the same errors at the same paths, for leaves and for edges it
completes itself (values at hand, nulls, errors, raising resolvers, awaitable values
and items, async fields below), compared on one small schema run by both."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import pytest
import strawberry
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from gql.core.execution import DIRECT, LeafShortcutExecution, install_direct_resolvers


@dataclass
class Row:
    name: str | None
    friend: Any = None
    boss: Any = None
    children: Any = field(default_factory=list)
    maybe: Any = field(default_factory=list)
    slow_name: str | None = "slow"


def _direct(attribute: str) -> Any:
    """A DIRECT resolver, as gql.core.graph declares them: (row, info) -> value, reading
    only info.context; `raise:` in the row's name makes it raise."""

    def resolve(root: Any, info: strawberry.Info) -> Any:
        assert info.context["request"] == "r"
        if root.name == f"raise:{attribute}":
            raise ValueError(f"{attribute} failed")
        value = getattr(root, attribute)
        if value == "later":  # an awaitable value, as a loader not yet loaded gives
            return _later(Row("loaded later"))
        if isinstance(value, list) and "later" in value:
            return [_later(Row("item later")) if v == "later" else v for v in value]
        return value

    return resolve


async def _later(value: Any) -> Any:
    await asyncio.sleep(0)
    return value


def _edge(attribute: str, **kwargs: Any) -> Any:
    resolve = _direct(attribute)
    return strawberry.field(resolver=resolve, metadata={DIRECT: resolve}, **kwargs)


@strawberry.type
class Node:
    name: str
    friend: Node | None = _edge("friend")
    boss: Node = _edge("boss")
    children: list[Node] = _edge("children")
    maybe: list[Node | None] | None = _edge("maybe")

    @strawberry.field
    async def slow(self) -> str:  # an async field below an edge
        await asyncio.sleep(0)
        if self.slow_name is None:
            raise ValueError("slow failed")
        return self.slow_name  # type: ignore[no-any-return]


BOSS = Row("boss")


def _tree() -> Row:
    def kid(name: str | None, boss: Any = BOSS, **kw: Any) -> Row:
        return Row(name, boss=boss, **kw)

    return Row(
        "root",
        boss=BOSS,
        friend=kid("friend", friend="later"),
        children=[
            kid("a", children=[kid("a1"), kid("a2", slow_name=None)]),
            kid(None),  # a non-null name that is null: the item, then the list, nulled
            kid("raise:friend"),
            kid("b", boss=None, maybe=[None, kid("m1"), ValueError("item failed")]),
            kid("c", maybe=[kid("m2"), "later"], children=[kid("c1", slow_name=None)]),
        ],
        maybe=[kid("x", children=[kid(None)]), None, kid("raise:boss")],
    )


@strawberry.type
class Query:
    @strawberry.field
    def root(self) -> Node:
        return _tree()  # type: ignore[return-value]

    @strawberry.field
    def roots(self) -> list[Node | None]:
        return [_tree(), _tree()]  # type: ignore[list-item]


def _schema(executor: type[Any]) -> strawberry.Schema:
    schema = strawberry.Schema(query=CleanQuery, execution_context_class=executor)
    install_direct_resolvers(schema._schema)
    return schema


def _clean() -> Row:
    """A tree without errors: awaitable values and items, async fields, nested lists."""
    return Row(
        "clean",
        boss=BOSS,
        friend=Row("f", boss=BOSS, friend="later"),
        children=[
            Row(f"c{i}", boss=BOSS, children=[Row(f"c{i}{j}", boss=BOSS) for j in range(3)])
            for i in range(3)
        ],
        maybe=[None, Row("m", boss=BOSS), "later"],
    )


@strawberry.type
class CleanQuery(Query):
    @strawberry.field
    def clean(self) -> Node:
        return _clean()  # type: ignore[return-value]


SHORTCUT, STANDARD = _schema(LeafShortcutExecution), _schema(StrawberryGraphQLCoreExecutionContext)

QUERIES = [
    "{ clean { name friend { name friend { name boss { name } } } boss { slow } } }",
    "{ clean { children { name slow children { name boss { name slow } } } } }",
    "{ clean { maybe { name slow boss { name } } children { maybe { name } } } }",
    "{ root { name friend { name friend { name } } boss { name } } }",
    "{ root { children { name } } }",
    "{ root { children { name slow } maybe { name } } }",
    "{ root { maybe { name boss { name } children { name } } } }",
    "{ root { children { friend { name } boss { name } maybe { name slow } } } }",
    "{ root { children { children { name slow } } } }",
    "{ roots { name children { name boss { name } } maybe { name slow } } }",
    "{ roots { children { maybe { name } boss { name } } } }",
    "{ root { ...F } } fragment F on Node { name friend { name } children { name } }",
    "{ root { a: children { name } b: children { boss { name } } } }",
]


def _answer(result: Any) -> tuple[Any, list[tuple[str, list[Any]]]]:
    errors = sorted((e.message, e.path or []) for e in result.errors or [])
    return result.data, errors  # type: ignore[return-value]


@pytest.mark.parametrize("query", QUERIES)
async def test_the_shortcuts_answer_as_graphql_core_does(query: str) -> None:
    # when both executors answer the query
    context = {"request": "r"}
    shortcut = await SHORTCUT.execute(query, context_value=context)
    standard = await STANDARD.execute(query, context_value=context)

    # then the data and every error (message and path) are the same
    assert _answer(shortcut) == _answer(standard)


class Counting(LeafShortcutExecution):
    """Counts the fields that take graphql-core's way (execute_field)."""

    standard: list[str] = []

    def execute_field(self, parent_type: Any, source: Any, details: Any, *args: Any) -> Any:
        Counting.standard.append(details[0].node.name.value)
        return super().execute_field(parent_type, source, details, *args)


async def test_edges_at_hand_take_the_shortcut_and_the_rest_the_standard_way() -> None:
    # given a query over edges at hand, an awaitable one, async fields and a null name
    schema = _schema(Counting)
    Counting.standard.clear()
    query = "{ root { friend { friend { name } } children { name boss { name } slow } } }"

    # when it runs
    result = await schema.execute(query, context_value={"request": "r"})

    # then only the root, the async fields and the null name (reported by graphql-core)
    # took the standard way: every edge, the awaitable one too, was completed here
    assert result.data is None  # (children[1] has a null name)
    assert sorted(set(Counting.standard)) == ["name", "root", "slow"]
    assert Counting.standard.count("name") == 1


@strawberry.type
class FailingQuery:
    @strawberry.field
    async def looked_up(self) -> str | None:  # fails after a wait, as a missing row does
        await asyncio.sleep(0.01)
        raise ValueError("not found after a lookup")

    @strawberry.field
    def refused(self) -> str | None:  # fails at once, as an id that cannot be decoded does
        raise ValueError("refused at once")


async def test_errors_come_in_the_order_of_the_query_not_of_finishing() -> None:
    standard = strawberry.Schema(
        query=FailingQuery, execution_context_class=StrawberryGraphQLCoreExecutionContext
    )
    shortcut = strawberry.Schema(query=FailingQuery, execution_context_class=LeafShortcutExecution)
    query = "{ a: lookedUp b: refused c: lookedUp }"
    finished = await standard.execute(query)
    ordered = await shortcut.execute(query)
    assert [e.path for e in finished.errors or []] == [["b"], ["a"], ["c"]]
    assert [e.path for e in ordered.errors or []] == [["a"], ["b"], ["c"]]
    assert ordered.data == {"a": None, "b": None, "c": None}
