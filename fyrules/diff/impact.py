"""What a change does to real cases: the same events replayed under OLD and under NEW.

The events file is read once; each event goes to a monitor of each rulebook in turn, so both
sides see the very same events in the same order. Compared: the findings (per rule and per
case), the events one side refuses and the other accepts, each case's statutory and committed
due dates, and the month's scorecards and ranking. Each side states the rulebook version (and
a fingerprint of its files) and the scoring scheme version it used.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from ..cases.events import Event, read_events
from ..cases.monitor import Duplicate, Monitor
from ..cases.state import Rejected
from ..engine.findings import Finding
from ..engine.load.source import display_path
from ..engine.problems import FyrulesError, Problem

DEADLINE_FIELDS = ("statutory_due", "committed_due")
RULE_SUFFIXES = (".yaml", ".yml", ".csv")


@attrs.frozen(slots=True)
class SideReplay:
    """One rulebook's replay: what it is, its counts, findings, clocks and ranking."""

    version: dict[str, Any]
    counts: dict[str, int]
    findings: list[Finding]
    dues: dict[str, dict[str, dt.date | None]]
    ranking: dict[str, dict[str, Any]] | None
    scheme: dict[str, Any] | None
    ranking_problem: str | None


@attrs.frozen(slots=True)
class Impact:
    """The replay impact of NEW against OLD on one month's events."""

    events: str
    month: str
    unreadable: int
    old: SideReplay
    new: SideReplay
    findings_by_rule: list[dict[str, Any]]
    findings_by_case: list[dict[str, Any]]
    refused: list[dict[str, Any]]
    deadline_moves: list[dict[str, Any]]
    ranking: list[dict[str, Any]]

    @property
    def changed(self) -> bool:
        return bool(
            self.findings_by_rule or self.refused or self.deadline_moves or self.ranking_moved
        )

    @property
    def ranking_moved(self) -> bool:
        return any(
            r["score_change"] or r["rank_change"] or r["old_rank"] is None or r["new_rank"] is None
            for r in self.ranking
        )

    def to_dict(self) -> dict[str, Any]:
        def side(s: SideReplay) -> dict[str, Any]:
            return {
                "version": s.version,
                "counts": s.counts,
                "findings": len(s.findings),
                "scheme": s.scheme,
                "ranking_problem": s.ranking_problem,
            }

        return {
            "events": self.events,
            "month": self.month,
            "unreadable_lines": self.unreadable,
            "old": side(self.old),
            "new": side(self.new),
            "findings_by_rule": self.findings_by_rule,
            "findings_by_case": self.findings_by_case,
            "refused": self.refused,
            "deadline_moves": self.deadline_moves,
            "ranking": self.ranking,
        }


def replay_impact(
    old: Any,
    new: Any,
    events: str | Path | Iterable[Event | Problem],
    *,
    month: str,
    source: str | None = None,
) -> Impact:
    """Replay ``events`` (a JSON Lines file, or the events and problems a replay feeds: a
    store's delivery log read back by :func:`fyrules.cases.deliveries.replay_stream`) under
    rulebooks ``old`` and ``new``; ``month`` (``YYYY-MM``) is the month ranked; ``source``
    names where the events came from (default: the file). Raises ``OSError`` when the file
    cannot be read and ``ValueError`` for a month that is not ``YYYY-MM``."""
    from ..engine.months import Month

    Month.parse(month)
    # the one read both sides replay
    stream = list(read_events(events) if isinstance(events, str | Path) else events)
    monitors = (Monitor(old), Monitor(new))
    counts = ({"events": 0}, {"events": 0})
    accepted: tuple[dict[str, list[Event]], dict[str, list[Event]]] = (
        defaultdict(list),
        defaultdict(list),
    )
    refused: list[dict[str, Any]] = []
    unreadable = 0
    for seq, item in enumerate(stream, start=1):
        if isinstance(item, Problem):  # a line no rulebook can read: refused on both sides
            unreadable += 1
            for monitor, count in zip(monitors, counts, strict=True):
                monitor.feed_all((item,))
                _count(count, "rejected")
            continue
        outcomes = []
        for monitor, count, cases in zip(monitors, counts, accepted, strict=True):
            outcome = monitor.feed(item)
            outcomes.append(outcome)
            if isinstance(outcome, Rejected):
                _count(count, "rejected")
            elif isinstance(outcome, Duplicate):
                _count(count, "duplicates")
            else:
                _count(count, "accepted")
                cases[item.case].append(item)
        a, b = outcomes
        if isinstance(a, Rejected) != isinstance(b, Rejected):
            refused.append(_refusal(seq, item, a, b))
    sides = [
        _side(rb, monitor, count, cases, month)
        for rb, monitor, count, cases in zip((old, new), monitors, counts, accepted, strict=True)
    ]
    return Impact(
        events=source if source is not None else str(events),
        month=month,
        unreadable=unreadable,
        old=sides[0],
        new=sides[1],
        findings_by_rule=_by_rule(sides[0].findings, sides[1].findings),
        findings_by_case=_by_case(sides[0].findings, sides[1].findings),
        refused=refused,
        deadline_moves=_moves(sides[0].dues, sides[1].dues, new.calendar),
        ranking=_ranking(sides[0].ranking, sides[1].ranking),
    )


def _count(counts: dict[str, int], key: str) -> None:
    counts["events"] += 1
    counts[key] = counts.get(key, 0) + 1


def _refusal(seq: int, event: Event, old: Any, new: Any) -> dict[str, Any]:
    """An event refused on one side only; ``seq`` counts the file's events from 1."""

    def outcome(o: Any) -> dict[str, Any]:
        if isinstance(o, Rejected):
            return {
                "refused": True,
                "reason": o.reason_code,
                "message_zh": o.message_zh,
                "message_en": o.message_en,
            }
        return {"refused": False}

    return {
        "id": event.id,
        "case": event.case,
        "event": event.event,
        "at": event.at.isoformat(),
        "seq": seq,
        "old": outcome(old),
        "new": outcome(new),
    }


def _side(
    rulebook: Any,
    monitor: Monitor,
    counts: dict[str, int],
    cases: Mapping[str, list[Event]],
    month: str,
) -> SideReplay:
    from ..scoring.api import score_records
    from ..scoring.records import case_records
    from ..scoring.scheme import ScoringError

    ranking: dict[str, dict[str, Any]] | None = None
    scheme: dict[str, Any] | None = None
    problem = None
    try:
        result = score_records(
            rulebook,
            case_records(monitor),
            month=month,
            events=counts["events"],
            rejected=counts.get("rejected", 0),
        )
    except ScoringError as exc:
        problem = exc.problem.message()
    else:
        scheme = {"id": result.scheme.id, "version": result.scheme.version}
        ranking = {
            row.unit: {"name": row.name_zh, "score": row.score, "rank": row.rank}
            for row in result.rows
        }
    return SideReplay(
        version=rulebook_version(rulebook),
        counts={k: counts.get(k, 0) for k in ("events", "accepted", "rejected", "duplicates")},
        findings=monitor.findings(),
        dues=_dues(rulebook, cases),
        ranking=ranking,
        scheme=scheme,
        ranking_problem=problem,
    )


def rulebook_version(rulebook: Any) -> dict[str, Any]:
    """What a side is: its id, the version its manifest names, its folder, and a fingerprint
    of its files (two checkouts with the same version string still tell apart)."""
    digest = hashlib.sha256()
    for layer in rulebook.layers:
        for path in sorted(layer.root.rglob("*")):
            rel = path.relative_to(layer.root)
            hidden = any(p.startswith(".") for p in rel.parts)
            if path.suffix.lower() in RULE_SUFFIXES and path.is_file() and not hidden:
                digest.update(rel.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return {
        "rulebook": rulebook.id,
        "version": rulebook.manifest.version,
        "path": display_path(rulebook.root),
        "fingerprint": digest.hexdigest()[:12],
    }


def _dues(rulebook: Any, cases: Mapping[str, list[Event]]) -> dict[str, dict[str, dt.date | None]]:
    """Each accepted case's statutory and committed due dates under ``rulebook``."""
    from ..deadlines.api import clock_inputs, clock_of

    inputs: dict[str, Any] = {}
    out: dict[str, dict[str, dt.date | None]] = {}
    for case, events in cases.items():
        if not any(e.event == "accept" for e in events):
            continue
        item = events[0].item
        try:
            if item not in inputs:
                inputs[item] = clock_inputs(rulebook, item)
            clock = clock_of(rulebook, events, inputs=inputs[item])
        except FyrulesError:
            continue
        out[case] = {f: getattr(clock, f) for f in DEADLINE_FIELDS} | {"item": item}  # type: ignore[dict-item]
    return out


def _by_rule(old: Iterable[Finding], new: Iterable[Finding]) -> list[dict[str, Any]]:
    """Per rule: findings under OLD and NEW, and how many appear and disappear (case by case)."""
    a = Counter((f.rule, f.subject) for f in old)
    b = Counter((f.rule, f.subject) for f in new)
    appear, disappear = b - a, a - b
    rules = sorted({r for r, _ in appear} | {r for r, _ in disappear})
    out = []
    for rule in rules:
        out.append(
            {
                "rule": rule,
                "old": sum(n for (r, _), n in a.items() if r == rule),
                "new": sum(n for (r, _), n in b.items() if r == rule),
                "appear": sum(n for (r, _), n in appear.items() if r == rule),
                "disappear": sum(n for (r, _), n in disappear.items() if r == rule),
            }
        )
    return out


def _by_case(old: Iterable[Finding], new: Iterable[Finding]) -> list[dict[str, Any]]:
    """Per case: the rules whose findings appear and disappear, most changed cases first."""
    a = Counter((f.subject, f.rule) for f in old)
    b = Counter((f.subject, f.rule) for f in new)
    appear, disappear = b - a, a - b
    cases: dict[Any, dict[str, Any]] = {}
    for (case, rule), n in appear.items():
        cases.setdefault(case, {"case": case, "appear": [], "disappear": []})["appear"] += [
            rule
        ] * n
    for (case, rule), n in disappear.items():
        entry = cases.setdefault(case, {"case": case, "appear": [], "disappear": []})
        entry["disappear"] += [rule] * n
    for entry in cases.values():
        entry["appear"].sort()
        entry["disappear"].sort()
    return sorted(
        cases.values(),
        key=lambda e: (-(len(e["appear"]) + len(e["disappear"])), str(e["case"])),
    )


def _moves(
    old: Mapping[str, Mapping[str, Any]], new: Mapping[str, Mapping[str, Any]], calendar: Any
) -> list[dict[str, Any]]:
    """Cases whose due dates differ, the largest move (in calendar days) first; each move also
    in working days of NEW's calendar (after the first, up to and including the second)."""
    out = []
    for case in sorted(set(old) | set(new)):
        a, b = old.get(case, {}), new.get(case, {})
        entry: dict[str, Any] = {"case": case, "item": (b or a).get("item")}
        moved = False
        largest = 0
        for field in DEADLINE_FIELDS:
            before, after = a.get(field), b.get(field)
            days = working = None
            if before is not None and after is not None:
                days = (after - before).days
                span = calendar.count_working_days(min(before, after), max(before, after))
                span -= calendar.is_working_day(min(before, after))
                working = span if after >= before else -span
            entry[field] = {
                "old": before.isoformat() if before else None,
                "new": after.isoformat() if after else None,
                "days": days,
                "working_days": working,
            }
            if before != after:
                moved = True
                largest = max(largest, abs(days) if days is not None else 10**6)
        if moved:
            entry["largest"] = largest
            out.append(entry)
    out.sort(key=lambda e: (-e["largest"], e["case"]))
    for entry in out:
        del entry["largest"]
    return out


def _ranking(
    old: Mapping[str, Mapping[str, Any]] | None, new: Mapping[str, Mapping[str, Any]] | None
) -> list[dict[str, Any]]:
    """Every ranked unit with its score and rank on each side, in NEW's order."""
    a, b = old or {}, new or {}
    units = sorted(
        set(a) | set(b),
        key=lambda u: (b.get(u, {}).get("rank", 10**9), a.get(u, {}).get("rank", 10**9), u),
    )
    out = []
    for unit in units:
        before, after = a.get(unit), b.get(unit)
        score_change = rank_change = None
        if before is not None and after is not None:
            score_change = round(after["score"] - before["score"], 4) + 0.0
            rank_change = before["rank"] - after["rank"]  # places gained
        out.append(
            {
                "window": unit,
                "name": (after or before or {}).get("name"),
                "old_score": before["score"] if before else None,
                "new_score": after["score"] if after else None,
                "old_rank": before["rank"] if before else None,
                "new_rank": after["rank"] if after else None,
                "score_change": score_change,
                "rank_change": rank_change,
            }
        )
    return out
