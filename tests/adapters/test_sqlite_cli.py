"""``fyrules evaluate RULEBOOK EVENTS --store PATH``: a month replayed into a SQLite file,
continued by a second run; a path that cannot be a store exits 2 with one line, no traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fyrules.cases.trail import export_trail
from fyrules.cli import main
from fyrules.simulation.cases import generate, write_jsonl
from fyrules.store_contract import FUYANG, _fuyang
from fyrules_adapters.sqlite import SqliteStore


@pytest.fixture(scope="module")
def month(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("month") / "events.jsonl"
    with path.open("w", encoding="utf-8") as out:
        write_jsonl(generate(_fuyang(), month="2025-10", cases=60, seed=5, faults=True), out)
    return path


def _evaluate(capsys, *arguments: str) -> tuple[int, dict]:
    code = main(["evaluate", str(FUYANG), *arguments, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def test_a_month_replayed_into_a_file_reports_what_memory_reports_and_stays(
    month, tmp_path, capsys
):
    db = tmp_path / "cases.db"
    _, in_memory = _evaluate(capsys, str(month))
    code, stored = _evaluate(capsys, str(month), "--store", str(db))
    assert stored == in_memory and code in (0, 1)
    with SqliteStore(db) as store:
        assert store.trail_head()["hash"] == stored["trail_head"]["hash"]
        export_trail(store.trail(), tmp_path / "trail.jsonl")
    assert main(["trail", "verify", str(tmp_path / "trail.jsonl")]) == 0
    capsys.readouterr()

    _, again = _evaluate(capsys, str(month), "--store", str(db))  # the same month once more
    summary = again["summary"]
    assert summary["accepted"] == summary["rejected"] == 0
    # every generated event has an id: one refused the first time is a duplicate now too, and
    # its rejection is stored once
    assert summary["duplicates"] == summary["events"] == stored["summary"]["events"]
    assert again["rejected"] == stored["rejected"]
    assert again["findings"] == stored["findings"]


@pytest.mark.parametrize("bad", ["no-such-folder/cases.db", ".", "events.jsonl"])
def test_a_path_that_cannot_be_a_store_exits_2_with_one_line(month, tmp_path, capsys, bad):
    target = month.parent / bad if bad == "events.jsonl" else tmp_path / bad
    before = month.read_bytes()
    assert main(["evaluate", str(FUYANG), str(month), "--store", str(target)]) == 2
    err = capsys.readouterr().err
    assert "STORE-UNAVAILABLE" in err and "Traceback" not in err and len(err.splitlines()) == 1
    assert month.read_bytes() == before


def test_score_replays_into_a_sqlite_store_and_scores_as_in_memory(month, tmp_path, capsys):
    argv = ["score", str(FUYANG), str(month), "--month", "2025-10", "--format", "json"]
    assert main(argv) == 0
    in_memory = json.loads(capsys.readouterr().out)
    assert main([*argv, "--store", f"sqlite:///{tmp_path / 'cases.db'}"]) == 0
    assert json.loads(capsys.readouterr().out) == in_memory
    with SqliteStore(tmp_path / "cases.db") as store:
        assert store.stats()["trail"] > 0
