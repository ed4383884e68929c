"""SpillStore (fyrules/cases/spill.py), the store ``fyrules evaluate`` replays into by default:
it keeps the storage port's contract, and a finished case leaves memory for its temporary file
yet answers late events, redeliveries and undone transactions exactly as in memory."""

from __future__ import annotations

from typing import Any

import pytest

from fyrules import MemoryStore
from fyrules.cases.spill import SpillStore
from fyrules.simulation.cases import generate
from fyrules.store_contract import STATE, StoreContract, _fuyang


class TestSpillStore(StoreContract):
    def make_store(self) -> Any:
        return SpillStore(keep_trail=True)


class Boom(Exception):
    pass


def test_a_finished_case_leaves_memory_with_its_ids_and_still_answers():
    store = SpillStore()
    store.put_case("C-1", STATE)
    store.remember_event("C-1", "e-1")
    store.close_case("C-1", {"case": "C-1", "state": {"stage": "delivered", "log": ("a", 1)}})
    assert store.stats()["event_ids"] == 0 and store.stats()["closed_cases"] == 1
    assert store.get_case("C-1") is None
    assert store.seen_event("C-1", "e-1") and not store.seen_event("C-1", "e-2")
    # a tuple comes back a tuple: the same values a MemoryStore returns
    assert store.get_closed("C-1") == {
        "case": "C-1",
        "state": {"stage": "delivered", "log": ("a", 1)},
    }
    store.remember_event("C-1", "e-2")  # a late event: its id joins the spilled ones
    store.close_case("C-1", {"case": "C-1", "rating": 5})
    assert store.seen_event("C-1", "e-1") and store.seen_event("C-1", "e-2")
    assert list(store.closed_cases()) == [("C-1", {"case": "C-1", "rating": 5})]
    store.close()


def test_a_failed_transaction_takes_back_a_spill_and_a_late_event():
    store = SpillStore()
    store.put_case("C-1", STATE)
    store.remember_event("C-1", "e-1")
    with pytest.raises(Boom), store.transaction():
        store.remember_event("C-1", "e-2")
        store.close_case("C-1", {"case": "C-1"})
        raise Boom
    assert store.get_case("C-1") == STATE and store.get_closed("C-1") is None
    assert store.seen_event("C-1", "e-1") and not store.seen_event("C-1", "e-2")
    store.close_case("C-1", {"case": "C-1"})
    with pytest.raises(Boom), store.transaction():
        store.remember_event("C-1", "e-3")
        store.close_case("C-1", {"case": "C-1", "rating": 1})
        raise Boom
    assert store.get_closed("C-1") == {"case": "C-1"}
    assert store.seen_event("C-1", "e-1") and not store.seen_event("C-1", "e-3")
    assert store.stats()["event_ids"] == 0


def test_a_month_with_late_events_and_redeliveries_reports_as_in_memory():
    """Findings, rejected events, trail head and every finished case's summary are those of
    a MemoryStore, on a month whose faults include redeliveries and late side events."""
    events = list(generate(_fuyang(), month="2025-10", cases=150, seed=9, faults=True))
    reports = []
    for store in (SpillStore(), MemoryStore(keep_trail=False)):
        monitor = _fuyang().monitor(store=store)
        monitor.feed_all(events)
        monitor.feed_all(events[: len(events) // 3])  # delivered again
        reports.append(
            (
                monitor.findings(),
                list(monitor.rejected()),
                store.trail_head(),
                list(store.closed_cases()),
            )
        )
    assert reports[0] == reports[1]
    assert reports[0][3]  # cases finished
