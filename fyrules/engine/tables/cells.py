"""Reading table cells: DMN "simple unary tests" for inputs, literals for outputs.

An input cell is one of (DMN 1.3, FEEL simple unary tests, in the spelling policy staff use)::

    -                       any value (an empty cell too)
    commitment  "a, b"  5   a literal: equal to it (text may be bare or in "double quotes")
    < 5   <= 5   > 5   >= 5   = 5   != 5         comparisons (< > only for numbers and dates)
    [1..10]  (1..10]  [1..10)  ]1..10[            intervals: [ ] closed, ( ) or outward ] [ open
    immediate, commitment                         a list: any of them (， works as well as ,)
    not(immediate, joint)                         none of them

Cells are read by the small scanner below — never ``eval``. YAML scalars that are already
numbers, dates or true/false become the matching literal.
"""

from __future__ import annotations

import re
from typing import Any

import attrs

from ..problems import Location
from .sets import Interval, IntervalSet, Predicate, ValueTest, everything, single
from .values import ORDERED_TYPES, TYPE_ZH, LiteralError, literal_from_scalar, literal_from_text

MAX_CELL_CHARS = 2000

_NOT = re.compile(r"(?i)(?:^|[\s,，])not\s*[(（]")
_SEPARATORS = ",，"
_OPERATORS = ("<=", ">=", "!=", "<", ">", "=", "≤", "≥", "≠")
_SAME_OP = {"≤": "<=", "≥": ">=", "≠": "!="}
_QUOTES = {'"': '"', "“": "”"}
_OPENERS = "[(]"
_CLOSERS = "])["


class CellError(Exception):
    """A cell that cannot be read; ``zh`` and ``en`` say why (internal; becomes a problem)."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh = zh
        self.en = en


@attrs.frozen(slots=True)
class Cell:
    """One input cell: what was written, the set of values it accepts, and where it stands."""

    text: str
    test: ValueTest
    location: Location | None = attrs.field(default=None, eq=False)
    #: the compiled test; ``None`` for ``-`` (derived from ``test``, so never pickled)
    predicate: Predicate | None = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "predicate", self.test.predicate())

    def __reduce__(self) -> tuple[Any, ...]:
        return Cell, (self.text, self.test, self.location)

    @property
    def is_any(self) -> bool:
        return self.predicate is None


def make_cell(raw: Any, test: ValueTest, location: Location | None = None) -> Cell:
    text = "-" if raw is None else raw if isinstance(raw, str) else _scalar_text(raw)
    return Cell(text.strip() or "-", test, location)


def _scalar_text(raw: Any) -> str:
    if isinstance(raw, list):
        return ", ".join(_scalar_text(x) for x in raw)
    if isinstance(raw, bool):
        return "true" if raw else "false"
    return str(raw)


def parse_input(raw: Any, type_: str) -> ValueTest:
    """The set of values an input cell accepts; raises :class:`CellError`."""
    if raw is None:
        return everything(type_)
    if isinstance(raw, str):
        return _Scanner(raw, type_).cell()
    if isinstance(raw, list):
        if not raw:
            raise CellError("单元格是空列表", "the cell is an empty list")
        if any(isinstance(x, list | dict) for x in raw):
            raise CellError(
                "单元格中的列表只能含简单的值", "a list in a cell may hold plain values only"
            )
        if type_ in ORDERED_TYPES and any(_bare_interval(x) for x in raw):
            # YAML reads an unquoted [1..20] as a list holding "1..20"
            raise CellError(
                'YAML 中的区间要加引号，如 "[1..20]"',
                'in YAML, put an interval in quotes, like "[1..20]"',
            )
        result = parse_input(raw[0], type_)
        for item in raw[1:]:
            result = _union(result, parse_input(item, type_))
        return result
    return single(_literal_scalar(raw, type_), type_)


def parse_output(raw: Any, type_: str) -> Any:
    """The value of an output cell (a literal of ``type_``); raises :class:`CellError`."""
    if raw is None or (isinstance(raw, str) and raw.strip() in ("", "-")):
        raise CellError("输出单元格必须填写一个值", "an output cell must hold a value")
    if not isinstance(raw, str):
        return _literal_scalar(raw, type_)
    text = raw.strip()
    if len(text) > MAX_CELL_CHARS:
        raise _too_long()
    if text[0] in _QUOTES:
        scanner = _Scanner(text, type_)
        value, end = scanner.quoted(0)
        if text[end:].strip():
            raise CellError(
                f"引号后面多出了 “{text[end:].strip()}”",
                f"unexpected '{text[end:].strip()}' after the closing quote",
            )
        return value
    try:
        return literal_from_text(text, type_)
    except LiteralError as exc:
        raise CellError(exc.zh, exc.en) from None


def _bare_interval(x: Any) -> bool:
    return isinstance(x, str) and ".." in x and not x.lstrip().startswith(tuple(_OPENERS))


def _literal_scalar(raw: Any, type_: str) -> Any:
    try:
        return literal_from_scalar(raw, type_)
    except LiteralError as exc:
        raise CellError(exc.zh, exc.en) from None


def _union(a: ValueTest, b: ValueTest) -> ValueTest:
    return a.union(b)  # type: ignore[arg-type]  # both sets come from one column type


def _too_long() -> CellError:
    return CellError(
        f"单元格超过 {MAX_CELL_CHARS} 个字符",
        f"the cell is longer than {MAX_CELL_CHARS} characters",
    )


class _Scanner:
    """Reads one cell's text left to right; every failure is a :class:`CellError`."""

    def __init__(self, text: str, type_: str):
        self.text = text
        self.type = type_

    def cell(self) -> ValueTest:
        text = self.text.strip()
        if len(text) > MAX_CELL_CHARS:
            raise _too_long()
        if text in ("", "-"):
            return everything(self.type)
        lowered = text[:3].lower()
        rest = text[3:].lstrip()
        if lowered == "not" and rest[:1] in ("(", "（"):
            if not rest.endswith((")", "）")):
                raise CellError("not( 缺少右括号 )", "not( is missing its closing )")
            inner = rest[1:-1]
            if _NOT.search(inner):
                raise CellError(
                    "一个单元格只能有一个 not(…)，并且要括住整个单元格",
                    "a cell may hold one not(…) only, enclosing the whole cell",
                )
            if not inner.strip():
                raise CellError("not() 中没有值", "not() holds no value")
            return self.tests(inner).complement()
        return self.tests(text)

    def tests(self, text: str) -> ValueTest:
        self.text = text
        pos, result = 0, None
        while True:
            pos = self.skip(pos)
            if pos >= len(text) or text[pos] in _SEPARATORS:
                raise CellError(
                    "逗号之间缺少值（多了一个逗号？）",
                    "a value is missing between commas (extra comma?)",
                )
            test, pos = self.test(pos)
            result = test if result is None else _union(result, test)
            pos = self.skip(pos)
            if pos >= len(text):
                return result
            if text[pos] not in _SEPARATORS:
                rest = text[pos : pos + 20]
                raise CellError(f"“{rest}” 前面缺少逗号", f"a comma is missing before '{rest}'")
            pos += 1

    def skip(self, pos: int) -> int:
        while pos < len(self.text) and self.text[pos].isspace():
            pos += 1
        return pos

    def test(self, pos: int) -> tuple[ValueTest, int]:
        text = self.text
        for op in _OPERATORS:
            if text.startswith(op, pos):
                value, end = self.literal(self.skip(pos + len(op)), _SEPARATORS, op)
                return self.compare(_SAME_OP.get(op, op), value), end
        if text[pos] in _OPENERS and ".." in text[pos:]:
            return self.interval(pos)
        value, end = self.literal(pos, _SEPARATORS, None)
        return single(value, self.type), end

    def compare(self, op: str, value: Any) -> ValueTest:
        if op in ("=", "!="):
            test = single(value, self.type)
            return test if op == "=" else test.complement()
        if self.type not in ORDERED_TYPES:
            raise self.unordered(op)
        part = {
            "<": Interval(None, value, False, False),
            "<=": Interval(None, value, False, True),
            ">": Interval(value, None, False, False),
            ">=": Interval(value, None, True, False),
        }[op]
        return IntervalSet((part,))

    def unordered(self, what: str) -> CellError:
        return CellError(
            f"{TYPE_ZH[self.type]}列不能用 {what}（只有数字和日期可以比较大小）；"
            "若这是文字本身，请加双引号",
            f"{what} cannot be used in a {self.type} column (only numbers and dates are "
            "ordered); if it is part of the text, put the text in double quotes",
        )

    def interval(self, pos: int) -> tuple[ValueTest, int]:
        text = self.text
        if self.type not in ORDERED_TYPES:
            raise self.unordered("[a..b]")
        low_closed = text[pos] == "["
        dots = text.index("..", pos)
        close = min((i for i in (text.find(c, dots + 2) for c in _CLOSERS) if i >= 0), default=-1)
        if close < 0:
            raise CellError("区间缺少右括号 ] 或 )", "the interval is missing its closing ] or )")
        low = self.endpoint(text[pos + 1 : dots])
        high = self.endpoint(text[dots + 2 : close])
        high_closed = text[close] == "]"
        if low > high:
            shown = text[pos : close + 1]
            raise CellError(
                f"区间 {shown} 的下限大于上限", f"the interval {shown} starts after it ends"
            )
        if low == high and not (low_closed and high_closed):
            shown = text[pos : close + 1]
            raise CellError(f"区间 {shown} 不含任何值", f"the interval {shown} is empty")
        return IntervalSet((Interval(low, high, low_closed, high_closed),)), close + 1

    def endpoint(self, text: str) -> Any:
        text = text.strip()
        if not text:
            raise CellError("区间缺少端点", "an end of the interval is missing")
        try:
            return literal_from_text(text, self.type)
        except LiteralError as exc:
            raise CellError(exc.zh, exc.en) from None

    def literal(self, pos: int, stops: str, op: str | None) -> tuple[Any, int]:
        text = self.text
        if pos < len(text) and text[pos] in _QUOTES:
            return self.quoted(pos)
        end = pos
        while end < len(text) and text[end] not in stops:
            end += 1
        word = text[pos:end].strip()
        if not word:
            raise CellError(f"{op} 后面缺少值", f"a value is missing after {op}")
        if word[0] in '"“”' or word[-1] in '"“”':
            raise CellError(f"引号不成对：{word}", f"unbalanced quotes: {word}")
        try:
            return literal_from_text(word, self.type), end
        except LiteralError as exc:
            raise CellError(exc.zh, exc.en) from None

    def quoted(self, pos: int) -> tuple[Any, int]:
        text, close = self.text, _QUOTES[self.text[pos]]
        out: list[str] = []
        i = pos + 1
        while i < len(text):
            ch = text[i]
            if ch == "\\" and i + 1 < len(text):
                out.append(text[i + 1])
                i += 2
                continue
            if ch == close:
                value = "".join(out)
                try:
                    return literal_from_text(value, self.type), i + 1
                except LiteralError as exc:
                    raise CellError(exc.zh, exc.en) from None
            out.append(ch)
            i += 1
        raise CellError("引号没有结束", "the closing quote is missing")
