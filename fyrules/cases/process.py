"""Process definitions (办理流程): which events a case may go through, and in what order.

A rule file's ``processes:`` section declares, for case kinds and for single items, the
stages of a case and the transitions allowed between them, each process with its legal basis
and its versions (``valid_from``/``valid_to``). A case binds the version in force on its
acceptance date and keeps it (seed §3, "node control": once a process enters the system no
one can change it). ``docs/processes.md`` describes the format for policy staff.

Two kinds of events make up a process:

- **stages** (``stages`` and ``after``): the main line. ``stages`` lists it in order, each
  stage following the one before it; ``after`` adds the other ways in (``deny`` after
  ``review``, ``reject`` after ``submit``, the correction loop). The case's ``stage`` is the
  last stage event it went through.
- **side events** (``during``): events that do not move the case on, allowed in a window of
  the main line: ``from`` a stage (the case is at that stage or beyond it) ``until`` a stage
  (the case has not reached it). Without ``until`` a side event may come even after the case
  closed (complaints, ratings, inspections).

This module holds the border models (pydantic) and the compiled form (attrs); the
``cases`` extension (:mod:`fyrules.cases.extension`) compiles a rulebook's processes with
:mod:`fyrules.cases.process_compile`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, get_args
from zoneinfo import ZoneInfo

import attrs
from pydantic import Field, field_validator, model_validator

from ..engine.load.model import Identifier, Title, as_title
from ..engine.load.validation import Strict
from ..engine.problems import Location
from ..items.model import Authorization, CaseKind
from .events import EVENT_KINDS

# The events that may open a case; a process's ``starts`` is a part of these.
OPENING_EVENTS: tuple[str, ...] = ("submit", "accept")
# The events that close (settle) a case: 办结, 不予受理, 撤回. After them only the events the
# transitions allow from the closing stage (deliver after complete) and side events without
# ``until`` are accepted.
CLOSING_EVENTS: frozenset[str] = frozenset({"complete", "reject", "withdraw"})
_ORDER = {kind: i for i, kind in enumerate(EVENT_KINDS)}


# --- the border: what policy staff write ------------------------------------------------------


class AppliesTo(Strict):
    """The cases a process is for: case kinds, single items, or both (an item's own wins)."""

    kinds: tuple[CaseKind, ...] = Field(
        default=(), description="办件类别：immediate, commitment, joint, report_up / case kinds"
    )
    items: tuple[str, ...] = Field(
        default=(), description="事项编码（优先于类别） / item codes (before the kinds)"
    )

    @model_validator(mode="after")
    def _names_something(self) -> AppliesTo:
        if not self.kinds and not self.items:
            raise ValueError(
                "applies_to 须列出 kinds 或 items / applies_to must list kinds or items"
            )
        return self


class WindowSpec(Strict):
    """When a side event is allowed: from a stage on, until a stage (if given)."""

    from_: str = Field(
        alias="from", description="自该环节起（含其后各环节） / from this stage on (and beyond)"
    )
    until: str | None = Field(
        default=None,
        description="至该环节前；不写则办结后仍可发生 / until this stage; "
        "left out: allowed even after the case closed",
    )


class ActorsSpec(Strict):
    """Who may act at each event of a process (经办人员的角色): the events the applicant makes,
    exempt from the roster, and the roles the staff member acting must hold for the case's
    item on the event's day; a decision's roles may depend on the item's ``authorization``
    level (window 窗口, chief 科室负责人, leader 分管领导)."""

    basis: str = Field(min_length=1, description="依据（必填） / basis (required)")
    applicant: tuple[str, ...] = Field(
        default=(),
        description="申请人一方的事件，不查人员名册 / the applicant's own events: not checked "
        "against the roster",
    )
    roles: dict[str, tuple[str, ...] | dict[Authorization, tuple[str, ...]]] = Field(
        default_factory=dict,
        description="事件 → 经办人须担任的角色之一；或按事项审批权限（window、chief、leader）"
        "分别列出 / event → the roles one of which the actor holds for the item; or, per "
        "authorization level of the item (window, chief, leader)",
    )
    approved_by: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="事件 → data.approved_by 所写的批准人须担任的角色之一 / event → the roles "
        "one of which the person named in data.approved_by holds for the item",
    )

    @model_validator(mode="after")
    def _levels_complete(self) -> ActorsSpec:
        levels = set(get_args(Authorization))
        for event, need in self.roles.items():
            if isinstance(need, dict) and set(need) != levels:
                missing = ", ".join(sorted(levels - set(need)))
                raise ValueError(
                    f"{event} 按审批权限列角色时须写全 window、chief、leader（缺 {missing}） / "
                    f"roles of {event} by authorization level name window, chief and leader "
                    f"(missing {missing})"
                )
            if event in self.applicant:
                raise ValueError(
                    f"{event} 既是申请人事件又要求角色 / {event} is both an applicant event "
                    "and one that needs a role"
                )
        return self


class RequiresSpec(Strict):
    """Data an event must carry (what the law says the applicant is told, say), with its basis:
    an event without it is refused (``EVENT-DATA-MISSING``)."""

    basis: str = Field(min_length=1, description="依据（必填） / basis (required)")
    data: dict[str, tuple[str, ...]] = Field(
        description="事件 → 须有的非空 data 键 / event → the data keys it must carry, not empty"
    )


class ProcessSpec(Strict):
    """A process (办理流程): the stages of a case and the transitions between them."""

    id: Identifier
    title: Title
    basis: str = Field(min_length=1, description="法律或政策依据（必填） / legal basis (required)")
    applies_to: AppliesTo = Field(description="适用的类别或事项 / the kinds or items it is for")
    valid_from: dt.date | None = Field(default=None, description="生效日期（含） / in force from")
    valid_to: dt.date | None = Field(default=None, description="失效日期（含） / in force until")
    starts: tuple[str, ...] | None = Field(
        default=None,
        description="可开启案件的事件（submit、accept），默认为第一个环节 / "
        "events that may open a case (submit, accept); default: the first stage",
    )
    stages: tuple[str, ...] = Field(
        min_length=1,
        description="主线环节，按顺序，每个环节可接在前一个之后 / "
        "the main line, in order: each stage may follow the one before it",
    )
    after: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="另外允许的转换：事件 → 它还可以接在哪些环节之后 / "
        "other transitions: an event → the stages it may also follow",
    )
    during: dict[str, WindowSpec] = Field(
        default_factory=dict,
        description="伴随事件及其允许的区间（不改变环节） / side events and when they are allowed",
    )
    anonymous: tuple[str, ...] = Field(
        default=(),
        description="可以没有经办人（actor）的事件，如 complaint、rate / "
        "events that may come without an actor",
    )
    actors: ActorsSpec | None = Field(
        default=None,
        description="各事件的经办人须担任的角色，申请人事件除外 / the roles each event's actor "
        "holds; the applicant's events exempt",
    )
    requires: RequiresSpec | None = Field(
        default=None,
        description="事件须携带的数据（如延长的理由须告知申请人） / data events must carry "
        "(the reasons of an extension, told to the applicant)",
    )
    description: str | None = Field(default=None, description="说明 / description")

    _title = field_validator("title", mode="before")(as_title)

    @model_validator(mode="after")
    def _consistent(self) -> ProcessSpec:
        seen: set[str] = set()
        for stage in self.stages:
            if stage in seen:
                raise ValueError(
                    f"环节 {stage} 在 stages 中重复 / stage {stage} is listed twice in stages"
                )
            seen.add(stage)
        for name in self.starts or ():
            if name not in OPENING_EVENTS:
                raise ValueError(
                    f"starts 只能是 {', '.join(OPENING_EVENTS)}，不能是 {name} / "
                    f"starts may only be {', '.join(OPENING_EVENTS)}, not {name}"
                )
        main = seen | set(self.after)
        for name in self.during:
            if name in main:
                raise ValueError(
                    f"{name} 不能既是环节又是伴随事件（during） / "
                    f"{name} cannot be both a stage and a side event (during)"
                )
        return self


# --- the compiled form ------------------------------------------------------------------------


@attrs.frozen(slots=True)
class Window:
    """A side event's window, as stages: allowed from ``start`` until ``end`` (if any)."""

    start: str
    end: str | None


@attrs.frozen(slots=True)
class Process:
    """One version of a process, compiled. Immutable; safe to share between threads.

    ``follows[e]`` are the stages a stage event ``e`` may follow; ``side_at[s]`` the side
    events allowed while the case is at stage ``s``."""

    id: str
    version: str | None  # valid_from in ISO, or None for "since always"
    title_zh: str
    title_en: str
    basis: str
    kinds: frozenset[str]
    items: frozenset[str]
    valid_from: dt.date | None
    valid_to: dt.date | None
    starts: tuple[str, ...]
    stages: tuple[str, ...]  # every stage event: the main line in order, then the others
    follows: Mapping[str, frozenset[str]]
    during: Mapping[str, Window]
    side_at: Mapping[str, frozenset[str]]
    anonymous: frozenset[str]
    fingerprint: str
    location: Location | None = None
    layer: str = ""
    # who may act (not part of the fingerprint: the roster is checked on each event's day)
    actors: ActorsSpec | None = attrs.field(default=None, eq=False)
    requires: RequiresSpec | None = attrs.field(default=None, eq=False)

    def missing_data(self, event: Any) -> tuple[str, str] | None:
        """The refusal message (Chinese, English) of an event without the data this process
        requires of its kind, or ``None``."""
        requires = self.requires
        keys = requires.data.get(event.event) if requires is not None else None
        if not keys:
            return None
        data = event.data
        missing = [k for k in keys if not _given(data.get(k))]
        if not missing:
            return None
        names = ", ".join(f"data.{k}" for k in missing)
        basis = requires.basis  # type: ignore[union-attr]
        return (
            f"{self.id}：{event.event} 事件须写明 {names}（不能为空），请补上后重新发送。依据：{basis}",
            f"{self.id}: a {event.event} event must carry {names}, not empty; add it and send "
            f"the event again. Basis: {basis}",
        )

    # Transition tables of (stage, event) pairs, so that accepting the usual event is a set
    # lookup (:func:`fyrules.cases.state.apply`); every other event, and every rejection with
    # its reason, goes through the full check. ``moves``: accepted while the case is neither
    # paused nor closed; ``paused_moves``: while paused (side events but another pause);
    # ``closed_moves``: side events without an end, after closure; ``stage_moves``: stage
    # events, which after closure only the closing stage may be followed by.
    moves: frozenset[tuple[str, str]] = attrs.field(init=False, eq=False, repr=False)
    paused_moves: frozenset[tuple[str, str]] = attrs.field(init=False, eq=False, repr=False)
    closed_moves: frozenset[tuple[str, str]] = attrs.field(init=False, eq=False, repr=False)
    stage_moves: frozenset[tuple[str, str]] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        stage = {(at, event) for event, before in self.follows.items() for at in before}
        side = {(at, event) for at, events in self.side_at.items() for event in events}
        tables = {
            "stage_moves": stage,
            "moves": stage | {m for m in side if m[1] != "resume"},  # resume: only if paused
            "paused_moves": {m for m in side if m[1] != "pause"},  # pauses do not nest
            "closed_moves": {m for m in side if m[1] != "resume" and self.during[m[1]].end is None},
        }
        for name, table in tables.items():
            object.__setattr__(self, name, frozenset(table))

    @property
    def ref(self) -> dict[str, str | None]:
        """What a case records of the process it is bound to (plain JSON)."""
        return {"id": self.id, "version": self.version, "fingerprint": self.fingerprint}

    def in_force(self, on: dt.date) -> bool:
        if self.valid_from is not None and on < self.valid_from:
            return False
        return not (self.valid_to is not None and on > self.valid_to)

    def uses(self, event: str) -> bool:
        """Whether the event kind appears in this process at all."""
        return event in self.follows or event in self.during or event in self.starts

    def next_stages(self, stage: str) -> tuple[str, ...]:
        """The stage events that may follow ``stage``, in the order of ``EVENT_KINDS``."""
        return _ordered(e for e, before in self.follows.items() if stage in before)

    def expected(
        self, stage: str | None, *, closed: bool, paused: bool, closed_by: str | None
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The events a case at ``stage`` accepts next, as (stage events, side events).

        ``stage`` is ``None`` for a case not yet opened."""
        if stage is None:
            return self.starts, ()
        side = self.side_at.get(stage, frozenset())
        if closed:
            side = frozenset(e for e in side if self.during[e].end is None)
        if paused:
            side = frozenset(e for e in side if e != "pause")
        else:
            side = frozenset(e for e in side if e != "resume")
        main: tuple[str, ...] = ()
        if not paused and (not closed or stage == closed_by):
            main = self.next_stages(stage)
        return main, _ordered(side)


def _given(value: Any) -> bool:
    """Whether a required data value is there: not missing, not empty, not only spaces."""
    if isinstance(value, str):
        return bool(value.strip())
    return value is not None and value != [] and value != {}


def _ordered(events: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(events), key=lambda e: _ORDER.get(e, len(_ORDER))))


# --- a rulebook's processes ---------------------------------------------------------------------


@attrs.frozen(slots=True)
class ProcessBook:
    """Every process version of a rulebook, with what resolving a case's process needs: the
    case kind of each catalog item and the rulebook's time zone (dates are local dates)."""

    processes: tuple[Process, ...] = ()
    item_kinds: Mapping[str, str | None] = attrs.field(factory=dict)
    timezone: str = "Asia/Shanghai"
    # (id, version) -> process; looked up with what a case recorded, which may lack either
    _by_ref: dict[tuple[str | None, str | None], Process] = attrs.field(init=False, eq=False)
    _zone: ZoneInfo = attrs.field(init=False, eq=False)
    # (item, kind, date) -> the process in force: every case resolves twice (submit, accept)
    # and a month's cases share their items and dates. At most _RESOLVED_KEPT entries.
    _resolved: dict[tuple[str, str | None, dt.date], Process | None] = attrs.field(
        init=False, eq=False
    )

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_ref", {(p.id, p.version): p for p in self.processes})
        object.__setattr__(self, "_zone", ZoneInfo(self.timezone))
        object.__setattr__(self, "_resolved", {})

    def __iter__(self) -> Iterator[Process]:
        return iter(self.processes)

    def __len__(self) -> int:
        return len(self.processes)

    def knows_item(self, item: str) -> bool:
        """Whether the item is in the rulebook's catalog."""
        return item in self.item_kinds

    def local_date(self, at: dt.datetime) -> dt.date:
        return at.astimezone(self._zone).date()

    def resolve(self, item: str, kind: str | None, on: dt.date) -> Process | None:
        """The process for a case of ``item`` (of case kind ``kind``) in force on ``on``."""
        key = (item, kind, on)
        found = self._resolved.get(key, _UNRESOLVED)
        if found is _UNRESOLVED:
            found = resolve_process(self.processes, item, kind, on)
            if item in self.item_kinds:  # codes from bad events are not kept
                if len(self._resolved) >= _RESOLVED_KEPT:  # a monitor that runs for years
                    self._resolved.clear()
                self._resolved[key] = found
        return found  # type: ignore[return-value]

    def bound(self, ref: Mapping[str, Any] | None) -> Process | None:
        """The process version a case recorded (by id and version), or ``None`` if the
        rulebook no longer has it. The caller compares fingerprints (see :func:`apply`)."""
        if ref.__class__ is not dict and not isinstance(
            ref, Mapping
        ):  # dict: the usual case, checked first
            return None
        return self._by_ref.get((ref.get("id"), ref.get("version")))

    def for_event(self, state: Mapping[str, Any] | None, event: Any) -> Process | None:
        """The process an event is checked against: for a new case, the version in force on
        the event's date; on a case's acceptance, the version in force on the acceptance
        date (the case binds it now); otherwise the version the case is bound to."""
        if state is None or (event.event == "accept" and state.get("accepted_at") is None):
            kind = self.item_kinds.get(event.item)
            return self.resolve(event.item, kind, self.local_date(event.at))
        ref = state.get("process")
        if ref.__class__ is dict:  # the usual case: bound() without the call
            return self._by_ref.get((ref.get("id"), ref.get("version")))
        return self.bound(ref)


_UNRESOLVED = object()
_RESOLVED_KEPT = 100_000  # resolutions remembered at most (items times dates)


def resolve_process(
    processes: Iterable[Process], item_code: str, kind: str | None, on: dt.date
) -> Process | None:
    """The process version that applies to a case of ``item_code`` (case kind ``kind``) on
    ``on``: one naming the item wins over one naming its kind. ``None`` when none is in force.
    (Overlapping versions are an error of the rule files; should they exist anyway, the one
    that came into force last wins.)"""
    by_item: Process | None = None
    by_kind: Process | None = None
    for p in processes:
        if not p.in_force(on):
            continue
        if item_code in p.items:
            if by_item is None or _later(p, by_item):
                by_item = p
        elif kind is not None and kind in p.kinds and (by_kind is None or _later(p, by_kind)):
            by_kind = p
    return by_item or by_kind


def _later(a: Process, b: Process) -> bool:
    return (a.valid_from or dt.date.min, a.id) > (b.valid_from or dt.date.min, b.id)
