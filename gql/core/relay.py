"""Relay: the Node interface, the registry of node types, and cursor connections.

A node type is a strawberry type over one SQLModel table. Its resolvers receive the
table row itself, so one registry entry (`node_type`) tells the schema which row
class is which GraphQL type, and tells `node(id:)` how to load it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import strawberry

from gql.core.ids import to_global_id
from gql.core.pagination import Page, encode_cursor
from gql.core.rows import row_class
from gql.core.versions import add_version_field

if TYPE_CHECKING:
    from gql.context import Context

NodeT = TypeVar("NodeT")


@dataclass(frozen=True)
class NodeSpec:
    name: str
    model: type[Any]
    module: str | None
    load: Callable[[Context, list[str]], Any]  # awaitable of rows in key order


NODE_TYPES: dict[str, NodeSpec] = {}
_TYPE_NAME_BY_MODEL: dict[type[Any], str] = {}


def type_name_for(model: type[Any]) -> str:
    return _TYPE_NAME_BY_MODEL[model]


def module_of(model: type[Any]) -> str | None:
    """The module a table's node type belongs to (None: the core, always on)."""
    name = _TYPE_NAME_BY_MODEL.get(model)
    return NODE_TYPES[name].module if name else None


def type_name_of(row: Any) -> str:
    return _TYPE_NAME_BY_MODEL[type(row)]


def global_id_of(row: Any) -> strawberry.ID:
    return strawberry.ID(to_global_id(type_name_of(row), row.id))


@strawberry.interface(name="Node", description="An object with a global id.")
class Node:
    @strawberry.field(description="Globally unique id, usable with `node(id:)`.")
    def id(self) -> strawberry.ID:
        return global_id_of(self)

    @strawberry.field(
        description="The 24-hex object id that the REST dialects use for this object."
    )
    def object_id(self) -> str:
        return self.id  # type: ignore[return-value]  # the row's primary key


def node_type(
    *,
    name: str,
    model: type[Any],
    load: Callable[[Context, list[str]], Any],
    module: str | None = None,
    description: str | None = None,
) -> Callable[[type[Any]], type[Any]]:
    """Declare a strawberry type whose values are rows of `model`."""

    def wrap(cls: type[Any]) -> type[Any]:
        # The values: ORM entities, and the light rows loaders answer (gql/core/rows.py).
        light = row_class(model)

        def is_type_of(obj: Any, _info: Any) -> bool:
            return isinstance(obj, (model, light, cls))

        cls.is_type_of = staticmethod(is_type_of)  # type: ignore[attr-defined]
        add_version_field(cls, model)
        NODE_TYPES[name] = NodeSpec(name=name, model=model, module=module, load=load)
        _TYPE_NAME_BY_MODEL[model] = _TYPE_NAME_BY_MODEL[light] = name
        return strawberry.type(cls, name=name, description=description)

    return wrap


@strawberry.type(description="Where a page sits in its connection.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type(description="A node and its cursor.")
class Edge(Generic[NodeT]):
    cursor: str
    node: NodeT


@strawberry.type(description="A page of a list, with cursors to move through it.")
class Connection(Generic[NodeT]):
    total_count: int = strawberry.field(description="How many items match, on every page.")
    page_info: PageInfo
    edges: list[Edge[NodeT]]

    @strawberry.field(description="The nodes of the edges, for when cursors are not needed.")
    def nodes(self) -> list[NodeT]:
        return [edge.node for edge in self.edges]

    @classmethod
    def from_page(cls, page: Page[Any]) -> Connection[Any]:
        cursors = [encode_cursor(p) for p in page.positions]
        return cls(
            total_count=page.total,
            page_info=PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=page.has_previous_page,
                start_cursor=cursors[0] if cursors else None,
                end_cursor=cursors[-1] if cursors else None,
            ),
            edges=[Edge(cursor=c, node=row) for c, row in zip(cursors, page.rows, strict=True)],
        )


def load_with(loader_class: Any) -> Callable[[Context, list[str]], Any]:
    """A node type's `load`: its rows by id through the request's `loader_class`."""

    async def load(ctx: Context, ids: list[str]) -> list[Any]:
        return await ctx.loaders.get(loader_class).load_many(ids)  # type: ignore[no-any-return]

    return load
