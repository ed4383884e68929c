"""A stream of events replayed as a live service would have lived it: in time order, with the
scheduler emitting what falls due between two events (``fyrules notify``, the demo)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from ..cases.events import Event
from ..cases.monitor import Duplicate
from ..engine.findings import Finding
from .port import Notification
from .scheduler import Scheduler


@attrs.frozen(slots=True)
class Replayed:
    """What a replay emitted, in time order, and the supervision-after-approval findings."""

    notifications: tuple[Notification, ...]
    findings: tuple[Finding, ...]
    accepted: tuple[Event, ...]
    scheduler: Scheduler


def replay_notifications(
    monitor: Any,
    events: Iterable[Event],
    as_of: dt.datetime,
    *,
    draw: Mapping[str, Any] | None = None,
    draws: Iterable[Mapping[str, Any]] = (),
    owns: Callable[[str], bool] | None = None,
) -> Replayed:
    """Feed ``events`` up to ``as_of`` (sorted by time; a file's order kept within one moment)
    into ``monitor`` with a :class:`Scheduler` on its store, and emit everything due up to
    ``as_of``. A store already holding cases (an earlier run) is taken up as of their last
    event, and what it had notified stays notified. The findings are the approvals not told to
    the supervisors in time among every case the monitor holds, as of ``as_of``.

    ``draw`` and ``draws``: draws whose inspections to assign besides those recorded in the
    store's trail; ``owns``: the cases this monitor's store holds, when it is one partition of
    several (see :class:`Scheduler`)."""
    given = list(events)
    timeline = sorted((e for e in given if e.at <= as_of), key=lambda e: e.at)
    items = {e.case: e.item for e in given}  # for a draw assigned before its cases are fed
    scheduler = Scheduler(monitor, owns=owns)
    store = monitor.store
    start = min(timeline[0].at if timeline else as_of, as_of)
    known = [dt.datetime.fromisoformat(s["last_at"]) for _, s in store.open_cases()]
    scheduler.resume(max([start, *known]), _trail(store))
    for recorded in draws:
        scheduler.assign_inspections(recorded, items)
    if draw is not None:
        scheduler.assign_inspections(draw, items)
    emitted: list[Notification] = []
    accepted: list[Event] = []
    for event in timeline:
        emitted.extend(scheduler.due(event.at))
        outcome = monitor.feed(event)
        if outcome.ok and not isinstance(outcome, Duplicate):
            accepted.append(event)
            emitted.extend(scheduler.observe(event))
    emitted.extend(scheduler.due(as_of))
    limit = scheduler.policy.inform
    findings: list[Finding] = []
    if limit is not None:  # the monitor's own (its track_findings hook), for every case it holds
        findings = [f for f in monitor.findings(as_of) if f.rule == limit.rule]
    return Replayed(tuple(emitted), tuple(findings), tuple(accepted), scheduler)


def _trail(store: Any) -> list[Any]:
    """The trail's entries where the store keeps them (a draw, inspections, rectifications)."""
    try:
        return list(store.trail())
    except (RuntimeError, NotImplementedError):
        return []
