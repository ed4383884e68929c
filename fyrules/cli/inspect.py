"""``fyrules inspect RULEBOOK EVENTS --month YYYY-MM --seed S``: the month's random inspection
draw (exit 0; 1 when no assignment honours every constraint; 2 on bad input), and with
``--report`` the month's notification report (月度通报) of inspection outcomes and
rectification (exit 0; 1 when a rectification is overdue at error level)."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import operator
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ..cases.store import MemoryStore
from ..engine.problems import FyrulesError, Problem, UsageError
from ..separation.inspection.draw import (
    Draw,
    draw_month,
    draw_partitions,
    month_bounds,
    policy_of,
    rate_text,
)
from ..separation.inspection.notification import notification, render_markdown, render_text
from ..separation.inspection.rectification import collect
from ..workflows import accountability_records, records_of_month
from ._common import emit, loaded

SIDE_EVENTS = frozenset({"inspect", "rectify"})
SHOWN = 12  # cases listed per line in text
_AT = operator.attrgetter("at")
_CASE = operator.itemgetter("case")

HELP = "the month's random inspection draw (双随机), or its notification report"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("rulebook", help="rulebook folder (holding rulebook.yaml)")
    p.add_argument("events", help="events file (JSON Lines)")
    p.add_argument("--month", required=True, metavar="YYYY-MM", help="the month drawn or reported")
    p.add_argument(
        "--seed",
        metavar="S",
        help="the public value the rulebook names (inspection.public_value), as published",
    )
    p.add_argument(
        "--report",
        action="store_true",
        help="the month's notification report (通报) of inspection outcomes instead of the draw",
    )
    p.add_argument(
        "--as-of", metavar="TIME", help="report as of TIME (ISO; default: the end of the month)"
    )
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    p.add_argument("--lang", choices=("zh", "en", "both"), default="both")
    p.add_argument("--output", "-o", metavar="FILE", help="write the result to FILE")
    p.add_argument(
        "--store",
        metavar="PATH|URL",
        help="replay into this store (a SQLite file, sqlite:///FILE or "
        "postgresql+psycopg://USER@HOST/DB): draw among every case it holds and record the "
        "draw in its trail; the report counts every inspection it holds",
    )


def run(args: argparse.Namespace) -> int:
    rulebook = loaded(args.rulebook)
    store_text = getattr(args, "store", None)
    if not store_text:
        text, code = report(rulebook, args)
    else:
        from ._store import writer_stores

        # one writer, or one per partition of a database written in N
        stores = [store for _, store in writer_stores(store_text)]
        try:
            with contextlib.ExitStack() as opened:
                for store in stores:
                    opened.callback(store.close)
                for store in stores:
                    opened.enter_context(store.batch())
                text, code = report(rulebook, args, stores)
        except FyrulesError as exc:  # the store stopped serving (locked elsewhere, or down)
            raise UsageError(str(exc)) from None
    emit(text, args.output)
    return code


def report(rulebook: Any, args: argparse.Namespace, stores: Sequence[Any] = ()) -> tuple[str, int]:
    """The output and the exit code (bad input raises UsageError: exit 2). ``stores``
    (``--store``): replay into them and report from everything they hold; one store, or one
    per partition of a database written in N, each event replayed into the partition that
    owns its case (the draw is then made among the cases of every partition and recorded on
    the first partition's chain)."""
    policy_of(rulebook)
    first, after = month_bounds(args.month)
    if not Path(args.events).is_file():
        raise UsageError(f"{args.events}: 不存在 / does not exist")
    if args.report:
        return _report(rulebook, args, first, after, stores)
    if args.seed is None or not args.seed.strip():
        raise UsageError(
            "--seed 须给出规则集所指定的公开值 / --seed must give the public value the rulebook names"
        )
    public_value = args.seed.strip()
    held = list(stores) or [MemoryStore()]
    if len(held) > 1:
        result, entry = draw_partitions(
            rulebook, args.events, month=args.month, public_value=public_value, stores=held
        )
    else:
        result = draw_month(
            rulebook, args.events, month=args.month, public_value=public_value, store=held[0]
        )
        entry = held[0].trail_head()
        assert entry is not None  # draw_month recorded the draw in the trail
    rejected = sum(sum(1 for _ in store.rejected()) for store in held)
    code = 0 if result.feasible else 1
    if args.format == "json":
        doc = {
            "draw": result.record(),
            "digest": result.digest(),
            "trail_head": {"index": entry["index"], "hash": entry["hash"]},
            "rejected_events": rejected,
        }
        return json.dumps(doc, ensure_ascii=False, indent=2), code
    return _draw_text(rulebook, result, entry, rejected, args.lang, args.format == "markdown"), code


def _events_of(events: str | Path, partition: int, partitions: int) -> Iterator[Any]:
    """The items of the events file that ``partition`` of ``partitions`` owns."""
    from ..cases.events import read_events
    from ..cases.partition import events_of

    return events_of(read_events(events), partition, partitions)


def replay(
    rulebook: Any, events: str | Path | Iterable[Any], store: Any = None
) -> tuple[Any, list[Any], int]:
    """Replay ``events`` (a file, or the items of one) through a monitor: the monitor, the
    accepted ``inspect`` and ``rectify`` events in order, and how many events were rejected.
    Into ``store``, the accepted ones are all those the store holds (read back from its
    trail)."""
    from ..cases.events import Event, read_events
    from ..cases.monitor import Duplicate

    monitor = rulebook.monitor() if store is None else rulebook.monitor(store=store)
    side: list[Any] = []
    try:
        for item in read_events(events) if isinstance(events, str | Path) else events:
            if not isinstance(item, Event):
                monitor.feed_all([item])
                continue
            outcome = monitor.feed(item)
            if outcome.ok and not isinstance(outcome, Duplicate) and item.event in SIDE_EVENTS:
                side.append(item)
    except OSError as exc:
        raise UsageError(f"{events}: {exc.strerror}") from None
    if store is not None:
        from ._store import recorded_events

        side = [e for e in recorded_events(store) if e.event in SIDE_EVENTS]
    return monitor, side, sum(1 for _ in monitor.rejected())


def _report(
    rulebook: Any,
    args: argparse.Namespace,
    first: dt.date,
    after: dt.date,
    stores: Sequence[Any] = (),
) -> tuple[str, int]:
    zone = ZoneInfo(rulebook.timezone)
    if args.as_of:
        try:
            as_of = dt.datetime.fromisoformat(args.as_of)
        except ValueError:
            raise UsageError(f"不是 ISO 时间 / not an ISO date-time: {args.as_of!r}") from None
        if as_of.tzinfo is None:
            as_of = as_of.replace(tzinfo=zone)
    else:
        as_of = dt.datetime.combine(after, dt.time(), zone) - dt.timedelta(microseconds=1)
    if len(stores) > 1:  # each partition's inspections and cases, merged
        monitors, side = [], []
        for k, store in enumerate(stores):
            monitor, held, _ = replay(rulebook, _events_of(args.events, k, len(stores)), store)
            monitors.append(monitor)
            side.extend(held)
        side.sort(key=_AT)  # each partition's in the order accepted: all, in time order
    else:
        monitor, side, _rejected = replay(rulebook, args.events, stores[0] if stores else None)
        monitors = [monitor]
    report = notification_report(rulebook, monitors, side, first, after, as_of)
    code = 1 if any(f["severity"] == "error" for f in report["overdue"]) else 0
    if args.format == "json":
        return json.dumps(report, ensure_ascii=False, indent=2), code
    if args.format == "markdown":
        return render_markdown(report, args.lang), code
    return render_text(report, args.lang), code


def notification_report(
    rulebook: Any,
    monitors: Sequence[Any],
    side: list[Any],
    first: dt.date,
    after: dt.date,
    as_of: dt.datetime,
) -> dict[str, Any]:
    """The notification report (月度通报, JSON) of the month ``[first, after)`` as of ``as_of``:
    the inspection outcomes and rectification among ``side`` (the accepted ``inspect`` and
    ``rectify`` events) and, when the rulebook declares accountability, the month's
    accountability records of the cases ``monitors`` replayed (one monitor, or one per
    partition of a store). ``fyrules inspect --report`` prints it; ``fyrules demo`` shows it."""
    policy = policy_of(rulebook)
    outcomes = collect(rulebook, policy, side, as_of)
    report = notification(rulebook, policy, outcomes, first, after)
    if rulebook.part("workflows") is not None:  # the month's accountability outcomes (问责)
        records = [
            record
            for monitor in monitors
            for record in accountability_records(monitor, monitor.findings(as_of))
        ]
        records.sort(key=_CASE)  # by case, whichever partition holds it (a case's in order)
        report["accountability"] = records_of_month(records, first, after)
    return report


def _draw_text(
    rulebook: Any, result: Draw, entry: dict[str, Any], rejected: int, lang: str, markdown: bool
) -> str:
    policy = policy_of(rulebook)

    def say(zh: str, en: str) -> str:
        return {"zh": zh, "en": en}.get(lang, f"{zh} / {en}")

    def cases(ids: Any) -> str:
        ids = list(ids)
        if markdown:  # a notice to publish: every case
            return ", ".join(ids)
        more = f" … ({len(ids)})" if len(ids) > SHOWN else ""
        return ", ".join(ids[:SHOWN]) + more

    bullet = "- " if markdown else "  "
    lines = [
        ("# " if markdown else "")
        + say(
            f"{result.month} 随机抽查（{result.policy}）",
            f"Random inspection draw {result.month} ({result.policy})",
        ),
        say(
            f"公开值：{result.public_value}（{policy.public_value_zh}）",
            f"public value: {result.public_value} ({policy.public_value_en})",
        ),
        say("种子：", "seed: ")
        + f"SHA-256({json.dumps([result.public_value, result.month, result.rulebook], ensure_ascii=False, separators=(',', ':'))}) = {result.seed}",
        say(f"人员任职日期：{result.drawn_on}", f"inspectors as of {result.drawn_on}"),
        say(f"抽样（共 {len(result.sample)} 件）：", f"strata ({len(result.sample)} cases drawn):"),
    ]
    for s in result.strata:
        lines.append(
            f"{bullet}{s.department}: "
            + say(
                f"办结 {len(s.candidates)}，比例 {rate_text(s.rate)}，最少 {s.minimum} → 抽中 {len(s.drawn)}",
                f"closed {len(s.candidates)}, rate {rate_text(s.rate)}, minimum {s.minimum} → {len(s.drawn)} drawn",
            )
            + (f": {cases(s.drawn)}" if s.drawn else "")
        )
    if result.assignment is not None:
        load: dict[str, list[str]] = {p: [] for p, _ in result.inspectors}
        for case in result.sample:
            load[result.assignment[case]].append(case)
        lines.append(say("指派：", "assignment:"))
        for person, capacity in result.inspectors:
            got = load[person]
            lines.append(
                f"{bullet}{person} ({len(got)}/{capacity})" + (f": {cases(got)}" if got else "")
            )
    else:
        bad = result.infeasible
        assert bad is not None
        problem = Problem(
            "INSPECTION-INFEASIBLE",
            f"无法在不放宽任何约束的前提下为全部 {len(result.sample)} 件抽中案件指派抽查人员，未作指派："
            f"以下 {len(bad.cases)} 件只能由 {', '.join(bad.inspectors) or '（无人）'} 抽查，其承担上限合计 {bad.capacity} 件",
            f"no assignment of all {len(result.sample)} drawn cases honours every constraint, so none "
            f"is made: these {len(bad.cases)} cases can only be inspected by "
            f"{', '.join(bad.inspectors) or 'no one'}, whose capacity totals {bad.capacity}",
            rule=result.policy,
        )
        lines.append(problem.format(lang))  # type: ignore[arg-type]
        lines.append(f"{bullet}{cases(bad.cases)}")
        lines.append(say("其他抽查人员被排除的原因：", "why every other inspector is excluded:"))
        for g in bad.grouped():
            lines.append(
                f"{bullet}{g['person']} {g['rule']} ×{len(g['cases'])}: "
                + say(g["reason_zh"], g["reason_en"])
                + say(f"（依据：{g['basis']}）", f" (basis: {g['basis']})")
            )
    if rejected:
        lines.append(
            say(
                f"回放时拒收的事件：{rejected}（见 fyrules evaluate）",
                f"events rejected in the replay: {rejected} (see fyrules evaluate)",
            )
        )
    lines.append(say("抽查记录摘要：", "draw digest: ") + result.digest())
    lines.append(say("留痕：", "trail head: ") + f"#{entry['index']} {entry['hash']}")
    if markdown:  # every line that is not a list item is a paragraph of its own
        lines = [
            part
            for line in lines
            for part in ((line,) if line.startswith(("- ", "  ")) else ("", line, ""))
        ]
        lines = [x for i, x in enumerate(lines) if x or (i and lines[i - 1])]
    return "\n".join(lines).strip("\n")
