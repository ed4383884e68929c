"""The case state machine: each process kind end to end, and each reason to reject an event."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest

import fyrules
from fyrules.cases.events import Event
from fyrules.cases.process import ProcessBook
from fyrules.cases.state import (
    REJECTION_CODES,
    Accepted,
    Rejected,
    apply,
    expected_events,
    is_duplicate,
)
from fyrules.cases.store import MemoryStore
from fyrules.engine.codes import CODES
from tests.helpers import write_rulebook

T0 = dt.datetime(2025, 10, 9, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
DATA = {
    "pause": {"reason": "expert_review"},
    "extend": {"days": 5, "approved_by": "head-SC"},
    "rate": {"score": 5},
}
STATE_KEYS = {
    "case", "item", "process", "stage", "window", "dept", "opened_at", "submitted_at",
    "accepted_at", "last_at", "events", "paused", "paused_at", "pause_reason",
    "extended_days", "closed", "closed_by", "closed_at", "actors",
}  # fmt: skip


@pytest.fixture(scope="module")
def book(fuyang) -> ProcessBook:
    return fuyang.part("cases")


@pytest.fixture(scope="module")
def items(fuyang) -> dict[str, str]:
    """One Fuyang item of each case kind."""
    out: dict[str, str] = {}
    for code in fuyang.items:
        out.setdefault(fuyang.items.kind(fuyang.items[code]), code)
    return out


def event(kind: str, minutes: int = 0, *, item: str, case: str = "C-1", **extra) -> Event:
    fields = {
        "case": case,
        "item": item,
        "event": kind,
        "at": T0 + dt.timedelta(minutes=minutes),
        "actor": "u1",
        "window": "W01",
        "data": DATA.get(kind, {}),
    }
    fields.update(extra)
    return Event(**fields)


def feed(book: ProcessBook, events, state=None):
    """Apply events in turn; the final state, or the first rejection."""
    for e in events:
        result = apply(
            state, e, process=book.for_event(state, e), item_known=book.knows_item(e.item)
        )
        if isinstance(result, Rejected):
            return result
        state = result.state
    return state


def path(book, item: str, kinds: list[str], state=None, start: int = 0, **extra):
    return feed(
        book, [event(k, start + 10 * i, item=item, **extra) for i, k in enumerate(kinds)], state
    )


def rejection(book, item: str, kinds: list[str], last: Event | str) -> Rejected:
    state = path(book, item, kinds)
    assert isinstance(state, dict), state
    if isinstance(last, str):
        last = event(last, 10 * len(kinds), item=item)
    result = apply(
        state, last, process=book.for_event(state, last), item_known=book.knows_item(last.item)
    )
    assert isinstance(result, Rejected), result
    return result


# --- each process kind ---------------------------------------------------------------------

FULL = ["submit", "accept", "undertake", "review", "approve", "complete", "deliver"]


def test_a_commitment_case_goes_through_every_stage_and_closes(book, items):
    state = path(book, items["commitment"], FULL)
    assert state["stage"] == "deliver" and state["closed"] and state["closed_by"] == "complete"
    # an approved case keeps its first approval, for supervision after approval
    assert state["events"] == 7 and set(state) == STATE_KEYS | {"approved_at"}
    assert state["process"]["id"] == "NAT-PROCESS-COMMITMENT"
    assert state["process"]["version"] == "2019-04-23"
    assert state["accepted_at"] == (T0 + dt.timedelta(minutes=10)).isoformat()
    assert json.loads(json.dumps(state)) == state


def test_a_commitment_case_may_be_corrected_again_and_again_before_acceptance(book, items):
    kinds = ["submit", "correction_requested", "corrected", "correction_requested", "corrected"]
    state = path(book, items["commitment"], [*kinds, *FULL[1:]])
    assert state["stage"] == "deliver"


def test_a_commitment_case_may_be_refused_at_the_window_or_denied_after_review(book, items):
    refused = path(book, items["commitment"], ["submit", "correction_requested", "reject"])
    assert refused["closed_by"] == "reject" and refused["accepted_at"] is None
    denied = path(book, items["commitment"], [*FULL[:4], "deny", "complete", "deliver"])
    assert denied["stage"] == "deliver" and "deny" in denied["actors"]


def test_an_immediate_case_is_accepted_approved_and_completed_in_minutes(book, items):
    state = path(book, items["immediate"], ["accept", "approve", "complete", "deliver"])
    assert state["closed"] and state["submitted_at"] is None
    longer = path(
        book, items["immediate"], ["submit", "accept", "undertake", "review", "approve", "complete"]
    )
    assert longer["closed"]


def test_a_joint_case_is_undertaken_and_reviewed_by_several_departments(book, items):
    kinds = [
        "submit",
        "accept",
        "undertake",
        "review",
        "undertake",
        "review",
        "review",
        "approve",
        "complete",
    ]
    state = feed(
        book,
        [event(k, 10 * i, item=items["joint"], actor=f"u{i}") for i, k in enumerate(kinds)],
    )
    assert state["closed"] and state["actors"]["review"] == ["u3", "u5", "u6"]


def test_a_report_up_case_reports_and_gets_the_reply_with_the_usual_events(book, items):
    state = path(book, items["report_up"], FULL)
    assert state["process"]["id"] == "NAT-PROCESS-REPORT-UP" and state["stage"] == "deliver"


def test_actors_are_kept_by_event_kind_for_separation_of_duties(book, items):
    actors = {"submit": "a", "accept": "w", "undertake": "r", "review": "r", "approve": "p"}
    state = feed(
        book,
        [event(k, i, item=items["commitment"], actor=a) for i, (k, a) in enumerate(actors.items())],
    )
    assert state["actors"] == {k: [a] for k, a in actors.items()}


def test_pauses_and_extensions_are_recorded(book, items):
    state = path(book, items["commitment"], ["accept", "undertake", "pause"])
    assert state["paused"] and state["pause_reason"] == "expert_review"
    state = path(book, items["commitment"], ["resume", "extend", "review"], state, start=100)
    assert not state["paused"] and state["extended_days"] == 5 and state["stage"] == "review"


def test_a_withdrawal_closes_the_case_and_ends_its_pause(book, items):
    state = path(book, items["commitment"], ["accept", "undertake", "pause", "withdraw"])
    assert (
        state["closed_by"] == "withdraw" and not state["paused"] and state["stage"] == "undertake"
    )


def test_a_closed_case_still_takes_complaints_ratings_inspections_and_rectifications(book, items):
    state = path(book, items["commitment"], [*FULL, "rate", "inspect", "rectify"])
    state = path(book, items["commitment"], ["complaint"], state, start=500, actor=None)
    assert state["events"] == 11 and state["stage"] == "deliver"


def test_a_refused_applicant_may_still_complain_and_rate(book, items):
    state = path(book, items["commitment"], ["submit", "reject", "complaint", "rate"])
    assert state["events"] == 4


def test_apply_never_changes_its_input(book, items):
    state = path(book, items["commitment"], FULL[:4])
    before = copy.deepcopy(state)
    for kind in ["approve", "deliver", "pause", "review"]:
        e = event(kind, 100, item=items["commitment"])
        apply(state, e, process=book.for_event(state, e), item_known=True)
    assert state == before


def test_expected_events_name_the_next_stages_first(book, items):
    state = path(book, items["commitment"], FULL[:4])
    process = book.bound(state["process"])
    expected = expected_events(state, process)
    assert expected[:2] == ("approve", "deny") and "pause" in expected
    assert expected_events(None, process) == ("submit", "accept")


# --- each reason to reject an event ------------------------------------------------------


def test_approve_before_review_is_out_of_order_and_names_review(book, items):
    r = rejection(book, items["commitment"], ["submit", "accept", "undertake"], "approve")
    assert r.reason_code == "EVENT-OUT-OF-ORDER"
    assert "may only follow review" in r.message_en and "expected next: review" in r.message_en
    assert "review" in r.message_zh and r.expected[0] == "review"


def test_a_side_event_outside_its_window_is_out_of_order(book, items):
    r = rejection(book, items["commitment"], ["submit"], "extend")
    assert r.reason_code == "EVENT-OUT-OF-ORDER" and "from accept on" in r.message_en


def test_anything_but_side_events_after_completion_is_after_close(book, items):
    r = rejection(book, items["commitment"], FULL, "review")
    assert r.reason_code == "EVENT-AFTER-CLOSE"
    assert "review" not in r.expected and "complaint" in r.expected
    again = rejection(book, items["commitment"], FULL, "deliver")
    assert again.reason_code == "EVENT-AFTER-CLOSE"
    paused = rejection(book, items["commitment"], FULL[:6], "pause")
    assert paused.reason_code == "EVENT-AFTER-CLOSE" and paused.expected[0] == "deliver"


def test_an_event_for_a_case_never_seen_must_open_it(book, items):
    e = event("review", item=items["commitment"])
    r = apply(None, e, process=book.for_event(None, e), item_known=True)
    assert r.reason_code == "EVENT-UNKNOWN-CASE" and r.expected == ("submit", "accept")


def test_an_event_for_an_item_not_in_the_catalog_is_rejected(book):
    e = event("submit", item="NO-SUCH-ITEM")
    r = apply(None, e, process=book.for_event(None, e), item_known=book.knows_item(e.item))
    assert r.reason_code == "EVENT-UNKNOWN-ITEM" and "NO-SUCH-ITEM" in r.message_en


def test_an_event_earlier_than_the_cases_last_is_time_backwards(book, items):
    r = rejection(
        book,
        items["commitment"],
        ["submit", "accept"],
        event("undertake", -60, item=items["commitment"]),
    )
    assert r.reason_code == "EVENT-TIME-BACKWARDS"


def test_an_event_at_the_same_moment_as_the_last_is_not_backwards(book, items):
    state = path(book, items["commitment"], ["submit", "accept"])
    e = event("undertake", 10, item=items["commitment"])
    assert isinstance(apply(state, e, process=book.for_event(state, e), item_known=True), Accepted)


def test_an_event_without_an_actor_is_rejected_unless_the_process_allows_it(book, items):
    r = rejection(
        book,
        items["commitment"],
        ["submit"],
        event("accept", 20, item=items["commitment"], actor=None),
    )
    assert r.reason_code == "EVENT-NO-ACTOR" and "complaint, rate" in r.message_en
    blank = rejection(
        book,
        items["commitment"],
        ["submit"],
        event("accept", 20, item=items["commitment"], actor="  "),
    )
    assert blank.reason_code == "EVENT-NO-ACTOR"
    e = event("submit", item=items["commitment"], actor=None)
    assert (
        apply(None, e, process=book.for_event(None, e), item_known=True).reason_code
        == "EVENT-NO-ACTOR"
    )


def test_an_event_naming_another_item_than_its_case_is_a_mismatch(book, items):
    r = rejection(
        book, items["commitment"], ["submit"], event("accept", 20, item=items["immediate"])
    )
    assert r.reason_code == "EVENT-ITEM-MISMATCH" and items["commitment"] in r.message_en


def test_a_state_of_another_case_is_a_mismatch(book, items):
    state = path(book, items["commitment"], ["submit"])
    e = event("accept", 20, item=items["commitment"], case="C-2")
    r = apply(state, e, process=book.for_event(state, e), item_known=True)
    assert r.reason_code == "EVENT-CASE-MISMATCH"


def test_a_resume_without_a_pause_is_rejected(book, items):
    r = rejection(book, items["commitment"], ["accept", "undertake"], "resume")
    assert r.reason_code == "EVENT-NO-PAUSE" and "resume" not in r.expected


def test_pauses_do_not_nest(book, items):
    r = rejection(book, items["commitment"], ["accept", "undertake", "pause"], "pause")
    assert r.reason_code == "EVENT-ALREADY-PAUSED" and r.expected == ("resume",)


def test_a_stage_event_waits_for_the_end_of_a_pause(book, items):
    r = rejection(book, items["commitment"], ["accept", "undertake", "pause"], "review")
    assert r.reason_code == "EVENT-PAUSED" and "resume" in r.expected
    assert "review" not in r.expected


def test_an_event_before_any_process_is_in_force_has_no_process(book, items):
    e = event("submit", item=items["commitment"], at=dt.datetime(2018, 1, 2, 9, tzinfo=T0.tzinfo))
    r = apply(None, e, process=book.for_event(None, e), item_known=True)
    assert r.reason_code == "EVENT-NO-PROCESS" and "2018-01-02" in r.message_en


# --- processes of a small rulebook: versions, binding, events a process lacks --------------

CATALOG = """\
departments: [{id: SC, name: 市场监管局}]
item_types: [{id: commitment, kind: commitment, name: 承诺件}]
items: [{code: C-1, name: 承诺事项, department: SC, type: commitment}]
"""
V1 = """\
  - id: P
    title: 流程
    basis: 测试依据
    applies_to: {kinds: [commitment]}
    valid_from: 2025-01-01
    valid_to: 2025-06-30
    starts: [submit, accept]
    stages: [submit, accept, review, approve, complete]
"""
V2 = """\
  - id: P
    title: 流程
    basis: 测试依据
    applies_to: {kinds: [commitment]}
    valid_from: 2025-07-01
    starts: [submit, accept]
    stages: [submit, accept, approve, complete]
"""


def small_book(root: Path, *versions: str) -> ProcessBook:
    files = {"catalog.yaml": CATALOG, "p.yaml": "processes:\n" + "".join(versions)}
    return fyrules.load(write_rulebook(root, files)).part("cases")


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{hour:02d}:00:00+08:00")


def test_a_case_binds_the_version_in_force_on_its_acceptance_date(tmp_path):
    book = small_book(tmp_path, V1, V2)
    state = feed(book, [event("submit", item="C-1", at=at("2025-06-30"))])
    assert state["process"]["version"] == "2025-01-01"
    state = feed(book, [event("accept", item="C-1", at=at("2025-07-01"))], state)
    assert state["process"]["version"] == "2025-07-01"


def test_a_bound_process_is_kept_when_a_newer_version_comes_into_force(tmp_path):
    book = small_book(tmp_path, V1, V2)
    state = feed(book, [event("accept", item="C-1", at=at("2025-06-30"))])
    r = feed(book, [event("approve", item="C-1", at=at("2025-07-02"))], state)
    assert r.reason_code == "EVENT-OUT-OF-ORDER"  # version 2 would allow it, version 1 does not
    state = feed(book, [event("review", item="C-1", at=at("2025-07-02"))], state)
    assert state["process"]["version"] == "2025-01-01" and state["stage"] == "review"


def test_a_version_edited_in_place_rejects_the_events_of_cases_bound_to_it(tmp_path):
    state = feed(
        small_book(tmp_path / "a", V1, V2), [event("accept", item="C-1", at=at("2025-06-02"))]
    )
    edited = small_book(tmp_path / "b", V1.replace("review, approve", "approve"), V2)
    e = event("review", item="C-1", at=at("2025-06-03"))
    r = apply(state, e, process=edited.for_event(state, e), item_known=True)
    assert r.reason_code == "EVENT-PROCESS-CHANGED" and "valid_from" in r.message_en
    removed = small_book(tmp_path / "c", V2)
    r = apply(state, e, process=removed.for_event(state, e), item_known=True)
    assert r.reason_code == "EVENT-PROCESS-CHANGED"


def test_acceptance_with_no_process_in_force_on_its_date_is_rejected(tmp_path):
    book = small_book(tmp_path, V1)
    state = feed(book, [event("submit", item="C-1", at=at("2025-06-30"))])
    r = feed(book, [event("accept", item="C-1", at=at("2025-07-01"))], state)
    assert r.reason_code == "EVENT-NO-PROCESS"


def test_an_event_the_process_does_not_have_is_not_in_the_process(tmp_path):
    book = small_book(tmp_path, V1)
    state = feed(book, [event("accept", item="C-1", at=at("2025-06-02"))])
    r = feed(book, [event("undertake", item="C-1", at=at("2025-06-03"))], state)
    assert r.reason_code == "EVENT-NOT-IN-PROCESS" and "expected next: review" in r.message_en


def test_without_anonymous_events_every_event_needs_an_actor(tmp_path):
    book = small_book(tmp_path, V1)
    r = feed(book, [event("submit", item="C-1", at=at("2025-06-02"), actor=None)])
    assert r.reason_code == "EVENT-NO-ACTOR" and "none may leave it out" in r.message_en


# --- what callers use ------------------------------------------------------------------


def test_a_rejection_has_a_record_for_the_store(book, items):
    r = rejection(book, items["commitment"], ["submit", "accept"], "approve")
    record = r.record(event("approve", 20, item=items["commitment"], id="e-9"))
    assert record["reason"] == "EVENT-OUT-OF-ORDER" and record["event"]["id"] == "e-9"
    assert json.loads(json.dumps(record)) == record and not r.ok
    assert r.message().startswith(r.message_zh)


def test_duplicates_are_found_through_the_store(items):
    store = MemoryStore()
    e = event("submit", item=items["commitment"], id="e-1")
    assert not is_duplicate(store, e)
    store.remember_event(e.case, "e-1")
    assert is_duplicate(store, e)
    assert not is_duplicate(store, event("submit", item=items["commitment"]))


def test_every_rejection_code_is_in_the_code_catalog():
    assert set(REJECTION_CODES) <= set(CODES)
