"""Taking a statement file in through a connection: parse it (parsing.py), suggest a
category and contact for each new line from the rules, and insert the lines.

Idempotent: each line has a stable fingerprint (parsing.fingerprint) and the account's
fingerprints are unique, so the same file, or one that overlaps it, taken in again adds
only the lines not there yet. The insert is `INSERT ... ON CONFLICT DO NOTHING
RETURNING`, so of two imports of one file at the same moment each line is added by
exactly one, and each reports honestly how many it added.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import Field
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import col

from gql.core.errors import ErrorCode, UserInputError
from gql.core.ids import new_id
from gql.core.inputs import InputModel, require_row, validate
from gql.db.columns import utcnow
from gql.db.tenant import get_tenant
from gql.domains.bankfeeds import parsing, service
from gql.domains.bankfeeds.models import (
    BankConnection,
    BankFeedImport,
    BankFeedTransaction,
    ConnectionStatus,
    FeedFormat,
    FeedStatus,
)
from gql.domains.banking.models import Account


class MappingInput(InputModel):
    date: str = Field(min_length=1, max_length=100)
    description: str = Field(min_length=1, max_length=100)
    amount: str | None = Field(default=None, min_length=1, max_length=100)
    debit: str | None = Field(default=None, min_length=1, max_length=100)
    credit: str | None = Field(default=None, min_length=1, max_length=100)
    reference: str | None = Field(default=None, min_length=1, max_length=100)
    counterparty: str | None = Field(default=None, min_length=1, max_length=100)
    date_format: str | None = Field(default=None, max_length=20)
    decimal_separator: str | None = Field(default=None, max_length=1)
    delimiter: str | None = Field(default=None, max_length=1)


class FeedImportInput(InputModel):
    connection_id: str
    format: FeedFormat
    # The file's text, or (base64: true) its bytes in base64. The request body limit
    # bounds its size; parsing.MAX_LINES its lines.
    content: str = Field(min_length=1)
    base64: bool | None = None
    mapping: MappingInput | None = None
    closing_balance: Decimal | None = Field(default=None, max_digits=18, decimal_places=2)
    closing_date: date | None = None


@dataclass
class ImportResult:
    batch: BankFeedImport
    connection: BankConnection
    new: list[BankFeedTransaction]

    @property
    def existing(self) -> int:
        return self.batch.lines - self.batch.new_lines


def _statement(payload: FeedImportInput) -> parsing.Statement:
    text = parsing.decode(payload.content, bool(payload.base64))
    if payload.format == FeedFormat.OFX.value:
        if payload.mapping is not None:
            raise UserInputError.single("mapping", "only for CSV files")
        statement = parsing.parse_ofx(text)
    else:
        if payload.mapping is None:
            raise UserInputError.single("mapping", "required for a CSV file", ErrorCode.REQUIRED)
        given = payload.mapping.model_dump(exclude_none=True)
        statement = parsing.parse_csv(text, parsing.Mapping(**given))
    if payload.closing_balance is not None:  # the client read it off the statement
        closing_date = payload.closing_date or max((x.date for x in statement.lines), default=None)
        statement = parsing.Statement(statement.lines, payload.closing_balance, closing_date)
    return statement


async def _stamp_import(session: AsyncSession, connection: BankConnection, at: datetime) -> None:
    """Bookkeeping, not an edit of the connection: no version bump (gql/core/versions.py),
    so imports at the same moment each stamp it instead of conflicting."""
    now = utcnow()
    await session.execute(
        update(BankConnection)
        .where(col(BankConnection.id) == connection.id)
        .values(last_import_at=at, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    set_committed_value(connection, "last_import_at", at)
    set_committed_value(connection, "updated_at", now)


async def import_statement(*, session: AsyncSession, data: dict[str, Any]) -> ImportResult:
    payload = validate(FeedImportInput, data)
    connection = await require_row(
        session,
        BankConnection,
        payload.connection_id,
        path=("connectionId",),
        what="BankConnection",
    )
    if connection.status != ConnectionStatus.ACTIVE.value:
        raise UserInputError.single(
            "connectionId", "The connection is disconnected", ErrorCode.INVALID_STATE
        )
    statement = _statement(payload)
    # company_id is stamped by the session's flush hook (gql/db/tenant.py).
    batch = BankFeedImport(  # type: ignore[call-arg]
        connection_id=connection.id,
        account_id=connection.account_id,
        format=payload.format,
        lines=len(statement.lines),
        closing_balance=statement.closing_balance,
        closing_date=statement.closing_date,
    )
    session.add(batch)
    await session.flush()
    await _stamp_import(session, connection, batch.created_at)
    account = await session.get_one(Account, connection.account_id)
    new_ids = await _insert_new(session, batch, statement.lines, account.currency_code)
    batch.new_lines = len(new_ids)
    await session.flush()
    new = (
        await session.scalars(
            select(BankFeedTransaction)
            .where(col(BankFeedTransaction.id).in_(new_ids))
            .order_by(col(BankFeedTransaction.date), col(BankFeedTransaction.id))
        )
    ).all()
    return ImportResult(batch, connection, list(new))


async def _insert_new(
    session: AsyncSession, batch: BankFeedImport, lines: list[parsing.Line], currency: str
) -> list[str]:
    """Insert the lines whose fingerprint the account does not have yet; their ids."""
    if not lines:
        return []
    rules = await service.rules_in_order(session)
    now = utcnow()
    rows = []
    for line, key in zip(lines, parsing.fingerprints(batch.account_id, lines), strict=True):
        text = f"{line.description}\n{line.counterparty or ''}".lower()
        rule = next(
            (
                r
                for r in rules
                if service.rule_applies(
                    r, account_id=batch.account_id, amount=line.amount, text=text
                )
            ),
            None,
        )
        rows.append(
            {
                "id": new_id(),
                "created_at": now,
                "updated_at": now,
                "company_id": get_tenant(session),
                "connection_id": batch.connection_id,
                "account_id": batch.account_id,
                "import_id": batch.id,
                "date": line.date,
                "amount": line.amount,
                "currency_code": currency,
                "description": line.description,
                "reference": line.reference,
                "counterparty": line.counterparty,
                "fingerprint": key,
                "status": FeedStatus.UNMATCHED.value,
                "rule_id": rule.id if rule else None,
                "category_id": rule.category_id if rule else None,
                "contact_id": rule.contact_id if rule else None,
            }
        )
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = (
        insert(BankFeedTransaction)
        .on_conflict_do_nothing(index_elements=["account_id", "fingerprint"])
        .returning(col(BankFeedTransaction.id))
    )
    return list((await session.scalars(stmt, rows)).all())
