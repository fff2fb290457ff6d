"""Text filters in SQL: every search, prefix and text equality a client can send goes
through these helpers, so each one is escaped and storable on both databases."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import ColumnElement, or_

ESCAPE = "\\"

# PostgreSQL text cannot hold U+0000 and neither database driver can encode a lone
# surrogate (JSON's "\ud800" arrives as one), so no stored value has either: they
# become U+FFFD, the character for the unrepresentable, and the filter still runs.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(text: str) -> str:
    """`text` with what no column can hold replaced by U+FFFD."""
    return _UNSTORABLE.sub("\ufffd", text)


def _escaped(text: str) -> str:
    """`text` for a LIKE pattern: the escape character and both wildcards literal."""
    cleaned = storable(text.strip())
    return cleaned.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")


def like_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with LIKE's wildcards escaped."""
    return f"%{_escaped(text)}%"


def contains(column: Any, text: str) -> ColumnElement[bool]:
    """`column` contains `text`, ignoring case; `%`, `_` and `\\` match themselves."""
    return column.ilike(like_pattern(text), escape=ESCAPE)  # type: ignore[no-any-return]


def contains_any(text: str, *columns: Any) -> ColumnElement[bool]:
    """Any of `columns` contains `text` (the usual `search` filter)."""
    return or_(*(contains(c, text) for c in columns))


def starts_with(column: Any, text: str) -> ColumnElement[bool]:
    """`column` begins with `text` (case matters, as for codes)."""
    return column.like(f"{_escaped(text)}%", escape=ESCAPE)  # type: ignore[no-any-return]


def equals(column: Any, text: str) -> ColumnElement[bool]:
    """`column` is exactly `text`."""
    return column == storable(text)  # type: ignore[no-any-return]
