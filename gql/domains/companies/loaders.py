"""The request's company's members, by user id: who a deal's owner, a ticket's assignee
or a time entry's member is. One batch per request level, like every edge."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aiodataloader import DataLoader
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gql.db.tenant import get_tenant
from gql.domains.companies.models import Membership, User


class MemberByUserIdLoader(DataLoader[str, Any]):
    """Users who are members of the request's company, by user id; `None` for anyone
    else (a former member reads as no one, like an id that does not exist)."""

    def __init__(self, session: AsyncSession) -> None:
        super().__init__()
        self.session = session

    async def batch_load_fn(self, keys: Sequence[str]) -> list[Any]:
        stmt = (
            select(User.id, User.name, User.email)
            .join(Membership, Membership.user_id == User.id)  # type: ignore[arg-type]
            .where(
                Membership.company_id == get_tenant(self.session),
                User.id.in_(list(keys)),  # type: ignore[attr-defined]
            )
        )
        found = {row.id: row for row in (await self.session.execute(stmt)).all()}
        return [found.get(key) for key in keys]
