"""GraphQL types of contacts: the Contact node, its parts, inputs, filter and order."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from gql.context import Context
from gql.core.graph import EdgeConnection, computed, connection_edge, to_one_by
from gql.core.mutations import UserError
from gql.core.ordering import OrderDirection
from gql.core.relay import Connection, Node, node_type
from gql.domains.audit.types import AuditEventConnection, audit_events_edge
from gql.domains.contacts.loaders import ContactByIdLoader
from gql.domains.contacts.models import Contact, ContactType, EntityType, Salutation
from gql.domains.contracts.models import Contract, Proposal
from gql.domains.contracts.service import CONTRACT_ORDER_COLUMNS, PROPOSAL_ORDER_COLUMNS
from gql.domains.crm.models import Activity, Deal
from gql.domains.crm.service import ACTIVITY_ORDER_COLUMNS, DEAL_ORDER_COLUMNS
from gql.domains.documents.models import Document
from gql.domains.documents.service import ORDER_COLUMNS as DOCUMENT_ORDER_COLUMNS
from gql.domains.helpdesk.models import Ticket
from gql.domains.helpdesk.service import TICKET_ORDER_COLUMNS
from gql.domains.payroll.computed import IS_EMPLOYEE
from gql.domains.payroll.loaders import EmployeeByContactIdLoader
from gql.domains.pos.computed import LOYALTY_POINTS
from gql.domains.projects.models import Project
from gql.domains.projects.service import PROJECT_ORDER_COLUMNS

if TYPE_CHECKING:
    from gql.domains.contracts.types import (
        ContractConnection,
        ContractFilter,
        ContractOrder,
        ProposalConnection,
        ProposalFilter,
        ProposalOrder,
    )
    from gql.domains.crm.types import (
        ActivityConnection,
        ActivityFilter,
        ActivityOrder,
        DealConnection,
        DealFilter,
        DealOrder,
    )
    from gql.domains.documents.types import DocumentConnection, DocumentFilter, DocumentOrder
    from gql.domains.helpdesk.types import TicketConnection, TicketFilter, TicketOrder
    from gql.domains.payroll.types import EmployeeNode
    from gql.domains.projects.types import ProjectConnection, ProjectFilter, ProjectOrder

ContactTypeEnum = strawberry.enum(
    ContactType,
    name="ContactType",
    description="Whom the company deals with: customer, supplier or both.",
)
EntityTypeEnum = strawberry.enum(
    EntityType, name="ContactEntityType", description="A business or a private individual."
)
SalutationEnum = strawberry.enum(Salutation, name="Salutation")


@strawberry.type(description="A postal address.")
class Address:
    street1: str | None = None
    street2: str | None = None
    city: str | None = None
    state: str | None = None
    zip_code: str | None = None
    country_region: str | None = None
    phone: str | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Address | None:
        if not data:
            return None
        return cls(**{k: data.get(k) for k in cls.__annotations__})


@strawberry.type(description="A person to talk to at a business contact.")
class ContactPerson:
    salutation: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    work_phone: str | None = None
    mobile: str | None = None
    designation: str | None = None
    department: str | None = None


@strawberry.type(description="A company-defined field and its value.")
class CustomField:
    field_id: str | None = None
    name: str = ""
    type: str = "TEXT"
    value: str | None = None


def _from_json(cls: type[Any], data: dict[str, Any]) -> Any:
    return cls(**{k: data.get(k) for k in cls.__annotations__ if k in data})


# Documents' types import this module (a document's contact), so they are lazy here.
_DOCUMENTS_TYPES = strawberry.lazy("gql.domains.documents.types")


def _documents_types() -> Any:
    from gql.domains.documents import types

    return types


# CRM's types import this module (a deal's contact), so they are lazy here.
_CRM_TYPES = strawberry.lazy("gql.domains.crm.types")


def _crm_types() -> Any:
    from gql.domains.crm import types

    return types


# Contracts' types import this module too (a contract's contact).
_CONTRACTS_TYPES = strawberry.lazy("gql.domains.contracts.types")


def _contracts_types() -> Any:
    from gql.domains.contracts import types

    return types


# Helpdesk's types import this module too (a ticket's contact).
_HELPDESK_TYPES = strawberry.lazy("gql.domains.helpdesk.types")


def _helpdesk_types() -> Any:
    from gql.domains.helpdesk import types

    return types


# Projects' types import this module too (a project's customer).
_PROJECTS_TYPES = strawberry.lazy("gql.domains.projects.types")


def _projects_types() -> Any:
    from gql.domains.projects import types

    return types


# Payroll's types import this module too (an employee's contact).
_PAYROLL_TYPES = strawberry.lazy("gql.domains.payroll.types")


async def load_contacts(ctx: Context, ids: list[str]) -> list[Contact | None]:
    return await ctx.loaders.get(ContactByIdLoader).load_many(ids)  # type: ignore[no-any-return]


@node_type(name="Contact", model=Contact, load=load_contacts, description="A customer or supplier.")
class ContactNode(Node):
    type: ContactTypeEnum  # type: ignore[valid-type]
    entity_type: EntityTypeEnum  # type: ignore[valid-type]
    name: str = strawberry.field(description="The display name.")
    company_name: str | None
    salutation: SalutationEnum | None  # type: ignore[valid-type]
    first_name: str | None
    last_name: str | None
    email: str | None
    phone: str | None
    mobile: str | None
    website: str | None
    tax_number: str | None
    national_id: str | None
    economic_id: str | None
    currency_code: str | None
    reference: str | None
    notes: str | None
    enabled: bool
    crm_group_ids: list[str] = strawberry.field(description="The customer groups it is in.")
    avatar_url: str | None
    employee_title: str | None = strawberry.field(description="The job title of an employee.")
    acc_code: int | None = strawberry.field(
        description="Its number in the company's accounts (1, 2, ... in creation order)."
    )
    created_at: datetime
    updated_at: datetime

    # Attributes, not methods, so that they keep their place before `documents`.
    billing_address: Address | None = strawberry.field(
        resolver=lambda root: Address.from_json(root.billing_address)
    )
    shipping_address: Address | None = strawberry.field(
        resolver=lambda root: Address.from_json(root.shipping_address)
    )
    contact_persons: list[ContactPerson] = strawberry.field(
        resolver=lambda root: [_from_json(ContactPerson, p) for p in root.contact_persons or []]
    )
    custom_fields: list[CustomField] = strawberry.field(
        resolver=lambda root: [_from_json(CustomField, f) for f in root.custom_fields or []]
    )
    documents: Annotated[DocumentConnection, _DOCUMENTS_TYPES] = connection_edge(
        EdgeConnection(
            Document,
            "contact_id",
            filter_of=lambda value: _documents_types().filter_of(value),
            order_of=lambda value: _documents_types().order_of(value),
            order_columns=DOCUMENT_ORDER_COLUMNS,
            module="invoicing",
        ),
        Annotated["DocumentConnection", _DOCUMENTS_TYPES],
        filter=Annotated["DocumentFilter", _DOCUMENTS_TYPES],
        order=Annotated["DocumentOrder", _DOCUMENTS_TYPES],
        description="This contact's documents (invoices, bills, ...).",
    )
    # CRM
    deals: Annotated[DealConnection, _CRM_TYPES] = connection_edge(
        EdgeConnection(
            Deal,
            "contact_id",
            filter_of=lambda value: _crm_types().deal_filter_of(value),
            order_of=lambda value: _crm_types().deal_order_of(value),
            order_columns=DEAL_ORDER_COLUMNS,
            module="crm",
        ),
        Annotated["DealConnection", _CRM_TYPES],
        filter=Annotated["DealFilter", _CRM_TYPES],
        order=Annotated["DealOrder", _CRM_TYPES],
        description="This contact's deals (module: crm).",
    )
    activities: Annotated[ActivityConnection, _CRM_TYPES] = connection_edge(
        EdgeConnection(
            Activity,
            "contact_id",
            filter_of=lambda value: _crm_types().activity_filter_of(value),
            order_of=lambda value: _crm_types().activity_order_of(value),
            order_columns=ACTIVITY_ORDER_COLUMNS,
            module="crm",
        ),
        Annotated["ActivityConnection", _CRM_TYPES],
        filter=Annotated["ActivityFilter", _CRM_TYPES],
        order=Annotated["ActivityOrder", _CRM_TYPES],
        description="This contact's activities, by scheduled date (module: crm).",
    )
    # Contracts
    contracts: Annotated[ContractConnection, _CONTRACTS_TYPES] = connection_edge(
        EdgeConnection(
            Contract,
            "contact_id",
            filter_of=lambda value: _contracts_types().contract_filter_of(value),
            order_of=lambda value: _contracts_types().contract_order_of(value),
            order_columns=CONTRACT_ORDER_COLUMNS,
            module="contracts",
        ),
        Annotated["ContractConnection", _CONTRACTS_TYPES],
        filter=Annotated["ContractFilter", _CONTRACTS_TYPES],
        order=Annotated["ContractOrder", _CONTRACTS_TYPES],
        description="This contact's contracts, newest first unless ordered otherwise.",
    )
    proposals: Annotated[ProposalConnection, _CONTRACTS_TYPES] = connection_edge(
        EdgeConnection(
            Proposal,
            "contact_id",
            filter_of=lambda value: _contracts_types().proposal_filter_of(value),
            order_of=lambda value: _contracts_types().proposal_order_of(value),
            order_columns=PROPOSAL_ORDER_COLUMNS,
            module="contracts",
        ),
        Annotated["ProposalConnection", _CONTRACTS_TYPES],
        filter=Annotated["ProposalFilter", _CONTRACTS_TYPES],
        order=Annotated["ProposalOrder", _CONTRACTS_TYPES],
        description="The proposals sent to this contact, newest first unless ordered otherwise.",
    )
    # Helpdesk
    tickets: Annotated[TicketConnection, _HELPDESK_TYPES] = connection_edge(
        EdgeConnection(
            Ticket,
            "contact_id",
            filter_of=lambda value: _helpdesk_types().ticket_filter_of(value),
            order_of=lambda value: _helpdesk_types().ticket_order_of(value),
            order_columns=TICKET_ORDER_COLUMNS,
            module="helpdesk",
        ),
        Annotated["TicketConnection", _HELPDESK_TYPES],
        filter=Annotated["TicketFilter", _HELPDESK_TYPES],
        order=Annotated["TicketOrder", _HELPDESK_TYPES],
        description="This contact's support tickets (module: helpdesk).",
    )
    # Projects
    projects: Annotated[ProjectConnection, _PROJECTS_TYPES] = connection_edge(
        EdgeConnection(
            Project,
            "customer_id",
            filter_of=lambda value: _projects_types().project_filter_of(value),
            order_of=lambda value: _projects_types().project_order_of(value),
            order_columns=PROJECT_ORDER_COLUMNS,
            module="projects",
        ),
        Annotated["ProjectConnection", _PROJECTS_TYPES],
        filter=Annotated["ProjectFilter", _PROJECTS_TYPES],
        order=Annotated["ProjectOrder", _PROJECTS_TYPES],
        description="The projects done for this contact as customer (module: projects).",
    )
    # Payroll
    employee: Annotated[EmployeeNode, _PAYROLL_TYPES] | None = to_one_by(
        EmployeeByContactIdLoader,
        description="The employee this contact is, if one is linked (module: payroll).",
    )
    is_employee: bool = computed(
        IS_EMPLOYEE, description="Whether an employee is linked to this contact."
    )
    # Point of sale
    loyalty_points: int = computed(
        LOYALTY_POINTS,
        description="The loyalty points this contact's orders earned, in every programme.",
    )
    audit_events: AuditEventConnection = audit_events_edge()


@strawberry.type(name="ContactConnection")
class ContactConnection(Connection[ContactNode]):
    pass


@strawberry.enum(description="What contacts can be sorted by.")
class ContactOrderField(Enum):
    NAME = "name"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


@strawberry.input(description="How to sort contacts.")
class ContactOrder:
    field: ContactOrderField = ContactOrderField.NAME
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input(description="Which contacts to list; all conditions must hold.")
class ContactFilter:
    type: ContactTypeEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    entity_type: EntityTypeEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    enabled: bool | None = strawberry.UNSET
    search: str | None = strawberry.field(
        default=strawberry.UNSET, description="Part of the name, company name or email."
    )


@strawberry.input
class AddressInput:
    street1: str | None = strawberry.UNSET
    street2: str | None = strawberry.UNSET
    city: str | None = strawberry.UNSET
    state: str | None = strawberry.UNSET
    zip_code: str | None = strawberry.UNSET
    country_region: str | None = strawberry.UNSET
    phone: str | None = strawberry.UNSET


@strawberry.input
class ContactPersonInput:
    salutation: str | None = strawberry.UNSET
    first_name: str | None = strawberry.UNSET
    last_name: str | None = strawberry.UNSET
    email: str | None = strawberry.UNSET
    work_phone: str | None = strawberry.UNSET
    mobile: str | None = strawberry.UNSET
    designation: str | None = strawberry.UNSET
    department: str | None = strawberry.UNSET


@strawberry.input
class CustomFieldInput:
    field_id: str | None = strawberry.UNSET
    name: str
    type: str | None = strawberry.UNSET
    value: str | None = strawberry.UNSET


@strawberry.input(description="A contact's fields; on update, only the fields sent change.")
class ContactFieldsInput:
    type: ContactTypeEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    entity_type: EntityTypeEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    company_name: str | None = strawberry.UNSET
    salutation: SalutationEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    first_name: str | None = strawberry.UNSET
    last_name: str | None = strawberry.UNSET
    email: str | None = strawberry.UNSET
    phone: str | None = strawberry.UNSET
    mobile: str | None = strawberry.UNSET
    website: str | None = strawberry.UNSET
    tax_number: str | None = strawberry.UNSET
    national_id: str | None = strawberry.UNSET
    economic_id: str | None = strawberry.UNSET
    currency_code: str | None = strawberry.UNSET
    reference: str | None = strawberry.UNSET
    notes: str | None = strawberry.UNSET
    billing_address: AddressInput | None = strawberry.UNSET
    shipping_address: AddressInput | None = strawberry.UNSET
    contact_persons: list[ContactPersonInput] | None = strawberry.UNSET
    custom_fields: list[CustomFieldInput] | None = strawberry.UNSET
    enabled: bool | None = strawberry.UNSET
    crm_group_ids: list[str] | None = strawberry.UNSET
    avatar_url: str | None = strawberry.UNSET
    employee_title: str | None = strawberry.UNSET


@strawberry.input
class ContactCreateInput(ContactFieldsInput):
    name: str


@strawberry.input
class ContactUpdateInput(ContactFieldsInput):
    id: strawberry.ID
    name: str | None = strawberry.UNSET


@strawberry.input
class ContactDeleteInput:
    id: strawberry.ID


@strawberry.type
class ContactPayload:
    contact: ContactNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ContactDeletePayload:
    deleted_contact_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
