"""Settings shared by the whole test suite.

Hypothesis profiles: ``ci`` is deterministic (the same examples on every run, so a red CI can
be reproduced) and prints the blob that replays a failure; ``dev`` explores new examples on
every run. ``ci`` is loaded when ``HYPOTHESIS_PROFILE=ci`` (as ``make test`` sets) or the
``CI`` environment variable is set.

"Today" is pinned for the whole run, subprocesses included, through ``FYRULES_TODAY`` (the
one place fyrules reads the date from, :mod:`fyrules._today`): no test depends on the day it
runs. CI also runs the suite under a system clock moved by libfaketime, which proves that
nothing reads the clock another way.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from fyrules._today import TODAY_ENV

PINNED_TODAY = "2025-10-15"  # the date the docs' examples run as of (tests/doc_blocks.py)
os.environ[TODAY_ENV] = PINNED_TODAY

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,  # nothing carried over between runs, nor shared by runs at the same time
    deadline=None,
    print_blob=True,
    max_examples=100,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None, max_examples=100)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)


# A test that needs a component this machine lacks (a database server, a browser) skips locally
# and says how to run it. CI installs every component and sets FYRULES_FORBID_SKIPS=1: there a
# skip is a failure, so a missing component can never pass unseen.
FORBID_SKIPS = os.environ.get("FYRULES_FORBID_SKIPS") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if FORBID_SKIPS and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped where FYRULES_FORBID_SKIPS=1 (CI): {reason}"
