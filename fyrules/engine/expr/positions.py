"""Where things are inside an expression, and where that is in the rule file.

Python's ``ast`` gives line numbers and *byte* offsets into the UTF-8 text; policy staff
write Chinese, so every offset is turned into a character offset before it is shown. The
expression is parsed inside a pair of brackets (which lets it span several YAML lines), so
offsets on the first line are one character off and are corrected here, in one place.
"""

from __future__ import annotations

import ast

import attrs

from ..problems import Location, Problem
from .errors import ExpressionError

#: Where a problem is reported when the caller gave no location for the expression.
DEFAULT_LOCATION = Location("<expression>", 1, 1)


@attrs.frozen(slots=True)
class Span:
    """A piece of the expression: ``line`` (1-based), ``offset`` (0-based, in characters)."""

    line: int
    offset: int
    text: str


@attrs.frozen(slots=True)
class SourceText:
    """An expression's text (newlines normalised) and the location where it starts."""

    text: str
    location: Location | None = None
    _lines: tuple[str, ...] = attrs.field(init=False, repr=False)
    _encoded: tuple[bytes, ...] | None = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        lines = tuple(self.text.split("\n"))
        object.__setattr__(self, "_lines", lines)
        # Byte and character offsets differ only where the text is not ASCII.
        encoded = None if self.text.isascii() else tuple(line.encode() for line in lines)
        object.__setattr__(self, "_encoded", encoded)

    @classmethod
    def of(cls, source: str, location: Location | None) -> SourceText:
        return cls(source.replace("\r\n", "\n").replace("\r", "\n"), location)

    @property
    def wrapped(self) -> str:
        """The text that is handed to ``ast.parse``: in brackets, so it may span lines."""
        return "(" + self.text + "\n)"

    @property
    def single_line(self) -> bool:
        return "\n" not in self.text

    def char_position(self, lineno: int, col_offset: int) -> tuple[int, int]:
        """(line, character offset) in the expression of an ``ast`` (lineno, byte offset)."""
        index = min(max(lineno - 1, 0), len(self._lines) - 1)
        byte = col_offset - 1 if lineno == 1 else col_offset  # the opening bracket
        if self._encoded is None:
            return index + 1, min(max(byte, 0), len(self._lines[index]))
        raw = self._encoded[index]
        byte = min(max(byte, 0), len(raw))
        return index + 1, len(raw[:byte].decode(errors="ignore"))

    def span(self, node: ast.AST) -> Span:
        lineno = getattr(node, "lineno", 1)
        line, offset = self.char_position(lineno, getattr(node, "col_offset", 1))
        end_line = getattr(node, "end_lineno", None)
        end_col = getattr(node, "end_col_offset", None)
        if end_line is None or end_col is None:
            return Span(line, offset, "")
        last, end = self.char_position(end_line, end_col)
        return Span(line, offset, self._slice(line, offset, last, end))

    def _slice(self, line: int, offset: int, last: int, end: int) -> str:
        lines = self._lines
        if line == last:
            return lines[line - 1][offset:end]
        parts = [lines[line - 1][offset:], *lines[line : last - 1], lines[last - 1][:end]]
        return "\n".join(parts)

    def position_of_index(self, index: int) -> tuple[int, int]:
        """(line, offset) of the character at ``index`` of the text."""
        line = self.text.count("\n", 0, index) + 1
        return line, index - (self.text.rfind("\n", 0, index) + 1)

    def locate(self, line: int, offset: int) -> Location:
        """The rule-file location of a place in the expression (its start when multi-line)."""
        base = self.location or DEFAULT_LOCATION
        return base.shifted(offset) if self.single_line else base

    def where(self, line: int, offset: int) -> tuple[str, str]:
        """Suffixes naming the place in the expression, in Chinese and English."""
        if self.single_line:
            return f"（表达式第 {offset + 1} 列）", f" (column {offset + 1} of the expression)"
        return (
            f"（表达式第 {line} 行第 {offset + 1} 列）",
            f" (line {line}, column {offset + 1} of the expression)",
        )

    def problem(self, code: str, zh: str, en: str, line: int, offset: int) -> Problem:
        where_zh, where_en = self.where(line, offset)
        return Problem(code, zh + where_zh, en + where_en, self.locate(line, offset))

    def error(self, code: str, zh: str, en: str, span: Span) -> ExpressionError:
        """An :class:`ExpressionError` at ``span`` (to be raised by the caller)."""
        return ExpressionError(self.problem(code, zh, en, span.line, span.offset))
