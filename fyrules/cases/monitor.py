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
import math
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

import attrs

from ..engine.collector import collector_paused
from ..engine.extension import monitor_hook
from ..engine.findings import Finding
from ..engine.problems import Location, Problem
from .canonical import CanonicalError, decimal_text, event_record
from .errors import ClockError
from .events import CLOCK_KINDS, Event, EventError, parse_event, read_events
from .state import Accepted, Rejected, apply
from .store import MemoryStore, Store

COLLECT_EVERY = 50_000  # events between collections of the young generation in feed_all
_FINISHING = frozenset({"deliver", "withdraw", "reject"})
_OPENING = frozenset({"submit", "accept", "reject"})  # may come for a case not (yet) open
# The data keys the clock reads, per kind; a logged event keeps only these.
_CLOCK_DATA: dict[str, tuple[str, ...]] = {
    "pause": ("reason", "counted"),
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
        trail = self._trail
        trail_record = None
        if trail is not None:
            try:
                trail_record = event_record(event)
            except CanonicalError as exc:  # data JSON cannot carry faithfully (NaN, say)
                return self._reject_raw(event.model_dump(mode="json"), exc.problem)
        store = self.store
        case, event_id, kind = event.case, event.id, event.event
        # One transaction from the duplicate check to the last write: a store shared by several
        # writers (a database) then serializes them, so an event delivered to two of them is
        # accepted once and the case is read as the other left it (issue 14).
        with store.transaction():
            if event_id is not None and store.seen_event(case, event_id):
                return Duplicate(case, event_id)
            state = store.get_case(case)
            if state is None and kind not in _OPENING:
                closed = store.get_closed(case)
                if closed is not None and "state" in closed:
                    return self._feed_closed(event, closed)
            processes = self.processes
            process = processes.for_event(state, event) if processes is not None else None
            outcome = apply(state, event, process=process, item_known=event.item in self._items)
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
            if kind == "rate":
                new["rating"] = event.data.get("score")
            elif kind == "complaint":
                new["complaints"] = int(new.get("complaints", 0)) + 1
            elif kind in _SCORED_DATA:
                _note_scored_data(new, event)
            if kind in CLOCK_KINDS:
                # tuples of plain values (no data: None, not {}): the garbage collector stops
                # tracking them, so a month of logs does not slow its full sweeps
                keys = _CLOCK_DATA.get(kind)
                entry = (kind, new["last_at"], None if keys is None else _clock_data(event, keys))
                log = new.get("log")
                new["log"] = (entry,) if log is None else (*log, entry)
            if event_id is not None:
                store.remember_event(case, event_id)
            if trail is not None and trail_record is not None:
                trail._append_canonical("event", trail_record)
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
                    outcome: Outcome = self._reject_raw(None, item)
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

    def replay_file(self, path: str | Path) -> ReplaySummary:
        """Feed every line of a JSON Lines file (memory does not grow with the file)."""
        return self.feed_all(read_events(path))

    # --- reporting ------------------------------------------------------------------------------

    def findings(
        self, as_of: dt.datetime | None = None, *, explain: bool = False
    ) -> list[dict[str, Any]]:
        """Findings of finished cases (recorded when they finished) and of open cases as of
        ``as_of`` (default: each case's last event), as the finding JSON of docs/architecture.md. An ``as_of`` without
        a time zone is a ``ClockError`` (``INVALID-VALUE``)."""
        if as_of is not None and (not isinstance(as_of, dt.datetime) or as_of.utcoffset() is None):
            raise ClockError(
                Problem(
                    "INVALID-VALUE",
                    f"as_of 须为带时区的时间：{as_of!r}",
                    f"as_of must be a datetime with its time zone: {as_of!r}",
                )
            )
        out = list(self.store.findings())
        for _case, state in self.store.open_cases():
            out.extend(f.to_dict() for f in self._case_findings(state, as_of, explain=explain))
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

    def _clock(self, state: Mapping[str, Any], as_of: dt.datetime | None) -> Any:
        """The case's clock from its logged events, or ``None`` before acceptance."""
        watch = self._watch
        if watch is None or state.get("accepted_at") is None:  # the clock starts at acceptance
            return None
        case, item = state["case"], state["item"]
        log = state.get("log", ())
        if all(entry.__class__ in _SEQUENCES for entry in log):  # the monitor's own entries
            parse = dt.datetime.fromisoformat
            events = [
                LoggedEvent(case, item, kind, parse(at), data or _NO_DATA) for kind, at, data in log
            ]
        else:
            events = [_logged(e, case, item) for e in log]
        return watch.clock(item, events, as_of)

    def _case_findings(
        self,
        state: Mapping[str, Any],
        as_of: dt.datetime | None,
        *,
        explain: bool = False,
        clock: Any = None,
    ) -> list[Finding]:
        clock = clock if clock is not None else self._clock(state, as_of)
        if clock is None or self._watch is None:
            return []
        return self._watch.findings(clock, explain=explain)

    def _finish(self, state: dict[str, Any]) -> None:
        clock = self._clock(state, None)  # computed once, for the findings and the summary
        findings = self._case_findings(state, None, clock=clock)
        for finding in findings:
            self.store.add_finding(finding.to_dict())
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
            "rating": state.get("rating"),
            "complaints": state.get("complaints", 0),
            "channel": state.get("channel"),
            "breaches": state.get("breaches", 0),
            "state": {k: v for k, v in state.items() if k != "log"},
        }
        if clock is not None and self._watch is not None:
            summary.update(self._watch.summary(clock))
        return summary

    def _feed_closed(self, event: Event, closed: Mapping[str, Any]) -> Outcome:
        """A side event (rating, complaint, inspection …) for a case already finished."""
        state = closed["state"]
        process = self.processes.for_event(state, event) if self.processes is not None else None
        outcome = apply(state, event, process=process, item_known=event.item in self._items)
        outcome, sod_findings = self._separation(event, state, outcome)
        with self.store.transaction():
            if isinstance(outcome, Rejected):
                record = outcome.record(event)
                self.store.add_rejected(record)
                if event.id is not None:  # a redelivery is a duplicate: stored once
                    self.store.remember_event(event.case, event.id)
                if self._trail is not None:
                    self._trail.append("rejected", {**record, "event": event_record(event)})
                return outcome
            if event.id is not None:
                self.store.remember_event(event.case, event.id)
            if self._trail is not None:
                self._trail._append_canonical("event", event_record(event))
            for finding in sod_findings:
                self.store.add_finding(finding)
            extra = dict(closed)
            extra["state"] = outcome.state
            if event.event == "rate":
                extra["rating"] = event.data.get("score")
            elif event.event == "complaint":
                extra["complaints"] = int(closed.get("complaints", 0)) + 1
            elif event.event in _SCORED_DATA:
                _note_scored_data(extra, event)
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

    def _reject_raw(self, raw: Any, problem: Problem) -> Rejected:
        rejected = Rejected("EVENT-INVALID", problem.message_zh, problem.message_en)
        record: dict[str, Any] = {
            "event": raw if isinstance(raw, dict) else None,
            "line": problem.line,
            "reason": "EVENT-INVALID",
            "message_zh": problem.message_zh,
            "message_en": problem.message_en,
            "expected": [],
        }
        with self.store.transaction():
            self.store.add_rejected(record)
            if self._trail is not None:
                self._trail.append("rejected", _plain(record))
        return rejected


# Event data that monthly statistics read (docs/scoring.md): the channel an application came
# in by (submit or accept ``data.channel``) and discipline breaches found by inspection.
_SCORED_DATA = frozenset({"submit", "accept", "inspect"})


def _note_scored_data(record: dict[str, Any], event: Event) -> None:
    data = event.data
    if event.event == "inspect":
        if data.get("breach") is True:
            record["breaches"] = int(record.get("breaches", 0)) + 1
    elif "channel" in data and record.get("channel") is None:
        record["channel"] = data["channel"]


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


def _plain(value: Any) -> Any:
    """A raw (unparsed) value as the trail's canonical form accepts it: floats as decimal
    text, NaN and infinities as text, other values as they are."""
    if isinstance(value, float):
        return decimal_text(value) if math.isfinite(value) else str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
