"""Findings: what a rule, a deadline or a separation check reports, with its explanation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, cast

import attrs

from .problems import Location, Severity


@attrs.frozen(slots=True)
class Finding:
    """A rule fired. ``subject`` is what it is about (a case number, an item code …) and
    ``subject_kind`` names that field in JSON (``case``, ``item`` …).

    ``trace`` holds expression trace steps (each has ``.text`` and ``.value``) or, for a
    separation conflict or a finding read back from a store, the JSON records it was written
    with. ``provisional`` is set on the case findings ``monitor.findings()`` reports: whether
    their clock counted on a holiday schedule not yet published. ``responsible`` is set on an
    overdue case or stage: who held the case when it ran over (stage, person, department,
    basis), as the ``finding_note`` hook of the workflows extension names them."""

    rule: str
    severity: Severity
    message_zh: str
    message_en: str
    basis: str
    subject: str | None = None
    subject_kind: str = "subject"
    at: dt.datetime | dt.date | None = None
    trace: tuple[Any, ...] = ()  # trace steps (.text, .value) or JSON records
    rule_location: Location | None = None
    provisional: bool | None = None
    responsible: Mapping[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The finding as the finding contract (docs/architecture.md) (plus ``message_en``,
        and ``provisional`` and ``responsible`` when they are set)."""
        out: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.severity,
            self.subject_kind: self.subject,
            "at": self.at.isoformat() if self.at is not None else None,
            "message": self.message_zh,
            "message_en": self.message_en,
            "basis": self.basis,
            "trace": [
                dict(s) if isinstance(s, Mapping) else {"text": s.text, "value": jsonable(s.value)}
                for s in self.trace
            ],
        }
        if self.provisional is not None:
            out["provisional"] = self.provisional
        if self.responsible is not None:
            out["responsible"] = dict(self.responsible)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        """The finding a :meth:`to_dict` made (as a store keeps it): ``to_dict`` of the result
        is equal to ``data``. The one key besides the contract's names the subject."""
        subject_kind = next((k for k in data if k not in _CONTRACT_KEYS), "subject")
        at = data.get("at")
        trace = data.get("trace") or ()
        return cls(
            rule=data["rule"],
            severity=data["severity"],
            message_zh=data.get("message", ""),
            message_en=data.get("message_en", ""),
            basis=data.get("basis", ""),
            subject=data.get(subject_kind),
            subject_kind=subject_kind,
            at=_moment(at) if isinstance(at, str) else cast(Any, at),
            trace=tuple(trace),
            provisional=data.get("provisional"),
            responsible=data.get("responsible"),
        )

    def format(self, lang: str = "both") -> str:
        """One line for people: ``SEVERITY RULE [subject]: message (basis)``."""
        msg = {"zh": self.message_zh, "en": self.message_en}.get(
            lang, f"{self.message_zh} / {self.message_en}"
        )
        subject = f" [{self.subject}]" if self.subject else ""
        return f"{self.severity.upper()} {self.rule}{subject}: {msg} ({self.basis})"


# the keys of a finding's JSON other than its subject's
_CONTRACT_KEYS = frozenset(
    {
        "rule",
        "severity",
        "at",
        "message",
        "message_en",
        "basis",
        "trace",
        "provisional",
        "responsible",
    }
)


def _moment(text: str) -> dt.datetime | dt.date:
    """An ISO date (``2025-10-15``) or time, as ``isoformat`` wrote it."""
    return dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text)


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
