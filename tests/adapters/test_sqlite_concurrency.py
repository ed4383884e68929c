"""Eight processes on one SQLite file, two of them delivering each case's events (issue 14's
scenario): each event is accepted once, the trail is one chain holding each entry once,
rejections are stored once, and cases, findings and rejections are those of one process's
replay, with a commit per event and in batches."""

from __future__ import annotations

import functools

import pytest

from fyrules.simulation.cases import generate
from fyrules.store_contract import _fuyang
from fyrules_adapters.sqlite import SqliteStore
from tests.adapters.concurrency import assert_like_one_replay, deliveries, run_writers


@functools.cache
def _events() -> tuple:
    return tuple(generate(_fuyang(), month="2025-10", cases=240, seed=11, faults=True))


@pytest.mark.parametrize("batch", [0, 25], ids=["commit-per-event", "batch-of-25"])
def test_eight_writers_delivering_each_case_twice_agree_with_one_replay(tmp_path, batch):
    path = tmp_path / "cases.db"
    SqliteStore(path).close()  # the schema, before eight processes race to create it
    events = _events()
    lists = deliveries(events, writers=8, copies=2)
    summaries = run_writers(functools.partial(SqliteStore, path, timeout=120), lists, batch=batch)
    assert sum(s["duplicates"] for s in summaries) >= len(events)  # every event came twice
    with SqliteStore(path) as store:
        assert_like_one_replay(store, events, summaries)
