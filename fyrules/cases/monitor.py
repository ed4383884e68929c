"""The monitor: replays case events through their fixed processes into the trail, and reports.

For each event: a malformed one is rejected (``EVENT-INVALID``); a duplicate delivery (an
``id`` already recorded for the case) is acknowledged and changes nothing; otherwise the
case's process decides (:func:`fyrules.cases.state.apply`). An accepted event updates the
case and is appended to the trail; a rejected one is kept, with its reason, in the rejected
report (and the trail), and nothing already recorded changes. Each event is handled inside
one store transaction.

When a case finishes (delivered, or closed without delivery: withdrawn, refused), its clock
is computed and the ``case`` rules in force on its acceptance date report their findings;
its working state leaves the store and a summary stays for monthly statistics. Findings of
cases still open are computed on demand, as of any moment (:meth:`Monitor.findings`).

The monitor keeps no state of its own: everything lives in its :class:`~fyrules.cases.store.Store`,
so two monitors on two rulebooks in one process never see each other, and a monitor can be
rebuilt on a store at any time.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import attrs

from ..engine.collector import collector_paused
from ..engine.extension import monitor_hook, monitor_hooks
from ..engine.findings import Finding
from ..engine.problems import Location, Problem
from .deliveries import DeliveryLog, delivery_record, problem_record
from .errors import ClockError
from .event_values import (
    IDS_KEY,
    EventValueError,
    checked_record_bytes,
    id_conflict,
    id_entry,
    storable,
)
from .events import (
    CLOCK_KINDS,
    HANDLING_KINDS,
    TRACK_KINDS,
    Event,
    EventError,
    parse_event,
    read_events,
)
from .identity import IdentityCheck, identity_pattern
from .state import Accepted, Rejected, apply
from .store import MemoryStore, Store
from .tracks import note_handler, note_track
from .trail.chain import MAX_ENTRY_BYTES

COLLECT_EVERY = 50_000  # events between collections of the young generation in feed_all
_FINISHING = frozenset({"deliver", "withdraw", "reject"})
_OPENING = frozenset({"submit", "accept", "reject"})  # may come for a case not (yet) open
# The data keys the clock reads, per kind; a logged event keeps only these.
_CLOCK_DATA: dict[str, tuple[str, ...]] = {
    "pause": ("reason", "counted", "notice"),
    "extend": ("days", "approved_by"),
}


@attrs.frozen(slots=True)
class Duplicate:
    """The event was already recorded (same ``id``): acknowledged, nothing changed."""

    case: str
    event_id: str
    ok: bool = attrs.field(default=True, init=False)


Outcome = Accepted | Rejected | Duplicate


@attrs.frozen(slots=True)
class ReplaySummary:
    """Counts of one replay."""

    events: int
    accepted: int
    rejected: int
    duplicates: int
    cases_finished: int
    findings: int

    def to_dict(self) -> dict[str, int]:
        """The counts as JSON."""
        return attrs.asdict(self)


class Monitor:
    """Replays events of one rulebook into one store."""

    def __init__(self, rulebook: Any, store: Store | None = None, *, trail: bool = True):
        from .trail import Trail

        self.rulebook = rulebook
        self.store: Store = store if store is not None else MemoryStore()
        self.processes = rulebook.part("cases")
        self._items = rulebook.items.items
        self._trail = Trail(self.store) if trail else None
        self._finished = 0
        self._findings_count = 0
        # the domains' hooks (engine/extension.py): separation's gate, deadlines' clocks
        self._gate = monitor_hook(rulebook, "event_gate")
        self._watch = monitor_hook(rulebook, "case_watch")
        self._note = monitor_hook(rulebook, "finding_note")  # who held an overdue case
        case_note = monitor_hook(rulebook, "case_note")  # what monthly statistics read
        self._noted_kinds: frozenset[str] = case_note.kinds if case_note else frozenset()
        self._case_note = case_note.note if case_note else _note_nothing
        self._case_summary = case_note.summary if case_note else None
        self._tracked = monitor_hooks(rulebook, "track_findings")  # complaints, inform …
        self._identity_problem = IdentityCheck(identity_pattern(rulebook))
        calendar = getattr(rulebook, "calendar", None)
        self._zone = ZoneInfo(rulebook.timezone)
        self._calendar_range = (
            (calendar.first_day, calendar.last_day) if calendar is not None else None
        )
        self._surely_in_calendar = _surely_within(self._calendar_range)
        # a store that keeps the delivery log (fyrules/cases/deliveries.py): every event
        # decided is logged as delivered, in the transaction of its decision
        if isinstance(self.store, DeliveryLog):
            self.feed = self._logged_feed  # type: ignore[method-assign]
            self._refuse_unreadable = self._logged_unreadable  # type: ignore[method-assign]

    # --- feeding --------------------------------------------------------------------------------

    def feed(
        self, event: Event | Mapping[str, Any] | str, location: Location | None = None
    ) -> Outcome:
        """Handle one event. Never raises on bad input: a bad event is a :class:`Rejected`."""
        if event.__class__ is not Event and not isinstance(event, Event):
            try:
                event = parse_event(event if isinstance(event, str) else dict(event), location)
            except EventError as exc:
                return self._reject_raw(event, exc.problem)
            except (TypeError, ValueError):  # not a mapping (a list, a number …)
                return self._reject_raw(event, _not_an_object(location))
        # validation: what the trail cannot record is rejected here, before any transaction
        try:
            trail_record, record_bytes, fingerprint = checked_record_bytes(event, location)
        except EventValueError as exc:
            return self._reject_raw(event.model_dump(mode="python"), exc.problem)
        not_canonical = self._identity_problem(event, location)
        if not_canonical is not None:  # compared as written: never rewritten into someone else
            return self._reject_raw(
                event.model_dump(mode="json"), not_canonical, reason=not_canonical.code
            )
        if self._calendar_range is not None and not (
            self._surely_in_calendar[0] <= event.at < self._surely_in_calendar[1]
        ):
            first, last = self._calendar_range
            day = event.at.astimezone(self._zone).date()
            if not first <= day <= last:
                # no clock can count it: refused, never accepted with its findings silently lost
                outside = Problem(
                    "CALENDAR-OUT-OF-RANGE",
                    f"{day} 不在工作日历覆盖的范围内（{first} 至 {last}），无法计时；请核对事件日期，"
                    "或在日历中补录该年份",
                    f"{day} is outside the working calendar ({first} to {last}): no clock can "
                    "count it; check the event's date, or extend the calendar to that year",
                    location,
                )
                return self._reject_raw(event.model_dump(mode="json"), outside, reason=outside.code)
        trail = self._trail
        store = self.store
        case, event_id, kind = event.case, event.id, event.event
        # One transaction from the duplicate check to the last write: a store shared by several
        # writers (a database) then serializes them, so an event delivered to two of them is
        # accepted once and the case is read as the other left it (issue 14).
        with store.transaction():
            if event_id is not None and store.seen_event(case, event_id):
                conflict = id_conflict(event, fingerprint, self._recorded_state(case))
                if conflict is None:
                    return Duplicate(case, event_id)
                return self._reject_raw(event.model_dump(mode="python"), conflict)
            state = store.get_case(case)
            if state is None and kind not in _OPENING:
                closed = store.get_closed(case)
                if closed is not None and "state" in closed:
                    return self._feed_closed(event, closed, fingerprint, trail_record, record_bytes)
            processes = self.processes
            process = processes.for_event(state, event) if processes is not None else None
            outcome = apply(
                state,
                event,
                process=process,
                item_known=event.item in self._items,
                at=trail_record["at"],
            )
            if process is not None and process.requires is not None and outcome.ok:
                missing = process.missing_data(event)
                if missing is not None:
                    outcome = Rejected("EVENT-DATA-MISSING", *missing)
            sod_findings: tuple[dict[str, Any], ...] = ()
            if self._gate is not None:
                outcome, sod_findings = self._separation(event, state, outcome)
            if type(outcome) is Rejected:  # final: mypy narrows the rest to Accepted
                record = outcome.record(event)
                store.add_rejected(record)
                if event_id is not None:  # a redelivery is a duplicate: stored once
                    store.remember_event(case, event_id)
                if trail is not None:  # then there is a trail_record
                    trail.append("rejected", {**record, "event": trail_record})
                return outcome
            new = outcome.state
            if kind in self._noted_kinds:
                self._case_note(new, event)
            if kind in CLOCK_KINDS:
                # tuples of plain values (no data: None, not {}): the garbage collector stops
                # tracking them, so a month of logs does not slow its full sweeps
                keys = _CLOCK_DATA.get(kind)
                entry = (kind, new["last_at"], None if keys is None else _clock_data(event, keys))
                log = new.get("log")
                new["log"] = (entry,) if log is None else (*log, entry)
                if kind in HANDLING_KINDS and self._note is not None:
                    note_handler(new, event)
            elif kind in TRACK_KINDS:
                note_track(new, event)
            if event_id is not None:
                store.remember_event(case, event_id)
                ids = new.get(IDS_KEY)
                recorded = id_entry(event, fingerprint, trail_record["at"])
                new[IDS_KEY] = {**ids, event_id: recorded} if ids else {event_id: recorded}
            if trail is not None:
                trail._append_encoded("event", trail_record, record_bytes)
            for finding in sod_findings:
                store.add_finding(finding)
            if new["closed"] and (kind in _FINISHING or new["closed_by"] in _FINISHING):
                self._finish(new)
            else:
                store.put_case(case, new)
        return outcome

    def feed_all(
        self, events: Iterable[Event | Mapping[str, Any] | str | Problem]
    ) -> ReplaySummary:
        """Feed a stream (file lines, parsed events, or problems from :func:`read_events`).

        The cycle collector is paused during the replay (case states make next to no garbage
        cycles, yet walking the growing heap took about half the time) and the young
        generation is collected every :data:`COLLECT_EVERY` events, so memory stays flat."""
        fed = accepted = duplicates = 0
        finished_before = self._finished
        findings_before = self._findings_count
        feed = self.feed
        with collector_paused():
            for item in events:
                fed += 1
                if item.__class__ is not Event and isinstance(item, Problem):
                    outcome: Outcome = self._refuse_unreadable(item)
                else:
                    outcome = feed(item)
                if outcome.__class__ is Accepted:
                    accepted += 1
                elif isinstance(outcome, Duplicate):
                    duplicates += 1
                if fed % COLLECT_EVERY == 0:
                    gc.collect(0)
        return ReplaySummary(
            events=fed,
            accepted=accepted,
            rejected=fed - accepted - duplicates,
            duplicates=duplicates,
            cases_finished=self._finished - finished_before,
            findings=self._findings_count - findings_before,
        )

    def _refuse_unreadable(self, problem: Problem) -> Outcome:
        """A line that is no event (its problem, from :func:`read_events`): refused."""
        return self._reject_raw(None, problem)

    def _logged_feed(
        self, event: Event | Mapping[str, Any] | str, location: Location | None = None
    ) -> Outcome:
        """:meth:`feed`, and the event logged as delivered unless it was a duplicate."""
        store: Any = self.store
        with store.transaction():
            outcome = Monitor.feed(self, event, location)
            if outcome.__class__ is not Duplicate:
                store.add_delivery(delivery_record(event, outcome.__class__ is Accepted))
        return outcome

    def _logged_unreadable(self, problem: Problem) -> Outcome:
        store: Any = self.store
        with store.transaction():
            outcome = self._reject_raw(None, problem)
            store.add_delivery(problem_record(problem))
        return outcome

    def replay_file(self, path: str | Path) -> ReplaySummary:
        """Feed every line of a JSON Lines file (memory does not grow with the file)."""
        return self.feed_all(read_events(path))

    # --- reporting ------------------------------------------------------------------------------

    def findings(self, as_of: dt.datetime | None = None, *, explain: bool = False) -> list[Finding]:
        """Findings of finished cases (recorded when they finished) and of open cases as of
        ``as_of`` (default: each case's last event), as :class:`~fyrules.Finding` objects
        whose ``to_dict()`` is the finding JSON of docs/architecture.md. A case finding's
        ``provisional`` says whether its clock counted on a holiday schedule not yet
        published. An ``as_of`` without a time zone is a ``ClockError`` (``INVALID-VALUE``)."""
        if as_of is not None and (not isinstance(as_of, dt.datetime) or as_of.utcoffset() is None):
            raise ClockError(
                Problem(
                    "INVALID-VALUE",
                    f"as_of 须为带时区的时间：{as_of!r}",
                    f"as_of must be a datetime with its time zone: {as_of!r}",
                )
            )
        from_dict = Finding.from_dict
        out = [from_dict(f) for f in self.store.findings()]
        for _case, state in self.store.open_cases():
            clock = self._clock(state, as_of)
            out.extend(
                self._noted(f, clock, state)
                for f in self._case_findings(state, as_of, explain=explain, clock=clock)
            )
        if self._tracked:
            out.extend(self._track_findings(as_of))
        return out

    def rejected(self) -> Iterator[dict[str, Any]]:
        """The rejected events, in the order they arrived, each with its reason."""
        return self.store.rejected()

    def open_case_ids(self) -> list[str]:
        """The cases not finished yet."""
        return [case for case, _ in self.store.open_cases()]

    def case_clock(self, state: Mapping[str, Any], as_of: dt.datetime | None = None) -> Any:
        """The clock of an open case (a state from ``store.open_cases()``), as of ``as_of``
        (default: its last event); ``None`` before acceptance. Monthly statistics read the
        settlement of cases completed but not yet delivered from it."""
        return self._clock(state, as_of)

    # --- internals ------------------------------------------------------------------------------

    def _track_findings(self, as_of: dt.datetime | None) -> Iterator[Finding]:
        """The side workflows' findings (the ``track_findings`` hooks: complaints,
        accountability, supervision after approval) of every case, open ones then finished
        ones, as of ``as_of`` (default: each case's last event)."""
        store = self.store
        for state in _states(store.open_cases(), store.closed_cases()):
            moment = as_of or dt.datetime.fromisoformat(state["last_at"])
            for hook in self._tracked:
                yield from hook(state, moment)

    def _clock(self, state: Mapping[str, Any], as_of: dt.datetime | None) -> Any:
        """The case's clock from its logged events, or ``None`` before acceptance."""
        watch = self._watch
        if watch is None or state.get("accepted_at") is None:  # the clock starts at acceptance
            return None
        return watch.clock(state["item"], self._logged_events(state), as_of)

    @staticmethod
    def _logged_events(state: Mapping[str, Any]) -> list[Any]:
        """The case's logged events, as the case watch reads them."""
        case, item = state["case"], state["item"]
        log = state.get("log", ())
        if all(entry.__class__ in _SEQUENCES for entry in log):  # the monitor's own entries
            parse = dt.datetime.fromisoformat
            return [
                LoggedEvent(case, item, kind, parse(at), data or _NO_DATA) for kind, at, data in log
            ]
        return [_logged(e, case, item) for e in log]

    def _case_findings(
        self,
        state: Mapping[str, Any],
        as_of: dt.datetime | None,
        *,
        explain: bool = False,
        clock: Any = None,
    ) -> list[Finding]:
        clock = clock if clock is not None else self._clock(state, as_of)
        if self._watch is None:
            return []
        if clock is None:
            # a clock that started but cannot be counted (a due date past the calendar's last
            # day) is reported, never a case silently left without its warnings
            uncounted = getattr(self._watch, "uncounted", None)
            if uncounted is None or state.get("accepted_at") is None:
                return []
            return list(uncounted(state["case"], state["item"], self._logged_events(state), as_of))
        return self._watch.findings(clock, explain=explain)

    def _noted(self, finding: Finding, clock: Any, state: Mapping[str, Any]) -> Finding:
        """A case finding marked ``provisional`` when its clock counted on a holiday schedule
        not yet published (a red card against a provisional due date is not final), and, for
        an overdue case or stage, ``responsible``: who held the case when it ran over (the
        ``finding_note`` hook)."""
        responsible = None
        if self._note is not None and clock is not None:
            responsible = self._note(finding, clock, state)
        return attrs.evolve(
            finding,
            provisional=bool(clock is not None and clock.provisional),
            responsible=responsible,
        )

    def _finish(self, state: dict[str, Any]) -> None:
        clock = self._clock(state, None)  # computed once, for the findings and the summary
        findings = self._case_findings(state, None, clock=clock)
        for finding in findings:
            self.store.add_finding(self._noted(finding, clock, state).to_dict())
        self._findings_count += len(findings)
        self._finished += 1
        self.store.close_case(state["case"], self._summary(state, findings, clock))

    def _summary(
        self, state: Mapping[str, Any], findings: list[Finding], clock: Any
    ) -> dict[str, Any]:
        """What stays of a finished case: enough for monthly statistics and late side events."""
        summary: dict[str, Any] = {
            "case": state["case"],
            "item": state["item"],
            "dept": state.get("dept"),
            "window": state.get("window"),
            "accepted_at": state.get("accepted_at"),
            "closed_by": state.get("closed_by"),
            "closed_at": state.get("closed_at"),
            "findings": sorted({f.rule for f in findings}),
        }
        if self._case_summary is not None:  # what a domain keeps for monthly statistics
            summary.update(self._case_summary(state))
        summary["state"] = {k: v for k, v in state.items() if k not in _NOT_KEPT}
        if clock is not None and self._watch is not None:
            summary.update(self._watch.summary(clock))
        return summary

    def _recorded_state(self, case: str) -> Any:
        """The state of ``case`` as recorded: open, or kept with its finished summary."""
        state = self.store.get_case(case)
        if state is None:
            closed = self.store.get_closed(case)
            state = closed.get("state") if isinstance(closed, Mapping) else None
        return state

    def _feed_closed(
        self,
        event: Event,
        closed: Mapping[str, Any],
        fingerprint: str,
        trail_record: dict[str, Any],
        record_bytes: bytes,
    ) -> Outcome:
        """A side event (rating, complaint, inspection …) for a case already finished;
        ``trail_record`` and ``record_bytes`` are its checked record and canonical bytes."""
        state = closed["state"]
        process = self.processes.for_event(state, event) if self.processes is not None else None
        at = trail_record["at"]
        outcome = apply(state, event, process=process, item_known=event.item in self._items, at=at)
        outcome, sod_findings = self._separation(event, state, outcome)
        with self.store.transaction():
            if isinstance(outcome, Rejected):
                record = outcome.record(event)
                self.store.add_rejected(record)
                if event.id is not None:  # a redelivery is a duplicate: stored once
                    self.store.remember_event(event.case, event.id)
                if self._trail is not None:
                    self._trail.append("rejected", {**record, "event": trail_record})
                return outcome
            new = outcome.state
            if event.event in TRACK_KINDS:
                note_track(new, event)
            if event.id is not None:
                self.store.remember_event(event.case, event.id)
                new[IDS_KEY] = {**new.get(IDS_KEY, {}), event.id: id_entry(event, fingerprint, at)}
            if self._trail is not None:
                self._trail._append_encoded("event", trail_record, record_bytes)
            for finding in sod_findings:
                self.store.add_finding(finding)
            extra = dict(closed)
            extra["state"] = new
            if event.event in self._noted_kinds:
                self._case_note(extra, event)
            if "substantiated_complaints" in new:
                extra["substantiated_complaints"] = new["substantiated_complaints"]
            self.store.close_case(event.case, extra)
        return outcome

    def _separation(
        self, event: Event, state: Mapping[str, Any] | None, outcome: Any
    ) -> tuple[Any, tuple[dict[str, Any], ...]]:
        """Separation of duties on an event the process accepts (history constraints,
        recusals, ``event`` rules: the ``event_gate`` hook): the outcome, refused if
        they refuse it, and the warning findings to record with it."""
        if self._gate is None or outcome.__class__ is Rejected:
            return outcome, ()
        verdict = self._gate(event, state)
        if verdict.__class__ is Rejected:
            return verdict, ()
        self._findings_count += len(verdict)
        return outcome, verdict

    def _reject_raw(self, raw: Any, problem: Problem, *, reason: str | None = None) -> Rejected:
        """Record an event refused before its case saw it (unreadable, a value the trail cannot
        record, an id already used, an id not canonical, a day beyond the calendar): its raw
        form as the trail can keep it, with the reason."""
        if reason is None:
            reason = problem.code if problem.code in _OWN_REASONS else "EVENT-INVALID"
        rejected = Rejected(reason, problem.message_zh, problem.message_en)
        record: dict[str, Any] = {
            "event": storable(raw) if isinstance(raw, Mapping) else None,
            "line": problem.line,
            "reason": reason,
            "message_zh": storable(problem.message_zh),
            "message_en": storable(problem.message_en),
            "expected": [],
        }
        if record["event"] is not None and _too_large(record["event"]):
            record["event"] = None  # the reason says what was wrong; the event cannot be kept
        with self.store.transaction():
            self.store.add_rejected(record)
            if self._trail is not None:
                self._trail.append("rejected", record)
        return rejected


# What a finished case's summary does not keep of its working state: the clock's log, and who
# handled each stage (read once, for the findings recorded when it finished).
_NOT_KEPT = frozenset({"log", "handlers"})

# Reasons a raw event is refused with besides EVENT-INVALID.
_OWN_REASONS = frozenset({"EVENT-VALUE", "EVENT-ID-CONFLICT"})


def _states(
    open_cases: Iterable[tuple[str, Any]], closed_cases: Iterable[tuple[str, Any]]
) -> Iterator[Mapping[str, Any]]:
    """The working state of every case: open ones, then those kept with finished summaries."""
    for _case, state in open_cases:
        yield state
    for _case, summary in closed_cases:
        kept = summary.get("state") if isinstance(summary, Mapping) else None
        if isinstance(kept, Mapping):
            yield kept


def _surely_within(days: tuple[dt.date, dt.date] | None) -> tuple[dt.datetime, dt.datetime]:
    """Instants whose local date lies within ``days`` (first, last) in any time zone: from
    midnight UTC after the first day to midnight UTC starting the last (a UTC offset is
    less than a day). Only an event outside them has its local date computed."""
    if days is None:
        return _NO_INSTANTS
    first, last = days
    utc = dt.UTC
    return (
        dt.datetime.combine(first + dt.timedelta(days=1), dt.time(0), utc),
        dt.datetime.combine(last, dt.time(0), utc),
    )


_NO_INSTANTS = (
    dt.datetime.max.replace(tzinfo=dt.UTC),
    dt.datetime.min.replace(tzinfo=dt.UTC),
)


def _too_large(value: Any) -> bool:
    return len(json.dumps(value, ensure_ascii=False)) > MAX_ENTRY_BYTES // 8


def _not_an_object(location: Location | None) -> Problem:
    return Problem(
        "EVENT-INVALID", "事件须为 JSON 对象", "an event must be a JSON object", location
    )


def _note_nothing(record: dict[str, Any], event: Any) -> None:
    """No extension notes anything of a case's events (no ``case_note`` hook)."""


class LoggedEvent(NamedTuple):
    """An event back from a case's log, with what the clock reads of it (the attributes of
    an :class:`Event` that :func:`fyrules.deadlines.clock.case_clock` uses)."""

    case: str
    item: str
    event: str
    at: dt.datetime
    data: Mapping[str, Any]


_SEQUENCES = (tuple, list)  # a log entry as the monitor makes it, or back from a JSON store


_NO_DATA: Mapping[str, Any] = MappingProxyType({})


def _clock_data(event: Event, keys: tuple[str, ...]) -> dict[str, Any]:
    """The data of an event that its case's log keeps: what the clock reads (``keys``).
    A log entry is ``(kind, ISO time, this or None)``: plain JSON values, so any store can
    keep it; case and item are the state's own."""
    data = event.data
    return {k: data[k] for k in keys if k in data}


def _logged(record: Any, case: str, item: str) -> LoggedEvent:
    """An event back from a case's log. It was validated when it arrived, so it is rebuilt
    without validating it again (the log is the monitor's own JSON). A store written by an
    earlier version may hold whole events (dicts)."""
    if isinstance(record, Mapping):
        return LoggedEvent(
            record.get("case", case),
            record.get("item", item),
            record["event"],
            dt.datetime.fromisoformat(record["at"]),
            record.get("data") or _NO_DATA,
        )
    kind, at, data = record
    return LoggedEvent(case, item, kind, dt.datetime.fromisoformat(at), data or _NO_DATA)
