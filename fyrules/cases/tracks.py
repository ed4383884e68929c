"""What a case keeps of who handled it and of its complaint and accountability events.

Two lists of plain JSON values in a case's working state, written by the monitor:

- ``handlers``: one ``[kind, at, actor, dept]`` per staff event (受理、承办、审核 …), kept
  only while a rulebook asks who held an overdue case (the ``finding_note`` hook), and dropped
  from a finished case's summary once its findings are recorded;
- ``tracks``: one ``{"kind", "at", "id", "actor", "dept", "data"}`` per event of a complaint's
  handling or of an accountability record (:data:`~fyrules.cases.events.TRACK_KINDS`), kept
  with the case (open or finished), for :mod:`fyrules.workflows`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from .events import Event


def note_handler(state: dict[str, Any], event: Event) -> None:
    """Add ``event``'s handler to ``state["handlers"]`` (a new tuple: states are shared)."""
    entry = (event.event, state["last_at"], event.actor, event.dept or state.get("dept"))
    handlers = state.get("handlers")
    state["handlers"] = (entry,) if handlers is None else (*handlers, entry)


def note_track(state: dict[str, Any], event: Event) -> None:
    """Add ``event`` to ``state["tracks"]`` (a new list: states are shared)."""
    entry = {
        "kind": event.event,
        "at": event.at.isoformat(),
        "id": event.id,
        "actor": event.actor,
        "dept": event.dept,
        "data": dict(event.data),
    }
    tracks = [*state.get("tracks", ()), entry]
    state["tracks"] = tracks
    if event.event in ("complaint_answered", "complaint_ruled"):
        state["substantiated_complaints"] = substantiated_count(tracks)


@attrs.frozen(slots=True)
class Complaint:
    """One complaint of a case and how it was handled (from the case's ``tracks``)."""

    id: str
    at: dt.datetime
    answered_at: dt.datetime | None = None
    answered_by: str | None = None
    substantiated: bool | None = None
    ruled_at: dt.datetime | None = None
    ruled_by: str | None = None


def complaints(tracks: Iterable[Mapping[str, Any]]) -> list[Complaint]:
    """The complaints in ``tracks``, each with its answer and ruling. An answer or a ruling
    names its complaint in ``data.complaint`` (the complaint event's ``id``); without it, it
    is for the earliest complaint not yet answered (or ruled). A later ruling replaces an
    earlier one."""
    found: list[Complaint] = []
    for entry in tracks:
        kind, data = entry["kind"], entry.get("data") or {}
        at = dt.datetime.fromisoformat(entry["at"])
        if kind == "complaint":
            found.append(Complaint(entry.get("id") or f"#{len(found) + 1}", at))
            continue
        if kind not in ("complaint_answered", "complaint_ruled"):
            continue
        named = data.get("complaint")
        field = "answered_at" if kind == "complaint_answered" else "ruled_at"
        index = next(
            (
                i
                for i, c in enumerate(found)
                if (c.id == named if named is not None else getattr(c, field) is None)
            ),
            None,
        )
        if index is None:  # names no complaint of the case (or all are handled): ignored
            continue
        c = found[index]
        if kind == "complaint_answered":
            found[index] = attrs.evolve(c, answered_at=at, answered_by=entry.get("actor"))
        else:
            found[index] = attrs.evolve(
                c,
                substantiated=bool(data.get("substantiated")),
                ruled_at=at,
                ruled_by=entry.get("actor"),
            )
    return found


def substantiated_count(tracks: Iterable[Mapping[str, Any]]) -> int:
    """How many of the case's complaints are ruled substantiated (属实)."""
    return sum(1 for c in complaints(tracks) if c.substantiated)
