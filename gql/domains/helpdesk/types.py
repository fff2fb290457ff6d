"""GraphQL types of the helpdesk: ticket categories, SLAs and their targets, tickets with
their SLA clock, replies and knowledge-base articles, their inputs, filters and orders
(module: helpdesk)."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

import strawberry

from gql.core.graph import computed, python_only, to_many, to_one
from gql.core.ids import decode_id
from gql.core.inputs import input_to_dict
from gql.core.mutations import UserError
from gql.core.ordering import OrderDirection
from gql.core.relay import Connection, Node, load_with, node_type
from gql.domains.companies.modules import ModuleAlias
from gql.domains.companies.types import UserType, member_user
from gql.domains.contacts.loaders import ContactByIdLoader
from gql.domains.contacts.types import ContactNode
from gql.domains.helpdesk import service
from gql.domains.helpdesk.computed import BREACHED, RESOLUTION_BREACHED, RESPONSE_BREACHED
from gql.domains.helpdesk.loaders import (
    ArticleByIdLoader,
    SlaByIdLoader,
    SlaTargetByIdLoader,
    SlaTargetsBySlaIdLoader,
    TicketByIdLoader,
    TicketCategoryByIdLoader,
    TicketRepliesByTicketIdLoader,
    TicketReplyByIdLoader,
)
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

MODULE = ModuleAlias.HELPDESK

TicketPriorityEnum = strawberry.enum(
    TicketPriority, name="TicketPriority", description="How urgent a ticket is."
)
TicketStatusEnum = strawberry.enum(
    TicketStatus,
    name="TicketStatus",
    description="Where a ticket is: open, pending (waiting on the customer), resolved or "
    "closed. Moves: open -> pending/resolved/closed, pending -> open/resolved/closed, "
    "resolved -> open/closed; closed is final.",
)


async def _assignee(root: Any, info: strawberry.Info) -> UserType | None:
    return await member_user(info, root.assignee_id)


async def _author(root: Any, info: strawberry.Info) -> UserType | None:
    return await member_user(info, root.author_id)


MEMBER = "a user, not a row of the company's tables"


@node_type(
    name="TicketCategory",
    model=TicketCategory,
    load=load_with(TicketCategoryByIdLoader),
    module=MODULE,
    description="What a ticket (or a knowledge-base article) is about: Billing, Access, ...",
)
class TicketCategoryNode(Node):
    name: str
    description: str | None
    created_at: datetime
    updated_at: datetime


@node_type(
    name="SlaTarget",
    model=SlaTarget,
    load=load_with(SlaTargetByIdLoader),
    module=MODULE,
    description="An SLA's targets for one priority, overriding the SLA's defaults.",
)
class SlaTargetNode(Node):
    priority: TicketPriorityEnum  # type: ignore[valid-type]
    response_time: int | None = strawberry.field(description="Hours to the first response.")
    resolution_time: int | None = strawberry.field(description="Hours to resolution.")


@node_type(
    name="Sla",
    model=Sla,
    load=load_with(SlaByIdLoader),
    module=MODULE,
    description="A service-level agreement: how soon a ticket is answered and resolved.",
)
class SlaNode(Node):
    name: str
    description: str | None
    response_time: int | None = strawberry.field(
        description="Hours from opening to the first public reply (unless a target of the "
        "ticket's priority says otherwise)."
    )
    resolution_time: int | None = strawberry.field(
        description="Hours from opening to resolution (unless a target of the ticket's "
        "priority says otherwise)."
    )
    created_at: datetime
    updated_at: datetime
    targets: list[SlaTargetNode] = to_many(
        SlaTargetsBySlaIdLoader, description="Per-priority targets, by priority."
    )


@node_type(
    name="Ticket",
    model=Ticket,
    load=load_with(TicketByIdLoader),
    module=MODULE,
    description="A support request, numbered per company, answered against its SLA.",
)
class TicketNode(Node):
    number: int = strawberry.field(description="1, 2, 3, ... in each company.")
    subject: str
    description: str | None
    priority: TicketPriorityEnum  # type: ignore[valid-type]
    status: TicketStatusEnum  # type: ignore[valid-type]
    opened_at: datetime
    first_response_due: datetime | None = strawberry.field(
        description="When the first public reply is due: opening + the SLA's response time "
        "for the ticket's priority."
    )
    resolution_due: datetime | None = strawberry.field(
        description="When resolution is due: opening + the SLA's resolution time for the "
        "ticket's priority."
    )
    responded_at: datetime | None = strawberry.field(
        description="When the first public reply was written (internal notes do not count)."
    )
    resolved_at: datetime | None
    closed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    response_breached: bool = computed(
        RESPONSE_BREACHED,
        description="The first public reply came after its due, or has not come and is "
        "overdue now.",
    )
    resolution_breached: bool = computed(
        RESOLUTION_BREACHED,
        description="Resolved after its due, or unresolved and overdue now.",
    )
    breached: bool = computed(BREACHED, description="Either target was missed.")
    contact: ContactNode | None = to_one(ContactByIdLoader, "contact_id")
    category: TicketCategoryNode | None = to_one(TicketCategoryByIdLoader, "category_id")
    sla: SlaNode | None = to_one(SlaByIdLoader, "sla_id")
    assignee: UserType | None = python_only(
        _assignee, MEMBER, description="The member the ticket is assigned to."
    )
    replies: list[TicketReplyNode] = to_many(
        TicketRepliesByTicketIdLoader,
        description="Replies and internal notes, oldest first.",
    )


@node_type(
    name="TicketReply",
    model=TicketReply,
    load=load_with(TicketReplyByIdLoader),
    module=MODULE,
    description="A reply on a ticket, or an internal note (public: false).",
)
class TicketReplyNode(Node):
    body: str
    public: bool = strawberry.field(description="False for an internal note.")
    created_at: datetime
    ticket: TicketNode = to_one(TicketByIdLoader, "ticket_id")
    author: UserType | None = python_only(_author, MEMBER, description="Who wrote it.")


@node_type(
    name="Article",
    model=Article,
    load=load_with(ArticleByIdLoader),
    module=MODULE,
    description="A knowledge-base article.",
)
class ArticleNode(Node):
    title: str
    slug: str = strawberry.field(description="Unique in the company; from the title by default.")
    body: str
    published: bool
    published_at: datetime | None
    created_at: datetime
    updated_at: datetime
    category: TicketCategoryNode | None = to_one(TicketCategoryByIdLoader, "category_id")


# --- connections, filters and orders --------------------------------------------------------


@strawberry.type(name="TicketCategoryConnection")
class TicketCategoryConnection(Connection[TicketCategoryNode]):
    pass


@strawberry.type(name="SlaConnection")
class SlaConnection(Connection[SlaNode]):
    pass


@strawberry.type(name="TicketConnection")
class TicketConnection(Connection[TicketNode]):
    pass


@strawberry.type(name="ArticleConnection")
class ArticleConnection(Connection[ArticleNode]):
    pass


@strawberry.enum(description="What ticket categories can be sorted by.")
class TicketCategoryOrderField(Enum):
    NAME = "name"
    CREATED_AT = "created_at"


@strawberry.input(description="How to sort ticket categories.")
class TicketCategoryOrder:
    field: TicketCategoryOrderField = TicketCategoryOrderField.NAME
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input(description="Which ticket categories to list.")
class TicketCategoryFilter:
    search: str | None = strawberry.field(default=strawberry.UNSET, description="Part of the name.")


@strawberry.enum(description="What SLAs can be sorted by.")
class SlaOrderField(Enum):
    NAME = "name"
    CREATED_AT = "created_at"


@strawberry.input(description="How to sort SLAs.")
class SlaOrder:
    field: SlaOrderField = SlaOrderField.NAME
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input(description="Which SLAs to list.")
class SlaFilter:
    search: str | None = strawberry.field(default=strawberry.UNSET, description="Part of the name.")


@strawberry.enum(description="What tickets can be sorted by.")
class TicketOrderField(Enum):
    NUMBER = "number"
    OPENED_AT = "opened_at"
    UPDATED_AT = "updated_at"
    FIRST_RESPONSE_DUE = "first_response_due"
    RESOLUTION_DUE = "resolution_due"


@strawberry.input(description="How to sort tickets.")
class TicketOrder:
    field: TicketOrderField = TicketOrderField.NUMBER
    direction: OrderDirection = OrderDirection.DESC


@strawberry.input(description="Which tickets to list; all conditions must hold.")
class TicketFilter:
    status: TicketStatusEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    priority: TicketPriorityEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    number: int | None = strawberry.UNSET
    category_id: strawberry.ID | None = strawberry.UNSET
    contact_id: strawberry.ID | None = strawberry.UNSET
    assignee_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="A member's user id."
    )
    sla_id: strawberry.ID | None = strawberry.UNSET
    breached: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Either SLA target missed (or not)."
    )
    response_breached: bool | None = strawberry.UNSET
    resolution_breached: bool | None = strawberry.UNSET
    opened_from: date | None = strawberry.field(
        default=strawberry.UNSET, description="Opened on this day (UTC) or later."
    )
    opened_to: date | None = strawberry.field(
        default=strawberry.UNSET, description="Opened on this day (UTC) or earlier."
    )
    resolution_due_from: date | None = strawberry.UNSET
    resolution_due_to: date | None = strawberry.UNSET
    search: str | None = strawberry.field(
        default=strawberry.UNSET, description="Part of the subject or description."
    )


@strawberry.enum(description="What articles can be sorted by.")
class ArticleOrderField(Enum):
    TITLE = "title"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


@strawberry.input(description="How to sort articles.")
class ArticleOrder:
    field: ArticleOrderField = ArticleOrderField.TITLE
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input(description="Which articles to list; only published ones unless asked.")
class ArticleFilter:
    published: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Only published (true) or only unpublished (false)."
    )
    include_unpublished: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Drafts too (when `published` is not given)."
    )
    category_id: strawberry.ID | None = strawberry.UNSET
    search: str | None = strawberry.field(
        default=strawberry.UNSET, description="Part of the title or body."
    )


def _id(data: dict[str, Any], key: str, type_name: str) -> str | None:
    """An id filter: an id that is not of `type_name` matches nothing, like another
    company's."""
    ref = data.get(key)
    return (decode_id(ref, type_name) or "-") if ref else None


def _order(value: Any, default: Any) -> tuple[str, str]:
    order = value or default
    return order.field.value, order.direction.value


def category_filter_of(value: TicketCategoryFilter | None) -> service.NameFilter:
    return service.NameFilter(TicketCategory, (input_to_dict(value) if value else {}).get("search"))


def category_order_of(value: TicketCategoryOrder | None) -> tuple[str, str]:
    return _order(value, TicketCategoryOrder())


def sla_filter_of(value: SlaFilter | None) -> service.NameFilter:
    return service.NameFilter(Sla, (input_to_dict(value) if value else {}).get("search"))


def sla_order_of(value: SlaOrder | None) -> tuple[str, str]:
    return _order(value, SlaOrder())


def ticket_filter_of(value: TicketFilter | None) -> service.TicketFilter:
    data = input_to_dict(value) if value else {}
    return service.TicketFilter(
        status=getattr(data.get("status"), "value", None),
        priority=getattr(data.get("priority"), "value", None),
        number=data.get("number"),
        category_id=_id(data, "categoryId", "TicketCategory"),
        contact_id=_id(data, "contactId", "Contact"),
        assignee_id=data.get("assigneeId"),
        sla_id=_id(data, "slaId", "Sla"),
        breached=data.get("breached"),
        response_breached=data.get("responseBreached"),
        resolution_breached=data.get("resolutionBreached"),
        opened_from=data.get("openedFrom"),
        opened_to=data.get("openedTo"),
        resolution_due_from=data.get("resolutionDueFrom"),
        resolution_due_to=data.get("resolutionDueTo"),
        search=data.get("search"),
    )


def ticket_order_of(value: TicketOrder | None) -> tuple[str, str]:
    return _order(value, TicketOrder())


def article_filter_of(value: ArticleFilter | None) -> service.ArticleFilter:
    data = input_to_dict(value) if value else {}
    return service.ArticleFilter(
        published=data.get("published"),
        include_unpublished=bool(data.get("includeUnpublished")),
        category_id=_id(data, "categoryId", "TicketCategory"),
        search=data.get("search"),
    )


def article_order_of(value: ArticleOrder | None) -> tuple[str, str]:
    return _order(value, ArticleOrder())


# --- inputs and payloads --------------------------------------------------------------------


@strawberry.input
class TicketCategoryCreateInput:
    name: str
    description: str | None = strawberry.UNSET


@strawberry.input
class TicketCategoryUpdateInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET


@strawberry.input(description="An SLA's targets for one priority.")
class SlaTargetInput:
    priority: TicketPriorityEnum  # type: ignore[valid-type]
    response_time: int | None = strawberry.field(default=strawberry.UNSET, description="Hours.")
    resolution_time: int | None = strawberry.field(default=strawberry.UNSET, description="Hours.")


@strawberry.input(description="An SLA's fields; on update, only the fields sent change.")
class SlaFieldsInput:
    description: str | None = strawberry.UNSET
    response_time: int | None = strawberry.field(
        default=strawberry.UNSET, description="Hours to the first public reply."
    )
    resolution_time: int | None = strawberry.field(
        default=strawberry.UNSET, description="Hours to resolution."
    )
    targets: list[SlaTargetInput] | None = strawberry.field(
        default=strawberry.UNSET,
        description="Per-priority targets (one per priority); on update they replace the old.",
    )


@strawberry.input
class SlaCreateInput(SlaFieldsInput):
    name: str


@strawberry.input
class SlaUpdateInput(SlaFieldsInput):
    id: strawberry.ID
    name: str | None = strawberry.UNSET


@strawberry.input(description="A ticket's fields; on update, only the fields sent change.")
class TicketFieldsInput:
    description: str | None = strawberry.UNSET
    category_id: strawberry.ID | None = strawberry.UNSET
    priority: TicketPriorityEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=strawberry.UNSET, description="MEDIUM unless given."
    )
    contact_id: strawberry.ID | None = strawberry.UNSET
    assignee_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="The user id of a member of the company."
    )
    sla_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="The SLA the clock runs against; a new priority or SLA sets the dues "
        "afresh from the opening.",
    )


@strawberry.input
class TicketCreateInput(TicketFieldsInput):
    subject: str


@strawberry.input
class TicketUpdateInput(TicketFieldsInput):
    id: strawberry.ID
    subject: str | None = strawberry.UNSET
    status: TicketStatusEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=strawberry.UNSET, description="Only the allowed moves (see TicketStatus)."
    )


@strawberry.input
class TicketReplyCreateInput:
    ticket_id: strawberry.ID
    body: str
    public: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="True unless given: false makes it an internal note, which does not stop "
        "the response clock.",
    )


@strawberry.input(description="An article's fields; on update, only the fields sent change.")
class ArticleFieldsInput:
    slug: str | None = strawberry.field(
        default=strawberry.UNSET, description="Derived from the title when not given."
    )
    category_id: strawberry.ID | None = strawberry.UNSET
    published: bool | None = strawberry.field(
        default=strawberry.UNSET, description="False unless given."
    )


@strawberry.input
class ArticleCreateInput(ArticleFieldsInput):
    title: str
    body: str


@strawberry.input
class ArticleUpdateInput(ArticleFieldsInput):
    id: strawberry.ID
    title: str | None = strawberry.UNSET
    body: str | None = strawberry.UNSET


@strawberry.type
class TicketCategoryPayload:
    ticket_category: TicketCategoryNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SlaPayload:
    sla: SlaNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class TicketPayload:
    ticket: TicketNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class TicketReplyPayload:
    reply: TicketReplyNode | None = None
    ticket: TicketNode | None = strawberry.field(
        default=None, description="The ticket, with its response clock as it now is."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ArticlePayload:
    article: ArticleNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class TicketCategoryDeleteInput:
    id: strawberry.ID


@strawberry.type
class TicketCategoryDeletePayload:
    deleted_ticket_category_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class SlaDeleteInput:
    id: strawberry.ID


@strawberry.type
class SlaDeletePayload:
    deleted_sla_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class TicketDeleteInput:
    id: strawberry.ID


@strawberry.type
class TicketDeletePayload:
    deleted_ticket_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class ArticleDeleteInput:
    id: strawberry.ID


@strawberry.type
class ArticleDeletePayload:
    deleted_article_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
