"""Fixtures of the scoring tests: two small generated months of Fuyang (the rulebook is the
suite's ``fuyang``, tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.conftest import generated_month


@pytest.fixture(scope="session")
def october():
    """A generated October of 600 cases (events, in time order)."""
    return list(generated_month(600, 3))


@pytest.fixture(scope="session")
def september():
    return list(generated_month(400, 4, month="2025-09"))


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
