"""What an event may carry: values the trail can record, and times that say their offset.

An event arrives from outside and may be hostile. Before it reaches a case it must be
something the tamper-evident trail can write faithfully (:mod:`fyrules.cases.canonical`): no
whole number beyond ±(2**53 − 1), no string with an unpaired surrogate, no ``NaN``, no nesting
deeper than the trail allows, no record larger than a trail entry. Such an event is rejected
at validation with ``EVENT-VALUE`` and the reason, and recorded as rejected; it never stops
a replay.

Its ``at`` is ISO 8601 text with an explicit UTC offset within ±14:00 (the offsets in use on
Earth); a number (a Unix time, say) is refused, because it carries no offset.

An ``id`` names one event: the same id again with the same content is a duplicate delivery;
with other content it is ``EVENT-ID-CONFLICT``, and the message names the first event.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from typing import TYPE_CHECKING, Any

from ..engine.problems import Location, Problem
from .canonical import MAX_DEPTH, MAX_SAFE_INTEGER, CanonicalError, event_record_text
from .trail.chain import MAX_ENTRY_BYTES

if TYPE_CHECKING:
    from .events import Event

MAX_OFFSET = dt.timedelta(hours=14)
"""The largest UTC offset in use (Kiribati, UTC+14; the smallest is UTC−12)."""

# ISO 8601 date and time with seconds optional, a fraction optional, and an offset required.
_ISO_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,6})?)?(?:Z|z|[+-]\d{2}:?\d{2})"
)

# room a rejected record and the entry's own keys take beyond the event itself
_ENTRY_OVERHEAD = 4096


def strict_time(value: Any) -> dt.datetime:
    """``value`` as an aware datetime, if it is ISO 8601 text with an explicit offset within
    ±14:00 (or already such a datetime, from the Python API). Raises ``ValueError`` with a
    bilingual message (``中文 / English``) otherwise: pydantic reports it at ``at``."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str):
        if len(value) > 40 or not _ISO_TIME.fullmatch(value):
            raise ValueError(
                "须为带时区偏移的 ISO 8601 时间，如 2025-10-09T09:30:00+08:00 / "
                "must be ISO 8601 text with its timezone offset, such as 2025-10-09T09:30:00+08:00"
            )
        try:
            moment = dt.datetime.fromisoformat(value.replace(",", "."))
        except ValueError:
            raise ValueError("不是存在的日期或时间 / not a real date or time of day") from None
    elif isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError(
            "须为带时区偏移的 ISO 8601 文本，不接受数值（如 Unix 时间） / "
            "must be ISO 8601 text with its UTC offset, not a number (a Unix time has no offset)"
        )
    else:
        raise ValueError(
            "须为带时区偏移的 ISO 8601 文本 / must be ISO 8601 text with its UTC offset"
        )
    offset = moment.utcoffset()
    if offset is None:
        raise ValueError("缺少时区偏移 / the UTC offset is missing")
    if abs(offset) > MAX_OFFSET:
        raise ValueError(
            f"时区偏移 {_offset_text(offset)} 超出 ±14:00 / "
            f"the UTC offset {_offset_text(offset)} is beyond ±14:00"
        )
    return moment


def _offset_text(offset: dt.timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def checked_record(event: Event, location: Location | None = None) -> tuple[dict[str, Any], str]:
    """The trail record of ``event`` (:func:`~fyrules.cases.canonical.event_record`) and its
    fingerprint (the SHA-256 of its canonical bytes, which :func:`id_conflict` compares), or
    :class:`EventValueError` (``EVENT-VALUE``) when the trail cannot record it as it is."""
    record, _encoded, fingerprint = checked_record_bytes(event, location)
    return record, fingerprint


def checked_record_bytes(
    event: Event, location: Location | None = None
) -> tuple[dict[str, Any], bytes, str]:
    """:func:`checked_record` with the record's canonical bytes between: the monitor writes
    them, as they are, inside the event's trail entry."""
    try:
        record, text = event_record_text(event)
        encoded = text.encode("utf-8")
    except CanonicalError as exc:
        raise EventValueError(
            _value_problem(exc.problem.message_zh, exc.problem.message_en, location)
        ) from None
    except UnicodeEncodeError:
        where = _surrogate_path(record)
        raise EventValueError(
            _value_problem(
                f"{where}：字符串含有不成对的代理码元（不是合法的 UTF-8）",
                f"{where}: a string holds an unpaired surrogate (not valid UTF-8)",
                location,
            )
        ) from None
    if len(encoded) > MAX_ENTRY_BYTES - _ENTRY_OVERHEAD:
        raise EventValueError(
            _value_problem(
                f"事件过大（{len(encoded)} 字节）",
                f"event too large ({len(encoded)} bytes)",
                location,
            )
        )
    return record, encoded, hashlib.sha256(encoded).hexdigest()[:32]


class EventValueError(ValueError):
    """An event the trail cannot record; ``problem`` (``EVENT-VALUE``) says which value."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.format())


def _value_problem(zh: str, en: str, location: Location | None) -> Problem:
    return Problem(
        "EVENT-VALUE",
        f"事件含有留痕无法记录的值：{zh}",
        f"the event holds a value the trail cannot record: {en}",
        location,
    )


def _surrogate_path(value: Any, path: str = "") -> str:
    """Where the first string with an unpaired surrogate is in ``value`` (error path only)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return path or "(value)"
    elif isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{ascii(key)[1:-1]}".lstrip(".")
            found = _surrogate_path(key, inner) or _surrogate_path(item, inner)
            if found:
                return found
    elif isinstance(value, list):
        for position, item in enumerate(value):
            found = _surrogate_path(item, f"{path}[{position}]")
            if found:
                return found
    return ""


# --- ids used twice -------------------------------------------------------------------------

IDS_KEY = "event_ids"
"""The key of a case's state that maps each recorded event id to what identifies its event:
``"<fingerprint> <kind> <at>"``."""


def id_entry(event: Event, fingerprint: str, at: str | None = None) -> str:
    """What a case's state keeps of a recorded event under its id (``at``: the event's
    ``at.isoformat()``, when the caller has it already)."""
    return f"{fingerprint} {event.event} {event.at.isoformat() if at is None else at}"


def id_conflict(event: Event, fingerprint: str, state: Any) -> Problem | None:
    """``EVENT-ID-CONFLICT`` when ``state`` (the case's, open or finished) recorded another
    event under ``event.id``; ``None`` when it is the same event again (a duplicate delivery)
    or the state does not say (a store written before ids were fingerprinted)."""
    ids = state.get(IDS_KEY) if isinstance(state, dict) else None
    first = ids.get(event.id) if isinstance(ids, dict) else None
    if not isinstance(first, str):
        return None
    first_print, _, first_event = first.partition(" ")
    if first_print == fingerprint:
        return None
    kind, _, at = first_event.partition(" ")
    return Problem(
        "EVENT-ID-CONFLICT",
        f"事件编号 {event.id} 已用于案件 {event.case} 的另一事件（{kind}，{at}），"
        "内容不同；先到的事件有效。请为此事件另取编号",
        f"the event id {event.id} was already used by another event of case {event.case} "
        f"({kind} at {at}) with different content; the first stands. Give this event an id "
        "of its own",
    )


# --- rejected events as the trail can keep them ---------------------------------------------


def storable(value: Any, depth: int = 0) -> Any:
    """A copy of a raw (unvalidated) value that the trail's canonical form accepts, keeping
    as much of it as can be shown: floats as decimal text, whole numbers beyond ±(2**53 − 1)
    as text, strings with unpaired surrogates escaped (``\\ud800``), keys as text, anything
    nested deeper than the trail allows as ``"…"``, other objects as their ``repr``."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER else str(value)
    if isinstance(value, float):
        return repr(value) if not math.isfinite(value) else _float_text(value)
    if isinstance(value, str):
        return _text(value)
    if depth >= MAX_DEPTH - 8:  # the record sits a few levels down in its trail entry
        return "…"
    if isinstance(value, dict):
        return {_text(str(k)): storable(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [storable(v, depth + 1) for v in value]
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return _text(repr(value))


def _float_text(value: float) -> str:
    from .canonical import decimal_text

    return decimal_text(value)


def _text(value: str) -> str:
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
