"""Per-case records from case events: replayed through the monitor, one record per case.

The monitor (:mod:`fyrules.cases.monitor`) keeps a summary of each finished case (kind, days
used, committed limit, settlement, window, department, acceptance and closing times, and
what scoring notes through the ``case_note`` hook, :data:`CASE_NOTE`: rating, complaints,
channel, discipline breaches); cases still open stay in the store as working states.
:func:`case_records` turns both into :class:`CaseRecord` s, judging where each case stood at
the end of the month it was accepted in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ..engine.extension import CaseNote
from .statistics import CaseRecord, Status

SETTLED_BY = "complete"  # the closing event of a settled case (办结)
ENDED_UNSETTLED = frozenset({"withdraw", "reject"})
ONLINE = "online"


def _note(record: dict[str, Any], event: Any) -> None:
    """Note what monthly statistics read of an accepted event (docs/scoring.md): the rating,
    a complaint, the channel an application came in by (submit or accept ``data.channel``,
    the first one given) and a discipline breach found by inspection (``data.breach``)."""
    kind, data = event.event, event.data
    if kind == "rate":
        record["rating"] = data.get("score")
    elif kind == "complaint":
        record["complaints"] = int(record.get("complaints", 0)) + 1
    elif kind == "inspect":
        if data.get("breach") is True:
            record["breaches"] = int(record.get("breaches", 0)) + 1
    elif "channel" in data and record.get("channel") is None:
        record["channel"] = data["channel"]


def _summary(state: Mapping[str, Any]) -> dict[str, Any]:
    """What a finished case's summary keeps for monthly statistics (complaints found
    substantiated are counted by the case's complaint tracks, :mod:`fyrules.cases.tracks`)."""
    return {
        "rating": state.get("rating"),
        "complaints": state.get("complaints", 0),
        "substantiated_complaints": state.get("substantiated_complaints", 0),
        "channel": state.get("channel"),
        "breaches": state.get("breaches", 0),
    }


# scoring's ``case_note`` hook (fyrules.engine.extension): the monitor notes these for it
CASE_NOTE = CaseNote(
    kinds=frozenset({"rate", "complaint", "submit", "accept", "inspect"}),
    note=_note,
    summary=_summary,
)


def month_of(moment: dt.datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{local.year:04d}-{local.month:02d}"


def month_bounds(month: str, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """The first instant of ``month`` and the first instant of the next, in ``zone``."""
    from ..engine.months import Month

    return Month.parse(month).bounds(zone)


def replay(rulebook: Any, events: Iterable[Any] | str | Path, store: Any = None) -> tuple[Any, Any]:
    """A monitor that has replayed ``events`` (a JSON Lines path, or an iterable of events,
    dicts or lines), and the replay's counts. Without ``store``: in memory, without a trail;
    with one (``--store``): into it, continuing its cases and its trail."""
    import contextlib

    monitor = rulebook.monitor(trail=False) if store is None else rulebook.monitor(store=store)
    with store.batch() if hasattr(store, "batch") else contextlib.nullcontext():
        if isinstance(events, str | Path):
            summary = monitor.replay_file(events)
        else:
            summary = monitor.feed_all(events)
    return monitor, summary


def case_records(monitor: Any) -> list[CaseRecord]:
    """One record per accepted case the monitor knows, finished or open."""
    zone = ZoneInfo(monitor.rulebook.timezone)
    ends: dict[str, dt.datetime] = {}
    out = [r for r in _finished(monitor.store.closed_cases(), zone, ends) if r is not None]
    catalog = monitor.rulebook.items
    for _case, state in monitor.store.open_cases():
        item = catalog.items.get(state.get("item"))
        kind = catalog.kind(item) if item is not None else None
        record = _open(monitor, state, zone, ends, kind)
        if record is not None:
            out.append(record)
    return out


def _end(month: str, zone: ZoneInfo, ends: dict[str, dt.datetime]) -> dt.datetime:
    end = ends.get(month)
    if end is None:
        end = ends[month] = month_bounds(month, zone)[1]
    return end


def _finished(
    summaries: Iterator[tuple[str, Mapping[str, Any]]], zone: ZoneInfo, ends: dict[str, dt.datetime]
) -> Iterator[CaseRecord | None]:
    parse = dt.datetime.fromisoformat
    for case, s in summaries:
        accepted_at = s.get("accepted_at")
        if not accepted_at:
            yield None  # refused before acceptance: not a case of any month
            continue
        month = month_of(parse(accepted_at), zone)
        closed_at = s.get("closed_at")
        in_month = closed_at is not None and parse(closed_at) < _end(month, zone, ends)
        closed_by = s.get("closed_by")
        settled = in_month and closed_by == SETTLED_BY
        status: Status
        if settled:
            status = "closed"
        elif in_month and closed_by in ENDED_UNSETTLED:
            status = "withdrawn"
        else:
            status = "in_progress"
        yield CaseRecord(
            case=case,
            month=month,
            window=s.get("window"),
            dept=s.get("dept"),
            kind=s.get("kind"),
            status=status,
            settlement=s.get("settlement") if settled else None,
            used_days=s.get("used_days") if settled else None,
            committed_limit=s.get("committed_limit") if settled else None,
            online=s.get("channel") == ONLINE,
            rating=s.get("rating"),
            complaints=int(s.get("complaints") or 0),
            breaches=int(s.get("breaches") or 0),
            item=s.get("item") or "",
            substantiated=int(s.get("substantiated_complaints") or 0),
        )


def _open(
    monitor: Any,
    state: Mapping[str, Any],
    zone: ZoneInfo,
    ends: dict[str, dt.datetime],
    kind: str | None,
) -> CaseRecord | None:
    accepted_at = state.get("accepted_at")
    if not accepted_at:
        return None
    month = month_of(dt.datetime.fromisoformat(accepted_at), zone)
    closed_at = state.get("closed_at")
    settled = (
        state.get("closed_by") == SETTLED_BY
        and closed_at is not None
        and dt.datetime.fromisoformat(closed_at) < _end(month, zone, ends)
    )
    clock = monitor.case_clock(state) if settled else None
    return CaseRecord(
        case=state["case"],
        month=month,
        window=state.get("window"),
        dept=state.get("dept"),
        kind=clock.kind if clock is not None else kind,
        status="closed" if settled else "in_progress",
        settlement=clock.settlement if clock is not None else None,
        used_days=clock.used_days if clock is not None else None,
        committed_limit=clock.committed_limit if clock is not None else None,
        online=state.get("channel") == ONLINE,
        rating=state.get("rating"),
        complaints=int(state.get("complaints") or 0),
        breaches=int(state.get("breaches") or 0),
        item=state.get("item") or "",
        substantiated=int(state.get("substantiated_complaints") or 0),
    )
