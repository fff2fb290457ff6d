"""What the planner's modules (planner.py, reports.py) share: where a GraphQL field
keeps its strawberry definition, a field type's named type, and `Fallback`."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLList, GraphQLNonNull

STRAWBERRY = "strawberry-definition"


class Fallback(Exception):
    """This selection is not compiled; the reason is logged."""


def unwrap(type_: Any) -> tuple[Any, bool]:
    """(named type, is_list)."""
    is_list = False
    while isinstance(type_, (GraphQLNonNull, GraphQLList)):
        if isinstance(type_, GraphQLList):
            is_list = True
        type_ = type_.of_type
    return type_, is_list
