"""The registry of persisted documents: GraphQL texts known by their sha256.

One registry per deployment, not per company (a client's documents are the same for
every tenant, and hold no data): the table has no company_id and no row-level security.
A document is immutable by its hash, so a hit is cached in-process for good; a miss is
not (the document may be registered a moment later).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Text, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import Field, SQLModel, col

from gql.core.lru import LRU
from gql.db.columns import UTCDateTime, utcnow

PREFIX = "sha256:"
_HEX = re.compile(r"[0-9a-f]{64}")
CACHE_SIZE = 4096


class PersistedDocument(SQLModel, table=True):
    __tablename__ = "persisted_document"

    # The lower-case hex sha256 of `body`'s UTF-8 bytes.
    id: str = Field(primary_key=True, max_length=64)
    body: str = Field(sa_type=Text)
    client_name: str | None = Field(default=None, max_length=100)
    client_version: str | None = Field(default=None, max_length=100)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def document_id(text: str) -> str:
    """The id a client sends for `text`: "sha256:<hex>"."""
    return PREFIX + sha256_of(text)


def parse_hash(value: str) -> str | None:
    """The hex of "sha256:<hex>" or of a bare hex, or None if it is neither."""
    hex_ = value.removeprefix(PREFIX).lower()
    return hex_ if _HEX.fullmatch(hex_) else None


@dataclass(frozen=True)
class Client:
    """Who a batch of documents was extracted from (optional, for the operator)."""

    name: str | None = None
    version: str | None = None


async def add_documents(
    session: AsyncSession, bodies: Iterable[str], client: Client = Client()
) -> list[str]:
    """Register each text (a no-op for one already there); their hashes, in order. The
    caller commits. Concurrent registrations of one text both succeed."""
    rows = {
        sha256_of(body): {
            "id": sha256_of(body),
            "body": body,
            "client_name": client.name,
            "client_version": client.version,
            "created_at": utcnow(),
        }
        for body in bodies
    }
    if rows:
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        insert = dialect.insert(PersistedDocument).values(list(rows.values()))
        await session.execute(insert.on_conflict_do_nothing(index_elements=["id"]))
    return list(rows)


class Registry:
    """Lookups of the deployment's documents, with hits remembered (LRU)."""

    def __init__(self, maxsize: int = CACHE_SIZE) -> None:
        self._cache: LRU[str, str] = LRU(maxsize)

    async def get(self, sessions: async_sessionmaker[Any], hex_: str) -> str | None:
        body = self._cache.get(hex_)
        if body is None:
            async with sessions() as session:
                statement = select(col(PersistedDocument.body)).where(
                    col(PersistedDocument.id) == hex_
                )
                body = (await session.execute(statement)).scalar_one_or_none()
            if body is not None:
                self._cache.put(hex_, body)
        return body

    async def register(self, sessions: async_sessionmaker[Any], body: str) -> None:
        """Registered at once, in a transaction of its own: the document is known
        whatever becomes of the operation it came with."""
        async with sessions() as session:
            await add_documents(session, [body])
            await session.commit()
        self._cache.put(sha256_of(body), body)


# --- a client's extracted documents (`ledgergraph documents add FILE...`) ---------------


class ManifestError(ValueError):
    """A file that is not a document or manifest, or whose hash does not match."""


def documents_in(path: Path) -> list[str]:
    """The documents of a .graphql file (the whole text is one document) or of a JSON
    manifest: Apollo's `{"operations": [{"id", "body"}, ...]}` or a `{"<hash>": "<text>"}`
    map (GraphQL Code Generator, Relay). Every given hash must be the text's sha256."""
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() != ".json":
        if not text.strip():
            raise ManifestError(f"{path}: empty document")
        return [text]
    try:
        manifest = json.loads(text)
    except ValueError as exc:
        raise ManifestError(f"{path}: not JSON ({exc})") from None
    if isinstance(manifest, Mapping) and isinstance(manifest.get("operations"), list):
        pairs = [_operation(path, i, op) for i, op in enumerate(manifest["operations"])]
    elif isinstance(manifest, Mapping) and all(isinstance(v, str) for v in manifest.values()):
        pairs = [(str(k), v) for k, v in manifest.items()]
    else:
        raise ManifestError(
            f'{path}: expected {{"operations": [{{"id", "body"}}]}} or {{"<hash>": "<text>"}}'
        )
    for given, body in pairs:
        if parse_hash(given) != sha256_of(body):
            raise ManifestError(f"{path}: {given!r} is not the sha256 of its document")
    return [body for _, body in pairs]


def _operation(path: Path, index: int, operation: Any) -> tuple[str, str]:
    if not (
        isinstance(operation, Mapping)
        and isinstance(operation.get("id"), str)
        and isinstance(operation.get("body"), str)
    ):
        raise ManifestError(f"{path}: operations[{index}] needs a string id and body")
    return operation["id"], operation["body"]
