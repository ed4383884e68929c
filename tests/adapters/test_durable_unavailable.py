"""Where durable_rules does not run (Python 3.13 and later, or not installed), the durable_rules
adapter says so and what to do, in Chinese and English, instead of a traceback from deep
inside. This test is not ``optional``: the core suites on 3.12 and 3.13, which install no
extras, run it (tests/adapters/test_durable.py covers the adapter where durable_rules runs)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

import fyrules
from fyrules_adapters.durable import DurableUnavailable, compile_rulebook

FUYANG = Path(__file__).resolve().parents[2] / "examples" / "fuyang"


def _durable_rules_imports() -> bool:
    try:
        import durable.lang  # noqa: F401
    except Exception:
        return False
    return True


def test_the_adapter_runs_or_says_what_to_do():
    rb = fyrules.load(FUYANG)
    if sys.version_info < (3, 13) and _durable_rules_imports():
        assert "SOD-REVIEW-APPROVE" in compile_rulebook(rb).compiled
        return
    with pytest.raises(DurableUnavailable) as caught:
        compile_rulebook(rb)
    problem = caught.value.problem
    assert problem.code == "DURABLE-UNAVAILABLE"
    assert "请在 Python 3.11 或 3.12 上" in problem.message_zh
    assert "Python 3.11 or 3.12" in problem.message_en
    assert "pip install 'fyrules[durable]'" in problem.message_en
    if sys.version_info >= (3, 13):
        here = f"{sys.version_info.major}.{sys.version_info.minor}"
        assert f"does not support Python {here}" in problem.message_en


def test_without_durable_rules_the_error_names_the_extra(tmp_path):
    """durable_rules made unimportable in a fresh interpreter (as where it is not installed)."""
    import subprocess

    script = tmp_path / "probe.py"
    script.write_text(
        "import sys\n"
        "sys.modules['durable'] = None  # as if not installed\n"
        "import fyrules\n"
        "from fyrules_adapters.durable import DurableUnavailable, compile_rulebook\n"
        "try:\n"
        f"    compile_rulebook(fyrules.load({str(FUYANG)!r}))\n"
        "except DurableUnavailable as exc:\n"
        "    print(exc.problem.format('en'))\n",
        encoding="utf-8",
    )
    adapters = Path(__file__).resolve().parents[2] / "adapters"
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(adapters)},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout.startswith("DURABLE-UNAVAILABLE: durable_rules")
    if sys.version_info >= (3, 13):  # the Python itself is named, not the missing package
        here = f"{sys.version_info.major}.{sys.version_info.minor}"
        assert f"does not support Python {here}" in done.stdout
    else:
        assert done.stdout.startswith("DURABLE-UNAVAILABLE: durable_rules does not import")
    assert "Python 3.11 or 3.12" in done.stdout
