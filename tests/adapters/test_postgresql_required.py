"""Without a PostgreSQL server the PostgreSQL tests skip and say how to run them; in CI
(``FYRULES_FORBID_SKIPS=1``, set by .ci/run) the same missing server fails the run instead,
so CI cannot pass with them skipped."""

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
        if k not in ("FYRULES_POSTGRESQL_URL", "FYRULES_FORBID_SKIPS")
    }
    return subprocess.run(
        [sys.executable, "-m", "pytest", A_TEST, "-rs", "-p", "no:cacheprovider"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize("forbid", ["0", "1"])
def test_a_missing_server_skips_with_how_to_run_it_but_fails_in_ci(forbid):
    done = _pytest(FYRULES_FORBID_SKIPS=forbid)
    if forbid == "1":
        assert done.returncode == 1, done.stdout
        assert "skipped where FYRULES_FORBID_SKIPS=1" in done.stdout
        assert ".ci/postgresql.sh start" in done.stdout
    else:
        assert done.returncode == 0, done.stdout
        assert "1 skipped" in done.stdout
        assert ".ci/postgresql.sh start" in done.stdout
