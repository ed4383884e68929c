"""Rulebooks for the diff tests: Fuyang as it is, and copies of it with one change planted."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import FUYANG, generated_month


def planted(tmp: Path, edits: dict[str, tuple[str, str]]) -> Path:
    """A copy of Fuyang in ``tmp`` with each file's first ``old`` text replaced by ``new``
    (a file that does not exist yet is written with ``new``)."""
    folder = tmp / "fuyang"
    shutil.copytree(FUYANG, folder)
    for name, (old, new) in edits.items():
        path = folder / name
        if not old:
            path.write_text(new, encoding="utf-8")
            continue
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{name} has no {old!r} to change"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def month_events(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated October 2025 of Fuyang (1,200 cases, refused events mixed in)."""
    from fyrules.simulation.cases import write_jsonl

    path = tmp_path_factory.mktemp("events") / "2025-10.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        write_jsonl(generated_month(1200, 5, faults=True), out)
    return path


Planter = Callable[[dict[str, tuple[str, str]]], Path]


@pytest.fixture
def plant(tmp_path: Path) -> Planter:
    return lambda edits: planted(tmp_path, edits)
