"""Numbors REST: /api/crm/pipelines, leads, deals, activities and campaigns (module: crm),
on the same services and list declarations as GraphQL."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from gql.core.graph import RootConnection, list_page
from gql.core.loaders import computed_values
from gql.core.pagination import PageArgs
from gql.domains.companies.modules import ModuleAlias
from gql.domains.contacts.models import Contact
from gql.domains.crm import service
from gql.domains.crm.models import (
    Activity,
    ActivityType,
    Campaign,
    CampaignStatus,
    CampaignType,
    Deal,
    DealStatus,
    Lead,
    LeadSource,
    LeadStatus,
    Pipeline,
    PipelineStage,
)
from gql.domains.crm.schema import ACTIVITIES, CAMPAIGNS, DEALS, LEADS, PIPELINES
from gql.rest.numbors import (
    RestContext,
    bool_param,
    choice_param,
    date_param,
    endpoint,
    id_param,
    ok,
    page_params,
    paginated,
    row_json,
    text_param,
)
from gql.rest.openapi import ApiRoute, choice, day, flag, ref, text
from gql.rest.renames import Renames

MODULE = ModuleAlias.CRM

# The Numbors names for the fields, and ours.
LEAD_NAMES = Renames({"company": "companyName"})
DEAL_NAMES = Renames(
    {
        "pipeline": "pipelineId",
        "stage": "stageId",
        "contact": "contactId",
        "owner": "ownerId",
        "currency": "currencyCode",
    }
)
ACTIVITY_NAMES = Renames({"deal": "dealId", "contact": "contactId", "owner": "ownerId"})
CAMPAIGN_NAMES = Renames({"currency": "currencyCode"})


def _choices(enum: Any) -> list[str]:
    return [e.value for e in enum]


async def _list(
    ctx: RestContext, spec: RootConnection, where: Any, to_json: Any, **kw: Any
) -> Response:
    page = page_params(ctx.request, ctx.settings)
    args = PageArgs(first=page.limit, after=page.offset or None)
    result = await list_page(ctx.session, spec, args, where=where)
    items = await to_json(ctx, result.rows, **kw)
    return paginated(items, total=result.total, page=page.page, limit=page.limit)


# --- pipelines ------------------------------------------------------------------------------


def _stage_json(stage: PipelineStage) -> dict[str, Any]:
    return row_json(stage, exclude=("company_id", "pipeline_id"))


async def _pipelines_json(ctx: RestContext, rows: list[Pipeline]) -> list[dict[str, Any]]:
    stages = await service.stages_of_pipelines(ctx.session, [p.id for p in rows])
    return [row_json(p, stages=[_stage_json(s) for s in stages[p.id]]) for p in rows]


@endpoint(module=MODULE)
async def list_pipelines(ctx: RestContext) -> Response:
    where = service.PipelineFilter(search=text_param(ctx.request, "search", ctx.settings))
    return await _list(ctx, PIPELINES, where, _pipelines_json)


@endpoint(module=MODULE, write=True)
async def create_pipeline(ctx: RestContext) -> Response:
    body = await ctx.body()
    # Numbors sends a stage as its name, or as an object.
    if isinstance(body.get("stages"), list):
        body["stages"] = [{"name": s} if isinstance(s, str) else s for s in body["stages"]]
    pipeline = await service.create_pipeline(session=ctx.session, data=body)
    return ok((await _pipelines_json(ctx, [pipeline]))[0], 201)


# --- leads ----------------------------------------------------------------------------------


async def _leads_json(ctx: RestContext, rows: list[Any]) -> list[dict[str, Any]]:
    refs = ("contact_id", "deal_id", "company_name")
    return [
        row_json(
            lead,
            exclude=("company_id", *refs),
            company=lead.company_name,
            contact=lead.contact_id,
            deal=lead.deal_id,
        )
        for lead in rows
    ]


@endpoint(module=MODULE)
async def list_leads(ctx: RestContext) -> Response:
    where = service.LeadFilter(
        status=choice_param(ctx.request, "status", _choices(LeadStatus)),
        source=choice_param(ctx.request, "source", _choices(LeadSource)),
        search=text_param(ctx.request, "search", ctx.settings),
    )
    return await _list(ctx, LEADS, where, _leads_json)


@endpoint(module=MODULE, write=True, names=LEAD_NAMES)
async def create_lead(ctx: RestContext) -> Response:
    lead = await service.create_lead(session=ctx.session, data=await ctx.body())
    return ok((await _leads_json(ctx, [lead]))[0], 201)


# --- deals ----------------------------------------------------------------------------------


def _contact_brief(contact: Contact | None) -> dict[str, Any] | None:
    if contact is None:
        return None
    return {"id": contact.id, "name": contact.name, "email": contact.email}


async def _deals_json(ctx: RestContext, rows: list[Deal]) -> list[dict[str, Any]]:
    """Deals with their contact and pipeline populated (one statement each)."""
    contacts, pipelines = await service.deal_refs(ctx.session, rows)
    out = []
    for deal in rows:
        pipeline = pipelines.get(deal.pipeline_id)
        out.append(
            row_json(
                deal,
                exclude=("company_id", "pipeline_id", "stage_id", "contact_id", "owner_id"),
                currency=deal.currency_code,
                pipeline={"id": pipeline.id, "name": pipeline.name} if pipeline else None,
                stage=deal.stage_id,
                contact=_contact_brief(contacts.get(deal.contact_id or "")),
                owner=deal.owner_id,
            )
        )
    return out


@endpoint(module=MODULE)
async def list_deals(ctx: RestContext) -> Response:
    where = service.DealFilter(
        status=choice_param(ctx.request, "status", _choices(DealStatus)),
        pipeline_id=id_param(ctx.request, "pipeline", "Pipeline"),
        stage_id=id_param(ctx.request, "stage", "PipelineStage"),
        contact_id=id_param(ctx.request, "contact", "Contact"),
        owner_id=id_param(ctx.request, "owner", "User"),
        expected_close_from=date_param(ctx.request, "expectedCloseFrom"),
        expected_close_to=date_param(ctx.request, "expectedCloseTo"),
        search=text_param(ctx.request, "search", ctx.settings),
    )
    return await _list(ctx, DEALS, where, _deals_json)


@endpoint(module=MODULE, write=True, names=DEAL_NAMES)
async def create_deal(ctx: RestContext) -> Response:
    deal = await service.create_deal(session=ctx.session, viewer=ctx.viewer, data=await ctx.body())
    return ok((await _deals_json(ctx, [deal]))[0], 201)


# --- activities -----------------------------------------------------------------------------


async def _activities_json(ctx: RestContext, rows: list[Activity]) -> list[dict[str, Any]]:
    """With `overdue`: the expression Activity.overdue answers on GraphQL."""
    flags = await computed_values(ctx.session, Activity, [service.OVERDUE], [a.id for a in rows])
    return [
        row_json(
            a,
            exclude=("company_id", "deal_id", "contact_id", "owner_id"),
            deal=a.deal_id,
            contact=a.contact_id,
            owner=a.owner_id,
            overdue=flags[a.id][0],
        )
        for a in rows
    ]


@endpoint(module=MODULE)
async def list_activities(ctx: RestContext) -> Response:
    """Sorted by scheduled date, soonest first (the list's default order)."""
    where = service.ActivityFilter(
        type=choice_param(ctx.request, "type", _choices(ActivityType)),
        deal_id=id_param(ctx.request, "deal", "Deal"),
        contact_id=id_param(ctx.request, "contact", "Contact"),
        owner_id=id_param(ctx.request, "owner", "User"),
        done=bool_param(ctx.request, "done"),
        overdue=bool_param(ctx.request, "overdue"),
        scheduled_from=date_param(ctx.request, "from"),
        scheduled_to=date_param(ctx.request, "to"),
        search=text_param(ctx.request, "search", ctx.settings),
    )
    return await _list(ctx, ACTIVITIES, where, _activities_json)


@endpoint(module=MODULE, write=True, names=ACTIVITY_NAMES)
async def create_activity(ctx: RestContext) -> Response:
    activity = await service.create_activity(
        session=ctx.session, viewer=ctx.viewer, data=await ctx.body()
    )
    return ok((await _activities_json(ctx, [activity]))[0], 201)


# --- campaigns ------------------------------------------------------------------------------


async def _campaigns_json(ctx: RestContext, rows: list[Any]) -> list[dict[str, Any]]:
    return [row_json(c, currency=c.currency_code) for c in rows]


@endpoint(module=MODULE)
async def list_campaigns(ctx: RestContext) -> Response:
    where = service.CampaignFilter(
        type=choice_param(ctx.request, "type", _choices(CampaignType)),
        status=choice_param(ctx.request, "status", _choices(CampaignStatus)),
        search=text_param(ctx.request, "search", ctx.settings),
    )
    return await _list(ctx, CAMPAIGNS, where, _campaigns_json)


@endpoint(module=MODULE, write=True, names=CAMPAIGN_NAMES)
async def create_campaign(ctx: RestContext) -> Response:
    campaign = await service.create_campaign(session=ctx.session, data=await ctx.body())
    return ok((await _campaigns_json(ctx, [campaign]))[0], 201)


routes = [
    ApiRoute(
        "/crm/pipelines",
        list_pipelines,
        "GET",
        summary="List pipelines",
        row=Pipeline,
        query=[text("search")],
    ),
    ApiRoute(
        "/crm/pipelines",
        create_pipeline,
        "POST",
        summary="Create a pipeline",
        row=Pipeline,
        body=service.PipelineCreate,
    ),
    ApiRoute(
        "/crm/leads",
        list_leads,
        "GET",
        summary="List leads",
        row=Lead,
        query=[choice("status", LeadStatus), choice("source", LeadSource), text("search")],
    ),
    ApiRoute(
        "/crm/leads",
        create_lead,
        "POST",
        summary="Create a lead",
        row=Lead,
        body=service.LeadCreate,
    ),
    ApiRoute(
        "/crm/deals",
        list_deals,
        "GET",
        summary="List deals",
        row=Deal,
        query=[
            choice("status", DealStatus),
            ref("pipeline"),
            ref("stage"),
            ref("contact"),
            ref("owner"),
            day("expectedCloseFrom"),
            day("expectedCloseTo"),
            text("search"),
        ],
    ),
    ApiRoute(
        "/crm/deals",
        create_deal,
        "POST",
        summary="Create a deal",
        row=Deal,
        body=service.DealCreate,
    ),
    ApiRoute(
        "/crm/activities",
        list_activities,
        "GET",
        summary="List activities",
        row=Activity,
        query=[
            choice("type", ActivityType),
            ref("deal"),
            ref("contact"),
            ref("owner"),
            flag("done"),
            flag("overdue"),
            day("from"),
            day("to"),
            text("search"),
        ],
    ),
    ApiRoute(
        "/crm/activities",
        create_activity,
        "POST",
        summary="Create an activity",
        row=Activity,
        body=service.ActivityCreate,
    ),
    ApiRoute(
        "/crm/campaigns",
        list_campaigns,
        "GET",
        summary="List campaigns",
        row=Campaign,
        query=[choice("type", CampaignType), choice("status", CampaignStatus), text("search")],
    ),
    ApiRoute(
        "/crm/campaigns",
        create_campaign,
        "POST",
        summary="Create a campaign",
        row=Campaign,
        body=service.CampaignCreate,
    ),
]
