"""The monitor's place for checks on a case's history, its store transactions, and its memos.

``Monitor.event_checks`` run on each event the process accepts, just before it is recorded,
with the case's state before the event (its ``actors``) — where separation-of-duties checks
plug in. The MemoryStore opens one reusable transaction per event; nested uses leave the
decision to the outermost. The process book remembers resolutions of catalog items only.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest

import fyrules
from fyrules.cases.events import Event
from fyrules.cases.monitor import Monitor
from fyrules.cases.state import Accepted, Rejected
from fyrules.cases.store import MemoryStore
from fyrules.cases.trail import verify
from fyrules.engine.findings import Finding

FUYANG = Path(__file__).resolve().parents[2] / "examples" / "fuyang"
AT = dt.datetime(2025, 10, 9, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))
PATH = ["submit", "accept", "undertake", "review", "approve", "complete", "deliver"]


@pytest.fixture(scope="module")
def rb():
    return fyrules.load(FUYANG)


def _event(kind: str, n: int, actor: str) -> Event:
    return Event(
        id=f"e{n}",
        case="C-1",
        item="FY-SC-001",
        event=kind,
        at=AT + dt.timedelta(hours=n),
        actor=actor,
        dept="SC",
        window="W02",
    )


def reviewer_is_not_approver(state, event):
    """An error-level check: the approver must not be the case's reviewer."""
    if (
        state is not None
        and event.event == "approve"
        and event.actor in state["actors"].get("review", [])
    ):
        return Rejected("EVENT-SOD-TEST", "审核人不得审批", "the reviewer may not approve")
    return None


def same_hands_warning(state, event):
    """A warning-level check: the same person undertakes and reviews."""
    if (
        state is not None
        and event.event == "review"
        and event.actor in state["actors"].get("undertake", [])
    ):
        return [
            Finding(
                rule="TEST-SAME-HANDS",
                severity="warning",
                message_zh="同一人受理并审核",
                message_en="the same person undertook and reviewed",
                basis="test",
                subject=event.case,
                subject_kind="case",
                at=event.at,
            )
        ]
    return None


def test_an_error_check_rejects_the_event_and_changes_nothing(rb):
    m = Monitor(rb, event_checks=[reviewer_is_not_approver])
    for n, kind in enumerate(PATH[:4]):
        assert isinstance(m.feed(_event(kind, n, "u1")), Accepted)
    before = copy.deepcopy(dict(m.store.open_cases()))
    outcome = m.feed(_event("approve", 4, "u1"))
    assert isinstance(outcome, Rejected) and outcome.reason_code == "EVENT-SOD-TEST"
    assert dict(m.store.open_cases()) == before
    assert [r["reason"] for r in m.rejected()] == ["EVENT-SOD-TEST"]
    assert not m.store.seen_event("C-1", "e4")
    assert isinstance(m.feed(_event("approve", 5, "u2")), Accepted)  # someone else may
    assert verify(m.store.trail()).ok


def test_a_warning_check_records_its_finding_with_the_event(rb):
    m = Monitor(rb, event_checks=[same_hands_warning, reviewer_is_not_approver])
    for n, kind in enumerate(PATH):
        assert isinstance(m.feed(_event(kind, n, "u1" if kind != "approve" else "u2")), Accepted)
    rules = [f["rule"] for f in m.findings()]
    assert rules.count("TEST-SAME-HANDS") == 1


def test_checks_see_the_state_before_the_event(rb):
    seen = []
    m = Monitor(rb, event_checks=[lambda state, event: seen.append((state, event.event))])
    m.feed(_event("submit", 0, "u1"))
    m.feed(_event("accept", 1, "u2"))
    assert seen[0] == (None, "submit")
    assert seen[1][0]["stage"] == "submit" and seen[1][0]["actors"] == {"submit": ["u1"]}


def test_a_failure_inside_nested_transactions_undoes_them_all():
    store = MemoryStore()
    with store.transaction():
        store.put_case("A", {"n": 1})
    with pytest.raises(RuntimeError), store.transaction():
        store.put_case("A", {"n": 2})
        with store.transaction():
            store.remember_event("A", "e1")
        raise RuntimeError
    assert store.get_case("A") == {"n": 1} and not store.seen_event("A", "e1")
    with store.transaction():  # the store is usable again
        store.put_case("B", {"n": 3})
    assert store.get_case("B") == {"n": 3}


def test_the_process_book_remembers_catalog_items_only(rb):
    book = rb.part("cases")
    day = dt.date(2025, 10, 9)
    assert book.resolve("NO-SUCH-ITEM", None, day) is None
    assert all(key[0] != "NO-SUCH-ITEM" for key in book._resolved)
    kind = rb.items.kind(rb.items.items["FY-SC-001"])
    first = book.resolve("FY-SC-001", kind, day)
    assert first is not None and book.resolve("FY-SC-001", kind, day) is first
