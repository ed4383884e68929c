"""The core never imports an adapter (docs/architecture.md: adapters are optional extras)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROGRAM = """
import sys
import fyrules
from fyrules.simulation.cases import generate
rb = fyrules.load("examples/fuyang")
monitor = rb.monitor(store=fyrules.MemoryStore())
monitor.feed_all(generate(rb, month="2025-10", cases=20, seed=1))
monitor.findings()
from fyrules.cli import main
main(["check", "examples/fuyang", "--format", "json"])
leaked = sorted(name for name in sys.modules if name.startswith("fyrules_adapters"))
print("LEAKED", leaked)
"""


def test_loading_and_running_the_core_imports_no_adapter():
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": f"{ROOT}{':'}{ROOT / 'adapters'}", "PATH": ""},
    )
    assert "LEAKED []" in done.stdout, done.stderr


def test_the_core_names_an_adapter_only_where_it_imports_one_lazily():
    """Only the commands that run an adapter name one (``--store`` in fyrules.cli._store,
    ``fyrules db``, ``serve``, ``token``, ``notify --send``), and only inside a function, so
    importing any core module never loads one."""
    naming = sorted(
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "fyrules").rglob("*.py")
        if "fyrules_adapters" in path.read_text(encoding="utf-8")
    )
    assert set(naming) <= {
        "fyrules/cli/_store.py",
        "fyrules/cli/db.py",
        "fyrules/cli/notify.py",
        "fyrules/cli/serve.py",
        "fyrules/cli/token.py",
    }
    for name in naming:
        tree = ast.parse((ROOT / name).read_text(encoding="utf-8"))
        top_level = [
            node
            for node in tree.body
            if isinstance(node, ast.Import | ast.ImportFrom)
            and "fyrules_adapters" in ast.unparse(node)
        ]
        assert top_level == [], name


def test_the_command_line_runs_without_the_web_framework():
    """With fastapi and uvicorn unimportable, every other command still runs, and
    ``fyrules serve`` says how to install the extra (exit 2, one line, no traceback)."""
    program = """
import sys
sys.modules["fastapi"] = None
sys.modules["uvicorn"] = None
from fyrules.cli import main
assert main(["check", "examples/fuyang", "--format", "json"]) == 0
print("SERVE", main(["serve", "examples/fuyang", "--store", ":memory:"]))
"""
    done = subprocess.run(
        [sys.executable, "-c", program],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": f"{ROOT}{':'}{ROOT / 'adapters'}", "PATH": ""},
    )
    assert "SERVE 2" in done.stdout, done.stderr
    assert "pip install 'fyrules[web]'" in done.stderr and "Traceback" not in done.stderr
