"""GraphQL types of the ledger: accounts, financial years, vouchers and their lines, their
inputs, filters and orders, and the financial reports."""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any

import strawberry

from gql.auth.permissions import module_read, require_module
from gql.context import Info
from gql.core.errors import NotFoundError, UserInputError
from gql.core.filter_values import enum_value
from gql.core.graph import computed, money, python_only, sql_meta, to_many, to_one, to_one_by
from gql.core.ids import decode_id
from gql.core.inputs import input_to_dict
from gql.core.money import Money
from gql.core.mutations import UserError
from gql.core.ordering import OrderDirection
from gql.core.relay import NODE_TYPES, Connection, Node, load_with, node_type
from gql.core.reporting import (
    Namespace,
    Report,
    ReportArgument,
    ReportRows,
    ReportValue,
    report_field,
)
from gql.domains.audit.types import AuditEventConnection, audit_events_edge
from gql.domains.companies.modules import ModuleAlias
from gql.domains.contacts.loaders import ContactByIdLoader
from gql.domains.contacts.types import ContactNode
from gql.domains.documents.models import DocumentKind
from gql.domains.ledger import reports, service
from gql.domains.ledger.loaders import (
    BALANCE,
    FinancialYearByIdLoader,
    LedgerAccountByIdLoader,
    LedgerAccountsByParentIdLoader,
    VoucherByIdLoader,
    VoucherByReversesIdLoader,
    VoucherLineByIdLoader,
    VoucherLinesByVoucherIdLoader,
)
from gql.domains.ledger.models import (
    FinancialYear,
    LedgerAccount,
    LedgerAccountType,
    LedgerLevel,
    Nature,
    SourceType,
    Voucher,
    VoucherKind,
    VoucherLine,
    VoucherType,
)

MODULE = ModuleAlias.ACCOUNTING
READ = module_read(MODULE)

LedgerAccountTypeEnum = strawberry.enum(LedgerAccountType, name="LedgerAccountType")
LedgerLevelEnum = strawberry.enum(
    LedgerLevel,
    name="LedgerLevel",
    description="general > subsidiary > detailed > account; vouchers post to accounts.",
)
LedgerNatureEnum = strawberry.enum(
    Nature, name="LedgerNature", description="The side an account's balance is normally on."
)
VoucherTypeEnum = strawberry.enum(VoucherType, name="VoucherType")
VoucherKindEnum = strawberry.enum(VoucherKind, name="VoucherKind")
VoucherSourceTypeEnum = strawberry.enum(
    SourceType, name="VoucherSourceType", description="What caused an automatic voucher."
)


# --- nodes ------------------------------------------------------------------------------------


@node_type(
    name="LedgerAccount",
    model=LedgerAccount,
    load=load_with(LedgerAccountByIdLoader),
    module=MODULE,
    description="An account of the chart: a heading (general, subsidiary, detailed) or an "
    "account vouchers post to.",
)
class LedgerAccountNode(Node):
    code: str
    name: str
    slug: str
    type: LedgerAccountTypeEnum  # type: ignore[valid-type]
    level: LedgerLevelEnum  # type: ignore[valid-type]
    nature: LedgerNatureEnum  # type: ignore[valid-type]
    locked: bool = strawberry.field(
        description="A system or heading account: it cannot be removed."
    )
    enabled: bool
    system_key: str | None = strawberry.field(
        description="Which automatic posting uses this account."
    )
    created_at: datetime
    parent: LedgerAccountNode | None = to_one(LedgerAccountByIdLoader, "parent_id")
    children: list[LedgerAccountNode] = to_many(
        LedgerAccountsByParentIdLoader, description="The accounts under this one, by code."
    )
    balance: Decimal = computed(
        BALANCE,
        description="Debits less credits of the posted (non-draft) vouchers on this account and "
        "every "
        "account under it, in the base currency.",
    )


@node_type(
    name="FinancialYear",
    model=FinancialYear,
    load=load_with(FinancialYearByIdLoader),
    module=MODULE,
)
class FinancialYearNode(Node):
    name: str
    start_date: date
    end_date: date
    is_default: bool
    created_at: datetime


@node_type(
    name="VoucherLine", model=VoucherLine, load=load_with(VoucherLineByIdLoader), module=MODULE
)
class VoucherLineNode(Node):
    position: int
    debit: Decimal
    credit: Decimal
    description: str | None
    account_slug2: str | None = strawberry.field(
        description="A further account label of the line, as written (Forbix accountSlug2)."
    )
    account_slug3: str | None
    account_slug4: str | None
    account: LedgerAccountNode = to_one(LedgerAccountByIdLoader, "account_id")
    contact: ContactNode | None = to_one(ContactByIdLoader, "contact_id")
    voucher: VoucherNode = to_one(VoucherByIdLoader, "voucher_id")


# The node type each source_type names; banking's types register themselves when present.
SOURCE_NODE_TYPES = {
    SourceType.DOCUMENT.value: "Document",
    SourceType.TRANSACTION.value: "Transaction",
    SourceType.TRANSFER.value: "Transfer",
    SourceType.VOUCHER.value: "Voucher",
    SourceType.ACCOUNT.value: "Account",
    SourceType.PAY_RUN.value: "PayRun",
}


async def _source(root: Any, info: Info) -> Node | None:
    """What caused the voucher, batched through that type's own loader."""
    if root.source_type is None or root.source_id is None:
        return None
    spec = NODE_TYPES.get(SOURCE_NODE_TYPES.get(root.source_type, ""))
    if spec is None:
        return None
    ctx = info.context
    if spec.module:
        require_module(ctx.viewer, spec.module)
    return (await spec.load(ctx, [root.source_id]))[0]  # type: ignore[no-any-return]


@node_type(
    name="Voucher",
    model=Voucher,
    load=load_with(VoucherByIdLoader),
    module=MODULE,
    description="A journal entry: lines whose debits equal their credits. Posted vouchers are "
    "never "
    "edited; a reversing voucher corrects them.",
)
class VoucherNode(Node):
    number: int = strawberry.field(description="Numbered from 1 in each financial year.")
    date: date
    description: str
    type: VoucherTypeEnum  # type: ignore[valid-type]
    kind: VoucherKindEnum  # type: ignore[valid-type]
    source_type: VoucherSourceTypeEnum | None  # type: ignore[valid-type]
    created_at: datetime
    total: Money = money(
        "total",
        description="The sum of the debits (= the sum of the credits), in the base currency.",
    )
    financial_year: FinancialYearNode = to_one(FinancialYearByIdLoader, "financial_year_id")
    lines: list[VoucherLineNode] = to_many(VoucherLinesByVoucherIdLoader)
    reverses: VoucherNode | None = to_one(
        VoucherByIdLoader, "reverses_id", description="The voucher this one reverses."
    )
    reversed_by: VoucherNode | None = to_one_by(
        VoucherByReversesIdLoader, description="The voucher that reverses this one, if any."
    )
    source: Node | None = python_only(
        _source,
        "a polymorphic edge (Document, Transaction, Transfer or Voucher)",
        description="What caused an automatic voucher: a Document, a Transaction, a Transfer, an "
        "Account (its opening balance), or (for a reversal) the Voucher it reverses.",
    )
    audit_events: AuditEventConnection = audit_events_edge()


# --- connections, filters and orders --------------------------------------------------------


@strawberry.type(name="LedgerAccountConnection")
class LedgerAccountConnection(Connection[LedgerAccountNode]):
    pass


@strawberry.type(name="VoucherConnection")
class VoucherConnection(Connection[VoucherNode]):
    pass


@strawberry.type(name="FinancialYearConnection")
class FinancialYearConnection(Connection[FinancialYearNode]):
    pass


@strawberry.enum(description="What ledger accounts can be sorted by.")
class LedgerAccountOrderField(Enum):
    CODE = "code"
    NAME = "name"


@strawberry.input(description="How to sort ledger accounts.")
class LedgerAccountOrder:
    field: LedgerAccountOrderField = LedgerAccountOrderField.CODE
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input(description="Which ledger accounts to list; all conditions must hold.")
class LedgerAccountFilter:
    type: LedgerAccountTypeEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    level: LedgerLevelEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    code: str | None = strawberry.field(default=strawberry.UNSET, description="Exactly this code.")
    code_prefix: str | None = strawberry.field(
        default=strawberry.UNSET, description="Codes starting with this."
    )
    parent_id: strawberry.ID | None = strawberry.UNSET
    enabled: bool | None = strawberry.UNSET
    search: str | None = strawberry.field(
        default=strawberry.UNSET, description="Part of the name or code."
    )


@strawberry.enum(description="What vouchers can be sorted by.")
class VoucherOrderField(Enum):
    DATE = "date"
    NUMBER = "number"
    CREATED_AT = "created_at"


@strawberry.input(description="How to sort vouchers.")
class VoucherOrder:
    field: VoucherOrderField = VoucherOrderField.DATE
    direction: OrderDirection = OrderDirection.DESC


@strawberry.input(description="Which vouchers to list; all conditions must hold.")
class VoucherFilter:
    kind: VoucherKindEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    type: VoucherTypeEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    date_from: date | None = strawberry.UNSET
    date_to: date | None = strawberry.UNSET
    number_from: int | None = strawberry.UNSET
    number_to: int | None = strawberry.UNSET
    account_code: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Vouchers with a line on the account of this code, or on an account under it.",
    )
    financial_year_id: strawberry.ID | None = strawberry.UNSET
    source_type: VoucherSourceTypeEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    search: str | None = strawberry.field(
        default=strawberry.UNSET, description="Part of the description."
    )


def _id_or_none(data: dict[str, Any], key: str, type_name: str) -> str | None:
    ref = data.get(key)
    # An id that is not one of this type's matches nothing, like another company's.
    return (decode_id(ref, type_name) or "-") if ref else None


def account_filter_of(value: LedgerAccountFilter | None) -> service.LedgerAccountFilter:
    data = input_to_dict(value) if value else {}
    return service.LedgerAccountFilter(
        type=enum_value(data.get("type")),
        level=enum_value(data.get("level")),
        code=data.get("code"),
        code_prefix=data.get("codePrefix"),
        parent_id=_id_or_none(data, "parentId", "LedgerAccount"),
        enabled=data.get("enabled"),
        search=data.get("search"),
    )


def chart_filter_of(_value: Any) -> service.LedgerAccountFilter:
    """chartOfAccounts: the general headings; their children edges make the tree."""
    return service.LedgerAccountFilter(level=LedgerLevel.GENERAL.value)


def account_order_of(value: LedgerAccountOrder | None) -> tuple[str, str]:
    order = value or LedgerAccountOrder()
    return order.field.value, order.direction.value


def voucher_filter_of(value: VoucherFilter | None) -> service.VoucherFilter:
    data = input_to_dict(value) if value else {}
    return service.VoucherFilter(
        kind=enum_value(data.get("kind")),
        type=enum_value(data.get("type")),
        date_from=data.get("dateFrom"),
        date_to=data.get("dateTo"),
        number_from=data.get("numberFrom"),
        number_to=data.get("numberTo"),
        account_code=data.get("accountCode"),
        financial_year_id=_id_or_none(data, "financialYearId", "FinancialYear"),
        source_type=enum_value(data.get("sourceType")),
        search=data.get("search"),
    )


def voucher_order_of(value: VoucherOrder | None) -> tuple[str, str]:
    order = value or VoucherOrder()
    return order.field.value, order.direction.value


def year_filter_of(_value: Any) -> service.FinancialYearFilter:
    return service.FinancialYearFilter()


def year_order_of(_value: Any) -> tuple[str, str]:
    return "start_date", "desc"


# --- inputs and payloads ------------------------------------------------------------------


@strawberry.input(description="A new account vouchers can post to.")
class LedgerAccountCreateInput:
    code: str
    name: str
    type: LedgerAccountTypeEnum  # type: ignore[valid-type]
    parent_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="A detailed account of the same type; defaults to the first of its type.",
    )


@strawberry.input(description="One line of a voucher: a debit or a credit, never both.")
class VoucherLineInput:
    account_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Or accountCode."
    )
    account_code: str | None = strawberry.UNSET
    debit: Decimal | None = strawberry.UNSET
    credit: Decimal | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    contact_id: strawberry.ID | None = strawberry.UNSET
    account_slug2: str | None = strawberry.UNSET
    account_slug3: str | None = strawberry.UNSET
    account_slug4: str | None = strawberry.UNSET


@strawberry.input(description="A manual voucher. Its debits must equal its credits.")
class VoucherCreateInput:
    date: date
    description: str | None = strawberry.UNSET
    kind: VoucherKindEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    lines: list[VoucherLineInput]


@strawberry.input(
    description="Reverse a manual voucher: a new voucher with every line's sides swapped."
)
class VoucherReverseInput:
    id: strawberry.ID
    date: dt.date | None = strawberry.field(
        default=strawberry.UNSET, description="Defaults to the voucher's date."
    )
    description: str | None = strawberry.UNSET


@strawberry.type
class LedgerAccountPayload:
    ledger_account: LedgerAccountNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class VoucherPayload:
    voucher: VoucherNode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


# --- reports ------------------------------------------------------------------------------------
# Each report type declares what its fields are in its report's one statement
# (gql/core/reporting.py): the compiled path builds the JSON from those declarations,
# the resolver path sets the same fields from the statement's rows here.

ZERO = reports.ZERO


def _currency(info: Info) -> str:
    company = info.context.viewer.company
    assert company is not None  # the permission classes require a company
    return company.base_currency  # type: ignore[no-any-return]


def _m(amount: Decimal, currency: str) -> Money:
    return Money(amount=amount, currency=currency)


def _money(column: str, description: str | None = None) -> Any:
    return report_field(ReportValue(column, ZERO), description=description)


def _from() -> Any:
    return report_field(ReportArgument("from"), name="from")


def _to() -> Any:
    return report_field(ReportArgument("to"))


@strawberry.type(description="One account's debits and credits in the trial balance.")
class TrialBalanceRow:
    account_id: strawberry.Private[str]
    code: str
    name: str
    type: LedgerAccountTypeEnum  # type: ignore[valid-type]
    debit: Money = _money("debit")
    credit: Money = _money("credit")
    balance: Money = _money("balance", "Debit less credit.")
    account: LedgerAccountNode = to_one(LedgerAccountByIdLoader, "account_id")


@strawberry.type(
    description="Every account with movement in the period; total debits always equal total "
    "credits."
)
class TrialBalance:
    from_: date | None = _from()
    to: date | None = _to()
    rows: list[TrialBalanceRow] = report_field(ReportRows(("code",)))
    total_debit: Money = _money("total_debit")
    total_credit: Money = _money("total_credit")
    balanced: bool = report_field(
        ReportValue("balanced", True),
        description="Total debits equal total credits (always, since every voucher balances).",
    )


@strawberry.type(description="An account and its amount on its natural side.")
class ReportLine:
    account_id: strawberry.Private[str]
    code: str
    name: str
    type: LedgerAccountTypeEnum  # type: ignore[valid-type]
    amount: Money = _money("amount")
    account: LedgerAccountNode = to_one(LedgerAccountByIdLoader, "account_id")


def _lines(rows: list[reports.ReportRow], currency: str) -> list[ReportLine]:
    return [
        ReportLine(
            account_id=r.account_id,
            code=r.code,
            name=r.name,
            type=LedgerAccountType(r.type),
            amount=_m(r.amount, currency),
        )
        for r in rows
    ]


def _lines_of(type_: LedgerAccountType) -> Any:
    """The report's rows of accounts of one type, by code."""
    return report_field(ReportRows(("code",), where=lambda rows: rows.type == type_.value))


@strawberry.type(description="Income and expenses over a period.")
class ProfitAndLoss:
    from_: date | None = _from()
    to: date | None = _to()
    income: list[ReportLine] = _lines_of(LedgerAccountType.INCOME)
    expenses: list[ReportLine] = _lines_of(LedgerAccountType.EXPENSE)
    total_income: Money = _money("total_income")
    total_expenses: Money = _money("total_expenses")
    net_profit: Money = _money("net_profit", "Total income less total expenses.")


@strawberry.type(
    description="Assets, liabilities and equity on a date; assets = liabilities + equity."
)
class BalanceSheet:
    as_of: date = report_field(ReportArgument("asOf", today=True))
    assets: list[ReportLine] = _lines_of(LedgerAccountType.ASSET)
    liabilities: list[ReportLine] = _lines_of(LedgerAccountType.LIABILITY)
    equity: list[ReportLine] = _lines_of(LedgerAccountType.EQUITY)
    current_earnings: Money = _money(
        "current_earnings", "Income less expenses not yet closed to equity."
    )
    total_assets: Money = _money("total_assets")
    total_liabilities: Money = _money("total_liabilities")
    total_equity: Money = _money("total_equity", "The equity accounts plus the current earnings.")
    total_liabilities_and_equity: Money = _money("total_liabilities_and_equity")


@strawberry.type(description="Amounts due, by days past their due date.")
class AgeingAmounts:
    current: Money = _money("current", "Not yet due.")
    days_1_to_30: Money = _money("days_1_to_30")
    days_31_to_60: Money = _money("days_31_to_60")
    days_61_to_90: Money = _money("days_61_to_90")
    over_90: Money = _money("over_90")
    total: Money = _money("total")


def _amounts(value: reports.AgeingAmounts, currency: str) -> AgeingAmounts:
    return AgeingAmounts(**{name: _m(getattr(value, name), currency) for name in reports.AMOUNTS})


@strawberry.type(description="One contact's open amounts.")
class AgeingRow:
    contact_id: strawberry.Private[str]
    name: str
    amounts: AgeingAmounts = report_field(Namespace())
    contact: ContactNode = to_one(ContactByIdLoader, "contact_id")


@strawberry.type(description="Open invoices (or bills) by contact and age, in the base currency.")
class Ageing:
    as_of: date = report_field(ReportArgument("asOf", today=True))
    rows: list[AgeingRow] = report_field(ReportRows(("name", "contact_id")))
    totals: AgeingAmounts = report_field(Namespace(prefix=reports.TOTAL))


@strawberry.type(description="One posting on the contact's account.")
class StatementEntry:
    voucher_id: strawberry.Private[str]
    date: date
    number: int = strawberry.field(description="The voucher's number.")
    description: str
    debit: Money = _money("debit", "What the contact came to owe (an invoice, a payment to them).")
    credit: Money = _money("credit", "What settled it (a payment, a credit note, a bill).")
    balance: Money = _money("balance", "The running balance after this entry.")
    voucher: VoucherNode = to_one(VoucherByIdLoader, "voucher_id")


@strawberry.type(
    description="A contact's account with the company: positive balances are owed by the contact, "
    "negative ones to them."
)
class ContactStatement:
    contact_id: strawberry.Private[str]
    contact: ContactNode = to_one(ContactByIdLoader, "contact_id")
    from_: date | None = _from()
    to: date | None = _to()
    opening_balance: Money = _money("opening_balance")
    entries: list[StatementEntry] = report_field(ReportRows(("position",), where=reports.has_entry))
    closing_balance: Money = _money("closing_balance")


FromArg = Annotated[
    date | None, strawberry.argument(name="from", description="From this day (inclusive).")
]
ToArg = Annotated[date | None, strawberry.argument(description="Up to this day (inclusive).")]
AsOfArg = Annotated[date | None, strawberry.argument(description="Defaults to today.")]


def _report(rows: Any, **kwargs: Any) -> dict[str, Any]:
    return sql_meta(Report(rows, **kwargs))


def _as_of(env: Any, args: dict[str, Any]) -> date:
    return args.get("asOf") or env.today  # type: ignore[no-any-return]


@strawberry.type(
    description="Financial reports, computed by SQL aggregation over the books, in the base "
    "currency."
)
class Reports:
    @strawberry.field(
        permission_classes=READ,
        description="Debits and credits per account over a period.",
        metadata=_report(lambda env, a: reports.trial_balance_rows(env, a["from"], a["to"])),
    )
    async def trial_balance(
        self, info: Info, from_: FromArg = None, to: ToArg = None
    ) -> TrialBalance:
        c = _currency(info)
        tb = await reports.trial_balance(session=info.context.session, start=from_, end=to)
        return TrialBalance(
            from_=from_,
            to=to,
            rows=[
                TrialBalanceRow(
                    account_id=r.account_id,
                    code=r.code,
                    name=r.name,
                    type=LedgerAccountType(r.type),
                    debit=_m(r.debit, c),
                    credit=_m(r.credit, c),
                    balance=_m(r.balance, c),
                )
                for r in tb.rows
            ],
            total_debit=_m(tb.total_debit, c),
            total_credit=_m(tb.total_credit, c),
            balanced=tb.balanced,
        )

    @strawberry.field(
        permission_classes=READ,
        description="Income and expenses over a period.",
        metadata=_report(lambda env, a: reports.profit_and_loss_rows(env, a["from"], a["to"])),
    )
    async def profit_and_loss(
        self, info: Info, from_: FromArg = None, to: ToArg = None
    ) -> ProfitAndLoss:
        c = _currency(info)
        pl = await reports.profit_and_loss(session=info.context.session, start=from_, end=to)
        return ProfitAndLoss(
            from_=from_,
            to=to,
            income=_lines(pl.income, c),
            expenses=_lines(pl.expenses, c),
            total_income=_m(pl.total_income, c),
            total_expenses=_m(pl.total_expenses, c),
            net_profit=_m(pl.net_profit, c),
        )

    @strawberry.field(
        permission_classes=READ,
        description="Assets, liabilities and equity on a date.",
        metadata=_report(lambda env, a: reports.balance_sheet_rows(env, _as_of(env, a))),
    )
    async def balance_sheet(self, info: Info, as_of: AsOfArg = None) -> BalanceSheet:
        c = _currency(info)
        bs = await reports.balance_sheet(session=info.context.session, as_of=as_of or date.today())
        return BalanceSheet(
            as_of=bs.as_of,
            assets=_lines(bs.assets, c),
            liabilities=_lines(bs.liabilities, c),
            equity=_lines(bs.equity, c),
            current_earnings=_m(bs.current_earnings, c),
            total_assets=_m(bs.total_assets, c),
            total_liabilities=_m(bs.total_liabilities, c),
            total_equity=_m(bs.total_equity, c),
            total_liabilities_and_equity=_m(bs.total_liabilities_and_equity, c),
        )

    @strawberry.field(
        permission_classes=READ,
        description="What customers owe on open invoices, by age.",
        metadata=_report(
            lambda env, a: reports.ageing_rows(env, DocumentKind.INVOICE, _as_of(env, a))
        ),
    )
    async def receivables_ageing(self, info: Info, as_of: AsOfArg = None) -> Ageing:
        return await _ageing(info, DocumentKind.INVOICE, as_of)

    @strawberry.field(
        permission_classes=READ,
        description="What is owed to suppliers on open bills, by age.",
        metadata=_report(
            lambda env, a: reports.ageing_rows(env, DocumentKind.BILL, _as_of(env, a))
        ),
    )
    async def payables_ageing(self, info: Info, as_of: AsOfArg = None) -> Ageing:
        return await _ageing(info, DocumentKind.BILL, as_of)

    @strawberry.field(
        permission_classes=READ,
        description="A contact's invoices, credit notes, bills and payments in date order, with "
        "the running "
        "balance; null with NOT_FOUND when there is no such contact.",
        metadata=_report(
            lambda env, a: reports.contact_statement_rows(
                env, str(a["contactId"]), a["from"], a["to"]
            ),
            not_found="Contact not found",
        ),
    )
    async def contact_statement(
        self, info: Info, contact_id: strawberry.ID, from_: FromArg = None, to: ToArg = None
    ) -> ContactStatement | None:
        c = _currency(info)
        try:
            st = await reports.contact_statement(
                session=info.context.session, contact_id=contact_id, start=from_, end=to
            )
        except UserInputError:
            raise NotFoundError("Contact") from None
        return ContactStatement(
            contact_id=st.contact_id,
            from_=from_,
            to=to,
            opening_balance=_m(st.opening_balance, c),
            entries=[
                StatementEntry(
                    voucher_id=e.voucher_id,
                    date=e.date,
                    number=e.number,
                    description=e.description,
                    debit=_m(e.debit, c),
                    credit=_m(e.credit, c),
                    balance=_m(e.balance, c),
                )
                for e in st.entries
            ],
            closing_balance=_m(st.closing_balance, c),
        )


async def _ageing(info: Info, kind: DocumentKind, as_of: date | None) -> Ageing:
    c = _currency(info)
    result = await reports.ageing(
        session=info.context.session, kind=kind, as_of=as_of or date.today()
    )
    return Ageing(
        as_of=result.as_of,
        rows=[
            AgeingRow(contact_id=r.contact_id, name=r.name, amounts=_amounts(r.amounts, c))
            for r in result.rows
        ],
        totals=_amounts(result.totals, c),
    )
