"""Bank feeds: connections, auto-categorisation rules and the feed lines' filters;
shared by GraphQL and REST. Imports are in imports.py, reconciliation in reconcile.py.

A connection is for one of the company's money accounts (another company's account is
NOT_FOUND, as one that does not exist). A rule suggests a category (income, expense or
other) and optionally a contact for the new lines whose description or counterparty
contains its pattern, in any case; the highest priority wins, then the oldest rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import Field
from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from gql.compiler.sqlenv import SqlEnv
from gql.core.errors import ErrorCode, UserInputError
from gql.core.inputs import InputModel, require_not_null, require_row, validate
from gql.core.ranges import between
from gql.core.search import contains_any
from gql.db.columns import utcnow
from gql.domains.bankfeeds.models import (
    BankConnection,
    BankFeedTransaction,
    BankRule,
    ConnectionStatus,
    Direction,
)
from gql.domains.banking.models import Account
from gql.domains.catalogue.models import Category
from gql.domains.contacts.models import Contact

AmountBound = Field(default=None, max_digits=18, decimal_places=2)

# --- inputs ---------------------------------------------------------------------------------


class ConnectionCreate(InputModel):
    provider: str = Field(min_length=1, max_length=100)
    account_id: str


class ConnectionUpdate(InputModel):
    provider: str | None = Field(default=None, min_length=1, max_length=100)
    status: ConnectionStatus | None = None


class RuleFields(InputModel):
    contact_id: str | None = None
    priority: int | None = Field(default=None, ge=-1000, le=1000)
    direction: Direction | None = None
    account_id: str | None = None


class RuleCreate(RuleFields):
    pattern: str = Field(min_length=1, max_length=200)
    category_id: str


class RuleUpdate(RuleFields):
    pattern: str | None = Field(default=None, min_length=1, max_length=200)
    category_id: str | None = None


# --- filters and orders ---------------------------------------------------------------------


@dataclass(frozen=True)
class ConnectionFilter:
    account_id: str | None = None
    status: str | None = None
    search: str | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        c = BankConnection
        out: list[ColumnElement[bool]] = []
        if self.account_id is not None:
            out.append(col(c.account_id) == self.account_id)
        if self.status is not None:
            out.append(col(c.status) == self.status)
        if self.search:
            out.append(contains_any(self.search, c.provider))
        return out


@dataclass(frozen=True)
class RuleFilter:
    category_id: str | None = None
    contact_id: str | None = None
    search: str | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        r = BankRule
        out: list[ColumnElement[bool]] = []
        if self.category_id is not None:
            out.append(col(r.category_id) == self.category_id)
        if self.contact_id is not None:
            out.append(col(r.contact_id) == self.contact_id)
        if self.search:
            out.append(contains_any(self.search, r.pattern))
        return out


@dataclass(frozen=True)
class FeedFilter:
    connection_id: str | None = None
    account_id: str | None = None
    import_id: str | None = None
    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    amount_from: Decimal | None = None
    amount_to: Decimal | None = None
    search: str | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        f = BankFeedTransaction
        out: list[ColumnElement[bool]] = []
        for column, value in (
            (f.connection_id, self.connection_id),
            (f.account_id, self.account_id),
            (f.import_id, self.import_id),
            (f.status, self.status),
        ):
            if value is not None:
                out.append(col(column) == value)
        out.extend(between(f.date, self.date_from, self.date_to))
        out.extend(between(f.amount, self.amount_from, self.amount_to))
        if self.search:
            out.append(contains_any(self.search, f.description, f.reference, f.counterparty))
        return out


CONNECTION_ORDER_COLUMNS = {
    "created_at": BankConnection.created_at,
    "provider": BankConnection.provider,
    "last_import_at": BankConnection.last_import_at,
}
RULE_ORDER_COLUMNS = {
    "priority": BankRule.priority,
    "pattern": BankRule.pattern,
    "created_at": BankRule.created_at,
}
FEED_ORDER_COLUMNS = {
    "date": BankFeedTransaction.date,
    "amount": BankFeedTransaction.amount,
    "created_at": BankFeedTransaction.created_at,
}


# --- shared checks --------------------------------------------------------------------------


async def _account(session: AsyncSession, ref: str, field: str) -> Account:
    return await require_row(session, Account, ref, path=(field,), what="Account")


async def _contact(session: AsyncSession, ref: str | None) -> str | None:
    if ref is None:
        return None
    return (await require_row(session, Contact, ref, path=("contactId",), what="Contact")).id


async def _category(session: AsyncSession, ref: str) -> str:
    return (await require_row(session, Category, ref, path=("categoryId",), what="Category")).id


# --- connections ----------------------------------------------------------------------------


async def get_connection(*, session: AsyncSession, id: str) -> BankConnection:
    return await require_row(session, BankConnection, id, path=("id",), what="BankConnection")


async def create_connection(*, session: AsyncSession, data: dict[str, Any]) -> BankConnection:
    payload = validate(ConnectionCreate, data)
    account = await _account(session, payload.account_id, "accountId")
    connection = BankConnection(provider=payload.provider, account_id=account.id)
    session.add(connection)
    await session.flush()
    return connection


async def update_connection(
    *, session: AsyncSession, id: str, data: dict[str, Any]
) -> BankConnection:
    """The provider, or the status: a disconnected connection takes no imports."""
    connection = await get_connection(session=session, id=id)
    values = validate(ConnectionUpdate, data).model_dump(exclude_unset=True)
    require_not_null(ConnectionUpdate, values, "provider", "status")
    for key, value in values.items():
        setattr(connection, key, value)
    connection.updated_at = utcnow()
    await session.flush()
    return connection


async def delete_connection(*, session: AsyncSession, id: str) -> BankConnection:
    connection = await get_connection(session=session, id=id)
    used = exists().where(col(BankFeedTransaction.connection_id) == connection.id)
    if await session.scalar(select(used)):
        raise UserInputError.single(
            "id", "The connection has feed lines; disconnect it instead", ErrorCode.IN_USE
        )
    await session.delete(connection)
    await session.flush()
    return connection


# --- rules ----------------------------------------------------------------------------------


async def get_rule(*, session: AsyncSession, id: str) -> BankRule:
    return await require_row(session, BankRule, id, path=("id",), what="BankRule")


async def create_rule(*, session: AsyncSession, data: dict[str, Any]) -> BankRule:
    payload = validate(RuleCreate, data)
    rule = BankRule(
        pattern=payload.pattern,
        category_id=await _category(session, payload.category_id),
        contact_id=await _contact(session, payload.contact_id),
        priority=payload.priority or 0,
        direction=payload.direction,
        account_id=(
            (await _account(session, payload.account_id, "accountId")).id
            if payload.account_id is not None
            else None
        ),
    )
    session.add(rule)
    await session.flush()
    return rule


async def update_rule(*, session: AsyncSession, id: str, data: dict[str, Any]) -> BankRule:
    """Changes only the rule: lines already imported keep the suggestion they got."""
    rule = await get_rule(session=session, id=id)
    values = validate(RuleUpdate, data).model_dump(exclude_unset=True)
    require_not_null(RuleUpdate, values, "pattern", "category_id", "priority")
    if "category_id" in values:
        values["category_id"] = await _category(session, values["category_id"])
    if "contact_id" in values:
        values["contact_id"] = await _contact(session, values["contact_id"])
    if values.get("account_id") is not None:
        values["account_id"] = (await _account(session, values["account_id"], "accountId")).id
    for key, value in values.items():
        setattr(rule, key, value)
    rule.updated_at = utcnow()
    await session.flush()
    return rule


async def delete_rule(*, session: AsyncSession, id: str) -> BankRule:
    """Lines it categorised keep their suggestion (their rule becomes null)."""
    rule = await get_rule(session=session, id=id)
    await session.delete(rule)
    await session.flush()
    return rule


def rule_applies(rule: BankRule, *, account_id: str, amount: Decimal, text: str) -> bool:
    """`text`: the line's description and counterparty, lower-cased."""
    if rule.account_id is not None and rule.account_id != account_id:
        return False
    if rule.direction == Direction.IN.value and amount <= 0:
        return False
    if rule.direction == Direction.OUT.value and amount >= 0:
        return False
    return rule.pattern.lower() in text


async def rules_in_order(session: AsyncSession) -> list[BankRule]:
    """Highest priority first, then the oldest."""
    stmt = select(BankRule).order_by(
        col(BankRule.priority).desc(), col(BankRule.created_at), col(BankRule.id)
    )
    return list((await session.scalars(stmt)).all())


async def get_feed_transaction(*, session: AsyncSession, id: str) -> BankFeedTransaction:
    return await require_row(
        session, BankFeedTransaction, id, path=("id",), what="BankFeedTransaction"
    )
