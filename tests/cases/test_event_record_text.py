"""The monitor's event text and its trail entries are the bytes of the checked way, and RFC 8785's.

Invariants, on random events (any text in every field, control characters and characters
beyond U+FFFF included, absent fields; data empty, flat, nested, with floats, whole numbers
beyond ±(2**53 − 1), non-ASCII keys):
- :func:`event_record_text` gives :func:`event_record`'s record (equal, keys in the same
  order) and, as its text, exactly :func:`canonical_json` of that record, which is also what
  the independent ``rfc8785`` package writes; where ``event_record`` refuses the event, it
  refuses it with the same error;
- ``Trail._append_encoded`` (the record's bytes with the entry's other keys around them)
  appends, entry for entry, what ``Trail.append`` appends, and the trail verifies.
"""

from __future__ import annotations

import datetime as dt

import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from fyrules.cases.canonical import (
    CanonicalError,
    canonical_json,
    event_record,
    event_record_text,
)
from fyrules.cases.event_values import EventValueError, checked_record_bytes
from fyrules.cases.events import EVENT_KINDS, Event
from fyrules.cases.store import MemoryStore
from fyrules.cases.trail import Trail, verify

text = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
ascii_key = st.text(st.characters(max_codepoint=127), max_size=8)
scalar = (
    st.none()
    | st.booleans()
    | st.integers(-(2**53) - 2, 2**53 + 2)
    | st.integers(-5, 5)
    | text
    | st.floats(allow_nan=False, allow_infinity=False)
)
nested = st.recursive(
    scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=6,
)
data = (
    st.just({})
    | st.dictionaries(ascii_key, st.none() | st.booleans() | st.integers(-5, 5) | text, max_size=4)
    | st.dictionaries(ascii_key | text, nested, max_size=4)
)
events = st.builds(
    Event.model_construct,  # any data, as the monitor may be handed it from the Python API
    id=st.none() | text,
    case=text.filter(bool),
    item=text.filter(bool),
    event=st.sampled_from(sorted(EVENT_KINDS)),
    at=st.datetimes(
        min_value=dt.datetime(2000, 1, 1),
        timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=8))]),
    ),
    actor=st.none() | text,
    dept=st.none() | text,
    window=st.none() | text,
    data=data,
)


def _refusal(make, event):
    try:
        return make(event), None
    except CanonicalError as exc:
        return None, exc.problem


@given(events)
def test_the_event_text_is_the_canonical_json_of_the_event_record(event):
    """Same record and key order; text == canonical_json == rfc8785; same refusals."""
    expected, refused = _refusal(event_record, event)
    got, got_refused = _refusal(event_record_text, event)
    assert got_refused == refused
    if refused is not None:
        return
    record, record_text = got
    assert record == expected and list(record) == list(expected)
    assert list(record["data"]) == list(expected["data"])
    encoded = record_text.encode("utf-8")
    assert encoded == canonical_json(expected)
    assert encoded == rfc8785.dumps(expected)


@given(events)
def test_checked_record_bytes_are_the_texts_bytes(event):
    """What the monitor checks and hashes is the event's canonical bytes, or EVENT-VALUE."""
    _, refused = _refusal(event_record, event)
    try:
        _record, encoded, fingerprint = checked_record_bytes(event)
    except EventValueError as exc:
        assert refused is not None and exc.problem.code == "EVENT-VALUE"
        assert refused.message_en in exc.problem.message_en
        return
    assert refused is None and encoded == canonical_json(event_record(event))
    assert len(fingerprint) == 32


def test_an_unpaired_surrogate_is_refused_as_before():
    """A string that is not UTF-8 is EVENT-VALUE with the path to it, on either way."""
    at = dt.datetime(2025, 10, 9, 9, tzinfo=dt.UTC)
    for data in ({"note": "a\ud800"}, {"deep": {"x": ["\udfff"]}}):
        event = Event(case="c", item="i", event="submit", at=at, id="e", data=data)
        try:
            checked_record_bytes(event)
        except EventValueError as exc:
            assert "unpaired surrogate" in exc.problem.message_en
            assert exc.problem.message_en.split(": ")[1].startswith("data.")
        else:
            raise AssertionError("an unpaired surrogate was accepted")


@settings(max_examples=60)
@given(st.lists(events, min_size=1, max_size=8))
def test_the_encoded_way_appends_the_entries_of_the_checked_way(batch):
    """_append_encoded and append give the same entries, hashes and key order."""
    fast, checked = Trail(MemoryStore()), Trail(MemoryStore())
    for event in batch:
        try:
            record, encoded, _ = checked_record_bytes(event)
        except EventValueError:
            continue
        got = fast._append_encoded("event", record, encoded)
        want = checked.append("event", record)
        assert got == want and list(got) == list(want)
    assert list(fast.store.trail()) == list(checked.store.trail())
    assert verify(fast.store.trail()).ok


@settings(max_examples=60)
@given(st.lists(events, min_size=1, max_size=8))
def test_a_memory_store_reads_back_the_entries_it_was_given(batch):
    """MemoryStore keeps entries as their bytes and hash; trail() gives back each appended
    entry, equal and with its keys (and its record's) in the same order."""
    trail = Trail(MemoryStore())
    appended = []
    for n, event in enumerate(batch):
        try:
            record, encoded, _ = checked_record_bytes(event)
        except EventValueError:
            continue
        if n % 2:
            appended.append(trail._append_encoded("event", record, encoded))
        else:
            appended.append(trail.append("note", {"event": record, "n": n}))
    read = list(trail.store.trail())
    assert read == appended
    assert [list(e) for e in read] == [list(e) for e in appended]
    assert [list(e["record"]) for e in read] == [list(e["record"]) for e in appended]
