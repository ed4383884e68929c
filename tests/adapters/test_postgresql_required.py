"""Without a PostgreSQL server the PostgreSQL tests skip and say how to run them; when CI
requires them (``FYRULES_REQUIRE=postgresql``, set by .ci/run) the same missing server fails
the run instead, so CI cannot pass with them skipped."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
A_TEST = "tests/adapters/test_postgresql_store.py::test_a_case_of_another_partition_is_refused_and_nothing_is_written"


def _pytest(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("FYRULES_POSTGRESQL_URL", "FYRULES_REQUIRE")
    }
    return subprocess.run(
        [sys.executable, "-m", "pytest", A_TEST, "-rs", "-p", "no:cacheprovider"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize("require", ["", "web,postgresql"])
def test_a_missing_server_skips_with_how_to_run_it_unless_ci_requires_it(require):
    done = _pytest(FYRULES_REQUIRE=require) if require else _pytest()
    if require:
        assert done.returncode == 1, done.stdout
        assert "FYRULES_REQUIRE names postgresql" in done.stdout
    else:
        assert done.returncode == 0, done.stdout
        assert "1 skipped" in done.stdout
        assert ".ci/postgresql.sh start" in done.stdout
