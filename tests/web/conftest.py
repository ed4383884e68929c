"""The web adapter's tests need its extra (fastapi, uvicorn) and httpx: without them they skip,
unless ``FYRULES_REQUIRE`` names ``web`` (as .ci/run sets it), where a skip would hide a gap and
is a failure instead. They are ``optional`` tests (``make test-core`` leaves them out)."""

from __future__ import annotations

import os

import pytest


def _missing() -> str | None:
    for name in ("fastapi", "uvicorn", "httpx"):
        try:
            __import__(name)
        except ImportError:
            return name
    return None


MISSING = _missing()
REQUIRED = "web" in os.environ.get("FYRULES_REQUIRE", "").split(",")


def pytest_collection_modifyitems(config, items):
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.optional)


if MISSING is not None and REQUIRED:
    raise ImportError(
        f"FYRULES_REQUIRE names web but {MISSING} is not installed: pip install -e '.[test]'"
    )
