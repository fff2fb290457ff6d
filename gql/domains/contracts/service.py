"""Contracts and proposals: the rules for writing them and the filters that list them.

A contract is written as a draft, signed, and ends by its dates (expired) or by being
terminated; its status is computed from those facts on the day it is read
(gql/domains/contracts/computed.py). A proposal moves draft -> sent -> accepted or
declined; accepting one can create its contract in the same transaction.

Every move is a claim on the row (gql/core/claims.py): one guarded UPDATE, so of two
requests moving the same contract or proposal at the same moment exactly one does,
and concurrent accepts of one proposal create one contract.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from pydantic import Field
from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from gql.compiler.sqlenv import SqlEnv, request_env
from gql.core.claims import claim
from gql.core.errors import ErrorCode, FieldError, UserInputError
from gql.core.inputs import InputModel, require_not_null, require_row, validate
from gql.core.ranges import between, on_days
from gql.core.search import contains_any
from gql.core.versions import bump
from gql.db.columns import utcnow
from gql.db.tenant import get_tenant
from gql.domains.catalogue.models import Currency
from gql.domains.companies.models import Company
from gql.domains.contacts.models import Contact
from gql.domains.contracts.computed import STATUS
from gql.domains.contracts.models import (
    Contract,
    Proposal,
    ProposalSection,
    ProposalStatus,
)
from gql.domains.crm.models import Deal
from gql.tenancy import mapped_table

Value = Field(default=None, ge=0, max_digits=18, decimal_places=2)
CurrencyCode = Field(default=None, pattern=r"^[A-Z]{3}$")


# --- inputs ---------------------------------------------------------------------------------


class ContractFields(InputModel):
    description: str | None = Field(default=None, max_length=5000)
    start_date: date | None = None
    end_date: date | None = None
    value: Decimal | None = Value
    currency_code: str | None = CurrencyCode


class ContractCreate(ContractFields):
    title: str = Field(min_length=1, max_length=200)
    contact_id: str


class ContractUpdate(ContractFields):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    contact_id: str | None = None


class ContractSign(InputModel):
    signed_at: datetime | None = None


class ContractTerminate(InputModel):
    reason: str | None = Field(default=None, max_length=500)


class SectionIn(InputModel):
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(default="", max_length=20000)


class ProposalFields(InputModel):
    deal_id: str | None = None
    value: Decimal | None = Value
    currency_code: str | None = CurrencyCode
    sections: list[SectionIn] | None = Field(default=None, max_length=100)


class ProposalCreate(ProposalFields):
    title: str = Field(min_length=1, max_length=200)
    contact_id: str


class ProposalUpdate(ProposalFields):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    contact_id: str | None = None


class ContractTerms(InputModel):
    """The contract an accepted proposal becomes: its title, contact and value are the
    proposal's; its dates are given here."""

    start_date: date | None = None
    end_date: date | None = None
    title: str | None = Field(default=None, min_length=1, max_length=200)


class ProposalAccept(InputModel):
    contract: ContractTerms | None = None


# --- filters and orders ---------------------------------------------------------------------


@dataclass(frozen=True)
class ContractFilter:
    status: str | None = None
    contact_id: str | None = None
    start_date_from: date | None = None
    start_date_to: date | None = None
    end_date_from: date | None = None
    end_date_to: date | None = None
    search: str | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        c = Contract
        out: list[ColumnElement[bool]] = []
        if self.status is not None:
            out.append(STATUS.sql(mapped_table(c), env) == self.status)
        if self.contact_id is not None:
            out.append(col(c.contact_id) == self.contact_id)
        out.extend(between(c.start_date, self.start_date_from, self.start_date_to))
        out.extend(between(c.end_date, self.end_date_from, self.end_date_to))
        if self.search:
            out.append(contains_any(self.search, c.title, c.description))
        return out


@dataclass(frozen=True)
class ProposalFilter:
    status: str | None = None
    contact_id: str | None = None
    deal_id: str | None = None
    created_from: date | None = None
    created_to: date | None = None
    search: str | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        p = Proposal
        out: list[ColumnElement[bool]] = []
        if self.status is not None:
            out.append(col(p.status) == self.status)
        if self.contact_id is not None:
            out.append(col(p.contact_id) == self.contact_id)
        if self.deal_id is not None:
            out.append(col(p.deal_id) == self.deal_id)
        out.extend(on_days(p.created_at, self.created_from, self.created_to))
        if self.search:
            out.append(contains_any(self.search, p.title))
        return out


CONTRACT_ORDER_COLUMNS = {
    "created_at": Contract.created_at,
    "start_date": Contract.start_date,
    "end_date": Contract.end_date,
    "title": Contract.title,
    "value": Contract.value,
}
PROPOSAL_ORDER_COLUMNS = {
    "created_at": Proposal.created_at,
    "title": Proposal.title,
    "value": Proposal.value,
}


# --- shared checks --------------------------------------------------------------------------


async def _contact(session: AsyncSession, ref: str) -> Contact:
    return await require_row(session, Contact, ref, path=("contactId",), what="Contact")


async def _currency(session: AsyncSession, code: str | None) -> str:
    """`code`, or the company's base currency when none is given; another code must be
    one of the company's currencies."""
    base = await session.scalar(
        select(Company.base_currency).where(col(Company.id) == get_tenant(session))
    )
    assert base is not None  # a session without a company never reaches a service
    if code is None or code == base:
        return base
    if await session.scalar(select(Currency.id).where(col(Currency.code) == code)) is None:
        raise UserInputError.single("currencyCode", "Currency not found", ErrorCode.NOT_FOUND)
    return code


def _check_dates(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and end < start:
        raise UserInputError.single("endDate", "must not be before startDate")


# --- contracts ------------------------------------------------------------------------------


async def get_contract(*, session: AsyncSession, id: str) -> Contract:
    return await require_row(session, Contract, id, path=("id",), what="Contract")


async def create_contract(*, session: AsyncSession, data: dict[str, Any]) -> Contract:
    """A draft contract with a contact of the company."""
    payload = validate(ContractCreate, data)
    _check_dates(payload.start_date, payload.end_date)
    contact = await _contact(session, payload.contact_id)
    contract = Contract(
        title=payload.title,
        description=payload.description,
        contact_id=contact.id,
        start_date=payload.start_date,
        end_date=payload.end_date,
        value=payload.value if payload.value is not None else Decimal("0.00"),
        currency_code=await _currency(session, payload.currency_code),
    )
    session.add(contract)
    await session.flush()
    return contract


def _refuse_unless_draft(contract: Contract, doing: str) -> None:
    if contract.terminated_at is not None:
        raise UserInputError.single(
            "id", f"The contract is terminated; it cannot be {doing}", ErrorCode.INVALID_STATE
        )
    if contract.signed_at is not None:
        raise UserInputError.single(
            "id",
            f"The contract is signed; it cannot be {doing} (terminate it instead)",
            ErrorCode.INVALID_STATE,
        )


def _draft_guards() -> tuple[ColumnElement[bool], ...]:
    return (col(Contract.signed_at).is_(None), col(Contract.terminated_at).is_(None))


async def update_contract(*, session: AsyncSession, id: str, data: dict[str, Any]) -> Contract:
    """A draft's terms; a signed contract's are fixed."""
    contract = await get_contract(session=session, id=id)
    payload = validate(ContractUpdate, data)
    values = payload.model_dump(exclude_unset=True)
    require_not_null(ContractUpdate, values, "title", "contact_id", "value", "currency_code")
    _refuse_unless_draft(contract, "changed")
    _check_dates(
        values.get("start_date", contract.start_date), values.get("end_date", contract.end_date)
    )
    if "contact_id" in values:
        values["contact_id"] = (await _contact(session, values["contact_id"])).id
    if "currency_code" in values:
        values["currency_code"] = await _currency(session, values["currency_code"])
    # The write is guarded by the draft state, so a sign at the same moment wins or waits.
    await claim(
        session,
        contract,
        *_draft_guards(),
        what="Contract",
        values={"updated_at": utcnow(), **values},
        refuse=lambda current: _refuse_unless_draft(current, "changed"),
    )
    return contract


async def sign_contract(*, session: AsyncSession, id: str, data: dict[str, Any]) -> Contract:
    """draft -> signed (at `signedAt`, now by default): active from its start date to its
    end date."""
    contract = await get_contract(session=session, id=id)
    payload = validate(ContractSign, data)
    signed_at = payload.signed_at or utcnow()
    if signed_at.tzinfo is None:  # a time without a zone is UTC, as the column stores it
        signed_at = signed_at.replace(tzinfo=UTC)
    if signed_at > utcnow():
        raise UserInputError.single("signedAt", "must not be in the future")
    _refuse_unless_draft(contract, "signed again")
    # A past signing may be recorded (a contract signed on paper); not one after the end.
    if contract.end_date is not None and contract.end_date < signed_at.date():
        raise UserInputError.single(
            "id",
            f"The contract ended on {contract.end_date}; it cannot be signed after that",
            ErrorCode.INVALID_STATE,
        )
    await claim(
        session,
        contract,
        *_draft_guards(),
        what="Contract",
        values={"signed_at": signed_at, "updated_at": utcnow()},
        refuse=lambda current: _refuse_unless_draft(current, "signed again"),
    )
    return contract


def _refuse_termination(contract: Contract, today: date) -> None:
    if contract.terminated_at is not None:
        raise UserInputError.single(
            "id", "The contract is already terminated", ErrorCode.INVALID_STATE
        )
    if contract.signed_at is None:
        raise UserInputError.single(
            "id", "A draft contract is not terminated; delete it instead", ErrorCode.INVALID_STATE
        )
    if contract.end_date is not None and contract.end_date < today:
        raise UserInputError.single(
            "id", f"The contract expired on {contract.end_date}", ErrorCode.INVALID_STATE
        )


async def terminate_contract(*, session: AsyncSession, id: str, data: dict[str, Any]) -> Contract:
    """A signed contract (waiting or active) ends now."""
    contract = await get_contract(session=session, id=id)
    payload = validate(ContractTerminate, data)
    today = request_env(session).today
    _refuse_termination(contract, today)
    await claim(
        session,
        contract,
        col(Contract.signed_at).is_not(None),
        col(Contract.terminated_at).is_(None),
        what="Contract",
        values={
            "terminated_at": utcnow(),
            "termination_reason": payload.reason,
            "updated_at": utcnow(),
        },
        refuse=lambda current: _refuse_termination(current, today),
    )
    return contract


async def delete_contract(*, session: AsyncSession, id: str) -> Contract:
    """Only a draft goes; a signed contract is a record (terminate it). A proposal that
    created the draft stays accepted, without its contract."""
    contract = await get_contract(session=session, id=id)
    _refuse_unless_draft(contract, "deleted")
    await session.execute(
        update(Proposal)
        .where(col(Proposal.contract_id) == contract.id)
        .values(contract_id=None, updated_at=utcnow(), **bump(Proposal))
        .execution_options(synchronize_session=False)
    )
    await claim(
        session,
        contract,
        *_draft_guards(),
        what="Contract",
        refuse=lambda current: _refuse_unless_draft(current, "deleted"),
    )
    return contract


# --- proposals ------------------------------------------------------------------------------


async def get_proposal(*, session: AsyncSession, id: str) -> Proposal:
    return await require_row(session, Proposal, id, path=("id",), what="Proposal")


async def _write_sections(
    session: AsyncSession, proposal_id: str, sections: Sequence[SectionIn]
) -> None:
    """The proposal's sections, in the order given (one INSERT for all of them)."""
    session.add_all(
        ProposalSection(proposal_id=proposal_id, position=n, title=s.title, body=s.body)
        for n, s in enumerate(sections)
    )
    await session.flush()


async def _deal(session: AsyncSession, ref: str | None, contact_id: str) -> str | None:
    """The deal a proposal is written for: the company's, and with the proposal's
    contact when the deal has one."""
    if ref is None:
        return None
    deal = await require_row(session, Deal, ref, path=("dealId",), what="Deal")
    if deal.contact_id is not None and deal.contact_id != contact_id:
        raise UserInputError.single("dealId", "The deal is with another contact", ErrorCode.INVALID)
    return deal.id


async def create_proposal(*, session: AsyncSession, data: dict[str, Any]) -> Proposal:
    """A draft proposal with its sections."""
    payload = validate(ProposalCreate, data)
    contact = await _contact(session, payload.contact_id)
    proposal = Proposal(
        title=payload.title,
        contact_id=contact.id,
        deal_id=await _deal(session, payload.deal_id, contact.id),
        value=payload.value if payload.value is not None else Decimal("0.00"),
        currency_code=await _currency(session, payload.currency_code),
    )
    session.add(proposal)
    await session.flush()
    await _write_sections(session, proposal.id, payload.sections or [])
    return proposal


def _refuse_unless(proposal: Proposal, wanted: ProposalStatus, doing: str) -> None:
    if proposal.status != wanted.value:
        raise UserInputError.single(
            "id",
            f"Only a {wanted.value} proposal can be {doing}; this one is {proposal.status}",
            ErrorCode.INVALID_STATE,
        )


async def _move(
    session: AsyncSession,
    proposal: Proposal,
    wanted: ProposalStatus,
    doing: str,
    **values: Any,
) -> None:
    """`values` written only while the proposal is still `wanted`: the move's claim."""
    _refuse_unless(proposal, wanted, doing)
    await claim(
        session,
        proposal,
        col(Proposal.status) == wanted.value,
        what="Proposal",
        values={"updated_at": utcnow(), **values},
        refuse=lambda current: _refuse_unless(current, wanted, doing),
    )


async def update_proposal(*, session: AsyncSession, id: str, data: dict[str, Any]) -> Proposal:
    """A draft's fields; `sections`, when sent, replace the old ones."""
    proposal = await get_proposal(session=session, id=id)
    payload = validate(ProposalUpdate, data)
    values = payload.model_dump(exclude_unset=True, exclude={"sections"})
    require_not_null(ProposalUpdate, values, "title", "contact_id", "value", "currency_code")
    _refuse_unless(proposal, ProposalStatus.DRAFT, "changed")
    if "contact_id" in values:
        values["contact_id"] = (await _contact(session, values["contact_id"])).id
    if "deal_id" in values or "contact_id" in values:
        deal_id = values.get("deal_id", proposal.deal_id)
        values["deal_id"] = await _deal(
            session, deal_id, values.get("contact_id", proposal.contact_id)
        )
    if "currency_code" in values:
        values["currency_code"] = await _currency(session, values["currency_code"])
    await _move(session, proposal, ProposalStatus.DRAFT, "changed", **values)
    if "sections" in payload.model_fields_set:
        await session.execute(
            delete(ProposalSection).where(col(ProposalSection.proposal_id) == proposal.id)
        )
        await _write_sections(session, proposal.id, payload.sections or [])
    return proposal


async def send_proposal(*, session: AsyncSession, id: str) -> Proposal:
    """draft -> sent; a proposal without sections has nothing to send."""
    proposal = await get_proposal(session=session, id=id)
    _refuse_unless(proposal, ProposalStatus.DRAFT, "sent")
    has_sections = await session.scalar(
        select(ProposalSection.id).where(col(ProposalSection.proposal_id) == proposal.id).limit(1)
    )
    if has_sections is None:
        raise UserInputError.single(
            "id", "The proposal has no sections; add one before sending it", ErrorCode.INVALID_STATE
        )
    await _move(session, proposal, ProposalStatus.DRAFT, "sent", status="sent", sent_at=utcnow())
    return proposal


async def decline_proposal(*, session: AsyncSession, id: str) -> Proposal:
    """sent -> declined."""
    proposal = await get_proposal(session=session, id=id)
    await _move(
        session,
        proposal,
        ProposalStatus.SENT,
        "declined",
        status=ProposalStatus.DECLINED.value,
        declined_at=utcnow(),
    )
    return proposal


async def accept_proposal(*, session: AsyncSession, id: str, data: dict[str, Any]) -> Proposal:
    """sent -> accepted; with `contract`, also a draft contract from the proposal's
    title, contact and value and the dates given, linked to it. The claim on the
    proposal comes first, so of concurrent accepts one goes on and one contract is made."""
    proposal = await get_proposal(session=session, id=id)
    payload = validate(ProposalAccept, data)
    terms = payload.contract
    if terms is not None:
        try:
            _check_dates(terms.start_date, terms.end_date)
        except UserInputError as exc:
            raise UserInputError(
                [FieldError(("contract", *e.path), e.message, e.code) for e in exc.errors]
            ) from None
    await _move(
        session,
        proposal,
        ProposalStatus.SENT,
        "accepted",
        status=ProposalStatus.ACCEPTED.value,
        accepted_at=utcnow(),
    )
    if terms is None:
        return proposal
    contract = Contract(
        title=terms.title or proposal.title,
        contact_id=proposal.contact_id,
        start_date=terms.start_date,
        end_date=terms.end_date,
        value=proposal.value,
        currency_code=proposal.currency_code,
    )
    session.add(contract)
    await session.flush()
    proposal.contract_id = contract.id
    await session.flush()
    return proposal


async def delete_proposal(*, session: AsyncSession, id: str) -> Proposal:
    """A draft, sent or declined proposal and its sections; an accepted one is the
    record of what was agreed."""
    proposal = await get_proposal(session=session, id=id)

    def refuse(current: Proposal) -> None:
        if current.status == ProposalStatus.ACCEPTED.value:
            raise UserInputError.single(
                "id", "An accepted proposal cannot be deleted", ErrorCode.INVALID_STATE
            )

    refuse(proposal)
    # Locked first (the sections refer to it), then its sections and itself go.
    await claim(
        session,
        proposal,
        col(Proposal.status) != ProposalStatus.ACCEPTED.value,
        what="Proposal",
        values={"updated_at": utcnow()},
        refuse=refuse,
    )
    await session.execute(
        delete(ProposalSection).where(col(ProposalSection.proposal_id) == proposal.id)
    )
    await session.delete(proposal)
    await session.flush()
    return proposal


# --- for the REST shims ---------------------------------------------------------------------


async def sections_of(
    session: AsyncSession, proposal_ids: Sequence[str]
) -> dict[str, list[ProposalSection]]:
    """Each proposal's sections in order, in one statement."""
    out: dict[str, list[ProposalSection]] = defaultdict(list)
    if proposal_ids:
        stmt = (
            select(ProposalSection)
            .where(col(ProposalSection.proposal_id).in_(list(proposal_ids)))
            .order_by(col(ProposalSection.proposal_id), col(ProposalSection.position))
        )
        for section in (await session.scalars(stmt)).all():
            out[section.proposal_id].append(section)
    return out
