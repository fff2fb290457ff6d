"""GraphQL types of the point of sale: terminals, sessions, orders and their lines,
loyalty programmes and their members; inputs, filters and orders (module: pos)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any

import strawberry

from gql.core.filter_values import enum_value, id_filter, order_of
from gql.core.graph import (
    EdgeConnection,
    computed,
    connection_edge,
    money,
    python_only,
    to_many,
    to_one,
)
from gql.core.inputs import input_to_dict
from gql.core.money import Money
from gql.core.mutations import UserError
from gql.core.ordering import OrderDirection
from gql.core.relay import Connection, Node, load_with, node_type
from gql.domains.banking.loaders import AccountByIdLoader, TransactionByIdLoader
from gql.domains.banking.types import AccountNode, TransactionNode
from gql.domains.catalogue.loaders import ItemByIdLoader, ItemVariantByIdLoader, TaxByIdLoader
from gql.domains.catalogue.types import ItemNode, ItemVariantNode, TaxNode
from gql.domains.companies.modules import ModuleAlias
from gql.domains.companies.types import UserType, member_user
from gql.domains.contacts.loaders import ContactByIdLoader
from gql.domains.contacts.types import ContactNode
from gql.domains.inventory.loaders import WarehouseByIdLoader
from gql.domains.inventory.types import WarehouseNode
from gql.domains.pos import service
from gql.domains.pos.computed import MEMBER_POINTS
from gql.domains.pos.loaders import (
    LoyaltyMemberByIdLoader,
    LoyaltyProgramByIdLoader,
    PosOrderByIdLoader,
    PosOrderLineByIdLoader,
    PosOrderLinesByOrderIdLoader,
    PosSessionByIdLoader,
    PosTerminalByIdLoader,
)
from gql.domains.pos.models import (
    LoyaltyMember,
    LoyaltyProgram,
    PaymentMethod,
    PosOrder,
    PosOrderLine,
    PosSession,
    PosTerminal,
    SessionStatus,
)

MODULE = ModuleAlias.POS
# The connections are declared after the nodes that use them.
_THIS_MODULE = strawberry.lazy("gql.domains.pos.types")
SESSIONS = Annotated["PosSessionConnection", _THIS_MODULE]
ORDERS = Annotated["PosOrderConnection", _THIS_MODULE]
MEMBERS = Annotated["LoyaltyMemberConnection", _THIS_MODULE]
MEMBER = "a user, not a row of the company's tables"

SessionStatusEnum = strawberry.enum(
    SessionStatus, name="PosSessionStatus", description="OPEN (takes orders), then CLOSED."
)
PaymentMethodEnum = strawberry.enum(
    PaymentMethod, name="PosPaymentMethod", description="How an order was paid."
)


async def _opened_by(root: Any, info: strawberry.Info) -> UserType | None:
    return await member_user(info, root.opened_by_id)


async def _closed_by(root: Any, info: strawberry.Info) -> UserType | None:
    return await member_user(info, root.closed_by_id)


# --- filters and orders ---------------------------------------------------------------------


@strawberry.enum(description="What terminals can be sorted by.")
class PosTerminalOrderField(Enum):
    NAME = "name"
    CREATED_AT = "created_at"


@strawberry.input(description="How to sort terminals (by name by default).")
class PosTerminalOrder:
    field: PosTerminalOrderField = PosTerminalOrderField.NAME
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input(description="Which terminals to list; all conditions must hold.")
class PosTerminalFilter:
    enabled: bool | None = strawberry.UNSET
    search: str | None = strawberry.field(
        default=strawberry.UNSET, description="Part of the name or location."
    )


@strawberry.enum(description="What sessions can be sorted by.")
class PosSessionOrderField(Enum):
    OPENED_AT = "opened_at"
    CLOSED_AT = "closed_at"
    EXPECTED_CASH = "expected_cash"


@strawberry.input(description="How to sort sessions (latest opened first by default).")
class PosSessionOrder:
    field: PosSessionOrderField = PosSessionOrderField.OPENED_AT
    direction: OrderDirection = OrderDirection.DESC


@strawberry.input(description="Which sessions to list; all conditions must hold.")
class PosSessionFilter:
    terminal_id: strawberry.ID | None = strawberry.UNSET
    status: SessionStatusEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    opened_by_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="The member's user id."
    )
    opened_from: date | None = strawberry.field(
        default=strawberry.UNSET, description="Opened on or after this day (UTC)."
    )
    opened_to: date | None = strawberry.field(
        default=strawberry.UNSET, description="Opened on or before this day (UTC)."
    )


@strawberry.enum(description="What orders can be sorted by.")
class PosOrderOrderField(Enum):
    CREATED_AT = "created_at"
    TOTAL = "total"


@strawberry.input(description="How to sort orders (latest first by default).")
class PosOrderOrder:
    field: PosOrderOrderField = PosOrderOrderField.CREATED_AT
    direction: OrderDirection = OrderDirection.DESC


@strawberry.input(description="Which orders to list; all conditions must hold.")
class PosOrderFilter:
    session_id: strawberry.ID | None = strawberry.UNSET
    terminal_id: strawberry.ID | None = strawberry.UNSET
    payment_method: PaymentMethodEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    contact_id: strawberry.ID | None = strawberry.UNSET
    created_from: date | None = strawberry.field(
        default=strawberry.UNSET, description="Sold on or after this day (UTC)."
    )
    created_to: date | None = strawberry.field(
        default=strawberry.UNSET, description="Sold on or before this day (UTC)."
    )


@strawberry.enum(description="What loyalty programmes can be sorted by.")
class LoyaltyProgramOrderField(Enum):
    NAME = "name"
    CREATED_AT = "created_at"


@strawberry.input(description="How to sort loyalty programmes (by name by default).")
class LoyaltyProgramOrder:
    field: LoyaltyProgramOrderField = LoyaltyProgramOrderField.NAME
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input(description="Which loyalty programmes to list.")
class LoyaltyProgramFilter:
    active: bool | None = strawberry.UNSET


@strawberry.enum(description="What a programme's members can be sorted by.")
class LoyaltyMemberOrderField(Enum):
    CREATED_AT = "created_at"


@strawberry.input(description="How to sort members (earliest to join first by default).")
class LoyaltyMemberOrder:
    field: LoyaltyMemberOrderField = LoyaltyMemberOrderField.CREATED_AT
    direction: OrderDirection = OrderDirection.ASC


def terminal_filter_of(value: PosTerminalFilter | None) -> service.TerminalFilter:
    data = input_to_dict(value) if value else {}
    return service.TerminalFilter(enabled=data.get("enabled"), search=data.get("search"))


def session_filter_of(value: PosSessionFilter | None) -> service.SessionFilter:
    data = input_to_dict(value) if value else {}
    return service.SessionFilter(
        terminal_id=id_filter(data.get("terminalId"), "PosTerminal"),
        status=enum_value(data.get("status")),
        opened_by_id=data.get("openedById"),
        opened_from=data.get("openedFrom"),
        opened_to=data.get("openedTo"),
    )


def order_filter_of(value: PosOrderFilter | None) -> service.OrderFilter:
    data = input_to_dict(value) if value else {}
    return service.OrderFilter(
        session_id=id_filter(data.get("sessionId"), "PosSession"),
        terminal_id=id_filter(data.get("terminalId"), "PosTerminal"),
        payment_method=enum_value(data.get("paymentMethod")),
        contact_id=id_filter(data.get("contactId"), "Contact"),
        created_from=data.get("createdFrom"),
        created_to=data.get("createdTo"),
    )


def program_filter_of(value: LoyaltyProgramFilter | None) -> service.ProgramFilter:
    data = input_to_dict(value) if value else {}
    return service.ProgramFilter(active=data.get("active"))


def member_filter_of(value: None) -> service.MemberFilter:
    return service.MemberFilter()


def terminal_order_of(value: PosTerminalOrder | None) -> tuple[str, str]:
    return order_of(value, PosTerminalOrder)


def session_order_of(value: PosSessionOrder | None) -> tuple[str, str]:
    return order_of(value, PosSessionOrder)


def pos_order_order_of(value: PosOrderOrder | None) -> tuple[str, str]:
    return order_of(value, PosOrderOrder)


def program_order_of(value: LoyaltyProgramOrder | None) -> tuple[str, str]:
    return order_of(value, LoyaltyProgramOrder)


def member_order_of(value: LoyaltyMemberOrder | None) -> tuple[str, str]:
    return order_of(value, LoyaltyMemberOrder)


TERMINAL_SESSIONS = EdgeConnection(
    PosSession,
    "terminal_id",
    session_filter_of,
    session_order_of,
    service.SESSION_ORDER_COLUMNS,
    module=MODULE,
)
SESSION_ORDERS = EdgeConnection(
    PosOrder,
    "session_id",
    order_filter_of,
    pos_order_order_of,
    service.ORDER_ORDER_COLUMNS,
    module=MODULE,
)
PROGRAM_MEMBERS = EdgeConnection(
    LoyaltyMember,
    "program_id",
    member_filter_of,
    member_order_of,
    service.MEMBER_ORDER_COLUMNS,
    module=MODULE,
)


# --- nodes ----------------------------------------------------------------------------------


@node_type(
    name="PosTerminal",
    model=PosTerminal,
    load=load_with(PosTerminalByIdLoader),
    module=MODULE,
    description="A till: where sessions are opened and orders sold.",
)
class PosTerminalNode(Node):
    name: str
    location: str | None
    enabled: bool
    created_at: datetime
    updated_at: datetime
    cash_account: AccountNode = to_one(
        AccountByIdLoader,
        "cash_account_id",
        description="The till's money account: cash orders are paid into it (card and other "
        "too, unless cardAccount is set).",
    )
    card_account: AccountNode | None = to_one(
        AccountByIdLoader,
        "card_account_id",
        description="Where card and other payments go, when not into the cash account.",
    )
    warehouse: WarehouseNode | None = to_one(
        WarehouseByIdLoader,
        "warehouse_id",
        description="Where its orders take stock from; null: the company's default warehouse.",
    )
    sessions: Annotated[PosSessionConnection, _THIS_MODULE] = connection_edge(
        TERMINAL_SESSIONS,
        SESSIONS,
        filter=PosSessionFilter,
        order=PosSessionOrder,
        description="Its sessions, latest opened first.",
    )


@node_type(
    name="PosSession",
    model=PosSession,
    load=load_with(PosSessionByIdLoader),
    module=MODULE,
    description="A shift at a terminal, from its opening float to the cash counted at close.",
)
class PosSessionNode(Node):
    status: SessionStatusEnum  # type: ignore[valid-type]
    opened_at: datetime
    closed_at: datetime | None
    order_count: int = strawberry.field(description="How many orders it took.")
    currency_code: str
    created_at: datetime
    updated_at: datetime
    opening_float: Money = money("opening_float")
    expected_cash: Money = money(
        "expected_cash", description="The opening float plus every cash order's total."
    )
    counted_cash: Decimal | None = strawberry.field(
        description="The cash counted at the close, in currencyCode; null while open."
    )
    difference: Decimal | None = strawberry.field(
        description="countedCash - expectedCash at the close (negative: cash missing)."
    )
    terminal: PosTerminalNode = to_one(PosTerminalByIdLoader, "terminal_id")
    opened_by: UserType | None = python_only(
        _opened_by, MEMBER, description="The member who opened it."
    )
    closed_by: UserType | None = python_only(
        _closed_by, MEMBER, description="The member who closed it."
    )
    orders: Annotated[PosOrderConnection, _THIS_MODULE] = connection_edge(
        SESSION_ORDERS,
        ORDERS,
        filter=PosOrderFilter,
        order=PosOrderOrder,
        description="The orders sold in it, latest first.",
    )


@node_type(
    name="PosOrderLine",
    model=PosOrderLine,
    load=load_with(PosOrderLineByIdLoader),
    module=MODULE,
    description="An item sold: priced and taxed as a document line is.",
)
class PosOrderLineNode(Node):
    position: int
    name: str
    quantity: Decimal
    unit_price: Decimal
    tax_rate: Decimal = strawberry.field(description="The tax rate when it was sold.")
    net: Decimal = strawberry.field(description="Quantity x unit price, less any discount.")
    tax_amount: Decimal
    item: ItemNode = to_one(ItemByIdLoader, "item_id")
    variant: ItemVariantNode | None = to_one(ItemVariantByIdLoader, "variant_id")
    tax: TaxNode | None = to_one(TaxByIdLoader, "tax_id")
    order: Annotated[PosOrderNode, _THIS_MODULE] = to_one(PosOrderByIdLoader, "order_id")


@node_type(
    name="PosOrder",
    model=PosOrder,
    load=load_with(PosOrderByIdLoader),
    module=MODULE,
    description="A sale in a session: its stock moved out, its income paid in.",
)
class PosOrderNode(Node):
    number: int = strawberry.field(description="1, 2, ... within its session.")
    payment_method: PaymentMethodEnum  # type: ignore[valid-type]
    currency_code: str
    loyalty_points: int = strawberry.field(description="The points the order earned its contact.")
    created_at: datetime
    subtotal: Money = money("subtotal")
    tax_total: Money = money("tax_total")
    total: Money = money("total")
    lines: list[PosOrderLineNode] = to_many(PosOrderLinesByOrderIdLoader)
    session: PosSessionNode = to_one(PosSessionByIdLoader, "session_id")
    terminal: PosTerminalNode = to_one(PosTerminalByIdLoader, "terminal_id")
    contact: ContactNode | None = to_one(ContactByIdLoader, "contact_id")
    transaction: TransactionNode | None = to_one(
        TransactionByIdLoader, "transaction_id", description="The income it was paid with."
    )
    loyalty_program: Annotated[LoyaltyProgramNode, _THIS_MODULE] | None = to_one(
        LoyaltyProgramByIdLoader, "loyalty_program_id", description="Where its points count."
    )


@node_type(
    name="LoyaltyProgram",
    model=LoyaltyProgram,
    load=load_with(LoyaltyProgramByIdLoader),
    module=MODULE,
    description="Points a contact's orders earn: floor(total x pointsPerUnit) per order, in "
    "the active programme (one at a time).",
)
class LoyaltyProgramNode(Node):
    name: str
    points_per_unit: Decimal = strawberry.field(
        description="Points per unit of the base currency (REST: pointsPerPound)."
    )
    active: bool
    created_at: datetime
    updated_at: datetime
    members: Annotated[LoyaltyMemberConnection, _THIS_MODULE] = connection_edge(
        PROGRAM_MEMBERS,
        MEMBERS,
        filter=None,
        order=LoyaltyMemberOrder,
        description="The contacts who earned points in it.",
    )


@node_type(
    name="LoyaltyMember",
    model=LoyaltyMember,
    load=load_with(LoyaltyMemberByIdLoader),
    module=MODULE,
    description="A contact who earned points in a programme.",
)
class LoyaltyMemberNode(Node):
    created_at: datetime = strawberry.field(description="When they earned their first points.")
    points: int = computed(MEMBER_POINTS, description="The points their orders earned in it.")
    contact: ContactNode = to_one(ContactByIdLoader, "contact_id")
    program: LoyaltyProgramNode = to_one(LoyaltyProgramByIdLoader, "program_id")


@strawberry.type(name="PosTerminalConnection")
class PosTerminalConnection(Connection[PosTerminalNode]):
    pass


@strawberry.type(name="PosSessionConnection")
class PosSessionConnection(Connection[PosSessionNode]):
    pass


@strawberry.type(name="PosOrderConnection")
class PosOrderConnection(Connection[PosOrderNode]):
    pass


@strawberry.type(name="LoyaltyProgramConnection")
class LoyaltyProgramConnection(Connection[LoyaltyProgramNode]):
    pass


@strawberry.type(name="LoyaltyMemberConnection")
class LoyaltyMemberConnection(Connection[LoyaltyMemberNode]):
    pass


# --- inputs and payloads ------------------------------------------------------------------


@strawberry.input(description="A terminal's fields; on update, only the fields sent change.")
class PosTerminalFieldsInput:
    location: str | None = strawberry.UNSET
    cash_account_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="A money account in the base currency; on create, a cash account "
        '"<name> till" is made when none is given.',
    )
    card_account_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="Where card and other payments go; null: the cash account.",
    )
    warehouse_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="Where its orders take stock from; null: the company's default warehouse.",
    )
    enabled: bool | None = strawberry.UNSET


@strawberry.input(description="A new terminal.")
class PosTerminalCreateInput(PosTerminalFieldsInput):
    name: str


@strawberry.input
class PosTerminalUpdateInput(PosTerminalFieldsInput):
    id: strawberry.ID
    name: str | None = strawberry.UNSET


@strawberry.input(description="Open a session on a terminal with no open session.")
class PosSessionOpenInput:
    terminal_id: strawberry.ID
    opening_float: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="The cash in the till at the start; 0 by default."
    )


@strawberry.input(description="Close an open session with the cash counted.")
class PosSessionCloseInput:
    id: strawberry.ID
    counted_cash: Decimal


@strawberry.input(description="An item sold: a document line's fields, an item required.")
class PosOrderLineInput:
    item_id: strawberry.ID
    variant_id: strawberry.ID | None = strawberry.UNSET
    quantity: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="1 by default."
    )
    unit_price: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="The variant's or item's sale price by default."
    )
    tax_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="The item's tax by default."
    )
    discount_rate: Decimal | None = strawberry.UNSET
    discount_amount: Decimal | None = strawberry.UNSET
    name: str | None = strawberry.UNSET


@strawberry.input(description="A sale in an open session.")
class PosOrderCreateInput:
    session_id: strawberry.ID
    lines: list[PosOrderLineInput]
    payment_method: PaymentMethodEnum = PaymentMethod.CASH  # type: ignore[valid-type]
    contact_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Who bought: earns the active programme's points."
    )


@strawberry.input(description="A loyalty programme's fields; on update, only those sent change.")
class LoyaltyProgramFieldsInput:
    points_per_unit: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="1 by default."
    )
    active: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="True (the default on create) ends the programme active before.",
    )


@strawberry.input
class LoyaltyProgramCreateInput(LoyaltyProgramFieldsInput):
    name: str


@strawberry.input
class LoyaltyProgramUpdateInput(LoyaltyProgramFieldsInput):
    id: strawberry.ID
    name: str | None = strawberry.UNSET


@strawberry.type
class PosTerminalPayload:
    terminal: PosTerminalNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PosSessionPayload:
    session: PosSessionNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PosOrderPayload:
    order: PosOrderNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class LoyaltyProgramPayload:
    program: LoyaltyProgramNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
