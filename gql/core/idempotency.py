"""Safe retries: an idempotency key makes a write happen once, however often it is sent.

A REST write's `Idempotency-Key` header, or a GraphQL mutation's `idempotencyKey`
argument (or the header, for a request of one mutation field), is claimed in the
write's own transaction before the write runs, in one statement: an INSERT on the
unique (company, key, operation) index that, on conflict, takes over only an expired
key (ON CONFLICT DO UPDATE ... WHERE expired). On PostgreSQL a concurrent claim of the
same key waits there until the first transaction ends, then sees its row; on SQLite
writers queue anyway. The first answer is stored in the claimed row in the
same transaction, so a rolled-back write (a user error, a failure) leaves no key
behind and a corrected retry can succeed. A repeat with the same request replays the
stored answer; the same key on a different request (another body, another user) is
refused with IDEMPOTENCY_KEY_REUSED. Keys expire after `idempotency_ttl_seconds`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import json
import random
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar

from graphql import FieldNode
from sqlalchemy import Index, Text, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from gql.core.errors import ErrorCode, UserInputError
from gql.core.ids import new_id
from gql.db.columns import TenantOwned, UTCDateTime, utcnow
from gql.db.tenant import get_tenant
from gql.settings import Settings

T = TypeVar("T")

HEADER = "Idempotency-Key"
ARGUMENT = "idempotencyKey"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
MAX_OPERATION_LENGTH = 300
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Expired keys of the company are removed in batches of this many, at most, by a
# claim that took over an expired key, and by one claim in 32 at random otherwise: on
# average about 3 removed per claim made, so the table stays near the keys of one TTL
# while most writes pay nothing for it.
PRUNE_BATCH = 100
PRUNE_CHANCE = 1 / 32


class IdempotencyKey(TenantOwned, table=True):
    """A claimed key and the first answer given under it."""

    __tablename__ = "idempotency_key"
    __table_args__ = (
        Index("uq_idempotency_key_claim", "company_id", "key", "operation", unique=True),
        Index("ix_idempotency_key_company_expires", "company_id", "expires_at"),
    )

    user_id: str = Field(foreign_key="user.id", max_length=24)
    key: str = Field(max_length=MAX_KEY_LENGTH)
    # REST: "POST /api/payments"; GraphQL: "mutation documentPaymentCreate".
    operation: str = Field(max_length=MAX_OPERATION_LENGTH)
    fingerprint: str = Field(max_length=64)  # sha256 of the user and the request
    # The stored answer (JSON); NULL only between the claim and the write's end.
    result: str | None = Field(default=None, sa_type=Text)
    expires_at: datetime = Field(sa_type=UTCDateTime)


class KeyRefused(UserInputError):
    """A key refused (malformed, or reused for another request): its error names the
    header or argument the key came in, not a field of the input."""


def checked_key(raw: str | None, name: str) -> str | None:
    if raw is not None and not 1 <= len(raw) <= MAX_KEY_LENGTH:
        raise KeyRefused.single(name, f"must be 1 to {MAX_KEY_LENGTH} characters")
    return raw


def fingerprint(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)  # length-prefixed: unambiguous
    return digest.hexdigest()


def _operation(text: str) -> str:
    """The operation as stored; a longer one (a path with a junk id) by its digest."""
    return text if len(text) <= MAX_OPERATION_LENGTH else f"sha256:{fingerprint(text)}"


async def once(
    session: AsyncSession,
    *,
    key: str,
    key_name: str,
    operation: str,
    user_id: str,
    digest: str,
    settings: Settings,
    write: Callable[[], Awaitable[T]],
    store: Callable[[T], str | None],
    replay: Callable[[str], Awaitable[T]],
) -> T:
    """`write()`'s result under `key`, or the result stored by the first request with
    it (`replay`). `store` makes a result the text kept for replays; None keeps nothing
    (the key is released). Runs inside the write's transaction (in_transaction)."""
    operation = _operation(operation)
    now = utcnow()
    claimed, first = await _claim(session, new_id(), key, operation, user_id, digest, now, settings)
    if first is not None:
        if first.fingerprint != digest:
            raise KeyRefused.single(
                key_name,
                "was already used for a different request",
                ErrorCode.IDEMPOTENCY_KEY_REUSED,
            )
        assert first.result is not None  # a claim is committed only with its answer
        return await replay(first.result)
    result = await write()
    stored = store(result)
    done = (
        update(IdempotencyKey).values(result=stored)
        if stored is not None
        else delete(IdempotencyKey)
    )
    unsynced = {"synchronize_session": False}
    await session.execute(done.where(col(IdempotencyKey.id) == claimed), execution_options=unsynced)
    return result


async def _prune(session: AsyncSession, now: datetime) -> None:
    """A batch of the company's expired keys, skipping any a claim holds."""
    stale = (
        select(col(IdempotencyKey.id))
        .where(col(IdempotencyKey.expires_at) <= now)
        .limit(PRUNE_BATCH)
        .with_for_update(skip_locked=True)
    )
    await session.execute(
        delete(IdempotencyKey).where(col(IdempotencyKey.id).in_(stale.scalar_subquery())),
        execution_options={"synchronize_session": False},
    )


async def _claim(
    session: AsyncSession,
    claim_id: str,
    key: str,
    operation: str,
    user_id: str,
    digest: str,
    now: datetime,
    settings: Settings,
) -> tuple[str, IdempotencyKey | None]:
    """The key claimed in one statement: (the claimed row's id, None) when it is now
    ours (new, or an expired one taken over), else (-, the row of whoever claimed it
    first, once their transaction has ended: PostgreSQL waits for it here)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    while True:
        stmt = dialect.insert(IdempotencyKey).values(
            id=claim_id,
            company_id=get_tenant(session),
            user_id=user_id,
            key=key,
            operation=operation,
            fingerprint=digest,
            expires_at=now + timedelta(seconds=settings.idempotency_ttl_seconds),
            created_at=now,
            updated_at=now,
        )
        # An expired key is as good as none: taken over in the same statement, as
        # a fresh claim (its old answer forgotten).
        excluded = stmt.excluded
        taken = {
            name: excluded[name]
            for name in ("user_id", "fingerprint", "expires_at", "created_at", "updated_at")
        }
        claimed = await session.scalar(
            stmt.on_conflict_do_update(
                index_elements=["company_id", "key", "operation"],
                set_={**taken, "result": None},
                where=col(IdempotencyKey.expires_at) <= now,
            ).returning(col(IdempotencyKey.id))
        )
        if claimed is not None:
            if claimed != claim_id or random.random() < PRUNE_CHANCE:
                await _prune(session, now)  # an expired key was found: there may be more
            return claimed, None
        first = await session.scalar(
            select(IdempotencyKey).where(
                col(IdempotencyKey.key) == key, col(IdempotencyKey.operation) == operation
            )
        )
        if first is not None:
            return "", first
        # Gone between the two statements (pruned meanwhile): claim again.


# --- REST --------------------------------------------------------------------------------


async def rest_once(
    request: Request,
    session: AsyncSession,
    user_id: str | None,
    settings: Settings,
    answer: Callable[[], Awaitable[Response]],
) -> Response:
    """The endpoint's answer, once per `Idempotency-Key` of a write (both REST dialects).
    A request without the header, or without a company to keep it in, just runs."""
    raw = request.headers.get(HEADER)
    if raw is None or request.method not in WRITE_METHODS:
        return await answer()
    if user_id is None or get_tenant(session) is None:
        return await answer()
    try:
        key = checked_key(raw, HEADER)
        assert key is not None
        body = await request.body()
        return await once(
            session,
            key=key,
            key_name=HEADER,
            operation=f"{request.method} {request.url.path}",
            user_id=user_id,
            digest=fingerprint(user_id, request.url.query, body),
            settings=settings,
            write=answer,
            store=_stored_response,
            replay=_replayed_response,
        )
    except KeyRefused as exc:
        (error,) = exc.errors
        status = 422 if error.code is ErrorCode.IDEMPOTENCY_KEY_REUSED else 400
        body_fields = {"field": HEADER, "message": error.message, "code": error.code.value}
        return JSONResponse(
            {
                "success": False,
                "message": f"{HEADER} {error.message}",
                "code": error.code.value,
                "errors": [body_fields],
            },
            status_code=status,
        )


def _stored_response(response: Response) -> str | None:
    """A success's status, headers and body; an error answer is not kept (the client
    corrects the request and retries under the same key)."""
    body = getattr(response, "body", None)
    if response.status_code >= 400 or not isinstance(body, bytes):
        return None
    headers = {k: v for k, v in response.headers.items() if k != "content-length"}
    return json.dumps({"status": response.status_code, "headers": headers, "body": body.decode()})


async def _replayed_response(stored: str) -> Response:
    answer = json.loads(stored)
    headers = {**answer["headers"], REPLAYED_HEADER.lower(): "true"}
    return Response(answer["body"], status_code=answer["status"], headers=headers)


# --- GraphQL -----------------------------------------------------------------------------


def mutation_key(info: Any, argument: str | None) -> tuple[str, str] | None:
    """The key of a mutation field and where it came from: its `idempotencyKey`
    argument, else the request's header when the operation is this one field."""
    if argument is not None:
        checked_key(argument, ARGUMENT)
        return argument, ARGUMENT
    # A WebSocket's headers are its connection's, for every operation on it, so only an
    # HTTP request's count (and an operation executed without one, as tests do, has none).
    request = getattr(info.context, "request", None)
    sent = request.headers.get(HEADER) if isinstance(request, Request) else None
    header = checked_key(sent, HEADER)
    if header is None:
        return None
    selections = info.operation.selection_set.selections
    if len(selections) != 1 or not isinstance(selections[0], FieldNode):
        raise KeyRefused.single(
            HEADER,
            f"applies to a request of one mutation field; give each field its {ARGUMENT}",
        )
    return header, HEADER


async def mutation_once(
    context: Any,
    *,
    key: tuple[str, str],
    field: str,
    data: Any,
    write: Callable[[], Awaitable[T]],
) -> T:
    """`write()`'s result, once per key of the mutation `field` with input `data`. What
    is kept is the result's shape with each row as its table and id, so a replay's
    payload resolves the rows the first request wrote (as they are now)."""
    session = context.session
    viewer = context.viewer
    if viewer.user is None or get_tenant(session) is None:
        return await write()
    user_id = viewer.user.id
    return await once(
        session,
        key=key[0],
        key_name=key[1],
        operation=f"mutation {field}",
        user_id=user_id,
        digest=fingerprint(user_id, json.dumps(data, sort_keys=True, default=str)),
        settings=context.settings,
        write=write,
        store=lambda result: json.dumps(_encoded(result)),
        replay=lambda stored: _decoded(session, json.loads(stored)),
    )


def _encoded(value: Any) -> Any:
    """A mutation's result as JSON: rows by table and id, the rest by value."""
    if hasattr(type(value), "__table__"):
        return {"row": type(value).__tablename__, "id": value.id}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {
            f.name: _encoded(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init
        }
        kind = type(value)
        return {"dataclass": f"{kind.__module__}:{kind.__qualname__}", "fields": fields}
    if isinstance(value, dict):
        return {"dict": {str(k): _encoded(v) for k, v in value.items()}}
    if isinstance(value, (list, tuple)):
        return {"list": [_encoded(v) for v in value]}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if value is None or isinstance(value, (str, int, bool)):
        return {"value": value}
    raise TypeError(f"cannot keep a {type(value).__name__} for an idempotent replay")


async def _decoded(session: AsyncSession, value: dict[str, Any]) -> Any:
    if "row" in value:  # read through the tenant filter, as any read
        return await session.get(_table_models()[value["row"]], value["id"])
    if "dataclass" in value:
        module, name = value["dataclass"].split(":")
        kind = getattr(importlib.import_module(module), name)
        return kind(**{k: await _decoded(session, v) for k, v in value["fields"].items()})
    if "dict" in value:
        return {k: await _decoded(session, v) for k, v in value["dict"].items()}
    if "list" in value:
        return [await _decoded(session, v) for v in value["list"]]
    if "decimal" in value:
        return Decimal(value["decimal"])
    if "datetime" in value:
        return datetime.fromisoformat(value["datetime"])
    if "date" in value:
        return date.fromisoformat(value["date"])
    return value["value"]


@cache
def _table_models() -> dict[str, type[Any]]:
    """Every table model by its table's name (all are imported once the app runs)."""
    found: dict[str, type[Any]] = {}
    pending: list[type[Any]] = [SQLModel]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if hasattr(cls, "__table__"):
            found[cls.__tablename__] = cls
    return found
