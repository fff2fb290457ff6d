"""GraphQL types of banking: accounts, transactions and transfers, their inputs, filters
and orders (module: banking)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from gql.core.filter_values import enum_value, id_filter, order_of
from gql.core.graph import (
    EdgeConnection,
    connection_edge,
    money,
    sql_meta,
    to_many,
    to_one,
    to_one_by,
)
from gql.core.inputs import input_to_dict
from gql.core.money import Money
from gql.core.mutations import UserError
from gql.core.ordering import OrderDirection
from gql.core.relay import Connection, Node, load_with, node_type
from gql.core.reporting import Namespace
from gql.domains.bankfeeds.filters import (
    FEED_BY_ACCOUNT,
    BankFeedTransactionFilter,
    BankFeedTransactionOrder,
)
from gql.domains.bankfeeds.reconciliation import AccountReconciliation
from gql.domains.banking import service
from gql.domains.banking.loaders import (
    AccountByIdLoader,
    TransactionByIdLoader,
    TransactionsByTransferIdLoader,
    TransferByIdLoader,
    VoucherByTransactionIdLoader,
    VoucherByTransferIdLoader,
)
from gql.domains.banking.models import Account, AccountType, Transaction, TransactionType, Transfer
from gql.domains.catalogue.loaders import CategoryByIdLoader
from gql.domains.catalogue.types import CategoryNode
from gql.domains.companies.modules import ModuleAlias
from gql.domains.contacts.loaders import ContactByIdLoader
from gql.domains.contacts.types import ContactNode
from gql.domains.documents.loaders import DocumentByIdLoader
from gql.domains.documents.types import DocumentNode
from gql.domains.ledger.loaders import LedgerAccountByIdLoader

if TYPE_CHECKING:
    from gql.domains.bankfeeds.types import BankFeedTransactionConnection
    from gql.domains.ledger.types import LedgerAccountNode, VoucherNode

MODULE = ModuleAlias.BANKING

AccountTypeEnum = strawberry.enum(
    AccountType,
    name="AccountType",
    description="A bank account, cash (a till or petty cash) or a credit card.",
)
TransactionTypeEnum = strawberry.enum(
    TransactionType,
    name="TransactionType",
    description="Money in (income) or out (expense) of an account.",
)


def _reconciliation(root: strawberry.Parent[Account]) -> AccountReconciliation:
    # Its figures read the account's own row (computed over it), so the row is its value.
    return root  # type: ignore[return-value]


# Account.transactions names types declared further down this module.
_THIS_MODULE = strawberry.lazy("gql.domains.banking.types")


@node_type(
    name="Account",
    model=Account,
    load=load_with(AccountByIdLoader),
    module=MODULE,
    description="A bank, cash or credit-card account the company keeps money in.",
)
class AccountNode(Node):
    name: str
    type: AccountTypeEnum  # type: ignore[valid-type]
    number: str | None
    currency_code: str
    bank_name: str | None
    iban: str | None
    deposit_number: str | None
    branch_code: str | None
    enabled: bool
    created_at: datetime
    updated_at: datetime
    opening_balance: Money = money("opening_balance")
    ledger_account: (
        Annotated[LedgerAccountNode, strawberry.lazy("gql.domains.ledger.types")] | None
    ) = to_one(
        LedgerAccountByIdLoader,
        "ledger_account_id",
        description="The chart account this account's money is booked to.",
    )
    balance: Money = money(
        service.BALANCE,
        description="The opening balance plus incomes less expenses (transfers included); "
        "a credit card's debt is negative.",
    )
    transactions: Annotated[TransactionConnection, _THIS_MODULE] = connection_edge(
        EdgeConnection(
            Transaction,
            "account_id",
            filter_of=lambda value: transaction_filter_of(value),
            order_of=lambda value: transaction_order_of(value),
            order_columns=service.TRANSACTION_ORDER_COLUMNS,
            module=MODULE,
        ),
        Annotated["TransactionConnection", _THIS_MODULE],
        filter=Annotated["TransactionFilter", _THIS_MODULE],
        order=Annotated["TransactionOrder", _THIS_MODULE],
        description="This account's transactions, newest first unless ordered otherwise.",
    )
    # bankfeeds
    reconciliation: AccountReconciliation = strawberry.field(
        resolver=_reconciliation,
        description="How the books stand against the bank statement (bank feeds).",
        metadata=sql_meta(Namespace()),
    )
    feed_transactions: Annotated[
        BankFeedTransactionConnection, strawberry.lazy("gql.domains.bankfeeds.types")
    ] = connection_edge(
        FEED_BY_ACCOUNT,
        Annotated["BankFeedTransactionConnection", strawberry.lazy("gql.domains.bankfeeds.types")],
        filter=BankFeedTransactionFilter,
        order=BankFeedTransactionOrder,
        description="The bank feed lines imported for this account, latest date first.",
    )


@node_type(
    name="Transaction",
    model=Transaction,
    load=load_with(TransactionByIdLoader),
    module=MODULE,
    description="Money in or out of an account: an income or an expense, a payment on an invoice "
    "or bill, or one side of a transfer.",
)
class TransactionNode(Node):
    type: TransactionTypeEnum  # type: ignore[valid-type]
    currency_code: str
    currency_rate: Decimal = strawberry.field(
        description="Units of the transaction's currency per one unit of the base currency."
    )
    paid_at: datetime
    description: str | None
    payment_method: str | None
    reference: str | None
    document_amount: Decimal | None = strawberry.field(
        description="For a payment: the amount applied to the document, in the document's currency."
    )
    created_at: datetime
    updated_at: datetime
    amount: Money = money("amount", description="In the account's currency.")
    account: AccountNode = to_one(AccountByIdLoader, "account_id")
    contact: ContactNode | None = to_one(ContactByIdLoader, "contact_id")
    category: CategoryNode | None = to_one(CategoryByIdLoader, "category_id")
    document: DocumentNode | None = to_one(
        DocumentByIdLoader, "document_id", description="The invoice or bill this transaction pays."
    )
    transfer: TransferNode | None = to_one(
        TransferByIdLoader,
        "transfer_id",
        description="The transfer this transaction is one side of.",
    )
    voucher: Annotated[VoucherNode, strawberry.lazy("gql.domains.ledger.types")] | None = to_one_by(
        VoucherByTransactionIdLoader,
        description="The journal entry this transaction posted (null for a transfer's sides: "
        "the transfer posts one voucher for both).",
    )


@node_type(
    name="Transfer",
    model=Transfer,
    load=load_with(TransferByIdLoader),
    module=MODULE,
    description="Money moved between two of the company's accounts: an expense on the source and "
    "an income on the destination.",
)
class TransferNode(Node):
    amount: Decimal = strawberry.field(description="What left, in the source account's currency.")
    to_amount: Decimal = strawberry.field(
        description="What arrived, in the destination account's currency."
    )
    currency_rate: Decimal = strawberry.field(description="Destination units per source unit.")
    paid_at: datetime
    description: str | None
    reference: str | None
    created_at: datetime
    from_account: AccountNode = to_one(AccountByIdLoader, "from_account_id")
    to_account: AccountNode = to_one(AccountByIdLoader, "to_account_id")
    transactions: list[TransactionNode] = to_many(
        TransactionsByTransferIdLoader,
        description="The expense on the source, then the income on the destination.",
    )
    voucher: Annotated[VoucherNode, strawberry.lazy("gql.domains.ledger.types")] | None = to_one_by(
        VoucherByTransferIdLoader,
        description="The journal entry of the transfer (null between accounts on one ledger "
        "account).",
    )


# --- connections, filters and orders --------------------------------------------------------


@strawberry.type(name="AccountConnection")
class AccountConnection(Connection[AccountNode]):
    pass


@strawberry.type(name="TransactionConnection")
class TransactionConnection(Connection[TransactionNode]):
    pass


@strawberry.type(name="TransferConnection")
class TransferConnection(Connection[TransferNode]):
    pass


@strawberry.enum(description="What accounts can be sorted by.")
class AccountOrderField(Enum):
    NAME = "name"
    CREATED_AT = "created_at"


@strawberry.input(description="How to sort accounts.")
class AccountOrder:
    field: AccountOrderField = AccountOrderField.NAME
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input(description="Which accounts to list; all conditions must hold.")
class AccountFilter:
    type: AccountTypeEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    enabled: bool | None = strawberry.UNSET
    currency_code: str | None = strawberry.UNSET
    search: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Part of the name, number, bank name, IBAN or deposit number.",
    )


@strawberry.enum(description="What transactions can be sorted by.")
class TransactionOrderField(Enum):
    PAID_AT = "paid_at"
    AMOUNT = "amount"
    CREATED_AT = "created_at"


@strawberry.input(description="How to sort transactions.")
class TransactionOrder:
    field: TransactionOrderField = TransactionOrderField.PAID_AT
    direction: OrderDirection = OrderDirection.DESC


@strawberry.input(description="Which transactions to list; all conditions must hold.")
class TransactionFilter:
    type: TransactionTypeEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    account_id: strawberry.ID | None = strawberry.UNSET
    contact_id: strawberry.ID | None = strawberry.UNSET
    document_id: strawberry.ID | None = strawberry.UNSET
    category_id: strawberry.ID | None = strawberry.UNSET
    paid_at_from: date | None = strawberry.field(
        default=strawberry.UNSET, description="From this day (UTC), included."
    )
    paid_at_to: date | None = strawberry.field(
        default=strawberry.UNSET, description="To this day (UTC), included."
    )
    search: str | None = strawberry.field(
        default=strawberry.UNSET, description="Part of the description or reference."
    )


@strawberry.enum(description="What transfers can be sorted by.")
class TransferOrderField(Enum):
    PAID_AT = "paid_at"
    AMOUNT = "amount"
    CREATED_AT = "created_at"


@strawberry.input(description="How to sort transfers.")
class TransferOrder:
    field: TransferOrderField = TransferOrderField.PAID_AT
    direction: OrderDirection = OrderDirection.DESC


@strawberry.input(description="Which transfers to list; all conditions must hold.")
class TransferFilter:
    account_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Transfers from or to this account."
    )
    paid_at_from: date | None = strawberry.field(
        default=strawberry.UNSET, description="From this day (UTC), included."
    )
    paid_at_to: date | None = strawberry.field(
        default=strawberry.UNSET, description="To this day (UTC), included."
    )
    search: str | None = strawberry.field(
        default=strawberry.UNSET, description="Part of the description or reference."
    )


def account_filter_of(value: AccountFilter | None) -> service.AccountFilter:
    data = input_to_dict(value) if value else {}
    return service.AccountFilter(
        type=enum_value(data.get("type")),
        enabled=data.get("enabled"),
        currency_code=data.get("currencyCode"),
        search=data.get("search"),
    )


def transaction_filter_of(value: TransactionFilter | None) -> service.TransactionFilter:
    data = input_to_dict(value) if value else {}
    return service.TransactionFilter(
        type=enum_value(data.get("type")),
        account_id=id_filter(data.get("accountId"), "Account"),
        contact_id=id_filter(data.get("contactId"), "Contact"),
        document_id=id_filter(data.get("documentId"), "Document"),
        category_id=id_filter(data.get("categoryId"), "Category"),
        paid_at_from=data.get("paidAtFrom"),
        paid_at_to=data.get("paidAtTo"),
        search=data.get("search"),
    )


def transfer_filter_of(value: TransferFilter | None) -> service.TransferFilter:
    data = input_to_dict(value) if value else {}
    return service.TransferFilter(
        account_id=id_filter(data.get("accountId"), "Account"),
        paid_at_from=data.get("paidAtFrom"),
        paid_at_to=data.get("paidAtTo"),
        search=data.get("search"),
    )


def account_order_of(value: AccountOrder | None) -> tuple[str, str]:
    return order_of(value, AccountOrder)


def transaction_order_of(value: TransactionOrder | None) -> tuple[str, str]:
    return order_of(value, TransactionOrder)


def transfer_order_of(value: TransferOrder | None) -> tuple[str, str]:
    return order_of(value, TransferOrder)


# --- inputs and payloads ------------------------------------------------------------------


@strawberry.input(description="An account's fields; on update, only the fields sent change.")
class AccountFieldsInput:
    number: str | None = strawberry.UNSET
    currency_code: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="The base currency or one of the company's currencies; defaults to the "
        "base currency. "
        "Fixed once the account has transactions.",
    )
    opening_balance: Decimal | None = strawberry.field(
        default=strawberry.UNSET,
        description="What the account held when it was opened (negative: a credit card's "
        "debt). Posted "
        "as an opening-balance voucher.",
    )
    bank_name: str | None = strawberry.UNSET
    iban: str | None = strawberry.UNSET
    deposit_number: str | None = strawberry.UNSET
    branch_code: str | None = strawberry.UNSET
    enabled: bool | None = strawberry.UNSET


@strawberry.input
class AccountCreateInput(AccountFieldsInput):
    name: str
    type: AccountTypeEnum  # type: ignore[valid-type]


@strawberry.input
class AccountUpdateInput(AccountFieldsInput):
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    type: AccountTypeEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=strawberry.UNSET, description="Fixed once the account has transactions."
    )


@strawberry.input
class AccountDeleteInput:
    id: strawberry.ID


@strawberry.input(
    description="An income or an expense; with documentId, a payment on that invoice or bill."
)
class TransactionCreateInput:
    type: TransactionTypeEnum  # type: ignore[valid-type]
    account_id: strawberry.ID
    amount: Decimal = strawberry.field(description="More than zero, in the account's currency.")
    currency_code: str | None = strawberry.field(
        default=strawberry.UNSET, description="The account's currency (the default)."
    )
    currency_rate: Decimal | None = strawberry.field(
        default=strawberry.UNSET,
        description="Units of the currency per one unit of the base currency: required for a "
        "foreign "
        "currency. With documentId, as in documentPaymentCreate.",
    )
    paid_at: datetime | None = strawberry.field(
        default=strawberry.UNSET, description="Defaults to now."
    )
    description: str | None = strawberry.UNSET
    category_id: strawberry.ID | None = strawberry.UNSET
    contact_id: strawberry.ID | None = strawberry.UNSET
    payment_method: str | None = strawberry.UNSET
    reference: str | None = strawberry.UNSET
    document_id: strawberry.ID | None = strawberry.UNSET


@strawberry.input
class TransactionDeleteInput:
    id: strawberry.ID


@strawberry.input(description="Money moved from one account to another.")
class TransferCreateInput:
    from_account_id: strawberry.ID
    to_account_id: strawberry.ID
    amount: Decimal = strawberry.field(description="What leaves, in the source account's currency.")
    to_amount: Decimal | None = strawberry.field(
        default=strawberry.UNSET,
        description="Between currencies: what arrives, in the destination's currency (or give "
        "currencyRate).",
    )
    currency_rate: Decimal | None = strawberry.field(
        default=strawberry.UNSET,
        description="Between currencies: destination units per source unit.",
    )
    paid_at: datetime | None = strawberry.field(
        default=strawberry.UNSET, description="Defaults to now."
    )
    description: str | None = strawberry.UNSET
    reference: str | None = strawberry.UNSET


@strawberry.input
class TransferDeleteInput:
    id: strawberry.ID


@strawberry.input(description="A payment on an issued invoice (money in) or bill (money out).")
class DocumentPaymentCreateInput:
    document_id: strawberry.ID
    account_id: strawberry.ID
    amount: Decimal = strawberry.field(
        description="More than zero, in the account's currency; at most what the document "
        "still has due."
    )
    paid_at: datetime | None = strawberry.field(
        default=strawberry.UNSET, description="Defaults to now."
    )
    currency_rate: Decimal | None = strawberry.field(
        default=strawberry.UNSET,
        description="Required when the account's currency differs from the document's: units "
        "of the account's currency per one unit of the document's. The document is credited "
        "amount / currencyRate.",
    )
    payment_method: str | None = strawberry.UNSET
    reference: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET


@strawberry.type
class AccountPayload:
    account: AccountNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AccountDeletePayload:
    deleted_account_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class TransactionPayload:
    transaction: TransactionNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class TransactionDeletePayload:
    deleted_transaction_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class TransferPayload:
    transfer: TransferNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class TransferDeletePayload:
    deleted_transfer_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DocumentPaymentPayload:
    transaction: TransactionNode | None = strawberry.field(default=None, description="The payment.")
    document: DocumentNode | None = strawberry.field(
        default=None, description="The document, as paid now."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)
