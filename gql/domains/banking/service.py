"""Money: bank, cash and credit-card accounts, their transactions, transfers between
them, and payments on invoices and bills.

Every write posts its voucher in the caller's transaction (gql/domains/ledger/posting.py)
and every deletion reverses what it posted, so the ledger always agrees with the
accounts. An account's balance is its opening balance plus its incomes less its
expenses (a transfer is an expense on one account and an income on the other); a
credit card's debt is a negative balance.

A payment is settled on its document by gql/domains/documents/settlement.py (one
guarded `UPDATE ... RETURNING`: two payments at the same moment both count, and
together they never pay more than is due). Deleting an
account, a transaction or a transfer first claims its row (gql/core/claims.py): of
identical deletes at once exactly one goes on, the others find it gone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pydantic import Field, field_validator
from sqlalchemy import (
    ColumnElement,
    case,
    delete,
    exists,
    func,
    literal,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from gql.compiler.sqlenv import SqlEnv
from gql.core.claims import claim
from gql.core.errors import ErrorCode, UserInputError
from gql.core.graph import Computed
from gql.core.inputs import InputModel, require_not_null, require_row, validate, wire_name
from gql.core.ranges import on_days
from gql.core.search import contains_any, equals
from gql.db.columns import ExactDecimal, utcnow
from gql.db.tenant import get_tenant
from gql.domains.bankfeeds.models import BankConnection
from gql.domains.banking.models import Account, AccountType, Transaction, TransactionType, Transfer
from gql.domains.catalogue.models import Category, CategoryType, Currency
from gql.domains.companies.models import Company
from gql.domains.contacts.models import Contact
from gql.domains.documents.models import Document, DocumentKind, DocumentStatus
from gql.domains.documents.settlement import SETTLED_STATUSES, apply_payment, remove_payment
from gql.domains.events.outbox import emit
from gql.domains.ledger.models import SourceType, Voucher, VoucherKind
from gql.domains.ledger.posting import CENT, post_transaction, post_transfer, to_base
from gql.domains.ledger.service import post_voucher, reverse_voucher, signed_lines, system_account
from gql.domains.payroll.models import Payslip
from gql.domains.pos.models import PosOrder
from gql.tenancy import orm_alias, tenant_table

ZERO = Decimal("0.00")
ONE = Decimal("1.00000000")  # the base currency's rate, at the rate columns' scale
RATE_QUANTUM = Decimal("0.00000001")

Amount = Field(gt=0, max_digits=18, decimal_places=2)
Rate = Field(default=None, gt=0, max_digits=20, decimal_places=8)
CurrencyCode = Field(default=None, pattern=r"^[A-Z]{3}$")

# The ledger account (a system account of the standard chart) each type books to.
LEDGER_KEY = {
    AccountType.BANK.value: "bank",
    AccountType.CASH.value: "cash",
    AccountType.CREDIT_CARD.value: "credit_card",
}
# Which documents take payments, and the kind of transaction a payment on one is.
PAYMENT_TYPE = {
    DocumentKind.INVOICE.value: TransactionType.INCOME.value,
    DocumentKind.BILL.value: TransactionType.EXPENSE.value,
}
IBAN = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}")


# --- inputs ---------------------------------------------------------------------------------


class AccountFields(InputModel):
    number: str | None = Field(default=None, max_length=50)
    currency_code: str | None = CurrencyCode
    opening_balance: Decimal | None = Field(default=None, max_digits=18, decimal_places=2)
    bank_name: str | None = Field(default=None, max_length=200)
    iban: str | None = Field(default=None, max_length=40)
    deposit_number: str | None = Field(default=None, max_length=50)
    branch_code: str | None = Field(default=None, max_length=30)
    enabled: bool | None = None

    @field_validator("iban")
    @classmethod
    def _iban(cls, value: str | None) -> str | None:
        if value is None:
            return None
        compact = "".join(value.split()).upper()
        if not compact:
            return None
        if not IBAN.fullmatch(compact):
            raise ValueError(
                "is not an IBAN: two letters, two check digits, then up to 30 letters or digits"
            )
        return compact


class AccountCreate(AccountFields):
    name: str = Field(min_length=1, max_length=200)
    type: AccountType


class AccountUpdate(AccountFields):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    type: AccountType | None = None


class TransactionCreate(InputModel):
    type: TransactionType
    account_id: str
    amount: Decimal = Amount
    currency_code: str | None = CurrencyCode
    currency_rate: Decimal | None = Rate
    paid_at: datetime | None = None
    description: str | None = Field(default=None, max_length=500)
    category_id: str | None = None
    contact_id: str | None = None
    payment_method: str | None = Field(default=None, max_length=30)
    reference: str | None = Field(default=None, max_length=100)
    document_id: str | None = None


class PaymentCreate(InputModel):
    document_id: str
    account_id: str
    amount: Decimal = Amount
    paid_at: datetime | None = None
    # Only when the account's currency differs from the document's: units of the
    # account's currency per one unit of the document's; the document is credited
    # amount / currencyRate.
    currency_rate: Decimal | None = Rate
    payment_method: str | None = Field(default=None, max_length=30)
    reference: str | None = Field(default=None, max_length=100)
    description: str | None = Field(default=None, max_length=500)


class TransferCreate(InputModel):
    from_account_id: str
    to_account_id: str
    amount: Decimal = Amount
    # Between currencies: what arrives (in the destination's currency), or the rate
    # (destination units per source unit) that gives it.
    to_amount: Decimal | None = Field(default=None, gt=0, max_digits=18, decimal_places=2)
    currency_rate: Decimal | None = Rate
    paid_at: datetime | None = None
    description: str | None = Field(default=None, max_length=500)
    reference: str | None = Field(default=None, max_length=100)


# --- filters and orders ---------------------------------------------------------------------


@dataclass(frozen=True)
class AccountFilter:
    type: str | None = None
    enabled: bool | None = None
    currency_code: str | None = None
    search: str | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        a = Account
        out: list[ColumnElement[bool]] = []
        if self.type is not None:
            out.append(a.type == self.type)  # type: ignore[arg-type]
        if self.enabled is not None:
            out.append(a.enabled.is_(self.enabled))  # type: ignore[attr-defined]
        if self.currency_code is not None:
            out.append(equals(a.currency_code, self.currency_code))
        if self.search:
            columns = (a.name, a.number, a.bank_name, a.iban, a.deposit_number)
            out.append(contains_any(self.search, *columns))
        return out


@dataclass(frozen=True)
class TransactionFilter:
    type: str | None = None
    account_id: str | None = None
    contact_id: str | None = None
    document_id: str | None = None
    category_id: str | None = None
    paid_at_from: date | None = None
    paid_at_to: date | None = None
    search: str | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        t = Transaction
        out: list[ColumnElement[bool]] = []
        if self.type is not None:
            out.append(t.type == self.type)  # type: ignore[arg-type]
        for column, value in (
            (t.account_id, self.account_id),
            (t.contact_id, self.contact_id),
            (t.document_id, self.document_id),
            (t.category_id, self.category_id),
        ):
            if value is not None:
                out.append(column == value)  # type: ignore[arg-type]
        out.extend(on_days(t.paid_at, self.paid_at_from, self.paid_at_to))
        if self.search:
            out.append(contains_any(self.search, t.description, t.reference))
        return out


@dataclass(frozen=True)
class TransferFilter:
    account_id: str | None = None  # either side
    paid_at_from: date | None = None
    paid_at_to: date | None = None
    search: str | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        t = Transfer
        out: list[ColumnElement[bool]] = []
        if self.account_id is not None:
            out.append(
                or_(t.from_account_id == self.account_id, t.to_account_id == self.account_id)
            )
        out.extend(on_days(t.paid_at, self.paid_at_from, self.paid_at_to))
        if self.search:
            out.append(contains_any(self.search, t.description, t.reference))
        return out


ACCOUNT_ORDER_COLUMNS = {"name": Account.name, "created_at": Account.created_at}
TRANSACTION_ORDER_COLUMNS = {
    "paid_at": Transaction.paid_at,
    "amount": Transaction.amount,
    "created_at": Transaction.created_at,
}
TRANSFER_ORDER_COLUMNS = {
    "paid_at": Transfer.paid_at,
    "amount": Transfer.amount,
    "created_at": Transfer.created_at,
}


# --- balances -------------------------------------------------------------------------------


def _signed(table: Any) -> ColumnElement[Any]:
    """An income adds to its account, an expense takes away."""
    return case(
        (table.c.type == TransactionType.INCOME.value, table.c.amount), else_=-table.c.amount
    )


def balance_sql(account: Any, env: Any) -> ColumnElement[Any]:
    """The live balance in SQL over an account table (or alias): the opening balance
    plus a correlated sum of its transactions."""
    t = tenant_table(Transaction, env.tenant_id)
    movement = (
        t.select(func.coalesce(func.sum(_signed(t)), literal(ZERO, ExactDecimal(2))))
        .where(t.c.account_id == account.c.id)
        .correlate(account)
        .scalar_subquery()
    )
    return type_coerce(account.c.opening_balance + movement, ExactDecimal(2))


BALANCE = Computed(balance_sql, "decimal")


# --- helpers --------------------------------------------------------------------------------


async def _base_currency(session: AsyncSession) -> str:
    code = await session.scalar(
        select(Company.base_currency).where(Company.id == get_tenant(session))
    )
    if code is None:  # a session without a company never reaches a service
        raise RuntimeError("no company on this session")
    return str(code)


async def _catalogue_rate(session: AsyncSession, code: str, base: str) -> Decimal | None:
    """Units of `code` per base unit (1 for the base currency); None when the company
    has no such currency."""
    if code == base:
        return ONE
    rate = await session.scalar(select(Currency.rate).where(Currency.code == code))
    return rate  # type: ignore[no-any-return]


def _label(kind: str) -> str:
    return kind.replace("_", " ")


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


async def _usable_account(session: AsyncSession, ref: str, path: tuple[str, ...]) -> Account:
    account = await require_row(session, Account, ref, path=path, what="Account")
    if not account.enabled:
        raise UserInputError.single(path, "The account is disabled", ErrorCode.INVALID_STATE)
    return account


async def _category(session: AsyncSession, ref: str | None, tx_type: str) -> Category | None:
    if ref is None:
        return None
    category = await require_row(session, Category, ref, path=("categoryId",), what="Category")
    if category.type not in (tx_type, CategoryType.OTHER.value):
        raise UserInputError.single("categoryId", f"must be {_article(tx_type)} {tx_type} category")
    return category


def _rate_for(code: str, base: str, given: Decimal | None) -> Decimal:
    if code == base:
        if given is not None and given != ONE:
            raise UserInputError.single("currencyRate", "must be 1 for the base currency")
        return ONE
    if given is None:
        raise UserInputError.single(
            "currencyRate", "required for a foreign currency", ErrorCode.REQUIRED
        )
    return given


async def _has_transactions(session: AsyncSession, account_id: str) -> bool:
    return bool(await session.scalar(select(exists().where(Transaction.account_id == account_id))))


async def _unreversed(
    session: AsyncSession, source_type: SourceType, source_id: str
) -> list[Voucher]:
    """The vouchers `source` posted that no voucher reverses yet."""
    reversal = orm_alias(Voucher)
    stmt = (
        select(Voucher)
        .where(
            Voucher.source_type == source_type.value,
            Voucher.source_id == source_id,
            ~exists().where(reversal.reverses_id == Voucher.id),
        )
        .order_by(Voucher.date, Voucher.number)
    )
    return list((await session.scalars(stmt)).all())


async def _reverse_all(
    session: AsyncSession, source_type: SourceType, source_id: str, why: str
) -> None:
    for voucher in await _unreversed(session, source_type, source_id):
        await reverse_voucher(
            session, voucher=voucher, description=f"{why}: reversal of voucher {voucher.number}"
        )


# --- accounts -------------------------------------------------------------------------------


async def get_account(*, session: AsyncSession, id: str) -> Account:
    return await require_row(session, Account, id, path=("id",), what="Account")


async def _check_currency(session: AsyncSession, code: str, base: str) -> None:
    if await _catalogue_rate(session, code, base) is None:
        raise UserInputError.single("currencyCode", "Currency not found", ErrorCode.NOT_FOUND)


async def _post_opening_balance(session: AsyncSession, account: Account, base: str) -> None:
    """Dr the account's ledger account, Cr opening balance equity (the reverse for a
    negative opening balance, such as a credit card's debt), in the base currency."""
    if account.opening_balance == 0:
        return
    rate = await _catalogue_rate(session, account.currency_code, base)
    if rate is None:
        raise UserInputError.single("currencyCode", "Currency not found", ErrorCode.NOT_FOUND)
    amount = to_base(account.opening_balance, rate)
    if amount == 0:
        return
    assert account.ledger_account_id is not None
    equity = await system_account(session, "opening_balance")
    await post_voucher(
        session,
        on=date.today(),
        description=f"Opening balance of {account.name}",
        lines=signed_lines([(account.ledger_account_id, amount), (equity.id, -amount)]),
        kind=VoucherKind.OPENING_BALANCE,
        source_type=SourceType.ACCOUNT,
        source_id=account.id,
    )


async def create_account(*, session: AsyncSession, data: dict[str, Any]) -> Account:
    payload = validate(AccountCreate, data)
    base = await _base_currency(session)
    code = payload.currency_code or base
    await _check_currency(session, code, base)
    ledger = await system_account(session, LEDGER_KEY[payload.type])
    values = payload.model_dump(exclude_none=True, exclude={"currency_code", "opening_balance"})
    account = Account(
        **values,
        currency_code=code,
        opening_balance=payload.opening_balance or ZERO,
        ledger_account_id=ledger.id,
    )
    session.add(account)
    await session.flush()
    await _post_opening_balance(session, account, base)
    return account


async def update_account(*, session: AsyncSession, id: str, data: dict[str, Any]) -> Account:
    account = await get_account(session=session, id=id)
    values = validate(AccountUpdate, data).model_dump(exclude_unset=True)
    require_not_null(
        AccountUpdate, values, "name", "type", "currency_code", "opening_balance", "enabled"
    )
    changing = [
        k for k in ("type", "currency_code") if k in values and values[k] != getattr(account, k)
    ]
    if changing and await _has_transactions(session, account.id):
        raise UserInputError.single(
            wire_name(AccountUpdate, changing[0]),
            "cannot change once the account has transactions",
            ErrorCode.LOCKED,
        )
    base = await _base_currency(session)
    if "currency_code" in values:
        await _check_currency(session, values["currency_code"], base)
    before = (account.type, account.currency_code, account.opening_balance)
    for key, value in values.items():
        setattr(account, key, value)
    if account.type != before[0]:
        account.ledger_account_id = (await system_account(session, LEDGER_KEY[account.type])).id
    await session.flush()
    if (account.type, account.currency_code, account.opening_balance) != before:
        await _reverse_all(
            session, SourceType.ACCOUNT, account.id, f"Opening balance of {account.name} changed"
        )
        await _post_opening_balance(session, account, base)
    return account


async def delete_account(*, session: AsyncSession, id: str) -> Account:
    account = await get_account(session=session, id=id)
    # The claim locks the row (its opening voucher's reversal goes first): a second
    # delete waits, then finds it gone, so the voucher is reversed once.
    await claim(session, account, what="Account", values={"updated_at": utcnow()})
    if await _has_transactions(session, account.id):
        raise UserInputError.single(
            "id",
            "The account has transactions; disable it instead of deleting it",
            ErrorCode.IN_USE,
        )
    if await session.scalar(select(exists().where(BankConnection.account_id == account.id))):
        raise UserInputError.single(
            "id", "The account has bank connections; disable it instead", ErrorCode.IN_USE
        )
    await _reverse_all(session, SourceType.ACCOUNT, account.id, f"Account {account.name} deleted")
    await session.delete(account)
    await session.flush()
    return account


# --- transactions ---------------------------------------------------------------------------


async def get_transaction(*, session: AsyncSession, id: str) -> Transaction:
    return await require_row(session, Transaction, id, path=("id",), what="Transaction")


async def create_transaction(
    *, session: AsyncSession, data: dict[str, Any], against: str | None = None
) -> Transaction:
    """An income or an expense; with a `documentId`, a payment on that document.
    `against` (callers inside the server only): the system ledger account it settles,
    instead of other income / general expenses (a pay run's wages payable)."""
    payload = validate(TransactionCreate, data)
    if payload.document_id is not None:
        payment = PaymentCreate(
            document_id=payload.document_id,
            account_id=payload.account_id,
            amount=payload.amount,
            paid_at=payload.paid_at,
            currency_rate=payload.currency_rate,
            payment_method=payload.payment_method,
            reference=payload.reference,
            description=payload.description,
        )
        return await _record_payment(
            session,
            payment,
            type=payload.type,
            currency_code=payload.currency_code,
            category_id=payload.category_id,
            contact_id=payload.contact_id,
        )
    account = await _usable_account(session, payload.account_id, ("accountId",))
    code = payload.currency_code or account.currency_code
    if code != account.currency_code:
        raise UserInputError.single(
            "currencyCode", f"must be the account's currency ({account.currency_code})"
        )
    rate = _rate_for(code, await _base_currency(session), payload.currency_rate)
    category = await _category(session, payload.category_id, payload.type)
    contact = (
        await require_row(session, Contact, payload.contact_id, path=("contactId",), what="Contact")
        if payload.contact_id is not None
        else None
    )
    tx = Transaction(
        type=payload.type,
        account_id=account.id,
        amount=payload.amount,
        currency_code=code,
        currency_rate=rate,
        paid_at=payload.paid_at or utcnow(),
        description=payload.description,
        category_id=category.id if category else None,
        contact_id=contact.id if contact else None,
        payment_method=payload.payment_method,
        reference=payload.reference,
    )
    session.add(tx)
    await session.flush()
    assert account.ledger_account_id is not None
    await post_transaction(session, tx, account.ledger_account_id, against=against)
    return tx


def _check_deletable(tx: Transaction) -> None:
    if tx.transfer_id is not None:
        raise UserInputError.single(
            "id",
            "This transaction is one side of a transfer; delete the transfer",
            ErrorCode.INVALID_STATE,
        )
    if tx.bank_feed_transaction_id is not None:
        raise UserInputError.single(
            "id",
            "This transaction is reconciled with a bank feed line; unmatch the line first",
            ErrorCode.IN_USE,
        )


async def delete_transaction(*, session: AsyncSession, id: str) -> Transaction:
    """Reverses its voucher and, for a payment, takes it back off its document."""
    tx = await get_transaction(session=session, id=id)
    _check_deletable(tx)
    if await session.scalar(select(exists().where(col(Payslip.transaction_id) == tx.id))):
        # A paid pay run is final: its payment stays.
        raise UserInputError.single(
            "id", "This transaction pays a payslip of a paid pay run", ErrorCode.INVALID_STATE
        )
    if await session.scalar(select(exists().where(col(PosOrder.transaction_id) == tx.id))):
        # A till's sale stays paid: its stock has moved and its session counted it.
        raise UserInputError.single(
            "id", "This transaction pays a point-of-sale order", ErrorCode.INVALID_STATE
        )
    # Deleting the row is the first write: of two deletes at once only one finds it,
    # so a payment comes off its document and its voucher is reversed exactly once.
    await claim(
        session,
        tx,
        Transaction.transfer_id.is_(None),  # type: ignore[union-attr]
        Transaction.bank_feed_transaction_id.is_(None),  # type: ignore[union-attr]
        what="Transaction",
        refuse=_check_deletable,
    )
    if tx.document_id is not None:
        await remove_payment(session, tx.document_id, tx.document_amount or ZERO)
    await _reverse_all(session, SourceType.TRANSACTION, tx.id, "Transaction deleted")
    return tx


# --- payments on documents ------------------------------------------------------------------


async def record_payment(*, session: AsyncSession, data: dict[str, Any]) -> Transaction:
    """A payment on an invoice (an income) or a bill (an expense)."""
    return await _record_payment(session, validate(PaymentCreate, data))


async def _record_payment(
    session: AsyncSession,
    payload: PaymentCreate,
    *,
    type: str | None = None,
    currency_code: str | None = None,
    category_id: str | None = None,
    contact_id: str | None = None,
) -> Transaction:
    doc = await require_row(
        session, Document, payload.document_id, path=("documentId",), what="Document"
    )
    label = _label(doc.kind)
    tx_type = PAYMENT_TYPE.get(doc.kind)
    if tx_type is None:
        raise UserInputError.single(
            "documentId",
            f"Only invoices and bills take payments; this is {_article(label)} {label}",
            ErrorCode.INVALID_STATE,
        )
    if doc.status == DocumentStatus.DRAFT.value:
        raise UserInputError.single(
            "documentId", f"A draft {label} cannot be paid; issue it first", ErrorCode.INVALID_STATE
        )
    if doc.status not in SETTLED_STATUSES:
        raise UserInputError.single(
            "documentId", f"A {doc.status} {label} cannot be paid", ErrorCode.INVALID_STATE
        )
    if type is not None and type != tx_type:
        raise UserInputError.single(
            "type", f"a payment on {_article(label)} {label} is {_article(tx_type)} {tx_type}"
        )
    account = await _usable_account(session, payload.account_id, ("accountId",))
    if currency_code is not None and currency_code != account.currency_code:
        raise UserInputError.single(
            "currencyCode", f"must be the account's currency ({account.currency_code})"
        )
    if account.currency_code == doc.currency_code:
        if payload.currency_rate is not None and payload.currency_rate != ONE:
            raise UserInputError.single(
                "currencyRate",
                f"only for a payment in a currency other than the {label}'s ({doc.currency_code})",
            )
        applied, rate = payload.amount, doc.currency_rate
    else:
        if payload.currency_rate is None:
            raise UserInputError.single(
                "currencyRate",
                f"required to pay a {doc.currency_code} {label} "
                f"from a {account.currency_code} account",
                ErrorCode.REQUIRED,
            )
        applied = to_base(payload.amount, payload.currency_rate)  # in the document's currency
        if applied <= 0:
            raise UserInputError.single("amount", f"pays nothing of the {label} at this rate")
        base = await _base_currency(session)
        rate = (
            ONE
            if account.currency_code == base
            else (payload.currency_rate * doc.currency_rate).quantize(RATE_QUANTUM)
        )
    category = await _category(session, category_id, tx_type)
    if contact_id is not None:
        contact = await require_row(
            session, Contact, contact_id, path=("contactId",), what="Contact"
        )
        if contact.id != doc.contact_id:
            raise UserInputError.single("contactId", f"must be the {label}'s contact")
    await apply_payment(session, doc, applied)
    tx = Transaction(
        type=tx_type,
        account_id=account.id,
        amount=payload.amount,
        currency_code=account.currency_code,
        currency_rate=rate,
        paid_at=payload.paid_at or utcnow(),
        description=payload.description or f"Payment of {doc.number}",
        category_id=category.id if category else None,
        contact_id=doc.contact_id,
        payment_method=payload.payment_method,
        reference=payload.reference,
        document_id=doc.id,
        document_amount=applied,
    )
    session.add(tx)
    await session.flush()
    assert account.ledger_account_id is not None
    await post_transaction(session, tx, account.ledger_account_id, document_kind=doc.kind)
    paid = {
        "documentId": doc.id,
        "accountId": account.id,  # what accountBalanceChanged subscriptions filter on
        "amount": tx.amount,
        "currency": tx.currency_code,
    }
    await emit(session, type="payment.recorded", row=tx, payload=paid)
    return tx


# --- transfers ------------------------------------------------------------------------------


async def get_transfer(*, session: AsyncSession, id: str) -> Transfer:
    return await require_row(session, Transfer, id, path=("id",), what="Transfer")


def _amounts(payload: TransferCreate, source: Account, target: Account) -> tuple[Decimal, Decimal]:
    """(what arrives, destination units per source unit)."""
    if source.currency_code == target.currency_code:
        if payload.to_amount is not None and payload.to_amount != payload.amount:
            raise UserInputError.single(
                "toAmount", f"must equal amount: both accounts are in {source.currency_code}"
            )
        if payload.currency_rate is not None and payload.currency_rate != ONE:
            raise UserInputError.single("currencyRate", "only for accounts in different currencies")
        return payload.amount, ONE
    if payload.to_amount is not None:
        rate = (payload.to_amount / payload.amount).quantize(RATE_QUANTUM)
        if (
            payload.currency_rate is not None
            and (payload.amount * payload.currency_rate).quantize(CENT, rounding=ROUND_HALF_UP)
            != payload.to_amount
        ):
            raise UserInputError.single(
                "currencyRate", "does not turn amount into toAmount; give one of them"
            )
        return payload.to_amount, rate
    if payload.currency_rate is not None:
        to_amount = (payload.amount * payload.currency_rate).quantize(CENT, rounding=ROUND_HALF_UP)
        if to_amount <= 0:
            raise UserInputError.single("currencyRate", "turns amount into nothing")
        return to_amount, payload.currency_rate
    raise UserInputError.single(
        "toAmount",
        f"required between accounts in different currencies ({source.currency_code} to "
        f"{target.currency_code}): give toAmount or currencyRate",
        ErrorCode.REQUIRED,
    )


def _implied_rate(amount: Decimal, base_amount: Decimal) -> Decimal:
    return (amount / base_amount).quantize(RATE_QUANTUM)


async def create_transfer(*, session: AsyncSession, data: dict[str, Any]) -> Transfer:
    """One transfer row and two transactions (an expense on the source, an income on
    the destination), posted as one voucher, all in the caller's transaction."""
    payload = validate(TransferCreate, data)
    source = await _usable_account(session, payload.from_account_id, ("fromAccountId",))
    target = await _usable_account(session, payload.to_account_id, ("toAccountId",))
    if source.id == target.id:
        raise UserInputError.single("toAccountId", "must be another account than fromAccountId")
    to_amount, rate = _amounts(payload, source, target)
    base = await _base_currency(session)
    source_rate = await _catalogue_rate(session, source.currency_code, base)
    if source_rate is None:
        raise UserInputError.single(
            "fromAccountId",
            f"The account's currency ({source.currency_code}) is no longer a company currency",
        )
    # In the base currency: what left, or what arrived when that is the base currency.
    base_amount = (
        to_amount if target.currency_code == base else to_base(payload.amount, source_rate)
    )
    if base_amount <= 0:
        raise UserInputError.single("amount", f"is worth nothing in {base}")
    transfer = Transfer(
        from_account_id=source.id,
        to_account_id=target.id,
        amount=payload.amount,
        to_amount=to_amount,
        currency_rate=rate,
        paid_at=payload.paid_at or utcnow(),
        description=payload.description,
        reference=payload.reference,
    )
    session.add(transfer)
    await session.flush()
    out_rate = (
        ONE
        if source.currency_code == base
        else source_rate
        if target.currency_code != base
        else _implied_rate(payload.amount, base_amount)
    )
    in_rate = ONE if target.currency_code == base else _implied_rate(to_amount, base_amount)
    sides = (
        (TransactionType.EXPENSE, source, payload.amount, out_rate, f"Transfer to {target.name}"),
        (TransactionType.INCOME, target, to_amount, in_rate, f"Transfer from {source.name}"),
    )
    session.add_all(
        Transaction(
            type=tx_type.value,
            account_id=account.id,
            amount=amount,
            currency_code=account.currency_code,
            currency_rate=tx_rate,
            paid_at=transfer.paid_at,
            description=payload.description or default,
            reference=payload.reference,
            transfer_id=transfer.id,
        )
        for tx_type, account, amount, tx_rate, default in sides
    )
    await session.flush()
    assert source.ledger_account_id is not None and target.ledger_account_id is not None
    await post_transfer(
        session, transfer, source.ledger_account_id, target.ledger_account_id, base_amount
    )
    return transfer


async def delete_transfer(*, session: AsyncSession, id: str) -> Transfer:
    """Both transactions go, and the voucher is reversed."""
    transfer = await get_transfer(session=session, id=id)
    # Its transactions refer to it and must go first, so the claim locks the row
    # rather than deleting it; a second delete waits, then finds it gone.
    await claim(session, transfer, what="Transfer", values={"updated_at": utcnow()})
    reconciled = exists().where(
        Transaction.transfer_id == transfer.id,
        Transaction.bank_feed_transaction_id.is_not(None),  # type: ignore[union-attr]
    )
    if await session.scalar(select(reconciled)):
        raise UserInputError.single(
            "id",
            "A side of this transfer is reconciled with a bank feed line; unmatch it first",
            ErrorCode.IN_USE,
        )
    await _reverse_all(session, SourceType.TRANSFER, transfer.id, "Transfer deleted")
    await session.execute(delete(Transaction).where(Transaction.transfer_id == transfer.id))
    await session.delete(transfer)
    await session.flush()
    return transfer


async def transactions_of_transfers(
    session: AsyncSession, transfer_ids: Sequence[str]
) -> dict[str, list[Transaction]]:
    stmt = (
        select(Transaction)
        .where(Transaction.transfer_id.in_(list(transfer_ids)))  # type: ignore[union-attr]
        .order_by(Transaction.transfer_id, Transaction.type, Transaction.id)
    )
    out: dict[str, list[Transaction]] = {key: [] for key in transfer_ids}
    for tx in (await session.scalars(stmt)).all():
        out[tx.transfer_id].append(tx)  # type: ignore[index]
    return out
