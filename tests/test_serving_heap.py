"""A serving process (uvicorn's `--factory gql.app:app_factory`) settles its heap once
the app is built: what it loaded is frozen out of the cycle collector and the young
generation is collected less often (gql/heap.py). Run in a process of its
own: freezing the test process would keep every later test's cycles alive."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import IS_POSTGRES

pytestmark = pytest.mark.skipif(IS_POSTGRES, reason="the process, not the database")

PROBE = """
import gc, json
from gql.app import app_factory, create_app
from gql.heap import GC_YOUNG_THRESHOLD
before = gc.get_freeze_count()
create_app()  # as the tests build apps: nothing frozen
built = gc.get_freeze_count()
app_factory()
print(json.dumps({"before": before, "built": built, "served": gc.get_freeze_count(),
    "threshold": gc.get_threshold()[0], "wanted": GC_YOUNG_THRESHOLD}))
"""


def test_a_served_app_freezes_what_it_loaded(tmp_path: Path) -> None:
    # when a process builds the app as uvicorn's factory does
    env = {**os.environ, "LEDGERGRAPH_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    # then create_app alone freezes nothing; the factory freezes the loaded heap (its
    # modules and the schema: well over 100,000 objects) and raises the threshold
    assert seen["before"] == seen["built"] == 0
    assert seen["served"] > 100_000
    assert seen["threshold"] == seen["wanted"] > 700
