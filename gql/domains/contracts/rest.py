"""Numbors REST: /api/contracts and /api/contracts/proposals, each with its contact
populated."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from gql.core.graph import list_page
from gql.core.loaders import computed_values
from gql.core.lookups import rows_by_id
from gql.core.pagination import PageArgs
from gql.domains.companies.modules import ModuleAlias
from gql.domains.contacts.models import Contact
from gql.domains.contracts import service
from gql.domains.contracts.computed import STATUS
from gql.domains.contracts.models import Contract, ContractStatus, Proposal, ProposalStatus
from gql.domains.contracts.schema import CONTRACTS, PROPOSALS
from gql.rest.numbors import (
    RestContext,
    choice_param,
    endpoint,
    id_param,
    ok,
    page_params,
    paginated,
    row_json,
    text_param,
)
from gql.rest.openapi import ApiRoute, choice, ref, text
from gql.rest.renames import Renames

MODULE = ModuleAlias.CONTRACTS

# The Numbors names for the fields, and ours.
NAMES = Renames({"contact": "contactId", "deal": "dealId", "currency": "currencyCode"})


def _contact_json(contact: Contact | None) -> dict[str, Any] | None:
    if contact is None:
        return None
    return {"id": contact.id, "name": contact.name, "email": contact.email, "type": contact.type}


async def contracts_json(ctx: RestContext, contracts: list[Contract]) -> list[dict[str, Any]]:
    """Each contract with its contact and its status today (the expression the GraphQL
    field answers): two statements for the page."""
    contacts = await rows_by_id(ctx.session, Contact, {c.contact_id for c in contracts})
    statuses = await computed_values(ctx.session, Contract, [STATUS], [c.id for c in contracts])
    return [
        row_json(
            c,
            exclude=("company_id", "contact_id"),
            currency=c.currency_code,
            status=statuses[c.id][0],
            contact=_contact_json(contacts.get(c.contact_id)),
        )
        for c in contracts
    ]


async def proposals_json(ctx: RestContext, proposals: list[Proposal]) -> list[dict[str, Any]]:
    """Each proposal with its contact and its sections in order: two statements."""
    contacts = await rows_by_id(ctx.session, Contact, {p.contact_id for p in proposals})
    sections = await service.sections_of(ctx.session, [p.id for p in proposals])
    return [
        row_json(
            p,
            exclude=("company_id", "contact_id", "deal_id", "contract_id"),
            currency=p.currency_code,
            contact=_contact_json(contacts.get(p.contact_id)),
            contract=p.contract_id,
            deal=p.deal_id,
            sections=[{"title": s.title, "body": s.body} for s in sections.get(p.id, [])],
        )
        for p in proposals
    ]


def _page_args(ctx: RestContext) -> tuple[int, int, PageArgs]:
    page = page_params(ctx.request, ctx.settings)
    return page.page, page.limit, PageArgs(first=page.limit, after=page.offset or None)


@endpoint(module=MODULE)
async def list_contracts(ctx: RestContext) -> Response:
    page, limit, args = _page_args(ctx)
    filter = service.ContractFilter(
        status=choice_param(ctx.request, "status", [s.value for s in ContractStatus]),
        contact_id=id_param(ctx.request, "contact", "Contact"),
        search=text_param(ctx.request, "search", ctx.settings),
    )
    result = await list_page(ctx.session, CONTRACTS, args, where=filter)
    items = await contracts_json(ctx, result.rows)
    return paginated(items, total=result.total, page=page, limit=limit)


@endpoint(module=MODULE, write=True, names=NAMES)
async def create_contract(ctx: RestContext) -> Response:
    contract = await service.create_contract(session=ctx.session, data=await ctx.body())
    return ok((await contracts_json(ctx, [contract]))[0], 201)


@endpoint(module=MODULE)
async def list_proposals(ctx: RestContext) -> Response:
    page, limit, args = _page_args(ctx)
    filter = service.ProposalFilter(
        status=choice_param(ctx.request, "status", [s.value for s in ProposalStatus]),
        contact_id=id_param(ctx.request, "contact", "Contact"),
        deal_id=id_param(ctx.request, "deal", "Deal"),
        search=text_param(ctx.request, "search", ctx.settings),
    )
    result = await list_page(ctx.session, PROPOSALS, args, where=filter)
    items = await proposals_json(ctx, result.rows)
    return paginated(items, total=result.total, page=page, limit=limit)


@endpoint(module=MODULE, write=True, names=NAMES)
async def create_proposal(ctx: RestContext) -> Response:
    proposal = await service.create_proposal(session=ctx.session, data=await ctx.body())
    return ok((await proposals_json(ctx, [proposal]))[0], 201)


routes = [
    ApiRoute(
        "/contracts",
        list_contracts,
        "GET",
        summary="List contracts",
        row=Contract,
        query=[choice("status", ContractStatus), ref("contact"), text("search")],
    ),
    ApiRoute(
        "/contracts",
        create_contract,
        "POST",
        summary="Create a contract",
        row=Contract,
        body=service.ContractCreate,
    ),
    ApiRoute(
        "/contracts/proposals",
        list_proposals,
        "GET",
        summary="List proposals",
        row=Proposal,
        query=[choice("status", ProposalStatus), ref("contact"), ref("deal"), text("search")],
    ),
    ApiRoute(
        "/contracts/proposals",
        create_proposal,
        "POST",
        summary="Create a proposal",
        row=Proposal,
        body=service.ProposalCreate,
    ),
]
