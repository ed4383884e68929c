"""Fixtures of the scoring tests: Fuyang's rulebook and a small generated month."""

from __future__ import annotations

from pathlib import Path

import pytest

import fyrules
from fyrules.simulation.cases import generate

FUYANG = Path(__file__).resolve().parents[2] / "examples" / "fuyang"


@pytest.fixture(scope="session")
def fuyang():
    return fyrules.load(FUYANG)


@pytest.fixture(scope="session")
def october(fuyang):
    """A generated October of 600 cases (events, in time order)."""
    return list(generate(fuyang, month="2025-10", cases=600, seed=3))


@pytest.fixture(scope="session")
def september(fuyang):
    return list(generate(fuyang, month="2025-09", cases=400, seed=4))


@pytest.fixture(scope="session")
def october_file(tmp_path_factory, october):
    from fyrules.simulation.cases import write_jsonl

    path = tmp_path_factory.mktemp("scoring") / "2025-10.jsonl"
    with path.open("w", encoding="utf-8") as out:
        write_jsonl(october, out)
    return path


@pytest.fixture(scope="session")
def september_file(tmp_path_factory, september):
    from fyrules.simulation.cases import write_jsonl

    path = tmp_path_factory.mktemp("scoring") / "2025-09.jsonl"
    with path.open("w", encoding="utf-8") as out:
        write_jsonl(september, out)
    return path
