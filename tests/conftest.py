"""Settings shared by the whole test suite.

Hypothesis profiles: ``ci`` is deterministic (the same examples on every run, so a red CI can
be reproduced) and prints the blob that replays a failure; ``dev`` explores new examples on
every run. ``ci`` is loaded when ``HYPOTHESIS_PROFILE=ci`` (as ``make test`` sets) or the
``CI`` environment variable is set.

"Today" is pinned for the whole run, subprocesses included, through ``FYRULES_TODAY`` (the
one place fyrules reads the date from, :mod:`fyrules._today`): no test depends on the day it
runs. CI also runs the suite under a system clock moved by libfaketime, which proves that
nothing reads the clock another way.

The Fuyang rulebook (``FUYANG``) is loaded once per session (:func:`fuyang_rulebook`, the
fixtures ``fuyang`` and ``rb``) and each generated month once (:func:`generated_month`): a
rulebook is immutable, and a monitor keeps its state in its own store, so tests share them
safely. A test that changes a rulebook copies its folder and loads the copy.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import fyrules
from fyrules._today import TODAY_ENV
from fyrules.cases.events import Event
from fyrules.deadlines.calendar.package_days import CACHE_ENV
from fyrules.simulation.cases import generate
from fyrules.store_contract import _fuyang

PINNED_TODAY = "2025-10-15"  # the date the docs' examples run as of (tests/doc_blocks.py)
os.environ[TODAY_ENV] = PINNED_TODAY
# the holidays package's schedule is cached in a folder of this run's, not the user's
if CACHE_ENV not in os.environ:
    os.environ[CACHE_ENV] = tempfile.mkdtemp(prefix="fyrules-test-cache-")
    atexit.register(shutil.rmtree, os.environ[CACHE_ENV], ignore_errors=True)

ROOT = Path(__file__).resolve().parent.parent
FUYANG = ROOT / "examples" / "fuyang"


def fuyang_rulebook() -> fyrules.Rulebook:
    """The Fuyang rulebook, loaded once per session (the same object the storage contract
    suite, :mod:`fyrules.store_contract`, replays on)."""
    return _fuyang()


@functools.cache
def generated_month(
    cases: int, seed: int, *, month: str = "2025-10", faults: bool = False
) -> tuple[Event, ...]:
    """A generated month of Fuyang (:func:`fyrules.simulation.cases.generate`), made once per
    session for each set of arguments."""
    return tuple(generate(fuyang_rulebook(), month=month, cases=cases, seed=seed, faults=faults))


@pytest.fixture(scope="session")
def fuyang() -> fyrules.Rulebook:
    """The Fuyang rulebook (:func:`fuyang_rulebook`)."""
    return fuyang_rulebook()


@pytest.fixture(scope="session")
def rb() -> fyrules.Rulebook:
    """The Fuyang rulebook under the name most test modules use; a module whose ``rb`` is
    another rulebook defines its own."""
    return fuyang_rulebook()


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
