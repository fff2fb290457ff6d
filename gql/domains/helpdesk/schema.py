"""Query and Mutation fields of the helpdesk (module: helpdesk)."""

from __future__ import annotations

import strawberry

from gql.auth.permissions import module_read, module_write
from gql.core.graph import RootConnection, root_connection, root_get
from gql.core.mutations import mutation
from gql.domains.helpdesk import service
from gql.domains.helpdesk.models import Article, Sla, Ticket, TicketCategory
from gql.domains.helpdesk.types import (
    MODULE,
    ArticleConnection,
    ArticleCreateInput,
    ArticleDeleteInput,
    ArticleDeletePayload,
    ArticleFilter,
    ArticleNode,
    ArticleOrder,
    ArticlePayload,
    ArticleUpdateInput,
    SlaConnection,
    SlaCreateInput,
    SlaDeleteInput,
    SlaDeletePayload,
    SlaFilter,
    SlaNode,
    SlaOrder,
    SlaPayload,
    SlaUpdateInput,
    TicketCategoryConnection,
    TicketCategoryCreateInput,
    TicketCategoryDeleteInput,
    TicketCategoryDeletePayload,
    TicketCategoryFilter,
    TicketCategoryNode,
    TicketCategoryOrder,
    TicketCategoryPayload,
    TicketCategoryUpdateInput,
    TicketConnection,
    TicketCreateInput,
    TicketDeleteInput,
    TicketDeletePayload,
    TicketFilter,
    TicketNode,
    TicketOrder,
    TicketPayload,
    TicketReplyCreateInput,
    TicketReplyPayload,
    TicketUpdateInput,
    article_filter_of,
    article_order_of,
    category_filter_of,
    category_order_of,
    sla_filter_of,
    sla_order_of,
    ticket_filter_of,
    ticket_order_of,
)

READ = module_read(MODULE)
WRITE = module_write(MODULE)

CATEGORIES = RootConnection(
    TicketCategory, category_filter_of, category_order_of, service.CATEGORY_ORDER_COLUMNS
)
SLAS = RootConnection(Sla, sla_filter_of, sla_order_of, service.SLA_ORDER_COLUMNS)
TICKETS = RootConnection(Ticket, ticket_filter_of, ticket_order_of, service.TICKET_ORDER_COLUMNS)
ARTICLES = RootConnection(
    Article, article_filter_of, article_order_of, service.ARTICLE_ORDER_COLUMNS
)


@strawberry.type
class Query:
    ticket_category: TicketCategoryNode | None = root_get(
        TicketCategory, "Ticket category", permission_classes=READ
    )
    ticket_categories: TicketCategoryConnection = root_connection(
        CATEGORIES,
        TicketCategoryConnection,
        filter=TicketCategoryFilter,
        order=TicketCategoryOrder,
        permission_classes=READ,
        description="Ticket categories, by name.",
    )
    sla: SlaNode | None = root_get(Sla, "SLA", permission_classes=READ)
    slas: SlaConnection = root_connection(
        SLAS,
        SlaConnection,
        filter=SlaFilter,
        order=SlaOrder,
        permission_classes=READ,
        description="Service-level agreements, by name.",
    )
    ticket: TicketNode | None = root_get(Ticket, "Ticket", permission_classes=READ)
    tickets: TicketConnection = root_connection(
        TICKETS,
        TicketConnection,
        filter=TicketFilter,
        order=TicketOrder,
        permission_classes=READ,
        description="Support tickets, newest (highest number) first unless ordered otherwise.",
    )
    article: ArticleNode | None = root_get(Article, "Article", permission_classes=READ)
    articles: ArticleConnection = root_connection(
        ARTICLES,
        ArticleConnection,
        filter=ArticleFilter,
        order=ArticleOrder,
        permission_classes=READ,
        description="Knowledge-base articles: only published ones unless the filter asks.",
    )


@strawberry.type
class Mutation:
    ticket_category_create = mutation(
        input=TicketCategoryCreateInput,
        payload=TicketCategoryPayload,
        field="ticket_category",
        run=service.create_category,
        permission=WRITE,
        description="Add a ticket category (names are unique in the company).",
    )
    ticket_category_update = mutation(
        input=TicketCategoryUpdateInput,
        payload=TicketCategoryPayload,
        field="ticket_category",
        run=service.update_category,
        permission=WRITE,
    )
    ticket_category_delete = mutation(
        input=TicketCategoryDeleteInput,
        payload=TicketCategoryDeletePayload,
        field="deleted_ticket_category_id",
        returns="deleted_id",
        run=service.delete_category,
        permission=WRITE,
        description="Delete a category no ticket or article uses (IN_USE otherwise).",
    )
    sla_create = mutation(
        input=SlaCreateInput,
        payload=SlaPayload,
        field="sla",
        run=service.create_sla,
        permission=WRITE,
        description="Add an SLA: default response and resolution times in hours, and "
        "optional per-priority targets that override them.",
    )
    sla_update = mutation(
        input=SlaUpdateInput,
        payload=SlaPayload,
        field="sla",
        run=service.update_sla,
        permission=WRITE,
        description="Change an SLA for tickets opened from now on (open tickets keep their dues).",
    )
    sla_delete = mutation(
        input=SlaDeleteInput,
        payload=SlaDeletePayload,
        field="deleted_sla_id",
        returns="deleted_id",
        run=service.delete_sla,
        permission=WRITE,
        description="Delete an SLA no ticket runs against (IN_USE otherwise).",
    )
    ticket_create = mutation(
        input=TicketCreateInput,
        payload=TicketPayload,
        field="ticket",
        run=service.create_ticket,
        permission=WRITE,
        description="Open a ticket: it takes the company's next number, and its SLA's "
        "first-response and resolution dues for its priority are fixed from now.",
    )
    ticket_update = mutation(
        input=TicketUpdateInput,
        payload=TicketPayload,
        field="ticket",
        run=service.update_ticket,
        permission=WRITE,
        description="Change a ticket or move its status (only the allowed moves; "
        "INVALID_STATE on `status` otherwise). Resolving records resolvedAt; reopening "
        "clears it.",
    )
    ticket_delete = mutation(
        input=TicketDeleteInput,
        payload=TicketDeletePayload,
        field="deleted_ticket_id",
        returns="deleted_id",
        run=service.delete_ticket,
        permission=WRITE,
        description="Delete a ticket and its replies (its number is not reused).",
    )
    ticket_reply_create = mutation(
        input=TicketReplyCreateInput,
        payload=TicketReplyPayload,
        run=service.create_reply,
        permission=WRITE,
        description="Reply on a ticket as the viewer, or write an internal note (public: "
        "false). The first public reply sets respondedAt, once.",
    )
    article_create = mutation(
        input=ArticleCreateInput,
        payload=ArticlePayload,
        field="article",
        run=service.create_article,
        permission=WRITE,
        description="Write a knowledge-base article; its slug comes from the title unless "
        "given (unique in the company).",
    )
    article_update = mutation(
        input=ArticleUpdateInput,
        payload=ArticlePayload,
        field="article",
        run=service.update_article,
        permission=WRITE,
    )
    article_delete = mutation(
        input=ArticleDeleteInput,
        payload=ArticleDeletePayload,
        field="deleted_article_id",
        returns="deleted_id",
        run=service.delete_article,
        permission=WRITE,
    )
