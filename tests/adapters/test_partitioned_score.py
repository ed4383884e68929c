"""``fyrules score --store X``: a month replayed by 4 writers, each owning the cases of its
partition, scores exactly as one replay of the whole month (each partition's month folded on its
own, the raw totals merged: fyrules.scoring.api.score_partitions), on PostgreSQL through the
command line and on four SQLite files through the library."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fyrules.cases.events import read_events
from fyrules.cases.partition import events_of
from fyrules.cli import main
from fyrules.scoring.api import score, score_partitions
from fyrules.scoring.records import case_records, replay
from fyrules.simulation.cases import generate, write_jsonl
from fyrules.store_contract import FUYANG, _fuyang
from fyrules_adapters.sqlite import SqliteStore

MONTH = "2025-10"


@pytest.fixture(scope="module")
def month(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("month") / "events.jsonl"
    with path.open("w", encoding="utf-8") as out:
        write_jsonl(generate(_fuyang(), month=MONTH, cases=160, seed=23, faults=True), out)
    return path


def _score(capsys: Any, *arguments: str) -> dict[str, Any]:
    assert main(["score", str(FUYANG), *arguments, "--month", MONTH, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def _month_part(doc: dict[str, Any]) -> dict[str, Any]:
    """What a ranking says of the month: every row (scores, ranks, statistics) and the center."""
    return {"scheme": doc["scheme"], "rows": doc["rows"], "center": doc["center"]}


@pytest.mark.optional
def test_four_postgresql_partitions_score_as_one_replay(pg_url, month, capsys):
    one = _score(capsys, str(month))
    for k in range(4):
        assert main(
            ["evaluate", str(FUYANG), str(month), "--store", pg_url, "--partition", f"{k}/4"]
        ) in (0, 1)
    capsys.readouterr()
    merged = _score(capsys, "--store", pg_url)
    assert _month_part(merged) == _month_part(one)
    assert sum(row["stats"]["accepted"] for row in one["rows"]) > 100  # a real month
    # the same events given again are routed to their partitions: duplicates, nothing changes
    again = _score(capsys, str(month), "--store", pg_url)
    assert _month_part(again) == _month_part(one)
    # every event delivered again: a rejected one with an id is a duplicate now, not refused again
    assert again["events"] == one["events"] and again["rejected"] <= one["rejected"]


@pytest.mark.optional
def test_a_partitioned_store_scored_while_empty_and_filled_by_routing(pg_url, month, capsys):
    """Events given with a store already set to 4 partitions go each to its partition."""
    from fyrules_adapters.postgresql import PostgresStore

    PostgresStore(pg_url, partition=0, partitions=4).close()  # fixes the number of partitions
    one = _score(capsys, str(month))
    routed = _score(capsys, str(month), "--store", pg_url)
    assert _month_part(routed) == _month_part(one)
    with PostgresStore(pg_url, partition=3, partitions=4) as store:
        assert store.stats()["closed_cases"] + store.stats()["open_cases"] > 0


def test_four_sqlite_partitions_merge_into_the_month_of_one_replay(tmp_path, month):
    rulebook = _fuyang()
    whole = score(rulebook, month, month=MONTH)
    parts = []
    for k in range(4):
        with SqliteStore(tmp_path / f"part-{k}.db") as store:
            monitor, _ = replay(rulebook, events_of(read_events(month), k, 4), store)
            parts.append(case_records(monitor))
    assert all(parts)  # every partition holds cases
    merged = score_partitions(rulebook, parts, month=MONTH)
    assert [r.to_dict() for r in merged.rows] == [r.to_dict() for r in whole.rows]
    assert merged.center == whole.center


def test_a_sqlite_store_alone_scores_what_it_holds(tmp_path, month, capsys):
    store = str(tmp_path / "cases.db")
    one = _score(capsys, str(month))
    replayed = _score(capsys, str(month), "--store", store)
    held = _score(capsys, "--store", store)
    assert _month_part(replayed) == _month_part(held) == _month_part(one)


def test_score_without_events_or_store_says_what_to_give(capsys):
    assert main(["score", str(FUYANG), "--month", MONTH]) == 2
    err = capsys.readouterr().err
    assert "请给出事件文件" in err and "give an events file, or --store alone" in err
