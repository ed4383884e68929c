"""Problems: what fyrules reports about a rule file, as values.

A :class:`Problem` carries a stable code (see :mod:`fyrules.engine.codes`), a location
(file, line, column; 1-based), the rule id it concerns when there is one, and a message in
Chinese and in English. Loading never raises a Python error at the user: every failure is a
problem, and :class:`RulebookError` carries the whole list.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import attrs

Severity = Literal["error", "warning", "info"]
Lang = Literal["zh", "en", "both"]

SEVERITY_ORDER: dict[str, int] = {"info": 0, "warning": 1, "error": 2}
SEVERITY_ZH: dict[str, str] = {"error": "错误", "warning": "警告", "info": "提示"}


def severity_word(severity: str, lang: Lang = "both") -> str:
    """``warning`` as ``警告`` (``zh``), ``warning`` (``en``) or ``警告 warning`` (``both``)."""
    if lang == "en":
        return severity
    zh = SEVERITY_ZH.get(severity, severity)
    return zh if lang == "zh" else f"{zh} {severity}"


@attrs.frozen(slots=True)
class Location:
    """A place in a source file. ``line`` and ``column`` are 1-based; either may be unknown."""

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def shifted(self, columns: int) -> Location:
        """The location ``columns`` characters further along the same line."""
        if self.column is None:
            return self
        return attrs.evolve(self, column=self.column + columns)


@attrs.frozen(slots=True)
class Problem:
    """One finding of the loader or checker: a code, where, and what, in both languages."""

    code: str
    message_zh: str
    message_en: str
    location: Location | None = None
    rule: str | None = None
    severity: Severity = "error"

    @property
    def path(self) -> str | None:
        """The file the problem is in, or ``None``."""
        return self.location.path if self.location else None

    @property
    def line(self) -> int | None:
        """Its line (1-based), or ``None``."""
        return self.location.line if self.location else None

    @property
    def column(self) -> int | None:
        """Its column (1-based), or ``None``."""
        return self.location.column if self.location else None

    def message(self, lang: Lang = "both") -> str:
        """The message in Chinese (``zh``), English (``en``) or both (``中文 / English``)."""
        if lang == "zh":
            return self.message_zh
        if lang == "en":
            return self.message_en
        return f"{self.message_zh} / {self.message_en}"

    def format(self, lang: Lang = "both") -> str:
        """``path:line:column: CODE: RULE-ID: message`` (parts that are unknown are left out)."""
        head = f"{self.location}: " if self.location else ""
        rule = f"{self.rule}: " if self.rule else ""
        sev = "" if self.severity == "error" else f"[{severity_word(self.severity, lang)}] "
        return f"{head}{self.code}: {rule}{sev}{self.message(lang)}"

    def to_dict(self) -> dict[str, object]:
        """The problem as JSON (``fyrules check --format json`` prints these)."""
        return {
            "code": self.code,
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "rule": self.rule,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
        }

    def with_rule(self, rule: str | None) -> Problem:
        """The same problem naming ``rule``, unless it names one already."""
        return self if rule is None or self.rule else attrs.evolve(self, rule=rule)

    def at(self, location: Location | None) -> Problem:
        """The same problem placed at ``location`` (unchanged when it is ``None``)."""
        return self if location is None else attrs.evolve(self, location=location)

    def __str__(self) -> str:
        return self.format()


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in reading order: by file, line, column, then code."""

    def key(p: Problem) -> tuple[str, int, int, str]:
        return (p.path or "", p.line or 0, p.column or 0, p.code)

    return sorted(problems, key=key)


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)


class FyrulesError(Exception):
    """Base of every exception fyrules raises on purpose (all of them: :mod:`fyrules.errors`).

    ``problem`` is the problem it reports, when it reports one; errors that report several
    (``RulebookError``, ``ProjectPathError``, ``AssessmentError``) have ``problems`` instead."""

    problem: Problem | None = None


class UsageError(FyrulesError):
    """Bad arguments or input a command cannot work with: one line for the user, exit 2."""


class RulebookError(FyrulesError):
    """A rulebook could not be loaded; ``problems`` says every reason, with locations."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: tuple[Problem, ...] = tuple(sort_problems(problems))
        first = self.problems[0].format() if self.problems else "unknown problem"
        more = len(self.problems) - 1
        super().__init__(first + (f" (and {more} more)" if more > 0 else ""))
