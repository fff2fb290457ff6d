"""Failures of the infrastructure rather than of the request: the database cannot be
reached, or the request ran past its time budget. Both dialects answer them the same
way: a coded error, 503 or 504, and `Retry-After` where retrying helps.

`classify` is the one place that decides which exceptions are which; it walks the
exception's causes, since drivers, SQLAlchemy and GraphQL each wrap the one below.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from enum import Enum

import psycopg
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout


class Failure(str, Enum):
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    TIMEOUT = "TIMEOUT"


@dataclass(frozen=True)
class FailureAnswer:
    status: int
    message: str
    retry_after: int | None


RETRY_AFTER_SECONDS = 2
# The database is told the budget itself; Python's own timeout waits this much longer,
# so a slow statement is stopped by the database (cleanly) rather than cancelled.
TIMEOUT_GRACE = 0.25


def answer(failure: Failure, budget_seconds: float) -> FailureAnswer:
    if failure is Failure.TIMEOUT:
        return FailureAnswer(
            504,
            f"The request took longer than its time budget of {budget_seconds:g} s and was "
            "stopped; nothing it was writing was kept.",
            None,
        )
    return FailureAnswer(
        503,
        "The database cannot be reached right now; nothing was changed. Try again shortly.",
        RETRY_AFTER_SECONDS,
    )


class RequestTimeout(Exception):
    """The request's time budget ran out (raised where we notice it ourselves)."""


# PostgreSQL SQLSTATEs: class 08 is "connection exception"; the rest mean the server is
# going away, not yet up, or full.
_UNAVAILABLE_STATES = {"57P01", "57P02", "57P03", "53300", "53400"}
_CANCELED_STATE = "57014"  # query_canceled: our statement_timeout
# SQLite's messages for the same situations (sqlite3 has no error codes in Python 3.11).
_SQLITE_UNAVAILABLE = ("unable to open database", "disk i/o error")
# The progress handler stopped a statement at the deadline, or a lock was waited for as
# long as the budget allows (busy_timeout).
_SQLITE_OUT_OF_TIME = ("interrupted", "database is locked")


def _causes(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and len(chain) < 16:
        seen.add(id(current))
        chain.append(current)
        original = getattr(current, "original_error", None)  # graphql.GraphQLError
        context = None if current.__suppress_context__ else current.__context__
        current = original or current.__cause__ or context
    return chain


def classify(exc: BaseException) -> Failure | None:
    """SERVICE_UNAVAILABLE, TIMEOUT, or None for anything else (a bug: a 500)."""
    for cause in _causes(exc):
        if isinstance(cause, (RequestTimeout, asyncio.TimeoutError)):
            return Failure.TIMEOUT
        if isinstance(cause, PoolTimeout):
            return Failure.SERVICE_UNAVAILABLE  # every connection busy: come back shortly
        if isinstance(cause, DBAPIError):
            if cause.connection_invalidated:
                return Failure.SERVICE_UNAVAILABLE
            state = getattr(cause.orig, "sqlstate", None) or ""
            if state == _CANCELED_STATE:
                return Failure.TIMEOUT
            if state.startswith("08") or state in _UNAVAILABLE_STATES:
                return Failure.SERVICE_UNAVAILABLE
            if isinstance(cause.orig, psycopg.OperationalError) and not state:
                # libpq's own: refused, reset, closed unexpectedly (the server said nothing)
                return Failure.SERVICE_UNAVAILABLE
            message = str(cause.orig).lower()
            if message in _SQLITE_OUT_OF_TIME:
                return Failure.TIMEOUT
            if any(text in message for text in _SQLITE_UNAVAILABLE):
                return Failure.SERVICE_UNAVAILABLE
        elif isinstance(cause, OSError):
            return Failure.SERVICE_UNAVAILABLE  # connecting: refused, reset, no route
        elif isinstance(cause, psycopg.OperationalError):  # the driver's own, unwrapped
            state = cause.sqlstate or ""
            if not state or state.startswith("08") or state in _UNAVAILABLE_STATES:
                return Failure.SERVICE_UNAVAILABLE
    return None
