"""JSON columns read through orjson (gql/db/engine.py) read exactly as json.loads reads
them, on both databases: long integers stay integers, floats round the same."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import JSON, bindparam, text

from gql.db.engine import _json_loads

DOCUMENTS = [
    '{"a": 1.5, "b": [1, 2, "x"], "c": null, "d": true}',
    "[123456789012345678901234567890, -98765432109876543210]",
    "[9223372036854775807, -9223372036854775808, 999999999999999999]",
    "[0.1, 0.30000000000000004, 1e-320, 5e-324, 1.5e308, 1E2, -0, -0.0]",
    '{"a": 1, "a": 2}',
    '"\\u00e9\\ud83d\\ude00 caf\u00e9"',
    '{"phone": "00441234567890123456789"}',
]


@pytest.mark.parametrize("document", DOCUMENTS)
def test_reads_as_json_loads(document: str) -> None:
    for raw in (document, document.encode()):
        assert repr(_json_loads(raw)) == repr(json.loads(document))


def test_refuses_what_json_loads_refuses() -> None:
    for bad in ("{", "[1,]", ""):
        with pytest.raises(ValueError):
            _json_loads(bad)


async def test_a_json_column_reads_exactly(app: Any) -> None:
    """Through the app's engine (psycopg's JSON loader on PostgreSQL, SQLAlchemy's JSON
    type on SQLite), a long integer comes back whole."""
    engine = app.state.engine
    value = "CAST(:doc AS JSON)" if engine.dialect.name == "postgresql" else ":doc"
    statement = text(f"SELECT {value} AS doc").bindparams(bindparam("doc")).columns(doc=JSON)
    document = DOCUMENTS[1]
    async with engine.connect() as conn:
        read = (await conn.execute(statement, {"doc": document})).scalar_one()
    assert read == json.loads(document)
    assert all(isinstance(n, int) for n in read)
