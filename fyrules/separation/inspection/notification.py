"""The monthly notification report (月度通报): what the month's inspections found, by
department and by category, and where rectification stands.

:func:`notification` builds the report as one JSON object from :class:`Outcomes`;
:func:`render_text` and :func:`render_markdown` print it for people.

- **departments**: for each licensing department, the cases inspected in the month, the
  inspections, the problems found and the cases found without problems;
- **categories**: problems found in the month by category and severity;
- **rectification**: of the month's problems that need rectifying, how many are due in all,
  done in time, done late, overdue (still open after the due day) and pending (not yet due);
- **overdue**: a finding for every rectification not done within its deadline: still open
  (from this or an earlier month) or done late during this month.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from .extension import InspectionPolicy
from .rectification import SEVERITIES, Outcomes, overdue_findings


def notification(
    rulebook: Any, policy: InspectionPolicy, outcomes: Outcomes, first: dt.date, after: dt.date
) -> dict[str, Any]:
    """The notification report of the month ``[first, after)`` as a JSON object."""
    zone = outcomes.zone

    def in_month(at: dt.datetime) -> bool:
        return first <= at.astimezone(zone).date() < after

    departments = rulebook.items.departments
    per: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"cases": set(), "inspections": 0, "findings": 0, "clean": set()}
    )
    for case, department, _inspector, at, found in outcomes.inspections:
        if not in_month(at):
            continue
        row = per[department or "-"]
        row["cases"].add(case)
        row["inspections"] += 1
        row["findings"] += found
        if not found:
            row["clean"].add(case)
    raised = [f for f in outcomes.findings if in_month(f.inspected_at)]
    by_category = Counter((f.category, f.severity) for f in raised)
    states = Counter(outcomes.status(f) for f in raised)
    needing = sum(n for s, n in states.items() if s != "none")
    overdue = overdue_findings(outcomes, policy, since=first)
    return {
        "rulebook": rulebook.id,
        "policy": policy.id,
        "month": f"{first:%Y-%m}",
        "as_of": outcomes.as_of.isoformat(),
        "departments": [
            {
                "department": dept,
                "name_zh": departments[dept].name.zh if dept in departments else dept,
                "name_en": (departments[dept].name.en or departments[dept].name.zh)
                if dept in departments
                else dept,
                "cases_inspected": len(row["cases"]),
                "inspections": row["inspections"],
                "findings": row["findings"],
                "cases_without_findings": len(row["clean"] - _with_findings(raised, dept)),
            }
            for dept, row in sorted(per.items())
        ],
        "categories": [
            {
                "category": cid,
                "name_zh": c.name_zh,
                "name_en": c.name_en,
                **{sev: by_category[(cid, sev)] for sev in SEVERITIES},
                "total": sum(by_category[(cid, sev)] for sev in SEVERITIES),
            }
            for cid, c in policy.categories.items()
        ],
        "rectification": {
            "working_days": policy.rectify_days,
            "basis": policy.rectify_basis,
            "due": needing,
            "done": states["done"],
            "late": states["late"],
            "overdue": states["overdue"],
            "pending": states["pending"],
        },
        "findings": [{**f.to_dict(), "status": outcomes.status(f)} for f in raised],
        "overdue": [f.to_dict() for f in overdue],
        "problems": [p.to_dict() for p in outcomes.problems],
    }


def _with_findings(raised: list[Any], department: str) -> set[str]:
    return {f.case for f in raised if (f.department or "-") == department}


def _say(lang: str, zh: str, en: str) -> str:
    return {"zh": zh, "en": en}.get(lang, f"{zh} / {en}")


def render_text(report: dict[str, Any], lang: str = "both") -> str:
    return "\n".join(_lines(report, lang, markdown=False))


def render_markdown(report: dict[str, Any], lang: str = "both") -> str:
    return "\n".join(_lines(report, lang, markdown=True))


def _lines(report: dict[str, Any], lang: str, *, markdown: bool) -> list[str]:
    def say(zh: str, en: str) -> str:
        return _say(lang, zh, en)

    def heading(text: str, level: int = 2) -> str:
        return f"{'#' * level} {text}" if markdown else f"== {text}"

    def table(header: list[str], rows: list[list[Any]]) -> list[str]:
        if markdown:
            out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
            out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
            return out
        return ["  " + "  ".join(str(c) for c in row) for row in [header, *rows]]

    month = report["month"]
    lines = [
        heading(say(f"{month} 办件档案抽查通报", f"Case-file inspection notice, {month}"), 1),
        say(f"截至 {report['as_of']}", f"as of {report['as_of']}"),
        "",
        heading(say("各部门抽查情况", "Inspections by department")),
    ]
    depts = report["departments"]
    if depts:
        lines += table(
            [
                say("部门", "department"),
                say("抽查件数", "cases"),
                say("问题", "problems"),
                say("无问题件数", "cases without problems"),
            ],
            [
                [
                    say(d["name_zh"], d["name_en"]),
                    d["cases_inspected"],
                    d["findings"],
                    d["cases_without_findings"],
                ]
                for d in depts
            ],
        )
    else:
        lines.append(say("本月没有抽查记录", "no inspection recorded this month"))
    lines += ["", heading(say("问题分类", "Problems by category"))]
    lines += table(
        [say("类别", "category"), "error", "warning", "info", say("合计", "total")],
        [
            [say(c["name_zh"], c["name_en"]), c["error"], c["warning"], c["info"], c["total"]]
            for c in report["categories"]
        ],
    )
    r = report["rectification"]
    lines += [
        "",
        heading(say("整改情况", "Rectification")),
        say(
            f"须整改 {r['due']}：按期完成 {r['done']}，逾期完成 {r['late']}，逾期未整改 "
            f"{r['overdue']}，未到期 {r['pending']}（期限 {r['working_days']} 个工作日；依据：{r['basis']}）",
            f"to rectify {r['due']}: done in time {r['done']}, done late {r['late']}, overdue "
            f"{r['overdue']}, not yet due {r['pending']} (deadline {r['working_days']} working "
            f"days; basis: {r['basis']})",
        ),
    ]
    if report["overdue"]:
        lines += ["", heading(say("逾期整改", "Overdue rectification"))]
        for f in report["overdue"]:
            bullet = "- " if markdown else "  "
            lines.append(
                f"{bullet}{f['severity'].upper()} {f['rule']} [{f['case']}] "
                + say(f["message"], f["message_en"])
            )
    if "accountability" in report:  # the workflows' records, when the rulebook declares them
        lines += ["", heading(say("超时问责", "Accountability"))]
        lines += _accountability(report["accountability"], say, markdown)
    if report["problems"]:
        lines += ["", heading(say("无法读取的抽查记录", "Inspection records that cannot be read"))]
        for p in report["problems"]:
            lines.append(f"  {p['code']}: " + say(p["message_zh"], p["message_en"]))
    return lines


def _accountability(records: list[dict[str, Any]], say: Any, markdown: bool) -> list[str]:
    """The month's accountability records: who held each overdue case, and the outcome."""
    if not records:
        return [say("本月没有超时问责记录", "no accountability record this month")]
    bullet = "- " if markdown else "  "
    status_zh = {
        "open": "待要求说明",
        "explanation_requested": "已要求说明",
        "explanation_given": "已说明，待决定",
        "decided": "已决定",
    }
    out = []
    for r in records:
        who = f"{r['person'] or '—'}（{r['dept'] or '—'}）"
        head = f"{bullet}{r['finding']} [{r['case']}] "
        if r["decision"] is not None:
            outcome = say(
                f"决定：{r['decision_zh'] or r['decision']}（{r['decided_by']}，{r['decided_at'][:10]}）",
                f"decision: {r['decision_en'] or r['decision']} (by {r['decided_by']}, "
                f"{r['decided_at'][:10]})",
            )
        else:
            outcome = say(status_zh[r["status"]], r["status"].replace("_", " "))
        out.append(
            head
            + say(
                f"环节 {r['stage']}，{who}，截止 {r['due']}；",
                f"stage {r['stage']}, {r['person'] or '-'} ({r['dept'] or '-'}), due {r['due']}; ",
            )
            + outcome
        )
    return out
