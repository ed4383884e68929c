"""Accountability records (问责记录): what followed a red card or a stage that ran over.

Each finding that the ``accountability:`` section names as a trigger carries ``responsible``
(the stage, person and department that held the case when it ran over: the monitor's
``finding_note`` hook). That opens one record for the holder. The record follows the case's
events, all in the trail:

- ``explanation_requested``: the center asks the holder for an explanation;
- ``explanation_given``: the holder's explanation (``data.text``);
- ``accountability_decided``: the decision (``data.decision``: one of the section's
  ``decisions``, e.g. no fault because an Art. 45 procedure took longer, a warning, or
  criticism in the monthly notification) by a person holding the role the process names.

An event names its finding in ``data.finding`` (the rule id); without it, it is for every
record of the case.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from .findings import case_states
from .policy import Workflows

STATUSES = ("open", "explanation_requested", "explanation_given", "decided")


def accountability_records(
    monitor: Any, findings: Iterable[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """One record per finding with a ``responsible`` holder, with what followed (JSON)."""
    workflows: Workflows | None = monitor.rulebook.part("workflows")
    policy = workflows.accountability if workflows is not None else None
    if policy is None:
        return []
    opened = [f for f in findings if f.get("responsible")]
    wanted = {f.get("case") for f in opened}
    tracks: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for state in case_states(monitor):
        if state.get("case") in wanted:
            tracks[state["case"]].extend(
                t for t in state.get("tracks") or () if t["kind"] in _RECORD_KINDS
            )
    out = []
    for f in sorted(opened, key=lambda f: (str(f.get("case")), f["rule"])):
        held = f["responsible"]
        record: dict[str, Any] = {
            "case": f.get("case"),
            "finding": f["rule"],
            "severity": f["severity"],
            "stage": held.get("stage"),
            "person": held.get("person"),
            "dept": held.get("dept"),
            "due": held.get("due"),
            "deadline": held.get("deadline"),
            "explanation_requested_at": None,
            "explanation_requested_by": None,
            "explanation_given_at": None,
            "explanation": None,
            "decision": None,
            "decision_zh": None,
            "decision_en": None,
            "fault": None,
            "published": False,
            "decided_by": None,
            "decided_at": None,
            "basis": held.get("basis"),
        }
        for t in tracks.get(str(f.get("case")), ()):
            data = t.get("data") or {}
            if data.get("finding") not in (None, f["rule"]):
                continue
            if t["kind"] == "explanation_requested":
                record["explanation_requested_at"] = t["at"]
                record["explanation_requested_by"] = t.get("actor")
            elif t["kind"] == "explanation_given":
                record["explanation_given_at"] = t["at"]
                record["explanation"] = data.get("text")
            else:
                decision = policy.decisions.get(data.get("decision", ""))
                record["decision"] = data.get("decision")
                record["decided_by"] = t.get("actor")
                record["decided_at"] = t["at"]
                if decision is not None:
                    record["decision_zh"], record["decision_en"] = (
                        decision.name_zh,
                        decision.name_en,
                    )
                    record["fault"], record["published"] = decision.fault, decision.published
                    record["basis"] = decision.basis
        record["status"] = _status(record)
        out.append(record)
    return out


_RECORD_KINDS = frozenset({"explanation_requested", "explanation_given", "accountability_decided"})


def _status(record: Mapping[str, Any]) -> str:
    if record["decided_at"]:
        return "decided"
    if record["explanation_given_at"]:
        return "explanation_given"
    if record["explanation_requested_at"]:
        return "explanation_requested"
    return "open"


def records_of_month(
    records: Iterable[Mapping[str, Any]], first: dt.date, after: dt.date
) -> list[Mapping[str, Any]]:
    """The records a month's notification lists: those whose deadline passed in the month, and
    those decided in it."""
    out = []
    for r in records:
        due = dt.date.fromisoformat(r["due"]) if r.get("due") else None
        decided = dt.datetime.fromisoformat(r["decided_at"]).date() if r.get("decided_at") else None
        if (due is not None and first <= due < after) or (
            decided is not None and first <= decided < after
        ):
            out.append(r)
    return out


def by_holder(
    findings: Iterable[Mapping[str, Any]], by: str
) -> list[tuple[str | None, list[Mapping[str, Any]]]]:
    """The findings with a ``responsible`` holder grouped by ``by`` (``person`` or ``dept``),
    the holder with the most findings first (a holder not known last, as ``None``)."""
    groups: dict[str | None, list[Mapping[str, Any]]] = defaultdict(list)
    for f in findings:
        held = f.get("responsible")
        if held:
            groups[held.get(by)].append(f)
    return sorted(groups.items(), key=lambda kv: (kv[0] is None, -len(kv[1]), str(kv[0])))
