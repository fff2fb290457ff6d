"""GraphQL types of contracts and proposals, their inputs, filters and orders (module:
contracts)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum

import strawberry

from gql.core.filter_values import enum_value, id_filter, order_of
from gql.core.graph import computed, money, to_many, to_one, to_one_by
from gql.core.inputs import input_to_dict
from gql.core.money import Money
from gql.core.mutations import UserError
from gql.core.ordering import OrderDirection
from gql.core.relay import Connection, Node, load_with, node_type
from gql.domains.companies.modules import ModuleAlias
from gql.domains.contacts.loaders import ContactByIdLoader
from gql.domains.contacts.types import ContactNode
from gql.domains.contracts import service
from gql.domains.contracts.computed import STATUS
from gql.domains.contracts.loaders import (
    ContractByIdLoader,
    ProposalByContractIdLoader,
    ProposalByIdLoader,
    ProposalSectionByIdLoader,
    SectionsByProposalIdLoader,
)
from gql.domains.contracts.models import (
    Contract,
    ContractStatus,
    Proposal,
    ProposalSection,
    ProposalStatus,
)
from gql.domains.crm.loaders import DealByIdLoader
from gql.domains.crm.types import DealNode

MODULE = ModuleAlias.CONTRACTS

ContractStatusEnum = strawberry.enum(
    ContractStatus,
    name="ContractStatus",
    description="A contract on the day it is read: DRAFT until signed; then SIGNED before its "
    "start date, ACTIVE from its start to its end date (both included), EXPIRED after its end "
    "date; TERMINATED once ended early.",
)
ProposalStatusEnum = strawberry.enum(
    ProposalStatus,
    name="ProposalStatus",
    description="DRAFT, SENT to the contact, then ACCEPTED or DECLINED.",
)


@node_type(
    name="Contract",
    model=Contract,
    load=load_with(ContractByIdLoader),
    module=MODULE,
    description="An agreement with a contact, for a value, between two dates.",
)
class ContractNode(Node):
    title: str
    description: str | None
    start_date: date | None
    end_date: date | None = strawberry.field(description="Not before startDate; null: open-ended.")
    currency_code: str
    signed_at: datetime | None
    terminated_at: datetime | None
    termination_reason: str | None
    created_at: datetime
    updated_at: datetime
    value: Money = money("value")
    status: ContractStatusEnum = computed(  # type: ignore[valid-type]
        STATUS, description="What the contract is today, from its signing, dates and termination."
    )
    contact: ContactNode = to_one(ContactByIdLoader, "contact_id")
    proposal: ProposalNode | None = to_one_by(
        ProposalByContractIdLoader, description="The accepted proposal this contract was made from."
    )


@node_type(
    name="ProposalSection",
    model=ProposalSection,
    load=load_with(ProposalSectionByIdLoader),
    module=MODULE,
    description="One section of a proposal.",
)
class ProposalSectionNode(Node):
    position: int = strawberry.field(description="Its place in the proposal, from 0.")
    title: str
    body: str


@node_type(
    name="Proposal",
    model=Proposal,
    load=load_with(ProposalByIdLoader),
    module=MODULE,
    description="An offer sent to a contact; accepting it can make its contract.",
)
class ProposalNode(Node):
    title: str
    status: ProposalStatusEnum  # type: ignore[valid-type]
    currency_code: str
    sent_at: datetime | None
    accepted_at: datetime | None
    declined_at: datetime | None
    created_at: datetime
    updated_at: datetime
    value: Money = money("value")
    contact: ContactNode = to_one(ContactByIdLoader, "contact_id")
    sections: list[ProposalSectionNode] = to_many(
        SectionsByProposalIdLoader, description="Its sections, in order."
    )
    contract: ContractNode | None = to_one(
        ContractByIdLoader, "contract_id", description="The contract accepting it created."
    )
    deal: DealNode | None = to_one(
        DealByIdLoader, "deal_id", description="The CRM deal it was written for (module: crm)."
    )


# --- connections, filters and orders --------------------------------------------------------


@strawberry.type(name="ContractConnection")
class ContractConnection(Connection[ContractNode]):
    pass


@strawberry.type(name="ProposalConnection")
class ProposalConnection(Connection[ProposalNode]):
    pass


@strawberry.enum(description="What contracts can be sorted by.")
class ContractOrderField(Enum):
    CREATED_AT = "created_at"
    START_DATE = "start_date"
    END_DATE = "end_date"
    TITLE = "title"
    VALUE = "value"


@strawberry.input(description="How to sort contracts.")
class ContractOrder:
    field: ContractOrderField = ContractOrderField.CREATED_AT
    direction: OrderDirection = OrderDirection.DESC


@strawberry.input(description="Which contracts to list; all conditions must hold.")
class ContractFilter:
    status: ContractStatusEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=strawberry.UNSET, description="The status today."
    )
    contact_id: strawberry.ID | None = strawberry.UNSET
    start_date_from: date | None = strawberry.field(
        default=strawberry.UNSET, description="Starting on or after this day."
    )
    start_date_to: date | None = strawberry.field(
        default=strawberry.UNSET, description="Starting on or before this day."
    )
    end_date_from: date | None = strawberry.field(
        default=strawberry.UNSET, description="Ending on or after this day."
    )
    end_date_to: date | None = strawberry.field(
        default=strawberry.UNSET, description="Ending on or before this day."
    )
    search: str | None = strawberry.field(
        default=strawberry.UNSET, description="Part of the title or description."
    )


@strawberry.enum(description="What proposals can be sorted by.")
class ProposalOrderField(Enum):
    CREATED_AT = "created_at"
    TITLE = "title"
    VALUE = "value"


@strawberry.input(description="How to sort proposals.")
class ProposalOrder:
    field: ProposalOrderField = ProposalOrderField.CREATED_AT
    direction: OrderDirection = OrderDirection.DESC


@strawberry.input(description="Which proposals to list; all conditions must hold.")
class ProposalFilter:
    status: ProposalStatusEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    contact_id: strawberry.ID | None = strawberry.UNSET
    deal_id: strawberry.ID | None = strawberry.UNSET
    created_from: date | None = strawberry.field(
        default=strawberry.UNSET, description="Created on or after this day (UTC)."
    )
    created_to: date | None = strawberry.field(
        default=strawberry.UNSET, description="Created on or before this day (UTC)."
    )
    search: str | None = strawberry.field(
        default=strawberry.UNSET, description="Part of the title."
    )


def contract_filter_of(value: ContractFilter | None) -> service.ContractFilter:
    data = input_to_dict(value) if value else {}
    return service.ContractFilter(
        status=enum_value(data.get("status")),
        contact_id=id_filter(data.get("contactId"), "Contact"),
        start_date_from=data.get("startDateFrom"),
        start_date_to=data.get("startDateTo"),
        end_date_from=data.get("endDateFrom"),
        end_date_to=data.get("endDateTo"),
        search=data.get("search"),
    )


def proposal_filter_of(value: ProposalFilter | None) -> service.ProposalFilter:
    data = input_to_dict(value) if value else {}
    return service.ProposalFilter(
        status=enum_value(data.get("status")),
        contact_id=id_filter(data.get("contactId"), "Contact"),
        deal_id=id_filter(data.get("dealId"), "Deal"),
        created_from=data.get("createdFrom"),
        created_to=data.get("createdTo"),
        search=data.get("search"),
    )


def contract_order_of(value: ContractOrder | None) -> tuple[str, str]:
    return order_of(value, ContractOrder)


def proposal_order_of(value: ProposalOrder | None) -> tuple[str, str]:
    return order_of(value, ProposalOrder)


# --- inputs and payloads ------------------------------------------------------------------


@strawberry.input(description="A contract's terms; on update, only the fields sent change.")
class ContractFieldsInput:
    description: str | None = strawberry.UNSET
    start_date: date | None = strawberry.UNSET
    end_date: date | None = strawberry.field(
        default=strawberry.UNSET, description="Not before startDate."
    )
    value: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="Zero or more; defaults to zero."
    )
    currency_code: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="The base currency (the default) or one of the company's currencies.",
    )


@strawberry.input(description="A draft contract.")
class ContractCreateInput(ContractFieldsInput):
    title: str
    contact_id: strawberry.ID


@strawberry.input(description="A draft contract's changes; a signed contract's terms are fixed.")
class ContractUpdateInput(ContractFieldsInput):
    id: strawberry.ID
    title: str | None = strawberry.UNSET
    contact_id: strawberry.ID | None = strawberry.UNSET


@strawberry.input
class ContractSignInput:
    id: strawberry.ID
    signed_at: datetime | None = strawberry.field(
        default=strawberry.UNSET, description="When it was signed; defaults to now, not later."
    )


@strawberry.input
class ContractTerminateInput:
    id: strawberry.ID
    reason: str | None = strawberry.UNSET


@strawberry.input
class ContractDeleteInput:
    id: strawberry.ID


@strawberry.input(description="A section of a proposal.")
class ProposalSectionInput:
    title: str
    body: str = ""


@strawberry.input(description="A proposal's fields; on update, only the fields sent change.")
class ProposalFieldsInput:
    deal_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="The CRM deal it is written for: one with the proposal's contact.",
    )
    value: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="Zero or more; defaults to zero."
    )
    currency_code: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="The base currency (the default) or one of the company's currencies.",
    )
    sections: list[ProposalSectionInput] | None = strawberry.field(
        default=strawberry.UNSET,
        description="The sections in order; on update they replace the old ones.",
    )


@strawberry.input(description="A draft proposal.")
class ProposalCreateInput(ProposalFieldsInput):
    title: str
    contact_id: strawberry.ID


@strawberry.input(description="A draft proposal's changes; once sent it is fixed.")
class ProposalUpdateInput(ProposalFieldsInput):
    id: strawberry.ID
    title: str | None = strawberry.UNSET
    contact_id: strawberry.ID | None = strawberry.UNSET


@strawberry.input
class ProposalIdInput:
    id: strawberry.ID


@strawberry.input(
    description="The contract an accepted proposal becomes: the proposal's title (unless one is "
    "given), contact and value, and these dates."
)
class ProposalContractInput:
    start_date: date | None = strawberry.UNSET
    end_date: date | None = strawberry.field(
        default=strawberry.UNSET, description="Not before startDate."
    )
    title: str | None = strawberry.UNSET


@strawberry.input
class ProposalAcceptInput:
    id: strawberry.ID
    contract: ProposalContractInput | None = strawberry.field(
        default=strawberry.UNSET,
        description="Given: a draft contract is made from the proposal in the same transaction.",
    )


@strawberry.type
class ContractPayload:
    contract: ContractNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ContractDeletePayload:
    deleted_contract_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ProposalPayload:
    proposal: ProposalNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ProposalDeletePayload:
    deleted_proposal_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
