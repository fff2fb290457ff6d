"""Every table, imported in one place so metadata (and alembic) sees them all."""

from sqlmodel import SQLModel

from gql.domains.banking.models import Account, Transaction, Transfer
from gql.domains.catalogue.models import Category, Currency, Item, ItemVariant, Tax
from gql.domains.companies.models import Company, Membership, ModuleLicense, User
from gql.domains.contacts.models import Contact
from gql.domains.documents.models import Document, DocumentLine, NumberSeries
from gql.domains.helpdesk.models import (
    Article,
    Sla,
    SlaTarget,
    Ticket,
    TicketCategory,
    TicketReply,
)
from gql.domains.ledger.models import (
    FinancialYear,
    LedgerAccount,
    LedgerBalance,
    Voucher,
    VoucherLine,
)

metadata = SQLModel.metadata

__all__ = [
    "Account",
    "Article",
    "Category",
    "Company",
    "Contact",
    "Currency",
    "Document",
    "DocumentLine",
    "FinancialYear",
    "Item",
    "ItemVariant",
    "LedgerAccount",
    "LedgerBalance",
    "Membership",
    "ModuleLicense",
    "NumberSeries",
    "Sla",
    "SlaTarget",
    "Tax",
    "Ticket",
    "TicketCategory",
    "TicketReply",
    "Transaction",
    "Transfer",
    "User",
    "Voucher",
    "VoucherLine",
    "metadata",
]
