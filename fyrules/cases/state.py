"""The case state machine: one event at a time, checked against the case's bound process.

:func:`apply` is pure: it takes a case's state (a plain JSON dict, or ``None`` for a case
never seen) and an event, and returns :class:`Accepted` with the new state, or
:class:`Rejected` with a stable reason code and a message in Chinese and English that names
the events the case expects next. It never changes its input, never raises on a bad event,
and gives the same answer for the same input (replaying a case's accepted events from
scratch gives its state back).

The state records what the monitor and the checks that follow need without the case's
events: the process version the case is bound to, its stage, whether it is paused or
closed, the times of its milestones and who acted at each kind of event (``actors``, for
separation of duties). ``docs/processes.md`` lists every rejection reason and its fix.

Duplicates (an ``id`` already recorded for the case) are the caller's to catch, through the
store, before calling :func:`apply`: see :func:`is_duplicate`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, final

import attrs

from .events import Event
from .process import CLOSING_EVENTS, OPENING_EVENTS, Process

JSON = dict[str, Any]

# Every reason an event can be rejected for (documented in docs/error-codes.md).
REJECTION_CODES: tuple[str, ...] = (
    "EVENT-CASE-MISMATCH",
    "EVENT-ITEM-MISMATCH",
    "EVENT-UNKNOWN-ITEM",
    "EVENT-UNKNOWN-CASE",
    "EVENT-NO-PROCESS",
    "EVENT-PROCESS-CHANGED",
    "EVENT-TIME-BACKWARDS",
    "EVENT-NO-ACTOR",
    "EVENT-NOT-IN-PROCESS",
    "EVENT-AFTER-CLOSE",
    "EVENT-OUT-OF-ORDER",
    "EVENT-PAUSED",
    "EVENT-ALREADY-PAUSED",
    "EVENT-NO-PAUSE",
)


@final
@attrs.frozen(slots=True)
class Accepted:
    """The event is recorded; ``state`` is the case's new state (a new dict)."""

    state: JSON
    ok: bool = attrs.field(default=True, init=False)


@final
@attrs.frozen(slots=True)
class Rejected:
    """The event breaks the case's process; nothing about the case changes.

    ``expected`` lists the events the case would accept now (empty when it accepts none)."""

    reason_code: str
    message_zh: str
    message_en: str
    expected: tuple[str, ...] = ()
    ok: bool = attrs.field(default=False, init=False)

    def message(self) -> str:
        """The reason in both languages: ``中文 / English``."""
        return f"{self.message_zh} / {self.message_en}"

    def record(self, event: Event) -> JSON:
        """The JSON a store keeps for a rejected event (``Store.add_rejected``)."""
        return {
            "event": event.model_dump(mode="json"),
            "reason": self.reason_code,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "expected": list(self.expected),
        }


Result = Accepted | Rejected


def is_duplicate(store: Any, event: Event) -> bool:
    """Whether ``store`` already recorded an event with this ``id`` for the case: a duplicate
    delivery, acknowledged and changing nothing. Events without an ``id`` are never duplicates."""
    return event.id is not None and bool(store.seen_event(event.case, event.id))


def expected_events(state: Mapping[str, Any] | None, process: Process) -> tuple[str, ...]:
    """The events a case in ``state`` accepts next under ``process`` (stage events first)."""
    main, side = _expected(state, process)
    return (*main, *side)


def apply(
    state: Mapping[str, Any] | None,
    event: Event,
    *,
    process: Process | None,
    item_known: bool,
    at: str | None = None,
) -> Accepted | Rejected:
    """The case's state after ``event``, or why the event is rejected.

    ``state`` is the stored state (``None`` for a case never seen); ``process`` is the one
    the event is checked against (``ProcessBook.for_event`` resolves it: the version in force
    for a new case, the version in force on the acceptance date for ``accept``, else the
    bound one); ``item_known`` whether the event's item is in the catalog; ``at``, if given,
    is ``event.at.isoformat()`` (the monitor has it already, in the event's trail record).

    An event of an open case that its process's transition table accepts outright (the usual
    case) takes a short way through the same conditions; everything else — and every
    rejection, with its reason — goes the full way (:func:`checked_apply`). Both give the same
    answer for every input (tests/cases/test_state_fast.py)."""
    if state is not None and item_known and process is not None:
        kind = event.event
        stage = state["stage"]
        if state["paused"]:
            allowed = not state["closed"] and (stage, kind) in process.paused_moves
        elif state["closed"]:
            allowed = (stage, kind) in process.closed_moves or (
                stage == state["closed_by"] and (stage, kind) in process.stage_moves
            )
        else:
            allowed = (stage, kind) in process.moves
        if allowed and event.case == state["case"] and event.item == state["item"]:
            ref = state["process"]
            actor = event.actor
            if (
                (kind == "accept" and state["accepted_at"] is None)  # binds the process now
                or (
                    ref.__class__ is dict
                    and ref.get("fingerprint") == process.fingerprint
                    and ref.get("id") == process.id
                    and ref.get("version") == process.version
                )
            ) and ((actor and actor.strip()) or kind in process.anonymous):
                if at is None:
                    at = event.at.isoformat()
                if _not_before(at, state["last_at"], event.at):
                    return Accepted(_advanced(state, event, process, at))
    return checked_apply(state, event, process=process, item_known=item_known)


def _not_before(at: str, last_at: str, moment: dt.datetime) -> bool:
    """Whether ``moment`` (``at``, its ISO text) is not before ``last_at`` (ISO text).

    Both texts come from ``datetime.isoformat`` (the monitor writes every ``last_at``): with
    the same UTC offset they compare as text (the offset follows the seconds, or their
    fraction, which ``isoformat`` leaves out when it is zero, and '+' and '-' sort before
    '.'), which saves parsing one and converting both to UTC; with different offsets, or a
    text written some other way, they are compared as times."""
    if last_at[10:11] == "T" and (at[26:] if at[19:20] == "." else at[19:]) == (
        last_at[26:] if last_at[19:20] == "." else last_at[19:]
    ):
        return at >= last_at
    return moment >= dt.datetime.fromisoformat(last_at)


def checked_apply(
    state: Mapping[str, Any] | None, event: Event, *, process: Process | None, item_known: bool
) -> Accepted | Rejected:
    """:func:`apply` the full way: every condition in turn, the first that fails giving the
    rejection and its reason."""
    kind = event.event
    if state is not None:
        if event.case != state["case"]:
            return _reject(
                "EVENT-CASE-MISMATCH",
                f"事件属于案件 {event.case}，却用于案件 {state['case']} 的状态",
                f"the event is for case {event.case} but was applied to case {state['case']}",
            )
        if event.item != state["item"]:
            return _reject(
                "EVENT-ITEM-MISMATCH",
                f"案件 {event.case} 办理的是事项 {state['item']}，事件却写为 {event.item}",
                f"case {event.case} is for item {state['item']}, the event names {event.item}",
            )
    if not item_known:
        return _reject(
            "EVENT-UNKNOWN-ITEM",
            f"事项 {event.item} 不在事项目录中",
            f"item {event.item} is not in the catalog",
        )
    if state is None:
        return _open(event, process)
    rebinding = kind == "accept" and state.get("accepted_at") is None
    if process is None and rebinding:
        return _no_process(event)
    if process is None or (not rebinding and not _is_bound_to(state, process)):
        bound = state.get("process") or {}
        return _reject(
            "EVENT-PROCESS-CHANGED",
            f"案件 {event.case} 绑定的流程 {bound.get('id')}（版本 {bound.get('version')}）"
            "已在规则文件中被改动或删除；流程一经受理不得更改，请恢复该版本并以新版本（valid_from）发布改动",
            f"process {bound.get('id')} (version {bound.get('version')}), to which case "
            f"{event.case} is bound, was edited or removed in the rule files; a bound process "
            "cannot change: restore that version and publish changes as a new version (valid_from)",
        )
    last_at = dt.datetime.fromisoformat(state["last_at"])
    if event.at < last_at:
        return _reject(
            "EVENT-TIME-BACKWARDS",
            f"事件时间 {event.at.isoformat()} 早于案件上一事件的时间 {state['last_at']}",
            f"the event's time {event.at.isoformat()} is before the case's last event at "
            f"{state['last_at']}",
        )
    actor = event.actor
    if not (actor and actor.strip()) and (problem := _actor_missing(event, process)) is not None:
        return problem
    return _step(state, event, process)


def _open(event: Event, process: Process | None) -> Accepted | Rejected:
    kind = event.event
    if kind not in OPENING_EVENTS or (process is not None and kind not in process.starts):
        starts = process.starts if process is not None else OPENING_EVENTS
        return _reject(
            "EVENT-UNKNOWN-CASE",
            f"案件 {event.case} 尚无记录，第一个事件应为 {'、'.join(starts)}，不能是 {kind}",
            f"case {event.case} is unknown: its first event must be {' or '.join(starts)}, "
            f"not {kind}",
            starts,
        )
    if process is None:
        return _no_process(event)
    if (problem := _actor_missing(event, process)) is not None:
        return problem
    at = event.at.isoformat()
    state: JSON = {
        "case": event.case,
        "item": event.item,
        "process": process.ref,
        "stage": kind,
        "window": event.window,
        "dept": event.dept,
        "opened_at": at,
        "submitted_at": at if kind == "submit" else None,
        "accepted_at": at if kind == "accept" else None,
        "last_at": at,
        "events": 1,
        "paused": False,
        "paused_at": None,
        "pause_reason": None,
        "extended_days": 0,
        "closed": False,
        "closed_by": None,
        "closed_at": None,
        "actors": {kind: [event.actor]} if event.actor else {},
    }
    return Accepted(state)


def _step(state: Mapping[str, Any], event: Event, process: Process) -> Accepted | Rejected:
    kind = event.event
    stage = state["stage"]
    if not process.uses(kind):
        tag = _tag(process)
        return _reject(
            "EVENT-NOT-IN-PROCESS",
            f"流程 {tag} 中没有 {kind}；{_expected_zh(state, process)}",
            f"process {tag} has no {kind}; {_expected_en(state, process)}",
            expected_events(state, process),
        )
    side = kind in process.during
    if state["closed"] and not _allowed_after_close(state, kind, process):
        return _reject(
            "EVENT-AFTER-CLOSE",
            f"案件已于 {state['closed_at']} 以 {state['closed_by']} 结束，不再接受 {kind}；"
            f"{_expected_zh(state, process)}",
            f"the case closed with {state['closed_by']} at {state['closed_at']} and "
            f"accepts no {kind}; {_expected_en(state, process)}",
            expected_events(state, process),
        )
    if kind == "pause" and state["paused"]:
        return _reject(
            "EVENT-ALREADY-PAUSED",
            f"案件已于 {state['paused_at']} 暂停（{state['pause_reason']}），暂停不能嵌套，请先 resume",
            f"the case is already paused since {state['paused_at']} ({state['pause_reason']}); "
            "pauses do not nest: resume first",
            ("resume",),
        )
    if kind == "resume" and not state["paused"]:
        return _reject(
            "EVENT-NO-PAUSE",
            f"案件没有进行中的暂停，resume 无从恢复；{_expected_zh(state, process)}",
            f"the case is not paused: there is nothing to resume; {_expected_en(state, process)}",
            expected_events(state, process),
        )
    if not side and state["paused"]:
        return _reject(
            "EVENT-PAUSED",
            f"案件自 {state['paused_at']} 暂停（{state['pause_reason']}），{kind} 须在 resume 之后",
            f"the case is paused since {state['paused_at']} ({state['pause_reason']}): "
            f"{kind} must wait for resume",
            expected_events(state, process),
        )
    allowed_here = (
        kind in process.side_at.get(stage, ()) if side else stage in process.follows[kind]
    )
    if not allowed_here:
        tag = _tag(process)
        if side:
            window = process.during[kind]
            until = f"、{window.end} 之前" if window.end else ""
            until_en = f" and before {window.end}" if window.end else ""
            rule_zh, rule_en = (
                f"{kind} 须在 {window.start} 之后{until}",
                (f"{kind} is allowed from {window.start} on{until_en}"),
            )
        else:
            before = sorted(process.follows[kind])
            rule_zh = f"{kind} 只能接在 {'、'.join(before) or '（无）'} 之后"
            rule_en = f"{kind} may only follow {', '.join(before) or 'nothing'}"
        return _reject(
            "EVENT-OUT-OF-ORDER",
            f"案件处于 {stage}，{rule_zh}（流程 {tag}）；{_expected_zh(state, process)}",
            f"the case is at {stage}, and {rule_en} (process {tag}); "
            f"{_expected_en(state, process)}",
            expected_events(state, process),
        )
    return Accepted(_advanced(state, event, process))


def _allowed_after_close(state: Mapping[str, Any], kind: str, process: Process) -> bool:
    """After the case closed: the stages that follow its closing stage, and side events
    without an end."""
    window = process.during.get(kind)
    if window is not None:
        return window.end is None
    return state["stage"] == state["closed_by"] and state["stage"] in process.follows[kind]


def _is_bound_to(state: Mapping[str, Any], process: Process) -> bool:
    ref = state.get("process") or {}
    return (
        ref.get("fingerprint") == process.fingerprint
        and ref.get("id") == process.id
        and ref.get("version") == process.version
    )


def _tag(process: Process) -> str:
    return f"{process.id}@{process.version}" if process.version else process.id


def _advanced(
    state: Mapping[str, Any], event: Event, process: Process, at: str | None = None
) -> JSON:
    kind = event.event
    if at is None:
        at = event.at.isoformat()
    new = dict(state)
    new["last_at"] = at
    new["events"] = state["events"] + 1
    if event.actor:
        actors = state["actors"]
        seen = actors.get(kind, [])
        if event.actor not in seen:
            new["actors"] = {**actors, kind: [*seen, event.actor]}
    if new.get("window") is None or (kind == "accept" and event.window):
        new["window"] = event.window or new.get("window")
    if new.get("dept") is None or (kind == "accept" and event.dept):
        new["dept"] = event.dept or new.get("dept")
    if kind not in process.during:
        new["stage"] = kind
    if kind == "submit" and new.get("submitted_at") is None:
        new["submitted_at"] = at
    elif kind == "accept":
        new["accepted_at"] = at
        new["process"] = process.ref  # the version in force on the acceptance date
    elif kind == "pause":
        new["paused"], new["paused_at"] = True, at
        new["pause_reason"] = event.data.get("reason")
    elif kind == "resume":
        new["paused"], new["paused_at"], new["pause_reason"] = False, None, None
    elif kind == "extend":
        new["extended_days"] = state["extended_days"] + int(event.data.get("days", 0))
    elif kind in _FIRST_TIMES and new.get(_FIRST_TIMES[kind]) is None:
        new[_FIRST_TIMES[kind]] = at  # supervision after approval reads both
    if kind in CLOSING_EVENTS:
        new["closed"], new["closed_by"], new["closed_at"] = True, kind, at
        new["paused"], new["paused_at"], new["pause_reason"] = False, None, None
    return new


# The first approval (批准) and the first notice of it to the supervising department (告知监管):
# what supervision after approval compares (fyrules.notifications.inform).
_FIRST_TIMES = {"approve": "approved_at", "inform": "informed_at"}


def _expected(
    state: Mapping[str, Any] | None, process: Process
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if state is None:
        return process.expected(None, closed=False, paused=False, closed_by=None)
    return process.expected(
        state["stage"],
        closed=bool(state["closed"]),
        paused=bool(state["paused"]),
        closed_by=state.get("closed_by"),
    )


def _expected_zh(state: Mapping[str, Any], process: Process) -> str:
    main, side = _expected(state, process)
    if not main and not side:
        return "此案件不再接受任何事件"
    parts = []
    if main:
        parts.append(f"下一步可为：{'、'.join(main)}")
    if side:
        parts.append(f"此时还可有：{'、'.join(side)}")
    return "；".join(parts)


def _expected_en(state: Mapping[str, Any], process: Process) -> str:
    main, side = _expected(state, process)
    if not main and not side:
        return "the case accepts no further event"
    parts = []
    if main:
        parts.append(f"expected next: {', '.join(main)}")
    if side:
        parts.append(f"also allowed now: {', '.join(side)}")
    return "; ".join(parts)


def _actor_missing(event: Event, process: Process) -> Rejected | None:
    if (event.actor and event.actor.strip()) or event.event in process.anonymous:
        return None
    return _reject(
        "EVENT-NO-ACTOR",
        f"{event.event} 事件缺少经办人（actor）；只有 {'、'.join(sorted(process.anonymous)) or '（无）'} 可以不写",
        f"the {event.event} event has no actor; only "
        f"{', '.join(sorted(process.anonymous)) or 'none'} may leave it out",
    )


def _no_process(event: Event) -> Rejected:
    return _reject(
        "EVENT-NO-PROCESS",
        f"事项 {event.item} 在 {event.at.date().isoformat()} 没有有效的办理流程",
        f"item {event.item} has no process in force on {event.at.date().isoformat()}",
    )


def _reject(code: str, zh: str, en: str, expected: tuple[str, ...] = ()) -> Rejected:
    return Rejected(code, zh, en, tuple(expected))
