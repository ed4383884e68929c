"""Two steps of ``fyrules demo`` (cli/demo.py) that read more than the month's own events.

- :func:`month_notification`: the published monthly notification (月度通报) of the month: the
  files of the month before drawn for inspection, inspected this month, their rectification,
  and the month's accountability records — the report ``fyrules inspect --report`` prints,
  from a simulated month before, its draw, and the generated inspection outcomes;
- :func:`sample_assessments`: the month's normal-index points (常态指数) from the rulebook's
  ``assessments/`` folder (docs/scoring.md §5), for the ranking.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..engine.load.loader import ASSESSMENTS_FOLDER
from ..engine.problems import UsageError

Say = Callable[[str, str], str]


def month_notification(
    rulebook: Any,
    history: Any,
    events: Sequence[Any],
    *,
    month: str,
    before: str,
    public_value: str,
    seed: int,
    as_of: dt.datetime,
) -> tuple[dict[str, Any], Any]:
    """The notification report of ``month`` (JSON, as ``fyrules inspect --report`` gives it)
    and the draw it inspects. ``history`` is a monitor that replayed the month ``before``:
    its closed cases are drawn (from ``public_value``), their inspections and rectifications
    generated (``seed``), and this month's ``events`` fed with them, up to ``as_of``."""
    from ..cases.monitor import Duplicate
    from ..separation.inspection.draw import closed_in_month, draw, month_bounds
    from ..simulation.outcomes import outcome_events
    from .inspect import SIDE_EVENTS, notification_report

    candidates = closed_in_month(rulebook, history.store, before)
    drawn = draw(rulebook, candidates, month=before, public_value=public_value)
    outcomes = outcome_events(rulebook, drawn, candidates, seed=seed)
    side = []
    for event in sorted([*events, *outcomes], key=lambda e: e.at):  # stable within a moment
        if event.at > as_of:
            continue
        outcome = history.feed(event)
        if outcome.ok and not isinstance(outcome, Duplicate) and event.event in SIDE_EVENTS:
            side.append(event)
    first, after = month_bounds(month)
    return notification_report(rulebook, [history], side, first, after, as_of), drawn


def notification_lines(report: dict[str, Any], drawn: Any, path: Path, say: Say) -> list[str]:
    """The demo's summary of the notification report; the whole notice is at ``path``."""
    depts = report["departments"]
    cases = sum(d["cases_inspected"] for d in depts)
    problems = sum(d["findings"] for d in depts)
    lines = [
        say(
            f"抽查 {drawn.month} 办结案件 {len(drawn.sample)} 件（公开值 {drawn.public_value}），"
            f"{report['month']} 已抽查 {cases} 件、涉及 {len(depts)} 个部门，发现问题 {problems} 个",
            f"{len(drawn.sample)} cases closed in {drawn.month} drawn (public value "
            f"{drawn.public_value}); {cases} inspected in {report['month']} across {len(depts)} "
            f"departments, {problems} problems found",
        )
    ]
    by_category = [c for c in report["categories"] if c["total"]]
    if by_category:
        lines.append(
            "  "
            + say(
                "，".join(f"{c['name_zh']} {c['total']}" for c in by_category),
                ", ".join(f"{c['name_en']} {c['total']}" for c in by_category),
            )
        )
    r = report["rectification"]
    lines.append(
        say(
            f"须整改 {r['due']}：按期完成 {r['done']}，逾期完成 {r['late']}，逾期未整改 "
            f"{r['overdue']}，未到期 {r['pending']}（期限 {r['working_days']} 个工作日）",
            f"to rectify {r['due']}: done in time {r['done']}, done late {r['late']}, overdue "
            f"{r['overdue']}, not yet due {r['pending']} ({r['working_days']} working days)",
        )
    )
    for f in report["overdue"][:2]:
        lines.append(f"  {f['severity']}: [{f['case']}] {say(f['message'], f['message_en'])}")
    records = report.get("accountability")
    if records is not None:
        status = Counter(r["status"] for r in records)
        decided = Counter(
            (r["decision_zh"] or r["decision"], r["decision_en"] or r["decision"])
            for r in records
            if r["decision"] is not None
        )
        lines.append(
            say(
                f"超时问责记录 {len(records)} 件：已决定 {status['decided']}（"
                + "，".join(f"{zh} {n}" for (zh, _), n in decided.most_common())
                + f"），已说明待决定 {status['explanation_given']}，已要求说明 "
                f"{status['explanation_requested']}，尚未要求说明 {status['open']}",
                f"accountability records {len(records)}: decided {status['decided']} ("
                + ", ".join(f"{en} {n}" for (_, en), n in decided.most_common())
                + f"), explained and awaiting a decision {status['explanation_given']}, "
                f"explanation asked {status['explanation_requested']}, not yet asked "
                f"{status['open']}",
            )
        )
        for r in [r for r in records if r["decision"] is not None][:2]:
            lines.append(
                f"  [{r['case']}] "
                + say(
                    f"环节 {r['stage']}，{r['person'] or '—'}（{r['dept'] or '—'}）："
                    f"{r['decision_zh'] or r['decision']}（{r['decided_by']}）",
                    f"stage {r['stage']}, {r['person'] or '-'} ({r['dept'] or '-'}): "
                    f"{r['decision_en'] or r['decision']} (by {r['decided_by']})",
                )
            )
    lines.append(
        say(
            f"完整通报（Markdown，可公布）：输出目录中的 {path.name}",
            f"the whole notice (Markdown, to publish): {path.name} in the output folder",
        )
    )
    return lines


def sample_assessments(
    rulebook: Any, rulebook_path: Path, month: str
) -> tuple[dict[str, dict[str, float]] | None, Path | None]:
    """The month's normal-index points from ``RULEBOOK/assessments/MONTH.yaml`` (or ``.csv``),
    and the file; ``(None, None)`` when the rulebook has no such file. A file with bad rows is
    a :class:`UsageError` naming each one."""
    from ..scoring.api import scheme_of
    from ..scoring.assessments import AssessmentError, read_assessments

    folder = rulebook_path / ASSESSMENTS_FOLDER
    found = [folder / f"{month}{suffix}" for suffix in (".yaml", ".yml", ".csv")]
    path = next((p for p in found if p.is_file()), None)
    if path is None:
        return None, None
    scheme = scheme_of(rulebook, dt.date.fromisoformat(f"{month}-01"))
    units = rulebook.items.windows if scheme.unit == "window" else rulebook.items.departments
    try:
        return read_assessments(path, scheme, month=month, units=units), path
    except AssessmentError as exc:
        raise UsageError(
            "常态指数文件有错误 / the normal-index file has errors:\n" + str(exc)
        ) from None


def assessment_lines(
    ranking: Any, assessments: dict[str, dict[str, float]] | None, path: Path | None, say: Say
) -> list[str]:
    """What the ranking says of the normal index: where the points come from, and their
    range over the windows."""
    if assessments is None or path is None:
        return [
            say(
                "常态指数：本月没有测评数据（规则集 assessments/ 目录中没有本月文件），各窗口得 0 分",
                "normal index: no assessment this month (no file for the month in the "
                "rulebook's assessments/ folder), 0 points for every window",
            )
        ]
    cards = [row.card for row in ranking.rows]
    assessed = [c.normal for c in cards if c.assessed]
    low, high = (min(assessed), max(assessed)) if assessed else (0.0, 0.0)
    lines = [
        say(
            f"常态指数：读自 {path.parent.name}/{path.name}，{len(assessed)}/{len(cards)} 个窗口"
            f"已测评，得分 {low:g}–{high:g}",
            f"normal index: read from {path.parent.name}/{path.name}, {len(assessed)}/"
            f"{len(cards)} windows assessed, points {low:g}–{high:g}",
        )
    ]
    basis = _basis(path)
    if basis:
        lines.append(say(f"  依据：{basis}", f"  basis: {basis}"))
    return lines


def _basis(path: Path) -> str | None:
    """The ``basis:`` a YAML assessment file states (where its points come from), if any."""
    from ..engine.load.source import read_yaml

    if path.suffix.lower() not in (".yaml", ".yml"):
        return None
    doc, _ = read_yaml(path)
    data = doc.data if doc is not None else None
    basis = data.get("basis") if isinstance(data, dict) else None
    return str(basis) if basis else None
