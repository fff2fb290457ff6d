"""GraphQL types of the CRM (module: crm): pipelines and stages, leads, deals,
activities and campaigns, their inputs, filters and orders."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any

import strawberry

from gql.core.filter_values import enum_value, id_filter, order_of
from gql.core.graph import (
    EdgeConnection,
    computed,
    connection_edge,
    money,
    python_only,
    to_many,
    to_one,
)
from gql.core.ids import is_object_id
from gql.core.inputs import input_to_dict
from gql.core.money import Money
from gql.core.mutations import UserError
from gql.core.ordering import OrderDirection
from gql.core.relay import Connection, Node, load_with, node_type
from gql.domains.companies.modules import ModuleAlias
from gql.domains.companies.types import UserType, member_user
from gql.domains.contacts.loaders import ContactByIdLoader
from gql.domains.contacts.types import ContactNode, ContactTypeEnum
from gql.domains.crm import service
from gql.domains.crm.loaders import (
    ActivityByIdLoader,
    CampaignByIdLoader,
    DealByIdLoader,
    LeadByIdLoader,
    PipelineByIdLoader,
    PipelineStageByIdLoader,
    StageFigures,
    StageFiguresByPipelineIdLoader,
    StagesByPipelineIdLoader,
)
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

MODULE = ModuleAlias.CRM

LeadSourceEnum = strawberry.enum(
    LeadSource, name="LeadSource", description="Where a lead came from."
)
LeadStatusEnum = strawberry.enum(
    LeadStatus, name="LeadStatus", description="Where a lead stands; CONVERTED by leadConvert only."
)
DealStatusEnum = strawberry.enum(DealStatus, name="DealStatus", description="Open, won or lost.")
ActivityTypeEnum = strawberry.enum(ActivityType, name="ActivityType")
CampaignTypeEnum = strawberry.enum(CampaignType, name="CampaignType")
CampaignStatusEnum = strawberry.enum(CampaignStatus, name="CampaignStatus")

# Types further down this module (edges that point down).
_THIS_MODULE = strawberry.lazy("gql.domains.crm.types")


async def _owner(root: Any, info: strawberry.Info) -> UserType | None:
    return await member_user(info, root.owner_id)


OWNER_REASON = "a member is a user of the company, not a company row the compiler reads"


def _deal_edge(fk: str) -> EdgeConnection:
    return EdgeConnection(
        Deal,
        fk,
        filter_of=lambda value: deal_filter_of(value),
        order_of=lambda value: deal_order_of(value),
        order_columns=service.DEAL_ORDER_COLUMNS,
        module=MODULE,
    )


def _activity_edge(fk: str) -> EdgeConnection:
    return EdgeConnection(
        Activity,
        fk,
        filter_of=lambda value: activity_filter_of(value),
        order_of=lambda value: activity_order_of(value),
        order_columns=service.ACTIVITY_ORDER_COLUMNS,
        module=MODULE,
    )


DEALS = (
    Annotated["DealConnection", _THIS_MODULE],
    Annotated["DealFilter", _THIS_MODULE],
    Annotated["DealOrder", _THIS_MODULE],
)
ACTIVITIES = (
    Annotated["ActivityConnection", _THIS_MODULE],
    Annotated["ActivityFilter", _THIS_MODULE],
    Annotated["ActivityOrder", _THIS_MODULE],
)


@strawberry.type(
    name="PipelineStageReport",
    description="A stage's OPEN deals in one currency: how many, their value, and their value "
    "weighted by the stage's win probability. A stage without open deals has one row "
    "with currency null and zeros.",
)
class PipelineStageReport:
    currency: str | None
    deal_count: int
    total_value: Decimal
    weighted_value: Decimal
    stage_id: strawberry.Private[str]

    @strawberry.field
    async def stage(self, info: strawberry.Info) -> PipelineStageNode:
        return await info.context.loaders.get(PipelineStageByIdLoader).load(self.stage_id)  # type: ignore[no-any-return]

    @classmethod
    def of(cls, figures: StageFigures) -> PipelineStageReport:
        return cls(
            currency=figures.currency,
            deal_count=figures.deal_count,
            total_value=figures.total_value,
            weighted_value=figures.weighted_value,
            stage_id=figures.stage_id,
        )


async def _report(root: Any, info: strawberry.Info) -> list[PipelineStageReport]:
    figures = await info.context.loaders.get(StageFiguresByPipelineIdLoader).load(root.id)
    return [PipelineStageReport.of(f) for f in figures]


@node_type(
    name="Pipeline",
    model=Pipeline,
    load=load_with(PipelineByIdLoader),
    module=MODULE,
    description="A sales pipeline: ordered stages that deals move through.",
)
class PipelineNode(Node):
    name: str
    created_at: datetime
    updated_at: datetime
    stages: list[Annotated[PipelineStageNode, _THIS_MODULE]] = to_many(
        StagesByPipelineIdLoader, description="Its stages, in order."
    )
    deals: Annotated[DealConnection, _THIS_MODULE] = connection_edge(
        _deal_edge("pipeline_id"),
        DEALS[0],
        filter=DEALS[1],
        order=DEALS[2],
        description="Its deals.",
    )
    report: list[PipelineStageReport] = python_only(
        _report,
        "a GROUP BY over the pipeline's deals, read by its own loader",
        description="Per stage, in order: count, total value and probability-weighted value of "
        "its open deals (one SQL aggregation for every pipeline asked for).",
    )


@node_type(
    name="PipelineStage",
    model=PipelineStage,
    load=load_with(PipelineStageByIdLoader),
    module=MODULE,
    description="One stage of one pipeline.",
)
class PipelineStageNode(Node):
    name: str
    position: int = strawberry.field(description="Its place in the pipeline, from 0.")
    probability: int = strawberry.field(description="Win probability of its deals, 0-100.")
    created_at: datetime
    pipeline: PipelineNode = to_one(PipelineByIdLoader, "pipeline_id")
    deals: Annotated[DealConnection, _THIS_MODULE] = connection_edge(
        _deal_edge("stage_id"),
        DEALS[0],
        filter=DEALS[1],
        order=DEALS[2],
        description="The deals in this stage.",
    )


@node_type(
    name="Deal",
    model=Deal,
    load=load_with(DealByIdLoader),
    module=MODULE,
    description="A sale in the making: in a stage of its pipeline until won or lost.",
)
class DealNode(Node):
    name: str
    currency_code: str
    expected_close_date: date | None
    status: DealStatusEnum  # type: ignore[valid-type]
    lost_reason: str | None
    closed_at: datetime | None = strawberry.field(description="When it was won or lost.")
    created_at: datetime
    updated_at: datetime
    value: Money = money("value")
    pipeline: PipelineNode = to_one(PipelineByIdLoader, "pipeline_id")
    stage: PipelineStageNode = to_one(PipelineStageByIdLoader, "stage_id")
    contact: ContactNode | None = to_one(ContactByIdLoader, "contact_id")
    owner: UserType | None = python_only(
        _owner, OWNER_REASON, description="The member of the company who owns the deal."
    )
    activities: Annotated[ActivityConnection, _THIS_MODULE] = connection_edge(
        _activity_edge("deal_id"),
        ACTIVITIES[0],
        filter=ACTIVITIES[1],
        order=ACTIVITIES[2],
        description="Its activities, by scheduled date.",
    )


@node_type(
    name="Lead",
    model=Lead,
    load=load_with(LeadByIdLoader),
    module=MODULE,
    description="A prospect not yet a contact; leadConvert makes the contact (and a deal).",
)
class LeadNode(Node):
    name: str
    email: str | None
    phone: str | None
    company_name: str | None = strawberry.field(description="The prospect's company.")
    source: LeadSourceEnum  # type: ignore[valid-type]
    status: LeadStatusEnum  # type: ignore[valid-type]
    notes: str | None
    converted_at: datetime | None
    created_at: datetime
    updated_at: datetime
    contact: ContactNode | None = to_one(
        ContactByIdLoader, "contact_id", description="The contact it was converted into."
    )
    deal: DealNode | None = to_one(
        DealByIdLoader, "deal_id", description="The deal its conversion created."
    )


@node_type(
    name="Activity",
    model=Activity,
    load=load_with(ActivityByIdLoader),
    module=MODULE,
    description="A call, email, meeting, task or note on a deal and/or a contact.",
)
class ActivityNode(Node):
    type: ActivityTypeEnum  # type: ignore[valid-type]
    subject: str
    notes: str | None
    scheduled_at: datetime | None
    done_at: datetime | None
    created_at: datetime
    updated_at: datetime
    overdue: bool = computed(service.OVERDUE, description="Not done, and scheduled before now.")
    deal: DealNode | None = to_one(DealByIdLoader, "deal_id")
    contact: ContactNode | None = to_one(ContactByIdLoader, "contact_id")
    owner: UserType | None = python_only(
        _owner, OWNER_REASON, description="The member of the company it is assigned to."
    )


@node_type(
    name="Campaign",
    model=Campaign,
    load=load_with(CampaignByIdLoader),
    module=MODULE,
    description="A marketing campaign by email, SMS or social media.",
)
class CampaignNode(Node):
    name: str
    type: CampaignTypeEnum  # type: ignore[valid-type]
    status: CampaignStatusEnum  # type: ignore[valid-type]
    start_date: date | None
    end_date: date | None
    currency_code: str
    notes: str | None
    created_at: datetime
    updated_at: datetime
    budget: Money = money("budget")


# --- connections, filters and orders --------------------------------------------------------


@strawberry.type(name="PipelineConnection")
class PipelineConnection(Connection[PipelineNode]):
    pass


@strawberry.type(name="LeadConnection")
class LeadConnection(Connection[LeadNode]):
    pass


@strawberry.type(name="DealConnection")
class DealConnection(Connection[DealNode]):
    pass


@strawberry.type(name="ActivityConnection")
class ActivityConnection(Connection[ActivityNode]):
    pass


@strawberry.type(name="CampaignConnection")
class CampaignConnection(Connection[CampaignNode]):
    pass


_DAY_FROM = "From this day, included."
_DAY_TO = "To this day, included."


def _day(description: str) -> Any:
    return strawberry.field(default=strawberry.UNSET, description=description)


@strawberry.enum(description="What pipelines can be sorted by.")
class PipelineOrderField(Enum):
    NAME = "name"
    CREATED_AT = "created_at"


@strawberry.input(description="How to sort pipelines.")
class PipelineOrder:
    field: PipelineOrderField = PipelineOrderField.NAME
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input(description="Which pipelines to list.")
class PipelineFilter:
    search: str | None = strawberry.field(default=strawberry.UNSET, description="Part of the name.")


@strawberry.enum(description="What leads can be sorted by.")
class LeadOrderField(Enum):
    NAME = "name"
    STATUS = "status"
    CREATED_AT = "created_at"


@strawberry.input(description="How to sort leads.")
class LeadOrder:
    field: LeadOrderField = LeadOrderField.CREATED_AT
    direction: OrderDirection = OrderDirection.DESC


@strawberry.input(description="Which leads to list; all conditions must hold.")
class LeadFilter:
    status: LeadStatusEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    source: LeadSourceEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    created_from: date | None = _day(_DAY_FROM + " (UTC)")
    created_to: date | None = _day(_DAY_TO + " (UTC)")
    search: str | None = strawberry.field(
        default=strawberry.UNSET, description="Part of the name, email or company."
    )


@strawberry.enum(description="What deals can be sorted by.")
class DealOrderField(Enum):
    NAME = "name"
    VALUE = "value"
    EXPECTED_CLOSE_DATE = "expected_close_date"
    CREATED_AT = "created_at"


@strawberry.input(description="How to sort deals.")
class DealOrder:
    field: DealOrderField = DealOrderField.CREATED_AT
    direction: OrderDirection = OrderDirection.DESC


@strawberry.input(description="Which deals to list; all conditions must hold.")
class DealFilter:
    status: DealStatusEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    pipeline_id: strawberry.ID | None = strawberry.UNSET
    stage_id: strawberry.ID | None = strawberry.UNSET
    contact_id: strawberry.ID | None = strawberry.UNSET
    owner_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="A member's user id."
    )
    expected_close_from: date | None = _day(_DAY_FROM)
    expected_close_to: date | None = _day(_DAY_TO)
    search: str | None = strawberry.field(default=strawberry.UNSET, description="Part of the name.")


@strawberry.enum(description="What activities can be sorted by.")
class ActivityOrderField(Enum):
    SCHEDULED_AT = "scheduled_at"
    CREATED_AT = "created_at"


@strawberry.input(description="How to sort activities (default: by scheduled date, soonest first).")
class ActivityOrder:
    field: ActivityOrderField = ActivityOrderField.SCHEDULED_AT
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input(description="Which activities to list; all conditions must hold.")
class ActivityFilter:
    type: ActivityTypeEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    deal_id: strawberry.ID | None = strawberry.UNSET
    contact_id: strawberry.ID | None = strawberry.UNSET
    owner_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="A member's user id."
    )
    done: bool | None = strawberry.UNSET
    overdue: bool | None = strawberry.UNSET
    scheduled_from: date | None = _day(_DAY_FROM + " (UTC)")
    scheduled_to: date | None = _day(_DAY_TO + " (UTC)")
    search: str | None = strawberry.field(
        default=strawberry.UNSET, description="Part of the subject or notes."
    )


@strawberry.enum(description="What campaigns can be sorted by.")
class CampaignOrderField(Enum):
    NAME = "name"
    START_DATE = "start_date"
    CREATED_AT = "created_at"


@strawberry.input(description="How to sort campaigns.")
class CampaignOrder:
    field: CampaignOrderField = CampaignOrderField.START_DATE
    direction: OrderDirection = OrderDirection.DESC


@strawberry.input(description="Which campaigns to list; all conditions must hold.")
class CampaignFilter:
    type: CampaignTypeEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    status: CampaignStatusEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    start_from: date | None = _day(_DAY_FROM)
    start_to: date | None = _day(_DAY_TO)
    search: str | None = strawberry.field(default=strawberry.UNSET, description="Part of the name.")


def _user_ref(value: Any) -> str | None:
    return (value if is_object_id(value) else "-") if value else None


def _data(value: Any) -> dict[str, Any]:
    return input_to_dict(value) if value else {}


def pipeline_filter_of(value: PipelineFilter | None) -> service.PipelineFilter:
    return service.PipelineFilter(search=_data(value).get("search"))


def lead_filter_of(value: LeadFilter | None) -> service.LeadFilter:
    data = _data(value)
    return service.LeadFilter(
        status=enum_value(data.get("status")),
        source=enum_value(data.get("source")),
        created_from=data.get("createdFrom"),
        created_to=data.get("createdTo"),
        search=data.get("search"),
    )


def deal_filter_of(value: DealFilter | None) -> service.DealFilter:
    data = _data(value)
    return service.DealFilter(
        status=enum_value(data.get("status")),
        pipeline_id=id_filter(data.get("pipelineId"), "Pipeline"),
        stage_id=id_filter(data.get("stageId"), "PipelineStage"),
        contact_id=id_filter(data.get("contactId"), "Contact"),
        owner_id=_user_ref(data.get("ownerId")),
        expected_close_from=data.get("expectedCloseFrom"),
        expected_close_to=data.get("expectedCloseTo"),
        search=data.get("search"),
    )


def activity_filter_of(value: ActivityFilter | None) -> service.ActivityFilter:
    data = _data(value)
    return service.ActivityFilter(
        type=enum_value(data.get("type")),
        deal_id=id_filter(data.get("dealId"), "Deal"),
        contact_id=id_filter(data.get("contactId"), "Contact"),
        owner_id=_user_ref(data.get("ownerId")),
        done=data.get("done"),
        overdue=data.get("overdue"),
        scheduled_from=data.get("scheduledFrom"),
        scheduled_to=data.get("scheduledTo"),
        search=data.get("search"),
    )


def campaign_filter_of(value: CampaignFilter | None) -> service.CampaignFilter:
    data = _data(value)
    return service.CampaignFilter(
        type=enum_value(data.get("type")),
        status=enum_value(data.get("status")),
        start_from=data.get("startFrom"),
        start_to=data.get("startTo"),
        search=data.get("search"),
    )


def pipeline_order_of(value: PipelineOrder | None) -> tuple[str, str]:
    return order_of(value, PipelineOrder)


def lead_order_of(value: LeadOrder | None) -> tuple[str, str]:
    return order_of(value, LeadOrder)


def deal_order_of(value: DealOrder | None) -> tuple[str, str]:
    return order_of(value, DealOrder)


def activity_order_of(value: ActivityOrder | None) -> tuple[str, str]:
    return order_of(value, ActivityOrder)


def campaign_order_of(value: CampaignOrder | None) -> tuple[str, str]:
    return order_of(value, CampaignOrder)


# --- inputs and payloads ------------------------------------------------------------------

_UNSET: Any = strawberry.UNSET


@strawberry.input(description="A stage of a new pipeline.")
class PipelineStageInput:
    name: str
    probability: int = strawberry.field(default=0, description="Win probability, 0-100.")


@strawberry.input(description="A pipeline and its stages, in order.")
class PipelineCreateInput:
    name: str
    stages: list[PipelineStageInput]


@strawberry.input
class PipelineUpdateInput:
    id: strawberry.ID
    name: str | None = _UNSET


@strawberry.input
class PipelineDeleteInput:
    id: strawberry.ID


@strawberry.input(description="A new stage of a pipeline.")
class PipelineStageAddInput:
    pipeline_id: strawberry.ID
    name: str
    probability: int = strawberry.field(default=0, description="Win probability, 0-100.")
    position: int | None = strawberry.field(
        default=_UNSET, description="Where, from 0 (the stages from there move down); default last."
    )


@strawberry.input
class PipelineStageUpdateInput:
    id: strawberry.ID
    name: str | None = _UNSET
    probability: int | None = _UNSET


@strawberry.input
class PipelineStageRemoveInput:
    id: strawberry.ID


@strawberry.input(description="Every stage of the pipeline, in their new order.")
class PipelineStagesReorderInput:
    pipeline_id: strawberry.ID
    stage_ids: list[strawberry.ID]


@strawberry.input(description="A lead's fields; on update, only the fields sent change.")
class LeadFieldsInput:
    email: str | None = _UNSET
    phone: str | None = _UNSET
    company_name: str | None = _UNSET
    source: LeadSourceEnum | None = _UNSET  # type: ignore[valid-type]
    status: LeadStatusEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=_UNSET, description="Any but CONVERTED, which leadConvert sets."
    )
    notes: str | None = _UNSET


@strawberry.input
class LeadCreateInput(LeadFieldsInput):
    name: str


@strawberry.input
class LeadUpdateInput(LeadFieldsInput):
    id: strawberry.ID
    name: str | None = _UNSET


@strawberry.input
class LeadDeleteInput:
    id: strawberry.ID


@strawberry.input(description="A deal's fields; on update, only the fields sent change.")
class DealFieldsInput:
    contact_id: strawberry.ID | None = _UNSET
    value: Decimal | None = strawberry.field(default=_UNSET, description="Zero or more.")
    currency_code: str | None = strawberry.field(
        default=_UNSET, description="The base currency (the default) or one of the company's."
    )
    expected_close_date: date | None = _UNSET
    owner_id: strawberry.ID | None = strawberry.field(
        default=_UNSET, description="A member's user id; on create, default: whoever creates it."
    )


@strawberry.input
class DealCreateInput(DealFieldsInput):
    name: str
    pipeline_id: strawberry.ID
    stage_id: strawberry.ID | None = strawberry.field(
        default=_UNSET, description="A stage of the pipeline; default: its first."
    )


@strawberry.input
class DealUpdateInput(DealFieldsInput):
    id: strawberry.ID
    name: str | None = _UNSET
    pipeline_id: strawberry.ID | None = strawberry.field(
        default=_UNSET,
        description="Another pipeline: stageId (default its first) must be one of its stages.",
    )
    stage_id: strawberry.ID | None = strawberry.field(
        default=_UNSET, description="A stage of the deal's (new) pipeline."
    )


@strawberry.input(description="A deal to another stage of its own pipeline.")
class DealMoveInput:
    id: strawberry.ID
    stage_id: strawberry.ID


@strawberry.input
class DealIdInput:
    id: strawberry.ID


@strawberry.input
class DealLoseInput:
    id: strawberry.ID
    reason: str | None = _UNSET


@strawberry.input(description="The deal a conversion creates, for the new contact.")
class LeadConvertDealInput:
    pipeline_id: strawberry.ID
    stage_id: strawberry.ID | None = strawberry.field(
        default=_UNSET, description="A stage of the pipeline; default: its first."
    )
    name: str | None = strawberry.field(default=_UNSET, description="Default: the lead's name.")
    value: Decimal | None = _UNSET
    currency_code: str | None = _UNSET
    expected_close_date: date | None = _UNSET
    owner_id: strawberry.ID | None = _UNSET


@strawberry.input(description="Convert a lead: its contact, and a deal when `deal` is given.")
class LeadConvertInput:
    id: strawberry.ID
    contact_type: ContactTypeEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=_UNSET, description="Default: CUSTOMER."
    )
    deal: LeadConvertDealInput | None = _UNSET


@strawberry.input(description="An activity's fields; on update, only the fields sent change.")
class ActivityFieldsInput:
    notes: str | None = _UNSET
    scheduled_at: datetime | None = _UNSET
    done_at: datetime | None = _UNSET
    deal_id: strawberry.ID | None = strawberry.field(
        default=_UNSET, description="A deal, a contact or both; with only a deal, its contact."
    )
    contact_id: strawberry.ID | None = _UNSET
    owner_id: strawberry.ID | None = strawberry.field(
        default=_UNSET, description="A member's user id; on create, default: whoever creates it."
    )


@strawberry.input
class ActivityCreateInput(ActivityFieldsInput):
    type: ActivityTypeEnum  # type: ignore[valid-type]
    subject: str


@strawberry.input
class ActivityUpdateInput(ActivityFieldsInput):
    id: strawberry.ID
    type: ActivityTypeEnum | None = _UNSET  # type: ignore[valid-type]
    subject: str | None = _UNSET


@strawberry.input
class ActivityCompleteInput:
    id: strawberry.ID
    done_at: datetime | None = strawberry.field(default=_UNSET, description="Default: now.")


@strawberry.input
class ActivityDeleteInput:
    id: strawberry.ID


@strawberry.input(description="A campaign's fields; on update, only the fields sent change.")
class CampaignFieldsInput:
    status: CampaignStatusEnum | None = _UNSET  # type: ignore[valid-type]
    start_date: date | None = _UNSET
    end_date: date | None = strawberry.field(default=_UNSET, description="Not before startDate.")
    budget: Decimal | None = _UNSET
    currency_code: str | None = strawberry.field(
        default=_UNSET, description="The base currency (the default) or one of the company's."
    )
    notes: str | None = _UNSET


@strawberry.input
class CampaignCreateInput(CampaignFieldsInput):
    name: str
    type: CampaignTypeEnum  # type: ignore[valid-type]


@strawberry.input
class CampaignUpdateInput(CampaignFieldsInput):
    id: strawberry.ID
    name: str | None = _UNSET
    type: CampaignTypeEnum | None = _UNSET  # type: ignore[valid-type]


@strawberry.input
class CampaignDeleteInput:
    id: strawberry.ID


@strawberry.type
class PipelinePayload:
    pipeline: PipelineNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PipelineDeletePayload:
    deleted_pipeline_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PipelineStagePayload:
    stage: PipelineStageNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class LeadPayload:
    lead: LeadNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class LeadDeletePayload:
    deleted_lead_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class LeadConvertPayload:
    lead: LeadNode | None = None
    contact: ContactNode | None = strawberry.field(default=None, description="The new contact.")
    deal: DealNode | None = strawberry.field(default=None, description="The new deal, if asked.")
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DealPayload:
    deal: DealNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DealDeletePayload:
    deleted_deal_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ActivityPayload:
    activity: ActivityNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ActivityDeletePayload:
    deleted_activity_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CampaignPayload:
    campaign: CampaignNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CampaignDeletePayload:
    deleted_campaign_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
