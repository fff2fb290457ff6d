"""Query and Mutation fields of the catalogue (placeholder: being written)."""

from __future__ import annotations

import strawberry

from gql.auth.permissions import READ
from gql.context import Info
from gql.core.pagination import fetch_page
from gql.core.relay import Connection
from gql.domains.catalogue.models import Item
from gql.domains.catalogue.types import ItemNode


@strawberry.type
class Query:
    @strawberry.field(permission_classes=READ)
    async def items(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[ItemNode]:
        args = info.context.page_args(first=first, after=after, last=None, before=None)
        page = await fetch_page(info.context.session, Item, where=[], order_by=[Item.name, Item.id], args=args)
        return Connection.from_page(page)  # type: ignore[return-value]
