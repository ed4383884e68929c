"""The browser suite: the web adapter's pages in a real, headless Chromium (Debian's), driven by
Playwright for Python, against a real ``fyrules serve`` process on 127.0.0.1, with axe-core
(from the npm registry, ``tests/browser/package.json``) run inside the page.

It needs Chromium (``apt-get install chromium fonts-noto-cjk``), Playwright (in the ``test``
extra: ``pip install -e '.[test]'``) and axe-core (``python3 .ci/axe-core.py``, or ``npm ci --prefix tests/browser``).
Without one of them every test here skips, saying which; where ``FYRULES_REQUIRE`` names
``browser`` (as .ci/run sets it) a missing one fails the run instead. They are ``optional``
tests (``make test-core`` leaves them out).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
HOW = "apt-get install chromium fonts-noto-cjk; pip install -e '.[test]'; python3 .ci/axe-core.py"


def chromium_path() -> str | None:
    """Debian's Chromium: ``FYRULES_CHROMIUM``, else ``chromium`` on the PATH."""
    named = os.environ.get("FYRULES_CHROMIUM")
    if named:
        return named if os.access(named, os.X_OK) else None
    return shutil.which("chromium")


def _missing() -> str | None:
    for name in ("playwright", "fastapi", "uvicorn", "httpx"):
        try:
            __import__(name)
        except ImportError:
            return f"the Python package {name} is not installed"
    if chromium_path() is None:
        return "Chromium is not installed"
    if not AXE.is_file():
        return f"axe-core is not installed ({AXE.relative_to(HERE.parents[1])} is missing)"
    return None


MISSING = _missing()
REQUIRED = "browser" in os.environ.get("FYRULES_REQUIRE", "").split(",")

if MISSING is not None and REQUIRED:
    raise ImportError(f"FYRULES_REQUIRE names browser but {MISSING}: {HOW}")


def pytest_collection_modifyitems(config, items):
    here = str(HERE)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.optional)
            if MISSING is not None:
                item.add_marker(
                    pytest.mark.skip(reason=f"{MISSING}: to run the browser suite, {HOW}")
                )
