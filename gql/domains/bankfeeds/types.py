"""GraphQL types of bank feeds: connections, rules and feed lines, with their inputs and
payloads (module: banking). Filters and orders are in filters.py."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

import strawberry

from gql.core.graph import connection_edge, money, to_many, to_one
from gql.core.money import Money
from gql.core.mutations import UserError
from gql.core.relay import Connection, Node, load_with, node_type
from gql.domains.bankfeeds.filters import (
    FEED_BY_CONNECTION,
    MODULE,
    BankFeedTransactionFilter,
    BankFeedTransactionOrder,
    ConnectionStatusEnum,
    DirectionEnum,
    FeedStatusEnum,
)
from gql.domains.bankfeeds.loaders import (
    BankConnectionByIdLoader,
    BankFeedTransactionByIdLoader,
    BankRuleByIdLoader,
    TransactionsByFeedTransactionIdLoader,
)
from gql.domains.bankfeeds.models import BankConnection, BankFeedTransaction, BankRule, FeedFormat
from gql.domains.banking.loaders import AccountByIdLoader
from gql.domains.banking.types import AccountNode, TransactionNode
from gql.domains.catalogue.loaders import CategoryByIdLoader
from gql.domains.catalogue.types import CategoryNode
from gql.domains.contacts.loaders import ContactByIdLoader
from gql.domains.contacts.types import ContactNode

_THIS_MODULE = strawberry.lazy("gql.domains.bankfeeds.types")


@node_type(
    name="BankConnection",
    model=BankConnection,
    load=load_with(BankConnectionByIdLoader),
    module=MODULE,
    description="A bank feed for one of the company's money accounts: statements are "
    "imported through it.",
)
class BankConnectionNode(Node):
    provider: str
    status: ConnectionStatusEnum  # type: ignore[valid-type]
    last_import_at: datetime | None = strawberry.field(description="When a file was last imported.")
    created_at: datetime
    updated_at: datetime
    account: AccountNode = to_one(AccountByIdLoader, "account_id")
    feed_transactions: Annotated[BankFeedTransactionConnection, _THIS_MODULE] = connection_edge(
        FEED_BY_CONNECTION,
        Annotated["BankFeedTransactionConnection", _THIS_MODULE],
        filter=BankFeedTransactionFilter,
        order=BankFeedTransactionOrder,
        description="The lines imported through it, latest date first.",
    )


@node_type(
    name="BankRule",
    model=BankRule,
    load=load_with(BankRuleByIdLoader),
    module=MODULE,
    description="An auto-categorisation rule: a new feed line whose description or "
    "counterparty contains the pattern (in any case) is suggested its category and contact. "
    "The highest priority wins, then the oldest rule.",
)
class BankRuleNode(Node):
    pattern: str
    priority: int
    direction: DirectionEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="Only lines with money in (IN) or out (OUT); null: both."
    )
    created_at: datetime
    updated_at: datetime
    category: CategoryNode = to_one(CategoryByIdLoader, "category_id")
    contact: ContactNode | None = to_one(ContactByIdLoader, "contact_id")
    account: AccountNode | None = to_one(
        AccountByIdLoader, "account_id", description="Only lines of this account; null: any."
    )


@node_type(
    name="BankFeedTransaction",
    model=BankFeedTransaction,
    load=load_with(BankFeedTransactionByIdLoader),
    module=MODULE,
    description="A line of an imported bank statement, and how it is reconciled.",
)
class BankFeedTransactionNode(Node):
    date: date
    description: str
    reference: str | None = strawberry.field(description="The bank's FITID, or the file's.")
    counterparty: str | None
    status: FeedStatusEnum  # type: ignore[valid-type]
    import_id: strawberry.ID = strawberry.field(description="The import (batch) that added it.")
    fingerprint: str = strawberry.field(
        description="What makes it unique for its account: the FITID, or a hash of account, "
        "date, amount, description and its occurrence in the file."
    )
    created_at: datetime
    updated_at: datetime
    amount: Money = money(
        "amount",
        "currency_code",
        description="Signed, in the account's currency: money in is positive.",
    )
    connection: BankConnectionNode = to_one(BankConnectionByIdLoader, "connection_id")
    account: AccountNode = to_one(AccountByIdLoader, "account_id")
    rule: BankRuleNode | None = to_one(
        BankRuleByIdLoader, "rule_id", description="The rule that suggested its category."
    )
    category: CategoryNode | None = to_one(
        CategoryByIdLoader, "category_id", description="The suggested category."
    )
    contact: ContactNode | None = to_one(
        ContactByIdLoader, "contact_id", description="The suggested contact."
    )
    matched_transactions: list[TransactionNode] = to_many(
        TransactionsByFeedTransactionIdLoader,
        description="The transactions it is reconciled with (MATCHED or CREATED), oldest first.",
    )


@strawberry.type(name="BankConnectionConnection")
class BankConnectionConnection(Connection[BankConnectionNode]):
    pass


@strawberry.type(name="BankRuleConnection")
class BankRuleConnection(Connection[BankRuleNode]):
    pass


@strawberry.type(name="BankFeedTransactionConnection")
class BankFeedTransactionConnection(Connection[BankFeedTransactionNode]):
    pass


# --- inputs and payloads ------------------------------------------------------------------


@strawberry.input
class BankConnectionCreateInput:
    provider: str
    account_id: strawberry.ID


@strawberry.input(description="Only the fields sent change.")
class BankConnectionUpdateInput:
    id: strawberry.ID
    provider: str | None = strawberry.UNSET
    status: ConnectionStatusEnum | None = strawberry.UNSET  # type: ignore[valid-type]


@strawberry.input
class BankIdInput:
    id: strawberry.ID


@strawberry.input(description="A rule's fields; on update, only the fields sent change.")
class BankRuleFieldsInput:
    contact_id: strawberry.ID | None = strawberry.UNSET
    priority: int | None = strawberry.field(
        default=strawberry.UNSET, description="Higher first (-1000 to 1000; 0 by default)."
    )
    direction: DirectionEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    account_id: strawberry.ID | None = strawberry.UNSET


@strawberry.input
class BankRuleCreateInput(BankRuleFieldsInput):
    pattern: str = strawberry.field(
        description="Text the description or counterparty contains, in any case."
    )
    category_id: strawberry.ID


@strawberry.input
class BankRuleUpdateInput(BankRuleFieldsInput):
    id: strawberry.ID
    pattern: str | None = strawberry.UNSET
    category_id: strawberry.ID | None = strawberry.UNSET


BankFeedFormatEnum = strawberry.enum(
    FeedFormat, name="BankFeedFormat", description="The statement file's format."
)


@strawberry.input(
    description="Which CSV columns (by their header) hold what. Give amount (signed: money "
    "in is positive), or debit (money out) and credit (money in)."
)
class BankFeedMappingInput:
    date: str
    description: str
    amount: str | None = strawberry.UNSET
    debit: str | None = strawberry.UNSET
    credit: str | None = strawberry.UNSET
    reference: str | None = strawberry.UNSET
    counterparty: str | None = strawberry.UNSET
    date_format: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="With YYYY (or YY), MM and DD: DD/MM/YYYY. YYYY-MM-DD by default.",
    )
    decimal_separator: str | None = strawberry.field(
        default=strawberry.UNSET, description='"." (the default) or ",".'
    )
    delimiter: str | None = strawberry.field(
        default=strawberry.UNSET, description='The column separator: "," by default.'
    )


@strawberry.input(description="A statement file to import through a connection.")
class BankFeedImportInput:
    connection_id: strawberry.ID
    format: BankFeedFormatEnum  # type: ignore[valid-type]
    content: str = strawberry.field(description="The file's text, or its bytes in base64.")
    base64: bool | None = strawberry.field(
        default=strawberry.UNSET, description="True when content is base64."
    )
    mapping: BankFeedMappingInput | None = strawberry.field(
        default=strawberry.UNSET, description="Required for CSV."
    )
    closing_balance: Decimal | None = strawberry.field(
        default=strawberry.UNSET,
        description="The statement's closing balance, when the file does not give it (an "
        "OFX file's ledger balance is read from it).",
    )
    closing_date: date | None = strawberry.field(
        default=strawberry.UNSET, description="The day of closingBalance (the last line's day)."
    )


@strawberry.input
class BankFeedMatchInput:
    id: strawberry.ID
    transaction_ids: list[strawberry.ID] = strawberry.field(
        description="Transactions of the line's account (payments among them), not reconciled "
        "yet, whose signed amounts add up to the line's."
    )


@strawberry.input(description="One new transaction of a split; amounts are positive.")
class BankFeedSplitPartInput:
    amount: Decimal
    category_id: strawberry.ID | None = strawberry.UNSET
    contact_id: strawberry.ID | None = strawberry.UNSET
    document_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="A payment on this invoice (money in) or bill."
    )
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description="The line's description by default."
    )
    payment_method: str | None = strawberry.UNSET


@strawberry.input
class BankFeedSplitInput:
    id: strawberry.ID
    parts: list[BankFeedSplitPartInput] | None = strawberry.field(
        default=strawberry.UNSET,
        description="Whose amounts add up to the line's (without its sign); none: one "
        "transaction from the line's suggested category and contact.",
    )


@strawberry.type
class BankConnectionPayload:
    bank_connection: BankConnectionNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class BankConnectionDeletePayload:
    deleted_bank_connection_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class BankRulePayload:
    bank_rule: BankRuleNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class BankRuleDeletePayload:
    deleted_bank_rule_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class BankFeedTransactionPayload:
    feed_transaction: BankFeedTransactionNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class BankFeedImportPayload:
    import_id: strawberry.ID | None = strawberry.field(
        default=None, description="The import (batch): filter feed lines by it."
    )
    connection: BankConnectionNode | None = None
    lines: int | None = strawberry.field(default=None, description="Lines in the file.")
    new_lines: int | None = strawberry.field(default=None, description="Lines added now.")
    existing_lines: int | None = strawberry.field(
        default=None, description="Lines already imported before (same fingerprint)."
    )
    feed_transactions: list[BankFeedTransactionNode] | None = strawberry.field(
        default=None, description="The lines added now, by date."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)
