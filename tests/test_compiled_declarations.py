"""The compiled read path never guesses: a field with a resolver of its own is compiled
only from its SQL declaration (gql/core/graph.py); without one, the planner leaves the
query to the resolver path, whatever columns the row's table happens to have."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from graphql import FieldNode, GraphQLList, GraphQLNonNull, GraphQLObjectType, NameNode

from gql.auth.viewer import Viewer
from gql.compiler.planner import STRAWBERRY, Fallback, Planner
from gql.compiler.sqlenv import SqlEnv
from gql.core.graph import EdgeConnection, MoneyOf, RootConnection, ToMany, ToOne, ToOneBy, sql_of
from gql.core.relay import NODE_TYPES
from gql.domains.companies.models import Company, Role, User
from gql.domains.companies.modules import ModuleAlias
from gql.schema import schema as strawberry_schema

SCHEMA = strawberry_schema._schema
# Built by the planner itself from the row's primary key (gql/core/relay.py Node).
NODE_INTERFACE_FIELDS = {"id", "objectId"}


def _named(type_: Any) -> Any:
    while isinstance(type_, (GraphQLNonNull, GraphQLList)):
        type_ = type_.of_type
    return type_


def _object_types() -> list[GraphQLObjectType]:
    return [
        t
        for name, t in sorted(SCHEMA.type_map.items())
        if isinstance(t, GraphQLObjectType) and not name.startswith("__")
    ]


def _undeclared_resolvers(type_: GraphQLObjectType) -> list[str]:
    """The fields of `type_` that have a resolver of their own and no SQL declaration."""
    out = []
    for name, field in type_.fields.items():
        definition = field.extensions.get(STRAWBERRY)
        if getattr(definition, "base_resolver", None) is not None and sql_of(definition) is None:
            out.append(name)
    return out


def _planner() -> Planner:
    """A planner for a viewer every gate allows (owner, every module on)."""
    viewer = Viewer(
        user=User(id="a" * 24, name="Owner", email="owner@example.com", password_hash="-"),
        company=Company(id="b" * 24, name="Books", base_currency="GBP"),
        role=Role.OWNER,
        enabled_modules=frozenset(m.value for m in ModuleAlias),
        auth_error=None,
    )
    env = SqlEnv(dialect="postgresql", tenant_id="b" * 24, today=date.today())
    return Planner(
        schema=SCHEMA,
        strawberry_schema=strawberry_schema,
        env=env,
        variables={},
        fragments={},
        context=SimpleNamespace(viewer=viewer),
    )


NODE_FIELDS = [
    (type_name, field)
    for type_name in sorted(NODE_TYPES)
    for field in _undeclared_resolvers(SCHEMA.type_map[type_name])
    if field not in NODE_INTERFACE_FIELDS
]


@pytest.mark.parametrize(("type_name", "field"), NODE_FIELDS)
def test_a_node_field_with_its_own_resolver_and_no_declaration_is_not_compiled(type_name, field):
    # given a field of a node type whose value its resolver decides
    type_ = SCHEMA.type_map[type_name]
    row = NODE_TYPES[type_name].model.__table__.alias()
    node = FieldNode(name=NameNode(value=field), arguments=(), directives=())
    # when the planner is asked to compile it, then it falls back to the resolver path
    with pytest.raises(Fallback, match=f"{type_name}.{field} has a resolver and no SQL"):
        _planner().node_field(type_, row, [node])


def test_every_object_type_leaves_undeclared_resolvers_to_the_resolver_path():
    # given the types the planner descends into through declarations
    reached: set[str] = set()
    for type_ in _object_types():
        for field in type_.fields.values():
            definition = field.extensions.get(STRAWBERRY)
            spec = sql_of(definition) if definition is not None else None
            if isinstance(spec, (ToOne, ToMany, ToOneBy, EdgeConnection, RootConnection, MoneyOf)):
                reached.add(_named(field.type).name)
    connections = {n for n in reached if "pageInfo" in SCHEMA.type_map[n].fields}
    # then each field with its own resolver and no declaration either sits on a node type
    # (the planner refuses it: the test above), or is a connection's `nodes` (which the
    # planner builds itself), or sits on a type no declaration leads the planner into
    offenders = []
    for type_ in _object_types():
        for field in _undeclared_resolvers(type_):
            if type_.name in NODE_TYPES:
                continue
            if type_.name in connections and field == "nodes":
                continue
            if type_.name in reached:
                offenders.append(f"{type_.name}.{field}")
    assert offenders == []
    assert NODE_FIELDS, "the walk found no field to check"
