"""CRM: the rules for pipelines and their stages, leads (and their conversion), deals,
activities and campaigns, shared by GraphQL and REST.

A stage belongs to exactly one pipeline and a deal sits in a stage of its own pipeline.
Changes that must happen once under concurrent requests (converting a lead, winning,
losing or reopening a deal) start with a claim on the row (gql/core/claims.py): of N
identical requests exactly one goes on, the others get what a retry would get. Stage
edits lock their pipeline the same way, so positions stay 0..n-1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import EmailStr, Field, field_validator
from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gql.auth.viewer import Viewer
from gql.compiler.sqlenv import SqlEnv
from gql.core.claims import claim
from gql.core.errors import ErrorCode, FieldError, UserInputError
from gql.core.graph import Computed
from gql.core.ids import decode_id
from gql.core.inputs import InputModel, require_not_null, require_row, validate
from gql.core.ranges import between, on_days
from gql.core.search import contains_any
from gql.core.versions import bump
from gql.db.columns import utcnow
from gql.db.tenant import get_tenant
from gql.domains.catalogue.models import Currency
from gql.domains.companies.models import Company, Membership
from gql.domains.contacts.models import Contact, ContactType
from gql.domains.contracts.models import Proposal
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
from gql.domains.events.outbox import emit
from gql.tenancy import mapped_table

Name = Field(min_length=1, max_length=200)
Probability = Field(default=0, ge=0, le=100)
Value = Field(default=None, ge=0, max_digits=18, decimal_places=2)
CurrencyCode = Field(default=None, pattern=r"^[A-Z]{3}$")
Notes = Field(default=None, max_length=5000)
MAX_STAGES = 50


# --- inputs ---------------------------------------------------------------------------------


class StageIn(InputModel):
    name: str = Name
    probability: int = Probability


class PipelineCreate(InputModel):
    name: str = Name
    stages: list[StageIn] = Field(min_length=1, max_length=MAX_STAGES)


class PipelineUpdate(InputModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)


class StageAdd(InputModel):
    pipeline_id: str
    name: str = Name
    probability: int = Probability
    position: int | None = Field(default=None, ge=0, description="Default: after the last.")


class StageUpdate(InputModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    probability: int | None = Field(default=None, ge=0, le=100)


class StagesReorder(InputModel):
    pipeline_id: str
    stage_ids: list[str] = Field(min_length=1, max_length=MAX_STAGES)


class LeadFields(InputModel):
    email: EmailStr | None = None
    phone: str | None = Field(default=None, max_length=50)
    company_name: str | None = Field(default=None, max_length=200)
    source: LeadSource | None = None
    status: LeadStatus | None = None
    notes: str | None = Notes

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str | None) -> str | None:
        return value.lower() if value else value

    @field_validator("status")
    @classmethod
    def _not_converted(cls, value: str | None) -> str | None:
        if value == LeadStatus.CONVERTED.value:
            raise ValueError("a lead is converted by leadConvert, not by setting its status")
        return value


class LeadCreate(LeadFields):
    name: str = Name


class LeadUpdate(LeadFields):
    name: str | None = Field(default=None, min_length=1, max_length=200)


class DealFields(InputModel):
    contact_id: str | None = None
    value: Decimal | None = Value
    currency_code: str | None = CurrencyCode
    expected_close_date: date | None = None
    owner_id: str | None = None


class DealCreate(DealFields):
    name: str = Name
    pipeline_id: str
    stage_id: str | None = None  # default: the pipeline's first stage


class DealUpdate(DealFields):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    pipeline_id: str | None = None
    stage_id: str | None = None


class DealMove(InputModel):
    stage_id: str


class DealLose(InputModel):
    reason: str | None = Field(default=None, max_length=500)


class LeadDeal(DealFields):
    """The deal a conversion creates; the contact is the one it creates."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    pipeline_id: str
    stage_id: str | None = None
    contact_id: None = None  # the converted contact, always


class LeadConvert(InputModel):
    contact_type: ContactType | None = None
    deal: LeadDeal | None = None


class ActivityFields(InputModel):
    notes: str | None = Notes
    scheduled_at: datetime | None = None
    done_at: datetime | None = None
    deal_id: str | None = None
    contact_id: str | None = None
    owner_id: str | None = None


class ActivityCreate(ActivityFields):
    type: ActivityType
    subject: str = Field(min_length=1, max_length=300)


class ActivityUpdate(ActivityFields):
    type: ActivityType | None = None
    subject: str | None = Field(default=None, min_length=1, max_length=300)


class ActivityComplete(InputModel):
    done_at: datetime | None = None  # default: now


class CampaignFields(InputModel):
    status: CampaignStatus | None = None
    start_date: date | None = None
    end_date: date | None = None
    budget: Decimal | None = Value
    currency_code: str | None = CurrencyCode
    notes: str | None = Notes


class CampaignCreate(CampaignFields):
    name: str = Name
    type: CampaignType


class CampaignUpdate(CampaignFields):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    type: CampaignType | None = None


# --- computed -------------------------------------------------------------------------------


def _now(env: SqlEnv) -> ColumnElement[Any]:
    """The database's current time, in the form each stores UTC datetimes: the
    statement's own clock, so a compiled plan kept for later is never stale."""
    if env.pg:
        return func.now()
    return func.strftime("%Y-%m-%d %H:%M:%f", "now")


def _overdue(table: Any, env: SqlEnv) -> ColumnElement[bool]:
    """Not done, and scheduled before now; never null."""
    return (
        table.c.done_at.is_(None)
        & table.c.scheduled_at.is_not(None)
        & (table.c.scheduled_at < _now(env))
    )


OVERDUE = Computed(_overdue, "bool")


# --- filters and orders ---------------------------------------------------------------------


def _equal(pairs: Sequence[tuple[Any, Any]]) -> list[ColumnElement[bool]]:
    return [column == value for column, value in pairs if value is not None]


@dataclass(frozen=True)
class PipelineFilter:
    search: str | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        return [contains_any(self.search, Pipeline.name)] if self.search else []


@dataclass(frozen=True)
class LeadFilter:
    status: str | None = None
    source: str | None = None
    created_from: date | None = None
    created_to: date | None = None
    search: str | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        out = _equal(((Lead.status, self.status), (Lead.source, self.source)))
        out += on_days(Lead.created_at, self.created_from, self.created_to)
        if self.search:
            out.append(contains_any(self.search, Lead.name, Lead.email, Lead.company_name))
        return out


@dataclass(frozen=True)
class DealFilter:
    status: str | None = None
    pipeline_id: str | None = None
    stage_id: str | None = None
    contact_id: str | None = None
    owner_id: str | None = None
    expected_close_from: date | None = None
    expected_close_to: date | None = None
    search: str | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        out = _equal(
            (
                (Deal.status, self.status),
                (Deal.pipeline_id, self.pipeline_id),
                (Deal.stage_id, self.stage_id),
                (Deal.contact_id, self.contact_id),
                (Deal.owner_id, self.owner_id),
            )
        )
        out += between(Deal.expected_close_date, self.expected_close_from, self.expected_close_to)
        if self.search:
            out.append(contains_any(self.search, Deal.name))
        return out


@dataclass(frozen=True)
class ActivityFilter:
    type: str | None = None
    deal_id: str | None = None
    contact_id: str | None = None
    owner_id: str | None = None
    done: bool | None = None
    overdue: bool | None = None
    scheduled_from: date | None = None
    scheduled_to: date | None = None
    search: str | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        a = Activity
        out = _equal(
            (
                (a.type, self.type),
                (a.deal_id, self.deal_id),
                (a.contact_id, self.contact_id),
                (a.owner_id, self.owner_id),
            )
        )
        if self.done is not None:
            out.append(a.done_at.is_not(None) if self.done else a.done_at.is_(None))  # type: ignore[union-attr]
        if self.overdue is not None:
            flag = OVERDUE.sql(mapped_table(Activity), env)
            out.append(flag if self.overdue else ~flag)
        out += on_days(a.scheduled_at, self.scheduled_from, self.scheduled_to)
        if self.search:
            out.append(contains_any(self.search, a.subject, a.notes))
        return out


@dataclass(frozen=True)
class CampaignFilter:
    type: str | None = None
    status: str | None = None
    start_from: date | None = None
    start_to: date | None = None
    search: str | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        out = _equal(((Campaign.type, self.type), (Campaign.status, self.status)))
        out += between(Campaign.start_date, self.start_from, self.start_to)
        if self.search:
            out.append(contains_any(self.search, Campaign.name))
        return out


PIPELINE_ORDER_COLUMNS = {"name": Pipeline.name, "created_at": Pipeline.created_at}
LEAD_ORDER_COLUMNS = {"name": Lead.name, "status": Lead.status, "created_at": Lead.created_at}
DEAL_ORDER_COLUMNS = {
    "name": Deal.name,
    "value": Deal.value,
    "expected_close_date": Deal.expected_close_date,
    "created_at": Deal.created_at,
}
ACTIVITY_ORDER_COLUMNS = {
    "scheduled_at": Activity.scheduled_at,
    "created_at": Activity.created_at,
}
CAMPAIGN_ORDER_COLUMNS = {
    "name": Campaign.name,
    "start_date": Campaign.start_date,
    "created_at": Campaign.created_at,
}


# --- shared checks --------------------------------------------------------------------------


async def _currency(
    session: AsyncSession, code: str | None, path: Sequence[str] = ("currencyCode",)
) -> str:
    """`code` when it is the base currency or one of the company's (default: the base)."""
    base = await session.scalar(
        select(Company.base_currency).where(Company.id == get_tenant(session))
    )
    if base is None:  # a session without a company never reaches a service
        raise RuntimeError("no company on this session")
    if code is None or code == base:
        return str(base)
    if await session.scalar(select(Currency.id).where(Currency.code == code)) is None:
        raise UserInputError.single(path, "Currency not found", ErrorCode.NOT_FOUND)
    return code


async def _member(
    session: AsyncSession, ref: str | None, path: Sequence[str] = ("ownerId",)
) -> str | None:
    """The user id of `ref` when that user is a member of the company; another
    company's member is not found, like a user that does not exist."""
    if ref is None:
        return None
    found = await session.scalar(
        select(Membership.user_id).where(
            Membership.user_id == ref, Membership.company_id == get_tenant(session)
        )
    )
    if found is None:
        raise UserInputError.single(path, "Member not found", ErrorCode.NOT_FOUND)
    return str(found)


def _viewer_id(viewer: Viewer) -> str | None:
    return viewer.user.id if viewer.user is not None else None


async def _contact(
    session: AsyncSession, ref: str | None, path: Sequence[str] = ("contactId",)
) -> str | None:
    if ref is None:
        return None
    return (await require_row(session, Contact, ref, path=path, what="Contact")).id


def _apply(row: Any, values: dict[str, Any]) -> None:
    for key, value in values.items():
        setattr(row, key, value)


# --- pipelines and stages -------------------------------------------------------------------


async def get_pipeline(session: AsyncSession, ref: str, path: str = "id") -> Pipeline:
    return await require_row(session, Pipeline, ref, path=(path,), what="Pipeline")


async def stages_of(session: AsyncSession, pipeline_id: str) -> list[PipelineStage]:
    stmt = (
        select(PipelineStage)
        .where(PipelineStage.pipeline_id == pipeline_id)
        .order_by(PipelineStage.position, PipelineStage.id)
    )
    return list((await session.scalars(stmt)).all())


async def stages_of_pipelines(
    session: AsyncSession, pipeline_ids: Sequence[str]
) -> dict[str, list[PipelineStage]]:
    stmt = (
        select(PipelineStage)
        .where(PipelineStage.pipeline_id.in_(list(pipeline_ids)))  # type: ignore[attr-defined]
        .order_by(PipelineStage.pipeline_id, PipelineStage.position, PipelineStage.id)
    )
    out: dict[str, list[PipelineStage]] = {pk: [] for pk in pipeline_ids}
    for stage in (await session.scalars(stmt)).all():
        out[stage.pipeline_id].append(stage)
    return out


async def _locked_pipeline(session: AsyncSession, ref: str, path: str) -> Pipeline:
    """The pipeline, its row locked for the rest of the transaction: stage edits of one
    pipeline run one after another, so its positions stay 0..n-1."""
    pipeline = await get_pipeline(session, ref, path)
    await claim(session, pipeline, what="Pipeline", values={"updated_at": utcnow()}, path=(path,))
    return pipeline


async def _renumber(session: AsyncSession, stages: Sequence[PipelineStage]) -> None:
    for position, stage in enumerate(stages):
        if stage.position != position:
            stage.position = position
    await session.flush()


async def create_pipeline(*, session: AsyncSession, data: dict[str, Any]) -> Pipeline:
    payload = validate(PipelineCreate, data)
    pipeline = Pipeline(name=payload.name)
    session.add(pipeline)
    await session.flush()
    session.add_all(
        PipelineStage(pipeline_id=pipeline.id, name=s.name, probability=s.probability, position=n)
        for n, s in enumerate(payload.stages)
    )
    await session.flush()
    return pipeline


async def update_pipeline(*, session: AsyncSession, id: str, data: dict[str, Any]) -> Pipeline:
    pipeline = await get_pipeline(session, id)
    values = validate(PipelineUpdate, data).model_dump(exclude_unset=True)
    require_not_null(PipelineUpdate, values, "name")
    _apply(pipeline, values)
    await session.flush()
    return pipeline


async def _has_deals(session: AsyncSession, column: Any, value: str) -> bool:
    return await session.scalar(select(func.count()).select_from(Deal).where(column == value)) > 0  # type: ignore[operator]


async def delete_pipeline(*, session: AsyncSession, id: str) -> Pipeline:
    pipeline = await _locked_pipeline(session, id, "id")
    if await _has_deals(session, Deal.pipeline_id, pipeline.id):
        raise UserInputError.single("id", "The pipeline has deals", ErrorCode.IN_USE)
    await session.execute(delete(PipelineStage).where(PipelineStage.pipeline_id == pipeline.id))
    await session.delete(pipeline)
    await session.flush()
    return pipeline


async def add_stage(*, session: AsyncSession, data: dict[str, Any]) -> PipelineStage:
    payload = validate(StageAdd, data)
    pipeline = await _locked_pipeline(session, payload.pipeline_id, "pipelineId")
    stages = await stages_of(session, pipeline.id)
    if len(stages) >= MAX_STAGES:
        raise UserInputError.single("pipelineId", f"A pipeline has at most {MAX_STAGES} stages")
    stage = PipelineStage(
        pipeline_id=pipeline.id, name=payload.name, probability=payload.probability
    )
    at = len(stages) if payload.position is None else min(payload.position, len(stages))
    stages.insert(at, stage)
    stage.position = at
    session.add(stage)
    await _renumber(session, stages)
    return stage


async def get_stage(session: AsyncSession, ref: str, path: str = "id") -> PipelineStage:
    return await require_row(session, PipelineStage, ref, path=(path,), what="PipelineStage")


async def update_stage(*, session: AsyncSession, id: str, data: dict[str, Any]) -> PipelineStage:
    stage = await get_stage(session, id)
    values = validate(StageUpdate, data).model_dump(exclude_unset=True)
    require_not_null(StageUpdate, values, "name", "probability")
    _apply(stage, values)
    await session.flush()
    return stage


async def remove_stage(*, session: AsyncSession, id: str) -> Pipeline:
    """Remove an empty stage (IN_USE while deals sit in it); the pipeline keeps one."""
    stage = await get_stage(session, id)
    pipeline = await _locked_pipeline(session, stage.pipeline_id, "id")
    stages = await stages_of(session, pipeline.id)
    if not any(s.id == stage.id for s in stages):
        raise UserInputError.single("id", "PipelineStage not found", ErrorCode.NOT_FOUND)
    if len(stages) == 1:
        raise UserInputError.single(
            "id", "A pipeline keeps at least one stage", ErrorCode.INVALID_STATE
        )
    if await _has_deals(session, Deal.stage_id, stage.id):
        raise UserInputError.single(
            "id", "Deals are in this stage; move them first", ErrorCode.IN_USE
        )
    await session.delete(next(s for s in stages if s.id == stage.id))
    await session.flush()
    await _renumber(session, [s for s in stages if s.id != stage.id])
    return pipeline


async def reorder_stages(*, session: AsyncSession, data: dict[str, Any]) -> Pipeline:
    """The pipeline's stages in the order given: every one of them, each once."""
    payload = validate(StagesReorder, data)
    pipeline = await _locked_pipeline(session, payload.pipeline_id, "pipelineId")
    stages = {s.id: s for s in await stages_of(session, pipeline.id)}
    errors = []
    wanted: list[PipelineStage] = []
    for n, ref in enumerate(payload.stage_ids):
        stage = stages.get(decode_id(ref, "PipelineStage") or "")
        if stage is None or stage in wanted:
            why = "is not a stage of this pipeline" if stage is None else "is given twice"
            errors.append(FieldError(("stageIds", str(n)), why))
        else:
            wanted.append(stage)
    if not errors and len(wanted) != len(stages):
        errors.append(FieldError(("stageIds",), f"must name all {len(stages)} stages"))
    if errors:
        raise UserInputError(errors)
    await _renumber(session, wanted)
    return pipeline


# --- leads ----------------------------------------------------------------------------------


async def get_lead(session: AsyncSession, ref: str) -> Lead:
    return await require_row(session, Lead, ref, path=("id",), what="Lead")


async def create_lead(*, session: AsyncSession, data: dict[str, Any]) -> Lead:
    payload = validate(LeadCreate, data)
    lead = Lead(**payload.model_dump(exclude_none=True))
    session.add(lead)
    await session.flush()
    return lead


def _refuse_converted(lead: Lead) -> None:
    if lead.status == LeadStatus.CONVERTED.value:
        raise UserInputError.single("id", "The lead is already converted", ErrorCode.INVALID_STATE)


async def update_lead(*, session: AsyncSession, id: str, data: dict[str, Any]) -> Lead:
    lead = await get_lead(session, id)
    values = validate(LeadUpdate, data).model_dump(exclude_unset=True)
    require_not_null(LeadUpdate, values, "name", "source", "status")
    if "status" in values:
        _refuse_converted(lead)  # its status is converted for good
    _apply(lead, values)
    await session.flush()
    return lead


async def delete_lead(*, session: AsyncSession, id: str) -> Lead:
    lead = await get_lead(session, id)
    await session.delete(lead)
    await session.flush()
    return lead


async def convert_lead(
    *, session: AsyncSession, viewer: Viewer, id: str, data: dict[str, Any]
) -> Lead:
    """The lead's contact and, when `deal` is given, its deal, linked back to the lead,
    which is converted; all in the caller's transaction. Checks first, then the claim
    (the first write: of concurrent conversions one goes on, the others are refused as
    a retry would be), then the rows."""
    lead = await get_lead(session, id)
    _refuse_converted(lead)
    payload = validate(LeadConvert, data)
    deal_values: dict[str, Any] | None = None
    if payload.deal is not None:
        deal_values = await _deal_values(
            session, viewer, payload.deal.model_dump(exclude_unset=True), prefix="deal"
        )
    await claim(
        session,
        lead,
        Lead.status != LeadStatus.CONVERTED.value,  # type: ignore[arg-type]
        what="Lead",
        values={"status": LeadStatus.CONVERTED.value, "converted_at": utcnow()},
        refuse=_refuse_converted,
    )
    contact = Contact(
        name=lead.company_name or lead.name,
        type=payload.contact_type or ContactType.CUSTOMER.value,
        company_name=lead.company_name,
        email=lead.email,
        phone=lead.phone,
        notes=lead.notes,
        created_by_id=viewer.user.id if viewer.user is not None else None,
    )
    if lead.company_name:
        contact.contact_persons = [{"firstName": lead.name, "email": lead.email}]
    session.add(contact)
    await session.flush()
    deal = None
    if deal_values is not None:
        deal = Deal(**{"name": lead.name, **deal_values, "contact_id": contact.id})
        session.add(deal)
        await session.flush()
    # No version bump here: the loaded lead is set alike below, and its ORM flush bumps it.
    await session.execute(
        update(Lead)
        .where(Lead.id == lead.id)  # type: ignore[arg-type]
        .values(contact_id=contact.id, deal_id=deal.id if deal else None)
        .execution_options(synchronize_session=False)
    )
    lead.contact_id, lead.deal_id = contact.id, deal.id if deal else None
    return lead


# --- deals ----------------------------------------------------------------------------------


async def get_deal(session: AsyncSession, ref: str) -> Deal:
    return await require_row(session, Deal, ref, path=("id",), what="Deal")


def _path(prefix: str | None, name: str) -> tuple[str, ...]:
    return (prefix, name) if prefix else (name,)


async def _stage_of(
    session: AsyncSession, pipeline: Pipeline, ref: str | None, prefix: str | None
) -> PipelineStage:
    """The stage `ref` of `pipeline` (default: its first). A stage of another pipeline
    is refused, naming the field."""
    if ref is None:
        stages = await stages_of(session, pipeline.id)
        if not stages:  # a pipeline keeps at least one stage
            raise UserInputError.single(_path(prefix, "pipelineId"), "The pipeline has no stages")
        return stages[0]
    path = _path(prefix, "stageId")
    stage = await require_row(session, PipelineStage, ref, path=path, what="PipelineStage")
    if stage.pipeline_id != pipeline.id:
        raise UserInputError.single(path, f"is not a stage of the pipeline {pipeline.name}")
    return stage


async def _deal_values(
    session: AsyncSession,
    viewer: Viewer | None,
    values: dict[str, Any],
    *,
    prefix: str | None = None,
    deal: Deal | None = None,
) -> dict[str, Any]:
    """Checked column values of a new deal (`deal` None) or of the fields an update
    sends: references of the company's rows, a stage of the deal's pipeline."""
    out = {k: v for k, v in values.items() if k not in ("pipeline_id", "stage_id")}
    new_pipeline = values.get("pipeline_id")
    if deal is None or new_pipeline is not None or values.get("stage_id") is not None:
        pipeline = (
            await require_row(
                session, Pipeline, new_pipeline, path=_path(prefix, "pipelineId"), what="Pipeline"
            )
            if new_pipeline is not None
            else await get_pipeline(session, deal.pipeline_id)  # type: ignore[union-attr]
        )
        stage = await _stage_of(session, pipeline, values.get("stage_id"), prefix)
        out["pipeline_id"], out["stage_id"] = pipeline.id, stage.id
    if "contact_id" in values:
        out["contact_id"] = await _contact(
            session, values["contact_id"], _path(prefix, "contactId")
        )
    if deal is None or "currency_code" in values:
        out["currency_code"] = await _currency(
            session, values.get("currency_code"), _path(prefix, "currencyCode")
        )
    if "owner_id" in values:
        out["owner_id"] = await _member(session, values["owner_id"], _path(prefix, "ownerId"))
    elif deal is None and viewer is not None:
        out["owner_id"] = _viewer_id(viewer)  # who creates it owns it, unless told
    if deal is None and out.get("value") is None:
        out["value"] = Decimal("0.00")
    return out


async def create_deal(*, session: AsyncSession, viewer: Viewer, data: dict[str, Any]) -> Deal:
    payload = validate(DealCreate, data)
    values = await _deal_values(session, viewer, payload.model_dump(exclude_unset=True))
    deal = Deal(**values)
    session.add(deal)
    await session.flush()
    return deal


async def update_deal(*, session: AsyncSession, id: str, data: dict[str, Any]) -> Deal:
    deal = await get_deal(session, id)
    sent = validate(DealUpdate, data).model_dump(exclude_unset=True)
    require_not_null(DealUpdate, sent, "name", "value", "currency_code", "pipeline_id", "stage_id")
    was = deal.stage_id
    _apply(deal, await _deal_values(session, None, sent, deal=deal))
    await session.flush()
    await _stage_changed(session, deal, was)
    return deal


async def move_deal(*, session: AsyncSession, id: str, data: dict[str, Any]) -> Deal:
    """To another stage of its own pipeline (a stage of another one is refused)."""
    deal = await get_deal(session, id)
    payload = validate(DealMove, data)
    pipeline = await get_pipeline(session, deal.pipeline_id)
    was = deal.stage_id
    deal.stage_id = (await _stage_of(session, pipeline, payload.stage_id, None)).id
    await session.flush()
    await _stage_changed(session, deal, was)
    return deal


async def _stage_changed(session: AsyncSession, deal: Deal, was: str) -> None:
    """The deal.stage_changed event of a write that moved the deal (one place for both)."""
    if deal.stage_id != was:
        payload = {"fromStageId": was, "toStageId": deal.stage_id}
        await emit(session, type="deal.stage_changed", row=deal, payload=payload)


def _refuse_closed(deal: Deal) -> None:
    if deal.status != DealStatus.OPEN.value:
        raise UserInputError.single(
            "id", f"The deal is already {deal.status}", ErrorCode.INVALID_STATE
        )


def _refuse_open(deal: Deal) -> None:
    if deal.status == DealStatus.OPEN.value:
        raise UserInputError.single("id", "The deal is open", ErrorCode.INVALID_STATE)


async def _close(session: AsyncSession, id: str, status: DealStatus, reason: str | None) -> Deal:
    deal = await get_deal(session, id)
    _refuse_closed(deal)
    values = {"status": status.value, "closed_at": utcnow(), "lost_reason": reason}
    await claim(
        session,
        deal,
        Deal.status == DealStatus.OPEN.value,  # type: ignore[arg-type]
        what="Deal",
        values={**values, "updated_at": utcnow()},
        refuse=_refuse_closed,
    )
    return deal


async def win_deal(*, session: AsyncSession, id: str) -> Deal:
    return await _close(session, id, DealStatus.WON, None)


async def lose_deal(*, session: AsyncSession, id: str, data: dict[str, Any]) -> Deal:
    return await _close(session, id, DealStatus.LOST, validate(DealLose, data).reason)


async def reopen_deal(*, session: AsyncSession, id: str) -> Deal:
    deal = await get_deal(session, id)
    _refuse_open(deal)
    await claim(
        session,
        deal,
        Deal.status != DealStatus.OPEN.value,  # type: ignore[arg-type]
        what="Deal",
        values={"status": DealStatus.OPEN.value, "closed_at": None, "lost_reason": None},
        refuse=_refuse_open,
    )
    return deal


async def delete_deal(*, session: AsyncSession, id: str) -> Deal:
    """Its activities go with it; a lead converted into it keeps its contact."""
    deal = await get_deal(session, id)
    await session.execute(delete(Activity).where(Activity.deal_id == deal.id))  # type: ignore[arg-type]
    for model in (Lead, Proposal):  # they keep their contact, and lose the deal
        await session.execute(
            update(model).where(model.deal_id == deal.id).values(deal_id=None, **bump(model))  # type: ignore[attr-defined]
        )
    await session.delete(deal)
    await session.flush()
    return deal


async def deal_refs(
    session: AsyncSession, deals: Sequence[Deal]
) -> tuple[dict[str, Contact], dict[str, Pipeline]]:
    """The contacts and pipelines of `deals`, by id: one statement each (REST lists)."""
    contact_ids = {d.contact_id for d in deals if d.contact_id}
    pipeline_ids = {d.pipeline_id for d in deals}
    contacts: dict[str, Contact] = {}
    pipelines: dict[str, Pipeline] = {}
    if contact_ids:
        stmt = select(Contact).where(Contact.id.in_(contact_ids))  # type: ignore[attr-defined]
        contacts = {c.id: c for c in (await session.scalars(stmt)).all()}
    if pipeline_ids:
        stmt2 = select(Pipeline).where(Pipeline.id.in_(pipeline_ids))  # type: ignore[attr-defined]
        pipelines = {p.id: p for p in (await session.scalars(stmt2)).all()}
    return contacts, pipelines


# --- activities -----------------------------------------------------------------------------


async def get_activity(session: AsyncSession, ref: str) -> Activity:
    return await require_row(session, Activity, ref, path=("id",), what="Activity")


async def _activity_values(
    session: AsyncSession, values: dict[str, Any], activity: Activity | None
) -> dict[str, Any]:
    out = dict(values)
    if values.get("deal_id") is not None:
        deal = await require_row(session, Deal, values["deal_id"], path=("dealId",), what="Deal")
        out["deal_id"] = deal.id
        if "contact_id" not in values and (activity is None or activity.contact_id is None):
            out["contact_id"] = deal.contact_id  # on the deal's contact too, unless told
    if "contact_id" in values:
        out["contact_id"] = await _contact(session, values["contact_id"])
    if "owner_id" in values:
        out["owner_id"] = await _member(session, values["owner_id"])
    deal_id = out.get("deal_id", activity.deal_id if activity else None)
    contact_id = out.get("contact_id", activity.contact_id if activity else None)
    if deal_id is None and contact_id is None:
        raise UserInputError(
            [
                FieldError(
                    ("dealId",), "An activity is on a deal, a contact or both", ErrorCode.REQUIRED
                )
            ]
        )
    return out


async def create_activity(
    *, session: AsyncSession, viewer: Viewer, data: dict[str, Any]
) -> Activity:
    payload = validate(ActivityCreate, data)
    values = await _activity_values(session, payload.model_dump(exclude_unset=True), None)
    values.setdefault("owner_id", _viewer_id(viewer))
    activity = Activity(**values)
    session.add(activity)
    await session.flush()
    return activity


async def update_activity(*, session: AsyncSession, id: str, data: dict[str, Any]) -> Activity:
    activity = await get_activity(session, id)
    sent = validate(ActivityUpdate, data).model_dump(exclude_unset=True)
    require_not_null(ActivityUpdate, sent, "type", "subject")
    _apply(activity, await _activity_values(session, sent, activity))
    await session.flush()
    return activity


async def complete_activity(*, session: AsyncSession, id: str, data: dict[str, Any]) -> Activity:
    activity = await get_activity(session, id)
    payload = validate(ActivityComplete, data)
    activity.done_at = payload.done_at or utcnow()
    await session.flush()
    return activity


async def delete_activity(*, session: AsyncSession, id: str) -> Activity:
    activity = await get_activity(session, id)
    await session.delete(activity)
    await session.flush()
    return activity


# --- campaigns ------------------------------------------------------------------------------


async def get_campaign(session: AsyncSession, ref: str) -> Campaign:
    return await require_row(session, Campaign, ref, path=("id",), what="Campaign")


def _check_dates(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and end < start:
        raise UserInputError.single("endDate", "must not be before startDate")


async def create_campaign(*, session: AsyncSession, data: dict[str, Any]) -> Campaign:
    payload = validate(CampaignCreate, data)
    _check_dates(payload.start_date, payload.end_date)
    values = payload.model_dump(exclude_none=True)
    values["currency_code"] = await _currency(session, payload.currency_code)
    campaign = Campaign(**values)
    session.add(campaign)
    await session.flush()
    return campaign


async def update_campaign(*, session: AsyncSession, id: str, data: dict[str, Any]) -> Campaign:
    campaign = await get_campaign(session, id)
    values = validate(CampaignUpdate, data).model_dump(exclude_unset=True)
    require_not_null(CampaignUpdate, values, "name", "type", "status", "budget", "currency_code")
    _check_dates(
        values.get("start_date", campaign.start_date), values.get("end_date", campaign.end_date)
    )
    if "currency_code" in values:
        values["currency_code"] = await _currency(session, values["currency_code"])
    _apply(campaign, values)
    await session.flush()
    return campaign


async def delete_campaign(*, session: AsyncSession, id: str) -> Campaign:
    campaign = await get_campaign(session, id)
    await session.delete(campaign)
    await session.flush()
    return campaign
