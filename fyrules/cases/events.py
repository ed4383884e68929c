"""Events of cases, validated at the border (the event contract of docs/architecture.md).

One event per line of JSON (JSON Lines)::

    {"id": "e-000981", "case": "FY-2025-000123", "item": "FY-SC-001", "event": "accept",
     "at": "2025-10-09T09:30:00+08:00", "actor": "u1023", "dept": "SC", "window": "W12",
     "data": {}}

``at`` must carry its UTC offset. ``pause`` carries ``data.reason`` (a special procedure) and,
where the item does not fix it, ``data.counted``; ``extend`` carries ``data.days`` and
``data.approved_by``; ``rate`` carries ``data.score``; ``complaint_ruled`` carries
``data.substantiated`` (true or false); ``accountability_decided`` carries ``data.decision``. A malformed line is a problem with its
line number, never an exception.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from ..engine.problems import FyrulesError, Location, Problem
from .event_values import strict_time

EventKind = Literal[
    "submit",
    "correction_requested",
    "corrected",
    "accept",
    "reject",
    "undertake",
    "review",
    "approve",
    "deny",
    "pause",
    "resume",
    "extend",
    "complete",
    "deliver",
    "withdraw",
    "inspect",
    "rectify",
    "complaint",
    "rate",
    "inform",
    "complaint_answered",
    "complaint_ruled",
    "explanation_requested",
    "explanation_given",
    "accountability_decided",
]
EVENT_KINDS: tuple[str, ...] = get_args(EventKind)

# What each kind of event is, kept here once for every part that needs it.
HANDLING_KINDS: frozenset[str] = frozenset(
    {"accept", "reject", "correction_requested", "undertake", "review", "approve", "deny"}
    | {"pause", "resume", "extend", "complete", "deliver"}
)
"""Events by which staff handle a case (办理环节): whoever sends one has handled the case."""

CLOCK_KINDS: frozenset[str] = frozenset({"submit", "withdraw"} | HANDLING_KINDS)
"""Events a case's working state keeps: what its clock and its stage times are computed from
(a correction notice included: Art. 32 ¶1(4) of the Administrative Licensing Law)."""

COMPLAINT_KINDS: frozenset[str] = frozenset({"complaint", "complaint_answered", "complaint_ruled"})
"""A complaint's handling track (投诉办理): the complaint, its answer, and the supervising
department's ruling on whether it is substantiated (``data.substantiated``)."""

ACCOUNTABILITY_KINDS: frozenset[str] = frozenset(
    {"explanation_requested", "explanation_given", "accountability_decided"}
)
"""An accountability record (问责): the explanation asked of the person who held the case when it
ran over, the explanation given, and the decision (``data.decision``) with who decided."""

TRACK_KINDS: frozenset[str] = COMPLAINT_KINDS | ACCOUNTABILITY_KINDS
"""Events a case keeps in its ``tracks`` (with actor, department and data) for the complaint
and accountability workflows (:mod:`fyrules.workflows`)."""

MAX_LINE_BYTES = 64 * 1024

# Fields of ``data`` that link a case to others, read on its ``submit`` or ``accept`` event:
# ``project`` names the investment project (项目) the case is one stage of (a text id);
# ``project_target`` the item the project ends with (its construction permit, say; default: the
# item of its cases with the longest approval path);
# ``green_channel: true`` puts that project on the green channel (绿色通道); ``handoff``
# records a report-up case handed on from a lower rulebook (a township's) with the lower
# case, its rulebook and the hash of its trail entry (docs/parallel-approval.md,
# docs/townships.md).
PROJECT_FIELD = "project"
PROJECT_TARGET_FIELD = "project_target"
GREEN_CHANNEL_FIELD = "green_channel"
HANDOFF_FIELD = "handoff"
LINK_KINDS: frozenset[str] = frozenset({"submit", "accept"})
"""Events whose ``data`` may carry the link fields above."""


class Event(BaseModel):
    """One event of one case."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str | None = Field(
        default=None, max_length=200, description="事件编号（去重用） / event id"
    )
    case: str = Field(min_length=1, max_length=200, description="案件编号 / case number")
    item: str = Field(min_length=1, max_length=200, description="事项编码 / item code")
    event: EventKind = Field(description="事件类型 / what happened")
    at: AwareDatetime = Field(description="发生时间（含时区） / when, with its UTC offset")
    actor: str | None = Field(default=None, max_length=200, description="经办人 / who")
    dept: str | None = Field(default=None, max_length=200, description="部门 / department")
    window: str | None = Field(default=None, max_length=200, description="窗口 / window")
    data: dict[str, Any] = Field(default_factory=dict, description="附加数据 / event data")

    @field_validator("at", mode="before")
    @classmethod
    def _time_with_offset(cls, value: Any) -> Any:
        """ISO 8601 text with an explicit offset within ±14:00 (:func:`strict_time`)."""
        return strict_time(value)

    @model_validator(mode="after")
    def _data_fits_the_kind(self) -> Event:
        data = self.data
        if self.event == "pause":
            reason = data.get("reason")
            if not isinstance(reason, str) or not reason:
                raise ValueError(
                    "pause 须有 data.reason（特殊环节） / pause needs data.reason (the special procedure)"
                )
            if "counted" in data and not isinstance(data["counted"], bool):
                raise ValueError(
                    "data.counted 须为 true/false / data.counted must be true or false"
                )
        elif self.event == "extend":
            days = data.get("days")
            if not isinstance(days, int) or isinstance(days, bool) or days <= 0:
                raise ValueError(
                    "extend 须有正整数 data.days / extend needs a positive whole data.days"
                )
            approved_by = data.get("approved_by")
            if not isinstance(approved_by, str) or not approved_by:
                raise ValueError(
                    "extend 须有 data.approved_by（批准人） / extend needs data.approved_by"
                )
        elif self.event in LINK_KINDS:
            _check_links(data)
        elif self.event == "complaint_ruled":
            if not isinstance(data.get("substantiated"), bool):
                raise ValueError(
                    "complaint_ruled 须有 data.substantiated（true 属实 / false 不属实） / "
                    "complaint_ruled needs data.substantiated (true or false)"
                )
        elif self.event == "accountability_decided":
            decision = data.get("decision")
            if not isinstance(decision, str) or not decision:
                raise ValueError(
                    "accountability_decided 须有 data.decision（问责决定） / "
                    "accountability_decided needs data.decision"
                )
        elif self.event == "rate":
            score = data.get("score")
            if not isinstance(score, int | float) or isinstance(score, bool):
                raise ValueError("rate 须有数值 data.score / rate needs a numeric data.score")
        return self


def _check_links(data: Mapping[str, Any]) -> None:
    project = data.get(PROJECT_FIELD)
    if project is not None and (not isinstance(project, str) or not 0 < len(project) <= 200):
        raise ValueError(
            "data.project 须为项目编号（1 至 200 个字符） / data.project must be a project id "
            "(1 to 200 characters)"
        )
    target = data.get(PROJECT_TARGET_FIELD)
    if target is not None and (not isinstance(target, str) or not 0 < len(target) <= 200):
        raise ValueError(
            "data.project_target 须为事项编码 / data.project_target must be an item code"
        )
    if not isinstance(data.get(GREEN_CHANNEL_FIELD, False), bool):
        raise ValueError(
            "data.green_channel 须为 true/false / data.green_channel must be true or false"
        )
    handoff = data.get(HANDOFF_FIELD)
    keys = ("rulebook", "case", "entry_hash")
    if handoff is not None and (
        not isinstance(handoff, dict)
        or not all(isinstance(handoff.get(k), str) and handoff.get(k) for k in keys)
    ):
        raise ValueError(
            "data.handoff 须有 rulebook、case 与 entry_hash（下级案件留痕条目的哈希） / "
            "data.handoff needs rulebook, case and entry_hash (the lower case's trail entry hash)"
        )


class EventError(FyrulesError):
    """An event that cannot be read; ``problem`` says why and where."""

    problem: Problem

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.format())


def parse_numbered_events(raw_events: Iterable[Any]) -> list[Event]:
    """Events written as a list (a rulebook test's ``events:``): each validated, and a bad one
    named by its place in the list (``event 3: …``) in the :class:`EventError`."""
    events = []
    for i, raw in enumerate(raw_events, start=1):
        try:
            events.append(parse_event(dict(raw) if isinstance(raw, Mapping) else raw))
        except EventError as exc:
            p = exc.problem
            raise EventError(
                Problem(p.code, f"第 {i} 个事件：{p.message_zh}", f"event {i}: {p.message_en}")
            ) from None
    return events


def parse_event(raw: str | bytes | dict[str, Any], location: Location | None = None) -> Event:
    """One event from a JSON text or a mapping; raises :class:`EventError` when malformed."""
    where = location or Location("<event>")
    if isinstance(raw, bytes | str):
        if len(raw) > MAX_LINE_BYTES:
            raise EventError(
                Problem(
                    "EVENT-INVALID", "事件过长", f"event longer than {MAX_LINE_BYTES} bytes", where
                )
            )
        try:
            raw = json.loads(raw)
        except (ValueError, RecursionError) as exc:
            raise EventError(
                Problem("EVENT-INVALID", f"不是合法的 JSON：{exc}", f"not valid JSON: {exc}", where)
            ) from None
    if not isinstance(raw, dict):
        raise EventError(
            Problem("EVENT-INVALID", "事件须为 JSON 对象", "an event must be a JSON object", where)
        )
    try:
        return Event.model_validate(raw)
    except ValidationError as exc:
        zh, en = [], []
        for err in exc.errors():
            field = ".".join(str(p) for p in err.get("loc", ())) or "event"
            msg = str(err.get("msg", "")).removeprefix("Value error, ")
            m_zh, sep, m_en = msg.partition(" / ")
            zh.append(f"{field}：{m_zh if sep else msg}")
            en.append(f"{field}: {m_en if sep else msg}")
        # a string pydantic cannot read as text (an unpaired surrogate) is a value the trail
        # cannot record: EVENT-VALUE, as the monitor reports such values in data
        unreadable = all(err.get("type") == "string_unicode" for err in exc.errors())
        code = "EVENT-VALUE" if unreadable else "EVENT-INVALID"
        raise EventError(Problem(code, "；".join(zh), "; ".join(en), where)) from None


def read_events(source: str | Path | Iterable[str]) -> Iterator[Event | Problem]:
    """Events from a JSON Lines file (or an iterable of lines), in order; a malformed line
    yields its :class:`Problem` (with the line number) instead of an event. Blank lines are
    skipped. Memory does not grow with the file."""
    if isinstance(source, str | Path):
        shown = str(source)
        # utf-8-sig: a byte order mark at the start of the file (some editors write one) is
        # dropped rather than making the first event unreadable
        with open(source, encoding="utf-8-sig", errors="replace") as handle:
            yield from _lines(handle, shown)
    else:
        yield from _lines(source, "<events>")


def _lines(lines: Iterable[str], shown: str) -> Iterator[Event | Problem]:
    for number, line in enumerate(lines, start=1):
        if number == 1:
            line = line.removeprefix("\ufeff")  # a byte order mark, read as text
        if not line.strip():
            continue
        try:
            yield parse_event(line, Location(shown, number))
        except EventError as exc:
            yield exc.problem
