"""schema.graphql, the checked-in SDL, is exactly what gql.schema.schema prints now."""

from __future__ import annotations

import difflib
from pathlib import Path

from gql.cli import schema_sdl

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema.graphql"
HINT = "schema.graphql is stale: run scripts/export-schema and commit the result"


def test_schema_file_is_up_to_date() -> None:
    # given the checked-in SDL
    assert SCHEMA_FILE.exists(), f"{SCHEMA_FILE.name} is missing: run scripts/export-schema"
    checked_in = SCHEMA_FILE.read_text(encoding="utf-8")

    # when the schema is printed now
    current = schema_sdl()

    # then they are the same, byte for byte
    if checked_in != current:
        diff = "".join(
            difflib.unified_diff(
                checked_in.splitlines(keepends=True),
                current.splitlines(keepends=True),
                "schema.graphql (checked in)",
                "gql.schema.schema (now)",
                n=1,
            )
        )
        lines = diff.splitlines()
        shown = "\n".join(lines[:60]) + ("\n..." if len(lines) > 60 else "")
        raise AssertionError(f"{HINT}\n{shown}")
