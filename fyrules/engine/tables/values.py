"""The values a decision table holds: four column types, their literals and input checks.

A column is ``number``, ``string`` (文本), ``date`` (日期) or ``bool`` (是/否). Literals come either
as text (a CSV cell, a YAML string) or as a scalar YAML already typed (``5``, ``2025-10-01``,
``true``); both end up as plain Python values: ``int``/``float``, ``str``, :class:`datetime.date`,
``bool``. Numbers in tables are bounded (|x| ≤ 10^15) so every one is exact as a float.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Literal

ColumnType = Literal["number", "string", "date", "bool"]
COLUMN_TYPES: tuple[str, ...] = ("number", "string", "date", "bool")
ORDERED_TYPES = frozenset({"number", "date"})

MAX_NUMBER = 10**15

TYPE_ZH = {"number": "数字", "string": "文本", "date": "日期", "bool": "是/否"}

_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d{1,3})?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class LiteralError(Exception):
    """A literal that is not a value of its column's type (internal; becomes a problem)."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh = zh
        self.en = en


def number_from_text(text: str) -> int | float:
    """``"15"`` → 15, ``"2.5"`` → 2.5; anything else raises :class:`LiteralError`."""
    if not _NUMBER.fullmatch(text):
        raise LiteralError(f"“{_clip(text)}” 不是数字", f"'{_clip(text)}' is not a number")
    value: int | float = int(text) if text.lstrip("+-").isdigit() else float(text)
    return _bounded(value, text)


def _bounded(value: int | float, shown: object) -> int | float:
    if isinstance(value, float) and value.is_integer() and abs(value) <= MAX_NUMBER:
        value = int(value)
    if not (isinstance(value, int) or math.isfinite(value)) or abs(value) > MAX_NUMBER:
        raise LiteralError(
            f"数字 {_clip(str(shown))} 超出范围（绝对值不超过 10^15）",
            f"number {_clip(str(shown))} out of range (at most 10^15 in absolute value)",
        )
    return value


def date_from_text(text: str) -> dt.date:
    if _DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise LiteralError(
        f"“{_clip(text)}” 不是日期（应写成 2025-10-01 这样的格式）",
        f"'{_clip(text)}' is not a date (write it like 2025-10-01)",
    )


def bool_from_text(text: str) -> bool:
    lowered = text.lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    raise LiteralError(
        f"“{_clip(text)}” 不是 true 或 false", f"'{_clip(text)}' is neither true nor false"
    )


def literal_from_text(text: str, type_: str) -> Any:
    """A literal written as text (already unquoted), as a value of ``type_``."""
    if type_ == "string":
        return text
    if type_ == "number":
        return number_from_text(text)
    if type_ == "date":
        return date_from_text(text)
    return bool_from_text(text)


def literal_from_scalar(value: Any, type_: str) -> Any:
    """A scalar that YAML already typed (not a ``str``), as a value of ``type_``."""
    if isinstance(value, bool):
        if type_ == "bool":
            return value
        raise LiteralError(
            f"这里需要{TYPE_ZH[type_]}，却是 {str(value).lower()}"
            "（YAML 会把不加引号的 true/false 读成是/否，若是文字请加引号）",
            f"expected a {type_} here, got {str(value).lower()} "
            "(YAML reads unquoted true/false as yes/no values; put text in quotes)",
        )
    if isinstance(value, int | float):
        if type_ == "number":
            return _bounded(value, value)
        if type_ == "string" and (isinstance(value, int) or math.isfinite(value)):
            return str(value)
    elif isinstance(value, dt.datetime):
        raise LiteralError(
            "决策表中的日期不能带时刻", "dates in decision tables cannot carry a time of day"
        )
    elif isinstance(value, dt.date):
        if type_ == "date":
            return value
        if type_ == "string":
            return value.isoformat()
    else:
        raise LiteralError("单元格只能是一个简单的值", "a cell must hold a single plain value")
    return _wrong(value, type_)


def _wrong(value: Any, type_: str) -> Any:
    raise LiteralError(
        f"这里需要{TYPE_ZH[type_]}，却是 {_clip(show_value(value))}",
        f"expected a {type_} here, got {_clip(show_value(value))}",
    )


def input_checker(type_: str) -> Callable[[Any], bool]:
    """A fast test that a run-time input value has the type ``type_``."""
    return _CHECKERS[type_]


def _is_number(x: Any) -> bool:
    t = type(x)
    if t is int:
        return True
    if t is float:
        return math.isfinite(x)
    if t is Decimal:
        return x.is_finite()
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _is_date(x: Any) -> bool:
    return isinstance(x, dt.date) and not isinstance(x, dt.datetime)


_CHECKERS: dict[str, Callable[[Any], bool]] = {
    "number": _is_number,
    "string": lambda x: isinstance(x, str),
    "date": _is_date,
    "bool": lambda x: isinstance(x, bool),
}


def type_name_of(value: Any) -> tuple[str, str]:
    """How to name the type of a run-time value in a message (zh, en)."""
    if value is None:
        return "空值", "null"
    if isinstance(value, bool):
        return "是/否", "bool"
    if isinstance(value, int | float | Decimal):
        return "数字", "number"
    if isinstance(value, str):
        return "文本", "string"
    if isinstance(value, dt.datetime):
        return "日期时间", "datetime"
    if isinstance(value, dt.date):
        return "日期", "date"
    return type(value).__name__, type(value).__name__


_BARE = re.compile(r"[^\s,，\"“”<>=!≤≥≠\[\]()（）-][^,，\"“”\[\]()（）]*")


def show_value(value: Any) -> str:
    """A value written the way a table cell would hold it: ``5``, ``2025-10-01``, ``joint``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        simple = _BARE.fullmatch(value) and value == value.strip() and value.lower() != "not"
        if simple and not _NUMBER.fullmatch(value) and value.lower() not in ("true", "false"):
            return value
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
