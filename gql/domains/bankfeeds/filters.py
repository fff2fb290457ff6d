"""GraphQL filters and orders of bank feeds, and the feed-line connection edges (kept
apart from types.py so banking's Account type can declare Account.feedTransactions
without importing the bank-feed node types, which import Account)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum

import strawberry

from gql.core.filter_values import enum_value, id_filter, order_of
from gql.core.graph import EdgeConnection
from gql.core.inputs import input_to_dict
from gql.core.ordering import OrderDirection
from gql.domains.bankfeeds import service
from gql.domains.bankfeeds.models import (
    BankFeedTransaction,
    ConnectionStatus,
    Direction,
    FeedStatus,
)
from gql.domains.companies.modules import ModuleAlias

MODULE = ModuleAlias.BANKING

ConnectionStatusEnum = strawberry.enum(
    ConnectionStatus,
    name="BankConnectionStatus",
    description="ACTIVE takes imports; DISCONNECTED does not.",
)
FeedStatusEnum = strawberry.enum(
    FeedStatus,
    name="BankFeedStatus",
    description="UNMATCHED (maybe with a rule's suggestion), MATCHED to transactions that "
    "existed, or CREATED: reconciled by transactions made for it (bankFeedSplit).",
)
DirectionEnum = strawberry.enum(
    Direction, name="BankRuleDirection", description="Money in (IN) or out (OUT)."
)


@strawberry.enum(description="What bank connections can be sorted by.")
class BankConnectionOrderField(Enum):
    CREATED_AT = "created_at"
    PROVIDER = "provider"
    LAST_IMPORT_AT = "last_import_at"


@strawberry.input(description="How to sort bank connections (oldest first by default).")
class BankConnectionOrder:
    field: BankConnectionOrderField = BankConnectionOrderField.CREATED_AT
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input(description="Which bank connections to list; all conditions must hold.")
class BankConnectionFilter:
    account_id: strawberry.ID | None = strawberry.UNSET
    status: ConnectionStatusEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    search: str | None = strawberry.field(
        default=strawberry.UNSET, description="Part of the provider."
    )


@strawberry.enum(description="What bank rules can be sorted by.")
class BankRuleOrderField(Enum):
    PRIORITY = "priority"
    PATTERN = "pattern"
    CREATED_AT = "created_at"


@strawberry.input(description="How to sort bank rules (highest priority first by default).")
class BankRuleOrder:
    field: BankRuleOrderField = BankRuleOrderField.PRIORITY
    direction: OrderDirection = OrderDirection.DESC


@strawberry.input(description="Which bank rules to list; all conditions must hold.")
class BankRuleFilter:
    category_id: strawberry.ID | None = strawberry.UNSET
    contact_id: strawberry.ID | None = strawberry.UNSET
    search: str | None = strawberry.field(
        default=strawberry.UNSET, description="Part of the pattern."
    )


@strawberry.enum(description="What feed lines can be sorted by.")
class BankFeedTransactionOrderField(Enum):
    DATE = "date"
    AMOUNT = "amount"
    CREATED_AT = "created_at"


@strawberry.input(description="How to sort feed lines (latest date first by default).")
class BankFeedTransactionOrder:
    field: BankFeedTransactionOrderField = BankFeedTransactionOrderField.DATE
    direction: OrderDirection = OrderDirection.DESC


@strawberry.input(description="Which feed lines to list; all conditions must hold.")
class BankFeedTransactionFilter:
    connection_id: strawberry.ID | None = strawberry.UNSET
    account_id: strawberry.ID | None = strawberry.UNSET
    import_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="The lines one import added."
    )
    status: FeedStatusEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    date_from: date | None = strawberry.field(
        default=strawberry.UNSET, description="On or after this day."
    )
    date_to: date | None = strawberry.field(
        default=strawberry.UNSET, description="On or before this day."
    )
    amount_from: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="At least this signed amount."
    )
    amount_to: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="At most this signed amount."
    )
    search: str | None = strawberry.field(
        default=strawberry.UNSET, description="Part of the description, reference or counterparty."
    )


def connection_filter_of(value: BankConnectionFilter | None) -> service.ConnectionFilter:
    data = input_to_dict(value) if value else {}
    return service.ConnectionFilter(
        account_id=id_filter(data.get("accountId"), "Account"),
        status=enum_value(data.get("status")),
        search=data.get("search"),
    )


def rule_filter_of(value: BankRuleFilter | None) -> service.RuleFilter:
    data = input_to_dict(value) if value else {}
    return service.RuleFilter(
        category_id=id_filter(data.get("categoryId"), "Category"),
        contact_id=id_filter(data.get("contactId"), "Contact"),
        search=data.get("search"),
    )


def feed_filter_of(value: BankFeedTransactionFilter | None) -> service.FeedFilter:
    data = input_to_dict(value) if value else {}
    return service.FeedFilter(
        connection_id=id_filter(data.get("connectionId"), "BankConnection"),
        account_id=id_filter(data.get("accountId"), "Account"),
        import_id=data.get("importId"),
        status=enum_value(data.get("status")),
        date_from=data.get("dateFrom"),
        date_to=data.get("dateTo"),
        amount_from=data.get("amountFrom"),
        amount_to=data.get("amountTo"),
        search=data.get("search"),
    )


def connection_order_of(value: BankConnectionOrder | None) -> tuple[str, str]:
    return order_of(value, BankConnectionOrder)


def rule_order_of(value: BankRuleOrder | None) -> tuple[str, str]:
    return order_of(value, BankRuleOrder)


def feed_order_of(value: BankFeedTransactionOrder | None) -> tuple[str, str]:
    return order_of(value, BankFeedTransactionOrder)


def _feed_edge(fk: str) -> EdgeConnection:
    return EdgeConnection(
        BankFeedTransaction,
        fk,
        feed_filter_of,
        feed_order_of,
        service.FEED_ORDER_COLUMNS,
        module=MODULE,
    )


FEED_BY_CONNECTION = _feed_edge("connection_id")
FEED_BY_ACCOUNT = _feed_edge("account_id")
