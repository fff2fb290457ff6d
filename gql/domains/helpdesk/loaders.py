"""Helpdesk loaders: rows by id, an SLA's targets, a ticket's replies, and the company's
members (a ticket's assignee, a reply's author)."""

from __future__ import annotations

from gql.core.loaders import ByForeignKeyLoader, ByIdLoader
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
