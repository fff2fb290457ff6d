"""Helpdesk factories shared by the helpdesk tests: categories, SLAs, tickets, replies,
and a way to move a ticket's clock into the past."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update

from gql.core.ids import decode_id
from gql.domains.helpdesk.models import Ticket
from tests.factories import Api, Tenant, tenant_db

ERRORS = "userErrors { field message code }"
TICKET_FIELDS = """id objectId number subject priority status openedAt firstResponseDue
  resolutionDue respondedAt resolvedAt closedAt responseBreached resolutionBreached breached
  contact { name } category { name } sla { name } assignee { id name }"""

TICKET = """query($id: ID!) { ticket(id: $id) { number status respondedAt resolvedAt
  responseBreached resolutionBreached breached replies { body public author { name } } } }"""
CATEGORY_CREATE = f"""mutation($input: TicketCategoryCreateInput!) {{
  ticketCategoryCreate(input: $input) {{ ticketCategory {{ id objectId name }} {ERRORS} }} }}"""
SLA_CREATE = f"""mutation($input: SlaCreateInput!) {{ slaCreate(input: $input) {{
  sla {{ id objectId name responseTime resolutionTime
         targets {{ priority responseTime resolutionTime }} }} {ERRORS} }} }}"""
TICKET_CREATE = f"""mutation($input: TicketCreateInput!) {{ ticketCreate(input: $input) {{
  ticket {{ {TICKET_FIELDS} }} {ERRORS} }} }}"""
TICKET_UPDATE = f"""mutation($input: TicketUpdateInput!) {{ ticketUpdate(input: $input) {{
  ticket {{ {TICKET_FIELDS} }} {ERRORS} }} }}"""
REPLY_CREATE = f"""mutation($input: TicketReplyCreateInput!) {{ ticketReplyCreate(input: $input) {{
  reply {{ id body public author {{ id name }} ticket {{ number }} }}
  ticket {{ respondedAt responseBreached }} {ERRORS} }} }}"""
ARTICLE_CREATE = f"""mutation($input: ArticleCreateInput!) {{ articleCreate(input: $input) {{
  article {{ id objectId title slug published publishedAt category {{ name }} }} {ERRORS} }} }}"""


async def category(api: Api, tenant: Tenant, name: str = "Billing") -> dict[str, Any]:
    payload = await api.mutate("ticketCategoryCreate", CATEGORY_CREATE, {"name": name}, tenant)
    return payload["ticketCategory"]  # type: ignore[no-any-return]


async def sla(api: Api, tenant: Tenant, **fields: Any) -> dict[str, Any]:
    body = {"name": "Standard SLA", "responseTime": 4, "resolutionTime": 24, **fields}
    return (await api.mutate("slaCreate", SLA_CREATE, body, tenant))["sla"]  # type: ignore[no-any-return]


async def ticket(api: Api, tenant: Tenant, **fields: Any) -> dict[str, Any]:
    body = {"subject": "Cannot access my account", **fields}
    return (await api.mutate("ticketCreate", TICKET_CREATE, body, tenant))["ticket"]  # type: ignore[no-any-return]


async def reply(api: Api, tenant: Tenant, ticket_id: str, **fields: Any) -> dict[str, Any]:
    body = {"ticketId": ticket_id, "body": "We are on it.", **fields}
    return await api.mutate("ticketReplyCreate", REPLY_CREATE, body, tenant)


async def age_ticket(app: Any, tenant: Tenant, ticket_id: str, hours: int) -> None:
    """Move the ticket's whole clock `hours` into the past, as if it had been opened
    then (straight in the database: no API moves time)."""
    pk = decode_id(ticket_id, "Ticket") or ticket_id
    shift = timedelta(hours=hours)
    async with tenant_db(app, tenant.company_id) as session:
        row = await session.get(Ticket, pk)
        assert row is not None
        values: dict[str, Any] = {"opened_at": row.opened_at - shift}
        for name in ("first_response_due", "resolution_due", "responded_at", "resolved_at"):
            value = getattr(row, name)
            if value is not None:
                values[name] = value - shift
        await session.execute(update(Ticket).where(Ticket.id == pk).values(**values))  # type: ignore[arg-type]
        await session.commit()


def hours_between(later: str, earlier: str) -> float:
    delta = datetime.fromisoformat(later) - datetime.fromisoformat(earlier)
    return delta.total_seconds() / 3600
