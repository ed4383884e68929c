"""``fyrules diff OLD NEW --store X --month M``: the events a store's monitor decided, replayed
under both rulebooks exactly as they were delivered (the delivery log,
fyrules/cases/deliveries.py): the impact equals that of the events file itself (duplicates
aside: a duplicate changes nothing, so it is not logged), on a SQLite file and on a PostgreSQL
database written by 4 writers; numbers keep their JSON type (a rating of 3.5 stays a number,
the text "4.5" stays text), where the trail would have given text."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from fyrules.cases.deliveries import replay_stream
from fyrules.cases.events import Event
from fyrules.cli import main
from fyrules.simulation.cases import generate
from fyrules.store_contract import FUYANG, _fuyang
from fyrules_adapters.sqlite import SqliteStore
from tests.diff.conftest import planted

MONTH = "2025-10"
# NEW counts a rating of 3.5 as satisfied, OLD (4) does not: fractional ratings move the ranking
SATISFIED = {
    "scoring.yaml": ("satisfied_rating:\n      value: 4", "satisfied_rating:\n      value: 3.5")
}


@pytest.fixture(scope="module")
def events(tmp_path_factory) -> Path:
    """A month with fractional ratings, a float and a numeric-looking text in data, a line that
    is no JSON, and the generator's faults (duplicates, refused events)."""
    lines = []
    rates = 0
    for event in generate(_fuyang(), month=MONTH, cases=240, seed=7, faults=True):
        raw = json.loads(event.model_dump_json())
        if raw["event"] == "rate":
            rates += 1
            if rates % 2:
                raw["data"]["score"] = 3.5
        elif raw["event"] == "undertake" and rates % 5 == 1:
            raw["data"] = {**raw["data"], "amount": 1e20, "amount_text": "4.5", "ratio": 0.1}
        lines.append(json.dumps(raw, ensure_ascii=False))
    lines.insert(len(lines) // 2, "this line is no JSON")
    path = tmp_path_factory.mktemp("month") / "events.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def new(tmp_path_factory) -> Path:
    return planted(tmp_path_factory.mktemp("new"), SATISFIED)


def _diff(capsys: Any, new: Path, *source: str) -> dict[str, Any]:
    argv = ["diff", str(FUYANG), str(new), *source, "--month", MONTH, "--format", "json"]
    assert main(argv) in (0, 1)
    return json.loads(capsys.readouterr().out)["impact"]


def _compared(impact: dict[str, Any]) -> dict[str, Any]:
    """The impact but where the events came from, the duplicates (not logged) and the place of
    each refused event in its stream; refused events in case order (partitions interleave)."""
    out = {k: v for k, v in impact.items() if k != "events"}
    for side in ("old", "new"):
        counts = {
            k: v for k, v in impact[side]["counts"].items() if k not in ("duplicates", "events")
        }
        out[side] = {**impact[side], "counts": counts}
    out["refused"] = sorted(
        ({k: v for k, v in r.items() if k != "seq"} for r in impact["refused"]),
        key=lambda r: (r["case"], str(r["id"]), r["at"]),
    )
    return out


def _replayed_into(capsys: Any, events: Path, store: str, *more: str) -> None:
    assert main(["evaluate", str(FUYANG), str(events), "--store", store, *more]) in (0, 1)
    capsys.readouterr()


def test_a_sqlite_store_replays_what_was_delivered(tmp_path, events, new, capsys):
    store = str(tmp_path / "cases.db")
    _replayed_into(capsys, events, store)
    from_file = _diff(capsys, new, "--events", str(events))
    from_store = _diff(capsys, new, "--store", store)
    assert from_store["events"] == store
    assert _compared(from_store) == _compared(from_file)
    # the fractional ratings matter: a test that would pass with them lost proves nothing
    assert any(r["score_change"] for r in from_file["ranking"])
    assert from_file["unreadable_lines"] == from_store["unreadable_lines"] == 1
    assert from_file["old"]["counts"]["duplicates"] > 0


def test_numbers_and_texts_come_back_with_their_json_types(tmp_path, events, capsys):
    store = str(tmp_path / "cases.db")
    _replayed_into(capsys, events, store)
    with SqliteStore(store) as held:
        stream = list(replay_stream(held.deliveries()))
        trail = [e["record"] for e in held.trail() if e.get("kind") == "event"]
    replayed = [e for e in stream if isinstance(e, Event)]
    scores = [e.data["score"] for e in replayed if e.event == "rate"]
    assert 3.5 in scores and all(type(s) in (int, float) for s in scores)
    assert any(type(s) is int for s in scores)  # whole ratings stay whole numbers
    [*amounts] = [e.data for e in replayed if "amount" in e.data]
    assert amounts and all(
        type(d["amount"]) is float
        and d["amount"] == 1e20
        and d["amount_text"] == "4.5"
        and d["ratio"] == 0.1
        for d in amounts
    )
    # what the trail holds instead: canonical JSON keeps no floats
    assert "3.5" in [e["data"].get("score") for e in trail if e["event"] == "rate"]


def test_a_store_older_than_its_delivery_log_is_refused(tmp_path, events, new, capsys):
    store = tmp_path / "cases.db"
    _replayed_into(capsys, events, str(store))
    with sqlite3.connect(store) as db:  # as a file written before fyrules kept the log
        db.execute("DELETE FROM deliveries WHERE position > 10")
    code = main(["diff", str(FUYANG), str(new), "--store", str(store), "--month", MONTH])
    assert code == 2
    err = capsys.readouterr().err
    assert "投递记录只有 10 个" in err and "give the events file with --events instead" in err


def test_events_and_store_together_are_refused(tmp_path, events, capsys):
    argv = ["diff", str(FUYANG), str(FUYANG), "--events", str(events), "--store", "x.db"]
    assert main([*argv, "--month", MONTH]) == 2
    assert "give --events or --store, not both" in capsys.readouterr().err


def test_a_store_that_does_not_exist_is_refused_and_not_created(tmp_path, capsys):
    missing = tmp_path / "nowhere.db"
    argv = ["diff", str(FUYANG), str(FUYANG), "--store", str(missing), "--month", MONTH]
    assert main(argv) == 2
    assert "the store does not exist" in capsys.readouterr().err
    assert not missing.exists()


@pytest.mark.optional
def test_a_postgresql_store_of_four_writers_replays_what_was_delivered(pg_url, events, new, capsys):
    for k in range(4):
        _replayed_into(capsys, events, pg_url, "--partition", f"{k}/4")
    from_file = _diff(capsys, new, "--events", str(events))
    from_store = _diff(capsys, new, "--store", pg_url)
    assert _compared(from_store) == _compared(from_file)
    assert any(r["score_change"] for r in from_store["ranking"])


def test_deadline_reads_a_case_with_a_fractional_rating_back_from_the_store(
    tmp_path, events, capsys
):
    """The events a store holds are read back from its delivery log: a rating of 3.5 stays a
    number (read from the trail it would be the text "3.5", which no rate event may carry)."""
    lines = events.read_text(encoding="utf-8").splitlines()
    rated = [json.loads(line) for line in lines if line.startswith("{")]
    case = next(e["case"] for e in rated if e.get("data", {}).get("score") == 3.5)
    store = str(tmp_path / "cases.db")
    _replayed_into(capsys, events, store)
    argv = ["deadline", str(FUYANG), "--case", case, "--store", store, "--format", "json"]
    assert main(argv) == 0, capsys.readouterr().err
    assert json.loads(capsys.readouterr().out)["case"] == case
