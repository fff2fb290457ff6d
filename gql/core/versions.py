"""Row versions and conflict detection, declared once.

A mutable entity's table mixes in `Versioned`: a `version` column, bumped once per
transaction that changes the row (`_bump_once`, before the ORM flushes it) and checked
by SQLAlchemy's optimistic versioning (`version_id_col`) in the WHERE of every ORM
UPDATE and DELETE, so a write over a row that changed since it was read fails
(StaleDataError, answered as CONFLICT) instead of overwriting it. Core `update()`s of
such rows add `bump(model)` to their values.

A write may say which version it expects (GraphQL `input.expectedVersion`, REST
`If-Match`): `in_transaction` registers it on the session with `expecting`, and the
row with that id is checked as soon as the write reads it (or, held from earlier, when
it is flushed or claimed). A stale one raises VersionConflict before anything is
written.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import strawberry
from sqlalchemy import ColumnElement, event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session, declared_attr
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Field, SQLModel

from gql.core.errors import ErrorCode, FieldError, UserInputError
from gql.core.ids import from_global_id
from gql.tenancy import mapped_table

EXPECTED_VERSION_FIELD = "expectedVersion"  # the GraphQL input's field, as errors name it
_KEY = "ledgergraph.expected_version"  # where the expectation sits in session.info
_BUMPED = "ledgergraph.bumped_rows"  # the rows this transaction has bumped already


class Versioned(SQLModel):
    """A mutable entity: `version` starts at 1 and goes up by one on each write (one
    transaction, however many flushes it takes: `_bump_once`)."""

    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        # No generator: `_bump_once` sets the new version; every UPDATE and DELETE
        # still checks the one it read in its WHERE.
        table = mapped_table(cls)  # type: ignore[arg-type]  # `cls` is the table's class
        return {"version_id_col": table.c.version, "version_id_generator": False}


def is_versioned(model: type[Any]) -> bool:
    return issubclass(model, Versioned)


def bump(model: type[Any]) -> dict[str, Any]:
    """The values a Core UPDATE of `model`'s rows adds, so it counts as a write too."""
    return {"version": model.version + 1} if is_versioned(model) else {}


class VersionConflict(UserInputError):
    """The row is not (or no longer) at the version the write expected."""

    def __init__(self, message: str, current: int | None) -> None:
        super().__init__([FieldError((EXPECTED_VERSION_FIELD,), message, ErrorCode.CONFLICT)])
        self.current = current
        self.message = message


def stale(expected: int, current: int) -> VersionConflict:
    return VersionConflict(
        f"Expected version {expected}, but the current version is {current}; "
        "read it again and retry",
        current,
    )


def changed_meanwhile() -> VersionConflict:
    """A concurrent write got there first (StaleDataError at flush)."""
    return VersionConflict("Changed by another write meanwhile; read it again and retry", None)


def conflict_of(exc: BaseException) -> VersionConflict | None:
    return changed_meanwhile() if isinstance(exc, StaleDataError) else None


@dataclass
class ExpectedVersion:
    """The version a write expects of the row with this id (a global or object id)."""

    ref: str
    version: int

    @property
    def id(self) -> str:
        decoded = from_global_id(self.ref)
        return decoded[1] if decoded is not None else self.ref


@dataclass
class _Expectation:
    id: str
    version: int
    checked: bool = False


@contextmanager
def expecting(session: Any, expected: ExpectedVersion | None) -> Iterator[None]:
    """While the block runs, the row with `expected.id` must be at `expected.version`."""
    if expected is None:
        yield
        return
    sync = session.sync_session if hasattr(session, "sync_session") else session
    expectation = _Expectation(expected.id, expected.version)
    sync.info[_KEY] = expectation
    try:
        for row in list(sync.identity_map.values()):  # read earlier in this session
            _check(expectation, row)
        yield
    finally:
        sync.info.pop(_KEY, None)


def _check(expectation: _Expectation, row: Any) -> None:
    if expectation.checked or getattr(row, "id", None) != expectation.id:
        return
    if not is_versioned(type(row)):
        return
    expectation.checked = True
    if row.version != expectation.version:
        raise stale(expectation.version, row.version)


def _expectation(session: Any) -> _Expectation | None:
    sync = session.sync_session if hasattr(session, "sync_session") else session
    return sync.info.get(_KEY)  # type: ignore[no-any-return]


def claim_guards(session: Any, row: Any) -> list[ColumnElement[bool]]:
    """A claim's extra guard on `row` (gql/core/claims.py): the expected version."""
    expectation = _expectation(session)
    if expectation is None or expectation.id != row.id or not is_versioned(type(row)):
        return []
    return [type(row).version == expectation.version]


def check_current(session: Any, row: Any) -> None:
    """A lost claim on `row` (as it now is): a conflict when its version moved on."""
    expectation = _expectation(session)
    if expectation is not None and expectation.id == row.id and is_versioned(type(row)):
        if row.version != expectation.version:
            raise stale(expectation.version, row.version)


@event.listens_for(Session, "loaded_as_persistent")
def _on_load(session: Session, row: Any) -> None:
    expectation = session.info.get(_KEY)
    if expectation is not None:
        _check(expectation, row)


@event.listens_for(Session, "before_flush")
def _on_flush(session: Session, _context: Any, _instances: Any) -> None:
    expectation = session.info.get(_KEY)
    if expectation is not None and not expectation.checked:
        for row in (*session.dirty, *session.deleted):
            _check(expectation, row)
    _bump_once(session)


def _bump_once(session: Session) -> None:
    """A changed versioned row goes up one version per transaction: a write that
    flushes it twice (a document, then its totals) is still one write."""
    bumped: set[Any] = session.info.setdefault(_BUMPED, set())
    for row in session.dirty:
        if not isinstance(row, Versioned) or not session.is_modified(row):
            continue
        key = sa_inspect(row).key
        if key not in bumped:
            bumped.add(key)
            row.version += 1


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _transaction_over(session: Session) -> None:
    session.info.pop(_BUMPED, None)


def parse_if_match(value: str | None) -> int | None:
    """The version an `If-Match` header names (`"3"`, or weak `W/"3"`); None for none or
    `*` (any version). Raises ValueError for anything else."""
    if value is None or value.strip() in ("", "*"):
        return None
    tag = value.strip().removeprefix("W/")
    if len(tag) >= 2 and tag[0] == tag[-1] == '"':
        tag = tag[1:-1]
    if not tag.isdigit() or len(tag) > 18:
        raise ValueError('If-Match must be one ETag, as GET answers it: "<version>"')
    return int(tag)


def etag(version: int) -> str:
    return f'"{version}"'


def version_of(row: Any) -> dict[str, int]:
    """`{"version": n}` of a versioned row, for a REST body that shows it (the answer's
    ETag is taken from it: gql/rest/numbors.py, json_response); {} for any other row."""
    return {"version": row.version} if is_versioned(type(row)) else {}


# --- GraphQL: `expectedVersion` on every mutation input that names a row by `id` ----------

_WITH_EXPECTED_VERSION: dict[type, type] = {}


def with_expected_version(input: type) -> type:
    """`input`, with `expectedVersion: Int` added when it names a row by `id` (an
    update, a delete, a state change): the same GraphQL input type, one field more."""
    definition = input.__strawberry_definition__  # type: ignore[attr-defined]
    names = {f.python_name for f in definition.fields}
    if "id" not in names or "expected_version" in names:
        return input
    if input not in _WITH_EXPECTED_VERSION:
        namespace = {
            "__module__": input.__module__,
            "__doc__": input.__doc__,
            "__annotations__": {"expected_version": int | None},
            "expected_version": strawberry.field(
                default=strawberry.UNSET,
                description="The version this write expects the row to be at (as last "
                "read); a stale one is refused with CONFLICT and nothing is written.",
            ),
        }
        subclass = type(input.__name__, (input,), namespace)
        _WITH_EXPECTED_VERSION[input] = strawberry.input(
            subclass, name=definition.name, description=definition.description
        )
    return _WITH_EXPECTED_VERSION[input]


def expected_of(data: dict[str, Any]) -> ExpectedVersion | None:
    """The expectation a mutation's input (as a dict) carries; `expectedVersion` leaves
    `data`, which goes on to the service as before."""
    version = data.pop(EXPECTED_VERSION_FIELD, None)
    ref = data.get("id")
    return ExpectedVersion(str(ref), version) if version is not None and ref else None


def add_version_field(node_class: type, model: type[Any]) -> None:
    """`version: Int!` on the node type of a versioned model (gql.core.relay.node_type):
    a plain column, so both read paths serve it."""
    if is_versioned(model) and "version" not in node_class.__dict__:
        node_class.__annotations__["version"] = int
        node_class.version = strawberry.field(  # type: ignore[attr-defined]
            description="Goes up by one on each write; send it back as `expectedVersion` "
            '(REST: `If-Match: "<version>"`) so a write over a newer change is refused.'
        )
