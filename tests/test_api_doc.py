"""docs/api.md is the reference of the public API, generated from the docstrings by
docs/gen_api.py: the committed file must be what the generator writes today."""

from __future__ import annotations

import importlib
import runpy
from pathlib import Path

import fyrules

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = runpy.run_path(str(ROOT / "docs" / "gen_api.py"), run_name="gen_api")


def test_the_committed_api_reference_is_up_to_date():
    committed = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    assert committed == GENERATOR["render"](), "docs/api.md is stale: run python docs/gen_api.py"
    assert GENERATOR["main"](["--check"]) == 0


def _documented_objects() -> dict[str, object]:
    objects = {n: getattr(fyrules, n) for n in fyrules.__all__ if not n.startswith("_")}
    for name, (module, _) in GENERATOR["RETURNED"].items():
        objects.setdefault(name, getattr(importlib.import_module(module), name))
    return objects


def test_every_name_and_member_of_the_reference_has_a_docstring():
    """A reference entry without a text is a gap: every exported name, every class handed
    out by the API, and each of their public methods and properties says what it does."""
    missing = []
    for name, obj in _documented_objects().items():
        if not GENERATOR["doc"](obj):
            missing.append(name)
        if isinstance(obj, type):
            port = GENERATOR["_port_methods"](obj)
            members = GENERATOR["members"](obj, port)
            missing += [f"{name}.{title}" for _, title, text in members if not text]
    assert missing == []
