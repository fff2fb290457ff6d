"""Every table, imported in one place so metadata (and alembic) sees them all."""

from sqlmodel import SQLModel

from gql.core.idempotency import IdempotencyKey
from gql.core.throttle import RateBucket
from gql.domains.audit.models import AuditEvent
from gql.domains.bankfeeds.models import (
    BankConnection,
    BankFeedImport,
    BankFeedTransaction,
    BankRule,
)
from gql.domains.banking.models import Account, Transaction, Transfer
from gql.domains.catalogue.models import Category, Currency, Item, ItemVariant, Tax
from gql.domains.companies.models import Company, Membership, ModuleLicense, User
from gql.domains.contacts.models import Contact
from gql.domains.contracts.models import Contract, Proposal, ProposalSection
from gql.domains.crm.models import Activity, Campaign, Deal, Lead, Pipeline, PipelineStage
from gql.domains.documents.models import Document, DocumentLine, NumberSeries
from gql.domains.events.models import WebhookDelivery, WebhookEndpoint
from gql.domains.events.outbox import OutboxEvent
from gql.domains.helpdesk.models import (
    Article,
    Sla,
    SlaTarget,
    Ticket,
    TicketCategory,
    TicketReply,
)
from gql.domains.inventory.models import (
    StockAdjustment,
    StockLevel,
    StockMove,
    StockTransfer,
    Warehouse,
)
from gql.domains.ledger.models import (
    FinancialYear,
    LedgerAccount,
    LedgerBalance,
    Voucher,
    VoucherLine,
)
from gql.domains.payroll.models import Department, Employee, PayRun, Payslip, Position
from gql.domains.pos.models import (
    LoyaltyMember,
    LoyaltyProgram,
    PosOrder,
    PosOrderLine,
    PosSession,
    PosTerminal,
)
from gql.domains.projects.models import Project, Task, TimeEntry
from gql.persisted import PersistedDocument

metadata = SQLModel.metadata

__all__ = [
    "Account",
    "Activity",
    "Article",
    "AuditEvent",
    "BankConnection",
    "BankFeedImport",
    "BankFeedTransaction",
    "BankRule",
    "Campaign",
    "Category",
    "Company",
    "Contact",
    "Contract",
    "Currency",
    "Deal",
    "Department",
    "Document",
    "DocumentLine",
    "Employee",
    "FinancialYear",
    "IdempotencyKey",
    "Item",
    "ItemVariant",
    "Lead",
    "LedgerAccount",
    "LedgerBalance",
    "LoyaltyMember",
    "LoyaltyProgram",
    "Membership",
    "ModuleLicense",
    "NumberSeries",
    "OutboxEvent",
    "PayRun",
    "Payslip",
    "PersistedDocument",
    "Pipeline",
    "PipelineStage",
    "PosOrder",
    "PosOrderLine",
    "PosSession",
    "PosTerminal",
    "Position",
    "Project",
    "Proposal",
    "ProposalSection",
    "RateBucket",
    "Sla",
    "SlaTarget",
    "StockAdjustment",
    "StockLevel",
    "StockMove",
    "StockTransfer",
    "Task",
    "Tax",
    "Ticket",
    "TicketCategory",
    "TicketReply",
    "TimeEntry",
    "Transaction",
    "Transfer",
    "User",
    "Voucher",
    "VoucherLine",
    "Warehouse",
    "WebhookDelivery",
    "WebhookEndpoint",
    "metadata",
]
