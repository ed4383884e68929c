"""Report-up hand-off (上报移交): a case moves from a lower rulebook (a township's) to a
higher one (the city's), and the two trails are linked.

The township's case is accepted and first reviewed under the township's rulebook; its
``review`` event is the report to the city (Administrative Licensing Law Art. 43). The city's
case opens with a ``submit`` event whose ``data.handoff`` names the township's rulebook, its
case and the hash of the trail entry that recorded the report
(:data:`fyrules.cases.events.HANDOFF_FIELD`). Each side's clock runs by its own rulebook: the
township's first review by the township's limits, the city's decision from its own receipt.
:func:`verify_handoff` checks the link against the township's trail: the entry exists, has that
hash, and records a report of that case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from ..engine.problems import Problem
from .events import HANDOFF_FIELD, Event

REPORT_EVENT = "review"
"""The township's event that reports a report-up case to the city (the report-up process's
``review``: 审核并上报)."""


def report_entry(trail: Iterable[Mapping[str, Any]], case: str) -> Mapping[str, Any] | None:
    """The last trail entry recording the report (``review``) of ``case``, or ``None``."""
    found = None
    for entry in trail:
        record = entry.get("record")
        if (
            entry.get("kind") == "event"
            and isinstance(record, Mapping)
            and record.get("case") == case
            and record.get("event") == REPORT_EVENT
        ):
            found = entry
    return found


def handoff_event(
    lower_rulebook: str,
    lower_trail: Iterable[Mapping[str, Any]],
    lower_case: str,
    *,
    case: str,
    item: str,
    at: dt.datetime,
    actor: str,
    event_id: str | None = None,
) -> Event:
    """The higher side's ``submit`` of ``case`` (its ``item``), linked to the report of
    ``lower_case`` in ``lower_trail``. Raises ``ValueError`` when that trail records no
    report of the case."""
    entry = report_entry(lower_trail, lower_case)
    if entry is None:
        raise ValueError(
            f"下级留痕中没有案件 {lower_case} 的上报记录 / the lower trail records no report of "
            f"case {lower_case}"
        )
    link = {
        "rulebook": lower_rulebook,
        "case": lower_case,
        "entry_hash": entry["hash"],
        "entry_index": entry["index"],
    }
    return Event(
        id=event_id,
        case=case,
        item=item,
        event="submit",
        at=at,
        actor=actor,
        data={HANDOFF_FIELD: link},
    )


def verify_handoff(event: Event, lower_trail: Iterable[Mapping[str, Any]]) -> list[Problem]:
    """``HANDOFF-BROKEN`` unless the lower trail holds the entry ``event``'s hand-off names:
    that hash, recording the report of that case. (Whether the lower trail itself is intact
    is ``fyrules trail verify``'s job.)"""
    link = event.data.get(HANDOFF_FIELD)
    if not isinstance(link, Mapping):
        return [_broken(event, "事件没有 data.handoff", "the event has no data.handoff")]
    for entry in lower_trail:
        if entry.get("hash") != link.get("entry_hash"):
            continue
        record = entry.get("record")
        if (
            entry.get("kind") == "event"
            and isinstance(record, Mapping)
            and record.get("case") == link.get("case")
            and record.get("event") == REPORT_EVENT
        ):
            return []
        return [
            _broken(
                event,
                f"留痕条目 {entry.get('index')} 不是案件 {link.get('case')} 的上报记录",
                f"trail entry {entry.get('index')} is not the report of case {link.get('case')}",
            )
        ]
    return [
        _broken(
            event,
            f"下级留痕中没有哈希为 {str(link.get('entry_hash'))[:12]}… 的条目",
            f"the lower trail has no entry with hash {str(link.get('entry_hash'))[:12]}…",
        )
    ]


def _broken(event: Event, zh: str, en: str) -> Problem:
    return Problem(
        "HANDOFF-BROKEN",
        f"案件 {event.case} 的上报移交无法核对：{zh}；请核对下级规则集的留痕与移交记录",
        f"the hand-off of case {event.case} cannot be verified: {en}; check the lower "
        "rulebook's trail and the hand-off record",
        None,
        event.case,
    )
