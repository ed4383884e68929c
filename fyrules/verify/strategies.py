"""Hypothesis strategies for event streams, derived from a rulebook (:mod:`.universe`).

A stream holds a few cases. Each case follows its item's process (submission, acceptance,
undertaking, review, a decision, completion, delivery), stops anywhere on the way or goes to
the end, and on the way may be paused for one of the item's special procedures, extended, or
inspected afterwards. Every actor is drawn from the roster: the persons holding a role the
item's process asks of that event, or those of them holding several roles for the item, or
those who already acted on the case, so separation of duties is put to the test; an event
carries the data its process requires (an extension's reason).
Stages are spaced in working days (sometimes many: late cases) from days at the calendar's
edges. The stream is then disturbed as deliveries are: an event delivered twice (same id),
two events swapped, an event delivered late.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from hypothesis import strategies as st

from ..cases.events import Event
from .universe import ItemPlan, Universe

MAX_CASES = 3
_HOURS = (8, 9, 11, 14, 16, 17)  # 17: past the afternoon cut-off of some centers


def streams(u: Universe, max_cases: int = MAX_CASES) -> st.SearchStrategy[list[Event]]:
    """Streams of events of one to ``max_cases`` cases, disturbed as deliveries are."""
    return (
        _ints(1, max_cases)
        .flatmap(lambda n: st.tuples(*(_case(u, i) for i in range(n))))
        .flatmap(lambda cases: _disturbed(sorted((e for c in cases for e in c), key=_order)))
    )


# Strategies are built once and reused: building one costs more than drawing from it.
@lru_cache(maxsize=4096)
def _ints(low: int, high: int) -> st.SearchStrategy[int]:
    return st.integers(low, high)


@lru_cache(maxsize=4096)
def _pick(choices: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    return st.sampled_from(choices)


_GAP = st.one_of(st.integers(0, 2), st.integers(3, 25))  # mostly within budget, sometimes late
_BOOL = st.booleans()
_MINUTES = st.sampled_from((5, 30, 90))
_SIDE = st.sampled_from(("none", "pause", "extend", "both"))
_VERDICT = st.sampled_from(("approve", "approve", "deny"))
_DISTURBANCE = st.sampled_from(("duplicate", "swap", "late"))


def _order(e: Event) -> tuple[dt.datetime, str]:
    return (e.at, e.id or "")


@st.composite
def _case(draw: Any, u: Universe, index: int) -> list[Event]:
    item: ItemPlan = draw(_pick(u.items))
    calendar = u.rulebook.calendar
    day = draw(_pick(u.days))
    at = dt.datetime.combine(day, dt.time(draw(_pick(_HOURS)), 0), u.zone)
    case = f"V-{index + 1}"
    out: list[Event] = []
    acted: list[str] = []

    def later(days: int) -> dt.datetime:
        nonlocal at
        if days <= 0:
            at = at + dt.timedelta(minutes=draw(_MINUTES))
        else:
            local = calendar.add_working_days(at.astimezone(u.zone).date(), days)
            at = dt.datetime.combine(local, dt.time(draw(_pick(_HOURS)), 0), u.zone)
        return at

    def gap() -> int:
        return draw(_GAP)

    def actor(kind: str, *fallback: str) -> str:
        # From the roster: the holders of the roles the process asks of ``kind``; or those of
        # them holding several roles for the item, or those who already acted on the case
        # (eligible or not): where separation of duties and the roster can break.
        roles = item.roles_of(kind, *fallback)
        holders = item.pool(*roles) or item.pool(*fallback) or (f"{item.department}-staff",)
        sources = [holders]
        several = item.several(*roles)
        if several:
            sources.append(several)
        if acted:
            sources.append(tuple(acted))
        return draw(_pick(draw(_pick(tuple(sources)))))

    def add(kind: str, who: str | None, data: dict[str, Any] | None = None) -> None:
        data = dict(data or {})
        for key in item.data.get(kind, ()):  # what the process requires the event to carry
            data.setdefault(key, f"fyrules verify: {key}")
        out.append(
            Event(
                id=f"{case}-{len(out) + 1}",
                case=case,
                item=item.code,
                event=kind,  # type: ignore[arg-type]
                at=at,
                actor=who,
                dept=item.department,
                window=item.window,
                data=data,
            )
        )
        if who is not None and kind != "submit" and who not in acted:
            acted.append(who)

    add("submit", f"applicant-{index + 1}")
    later(0)
    add("accept", actor("accept", "acceptor"))
    steps = ["undertake", "review", "decide", "complete", "deliver"]
    if item.kind == "immediate" and draw(_BOOL):
        steps = ["decide", "complete", "deliver"]
    stop = draw(_pick((len(steps), *range(len(steps)))))
    side = draw(_SIDE)
    for n, step in enumerate(steps[:stop]):
        if n == 1 and side in ("pause", "both") and item.procedures:
            name, longest = draw(_pick(item.procedures))
            later(0)
            add("pause", actor("pause", "reviewer"), {"reason": name})
            later(draw(_ints(1, (longest or 5) + 3)))
            add("resume", actor("resume", "reviewer"))
        if n == 1 and side in ("extend", "both"):
            later(0)
            who = actor("extend", "approver", "approval_head")
            heads = item.pool(*item.approved_by.get("extend", ("approval_head", "leader")))
            approved_by = draw(_pick((*heads, who)))
            days = draw(_ints(1, u.extension_days))
            add("extend", who, {"days": days, "approved_by": approved_by})
        later(gap())
        if step == "undertake":
            add("undertake", actor("undertake", "reviewer"))
        elif step == "review":
            add("review", actor("review", "reviewer"))
        elif step == "decide":
            verdict = draw(_VERDICT)
            add(verdict, actor(verdict, "approver", "approval_head"))
        elif step == "complete":
            add("complete", actor("complete", "acceptor"))
        else:
            add("deliver", actor("deliver", "acceptor"))
    if draw(_BOOL):
        later(gap())
        add("inspect", actor("inspect", "inspector", "supervisor"))
    return out


@st.composite
def _disturbed(draw: Any, events: list[Event]) -> list[Event]:
    """``events`` with some delivered twice, swapped or late."""
    out = list(events)
    for _ in range(draw(_ints(0, 3))):
        if not out:
            break
        i = draw(_ints(0, len(out) - 1))
        how = draw(_DISTURBANCE)
        if how == "duplicate":
            out.insert(draw(_ints(i + 1, len(out))), out[i])
        elif how == "swap" and i + 1 < len(out):
            out[i], out[i + 1] = out[i + 1], out[i]
        elif how == "late":
            out.append(out.pop(i))
    return out
