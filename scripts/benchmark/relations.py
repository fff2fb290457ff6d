"""A company's relationships, generated like dataset.py does the books: CRM pipelines
with ordered stages, deals and the activities around them, the helpdesk (categories,
SLAs with per-priority targets, tickets on their SLA clock and the replies that
stopped it) and a few proposals and contracts. Plain dicts for Core inserts.

Each row is what the service would have written (gql/domains/crm, helpdesk, contracts):
a deal's stage belongs to its pipeline and its activities are on its contact too;
tickets are numbered 1, 2, ... per company in the order they were opened, the
"ticket" number series continuing after the last; a ticket's dues are its opening plus
the SLA's hours (the target of its priority when it has one, else the SLA's own); its
first public reply is its respondedAt; an accepted proposal's contract has its title,
contact and value. Every time is before the start of `today`, except the activities
still to come and the deals' expected close dates.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import Any

from sqlmodel import SQLModel

from gql.domains.contacts.models import ContactType
from gql.domains.contracts.models import Contract, Proposal, ProposalSection, ProposalStatus
from gql.domains.crm.models import (
    Activity,
    ActivityType,
    Deal,
    DealStatus,
    Pipeline,
    PipelineStage,
)
from gql.domains.documents.models import NumberSeries
from gql.domains.helpdesk.models import (
    Sla,
    SlaTarget,
    Ticket,
    TicketCategory,
    TicketPriority,
    TicketReply,
    TicketStatus,
)
from gql.domains.helpdesk.service import TICKET_SERIES
from scripts.benchmark.config import Sizes

Row = dict[str, Any]

HISTORY_DAYS = 730
PIPELINES = [
    (
        "New business",
        [("Lead in", 10), ("Qualified", 25), ("Proposal sent", 50), ("Negotiation", 75)],
    ),
    ("Renewals", [("Renewal due", 40), ("Quoted", 70), ("Agreed", 90)]),
    ("Partnerships", [("Intro", 10), ("Pilot", 40), ("Contract", 80)]),
]
DEAL_WHAT = (
    "Office refit, Annual supplies, Support contract, Fleet laptops, Website rebuild, "
    "Training days, Spare parts, Maintenance plan, Warehouse shelving, Event catering"
).split(", ")
LOST_REASONS = ["Price", "Went with a competitor", "No budget", "No decision", "Timing"]
ACTIVITY_SUBJECT = {
    ActivityType.CALL.value: "Call about",
    ActivityType.EMAIL.value: "Email on",
    ActivityType.MEETING.value: "Meeting:",
    ActivityType.TASK.value: "Prepare",
    ActivityType.NOTE.value: "Note on",
}
TICKET_CATEGORIES = "Billing, Shipping, Returns, Technical, Account, Other".split(", ")
# (name, response hours, resolution hours, {priority: (response, resolution)})
SLAS: list[tuple[str, int, int, dict[str, tuple[int, int]]]] = [
    (
        "Standard SLA",
        8,
        48,
        {TicketPriority.URGENT.value: (1, 8), TicketPriority.HIGH.value: (4, 24)},
    ),
    ("Premium SLA", 2, 24, {TicketPriority.URGENT.value: (1, 4)}),
]
TICKET_SUBJECTS = (
    "Invoice sent to the wrong address, Card payment declined, Parcel not delivered, "
    "Wrong item received, Cannot log in, Refund not received, Duplicate charge, "
    "Damaged on arrival, Need a copy of the statement, Change of billing contact"
).split(", ")
P = TicketPriority
PRIORITIES = [(P.LOW.value, 25), (P.MEDIUM.value, 45), (P.HIGH.value, 20), (P.URGENT.value, 10)]
SECTIONS = ["Scope", "Timeline", "Pricing", "Terms"]
PROPOSAL_STATUSES = [
    (ProposalStatus.DRAFT, 15),
    (ProposalStatus.SENT, 25),
    (ProposalStatus.ACCEPTED, 35),
    (ProposalStatus.DECLINED, 25),
]


@dataclass
class RelationRows:
    pipelines: list[Row]
    stages: list[Row]
    deals: list[Row]
    activities: list[Row]
    ticket_categories: list[Row]
    slas: list[Row]
    sla_targets: list[Row]
    tickets: list[Row]
    replies: list[Row]
    contracts: list[Row]
    proposals: list[Row]
    sections: list[Row]
    series: list[Row]  # the "ticket" number series (registration makes none)

    def tables(self) -> list[tuple[type[SQLModel], list[Row]]]:
        """Parents before children."""
        return [
            (Pipeline, self.pipelines),
            (PipelineStage, self.stages),
            (Deal, self.deals),
            (Activity, self.activities),
            (TicketCategory, self.ticket_categories),
            (Sla, self.slas),
            (SlaTarget, self.sla_targets),
            (Ticket, self.tickets),
            (TicketReply, self.replies),
            (Contract, self.contracts),
            (Proposal, self.proposals),
            (ProposalSection, self.sections),
            (NumberSeries, self.series),
        ]


def dues(
    sla: Row | None, targets: dict[tuple[str, str], Row], priority: str, opened_at: datetime
) -> tuple[datetime | None, datetime | None]:
    """(first response due, resolution due), as helpdesk.service._dues sets them."""
    if sla is None:
        return None, None
    target = targets.get((sla["id"], priority))

    def due(hours: int | None) -> datetime | None:
        return None if hours is None else opened_at + timedelta(hours=hours)

    response = target["response_time"] if target and target["response_time"] else None
    resolution = target["resolution_time"] if target and target["resolution_time"] else None
    return due(response or sla["response_time"]), due(resolution or sla["resolution_time"])


class RelationsGenerator:
    def __init__(
        self,
        new: Any,  # (model, created_at, **values) -> Row: dataset.row for this company
        sizes: Sizes,
        contacts: list[Row],
        members: list[str],
        base_currency: str,
        rng: random.Random,
        today: date,
        key_contact: str | None,
    ) -> None:
        self.new = new
        self.sizes = sizes
        self.members = members
        self.base_currency = base_currency
        self.rng = rng
        self.now = datetime.combine(today, time(), tzinfo=UTC)  # the start of today
        self.currency_of = {c["id"]: c["currency_code"] or base_currency for c in contacts}
        # Customers, Zipf-weighted like the documents (a few get many), with
        # `key_contact` (the busiest one of the documents) ranked first.
        pool = [
            c["id"]
            for c in contacts
            if c["type"] in (ContactType.CUSTOMER.value, ContactType.BOTH.value)
        ]
        rng.shuffle(pool)
        if key_contact in pool:
            pool.remove(key_contact)
            pool.insert(0, key_contact)
        self.pool = pool
        self.weights = list(accumulate(1 / (rank + 1) ** 0.9 for rank in range(len(pool))))
        self.out = RelationRows([], [], [], [], [], [], [], [], [], [], [], [], [])

    # --- helpers -------------------------------------------------------------------------

    def _contact(self) -> str:
        return self.rng.choices(self.pool, cum_weights=self.weights)[0]

    def _ago(self, low_days: float, high_days: float) -> datetime:
        """A time `low_days` to `high_days` before the start of today."""
        return self.now - timedelta(seconds=self.rng.uniform(low_days, high_days) * 86400)

    def _member(self, share: float = 0.85) -> str | None:
        return self.rng.choice(self.members) if self.members and self.rng.random() < share else None

    def _money(self, low: int, high: int) -> Decimal:
        return Decimal(self.rng.randint(low, high) * 100) / 100

    def _past(self, at: datetime) -> datetime:
        return min(at, self.now - timedelta(minutes=1))

    def generate(self) -> RelationRows:
        self._pipelines()
        self._deals()
        self._activities()
        self._helpdesk()
        self._tickets()
        self._proposals_and_contracts()
        return self.out

    # --- CRM -----------------------------------------------------------------------------

    def _pipelines(self) -> None:
        at = self._ago(HISTORY_DAYS, HISTORY_DAYS + 30)
        for name, stages in PIPELINES[: self.sizes.pipelines]:
            pipeline = self.new(Pipeline, at, name=name)
            self.out.pipelines.append(pipeline)
            for position, (stage, probability) in enumerate(stages):
                self.out.stages.append(
                    self.new(
                        PipelineStage,
                        at,
                        pipeline_id=pipeline["id"],
                        name=stage,
                        position=position,
                        probability=probability,
                    )
                )

    def _deals(self) -> None:
        rng = self.rng
        stages_of: dict[str, list[Row]] = {}
        for s in self.out.stages:
            stages_of.setdefault(s["pipeline_id"], []).append(s)
        pipelines = self.out.pipelines
        pipeline_weights = [70, 20, 10][: len(pipelines)]
        for i in range(self.sizes.deals):
            pipeline = rng.choices(pipelines, weights=pipeline_weights)[0]
            stages = stages_of[pipeline["id"]]
            created = self._ago(0.5, HISTORY_DAYS)
            age = (self.now - created).days
            contact = self._contact() if rng.random() < 0.9 else None
            closed = rng.random() < min(0.9, age / 150)
            status = (
                (DealStatus.WON if rng.random() < 0.5 else DealStatus.LOST)
                if closed
                else DealStatus.OPEN
            )
            closed_at = (
                self._past(created + timedelta(days=rng.uniform(3, min(age, 120) or 1)))
                if closed
                else None
            )
            stage = stages[-1] if status is DealStatus.WON else rng.choice(stages)
            self.out.deals.append(
                self.new(
                    Deal,
                    created,
                    updated_at=closed_at or created,
                    name=f"{rng.choice(DEAL_WHAT)} {i + 1}",
                    pipeline_id=pipeline["id"],
                    stage_id=stage["id"],
                    contact_id=contact,
                    value=self._money(500, 50_000),
                    currency_code=self.currency_of[contact] if contact else self.base_currency,
                    expected_close_date=(created + timedelta(days=rng.randint(20, 120))).date(),
                    owner_id=self._member(),
                    status=status.value,
                    lost_reason=rng.choice(LOST_REASONS) if status is DealStatus.LOST else None,
                    closed_at=closed_at,
                )
            )

    def _activity(self, deal: Row | None, contact: str | None, around: datetime) -> None:
        rng = self.rng
        kind = rng.choices(list(ACTIVITY_SUBJECT), weights=[30, 25, 20, 15, 10])[0]
        what = deal["name"] if deal else "the account"
        scheduled = None if kind == ActivityType.NOTE.value else around
        done = None
        if scheduled is not None and scheduled < self.now and rng.random() < 0.85:
            done = self._past(scheduled + timedelta(minutes=rng.randint(15, 48 * 60)))
        created = min(around, self.now) - timedelta(days=rng.uniform(0, 10))
        if deal is not None:  # not before its deal
            created = max(created, deal["created_at"])
        self.out.activities.append(
            self.new(
                Activity,
                created,
                updated_at=done or created,
                type=kind,
                subject=f"{ACTIVITY_SUBJECT[kind]} {what}",
                notes="Agreed next steps." if rng.random() < 0.2 else None,
                scheduled_at=scheduled,
                done_at=done,
                deal_id=deal["id"] if deal else None,
                # On a deal: on its contact too (crm.service._activity_values).
                contact_id=deal["contact_id"] if deal else contact,
                owner_id=self._member(0.9),
            )
        )

    def _activities(self) -> None:
        """Most on a deal, within its life (or the month ahead while it is open), the
        rest on a contact alone; the past ones mostly done, the others overdue."""
        rng = self.rng
        deals = self.out.deals
        for _ in range(self.sizes.activities):
            if deals and rng.random() < 0.7:
                deal = rng.choice(deals)
                end = deal["closed_at"] or self.now + timedelta(days=30)
                span = (end - deal["created_at"]).total_seconds()
                self._activity(
                    deal, None, deal["created_at"] + timedelta(seconds=rng.uniform(0, span))
                )
            else:
                self._activity(None, self._contact(), self._ago(-30, HISTORY_DAYS))

    # --- helpdesk ------------------------------------------------------------------------

    def _helpdesk(self) -> None:
        at = self._ago(HISTORY_DAYS, HISTORY_DAYS + 30)
        for name in TICKET_CATEGORIES[: self.sizes.ticket_categories]:
            self.out.ticket_categories.append(self.new(TicketCategory, at, name=name))
        for name, response, resolution, targets in SLAS[: self.sizes.slas]:
            sla = self.new(Sla, at, name=name, response_time=response, resolution_time=resolution)
            self.out.slas.append(sla)
            for priority, (target_response, target_resolution) in targets.items():
                self.out.sla_targets.append(
                    self.new(
                        SlaTarget,
                        at,
                        sla_id=sla["id"],
                        priority=priority,
                        response_time=target_response,
                        resolution_time=target_resolution,
                    )
                )

    def _tickets(self) -> None:
        """Numbered 1, 2, ... in the order they were opened. The SLA clock: most are
        answered well within their response due, some late; the old ones resolved
        (some late) and mostly closed; the newest still open or pending."""
        rng = self.rng
        targets = {(t["sla_id"], t["priority"]): t for t in self.out.sla_targets}
        slas = self.out.slas
        sla_weights = [85, 10][: len(slas)]
        categories = self.out.ticket_categories
        priorities, weights = zip(*PRIORITIES, strict=True)
        opened = sorted(self._ago(0.02, HISTORY_DAYS) for _ in range(self.sizes.tickets))
        for number, opened_at in enumerate(opened, start=1):
            priority = rng.choices(priorities, weights=weights)[0]
            sla = (
                rng.choices(slas, weights=sla_weights)[0] if slas and rng.random() < 0.95 else None
            )
            first_due, resolution_due = dues(sla, targets, priority, opened_at)
            respond_hours = (first_due - opened_at).total_seconds() / 3600 if first_due else 12
            resolve_hours = (
                (resolution_due - opened_at).total_seconds() / 3600 if resolution_due else 72
            )
            responded = opened_at + timedelta(hours=respond_hours * rng.uniform(0.05, 1.25))
            resolved = opened_at + timedelta(hours=resolve_hours * rng.uniform(0.2, 1.3))
            resolved = max(resolved, responded + timedelta(minutes=10))
            closed = resolved + timedelta(days=rng.uniform(1, 7))
            status, responded_at, resolved_at, closed_at = TicketStatus.OPEN, None, None, None
            if responded < self.now and rng.random() < 0.97:
                responded_at = responded
                status = TicketStatus.PENDING if rng.random() < 0.4 else TicketStatus.OPEN
                if resolved < self.now and rng.random() < 0.97:
                    status, resolved_at = TicketStatus.RESOLVED, resolved
                    if closed < self.now and rng.random() < 0.75:
                        status, closed_at = TicketStatus.CLOSED, closed
            ticket = self.new(
                Ticket,
                opened_at,
                updated_at=closed_at or resolved_at or responded_at or opened_at,
                number=number,
                subject=rng.choice(TICKET_SUBJECTS),
                description="The customer wrote in; details in the thread.",
                priority=priority,
                status=status.value,
                category_id=rng.choice(categories)["id"]
                if categories and rng.random() < 0.9
                else None,
                contact_id=self._contact() if rng.random() < 0.9 else None,
                assignee_id=self._member(0.8),
                sla_id=sla["id"] if sla else None,
                opened_at=opened_at,
                first_response_due=first_due,
                resolution_due=resolution_due,
                responded_at=responded_at,
                resolved_at=resolved_at,
                closed_at=closed_at,
            )
            self.out.tickets.append(ticket)
            self._replies(ticket)
        if self.out.tickets:
            self.out.series.append(
                self.new(
                    NumberSeries,
                    opened[-1],
                    kind=TICKET_SERIES,
                    prefix="",
                    next_number=len(self.out.tickets) + 1,
                )
            )

    def _replies(self, ticket: Row) -> None:
        """The first public reply at respondedAt (it stopped the response clock);
        sometimes an internal note before it and a public follow-up after."""
        if ticket["responded_at"] is None or not self.members:
            return
        rng = self.rng
        author = rng.choice(self.members)

        def reply(at: datetime, body: str, public: bool) -> None:
            self.out.replies.append(
                self.new(
                    TicketReply,
                    at,
                    ticket_id=ticket["id"],
                    author_id=author,
                    body=body,
                    public=public,
                )
            )

        responded = ticket["responded_at"]
        if rng.random() < 0.2:
            gap = (responded - ticket["opened_at"]) / 2
            reply(ticket["opened_at"] + gap, "Checking with the warehouse first.", False)
        reply(responded, "Thanks for writing in: we are on it.", True)
        if ticket["resolved_at"] is not None and rng.random() < 0.4:
            reply(ticket["resolved_at"], "Sorted: let us know if anything is still wrong.", True)

    # --- contracts and proposals ---------------------------------------------------------

    def _proposals_and_contracts(self) -> None:
        """Proposals, most for a deal of their contact; accepting most of the accepted
        ones made their (draft, then usually signed) contract; other contracts alone."""
        rng = self.rng
        with_contact = [d for d in self.out.deals if d["contact_id"]]
        statuses, weights = zip(*PROPOSAL_STATUSES, strict=True)
        made = 0
        for i in range(self.sizes.proposals):
            deal = rng.choice(with_contact) if with_contact and rng.random() < 0.7 else None
            contact = deal["contact_id"] if deal else self._contact()
            created = deal["created_at"] + timedelta(days=2) if deal else self._ago(1, HISTORY_DAYS)
            created = self._past(created)
            status = rng.choices(statuses, weights=weights)[0]
            age = self.now - created
            sent_at = created + age * rng.uniform(0.01, 0.2)
            decided = sent_at + (self.now - sent_at) * rng.uniform(0.05, 0.5)
            proposal = self.new(
                Proposal,
                created,
                updated_at=created if status is ProposalStatus.DRAFT else decided,
                title=f"Proposal: {deal['name'] if deal else rng.choice(DEAL_WHAT)} ({i + 1})",
                contact_id=contact,
                deal_id=deal["id"] if deal else None,
                value=deal["value"] if deal else self._money(1_000, 30_000),
                currency_code=deal["currency_code"] if deal else self.currency_of[contact],
                status=status.value,
                sent_at=None if status is ProposalStatus.DRAFT else sent_at,
                accepted_at=decided if status is ProposalStatus.ACCEPTED else None,
                declined_at=decided if status is ProposalStatus.DECLINED else None,
            )
            for position, title in enumerate(SECTIONS[: rng.randint(2, len(SECTIONS))]):
                self.out.sections.append(
                    self.new(
                        ProposalSection,
                        created,
                        proposal_id=proposal["id"],
                        position=position,
                        title=title,
                        body=f"{title} of the work, as discussed.",
                    )
                )
            if (
                status is ProposalStatus.ACCEPTED
                and made < self.sizes.contracts
                and rng.random() < 0.8
            ):
                contract = self._contract(proposal["title"], contact, decided, proposal)
                proposal["contract_id"] = contract["id"]
                made += 1
            self.out.proposals.append(proposal)
        for _ in range(self.sizes.contracts - made):
            contact = self._contact()
            self._contract(
                f"Service agreement: {rng.choice(DEAL_WHAT)}",
                contact,
                self._ago(1, HISTORY_DAYS),
                None,
            )

    def _contract(self, title: str, contact: str, at: datetime, proposal: Row | None) -> Row:
        rng = self.rng
        start = (at + timedelta(days=rng.randint(0, 30))).date()
        end = start + timedelta(days=rng.choice([180, 365, 365, 730]))
        signed = self._past(at + timedelta(days=rng.uniform(0.5, 10)))
        signed_at = signed if rng.random() < 0.9 and signed.date() <= end else None
        terminated = (
            signed_at is not None
            and signed_at < self.now - timedelta(days=2)
            and end > self.now.date()
            and rng.random() < 0.05
        )
        contract = self.new(
            Contract,
            at,
            updated_at=signed_at or at,
            title=title,
            description=None,
            contact_id=contact,
            start_date=start,
            end_date=end,
            value=proposal["value"] if proposal else self._money(2_000, 60_000),
            currency_code=proposal["currency_code"] if proposal else self.currency_of[contact],
            signed_at=signed_at,
            terminated_at=self.now - timedelta(days=1) if terminated else None,
            termination_reason="Ended by mutual agreement" if terminated else None,
        )
        self.out.contracts.append(contract)
        return contract


def busy_counts(rows: RelationRows, contact_id: str) -> tuple[int, int, int]:
    """(deals, activities, tickets) of one contact."""
    return (
        sum(d["contact_id"] == contact_id for d in rows.deals),
        sum(a["contact_id"] == contact_id for a in rows.activities),
        sum(t["contact_id"] == contact_id for t in rows.tickets),
    )
