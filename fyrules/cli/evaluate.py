"""``fyrules evaluate RULEBOOK EVENTS``: replay events and print the findings."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from ..cases.events import read_events
from ..cases.monitor import Monitor
from ..cases.partition import events_of, parse_partition
from ..cases.spill import SpillStore
from ..engine.problems import FyrulesError, UsageError
from ..workflows import by_holder
from ._common import loaded
from ._store import open_store

HELP = "replay events (JSON Lines) and print the findings"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("rulebook")
    p.add_argument(
        "events",
        nargs="?",
        help="events file (JSON Lines); omitted with --store: report what the store holds, "
        "every partition merged into one report with the root of the trail's chains",
    )
    p.add_argument("--at", metavar="TIME", help="evaluate open cases as of TIME (ISO)")
    p.add_argument("--explain", action="store_true", help="add each finding's trace")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--lang", choices=("zh", "en", "both"), default="both")
    p.add_argument(
        "--by",
        choices=("person", "department"),
        help="group the overdue findings by the person or department that held the case when "
        "it ran over",
    )
    p.add_argument(
        "--store",
        metavar="PATH|URL",
        help="replay into this store: a SQLite file (created, or continued: ids already in it "
        "are duplicates), sqlite:///FILE, or postgresql+psycopg://USER@HOST/DB",
    )
    p.add_argument(
        "--partition",
        metavar="K/N",
        help="replay only the cases of partition K of N (crc32 of the case id mod N), as one "
        "of N writers into one PostgreSQL --store",
    )


def run(args: argparse.Namespace) -> int:
    rulebook = loaded(args.rulebook)
    if args.events is None:
        if not getattr(args, "store", None) or args.partition:
            raise UsageError(
                "请给出事件文件，或只给 --store 以报告存储中的全部分区 / give an events file, "
                "or --store alone to report every partition the store holds"
            )
        text, code = merged_report(rulebook, args)
        sys.stdout.write(text + "\n")
        return code
    if not Path(args.events).is_file():
        raise UsageError(f"{args.events}: 不存在 / does not exist")
    text, code = report(rulebook, args)
    sys.stdout.write(text + "\n")
    return code


def _as_of(rulebook: Any, args: argparse.Namespace) -> dt.datetime | None:
    as_of = None
    if args.at:
        try:
            as_of = dt.datetime.fromisoformat(args.at)
        except ValueError:
            raise UsageError(f"不是 ISO 时间 / not an ISO date-time: {args.at!r}") from None
        if as_of.tzinfo is None:
            from zoneinfo import ZoneInfo

            as_of = as_of.replace(tzinfo=ZoneInfo(rulebook.timezone))
    return as_of


def report(rulebook: Any, args: argparse.Namespace) -> tuple[str, int]:
    """The report, and exit 1 when any finding is at error level, else 0."""
    as_of = _as_of(rulebook, args)
    store_text = getattr(args, "store", None)
    partition, partitions = parse_partition(args.partition) if args.partition else (0, 1)
    if partitions > 1 and not store_text:
        raise UsageError("--partition 需要 --store / --partition needs --store")
    if store_text:
        store = open_store(store_text, partition=partition, partitions=partitions)
        with contextlib.closing(store):
            return _replay(rulebook, args, as_of, Monitor(rulebook, store), (partition, partitions))
    # The report needs the trail's head, not its entries, and finished cases only for late
    # events: open cases in memory, finished ones on a temporary file, so a month of a million
    # events replays in bounded memory (benchmarks/bench_evaluate_memory.py)
    with contextlib.closing(SpillStore()) as spill:
        return _replay(rulebook, args, as_of, Monitor(rulebook, spill), (partition, partitions))


def _replay(
    rulebook: Any,
    args: argparse.Namespace,
    as_of: dt.datetime | None,
    monitor: Monitor,
    partition: tuple[int, int],
) -> tuple[str, int]:
    store: Any = monitor.store
    try:
        # into a database: one commit per thousand events, each event still all or nothing
        with store.batch() if hasattr(store, "batch") else contextlib.nullcontext():
            if partition[1] > 1:  # this writer's cases only
                summary = monitor.feed_all(events_of(read_events(args.events), *partition))
            else:
                summary = monitor.replay_file(args.events)
    except OSError as exc:
        raise UsageError(f"{args.events}: {exc.strerror}") from None
    except FyrulesError as exc:  # the store stopped serving (locked elsewhere, or down)
        raise UsageError(str(exc)) from None
    # as JSON from here on: the report is JSON or text made from it
    # with the complaints, accountability and inform findings (the track_findings hooks)
    findings = [f.to_dict() for f in monitor.findings(as_of, explain=args.explain)]
    rejected = list(monitor.rejected())
    errors = sum(f["severity"] == "error" for f in findings)
    head = monitor.store.trail_head()
    if args.format == "json":
        # the findings the report lists: those recorded as cases finished and those of open
        # cases as of the moment (summary.findings counted only the first)
        doc: dict[str, Any] = {
            "summary": {**summary.to_dict(), "findings": len(findings)},
            "as_of": as_of.isoformat() if as_of else None,
            "trail_head": {"index": head["index"], "hash": head["hash"]} if head else None,
            "findings": findings,
            "rejected": rejected,
        }
        by = getattr(args, "by", None)
        if by:
            doc["by"] = by
            doc["groups"] = [
                {"holder": holder, "findings": group}
                for holder, group in by_holder(findings, _BY[by])
            ]
        return json.dumps(doc, ensure_ascii=False, indent=2), 1 if errors else 0
    text = _text(summary.to_dict(), findings, rejected, head, args.lang)
    if getattr(args, "by", None):
        text += "\n" + _grouped(findings, args.by, args.lang)
    return text, 1 if errors else 0


_BY = {"person": "person", "department": "dept"}


def _grouped(findings: list[dict[str, Any]], by: str, lang: str) -> str:
    """The overdue findings grouped by who held the case when it ran over (``--by``)."""

    def say(zh: str, en: str) -> str:
        return {"zh": zh, "en": en}.get(lang, f"{zh} / {en}")

    zh, en = ("按经办人", "by person") if by == "person" else ("按部门", "by department")
    groups = by_holder(findings, _BY[by])
    lines = [say(f"超时责任（{zh}）：", f"overdue, {en}:")]
    if not groups:
        lines.append("  —")
    for holder, group in groups:
        rules = Counter(f["rule"] for f in group)
        lines.append(
            f"  {holder or say('（未确定）', '(not known)')}: {len(group)} — "
            + ", ".join(f"{r} ×{n}" for r, n in sorted(rules.items()))
        )
        for f in sorted(group, key=lambda f: (str(f.get("case")), f["rule"])):
            held = f["responsible"]
            lines.append(f"    {f['rule']} [{f.get('case')}] {_held(held, lang)}")
    return "\n".join(lines)


def _held(held: dict[str, Any], lang: str) -> str:
    """Who held the case when it ran over, in one phrase."""
    stage, person, dept, due = (
        held.get("stage"),
        held.get("person"),
        held.get("dept"),
        held.get("due"),
    )
    waiting = "" if held.get("acted") else "该环节尚无人办理，"
    zh = f"环节 {stage}，经办人 {person or '—'}（{dept or '—'}），{waiting}截止 {due}"
    en = (
        f"stage {stage}, held by {person or '-'} ({dept or '-'})"
        + ("" if held.get("acted") else ", the stage not yet taken up")
        + f", due {due}"
    )
    return {"zh": zh, "en": en}.get(lang, f"{zh} / {en}")


def _text(
    summary: dict[str, int],
    findings: list[dict[str, Any]],
    rejected: list[dict[str, Any]],
    head: Any,
    lang: str,
) -> str:
    zh = (
        f"事件 {summary['events']}：受理 {summary['accepted']}、拒收 {summary['rejected']}、"
        f"重复 {summary['duplicates']}；办结案件 {summary['cases_finished']}"
    )
    en = (
        f"events {summary['events']}: {summary['accepted']} accepted, {summary['rejected']} "
        f"rejected, {summary['duplicates']} duplicates; {summary['cases_finished']} cases finished"
    )
    lines = [{"zh": zh, "en": en}.get(lang, f"{zh} / {en}")]
    return "\n".join([*lines, *_text_body(findings, rejected, head, lang)])


def _text_body(
    findings: list[dict[str, Any]], rejected: list[dict[str, Any]], head: Any, lang: str
) -> list[str]:
    """The findings, the rejected events and the trail's head, as text lines."""

    def msg(f: dict[str, Any]) -> str:
        zh, en = f.get("message") or f.get("message_zh", ""), f.get("message_en", "")
        return {"zh": zh, "en": en}.get(lang, f"{zh} / {en}")

    lines: list[str] = []
    by_rule = Counter(f["rule"] for f in findings)
    lines.append(
        "发现 / findings: " + (", ".join(f"{r} ×{n}" for r, n in by_rule.most_common()) or "—")
    )
    for f in sorted(
        findings,
        key=lambda f: (
            {"error": 0, "warning": 1}.get(f["severity"], 2),
            f["rule"],
            str(f.get("case")),
        ),
    ):
        mark = " （暂定 / provisional）" if f.get("provisional") else ""
        lines.append(f"  {f['severity'].upper():7} {f['rule']} [{f.get('case')}]{mark} {msg(f)}")
        if f.get("responsible"):
            lines.append(
                f"          {_held(f['responsible'], lang)}（{f['responsible']['basis']}）"
            )
    if rejected:
        lines.append(f"拒收的事件 / rejected events: {len(rejected)}")
        for r in rejected:
            event = r.get("event") or {}
            where = (
                f"line {r['line']}"
                if r.get("line")
                else f"{event.get('case')} {event.get('event')}"
            )
            lines.append(
                f"  {r['reason']} ({where}): {msg({'message': r['message_zh'], 'message_en': r['message_en']})}"
            )
    if head:
        lines.append(f"留痕 / trail head: #{head['index']} {head['hash']}")
    return lines


def merged_report(rulebook: Any, args: argparse.Namespace) -> tuple[str, int]:
    """``fyrules evaluate RULEBOOK --store X``: the one report of everything the store holds,
    after N writers replayed a month into it (``--partition K/N``): the findings and rejected
    events of every partition, the open cases' findings as of ``--at``, and the trail's head
    (one chain) or the root of every chain's head (:mod:`fyrules.cases.trail.root`), the value
    to publish. Exit 1 when any finding is at error level."""
    from ..cases.trail import TrailHead
    from ..cases.trail.root import combined_root
    from ._store import partition_stores

    as_of = _as_of(rulebook, args)
    findings: list[dict[str, Any]] = []
    rejected: list[dict[str, Any]] = []
    heads: dict[int, Any] = {}
    finished = still_open = 0
    try:
        stores = partition_stores(args.store)
        with contextlib.ExitStack() as closing:
            for _, store in stores:
                closing.callback(store.close)
            for k, store in stores:
                monitor = Monitor(rulebook, store)
                findings.extend(f.to_dict() for f in monitor.findings(as_of, explain=args.explain))
                rejected.extend(monitor.rejected())
                finished += sum(1 for _ in store.closed_cases())
                still_open += len(monitor.open_case_ids())
                heads[k] = store.trail_head()
    except FyrulesError as exc:  # the store stopped serving (locked elsewhere, or down)
        raise UsageError(str(exc)) from None
    errors = sum(f["severity"] == "error" for f in findings)
    chains = {k: TrailHead(h["index"], h["hash"]) for k, h in heads.items() if h is not None}
    root = combined_root(chains) if len(stores) > 1 else None
    head = heads.get(0) if len(stores) == 1 else None
    summary = {
        "partitions": len(stores),
        "cases_finished": finished,
        "cases_open": still_open,
        "findings": len(findings),
        "rejected": len(rejected),
    }
    if args.format == "json":
        doc = {
            "summary": summary,
            "as_of": as_of.isoformat() if as_of else None,
            "trail_head": {"index": head["index"], "hash": head["hash"]} if head else None,
            "trail_root": root,
            "chains": {str(k): {"index": h.index, "hash": h.hash} for k, h in chains.items()},
            "findings": findings,
            "rejected": rejected,
        }
        return json.dumps(doc, ensure_ascii=False, indent=2), 1 if errors else 0
    zh = f"存储 {len(stores)} 个分区：办结案件 {finished}、在办 {still_open}、拒收 {len(rejected)}"
    en = (
        f"store of {len(stores)} partition(s): {finished} cases finished, {still_open} open, "
        f"{len(rejected)} rejected"
    )
    lines = _text_body(findings, rejected, head, args.lang)
    if root is not None:
        lines.extend(f"  chain {k}: #{h.index} {h.hash}" for k, h in chains.items())
        lines.append(f"留痕根 / trail root: {root}")
    return "\n".join([{"zh": zh, "en": en}.get(args.lang, f"{zh} / {en}"), *lines]), (
        1 if errors else 0
    )
