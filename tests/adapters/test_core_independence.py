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
    """Only ``--store`` (fyrules.cli._store) and ``fyrules db`` mention an adapter, and
    only inside functions, so importing any core module never loads one."""
    naming = sorted(
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "fyrules").rglob("*.py")
        if "fyrules_adapters" in path.read_text(encoding="utf-8")
    )
    assert naming == ["fyrules/cli/_store.py", "fyrules/cli/db.py"]
    for name in naming:
        tree = ast.parse((ROOT / name).read_text(encoding="utf-8"))
        for node in tree.body:  # the module's top level: no adapter import there
            if isinstance(node, ast.Import | ast.ImportFrom):
                module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
                assert not (module or "").startswith("fyrules_adapters"), name
