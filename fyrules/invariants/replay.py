"""A stream of events replayed through a rulebook's monitor, and the invariants it breaks.

:func:`replay` feeds every event to a fresh monitor (in memory, no trail) and keeps, per case,
the events the monitor *accepted*; the contexts of the ``case_history`` and ``person_month``
scopes are built from those and from the findings the monitor reports. :func:`broken` says
which invariants the stream breaks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from ..cases.events import (
    CLOCK_KINDS,
    HANDLING_KINDS,
    Event,
    EventError,
    parse_event,
    parse_numbered_events,
)
from ..cases.monitor import Monitor
from ..cases.state import Accepted
from ..engine.findings import Finding
from ..engine.problems import FyrulesError, Problem
from .scopes import ACTOR_STAGES

_DECISIONS = frozenset({"approve", "deny"})


def test_events(raw_events: Sequence[Any]) -> list[Event]:
    """A rulebook test's events, validated (a bad one is named by its place)."""
    events = parse_numbered_events(raw_events)
    if not events:
        raise EventError(Problem("TEST-INVALID", "events 不能为空", "events cannot be empty"))
    return events


@attrs.frozen(slots=True)
class Replay:
    """What the monitor made of a stream: accepted events per case, findings, the end."""

    rulebook: Any
    monitor: Monitor
    accepted: Mapping[str, tuple[Event, ...]]
    as_of: dt.datetime | None

    @property
    def cases(self) -> list[str]:
        return list(self.accepted)

    def findings_by_case(self) -> dict[str, list[Finding]]:
        out: dict[str, list[Finding]] = {}
        for finding in self.monitor.findings(as_of=self.as_of):
            out.setdefault(str(finding.subject), []).append(finding)
        return out

    def case_context(
        self, case: str, findings: Mapping[str, list[Finding]] | None = None
    ) -> dict[str, Any] | None:
        """The ``case_history`` context of ``case``; ``None`` when it was never accepted
        (it has no clock)."""
        events = self.accepted.get(case, ())
        store = self.monitor.store
        closed = store.get_closed(case)
        state = closed.get("state") if closed is not None else store.get_case(case)
        if not events or state is None or state.get("accepted_at") is None:
            return None
        clock_events = [e for e in events if e.event in CLOCK_KINDS]
        try:
            clock = self.rulebook.case_clock(
                clock_events, None if closed is not None else self.as_of
            )
        except FyrulesError:
            return None
        directory = _directory(self.rulebook)
        people, items = directory
        actors: dict[str, list[str]] = {stage: [] for stage in ACTOR_STAGES}
        handlers: list[str] = []
        first: dict[str, dt.datetime | None] = dict.fromkeys(ACTOR_STAGES)
        for e in events:
            if e.event in first and first[e.event] is None:
                first[e.event] = e.at
            if e.actor is None:
                continue
            if e.event in actors and e.actor not in actors[e.event]:
                actors[e.event].append(e.actor)
            if e.event in HANDLING_KINDS and e.actor not in handlers:
                handlers.append(e.actor)
        found = (findings if findings is not None else self.findings_by_case()).get(case, [])
        context = clock.to_context()
        context.update(
            department=items.get(events[0].item),
            closed=bool(state.get("closed")),
            closed_by=state.get("closed_by"),
            events=[_event(e, people) for e in events],
            actors=actors,
            first=first,
            handlers=handlers,
            findings=[
                {"rule": f.rule, "severity": f.severity, "tags": self._tags(f.rule)} for f in found
            ],
            fired=sorted({f.rule for f in found}),
        )
        return context

    def person_context(self, person: str, when: dt.datetime) -> dict[str, Any]:
        """The ``person_month`` context of ``person`` in the month of ``when`` (local)."""
        zone = ZoneInfo(self.rulebook.timezone)
        month = when.astimezone(zone).strftime("%Y-%m")
        return self.person_months().get((person, month)) or _empty_month(
            person, month, _directory(self.rulebook)[0].get(person)
        )

    def person_months(self) -> dict[tuple[str, str], dict[str, Any]]:
        """Every person's month that the accepted events touch."""
        zone = ZoneInfo(self.rulebook.timezone)
        people, items = _directory(self.rulebook)
        months: dict[tuple[str, str], dict[str, Any]] = {}
        for case, events in self.accepted.items():
            for e in events:
                if e.actor is None or e.event in ("submit", "corrected", "rate", "complaint"):
                    continue
                month = e.at.astimezone(zone).strftime("%Y-%m")
                ctx = months.get((e.actor, month))
                if ctx is None:
                    ctx = months[(e.actor, month)] = _empty_month(
                        e.actor, month, people.get(e.actor)
                    )
                ctx["events"] += 1
                lists = []
                if e.event in HANDLING_KINDS:
                    lists.append("handled")
                if e.event == "review":
                    lists.append("reviewed")
                if e.event in _DECISIONS:
                    lists.append("decided")
                if e.event == "inspect":
                    lists.append("inspected")
                    department = items.get(e.item)
                    if department and department not in ctx["inspected_departments"]:
                        ctx["inspected_departments"].append(department)
                for name in lists:
                    if case not in ctx[name]:
                        ctx[name].append(case)
        return months

    def _tags(self, rule_id: str) -> list[str]:
        rule = self.rulebook.rules.in_force(rule_id)
        return list(rule.tags) if rule is not None else []


def replay(
    rulebook: Any, events: Iterable[Event | Mapping[str, Any]], as_of: dt.datetime | None = None
) -> Replay:
    """Feed ``events`` to a fresh monitor of ``rulebook``; open cases are judged as of
    ``as_of`` (default: the latest time among the accepted events)."""
    monitor = rulebook.monitor(trail=False)
    accepted: dict[str, list[Event]] = {}
    latest: dt.datetime | None = None
    for raw in events:
        try:
            event = raw if isinstance(raw, Event) else parse_event(dict(raw))
        except EventError:
            monitor.feed(dict(raw) if isinstance(raw, Mapping) else raw)  # recorded as rejected
            continue
        if isinstance(monitor.feed(event), Accepted):
            accepted.setdefault(event.case, []).append(event)
            latest = event.at if latest is None or event.at > latest else latest
    return Replay(
        rulebook,
        monitor,
        {case: tuple(found) for case, found in accepted.items()},
        as_of if as_of is not None else latest,
    )


def broken(rulebook: Any, replayed: Replay) -> list[Finding]:
    """The invariants in force that ``replayed`` breaks: one finding per case or person-month
    and invariant. An invariant that cannot be evaluated on a context is broken too (its
    finding says why): a guard that cannot read a case guards nothing."""
    invariants = rulebook.part("invariants")
    if not invariants:
        return []
    out: list[Finding] = []
    by_case = replayed.findings_by_case()
    for case in replayed.cases:
        context = replayed.case_context(case, by_case)
        if context is None:
            continue
        on = context["accepted_on"]
        for invariant in invariants.for_scope("case_history", on):
            out.extend(_check(invariant, context, case, "case", context["as_of"]))
    for (person, month), context in sorted(replayed.person_months().items()):
        on = dt.date.fromisoformat(f"{month}-01")
        for invariant in invariants.for_scope("person_month", on):
            out.extend(_check(invariant, context, person, "person", month))
    return out


def _check(invariant: Any, context: Any, subject: str, kind: str, at: Any) -> list[Finding]:
    from ..engine.expr import EvaluationError

    try:
        finding = invariant.check(context, subject=subject, subject_kind=kind, at=None)
    except EvaluationError as exc:
        p = exc.problem
        return [
            Finding(
                rule=invariant.id,
                severity=invariant.severity,
                message_zh=f"不变式无法求值：{p.message_zh}",
                message_en=f"the invariant cannot be evaluated: {p.message_en}",
                basis=invariant.basis,
                subject=subject,
                subject_kind=kind,
                rule_location=invariant.location,
            )
        ]
    return [finding] if finding is not None else []


def _event(e: Event, people: Mapping[str, str | None]) -> dict[str, Any]:
    data = e.data
    days = data.get("days")
    return {
        "kind": e.event,
        "actor": e.actor,
        "actor_department": people.get(e.actor or ""),
        "at": e.at,
        "reason": _text(data.get("reason")),
        "days": days if isinstance(days, int | float) and not isinstance(days, bool) else None,
        "approved_by": _text(data.get("approved_by")),
    }


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _empty_month(person: str, month: str, department: str | None) -> dict[str, Any]:
    return {
        "person": person,
        "department": department,
        "month": month,
        "handled": [],
        "reviewed": [],
        "decided": [],
        "inspected": [],
        "inspected_departments": [],
        "events": 0,
    }


def _directory(rulebook: Any) -> tuple[Mapping[str, str | None], Mapping[str, str]]:
    """Each person's department and each item's licensing department."""
    separation = rulebook.part("separation")
    if separation is not None:
        return separation.history.person_department, separation.history.item_department
    return {}, {code: item.department for code, item in rulebook.items.items.items()}
