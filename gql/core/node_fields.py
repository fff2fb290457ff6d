"""Root `node(id:)` and `nodes(ids:)`: any object by its global id."""

from __future__ import annotations

import strawberry

from gql.auth.access import AccessDenied, Need, authorize
from gql.auth.permissions import InCompany
from gql.context import Info
from gql.core.errors import BadInputError, ForbiddenError, NotFoundError
from gql.core.ids import from_global_id
from gql.core.relay import NODE_TYPES, Node
from gql.domains.companies.modules import ModuleAlias


async def _resolve(info: Info, ids: list[strawberry.ID]) -> list[object | Exception]:
    ctx = info.context
    wanted: dict[str, list[tuple[int, str]]] = {}
    out: list[object | Exception] = [NotFoundError("Node") for _ in ids]
    for index, global_id in enumerate(ids):
        decoded = from_global_id(str(global_id))
        if decoded is None or decoded[0] not in NODE_TYPES:
            continue
        wanted.setdefault(decoded[0], []).append((index, decoded[1]))
    for type_name, entries in wanted.items():
        spec = NODE_TYPES[type_name]
        if spec.module:
            try:
                authorize(ctx.viewer, Need(module=ModuleAlias(spec.module)))
            except AccessDenied as denied:
                for index, _ in entries:
                    out[index] = ForbiddenError(denied.message)
                continue
        rows = await spec.load(ctx, [pk for _, pk in entries])
        for (index, _), row in zip(entries, rows, strict=True):
            if row is not None:
                out[index] = row
    return out


@strawberry.type
class Query:
    @strawberry.field(
        description="Any object by its global id; null with NOT_FOUND when there is none.",
        permission_classes=[InCompany],
    )
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        result = (await _resolve(info, [id]))[0]
        if isinstance(result, Exception):
            raise result
        return result  # type: ignore[return-value]

    @strawberry.field(
        description="Objects by global id, in order; a missing one is null with an error.",
        permission_classes=[InCompany],
    )
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        if len(ids) > info.context.settings.max_page_size:
            raise BadInputError(
                f"ids: at most {info.context.settings.max_page_size} ids at once", field="ids"
            )
        return await _resolve(info, ids)  # type: ignore[return-value]
