"""Canonical JSON: one value, one sequence of bytes, whoever writes it and whenever.

The trail hashes the canonical bytes of each entry, so the same record must give the same
bytes on every machine, in every Python version and in any other language an auditor may use.
The form is RFC 8785 (JSON Canonicalization Scheme, JCS) restricted to the values whose text
no implementation can disagree about:

- objects with string keys, sorted by their UTF-16 code units (RFC 8785 §3.2.3; the same as
  sorting by code point unless a key holds a character above U+FFFF), arrays, strings,
  whole numbers from −(2**53 − 1) to 2**53 − 1, ``true``, ``false`` and ``null``;
- UTF-8, characters written as themselves: only ``"``, ``\\`` and control characters below
  U+0020 are escaped (``\\n``, ``\\t``, … or ``\\u00XX`` in lower case);
- no whitespace between tokens.

Refused, with :class:`CanonicalError` (code ``TRAIL-VALUE``): floats (``NaN`` and infinities
included) and :class:`~decimal.Decimal`, because two writers round and format them
differently; whole numbers beyond 2**53 − 1 (JavaScript cannot hold them); dates and times;
keys that are not strings; strings with unpaired surrogates (not UTF-8); nesting deeper than
:data:`MAX_DEPTH`; and anything else that is not JSON. Callers turn such values into strings
or whole numbers themselves (:func:`decimal_text` for numbers with a fraction); only
:func:`event_record` converts on its own, because events arrive with JSON numbers in ``data``.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..engine.problems import FyrulesError, Problem

if TYPE_CHECKING:
    from .events import Event

MAX_SAFE_INTEGER = 2**53 - 1
"""The largest whole number every JSON reader holds exactly (JavaScript's Number.MAX_SAFE_INTEGER)."""

MAX_DEPTH = 64
"""Objects and arrays nest at most this deep."""

_dumps = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), allow_nan=False, check_circular=False
).encode


class CanonicalError(FyrulesError, ValueError):
    """A value canonical JSON refuses; ``problem`` (code ``TRAIL-VALUE``) says which and where."""

    problem: Problem

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.format())


class _Refused(Exception):
    """Internal: a refused value on its way up, collecting the path to it."""

    def __init__(self, zh: str, en: str):
        self.zh, self.en = zh, en
        self.path: list[str | int] = []


def canonical_json(value: Any) -> bytes:
    """The canonical UTF-8 bytes of ``value``; raises :class:`CanonicalError` for a value that
    has no canonical form (see the module's docstring)."""
    return canonical_copy(value)[1]


def canonical_copy(value: Any) -> tuple[Any, bytes]:
    """:func:`canonical_value` and :func:`canonical_json` of ``value`` at once: the copy that
    was encoded and its bytes (the trail stores the one and hashes the other)."""
    copy = canonical_value(value)
    try:
        return copy, _dumps(copy).encode("utf-8")
    except UnicodeEncodeError:
        where = _unpaired_surrogate(value) or "(value)"
        raise _error(
            f"{where}：字符串含有不成对的代理码元（不是合法的 UTF-8）",
            f"{where}: a string holds an unpaired surrogate (not valid UTF-8)",
        ) from None


def canonical_value(value: Any) -> Any:
    """A fresh copy of ``value`` made of plain ``dict``/``list``/``str``/``int``/``bool``/``None``,
    with every object's keys in canonical order. Raises :class:`CanonicalError` like
    :func:`canonical_json` (unpaired surrogates are found only when encoding)."""
    try:
        return _normal(value, 0)
    except _Refused as refused:
        where = "".join(
            f"[{p}]" if isinstance(p, int) else f".{_shown(p)}" for p in reversed(refused.path)
        )
        where = where.lstrip(".") or "(value)"
        raise CanonicalError(
            Problem(
                "TRAIL-VALUE",
                f"{where}：{refused.zh}",
                f"{where}: {refused.en}",
            )
        ) from None


def decimal_text(number: float | decimal.Decimal | int) -> str:
    """A number as plain decimal text without exponent (``4.5`` → ``"4.5"``, ``1e-7`` →
    ``"0.0000001"``): the shortest text that reads back as the same float, so writers agree.
    ``NaN`` and infinities are refused with :class:`CanonicalError`."""
    if isinstance(number, bool) or not isinstance(number, int | float | decimal.Decimal):
        raise _error(f"不是数值：{type(number).__name__}", f"not a number: {type(number).__name__}")
    as_decimal = (
        decimal.Decimal(repr(number)) if isinstance(number, float) else decimal.Decimal(number)
    )
    if not as_decimal.is_finite():
        raise _error(f"{number} 不是有限数值", f"{number} is not a finite number")
    return format(as_decimal, "f")


def event_fields(event: Event) -> dict[str, Any]:
    """An event's fields other than ``data``, in the event's own order, absent ones as
    ``None``, ``at`` in ISO 8601 with its UTC offset: what the trail's record and the delivery
    log (:mod:`.deliveries`) both start from."""
    return {
        "id": event.id,
        "case": event.case,
        "item": event.item,
        "event": event.event,
        "at": event.at.isoformat(),
        "actor": event.actor,
        "dept": event.dept,
        "window": event.window,
    }


def event_record(event: Event) -> dict[str, Any]:
    """The canonical record of an event for the trail (kind ``event``): every field, absent
    ones as ``null``; ``at`` in ISO 8601 with its UTC offset, as the event gave it
    (``2025-10-09T09:30:00+08:00``); ``data`` with every float written as :func:`decimal_text`
    (a ``rate`` of 4.5 is recorded as ``"4.5"``). Raises :class:`CanonicalError` (code
    ``TRAIL-VALUE``) when ``data`` holds something JSON cannot (``NaN``, say), so the monitor can
    reject such an event instead of recording it."""
    fields = (event.actor, event.case, event.dept, event.event, event.id, event.item, event.window)
    data = event.data
    plain = not data
    for value in fields:
        if value is not None and value.__class__ is not str:
            plain = False
    if not plain:
        return canonical_value(event_fields(event) | {"data": _floats_as_text(data, 0)})
    # The usual event: text fields and no data. Built with its keys already in canonical
    # order, it is what canonical_value would make of it (tests/cases/test_trail_fast.py).
    actor, case, dept, kind, event_id, item, window = fields
    return {
        "actor": actor,
        "at": event.at.isoformat(),
        "case": case,
        "data": {},
        "dept": dept,
        "event": kind,
        "id": event_id,
        "item": item,
        "window": window,
    }


_EVENT_KEYS = frozenset(("actor", "at", "case", "data", "dept", "event", "id", "item", "window"))


def event_record_text(event: Event) -> tuple[dict[str, Any], str]:
    """:func:`event_record` of ``event`` and its canonical JSON text (what
    :func:`canonical_json` encodes, before UTF-8), made together: the monitor hashes the text
    for the event's fingerprint and writes it, unchanged, inside the event's trail entry.

    The usual event (text fields, and data of at most a few flat values: text, whole numbers
    within ±(2**53 − 1), booleans, nulls, under ASCII keys) is written out directly, in
    canonical key order with the encoder's own string escaping; any other goes through
    :func:`event_record` and the encoder. Either way the text is the same
    (tests/cases/test_event_record_text.py)."""
    fields = (event.actor, event.case, event.dept, event.event, event.id, event.item, event.window)
    for value in fields:
        if value is not None and value.__class__ is not str:
            break
    else:
        data = event.data
        data_text = _flat_data_text(data) if data else "{}"
        if data_text is not None:
            actor, case, dept, kind, event_id, item, window = fields
            at = event.at.isoformat()
            record = {
                "actor": actor,
                "at": at,
                "case": case,
                "data": {k: data[k] for k in sorted(data)} if data else {},
                "dept": dept,
                "event": kind,
                "id": event_id,
                "item": item,
                "window": window,
            }
            return record, (
                f'{{"actor":{_text_or_null(actor)},"at":{_text(at)},"case":{_text(case)},'
                f'"data":{data_text},"dept":{_text_or_null(dept)},"event":{_text(kind)},'
                f'"id":{_text_or_null(event_id)},"item":{_text(item)},'
                f'"window":{_text_or_null(window)}}}'
            )
    record = event_record(event)
    return record, _dumps(record)


def _flat_data_text(data: Mapping[str, Any]) -> str | None:
    """The canonical text of ``data`` when it is flat (ASCII text keys; values text, safe
    whole numbers, booleans or null), else ``None``."""
    try:
        keys = sorted(data)
    except TypeError:  # a key that is not text
        return None
    parts = []
    for key in keys:
        if key.__class__ is not str or not key.isascii():
            return None
        value = data[key]
        kind = value.__class__
        if kind is str:
            shown = _text(value)
        elif kind is int and -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
            shown = int.__repr__(value)
        elif value is None:
            shown = "null"
        elif value is True:
            shown = "true"
        elif value is False:
            shown = "false"
        else:
            return None
        parts.append(f"{_text(key)}:{shown}")
    return "{" + ",".join(parts) + "}"


def trail_entry_text(index: int, kind: str, prev: str, record: Mapping[str, Any]) -> str:
    """The canonical JSON text of the trail entry ``{"index", "kind", "prev", "record"}``
    whose record is an :func:`event_record` without data (the usual event), written out
    directly: the encoder's own string escaping (``encode_basestring``, as ``json`` uses it
    with ``ensure_ascii=False``) on each value, in canonical key order. Any other record is
    encoded by the encoder; the text is the same either way (tests/cases/test_trail_fast.py)."""
    data = record.get("data")
    if data.__class__ is dict and not data and record.keys() == _EVENT_KEYS:
        try:
            return (
                f'{{"index":{int.__repr__(index)},"kind":{_text(kind)},"prev":{_text(prev)},'
                f'"record":{{"actor":{_text_or_null(record["actor"])},"at":{_text(record["at"])},'
                f'"case":{_text(record["case"])},"data":{{}},'
                f'"dept":{_text_or_null(record["dept"])},"event":{_text(record["event"])},'
                f'"id":{_text_or_null(record["id"])},"item":{_text(record["item"])},'
                f'"window":{_text_or_null(record["window"])}}}}}'
            )
        except TypeError:  # a value that is not text: the encoder says what it makes of it
            pass
    return _dumps({"index": index, "kind": kind, "prev": prev, "record": record})


def trail_entry_opening(index: int, kind: str, prev: str) -> str:
    """The canonical text of a trail entry ``{"index", "kind", "prev", "record"}`` up to its
    record: the entry's text is this, the record's canonical text and ``}``."""
    return f'{{"index":{int.__repr__(index)},"kind":{_text(kind)},"prev":{_text(prev)},"record":'


_text = json.encoder.encode_basestring  # type: ignore[attr-defined]


def _text_or_null(value: str | None) -> str:
    return "null" if value is None else _text(value)


def _floats_as_text(value: Any, depth: int) -> Any:
    if isinstance(value, float):
        return decimal_text(value)
    if depth > MAX_DEPTH:
        return value  # canonical_value refuses it with its path
    if isinstance(value, Mapping):
        return {k: _floats_as_text(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_floats_as_text(v, depth + 1) for v in value]
    return value


def _utf16(key: str) -> bytes:
    return key.encode("utf-16-be", "surrogatepass")


def _normal(value: Any, depth: int) -> Any:
    # Scalars are checked inline in the loops below (this runs once per entry on every append
    # and every verify); only containers and odd values recurse.
    kind = type(value)
    if kind is str or value is None or kind is bool:
        return value
    if kind is int:
        if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
            return value
        raise _Refused(
            f"整数 {value} 超出 ±(2**53−1)，请写成字符串",
            f"the whole number {value} is beyond ±(2**53 − 1); write it as a string",
        )
    if kind is dict or isinstance(value, Mapping):
        if depth >= MAX_DEPTH:
            raise _Refused(f"嵌套超过 {MAX_DEPTH} 层", f"nested deeper than {MAX_DEPTH} levels")
        keys = list(value)
        try:
            all_ascii = "".join(keys).isascii()
        except TypeError:
            key = next(k for k in keys if not isinstance(k, str))
            raise _Refused(f"键 {key!r} 不是字符串", f"the key {key!r} is not a string") from None
        if all_ascii:
            keys.sort()
        else:
            keys.sort(key=_utf16)
        out = {}
        for key in keys:
            item = value[key]
            kind = type(item)
            if not (
                kind is str
                or item is None
                or kind is bool
                or (kind is int and -MAX_SAFE_INTEGER <= item <= MAX_SAFE_INTEGER)
            ):
                try:
                    item = _normal(item, depth + 1)
                except _Refused as refused:
                    refused.path.append(key)
                    raise
            out[key if type(key) is str else str.__str__(key)] = item
        return out
    if kind is list or isinstance(value, list | tuple):
        if depth >= MAX_DEPTH:
            raise _Refused(f"嵌套超过 {MAX_DEPTH} 层", f"nested deeper than {MAX_DEPTH} levels")
        items = []
        for position, item in enumerate(value):
            kind = type(item)
            if not (
                kind is str
                or item is None
                or kind is bool
                or (kind is int and -MAX_SAFE_INTEGER <= item <= MAX_SAFE_INTEGER)
            ):
                try:
                    item = _normal(item, depth + 1)
                except _Refused as refused:
                    refused.path.append(position)
                    raise
            items.append(item)
        return items
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int):
        return _normal(int(value), depth)
    raise _refusal(value)


def _refusal(value: Any) -> _Refused:
    if isinstance(value, float):
        return _Refused(
            f"不接受浮点数 {value!r}：请改为整数或字符串（decimal_text）",
            f"floats are refused ({value!r}): use a whole number or a string (decimal_text)",
        )
    if isinstance(value, decimal.Decimal):
        return _Refused(
            f"不接受 Decimal {value}：请改为字符串（decimal_text）",
            f"Decimal is refused ({value}): write it as a string (decimal_text)",
        )
    if isinstance(value, dt.date | dt.time):
        return _Refused(
            f"不接受日期时间 {value!r}：请改为 ISO 8601 字符串（含时区）",
            f"dates and times are refused ({value!r}): write ISO 8601 text with its UTC offset",
        )
    name = type(value).__name__
    return _Refused(f"{name} 类型的值不是 JSON 值", f"a value of type {name} is not JSON")


def _unpaired_surrogate(value: Any, path: str = "") -> str | None:
    """Where a string with an unpaired surrogate is (the slow path, on error only)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return path or "(value)"
    elif isinstance(value, Mapping):
        for key, item in value.items():
            inner = f"{path}.{_shown(key)}".lstrip(".")
            found = _unpaired_surrogate(key, inner) or _unpaired_surrogate(item, inner)
            if found:
                return found
    elif isinstance(value, list | tuple):
        for position, item in enumerate(value):
            found = _unpaired_surrogate(item, f"{path}[{position}]")
            if found:
                return found
    return None


def _shown(key: Any) -> str:
    """A key as it can be printed: itself, or escaped when it is not valid UTF-8."""
    try:
        key.encode("utf-8")
        return key
    except (UnicodeEncodeError, AttributeError):
        return ascii(key)


def _error(zh: str, en: str) -> CanonicalError:
    return CanonicalError(Problem("TRAIL-VALUE", zh, en))
