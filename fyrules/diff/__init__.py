"""What a rule change does before it is made: ``fyrules diff OLD NEW``.

:func:`diff_rulebooks` compares two compiled rulebooks entry by entry (:mod:`.changes`), judges
which changes loosen the rulebook (:mod:`.direction`) and, given a month's events, replays them
under both (:mod:`.impact`)::

    report = diff_rulebooks(fyrules.load("base/rules"), fyrules.load("head/rules"),
                            events="2025-10.jsonl", month="2025-10")
    report.changed, report.loosened, report.to_dict()
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from .changes import EntryChange, count_kinds, rule_changes
from .direction import Verdict
from .impact import Impact, replay_impact, rulebook_version

__all__ = ["DiffReport", "EntryChange", "Impact", "Verdict", "diff_rulebooks"]


@attrs.frozen(slots=True)
class DiffReport:
    """The semantic diff of NEW against OLD and, with events, the replay impact."""

    old: dict[str, Any]
    new: dict[str, Any]
    changes: tuple[EntryChange, ...]
    impact: Impact | None = None

    @property
    def changed(self) -> bool:
        """Anything differs: an entry, or what the events give."""
        return bool(self.changes) or (self.impact is not None and self.impact.changed)

    @property
    def loosened(self) -> tuple[EntryChange, ...]:
        """The entries whose change loosens the rulebook."""
        return tuple(c for c in self.changes if c.loosened)

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old,
            "new": self.new,
            "changed": self.changed,
            "summary": count_kinds(self.changes),
            "changes": [c.to_dict() for c in self.changes],
            "impact": self.impact.to_dict() if self.impact is not None else None,
        }


def diff_rulebooks(
    old: Any,
    new: Any,
    *,
    events: str | Path | Iterable[Any] | None = None,
    month: str | None = None,
    source: str | None = None,
) -> DiffReport:
    """Compare rulebook ``new`` with ``old``; with ``events`` (JSON Lines, or the stream a
    store's delivery log gives back, named by ``source``) and ``month`` (``YYYY-MM``) also
    replay the events under both."""
    impact = None
    if events is not None:
        if month is None:
            raise ValueError("须同时给出月份 / a month is needed with the events")
        impact = replay_impact(old, new, events, month=month, source=source)
    return DiffReport(
        rulebook_version(old), rulebook_version(new), tuple(rule_changes(old, new)), impact
    )
