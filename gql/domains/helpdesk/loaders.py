"""Helpdesk loaders: rows by id, an SLA's targets, a ticket's replies, and the company's
members (a ticket's assignee, a reply's author)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aiodataloader import DataLoader
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gql.core.loaders import ByForeignKeyLoader, ByIdLoader
from gql.db.tenant import get_tenant
from gql.domains.companies.models import Membership, User
from gql.domains.helpdesk.models import Article, Sla, SlaTarget, Ticket, TicketCategory, TicketReply


class TicketCategoryByIdLoader(ByIdLoader[TicketCategory]):
    model = TicketCategory


class SlaByIdLoader(ByIdLoader[Sla]):
    model = Sla


class SlaTargetByIdLoader(ByIdLoader[SlaTarget]):
    model = SlaTarget


class TicketByIdLoader(ByIdLoader[Ticket]):
    model = Ticket


class TicketReplyByIdLoader(ByIdLoader[TicketReply]):
    model = TicketReply


class ArticleByIdLoader(ByIdLoader[Article]):
    model = Article


class SlaTargetsBySlaIdLoader(ByForeignKeyLoader[SlaTarget]):
    """Sla.targets, by priority."""

    model = SlaTarget
    foreign_key = "sla_id"
    order_by = ("priority", "id")


class TicketRepliesByTicketIdLoader(ByForeignKeyLoader[TicketReply]):
    """Ticket.replies, oldest first."""

    model = TicketReply
    foreign_key = "ticket_id"
    order_by = ("created_at", "id")


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
