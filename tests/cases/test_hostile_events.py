"""Hostile events (issue 21): a bad event is a rejected event, never an aborted replay.

Every failure the issue lists for events has its regression test here: whole numbers beyond
2**53 and lone surrogates in ``data`` or in a field, a numeric ``at``, an offset of +23:59, a
byte order mark on line 1, an id reused with other content."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fyrules.cases.events import EventError, parse_event, read_events
from fyrules.cases.monitor import Duplicate, Monitor
from fyrules.cases.state import Accepted, Rejected
from fyrules.cases.trail import verify
from tests.conftest import FUYANG

# who acts at each step, from Fuyang's roster (the acceptor of FY-SC-001 otherwise)
ACTORS = {"undertake": "P-SC-14", "review": "P-SC-13", "approve": "P-SC-01"}


def ev(case="C1", kind="submit", at="2025-10-09T09:30:00+08:00", **kw):
    return {
        "case": case,
        "item": "FY-SC-001",
        "event": kind,
        "at": at,
        "actor": ACTORS.get(kind, "P-SC-03"),
        "dept": "SC",
        "window": "W02",
        **kw,
    }


def assert_trail_verifies(monitor: Monitor) -> None:
    result = verify(monitor.store.trail())
    assert result.ok, result


@pytest.mark.parametrize(
    ("event", "where"),
    [
        (ev(data={"x": 2**53}), "data.x"),
        (ev(data={"x": -(2**60)}), "data.x"),
        (ev(data={"x": ["ok", "\ud800"]}), "data.x[1]"),
        (ev(data={"\udfff": 1}), "data"),
        (ev(case="C\ud800"), "case"),
        (ev(actor="\udc00u1"), "actor"),
        (ev(data={"x": float("nan")}), "nan"),
    ],
)
def test_a_value_the_trail_cannot_record_is_rejected_as_event_value(rb, event, where):
    m = Monitor(rb)
    outcome = m.feed(event)
    assert isinstance(outcome, Rejected) and outcome.reason_code == "EVENT-VALUE"
    assert where in outcome.message_en
    (record,) = m.rejected()
    assert record["reason"] == "EVENT-VALUE" and record["event"]["item"] == "FY-SC-001"
    # the next event goes through: the bad one stopped nothing
    assert isinstance(m.feed(ev(case="C2", kind="accept")), Accepted)
    assert_trail_verifies(m)


def test_a_rejected_raw_event_with_unrecordable_values_is_kept_as_text(rb):
    """An event that is malformed anyway (unknown key) and holds values the trail refuses."""
    m = Monitor(rb)
    raw = ev(colour=1.5, data={"n": 2**64, "s": "\ud800"})
    outcome = m.feed(raw)
    assert isinstance(outcome, Rejected) and outcome.reason_code == "EVENT-INVALID"
    (record,) = m.rejected()
    assert record["event"]["data"] == {"n": str(2**64), "s": "\\ud800"}
    assert record["event"]["colour"] == "1.5"
    assert_trail_verifies(m)


def test_evaluate_reports_instead_of_stopping_on_a_big_whole_number_and_a_surrogate(tmp_path):
    events = tmp_path / "events.jsonl"
    lines = [
        json.dumps(ev(case="C1", kind="accept", data={"x": 9007199254740993})),
        json.dumps(ev(case="C2", kind="accept", data={"x": "\ud800"})),  # escaped in the file
        json.dumps(ev(case="C3", kind="accept")),
    ]
    events.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "fyrules", "evaluate", str(FUYANG), str(events), "--format", "json"],
        capture_output=True,
        text=True,
    )
    assert done.returncode in (0, 1), done.stderr
    doc = json.loads(done.stdout)
    assert doc["summary"]["events"] == 3 and doc["summary"]["accepted"] == 1
    assert [r["reason"] for r in doc["rejected"]] == ["EVENT-VALUE", "EVENT-VALUE"]


# --- ids -----------------------------------------------------------------------------------


def test_an_id_reused_with_other_content_is_a_conflict_naming_the_first_event(rb):
    m = Monitor(rb)
    assert isinstance(m.feed(ev(kind="accept", id="e-1")), Accepted)
    again = m.feed(ev(kind="accept", id="e-1"))
    assert isinstance(again, Duplicate)
    other = m.feed(ev(kind="undertake", at="2025-10-09T10:00:00+08:00", id="e-1"))
    assert isinstance(other, Rejected) and other.reason_code == "EVENT-ID-CONFLICT"
    assert "accept at 2025-10-09T09:30:00+08:00" in other.message_en
    assert "e-1" in other.message_en and "C1" in other.message_en
    assert [r["reason"] for r in m.rejected()] == ["EVENT-ID-CONFLICT"]
    # the case did not move: undertake (with its own id) is still what it takes next
    follow = m.feed(ev(kind="undertake", at="2025-10-09T10:00:00+08:00", id="e-2"))
    assert isinstance(follow, Accepted)
    assert_trail_verifies(m)


def test_an_id_reused_after_the_case_finished_is_still_a_conflict(rb):
    m = Monitor(rb)
    steps = ["accept", "undertake", "review", "approve", "complete", "deliver"]
    for n, kind in enumerate(steps):
        at = f"2025-10-09T{10 + n:02d}:00:00+08:00"
        outcome = m.feed(ev(kind=kind, at=at, id=f"e-{n}"))
        assert outcome.ok, outcome
    assert m.open_case_ids() == []
    late = m.feed(ev(kind="rate", at="2025-10-10T09:00:00+08:00", id="e-0", data={"score": 5}))
    assert isinstance(late, Rejected) and late.reason_code == "EVENT-ID-CONFLICT"
    assert "accept at 2025-10-09T10:00:00+08:00" in late.message_en
    assert isinstance(
        m.feed(ev(kind="deliver", at="2025-10-09T15:00:00+08:00", id="e-5")), Duplicate
    )


# --- times -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "at",
    [
        1760143380,
        1760143380.5,
        "1760143380",
        "2025-10-09T09:30:00+23:59",
        "2025-10-09T09:30:00-14:01",
        "2025-10-09T09:30:00",
        "2025-10-09",
        "2025-02-30T09:30:00+08:00",
        True,
        None,
        ["2025-10-09T09:30:00+08:00"],
    ],
)
def test_a_time_is_iso_text_with_an_offset_within_fourteen_hours(at):
    with pytest.raises(EventError) as err:
        parse_event(ev(at=at))
    assert err.value.problem.code == "EVENT-INVALID"
    assert err.value.problem.message_en.startswith("at: ")


@pytest.mark.parametrize(
    "at",
    [
        "2025-10-09T09:30:00+14:00",
        "2025-10-09T09:30:00-12:00",
        "2025-10-09T09:30:00Z",
        "2025-10-09T09:30+08:00",
        "2025-10-09T09:30:00.250+08:00",
    ],
)
def test_iso_times_with_an_offset_are_read(at):
    assert parse_event(ev(at=at)).at.utcoffset() is not None


def test_a_byte_order_mark_at_the_start_of_a_file_is_dropped_without_cascade(rb, tmp_path):
    events = tmp_path / "bom.jsonl"
    lines = [
        json.dumps(ev(kind="accept")),
        json.dumps(ev(kind="undertake", at="2025-10-09T10:00:00+08:00")),
    ]
    events.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode("utf-8"))
    read = list(read_events(events))
    assert all(e.__class__.__name__ == "Event" for e in read), read
    m = Monitor(rb)
    summary = m.replay_file(events)
    assert (summary.accepted, summary.rejected) == (2, 0)
    # and from an iterable of lines, as a decoded text
    assert all(e.__class__.__name__ == "Event" for e in read_events(["\ufeff" + lines[0]]))


# --- feed never raises on content --------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(st.characters(codec=None), max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(st.characters(codec=None), max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = ("id", "case", "item", "event", "at", "actor", "dept", "window", "data")


@st.composite
def hostile_events(draw):
    event = ev(kind=draw(st.sampled_from(["accept", "undertake", "rate", "pause", "extend"])))
    for field in draw(st.sets(st.sampled_from(FIELDS), max_size=4)):
        event[field] = draw(json_values)
    if draw(st.booleans()):
        event[draw(st.text(max_size=6))] = draw(json_values)
    return event


@settings(max_examples=200)
@given(st.lists(hostile_events(), min_size=1, max_size=6))
def test_feed_never_raises_on_any_json_in_any_field_and_the_trail_verifies(rb, events):
    """Invariant: whatever JSON values an event's fields hold, ``feed`` answers with an
    outcome (accepted, rejected with a reason, or duplicate) and the trail stays verifiable;
    every rejected event is recorded."""
    m = Monitor(rb)
    rejected = 0
    for event in events:
        for form in (event, json.dumps(event, ensure_ascii=True)):
            outcome = m.feed(form)
            assert isinstance(outcome, Accepted | Rejected | Duplicate)
            rejected += isinstance(outcome, Rejected)
    assert len(list(m.rejected())) == rejected
    assert_trail_verifies(m)


@settings(max_examples=100)
@given(json_values)
def test_feed_never_raises_on_a_value_that_is_not_an_event(rb, value):
    """Invariant: any JSON value fed as an event, as a Python value or as its JSON text, is
    rejected with a reason and recorded."""
    m = Monitor(rb)
    for item in (value, json.dumps(value, ensure_ascii=True)):
        if isinstance(item, dict):
            continue
        outcome = m.feed(item)  # type: ignore[arg-type]
        assert isinstance(outcome, Rejected)
    assert_trail_verifies(m)
