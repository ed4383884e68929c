"""The monitor's short way to the trail gives the bytes of the checked way.

Invariants, on random events (any text in every field, control characters and characters
beyond U+FFFF included, absent fields, data or none):
- :func:`event_record` is exactly :func:`canonical_value` of the event's fields: equal, with
  its keys in the same (canonical) order;
- ``Trail._append_canonical`` (which writes the text of an event without data directly,
  :func:`trail_entry_text`) appends, entry for entry, what ``Trail.append`` appends: the
  same index, prev, record and hash, with the keys in the same order, so the bytes hashed
  are the RFC 8785 bytes of :mod:`fyrules.cases.canonical`, and the trail verifies.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from fyrules.cases.canonical import _floats_as_text, canonical_json, canonical_value, event_record
from fyrules.cases.events import EVENT_KINDS, Event
from fyrules.cases.store import MemoryStore
from fyrules.cases.trail import Trail, verify

# kinds whose data must hold a field (a reason, days, a score, a ruling, a decision)
NEEDS_DATA = ("pause", "extend", "rate", "complaint_ruled", "accountability_decided")

text = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
events = st.builds(
    Event,
    id=st.none() | text,
    case=text.filter(bool),
    item=text.filter(bool),
    event=st.sampled_from([k for k in EVENT_KINDS if k not in NEEDS_DATA]),
    at=st.datetimes(
        min_value=dt.datetime(2000, 1, 1),
        timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=8))]),
    ),
    actor=st.none() | text,
    dept=st.none() | text,
    window=st.none() | text,
    data=st.just({})
    | st.dictionaries(text, st.integers(-5, 5) | text | st.floats(0, 5), max_size=3),
)


def _checked_record(event: Event) -> dict:
    return canonical_value(
        {
            "id": event.id,
            "case": event.case,
            "item": event.item,
            "event": event.event,
            "at": event.at.isoformat(),
            "actor": event.actor,
            "dept": event.dept,
            "window": event.window,
            "data": _floats_as_text(event.data, 0),
        }
    )


@given(events)
def test_an_event_record_is_its_canonical_value(event):
    """event_record == canonical_value of the same fields, keys in the same order."""
    record = event_record(event)
    expected = _checked_record(event)
    assert record == expected and list(record) == list(expected)
    assert canonical_json(record) == canonical_json(expected)


@settings(max_examples=60)
@given(st.lists(events, min_size=1, max_size=8))
def test_the_short_way_appends_the_entries_of_the_checked_way(batch):
    """_append_canonical and append give the same entries, hashes and key order."""
    fast, checked = Trail(MemoryStore()), Trail(MemoryStore())
    for event in batch:
        record = event_record(event)
        kind = "event"
        got = fast._append_canonical(kind, record)
        want = checked.append(kind, record)
        assert got == want and list(got) == list(want)
    assert list(fast.store.trail()) == list(checked.store.trail())
    assert verify(fast.store.trail()).ok


def test_a_head_written_by_another_trail_object_is_read_from_the_store():
    """Two Trail objects on one store continue one chain, whichever way each appends."""
    store = MemoryStore()
    one, two = Trail(store), Trail(store)
    at = dt.datetime(2025, 10, 9, 9, tzinfo=dt.UTC)
    for n in range(4):
        event = Event(case="c", item="i", event="submit", at=at, id=f"e{n}")
        (one if n % 2 else two)._append_canonical("event", event_record(event))
        one.append("note", {"n": n})
    assert verify(store.trail()).ok and len(list(store.trail())) == 8
