"""The README's first command seeds the demo with `ledgergraph seed-demo`: run as a
newcomer runs it, in a process of its own (nothing of the app imported beforehand)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import IS_POSTGRES

pytestmark = pytest.mark.skipif(IS_POSTGRES, reason="the embedded SQLite default's command")


def seed_demo(database: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LEDGERGRAPH_DATABASE_URL": f"sqlite+aiosqlite:///{database}"}
    env.pop("LEDGERGRAPH_MIGRATION_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "gql.cli", "seed-demo"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_seed_demo_creates_the_demo_once(tmp_path: Path) -> None:
    # when the demo is seeded into a fresh database, then again
    first = seed_demo(tmp_path / "demo.db")
    second = seed_demo(tmp_path / "demo.db")
    # then the first run creates it and says how to log in, the second leaves it alone
    assert first.returncode == 0, first.stderr
    assert "Demo data created." in first.stdout
    assert "demo@ledgergraph.dev / demo-password-1" in first.stdout
    assert second.returncode == 0, second.stderr
    assert "already present, left unchanged" in second.stdout
