"""Query and Mutation fields of the CRM (module: crm)."""

from __future__ import annotations

from typing import Any

import strawberry

from gql.auth.permissions import module_read, module_write
from gql.auth.viewer import Viewer
from gql.core.graph import RootConnection, root_connection, root_get
from gql.core.mutations import mutation
from gql.db.engine import RequestSession
from gql.domains.contacts.models import Contact
from gql.domains.crm import service
from gql.domains.crm.models import Activity, Campaign, Deal, Lead, Pipeline, PipelineStage
from gql.domains.crm.types import (
    MODULE,
    ActivityCompleteInput,
    ActivityConnection,
    ActivityCreateInput,
    ActivityDeleteInput,
    ActivityDeletePayload,
    ActivityFilter,
    ActivityNode,
    ActivityOrder,
    ActivityPayload,
    ActivityUpdateInput,
    CampaignConnection,
    CampaignCreateInput,
    CampaignDeleteInput,
    CampaignDeletePayload,
    CampaignFilter,
    CampaignNode,
    CampaignOrder,
    CampaignPayload,
    CampaignUpdateInput,
    DealConnection,
    DealCreateInput,
    DealDeletePayload,
    DealFilter,
    DealIdInput,
    DealLoseInput,
    DealMoveInput,
    DealNode,
    DealOrder,
    DealPayload,
    DealUpdateInput,
    LeadConnection,
    LeadConvertInput,
    LeadConvertPayload,
    LeadCreateInput,
    LeadDeleteInput,
    LeadDeletePayload,
    LeadFilter,
    LeadNode,
    LeadOrder,
    LeadPayload,
    LeadUpdateInput,
    PipelineConnection,
    PipelineCreateInput,
    PipelineDeleteInput,
    PipelineDeletePayload,
    PipelineFilter,
    PipelineNode,
    PipelineOrder,
    PipelinePayload,
    PipelineStageAddInput,
    PipelineStageNode,
    PipelineStagePayload,
    PipelineStageRemoveInput,
    PipelineStagesReorderInput,
    PipelineStageUpdateInput,
    PipelineUpdateInput,
    activity_filter_of,
    activity_order_of,
    campaign_filter_of,
    campaign_order_of,
    deal_filter_of,
    deal_order_of,
    lead_filter_of,
    lead_order_of,
    pipeline_filter_of,
    pipeline_order_of,
)

READ = module_read(MODULE)
WRITE = module_write(MODULE)

PIPELINES = RootConnection(
    Pipeline, pipeline_filter_of, pipeline_order_of, service.PIPELINE_ORDER_COLUMNS
)
LEADS = RootConnection(Lead, lead_filter_of, lead_order_of, service.LEAD_ORDER_COLUMNS)
DEALS = RootConnection(Deal, deal_filter_of, deal_order_of, service.DEAL_ORDER_COLUMNS)
ACTIVITIES = RootConnection(
    Activity, activity_filter_of, activity_order_of, service.ACTIVITY_ORDER_COLUMNS
)
CAMPAIGNS = RootConnection(
    Campaign, campaign_filter_of, campaign_order_of, service.CAMPAIGN_ORDER_COLUMNS
)


@strawberry.type
class Query:
    pipeline: PipelineNode | None = root_get(Pipeline, "Pipeline", permission_classes=READ)
    pipelines: PipelineConnection = root_connection(
        PIPELINES,
        PipelineConnection,
        filter=PipelineFilter,
        order=PipelineOrder,
        permission_classes=READ,
        description="The company's sales pipelines.",
    )
    pipeline_stage: PipelineStageNode | None = root_get(
        PipelineStage, "PipelineStage", permission_classes=READ
    )
    lead: LeadNode | None = root_get(Lead, "Lead", permission_classes=READ)
    leads: LeadConnection = root_connection(
        LEADS,
        LeadConnection,
        filter=LeadFilter,
        order=LeadOrder,
        permission_classes=READ,
        description="Leads, newest first unless ordered otherwise.",
    )
    deal: DealNode | None = root_get(Deal, "Deal", permission_classes=READ)
    deals: DealConnection = root_connection(
        DEALS,
        DealConnection,
        filter=DealFilter,
        order=DealOrder,
        permission_classes=READ,
        description="Deals of every pipeline, newest first unless ordered otherwise.",
    )
    activity: ActivityNode | None = root_get(Activity, "Activity", permission_classes=READ)
    activities: ActivityConnection = root_connection(
        ACTIVITIES,
        ActivityConnection,
        filter=ActivityFilter,
        order=ActivityOrder,
        permission_classes=READ,
        description="Calls, emails, meetings, tasks and notes, by scheduled date.",
    )
    campaign: CampaignNode | None = root_get(Campaign, "Campaign", permission_classes=READ)
    campaigns: CampaignConnection = root_connection(
        CAMPAIGNS,
        CampaignConnection,
        filter=CampaignFilter,
        order=CampaignOrder,
        permission_classes=READ,
        description="Marketing campaigns, latest start first unless ordered otherwise.",
    )


async def _convert(
    *, session: RequestSession, viewer: Viewer, id: str, data: dict[str, Any]
) -> dict[str, Any]:
    """The converted lead, its new contact and deal: the payload's three fields."""
    lead = await service.convert_lead(session=session, viewer=viewer, id=id, data=data)
    contact = await session.get(Contact, lead.contact_id)
    deal = await session.get(Deal, lead.deal_id) if lead.deal_id else None
    return {"lead": lead, "contact": contact, "deal": deal}


@strawberry.type
class Mutation:
    pipeline_create = mutation(
        input=PipelineCreateInput,
        payload=PipelinePayload,
        field="pipeline",
        run=service.create_pipeline,
        permission=WRITE,
        description="Create a pipeline with its stages, in the order given.",
    )
    pipeline_update = mutation(
        input=PipelineUpdateInput,
        payload=PipelinePayload,
        field="pipeline",
        run=service.update_pipeline,
        permission=WRITE,
    )
    pipeline_delete = mutation(
        input=PipelineDeleteInput,
        payload=PipelineDeletePayload,
        field="deleted_pipeline_id",
        returns="deleted_id",
        run=service.delete_pipeline,
        permission=WRITE,
        description="Delete a pipeline and its stages; IN_USE while it has deals.",
    )
    pipeline_stage_add = mutation(
        input=PipelineStageAddInput,
        payload=PipelineStagePayload,
        field="stage",
        run=service.add_stage,
        permission=WRITE,
        description="Add a stage to a pipeline, last or at `position`.",
    )
    pipeline_stage_update = mutation(
        input=PipelineStageUpdateInput,
        payload=PipelineStagePayload,
        field="stage",
        run=service.update_stage,
        permission=WRITE,
    )
    pipeline_stage_remove = mutation(
        input=PipelineStageRemoveInput,
        payload=PipelinePayload,
        field="pipeline",
        run=service.remove_stage,
        permission=WRITE,
        description="Remove a stage without deals (IN_USE otherwise); a pipeline keeps one. "
        "Answers the pipeline, its stages renumbered.",
    )
    pipeline_stages_reorder = mutation(
        input=PipelineStagesReorderInput,
        payload=PipelinePayload,
        field="pipeline",
        run=service.reorder_stages,
        permission=WRITE,
        description="Put a pipeline's stages in a new order (every stage, each once).",
    )
    lead_create = mutation(
        input=LeadCreateInput,
        payload=LeadPayload,
        field="lead",
        run=service.create_lead,
        permission=WRITE,
    )
    lead_update = mutation(
        input=LeadUpdateInput,
        payload=LeadPayload,
        field="lead",
        run=service.update_lead,
        permission=WRITE,
        description="Change a lead; a converted lead's status stays CONVERTED.",
    )
    lead_delete = mutation(
        input=LeadDeleteInput,
        payload=LeadDeletePayload,
        field="deleted_lead_id",
        returns="deleted_id",
        run=service.delete_lead,
        permission=WRITE,
        description="Delete a lead (a converted one's contact and deal stay).",
    )
    lead_convert = mutation(
        input=LeadConvertInput,
        payload=LeadConvertPayload,
        run=_convert,
        permission=WRITE,
        description="Create the lead's contact and, with `deal`, a deal for it, in one "
        "transaction; link both to the lead and mark it CONVERTED. A second conversion is "
        "refused (INVALID_STATE).",
    )
    deal_create = mutation(
        input=DealCreateInput,
        payload=DealPayload,
        field="deal",
        run=service.create_deal,
        permission=WRITE,
    )
    deal_update = mutation(
        input=DealUpdateInput,
        payload=DealPayload,
        field="deal",
        run=service.update_deal,
        permission=WRITE,
    )
    deal_move = mutation(
        input=DealMoveInput,
        payload=DealPayload,
        field="deal",
        run=service.move_deal,
        permission=WRITE,
        description="Move a deal to another stage of its pipeline (a stage of another "
        "pipeline is refused on stageId).",
    )
    deal_win = mutation(
        input=DealIdInput,
        payload=DealPayload,
        field="deal",
        run=service.win_deal,
        permission=WRITE,
        description="Mark an open deal won.",
    )
    deal_lose = mutation(
        input=DealLoseInput,
        payload=DealPayload,
        field="deal",
        run=service.lose_deal,
        permission=WRITE,
        description="Mark an open deal lost, with a reason.",
    )
    deal_reopen = mutation(
        input=DealIdInput,
        payload=DealPayload,
        field="deal",
        run=service.reopen_deal,
        permission=WRITE,
        description="Reopen a won or lost deal.",
    )
    deal_delete = mutation(
        input=DealIdInput,
        payload=DealDeletePayload,
        field="deleted_deal_id",
        returns="deleted_id",
        run=service.delete_deal,
        permission=WRITE,
        description="Delete a deal and its activities.",
    )
    activity_create = mutation(
        input=ActivityCreateInput,
        payload=ActivityPayload,
        field="activity",
        run=service.create_activity,
        permission=WRITE,
    )
    activity_update = mutation(
        input=ActivityUpdateInput,
        payload=ActivityPayload,
        field="activity",
        run=service.update_activity,
        permission=WRITE,
    )
    activity_complete = mutation(
        input=ActivityCompleteInput,
        payload=ActivityPayload,
        field="activity",
        run=service.complete_activity,
        permission=WRITE,
        description="Mark an activity done (now, or at doneAt).",
    )
    activity_delete = mutation(
        input=ActivityDeleteInput,
        payload=ActivityDeletePayload,
        field="deleted_activity_id",
        returns="deleted_id",
        run=service.delete_activity,
        permission=WRITE,
    )
    campaign_create = mutation(
        input=CampaignCreateInput,
        payload=CampaignPayload,
        field="campaign",
        run=service.create_campaign,
        permission=WRITE,
    )
    campaign_update = mutation(
        input=CampaignUpdateInput,
        payload=CampaignPayload,
        field="campaign",
        run=service.update_campaign,
        permission=WRITE,
    )
    campaign_delete = mutation(
        input=CampaignDeleteInput,
        payload=CampaignDeletePayload,
        field="deleted_campaign_id",
        returns="deleted_id",
        run=service.delete_campaign,
        permission=WRITE,
    )
