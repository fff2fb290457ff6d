"""CRM loaders: rows by id, a pipeline's stages, its per-stage report (one GROUP BY for
every pipeline asked for) and deal and activity owners (members of the company)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from aiodataloader import DataLoader
from sqlalchemy import func, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from gql.compiler.sqlenv import request_env
from gql.core.loaders import ByForeignKeyLoader, ByIdLoader
from gql.db.columns import ExactDecimal
from gql.domains.crm.models import (
    Activity,
    Campaign,
    Deal,
    DealStatus,
    Lead,
    Pipeline,
    PipelineStage,
)
from gql.tenancy import tenant_table

CENT = Decimal("0.01")


class PipelineByIdLoader(ByIdLoader[Pipeline]):
    model = Pipeline


class PipelineStageByIdLoader(ByIdLoader[PipelineStage]):
    model = PipelineStage


class StagesByPipelineIdLoader(ByForeignKeyLoader[PipelineStage]):
    """Pipeline.stages, in position order."""

    model = PipelineStage
    foreign_key = "pipeline_id"
    order_by = ("position", "id")


class LeadByIdLoader(ByIdLoader[Lead]):
    model = Lead


class DealByIdLoader(ByIdLoader[Deal]):
    model = Deal


class ActivityByIdLoader(ByIdLoader[Activity]):
    model = Activity


class CampaignByIdLoader(ByIdLoader[Campaign]):
    model = Campaign


@dataclass(frozen=True)
class StageFigures:
    """A stage's open deals in one currency (none: currency None, zeros)."""

    stage_id: str
    currency: str | None
    deal_count: int
    total_value: Decimal
    weighted_value: Decimal


async def stage_figures(
    session: AsyncSession, pipeline_ids: Sequence[str]
) -> dict[str, list[StageFigures]]:
    """Per pipeline, each stage in position order with its open deals' count, total
    value and probability-weighted value per currency: one GROUP BY statement."""
    env = request_env(session)
    s = tenant_table(PipelineStage, env.tenant_id)
    d = tenant_table(Deal, env.tenant_id)
    open_deals = s.table.outerjoin(
        d.table,
        d.on((d.c.stage_id == s.c.id) & (d.c.status == DealStatus.OPEN.value)),
    )
    # value x probability (a whole percent) is exact at the value's scale.
    weighted = type_coerce(d.c.value * s.c.probability, ExactDecimal(2))
    stmt = (
        select(
            s.c.pipeline_id,
            s.c.id,
            d.c.currency_code,
            func.count(d.c.id),
            func.sum(d.c.value),
            func.sum(weighted),
        )
        .select_from(open_deals)
        .where(s.scope, s.c.pipeline_id.in_(list(pipeline_ids)))
        .group_by(s.c.pipeline_id, s.c.id, s.c.position, d.c.currency_code)
        .order_by(s.c.pipeline_id, s.c.position, s.c.id, d.c.currency_code)
    )
    out: dict[str, list[StageFigures]] = defaultdict(list)
    for pipeline_id, stage_id, currency, count, total, weighted_sum in await session.execute(stmt):
        out[pipeline_id].append(
            StageFigures(
                stage_id=stage_id,
                currency=currency,
                deal_count=int(count),
                total_value=(total or Decimal(0)).quantize(CENT),
                weighted_value=((weighted_sum or Decimal(0)) / 100).quantize(
                    CENT, rounding=ROUND_HALF_UP
                ),
            )
        )
    return out


class StageFiguresByPipelineIdLoader(DataLoader[str, list[StageFigures]]):
    """Pipeline.report: every pipeline of the batch in one statement."""

    def __init__(self, session: AsyncSession) -> None:
        super().__init__()
        self.session = session

    async def batch_load_fn(self, keys: Sequence[str]) -> list[list[StageFigures]]:
        found = await stage_figures(self.session, keys)
        return [found.get(key, []) for key in keys]
