"""Helpdesk: the rules for ticket categories, SLAs, tickets and their SLA clock, replies
and knowledge-base articles, shared by GraphQL and REST.

A ticket's number comes from its company's "ticket" number series, taken with one
upsert (INSERT ... ON CONFLICT DO UPDATE ... RETURNING): concurrent creates wait on the
series row and each gets the next number. A status move and the first public reply
are guarded single-row updates, so of two at the same moment exactly one applies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import Field, field_validator
from sqlalchemy import ColumnElement, delete, exists, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from gql.auth.viewer import Viewer
from gql.compiler.sqlenv import SqlEnv
from gql.core.claims import claim
from gql.core.errors import ErrorCode, UserInputError
from gql.core.ids import new_id
from gql.core.inputs import InputModel, require_not_null, require_row, validate, wire_name
from gql.core.ranges import on_days
from gql.core.search import contains_any
from gql.core.versions import bump
from gql.db.columns import utcnow
from gql.db.tenant import get_tenant
from gql.domains.companies.models import Membership
from gql.domains.contacts.models import Contact
from gql.domains.documents.models import NumberSeries
from gql.domains.events.outbox import emit
from gql.domains.helpdesk.computed import BREACHED, RESOLUTION_BREACHED, RESPONSE_BREACHED
from gql.domains.helpdesk.models import (
    Article,
    Sla,
    SlaTarget,
    Ticket,
    TicketCategory,
    TicketPriority,
    TicketReply,
    TicketStatus,
)
from gql.tenancy import mapped_table

S = TicketStatus
# The status moves a ticket may make, written down once. A closed ticket is final;
# a resolved one may be reopened.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.OPEN.value: frozenset({S.PENDING.value, S.RESOLVED.value, S.CLOSED.value}),
    S.PENDING.value: frozenset({S.OPEN.value, S.RESOLVED.value, S.CLOSED.value}),
    S.RESOLVED.value: frozenset({S.OPEN.value, S.CLOSED.value}),
    S.CLOSED.value: frozenset(),
}
# The statuses in which the resolution clock has stopped.
STOPPED = frozenset({S.RESOLVED.value, S.CLOSED.value})
TICKET_SERIES = "ticket"

Hours = Field(default=None, ge=1, le=87600)  # up to ten years, in whole hours
Name = Field(min_length=1, max_length=100)
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


# --- inputs ---------------------------------------------------------------------------------


class CategoryCreate(InputModel):
    name: str = Name
    description: str | None = Field(default=None, max_length=500)


class CategoryUpdate(InputModel):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    description: str | None = Field(default=None, max_length=500)


class SlaTargetIn(InputModel):
    priority: TicketPriority
    response_time: int | None = Hours
    resolution_time: int | None = Hours


class SlaFields(InputModel):
    description: str | None = Field(default=None, max_length=500)
    response_time: int | None = Hours
    resolution_time: int | None = Hours
    targets: list[SlaTargetIn] | None = Field(default=None, max_length=4)

    @field_validator("targets")
    @classmethod
    def _one_per_priority(cls, value: list[SlaTargetIn] | None) -> list[SlaTargetIn] | None:
        if value is not None and len({t.priority for t in value}) < len(value):
            raise ValueError("has a priority more than once")
        return value


class SlaCreate(SlaFields):
    name: str = Name


class SlaUpdate(SlaFields):
    name: str | None = Field(default=None, min_length=1, max_length=100)


class TicketFields(InputModel):
    description: str | None = Field(default=None, max_length=10000)
    category_id: str | None = None
    priority: TicketPriority | None = None
    contact_id: str | None = None
    assignee_id: str | None = None
    sla_id: str | None = None


class TicketCreate(TicketFields):
    subject: str = Field(min_length=1, max_length=200)


class TicketUpdate(TicketFields):
    subject: str | None = Field(default=None, min_length=1, max_length=200)
    status: TicketStatus | None = None


class ReplyCreate(InputModel):
    ticket_id: str
    body: str = Field(min_length=1, max_length=10000)
    public: bool = True


class ArticleFields(InputModel):
    slug: str | None = Field(default=None, max_length=200)
    category_id: str | None = None
    published: bool | None = None

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str | None) -> str | None:
        if value is not None and not SLUG.fullmatch(value):
            raise ValueError("must be lower-case letters and digits joined by single hyphens")
        return value


class ArticleCreate(ArticleFields):
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=50000)


class ArticleUpdate(ArticleFields):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    body: str | None = Field(default=None, min_length=1, max_length=50000)


# --- filters and orders ---------------------------------------------------------------------


@dataclass(frozen=True)
class NameFilter:
    """Categories and SLAs: part of the name."""

    model: type[Any]
    search: str | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        return [contains_any(self.search, self.model.name)] if self.search else []


@dataclass(frozen=True)
class TicketFilter:
    status: str | None = None
    priority: str | None = None
    number: int | None = None
    category_id: str | None = None
    contact_id: str | None = None
    assignee_id: str | None = None
    sla_id: str | None = None
    breached: bool | None = None
    response_breached: bool | None = None
    resolution_breached: bool | None = None
    opened_from: date | None = None
    opened_to: date | None = None
    resolution_due_from: date | None = None
    resolution_due_to: date | None = None
    search: str | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        t = Ticket
        out: list[ColumnElement[bool]] = []
        for column, value in (
            (t.status, self.status),
            (t.priority, self.priority),
            (t.number, self.number),
            (t.category_id, self.category_id),
            (t.contact_id, self.contact_id),
            (t.assignee_id, self.assignee_id),
            (t.sla_id, self.sla_id),
        ):
            if value is not None:
                out.append(column == value)
        for flag, spec in (
            (self.breached, BREACHED),
            (self.response_breached, RESPONSE_BREACHED),
            (self.resolution_breached, RESOLUTION_BREACHED),
        ):
            if flag is not None:
                condition = spec.sql(mapped_table(t), env)
                out.append(condition if flag else ~condition)
        out += on_days(t.opened_at, self.opened_from, self.opened_to)
        out += on_days(t.resolution_due, self.resolution_due_from, self.resolution_due_to)
        if self.search:
            out.append(contains_any(self.search, t.subject, t.description))
        return out


@dataclass(frozen=True)
class ArticleFilter:
    """Published articles only, unless `include_unpublished` (or `published` given)."""

    published: bool | None = None
    include_unpublished: bool = False
    category_id: str | None = None
    search: str | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        a = Article
        out: list[ColumnElement[bool]] = []
        if self.published is not None:
            out.append(a.published.is_(self.published))  # type: ignore[attr-defined]
        elif not self.include_unpublished:
            out.append(a.published.is_(True))  # type: ignore[attr-defined]
        if self.category_id is not None:
            out.append(a.category_id == self.category_id)  # type: ignore[arg-type]
        if self.search:
            out.append(contains_any(self.search, a.title, a.body))
        return out


CATEGORY_ORDER_COLUMNS = {"name": TicketCategory.name, "created_at": TicketCategory.created_at}
SLA_ORDER_COLUMNS = {"name": Sla.name, "created_at": Sla.created_at}
TICKET_ORDER_COLUMNS = {
    "number": Ticket.number,
    "opened_at": Ticket.opened_at,
    "updated_at": Ticket.updated_at,
    "first_response_due": Ticket.first_response_due,
    "resolution_due": Ticket.resolution_due,
}
ARTICLE_ORDER_COLUMNS = {
    "title": Article.title,
    "created_at": Article.created_at,
    "updated_at": Article.updated_at,
}


# --- helpers --------------------------------------------------------------------------------


def _apply(row: Any, values: dict[str, Any]) -> None:
    for key, value in values.items():
        setattr(row, key, value)
    row.updated_at = utcnow()


async def _flush_unique(session: AsyncSession, path: str, message: str) -> None:
    """Flush; a unique constraint that a concurrent request won is TAKEN, not a 500."""
    try:
        await session.flush()
    except IntegrityError:
        raise UserInputError.single(path, message, ErrorCode.TAKEN) from None


async def _taken(session: AsyncSession, *conditions: Any) -> bool:
    return bool(await session.scalar(select(exists().where(*conditions))))


async def _ref(
    session: AsyncSession, model: type[Any], ref: str | None, field: str, what: str
) -> str | None:
    """The id of the tenant's `model` row `ref` names (None stays None); another
    company's id is not found, exactly like one that does not exist."""
    if ref is None:
        return None
    row = await require_row(session, model, ref, path=(field,), what=what)
    return row.id  # type: ignore[no-any-return]


async def _member(session: AsyncSession, user_id: str | None, field: str) -> str | None:
    """A user of the request's company (any role): a ticket's assignee."""
    if user_id is None:
        return None
    found = await session.scalar(
        select(Membership.user_id).where(
            Membership.user_id == user_id, Membership.company_id == get_tenant(session)
        )
    )
    if found is None:
        raise UserInputError.single(field, "Member not found", ErrorCode.NOT_FOUND)
    return found


# --- categories -----------------------------------------------------------------------------


async def get_category(*, session: AsyncSession, id: str) -> TicketCategory:
    return await require_row(session, TicketCategory, id, path=("id",), what="TicketCategory")


async def _check_category_name(session: AsyncSession, name: str, own: str | None = None) -> None:
    conditions = [TicketCategory.name == name]
    if own is not None:
        conditions.append(TicketCategory.id != own)  # type: ignore[arg-type]
    if await _taken(session, *conditions):
        raise UserInputError.single("name", "is already a ticket category", ErrorCode.TAKEN)


async def create_category(*, session: AsyncSession, data: dict[str, Any]) -> TicketCategory:
    payload = validate(CategoryCreate, data)
    await _check_category_name(session, payload.name)
    row = TicketCategory(**payload.model_dump(exclude_none=True))
    session.add(row)
    await _flush_unique(session, "name", "is already a ticket category")
    return row


async def update_category(
    *, session: AsyncSession, id: str, data: dict[str, Any]
) -> TicketCategory:
    row = await get_category(session=session, id=id)
    values = validate(CategoryUpdate, data).model_dump(exclude_unset=True)
    require_not_null(CategoryUpdate, values, "name")
    if "name" in values:
        await _check_category_name(session, values["name"], own=row.id)
    _apply(row, values)
    await _flush_unique(session, "name", "is already a ticket category")
    return row


async def delete_category(*, session: AsyncSession, id: str) -> TicketCategory:
    row = await get_category(session=session, id=id)
    for what, column in (("tickets", Ticket.category_id), ("articles", Article.category_id)):
        if await _taken(session, column == row.id):
            raise UserInputError.single("id", f"Ticket category has {what}", ErrorCode.IN_USE)
    await session.delete(row)
    await session.flush()
    return row


# --- SLAs -----------------------------------------------------------------------------------


async def get_sla(*, session: AsyncSession, id: str) -> Sla:
    return await require_row(session, Sla, id, path=("id",), what="Sla")


def _targets(sla: Sla, targets: list[dict[str, Any]]) -> list[SlaTarget]:
    return [
        SlaTarget(
            sla_id=sla.id,
            priority=t["priority"],
            response_time=t.get("response_time"),
            resolution_time=t.get("resolution_time"),
        )
        for t in targets
    ]


async def create_sla(*, session: AsyncSession, data: dict[str, Any]) -> Sla:
    values = validate(SlaCreate, data).model_dump(exclude_none=True)
    targets = values.pop("targets", [])
    sla = Sla(**values)
    session.add(sla)
    session.add_all(_targets(sla, targets))
    await session.flush()
    return sla


async def update_sla(*, session: AsyncSession, id: str, data: dict[str, Any]) -> Sla:
    """Changes the SLA for tickets opened from now on: an open ticket keeps the dues it
    was opened with."""
    sla = await get_sla(session=session, id=id)
    values = validate(SlaUpdate, data).model_dump(exclude_unset=True)
    require_not_null(SlaUpdate, values, "name")
    if "targets" in values:  # the targets sent replace the old ones
        targets = values.pop("targets") or []
        await session.execute(delete(SlaTarget).where(SlaTarget.sla_id == sla.id))  # type: ignore[arg-type]
        session.add_all(_targets(sla, targets))
    _apply(sla, values)
    await session.flush()
    return sla


async def delete_sla(*, session: AsyncSession, id: str) -> Sla:
    sla = await get_sla(session=session, id=id)
    if await _taken(session, Ticket.sla_id == sla.id):
        raise UserInputError.single("id", "SLA has tickets", ErrorCode.IN_USE)
    await session.execute(delete(SlaTarget).where(SlaTarget.sla_id == sla.id))  # type: ignore[arg-type]
    await session.delete(sla)
    await session.flush()
    return sla


async def _dues(
    session: AsyncSession, sla_id: str | None, priority: str, opened_at: datetime
) -> tuple[datetime | None, datetime | None]:
    """(first response due, resolution due) of a ticket of `priority` opened at
    `opened_at` under the SLA: its target for the priority, else its defaults."""
    if sla_id is None:
        return None, None
    sla = await session.get(Sla, sla_id)
    target = await session.scalar(
        select(SlaTarget).where(SlaTarget.sla_id == sla_id, SlaTarget.priority == priority)
    )
    assert sla is not None  # checked by the caller, in this transaction

    def due(hours: int | None) -> datetime | None:
        return None if hours is None else opened_at + timedelta(hours=hours)

    response = target.response_time if target and target.response_time else sla.response_time
    resolution = (
        target.resolution_time if target and target.resolution_time else sla.resolution_time
    )
    return due(response), due(resolution)


# --- tickets --------------------------------------------------------------------------------


async def get_ticket(*, session: AsyncSession, id: str) -> Ticket:
    return await require_row(session, Ticket, id, path=("id",), what="Ticket")


async def next_ticket_number(session: AsyncSession) -> int:
    """The company's next ticket number, taken atomically: the series row is created by
    the first ticket and bumped by each later one (one upsert, RETURNING the number),
    so concurrent creates never share a number nor leave a gap."""
    now = utcnow()
    dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
    stmt = (
        dialect.insert(NumberSeries)
        .values(
            id=new_id(),
            company_id=get_tenant(session),
            kind=TICKET_SERIES,
            prefix="",
            next_number=2,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_update(
            index_elements=["company_id", "kind"],
            set_={"next_number": NumberSeries.next_number + 1, "updated_at": now},
        )
        .returning(NumberSeries.next_number)
    )
    return int((await session.execute(stmt)).scalar_one()) - 1


async def _ticket_refs(session: AsyncSession, values: dict[str, Any]) -> dict[str, Any]:
    """`values` with each reference checked (in the tenant) and as an object id."""
    out = dict(values)
    for key, model, what in (
        ("category_id", TicketCategory, "TicketCategory"),
        ("contact_id", Contact, "Contact"),
        ("sla_id", Sla, "Sla"),
    ):
        if key in out:
            out[key] = await _ref(session, model, out[key], wire_name(TicketFields, key), what)
    if "assignee_id" in out:
        out["assignee_id"] = await _member(session, out["assignee_id"], "assigneeId")
    return out


async def create_ticket(*, session: AsyncSession, data: dict[str, Any]) -> Ticket:
    """Open a ticket: numbered, with its SLA's dues fixed from now."""
    payload = validate(TicketCreate, data)
    values = await _ticket_refs(session, payload.model_dump(exclude_none=True))
    values.setdefault("priority", TicketPriority.MEDIUM.value)
    opened_at = utcnow()
    first_response_due, resolution_due = await _dues(
        session, values.get("sla_id"), values["priority"], opened_at
    )
    ticket = Ticket(
        **values,
        number=await next_ticket_number(session),
        opened_at=opened_at,
        first_response_due=first_response_due,
        resolution_due=resolution_due,
    )
    session.add(ticket)
    await session.flush()
    await emit(session, type="ticket.created", row=ticket, payload=_summary(ticket))
    return ticket


def _refuse_move(to: str) -> Any:
    def refuse(current: Ticket) -> None:
        if to not in TRANSITIONS[current.status]:
            raise UserInputError.single(
                "status",
                f"A {current.status} ticket cannot become {to} (it may become: "
                f"{', '.join(sorted(TRANSITIONS[current.status])) or 'nothing'})",
                ErrorCode.INVALID_STATE,
            )

    return refuse


def _move_values(ticket: Ticket, to: str, now: datetime) -> dict[str, Any]:
    """What a move to `to` records on the clock: resolving stops the resolution clock,
    closing also closes, reopening restarts it."""
    if to == S.RESOLVED.value:
        return {"resolved_at": now}
    if to == S.CLOSED.value:
        return {"resolved_at": ticket.resolved_at or now, "closed_at": now}
    return {"resolved_at": None}


async def _move(session: AsyncSession, ticket: Ticket, to: str) -> None:
    """Move `ticket` to status `to`: allowed from its status (TRANSITIONS), and only
    while it still has that status (a guarded update: of two moves at once, one wins;
    the other is judged again against the status it finds)."""
    refuse = _refuse_move(to)
    refuse(ticket)
    now = utcnow()
    await claim(
        session,
        ticket,
        Ticket.status == ticket.status,  # type: ignore[arg-type]
        what="Ticket",
        refuse=refuse,
        values={"status": to, "updated_at": now, **_move_values(ticket, to, now)},
    )


async def update_ticket(*, session: AsyncSession, id: str, data: dict[str, Any]) -> Ticket:
    ticket = await get_ticket(session=session, id=id)
    payload = validate(TicketUpdate, data)
    values = payload.model_dump(exclude_unset=True)
    require_not_null(TicketUpdate, values, "subject", "priority", "status")
    values = await _ticket_refs(session, values)
    status = values.pop("status", None)
    if status is not None and status != ticket.status:
        await _move(session, ticket, status)
    if {"priority", "sla_id"} & values.keys():
        # A new priority or SLA sets the dues afresh, from when the ticket was opened.
        dues = await _dues(
            session,
            values.get("sla_id", ticket.sla_id),
            values.get("priority", ticket.priority),
            ticket.opened_at,
        )
        values["first_response_due"], values["resolution_due"] = dues
    _apply(ticket, values)
    await session.flush()
    await emit(session, type="ticket.updated", row=ticket, payload=_summary(ticket))
    return ticket


def _summary(ticket: Ticket) -> dict[str, Any]:
    """What a ticket's events carry."""
    return {"number": ticket.number, "status": ticket.status, "priority": ticket.priority}


async def delete_ticket(*, session: AsyncSession, id: str) -> Ticket:
    ticket = await get_ticket(session=session, id=id)
    await session.execute(delete(TicketReply).where(TicketReply.ticket_id == ticket.id))  # type: ignore[arg-type]
    await session.delete(ticket)
    await session.flush()
    return ticket


async def create_reply(
    *, session: AsyncSession, viewer: Viewer, data: dict[str, Any]
) -> dict[str, Any]:
    """A reply by the viewer. The first public one stops the response clock: one
    guarded update sets respondedAt only while it is unset, so of concurrent first
    replies exactly one sets it. A closed ticket takes no replies."""
    payload = validate(ReplyCreate, data)
    ticket = await require_row(
        session, Ticket, payload.ticket_id, path=("ticketId",), what="Ticket"
    )
    if ticket.status == S.CLOSED.value:
        raise UserInputError.single(
            "ticketId", "The ticket is closed; it takes no replies", ErrorCode.INVALID_STATE
        )
    assert viewer.user is not None  # a write needs a signed-in member
    now = utcnow()
    reply = TicketReply(
        ticket_id=ticket.id, author_id=viewer.user.id, body=payload.body, public=payload.public
    )
    session.add(reply)
    await session.flush()
    if payload.public:
        await session.execute(
            update(Ticket)
            .where(Ticket.id == ticket.id, Ticket.responded_at.is_(None))  # type: ignore[arg-type,union-attr]
            .values(responded_at=now, updated_at=now, **bump(Ticket))
            .execution_options(synchronize_session=False)
        )
        await session.refresh(ticket)
    return {"reply": reply, "ticket": ticket}


# --- articles -------------------------------------------------------------------------------


def slug_of(title: str) -> str:
    """`title` as a slug: lower-case letters and digits joined by hyphens."""
    words = re.findall(r"[a-z0-9]+", title.lower())
    return "-".join(words)[:180].strip("-") or "article"


async def _free_slug(session: AsyncSession, base: str) -> str:
    """`base`, or `base-2`, `base-3`, ...: the first no article of the company has."""
    taken = set(
        (
            await session.scalars(
                select(Article.slug).where(
                    (Article.slug == base) | Article.slug.like(f"{base}-%")  # type: ignore[attr-defined]
                )
            )
        ).all()
    )
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


async def get_article(*, session: AsyncSession, id: str) -> Article:
    return await require_row(session, Article, id, path=("id",), what="Article")


async def _article_values(
    session: AsyncSession, values: dict[str, Any], own: str | None
) -> dict[str, Any]:
    if "category_id" in values:
        values["category_id"] = await _ref(
            session, TicketCategory, values["category_id"], "categoryId", "TicketCategory"
        )
    if values.get("slug") is not None:
        conditions: list[Any] = [Article.slug == values["slug"]]
        if own is not None:
            conditions.append(Article.id != own)
        if await _taken(session, *conditions):
            raise UserInputError.single("slug", "is used by another article", ErrorCode.TAKEN)
    if values.get("published"):
        values["published_at"] = utcnow()
    return values


async def create_article(*, session: AsyncSession, data: dict[str, Any]) -> Article:
    payload = validate(ArticleCreate, data)
    values = await _article_values(session, payload.model_dump(exclude_none=True), None)
    if "slug" not in values:
        values["slug"] = await _free_slug(session, slug_of(payload.title))
    article = Article(**values)
    session.add(article)
    await _flush_unique(session, "slug", "is used by another article")
    return article


async def update_article(*, session: AsyncSession, id: str, data: dict[str, Any]) -> Article:
    article = await get_article(session=session, id=id)
    values = validate(ArticleUpdate, data).model_dump(exclude_unset=True)
    require_not_null(ArticleUpdate, values, "title", "body", "slug", "published")
    if values.get("published") and article.published:
        values.pop("published")  # already published: keep when it was
    values = await _article_values(session, values, article.id)
    if values.get("published") is False:
        values["published_at"] = None
    _apply(article, values)
    await _flush_unique(session, "slug", "is used by another article")
    return article


async def delete_article(*, session: AsyncSession, id: str) -> Article:
    article = await get_article(session=session, id=id)
    await session.delete(article)
    await session.flush()
    return article
