"""``fyrules demo``: the whole job on a rulebook (by default the Fuyang rulebook shipped in the
package, ``examples/fuyang`` in a checkout), end to end.

What a service center's management wants to see at the end of a month, computed from rule
files and a generated month of cases (演示：一个月的办件从规则到公示):

1. the rulebook is valid and its own tests pass (with coverage);
2. a reproducible month of cases is generated and replayed through the monitor into the trail;
3. deadline warnings and overdue cases and stages (时限预警与超期);
4. separation-of-duties findings (职责分离);
5. rejected events, with their reasons (拒收的事件);
6. the month's random inspection draw (随机抽查);
7. the month's published notification (月度通报): the files of the month before inspected this
   month, their rectification, the accountability records and decisions, and the complaints
   not answered in time;
8. the efficiency ranking of windows (效能排名), with the normal-index points of the
   rulebook's sample assessment file, one project's critical-path clock, and the
   notifications that would have been sent (预警通知) with the approvals not told to the
   supervisors in time;
9. the publication: publicity sheets and the ranking page, written to a folder.

Each section is computed by the library's public entry points, the same ones a host system
calls; this module only orders them and prints what they return.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import attrs

from ..engine.findings import Finding
from ..engine.problems import UsageError
from ..progress import Progress, tracked
from ._common import today_argument

DEFAULT_MONTH = "2025-10"
DEFAULT_CASES = 4000
DEFAULT_SEED = 7
SHOWN = 5  # examples listed under each heading
# The inspection draw's public value for the demo's month (in real use: the value the
# rulebook's ``inspection.public_value`` names, looked up once it is published).
DEFAULT_PUBLIC_VALUE = "3310.27"
HELP = "the whole job on the Fuyang rulebook: a month from rules to ranking"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--rulebook",
        metavar="DIR",
        help="rulebook folder (default: the Fuyang rulebook shipped with fyrules)",
    )
    today_argument(p)
    p.add_argument("--out", default="out", metavar="DIR", help="output folder (default out)")
    p.add_argument("--month", default=DEFAULT_MONTH, metavar="YYYY-MM")
    p.add_argument("--cases", type=int, default=DEFAULT_CASES, metavar="N")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="S")
    p.add_argument(
        "--public-value",
        default=DEFAULT_PUBLIC_VALUE,
        metavar="TEXT",
        help="the public value the inspection draw is seeded from",
    )
    p.add_argument("--lang", choices=("zh", "en", "both"), default="both")
    p.add_argument("--no-progress", action="store_true", help="no progress bars")


def run(args: argparse.Namespace) -> int:
    result = run_demo(
        args.rulebook,
        args.out,
        month=args.month,
        cases=args.cases,
        seed=args.seed,
        public_value=args.public_value,
        lang=args.lang,
        progress=not args.no_progress,
        today=args.today,
    )
    sys.stdout.write(result.text() + "\n")
    sys.stdout.write(f"({result.seconds:.1f} s)\n")
    return 0


@attrs.frozen(slots=True)
class Section:
    """One heading of the demo's report and its lines (already in the chosen language)."""

    title: str
    lines: tuple[str, ...]


@attrs.frozen(slots=True)
class DemoResult:
    sections: tuple[Section, ...]
    written: tuple[Path, ...]
    seconds: float
    errors: tuple[str, ...] = ()

    def text(self) -> str:
        out: list[str] = []
        for section in self.sections:
            out.append(f"\n== {section.title}")
            out.extend(section.lines)
        return "\n".join(out).lstrip("\n")


def default_rulebook() -> Path:
    """The Fuyang rulebook shipped inside the package (``examples/fuyang`` in a checkout)."""
    from ..examples import rulebook_path

    return rulebook_path("fuyang")


class _Say:
    """Chooses the language of a line: ``zh``, ``en`` or both."""

    def __init__(self, lang: str):
        self.lang = lang

    def __call__(self, zh: str, en: str) -> str:
        if self.lang == "zh":
            return zh
        if self.lang == "en":
            return en
        return f"{zh} / {en}"


def run_demo(
    rulebook_path: str | Path | None = None,
    out: str | Path = "out",
    *,
    month: str = DEFAULT_MONTH,
    cases: int = DEFAULT_CASES,
    seed: int = DEFAULT_SEED,
    public_value: str = DEFAULT_PUBLIC_VALUE,
    lang: str = "both",
    progress: bool = True,
    stream: TextIO | None = None,
    today: dt.date | None = None,
) -> DemoResult:
    """Run every step and return the report; raises :class:`UsageError` on bad input. The
    rulebook is checked as of ``today`` (default: ``FYRULES_TODAY`` or the system's date)."""
    from ..rulebook import check
    from ..simulation.cases import generate, parse_month, write_jsonl

    started = time.perf_counter()
    say = _Say(lang)
    try:
        parse_month(month)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if cases <= 0:
        raise UsageError("--cases 须为正数 / --cases must be positive")
    path = Path(rulebook_path) if rulebook_path is not None else default_rulebook()
    out_dir = Path(out)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{out_dir}: {exc.strerror}") from None

    def step(label: str, total: int | None = None) -> Progress:
        return Progress(label, total, stream=stream, enabled=progress)

    sections: list[Section] = []
    written: list[Path] = []

    # 1. the rulebook
    with step(say("校验规则集", "checking the rulebook")):
        result = check(path, today=today)
    if result.rulebook is None or not result.ok:
        errors = tuple(p.format() for p in result.problems if p.severity == "error")
        raise UsageError(
            say("规则集有错误，演示停止", "the rulebook has errors; the demo stops")
            + "\n"
            + "\n".join(errors[:20])
        )
    rb = result.rulebook
    with step(say("运行规则集自带测试", "running the rulebook's tests")):
        report = rb.run_tests()
    sections.append(_rulebook_section(rb, result, report, say))

    # 2. a month of cases, replayed
    events_path = out_dir / f"{month}.jsonl"
    with step(say("生成本月办件", "generating the month"), cases) as bar:
        events = list(
            _counting_cases(generate(rb, month=month, cases=cases, seed=seed, faults=True), bar)
        )
    with open(events_path, "w", encoding="utf-8") as stream_out:
        write_jsonl(events, stream_out)
    written.append(events_path)
    monitor = rb.monitor()
    with step(say("回放事件", "replaying the events"), len(events)) as bar:
        summary = monitor.feed_all(tracked(events, bar))
    as_of = _month_end(rb, month)
    findings = monitor.findings(as_of)
    rejected = list(monitor.rejected())
    sections.append(_month_section(summary.to_dict(), seed, say))

    # 3–5. what the checks found
    by_scope = _scope_of_rules(rb)
    side_rules = _side_rules(rb)  # complaints, accountability, inform: shown with the notices
    deadline_findings = [f for f in findings if by_scope.get(f.rule) == "case"]
    other_findings = [
        f for f in findings if by_scope.get(f.rule) != "case" and f.rule not in side_rules
    ]
    sections.append(_deadline_section(rb, deadline_findings, say))
    sections.append(_separation_section(rb, other_findings, rejected, say))
    sections.append(_rejected_section(rejected, say))

    # 6. the month's random inspection draw, recorded in the same trail
    if rb.part("inspection") is not None:
        from ..separation.inspection.draw import closed_in_month, draw, record_draw

        with step(say("本月随机抽查", "drawing the month's inspections")):
            drawn = draw(
                rb,
                closed_in_month(rb, monitor.store, month),
                month=month,
                public_value=public_value,
            )
            record_draw(monitor.store, drawn)
        sections.append(_draw_section(rb, drawn, say))

    # 6b. the month before, simulated from the next seed: the ranking's month-over-month
    # change, and the files of that month inspected in this one (the monthly notification)
    from ..scoring import case_records, ranking_pages, score_records
    from ..scoring.api import previous_month
    from ._demo_month import (
        assessment_lines,
        month_notification,
        notification_lines,
        sample_assessments,
    )

    before = previous_month(month)
    with step(say("模拟上月办件", "simulating the month before"), cases) as bar:
        history = rb.monitor(trail=False)
        replayed_before = history.feed_all(
            _counting_cases(generate(rb, month=before, cases=cases, seed=seed + 1), bar)
        )
        prior = score_records(
            rb,
            case_records(history),
            month=before,
            events=replayed_before.events,
            rejected=replayed_before.rejected,
        )
    if rb.part("inspection") is not None:
        from ..separation.inspection.notification import render_markdown

        with step(say("编制本月通报", "compiling the month's notification")):
            notice, drawn_before = month_notification(
                rb,
                history,
                events,
                month=month,
                before=before,
                public_value=public_value,
                seed=seed,
                as_of=as_of,
            )
        notice_path = out_dir / f"{month}-notification.md"
        notice_path.write_text(render_markdown(notice, lang) + "\n", encoding="utf-8")
        notice_json = out_dir / f"{month}-notification.json"  # fyrules inspect --report's JSON
        notice_json.write_text(json.dumps(notice, ensure_ascii=False, indent=1), encoding="utf-8")
        written.extend((notice_path, notice_json))
        sections.append(
            Section(
                say(
                    "本月通报（抽查、整改与问责）",
                    "The month's notification (inspections, rectification, accountability)",
                ),
                tuple(
                    notification_lines(notice, drawn_before, notice_path, say)
                    + _complaint_lines(rb, findings, say)
                ),
            )
        )

    # 7. the efficiency ranking, from the same replay, with the month's normal-index points
    assessments, assessed_from = sample_assessments(rb, path, month)
    with step(say("计算效能指数", "scoring the month")):
        ranking = score_records(
            rb,
            case_records(monitor),
            month=month,
            previous=prior,
            assessments=assessments,
            events=summary.events,
            rejected=summary.rejected,
        )
    sections.append(
        _ranking_section(
            ranking, say, seed + 1, assessment_lines(ranking, assessments, assessed_from, say)
        )
    )
    with step(say("计算项目时钟", "running a project's clock")):
        sections.append(_project_section(rb, month, as_of, say))

    # 7b. the notifications that would have been sent (预警通知), and inform findings
    if rb.part("notifications") is not None:
        from ..cases.store import MemoryStore
        from ..notifications.replay import replay_notifications

        with step(say("计算应发出的通知", "working out the notifications")):
            replayed = replay_notifications(
                rb.monitor(store=MemoryStore(keep_trail=False)), events, as_of
            )
        notices_path = out_dir / f"{month}-notifications.json"
        notices_path.write_text(
            json.dumps(
                {
                    "as_of": as_of.isoformat(),
                    "notifications": [n.to_dict() for n in replayed.notifications],
                    "findings": [f.to_dict() for f in replayed.findings],
                },
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
        written.append(notices_path)
        sections.append(_notifications_section(replayed, notices_path, say))

    # 8. publication
    from ..items.publicity import PAGE_WRITERS, publish

    public = out_dir / "public"
    with step(say("写出公示材料", "writing the publication")):
        published = publish(
            rb, public, published_on=as_of.date(), writers=(*PAGE_WRITERS, ranking_pages(ranking))
        )
    written.extend(Path(p) for p in published)
    findings_path = out_dir / f"{month}-findings.json"
    findings_path.write_text(
        json.dumps(
            {
                "as_of": as_of.isoformat(),
                "findings": [f.to_dict() for f in findings],
                "rejected": rejected,
            },
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    written.append(findings_path)
    from ..cases.trail.file import export_trail

    trail_path = out_dir / f"{month}-trail.jsonl"
    export_trail(monitor.store.trail(), trail_path)
    written.append(trail_path)
    head = monitor.store.trail_head()
    assert head is not None  # the trail holds the month's events
    sections.append(
        Section(
            say("公示与输出", "Publication and output"),
            (
                say(f"办件事件：{events_path}", f"events of the month: {events_path}"),
                say(
                    f"发现与拒收（JSON）：{findings_path}",
                    f"findings and rejections (JSON): {findings_path}",
                ),
                say(
                    f"公示材料（一事一表）{len(published)} 个文件：{public / 'index.html'}",
                    f"publicity sheets, {len(published)} files: {public / 'index.html'}",
                ),
                say(
                    f"效能排名：{public / 'rankings' / (month + '.html')}",
                    f"efficiency ranking: {public / 'rankings' / (month + '.html')}",
                ),
                say(
                    f"留痕（事件、拒收与抽查记录，哈希链）：{trail_path}",
                    f"the trail (events, rejections, the draw; hash-chained): {trail_path}",
                ),
                say(
                    f"公开发布链头以防篡改；核对：fyrules trail verify {trail_path} --head "
                    f"{head['index']}:{head['hash']}",
                    f"publish its head to make tampering evident; check it with: fyrules trail "
                    f"verify {trail_path} --head {head['index']}:{head['hash']}",
                ),
            ),
        )
    )
    return DemoResult(tuple(sections), tuple(written), time.perf_counter() - started)


# --- steps --------------------------------------------------------------------------------------


def _counting_cases(events: Iterator[Any], bar: Progress) -> Iterator[Any]:
    """Pass events through, advancing ``bar`` by one per new case (its submission)."""
    seen: set[str] = set()
    for event in events:
        if event.event == "submit" and event.case not in seen:
            seen.add(event.case)
            bar.advance()
        yield event


def _month_end(rulebook: Any, month: str) -> dt.datetime:
    """The last moment of the month in the rulebook's zone: the demo reports "as of" then."""
    from zoneinfo import ZoneInfo

    from ..engine.months import Month

    _, following = Month.parse(month).bounds(ZoneInfo(rulebook.timezone))
    return following - dt.timedelta(seconds=1)


def _scope_of_rules(rulebook: Any) -> dict[str, str]:
    return {rule.id: rule.scope for rule in rulebook.rules}


def _complaint_lines(rulebook: Any, findings: list[Finding], say: _Say) -> list[str]:
    """The month's complaints not answered in time (the complaints: section's finding)."""
    workflows = rulebook.part("workflows")
    policy = workflows.complaints if workflows is not None else None
    if policy is None:
        return []
    late = [f for f in findings if f.rule == policy.rule]
    lines = [
        say(
            f"投诉未在 {policy.answer_days} 个工作日内答复：{len(late)} 件（{policy.rule}）",
            f"complaints not answered within {policy.answer_days} working days: {len(late)} "
            f"({policy.rule})",
        )
    ]
    lines.extend(f"  [{f.subject}] {_message(f, say)}" for f in late[:1])
    return lines


def _side_rules(rulebook: Any) -> frozenset[str]:
    """The rules of the findings that follow a case beside its clock (the ``track_findings``
    hooks): complaints, accountability decisions, notices to the supervisors."""
    out = set()
    workflows = rulebook.part("workflows")
    if workflows is not None and workflows.complaints is not None:
        out.add(workflows.complaints.rule)
    if workflows is not None and workflows.accountability is not None:
        out.add(workflows.accountability.unknown_decision_rule)
    notifications = rulebook.part("notifications")
    if notifications is not None and notifications.inform is not None:
        out.add(notifications.inform.rule)
    return frozenset(out)


def _title(rulebook: Any, rule_id: str, say: _Say) -> str:
    """The title of whatever reported ``rule_id``: a rule, a history constraint or a recusal."""
    for rule in rulebook.rules:
        if rule.id == rule_id:
            return say(rule.title_zh, rule.title_en)
    history = getattr(rulebook.part("separation"), "history", None)
    for constraint in getattr(history, "constraints", ()):
        if constraint.id == rule_id:
            return say(constraint.title_zh, constraint.title_en)
    for recusal in getattr(history, "recusals", ()):
        if recusal.id == rule_id:
            return say(f"回避：{recusal.reason_zh}", f"recusal: {recusal.reason_en}")
    return rule_id


def _one_per_rule(findings: list[Finding]) -> list[Finding]:
    """Examples to show: errors first, one finding per rule, at most :data:`SHOWN`."""
    order = {"error": 0, "warning": 1}
    picked: dict[str, Finding] = {}
    for finding in sorted(findings, key=lambda f: order.get(f.severity, 2)):
        picked.setdefault(finding.rule, finding)
    return list(picked.values())[:SHOWN]


def _message(finding: Finding, say: _Say) -> str:
    return say(finding.message_zh, finding.message_en or finding.message_zh)


def _rulebook_section(rb: Any, result: Any, report: Any, say: _Say) -> Section:
    warnings = sum(p.severity == "warning" for p in result.problems)
    passed = sum(r.passed for r in report.results)
    return Section(
        say("规则集", "The rulebook"),
        (
            say(
                f"{rb.id}：{len(rb.items)} 个事项、{len(rb.rules)} 条规则，校验通过"
                f"（警告 {warnings} 条）",
                f"{rb.id}: {len(rb.items)} items, {len(rb.rules)} rules, valid "
                f"({warnings} warnings)",
            ),
            say(
                f"自带测试 {passed}/{len(report.results)} 通过，规则与决策表覆盖率 "
                f"{report.coverage.percent:.0f}%",
                f"own tests: {passed}/{len(report.results)} passed, rule and table coverage "
                f"{report.coverage.percent:.0f}%",
            ),
        ),
    )


def _month_section(summary: dict[str, int], seed: int, say: _Say) -> Section:
    lines = [
        say(
            f"生成 {summary['events']:,} 个事件（种子 {seed}，可复现）：接收 {summary['accepted']:,}、"
            f"拒收 {summary['rejected']:,}、重复投递 {summary['duplicates']:,}；"
            f"办结 {summary['cases_finished']:,} 件",
            f"{summary['events']:,} events generated (seed {seed}, reproducible): "
            f"{summary['accepted']:,} accepted, {summary['rejected']:,} rejected, "
            f"{summary['duplicates']:,} duplicate deliveries; {summary['cases_finished']:,} "
            "cases finished",
        )
    ]
    return Section(say("本月办件", "The month's cases"), tuple(lines))


def _count_lines(rulebook: Any, findings: list[Finding], say: _Say) -> list[str]:
    counts = Counter(f.rule for f in findings)
    severity = {f.rule: f.severity for f in findings}
    return [
        f"  {severity[rule]:7} {rule:24} ×{n:<5} {_title(rulebook, rule, say)}"
        for rule, n in counts.most_common()
    ]


def _deadline_section(rulebook: Any, findings: list[Finding], say: _Say) -> Section:
    if not findings:
        return Section(
            say("时限预警与超期", "Deadline warnings and overdue cases"),
            (say("没有", "none"),),
        )
    cases = {f.subject for f in findings}
    lines = [
        say(
            f"{len(findings):,} 条发现，涉及 {len(cases):,} 件：",
            f"{len(findings):,} findings on {len(cases):,} cases:",
        ),
        *_count_lines(rulebook, findings, say),
        say("举例：", "for example:"),
    ]
    for finding in _one_per_rule(findings):
        lines.append(f"  [{finding.subject}] {_message(finding, say)}")
    return Section(say("时限预警与超期", "Deadline warnings and overdue cases"), tuple(lines))


def _separation_section(
    rulebook: Any,
    findings: list[Finding],
    rejected: list[dict[str, Any]],
    say: _Say,
) -> Section:
    refused = [r for r in rejected if str(r.get("reason", "")).startswith("SOD")]
    lines: list[str] = []
    if findings:
        lines.append(say(f"{len(findings):,} 条发现：", f"{len(findings):,} findings:"))
        lines.extend(_count_lines(rulebook, findings, say))
        for finding in _one_per_rule(findings):
            lines.append(f"  [{finding.subject}] {_message(finding, say)}")
    if refused:
        lines.append(
            say(
                f"因职责分离拒收的事件 {len(refused):,} 个",
                f"{len(refused):,} events refused for separation of duties",
            )
        )
    if not lines:
        lines.append(say("没有", "none"))
    return Section(say("职责分离", "Separation of duties"), tuple(lines))


def _rejected_section(rejected: list[dict[str, Any]], say: _Say) -> Section:
    if not rejected:
        return Section(say("拒收的事件", "Rejected events"), (say("没有", "none"),))
    reasons = Counter(r["reason"] for r in rejected)
    lines = [
        say(
            f"{len(rejected):,} 个事件被拒收，原有记录未改变：",
            f"{len(rejected):,} events rejected; nothing already recorded changed:",
        ),
        *(f"  {reason:28} ×{n}" for reason, n in reasons.most_common()),
        say("举例：", "for example:"),
    ]
    for record in rejected[:SHOWN]:
        event = record.get("event") or {}
        lines.append(
            f"  {event.get('case')} {event.get('event')}: "
            + say(record.get("message_zh", ""), record.get("message_en", ""))
        )
    return Section(say("拒收的事件", "Rejected events"), tuple(lines))


def _draw_section(rulebook: Any, drawn: Any, say: _Say) -> Section:
    title = say("本月随机抽查", "The month's random inspection draw")
    closed = sum(len(s.candidates) for s in drawn.strata)
    lines = [
        say(
            f"公开值 {drawn.public_value} → 种子 {drawn.seed[:16]}…；本月办结 {closed:,} 件，"
            f"分 {len(drawn.strata)} 个部门抽取 {len(drawn.sample)} 件：",
            f"public value {drawn.public_value} → seed {drawn.seed[:16]}…; of {closed:,} "
            f"cases closed, {len(drawn.sample)} drawn across {len(drawn.strata)} departments:",
        ),
        "  "
        + ", ".join(
            f"{s.department} {len(s.drawn)}/{len(s.candidates)}"
            for s in drawn.strata
            if s.candidates
        ),
    ]
    if drawn.feasible:
        loads = Counter(drawn.assignment.values())
        lines.append(
            say(
                f"抽查人员 {len(loads)} 名，均无回避冲突、未超过工作量上限："
                + ", ".join(f"{p} {n}" for p, n in sorted(loads.items())),
                f"{len(loads)} inspectors, each free of conflicts and within capacity: "
                + ", ".join(f"{p} {n}" for p, n in sorted(loads.items())),
            )
        )
        for case in drawn.sample[:3]:
            lines.append(f"  {case} → {drawn.assignment[case]}")
    else:
        why = drawn.infeasible
        lines.append(
            say(
                f"无法完整分配，未分配任何案件：{len(why.cases)} 件只能由 "
                f"{', '.join(why.inspectors) or '无人'} 抽查，合计容量 {why.capacity}",
                f"no complete assignment, so none is made: {len(why.cases)} cases can only "
                f"be inspected by {', '.join(why.inspectors) or 'no one'}, capacity "
                f"{why.capacity} in all",
            )
        )
    lines.append(
        say(
            f"抽查记录已写入留痕（摘要 {drawn.digest()[:16]}…），任何人可用同一公开值复算",
            f"the draw is in the trail (digest {drawn.digest()[:16]}…); anyone can re-run "
            "it from the same public value",
        )
    )
    return Section(title, tuple(lines))


def _ranking_section(
    result: Any, say: _Say, previous_seed: int, normal: list[str] | None = None
) -> Section:
    """The month's efficiency ranking of windows (效能排名): the top and the bottom."""
    scheme = result.scheme
    lines = [
        say(
            f"{scheme.title_zh}（{scheme.version} 版），{len(result.rows)} 个窗口"
            f"（变化与模拟的 {result.previous_month} 相比，种子 {previous_seed}）：",
            f"{scheme.title_en} (version {scheme.version}), {len(result.rows)} windows "
            f"(change against a simulated {result.previous_month}, seed {previous_seed}):",
        )
    ]
    shown = result.rows if len(result.rows) <= 2 * SHOWN else result.rows[:SHOWN]
    for row in shown:
        st = row.stats
        closing = "—" if st.closing_rate is None else f"{st.closing_rate:.1%}"
        lines.append(
            f"  {row.rank:>3}. {row.unit:6} {row.score:7.2f}  "
            + say(
                f"{row.name_zh}（受理 {st.accepted}，办结率 {closing}，常态指数 "
                f"{row.card.normal:g}）",
                f"{row.name_en} ({st.accepted} accepted, {closing} closed, normal index "
                f"{row.card.normal:g})",
            )
        )
    if len(shown) < len(result.rows):
        lines.append("  …")
        last = result.rows[-1]
        lines.append(
            f"  {last.rank:>3}. {last.unit:6} {last.score:7.2f}  {say(last.name_zh, last.name_en)}"
        )
    lines.extend(normal or ())
    return Section(say("效能排名", "Efficiency ranking"), tuple(lines))


def _notifications_section(replayed: Any, path: Path, say: _Say) -> Section:
    """The notifications the month would have sent, by trigger, a few examples, and the
    approvals not told to the supervisors in time."""
    title = say("应发出的预警通知", "Notifications that would have been sent")
    names = {
        "prompt": ("预警提示", "prompts"),
        "yellow": ("黄牌", "yellow cards"),
        "red": ("红牌", "red cards"),
        "stage_overrun": ("环节超时", "stages over budget"),
        "inspection_assigned": ("抽查指派", "inspections assigned"),
        "rectification_due": ("整改到期", "rectifications due"),
    }
    notices = replayed.notifications
    counts = Counter(n.trigger for n in notices)
    lines = [
        say(
            f"共 {len(notices):,} 条："
            + "，".join(f"{names.get(t, (t, t))[0]} {c:,}" for t, c in sorted(counts.items())),
            f"{len(notices):,} in all: "
            + ", ".join(f"{c:,} {names.get(t, (t, t))[1]}" for t, c in sorted(counts.items())),
        )
    ]
    if notices:
        lines.append(say("举例：", "for example:"))
        seen: set[str] = set()
        for n in notices:
            if n.trigger in seen:
                continue
            seen.add(n.trigger)
            to = ", ".join(n.recipients) or say("（名册中无人）", "(no one on the roster)")
            lines.append(
                f"  {n.at:%Y-%m-%d %H:%M} {n.case} → {to}: {say(n.message_zh, n.message_en)}"
            )
    late = replayed.findings
    approved = sum(1 for e in replayed.accepted if e.event == "approve")
    informed = sum(1 for e in replayed.accepted if e.event == "inform")
    never = sum(1 for f in late if f.message_en and "not informed" in f.message_en)
    lines.append(
        say(
            f"审后监管：本月批准 {approved:,} 件，已告知监管部门 {informed:,} 件；未按期告知 "
            f"{len(late):,} 件（逾期告知 {len(late) - never:,}，到期未告知 {never:,}）",
            f"supervision after approval: {approved:,} approvals this month, {informed:,} told "
            f"to the supervising department; {len(late):,} not told in time ({len(late) - never:,} "
            f"told late, {never:,} not told by the deadline)",
        )
    )
    for finding in late[:2]:
        lines.append(f"  [{finding.subject}] {_message(finding, say)}")
    lines.append(
        say(
            f"全部通知（JSON）：输出目录中的 {path.name}",
            f"every notification (JSON): {path.name} in the output folder",
        )
    )
    return Section(title, tuple(lines))


def _project_section(rulebook: Any, month: str, as_of: dt.datetime, say: _Say) -> Section:
    """One green-channel project's clock on its critical path (项目关键路径时钟): the
    catalog's project that parallel approval shortens most (the shortest such), started on
    the first working day of the month before, the second stage of its critical path three
    working days late."""
    from ..cases.state import Accepted
    from ..deadlines.project_clock import project_clocks
    from ..scoring.api import previous_month
    from ..simulation.projects import project_events

    title = say("一个项目的关键路径时钟", "One project's critical-path clock")
    paths = [
        rulebook.project_path(code) for code, i in rulebook.items.items.items() if i.depends_on
    ]
    if rulebook.part("projects") is None or not paths:
        return Section(title, (say("规则集没有投资项目", "the rulebook declares no projects"),))
    path = min(paths, key=lambda p: (-p.saving_days, len(p.items), p.target))
    target, late_stage = path.target, path.critical_path[1]
    start = dt.date.fromisoformat(previous_month(month) + "-01")
    events = project_events(
        rulebook,
        project="P-DEMO-1",
        target=target,
        start=start,
        late={late_stage: 3},
        green_channel=True,
        until=as_of,
    )
    monitor = rulebook.monitor(trail=False)
    accepted = [e for e in events if isinstance(monitor.feed(e), Accepted)]
    [clock] = project_clocks(rulebook, accepted, as_of)
    lines = [
        say(
            f"项目 {clock.project}（绿色通道，{clock.track.id}）：{clock.path.summary('zh')}",
            f"project {clock.project} (green channel, {clock.track.id}): {clock.path.summary('en')}",
        ),
        say(
            f"开始 {clock.start}，计划完成 {clock.due}，预计完成 {clock.projected_finish}"
            f"（截至 {as_of.date()}）",
            f"started {clock.start}, due {clock.due}, projected {clock.projected_finish} "
            f"(as of {as_of.date()})",
        ),
    ]
    for stage in clock.stages:
        zh, en = {
            "done": (f"{stage.completed_on} 办结", f"done {stage.completed_on}"),
            "open": (f"{stage.accepted_on} 受理，在办", f"accepted {stage.accepted_on}, open"),
            "not_started": ("未开始", "not started"),
        }[stage.state]
        if stage.late_days:
            zh, en = f"{zh}，超期 {stage.late_days} 日", f"{en}, {stage.late_days} days late"
        mark = "★" if stage.critical else " "
        lines.append(
            f"  {mark} {stage.item:10} "
            + say(f"最迟 {stage.latest_due}，{zh}", f"latest {stage.latest_due}, {en}")
        )
    for finding in clock.findings:
        lines.append(f"  {finding['severity']}: {say(finding['message'], finding['message_en'])}")
    return Section(title, tuple(lines))
