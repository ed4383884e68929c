"""Audits of case events against history-based separation of duties and recusals
(办件历史的职责分离审计): every conflict as a finding (the finding contract of docs/architecture.md).

The audit decides as the monitor does (:mod:`fyrules.separation.gate`): an event with an
error-level conflict counts as refused, so its actor is not recorded on the case. Auditing a
monitor's trail (its accepted events and those it refused for separation of duties) therefore
flags exactly the refused events at error level and reports the warnings it recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from . import Conflict, history_policy


def audit_history(
    events: Iterable[Any], policy_or_rulebook: Any, *, timezone: str | None = None
) -> list[dict[str, Any]]:
    """Replay ``events`` (:class:`~fyrules.cases.events.Event` objects or their JSON
    mappings, in time order) and report every conflict as a finding. An event with an
    error-level conflict counts as rejected, the way the monitor decides: its actor is not
    recorded on the case. Validity is read on each event's local date (``timezone``, or the
    rulebook's)."""
    policy = history_policy(policy_or_rulebook)
    zone = timezone or getattr(policy_or_rulebook, "timezone", None)
    tz = ZoneInfo(zone) if zone else None
    cases: dict[str, dict[str, Any]] = {}
    out: list[dict[str, Any]] = []
    for raw in events:
        e = _plain_event(raw)
        state = cases.get(e["case"])
        if state is None:
            state = cases[e["case"]] = {
                "case": e["case"],
                "item": e["item"],
                "dept": e.get("dept"),
                "actors": {},
            }
        kind, actor, at = e["event"], e.get("actor"), e["at"]
        found: list[Conflict] = []
        if actor and policy.concerns(kind, actor):
            when = at if isinstance(at, dt.datetime) else dt.datetime.fromisoformat(at)
            on = when.astimezone(tz).date() if tz is not None else when.date()
            found = policy.check(kind, actor, state, on)
            out.extend(c.to_finding(e["case"], at) for c in found)
        if actor and not any(c.severity == "error" for c in found):
            seen = state["actors"].setdefault(kind, [])
            if actor not in seen:
                seen.append(actor)
    return out


def _plain_event(raw: Any) -> Mapping[str, Any]:
    if isinstance(raw, Mapping):
        return raw
    return {
        "case": raw.case,
        "item": raw.item,
        "dept": raw.dept,
        "event": raw.event,
        "actor": raw.actor,
        "at": raw.at,
    }


SEPARATION_REFUSALS = frozenset({"SOD-HISTORY", "SOD-RECUSAL"})


def events_of_trail(entries: Iterable[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    """The events of a monitor's trail to audit, in order: those it accepted and those it
    refused for separation of duties (``store.trail()`` or a trail file's entries)."""
    for entry in entries:
        record = entry.get("record") or {}
        if entry.get("kind") == "event":
            yield record
        elif entry.get("kind") == "rejected" and record.get("reason") in SEPARATION_REFUSALS:
            yield record["event"]
