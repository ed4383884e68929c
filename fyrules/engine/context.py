"""Checking a context written by hand (a rulebook test's ``given``) against a scope's schema.

YAML 1.2 reads ``2025-10-01`` as text, so a date or date-time field may be given as an ISO
string (``2025-10-01``, ``2025-10-09T09:30:00+08:00``); :func:`with_empty_fields` turns it into
a :class:`datetime.date` or :class:`datetime.datetime`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from .expr.types import (
    ANY,
    BOOL,
    DATE,
    DATETIME,
    NULL,
    NUMBER,
    STRING,
    ListType,
    ObjectType,
    OptionalType,
    Type,
)
from .messages import validation_message
from .suggest import hint


def context_errors(schema: ObjectType, data: Any, where: str = "given") -> list[tuple[str, str]]:
    """Every mismatch between ``data`` and ``schema``, as (Chinese, English) messages.

    Unknown fields are errors (with "did you mean"); absent fields are allowed and read as
    empty (``None``)."""
    errors: list[tuple[str, str]] = []
    _check(schema, data, where, errors)
    return errors


def _check(t: Type, value: Any, where: str, errors: list[tuple[str, str]]) -> None:
    if value is None:
        return
    if isinstance(t, OptionalType):
        _check(t.inner, value, where, errors)
        return
    if t in (ANY, NULL):
        return
    if isinstance(t, ObjectType):
        if not isinstance(value, Mapping):
            errors.append((f"{where} 应为对象（映射）", f"{where} must be an object (a mapping)"))
            return
        for key, sub in value.items():
            field = t.fields.get(key)
            if field is None:
                zh_hint, en_hint = hint(str(key), t.fields)
                errors.append(
                    (
                        f"{where}：未知字段 “{key}”{zh_hint}",
                        f"{where}: unknown field '{key}'{en_hint}",
                    )
                )
                continue
            _check(field, sub, f"{where}.{key}", errors)
        return
    if isinstance(t, ListType):
        if not isinstance(value, list | tuple):
            errors.append(validation_message({"type": "list_type", "input": value}, where))
            return
        for i, sub in enumerate(value):
            _check(t.element, sub, f"{where}[{i}]", errors)
        return
    if t in (DATE, DATETIME):
        value = from_iso(t, value)
    ok = {
        BOOL: lambda v: isinstance(v, bool),
        NUMBER: lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        STRING: lambda v: isinstance(v, str),
        DATE: lambda v: isinstance(v, dt.date) and not isinstance(v, dt.datetime),
        DATETIME: lambda v: isinstance(v, dt.datetime),
    }.get(t)
    if ok is not None and not ok(value):
        kind = {BOOL: "bool", NUMBER: "float", STRING: "string", DATE: "date"}.get(t, "datetime")
        errors.append(validation_message({"type": f"{kind}_type", "input": value}, where))


def with_empty_fields(schema: ObjectType, data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` with every field of ``schema`` it leaves out filled in as empty: ``None``,
    ``False`` for yes/no fields, ``[]`` for lists, and objects filled the same way.

    Rulebook tests write only the fields a rule reads; this makes the rest empty rather
    than missing."""
    out = dict(data)
    for name, field in schema.fields.items():
        value = out.get(name)
        inner = field.inner if isinstance(field, OptionalType) else field
        if value is None:
            if isinstance(field, OptionalType):
                out[name] = None
            elif isinstance(inner, ListType):
                out[name] = []
            elif isinstance(inner, ObjectType):
                out[name] = with_empty_fields(inner, {})
            elif inner == BOOL:
                out[name] = False
            else:
                out[name] = None
        elif isinstance(inner, ObjectType) and isinstance(value, Mapping):
            out[name] = with_empty_fields(inner, value)
        elif isinstance(inner, ListType) and isinstance(value, list):
            element = inner.element
            if isinstance(element, OptionalType):
                element = element.inner
            if isinstance(element, ObjectType):
                out[name] = [
                    with_empty_fields(element, v) if isinstance(v, Mapping) else v for v in value
                ]
            elif element in (DATE, DATETIME):
                out[name] = [from_iso(element, v) for v in value]
        elif inner in (DATE, DATETIME):
            out[name] = from_iso(inner, value)
    return out


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}.*")


def from_iso(t: Type, value: Any) -> Any:
    """An ISO string given for a date (``t`` is DATE) or date-time field as that value;
    anything else as it is."""
    if not isinstance(value, str):
        return value
    try:
        if t == DATE and _ISO_DATE.fullmatch(value):
            return dt.date.fromisoformat(value)
        if t == DATETIME and _ISO_DATETIME.fullmatch(value):
            return dt.datetime.fromisoformat(value)
    except ValueError:
        pass
    return value
