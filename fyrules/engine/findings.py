"""Findings: what a rule, a deadline or a separation check reports, with its explanation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from .problems import Location, Severity


@attrs.frozen(slots=True)
class Finding:
    """A rule fired. ``subject`` is what it is about (a case number, an item code …) and
    ``subject_kind`` names that field in JSON (``case``, ``item`` …)."""

    rule: str
    severity: Severity
    message_zh: str
    message_en: str
    basis: str
    subject: str | None = None
    subject_kind: str = "subject"
    at: dt.datetime | dt.date | None = None
    trace: tuple[Any, ...] = ()  # expression trace steps: each has .text and .value
    rule_location: Location | None = None

    def to_dict(self) -> dict[str, Any]:
        """The finding as the finding contract (docs/architecture.md) (plus ``message_en``)."""
        return {
            "rule": self.rule,
            "severity": self.severity,
            self.subject_kind: self.subject,
            "at": self.at.isoformat() if self.at is not None else None,
            "message": self.message_zh,
            "message_en": self.message_en,
            "basis": self.basis,
            "trace": [{"text": s.text, "value": jsonable(s.value)} for s in self.trace],
        }

    def format(self, lang: str = "both") -> str:
        """One line for people: ``SEVERITY RULE [subject]: message (basis)``."""
        msg = {"zh": self.message_zh, "en": self.message_en}.get(
            lang, f"{self.message_zh} / {self.message_en}"
        )
        subject = f" [{self.subject}]" if self.subject else ""
        return f"{self.severity.upper()} {self.rule}{subject}: {msg} ({self.basis})"


def jsonable(value: Any) -> Any:
    """A value as JSON can carry it: dates as ISO text, tuples as lists, other objects as text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return str(value)
