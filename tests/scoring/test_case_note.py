"""What scoring reads of a case (channel, rating, complaints, discipline breaches) is noted
through scoring's ``case_note`` hook (fyrules.engine.extension): the monitor itself knows no
scoring fact, and a host that composes its own extensions decides what is noted."""

from __future__ import annotations

from collections import Counter
from typing import Any

import attrs

import fyrules
from fyrules.engine.extension import CaseNote, Extension
from fyrules.rulebook import default_extensions
from fyrules.scoring.records import ONLINE, case_records, replay
from tests.conftest import FUYANG, generated_month


def _accepted_once(monitor: Any, events: tuple[Any, ...]) -> list[Any]:
    """The events the monitor accepted, each once (no refusal, no redelivery)."""
    refused = {r["event"].get("id") for r in monitor.rejected() if r.get("event")}
    seen: set[str] = set()
    out = []
    for event in events:
        if event.id in refused or event.id in seen:
            continue
        seen.add(event.id)
        out.append(event)
    return out


def test_what_scoring_reads_of_each_case_is_what_its_accepted_events_say(fuyang):
    """For every case of a generated month with faults, finished or open: online when its
    first channel given is online, its last rating, its complaints and breaches counted."""
    events = generated_month(800, 21, faults=True)
    monitor, _ = replay(fuyang, events)
    channel: dict[str, Any] = {}
    rating: dict[str, Any] = {}
    complaints: Counter[str] = Counter()
    breaches: Counter[str] = Counter()
    for e in _accepted_once(monitor, events):
        if e.event in ("submit", "accept") and "channel" in e.data:
            channel.setdefault(e.case, e.data["channel"])
        elif e.event == "rate":
            rating[e.case] = e.data.get("score")
        elif e.event == "complaint":
            complaints[e.case] += 1
        elif e.event == "inspect" and e.data.get("breach") is True:
            breaches[e.case] += 1
    records = case_records(monitor)
    assert sum(r.breaches for r in records) > 0 and sum(r.complaints for r in records) > 0
    assert any(r.online for r in records) and any(not r.online for r in records)
    for r in records:
        assert r.online == (channel.get(r.case) == ONLINE), r.case
        assert r.rating == rating.get(r.case), r.case
        assert (r.complaints, r.breaches) == (complaints[r.case], breaches[r.case]), r.case


def _scoring_without_its_note() -> tuple[Extension, ...]:
    """The default extensions, scoring's without its ``case_note`` hook."""
    return tuple(
        attrs.evolve(e, case_note=None) if e.name == "scoring" else e for e in default_extensions()
    )


def test_without_scorings_hook_the_monitor_notes_no_scoring_fact():
    rb = fyrules.load(FUYANG, extensions=_scoring_without_its_note())
    monitor = rb.monitor(trail=False)
    monitor.feed_all(generated_month(60, 5))
    summaries = [s for _, s in monitor.store.closed_cases()]
    assert summaries
    for summary in summaries:
        assert not {"channel", "rating", "complaints", "breaches"} & set(summary)
        assert not {"channel", "rating", "complaints"} & set(summary["state"])


def test_a_host_extension_decides_what_the_monitor_notes():
    """A host's own case_note hook: the monitor notes the kinds it names, as it says, and
    keeps in the summary what it asks for."""

    def note(record: dict[str, Any], event: Any) -> None:
        record["reviews"] = record.get("reviews", 0) + 1

    def summary(state: Any) -> dict[str, Any]:
        return {"reviews": state.get("reviews", 0)}

    counting = Extension(
        name="reviews",
        case_note=lambda _rb: CaseNote(frozenset({"review"}), note, summary),
    )
    rb = fyrules.load(FUYANG, extensions=(*_scoring_without_its_note(), counting))
    monitor = rb.monitor(trail=False)
    events = generated_month(60, 5)
    monitor.feed_all(events)
    reviews = Counter(e.case for e in _accepted_once(monitor, events) if e.event == "review")
    closed = dict(monitor.store.closed_cases())
    assert closed and sum(reviews.values()) > 0
    for case, kept in closed.items():
        assert kept["reviews"] == reviews[case] and "channel" not in kept
    for case, state in monitor.store.open_cases():
        assert state.get("reviews", 0) == reviews[case]


def test_the_first_extension_that_offers_case_note_is_the_one_asked():
    """As with the other monitor hooks: scoring's note comes first in build order."""
    never = Extension(
        name="never",
        case_note=lambda _rb: CaseNote(frozenset(), lambda r, e: None, lambda s: {}),
    )
    rb = fyrules.load(FUYANG, extensions=(*default_extensions(), never))
    monitor = rb.monitor(trail=False)
    monitor.feed_all(generated_month(60, 5))
    assert all("channel" in s for _, s in monitor.store.closed_cases())
