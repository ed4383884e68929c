"""The scheduler against a brute-force scan of every open case, deduplication, and restarts."""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fyrules
from fyrules.cases.events import Event, parse_event
from fyrules.notifications import CaseNotices, MemoryNotificationLog, Scheduler

CST = dt.timezone(dt.timedelta(hours=8))
START = dt.date(2025, 10, 9)
END = dt.datetime(2025, 12, 20, tzinfo=CST)
STEPS = (  # what follows acceptance, and who does it (Fuyang's roster for FY-SC-001/002)
    ("undertake", "P-SC-14"),
    ("review", "P-SC-14"),
    ("approve", "P-SC-01"),
    ("complete", "P-SC-03"),
    ("deliver", "P-SC-03"),
)


@functools.cache
def fuyang() -> Any:
    return fyrules.load("examples/fuyang")


@pytest.fixture
def rulebook() -> Any:
    return fuyang()


def _case_events(number: int, item: str, start: int, gaps: list[tuple[int, int]]) -> list[Event]:
    case = f"FY-202510-{number:06d}"
    moment = dt.datetime.combine(START + dt.timedelta(days=start), dt.time(9, 30), CST)
    raw = [("accept", "P-SC-03", moment)]
    for (kind, actor), (days, hour) in zip(STEPS, gaps, strict=False):
        moment = max(
            dt.datetime.combine(moment.date() + dt.timedelta(days=days), dt.time(hour), CST),
            moment + dt.timedelta(minutes=1),
        )
        raw.append((kind, actor, moment))
    return [
        parse_event(
            {
                "id": f"{case}-{i}",
                "case": case,
                "item": item,
                "event": kind,
                "at": at.isoformat(),
                "actor": actor,
                "dept": "SC",
                "data": {},
            }
        )
        for i, (kind, actor, at) in enumerate(raw)
    ]


cases = st.lists(
    st.tuples(
        st.sampled_from(["FY-SC-001", "FY-SC-002"]),
        st.integers(0, 12),
        st.lists(st.tuples(st.integers(0, 9), st.integers(9, 17)), max_size=5),
    ),
    min_size=1,
    max_size=5,
)


def _timeline(drawn: list[tuple[str, int, list[tuple[int, int]]]]) -> list[Event]:
    events = [e for n, (item, s, g) in enumerate(drawn) for e in _case_events(n, item, s, g)]
    return sorted(events, key=lambda e: e.at)


def _midnights(until: dt.datetime) -> list[dt.datetime]:
    day, out = START, []
    while (m := dt.datetime.combine(day, dt.time(0), CST)) <= until:
        out.append(m)
        day += dt.timedelta(days=1)
    return out


def _brute_force(rulebook: Any, events: list[Event]) -> dict[str, dt.datetime]:
    """Every open case evaluated at every midnight and every event's moment: the first
    moment each key fires."""
    monitor = rulebook.monitor()
    notices = CaseNotices(monitor, rulebook.part("notifications"))
    first: dict[str, dt.datetime] = {}

    def scan(at: dt.datetime) -> None:
        for _case, state in monitor.store.open_cases():
            for n in notices.firing(state, at):
                first.setdefault(n.key, at)

    moments = sorted({*_midnights(END), *(e.at for e in events)})
    pending = list(events)
    for at in moments:
        scan(at)
        while pending and pending[0].at == at:
            assert monitor.feed(pending.pop(0)).ok
            scan(at)
    return first


def _scheduled(rulebook: Any, events: list[Event], restart_at: int | None = None) -> list[Any]:
    monitor = rulebook.monitor()
    scheduler = Scheduler(monitor)
    out = []
    for i, event in enumerate(events):
        if i == restart_at:  # a new scheduler on the same store, as after a restart
            scheduler = Scheduler(monitor)
            scheduler.resume(events[i - 1].at)
            out.extend(scheduler.due(events[i - 1].at))
        out.extend(scheduler.due(event.at))
        assert monitor.feed(event).ok
        out.extend(scheduler.observe(event))
    out.extend(scheduler.due(END))
    return out


@settings(max_examples=40)
@given(cases)
def test_scheduler_equals_a_brute_force_scan(drawn: Any) -> None:
    """Invariant: replayed in time order, the scheduler emits exactly the notifications a scan
    of every open case at every midnight and every event would find, at the same moments."""
    rulebook = fuyang()
    events = _timeline(drawn)
    expected = _brute_force(rulebook, events)
    emitted = _scheduled(rulebook, events)
    assert {n.key: n.at for n in emitted} == expected


@settings(max_examples=40)
@given(cases, st.data())
def test_each_threshold_is_notified_at_most_once_per_case_across_restarts(
    drawn: Any, data: st.DataObject
) -> None:
    """Invariant: each key (one threshold of one case) is emitted at most once, even when the
    scheduler is rebuilt from the store half-way, and the restart loses none."""
    rulebook = fuyang()
    events = _timeline(drawn)
    restart = data.draw(st.integers(1, len(events)))
    emitted = _scheduled(rulebook, events, restart_at=restart if restart < len(events) else None)
    counts = Counter(n.key for n in emitted)
    assert all(c == 1 for c in counts.values()), counts
    assert set(counts) == set(_brute_force(rulebook, events))


def test_a_red_card_goes_to_the_handler_the_chief_and_the_supervisors(rulebook: Any) -> None:
    events = _case_events(1, "FY-SC-001", 0, [(0, 10)])  # undertaken, then left alone
    monitor = rulebook.monitor()
    scheduler = Scheduler(monitor)
    for event in events:
        monitor.feed(event)
        scheduler.observe(event)
    emitted = {n.trigger: n for n in scheduler.due(END)}
    red = emitted["red"]
    assert red.rule == "FY-RED-CARD"
    # P-SC-14 undertook it; P-SC-01 heads SC's approval; P-ZJ-02 supervises SC
    assert red.recipients == ("P-SC-14", "P-SC-01", "P-ZJ-02")
    assert "红牌" in red.basis and red.message_zh.startswith("红牌")
    assert {"prompt", "yellow", "red", "stage_overrun"} <= set(emitted)
    assert scheduler.next_due() is None  # nothing more can fire without an event
    assert scheduler.due(END + dt.timedelta(days=30)) == []


def test_the_log_is_the_store_and_a_new_scheduler_sends_nothing_twice(rulebook: Any) -> None:
    store = fyrules.MemoryStore()
    monitor = rulebook.monitor(store=store)
    first = Scheduler(monitor)
    for event in _case_events(1, "FY-SC-001", 0, [(0, 10)]):
        monitor.feed(event)
        first.observe(event)
    sent = first.due(END)
    assert sorted(store.notification_keys()) == sorted(n.key for n in sent)
    again = Scheduler(rulebook.monitor(store=store))
    again.resume(END + dt.timedelta(days=3))
    assert again.due(END + dt.timedelta(days=60)) == []


def test_a_scheduler_without_a_store_log_keeps_its_own(rulebook: Any) -> None:
    log = MemoryNotificationLog()
    monitor = rulebook.monitor()
    scheduler = Scheduler(monitor, log)
    for event in _case_events(1, "FY-SC-001", 0, [(0, 10)]):
        monitor.feed(event)
        scheduler.observe(event)
    keys = [n.key for n in scheduler.due(END)]
    assert sorted(log.notification_keys()) == sorted(keys)
    assert all(r["status"] == "pending" for r in log.notification_records())


def test_a_rulebook_without_notifications_gets_the_librarys_own_error() -> None:
    from pathlib import Path

    national = fyrules.load(Path(fyrules.__file__).parent / "baseline" / "national")
    with pytest.raises(fyrules.FyrulesError, match="notifications"):
        Scheduler(national.monitor())
