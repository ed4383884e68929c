"""The diff for people (``text``), programs (``json``) and pull-request comments (``markdown``).

The Markdown stays small enough for a comment: a summary and the loosenings in the open, the
rest in a collapsed ``<details>`` section, cut (and saying so) before GitHub's limit.
"""

from __future__ import annotations

import json
from typing import Any

from . import DiffReport
from .changes import EntryChange, count_kinds

FORMATS = ("text", "json", "markdown")
SHOWN_CASES = 10  # cases listed per kind of impact in text and Markdown (JSON lists all)
SHOWN_LOOSENED = 30  # loosenings listed in the open in Markdown (the details list them all)
MARKDOWN_LIMIT = 60_000  # characters; a GitHub comment holds 65,536
SIGN = {"added": "+", "removed": "-", "changed": "~"}
KIND = {"added": "新增 / added", "removed": "删除 / removed", "changed": "修改 / changed"}


def render(report: DiffReport, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
    if fmt == "markdown":
        return render_markdown(report)
    return render_text(report)


# --- text -------------------------------------------------------------------------------------


def render_text(report: DiffReport) -> str:
    lines = [
        f"旧 / OLD: {_version(report.old)}",
        f"新 / NEW: {_version(report.new)}",
        _summary(report),
    ]
    for change in report.changes:
        lines.append("")
        lines.extend(_entry_lines(change, markdown=False))
    if report.impact is not None:
        lines.append("")
        lines.extend(_impact_lines(report, markdown=False))
    return "\n".join(lines)


def _version(side: dict[str, Any]) -> str:
    return (
        f"{side['path']} ({side['rulebook']} {side['version']}, "
        f"文件指纹 / files {side['fingerprint']})"
    )


def _summary(report: DiffReport) -> str:
    counts = count_kinds(report.changes)
    if not report.changes:
        head = "规则没有变化 / no rule changes"
    else:
        head = (
            f"规则变化 / rule changes: 新增 {counts['added']} added, 删除 {counts['removed']} "
            f"removed, 修改 {counts['changed']} changed; 放宽 {counts['loosened']} loosened"
        )
    return head


def _entry_lines(change: EntryChange, *, markdown: bool) -> list[str]:
    bullet = "- " if markdown else ""
    indent = "  " if markdown else "    "
    title = f" {change.title}" if change.title else ""
    flag = " **[放宽 / LOOSENED]**" if markdown else " [放宽 / LOOSENED]"
    code = "`" if markdown else ""
    lines = [
        f"{bullet}{SIGN[change.kind]} {change.section} {code}{change.id}{code}{title}"
        f" ({KIND[change.kind]}){flag if change.loosened else ''}",
        f"{indent}旧 / old: {change.old_at or '—'}    新 / new: {change.new_at or '—'}",
    ]
    if change.limits:
        shown = ", ".join(f"{name} {o} → {n}" for name, (o, n) in change.limits.items())
        lines.append(f"{indent}时限 / limits: {shown}")
    if "new" in change.catalog_findings:
        found = ", ".join(change.catalog_findings["new"]) or "无 / none"
        lawful = "合规 / lawful" if change.lawful else "不合规 / not lawful"
        lines.append(f"{indent}目录规则（新） / catalog rules (NEW): {found} → {lawful}")
    for field in change.fields:
        c = field.change
        old = "—" if c.kind == "added" else _value(c.old)
        new = "—" if c.kind == "removed" else _value(c.new)
        mark = ""
        if field.verdict is not None:
            mark = "  [放宽 / loosened]" if field.verdict.loosened else "  [收紧 / tightened]"
        lines.append(
            f"{indent}{code}{c.label}{code}: {old} → {new}{mark}  "
            f"({field.old_at or '—'} → {field.new_at or '—'})"
        )
    for verdict in change.verdicts:
        if not verdict.field or verdict not in [f.verdict for f in change.fields]:
            word = "放宽 / loosened" if verdict.loosened else "收紧 / tightened"
            lines.append(f"{indent}{word}: {verdict.message()}")
    if change.old_basis == change.new_basis:
        if change.new_basis:
            lines.append(f"{indent}依据 / basis: {change.new_basis}")
    else:
        lines.append(f"{indent}依据（旧） / old basis: {change.old_basis or '—'}")
        lines.append(f"{indent}依据（新） / new basis: {change.new_basis or '—'}")
    return lines


def _value(value: Any) -> str:
    if isinstance(value, str):
        return value if len(value) <= 80 else value[:77] + "…"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "…"


def _impact_lines(report: DiffReport, *, markdown: bool) -> list[str]:
    impact = report.impact
    assert impact is not None
    old, new = impact.old, impact.new
    h = "### " if markdown else "== "
    b = "- " if markdown else "  "
    lines = [
        f"{h}重放 / replay: {impact.events}, {impact.month}",
        f"{b}旧 / OLD: {old.version['rulebook']} {old.version['version']} "
        f"({old.version['fingerprint']}), {_scheme(old.scheme)}; {_counts(old.counts)}, "
        f"发现 {len(old.findings)} findings",
        f"{b}新 / NEW: {new.version['rulebook']} {new.version['version']} "
        f"({new.version['fingerprint']}), {_scheme(new.scheme)}; {_counts(new.counts)}, "
        f"发现 {len(new.findings)} findings",
    ]
    if impact.unreadable:
        lines.append(
            f"{b}无法读取的行（两侧都拒收） / unreadable lines (refused by both): {impact.unreadable}"
        )
    lines.append(f"{h}发现的变化 / findings that change, per rule")
    if not impact.findings_by_rule:
        lines.append(f"{b}没有 / none")
    for r in impact.findings_by_rule:
        lines.append(
            f"{b}{r['rule']}: {r['old']} → {r['new']} (+{r['appear']} 出现 appear, "
            f"-{r['disappear']} 消失 disappear)"
        )
    if impact.findings_by_case:
        lines.append(
            f"{h}发现变化的案件 / cases whose findings change: {len(impact.findings_by_case)}"
        )
        for c in impact.findings_by_case[:SHOWN_CASES]:
            parts = [f"+{r}" for r in c["appear"]] + [f"-{r}" for r in c["disappear"]]
            lines.append(f"{b}{c['case']}: {' '.join(parts)}")
        lines.extend(_more(len(impact.findings_by_case), b))
    lines.append(f"{h}仅一侧拒收的事件 / events refused under one side only: {len(impact.refused)}")
    for r in impact.refused[:SHOWN_CASES]:
        side = "新拒收 / refused under NEW" if r["new"]["refused"] else "旧拒收 / refused under OLD"
        why = r["new"] if r["new"]["refused"] else r["old"]
        lines.append(
            f"{b}#{r['seq']} {r['case']} {r['event']}: {side}: {why['reason']} "
            f"{why['message_zh']} / {why['message_en']}"
        )
    lines.extend(_more(len(impact.refused), b))
    lines.append(f"{h}期限变化的案件 / cases whose deadlines move: {len(impact.deadline_moves)}")
    for m in impact.deadline_moves[:SHOWN_CASES]:
        parts = []
        for field, name in (
            ("committed_due", "承诺 committed"),
            ("statutory_due", "法定 statutory"),
        ):
            d = m[field]
            if d["old"] != d["new"]:
                days = ""
                if d["days"] is not None:
                    days = (
                        f" ({d['working_days']:+d} 个工作日 working days, "
                        f"{d['days']:+d} 日 calendar days)"
                    )
                parts.append(f"{name} {d['old'] or '—'} → {d['new'] or '—'}{days}")
        lines.append(f"{b}{m['case']} [{m['item']}]: {'; '.join(parts)}")
    lines.extend(_more(len(impact.deadline_moves), b))
    lines.extend(_ranking_lines(report, markdown=markdown))
    return lines


def _ranking_lines(report: DiffReport, *, markdown: bool) -> list[str]:
    impact = report.impact
    assert impact is not None
    h = "### " if markdown else "== "
    b = "- " if markdown else "  "
    lines = [f"{h}排名 / ranking {impact.month}"]
    for side, name in ((impact.old, "旧 / OLD"), (impact.new, "新 / NEW")):
        if side.ranking_problem:
            lines.append(f"{b}{name}: {side.ranking_problem}")
    if not impact.ranking:
        return lines
    if not impact.ranking_moved:
        lines.append(f"{b}分数与名次不变 / no score or rank changes")
        return lines
    if markdown:
        lines += [
            "",
            "| window | score old → new | rank old → new | change |",
            "| --- | --- | --- | --- |",
        ]
    for r in impact.ranking:
        score = f"{_num(r['old_score'])} → {_num(r['new_score'])}"
        rank = f"{r['old_rank'] or '—'} → {r['new_rank'] or '—'}"
        delta = _delta(r)
        if markdown:
            lines.append(f"| {r['window']} {r['name'] or ''} | {score} | {rank} | {delta} |")
        else:
            lines.append(f"{b}{r['window']:<6} {score:<22} {rank:<10} {delta}")
    return lines


def _delta(row: dict[str, Any]) -> str:
    if row["score_change"] is None:
        return "新出现 / new" if row["old_rank"] is None else "不再排名 / gone"
    rank = row["rank_change"]
    moved = f"↑{rank}" if rank > 0 else f"↓{-rank}" if rank < 0 else "="
    return f"{row['score_change']:+g} {moved}"


def _num(value: Any) -> str:
    return "—" if value is None else f"{value:g}"


def _scheme(scheme: dict[str, Any] | None) -> str:
    if scheme is None:
        return "无测评方案 / no scoring scheme"
    return f"测评方案 / scheme {scheme['id']} {scheme['version']}"


def _counts(counts: dict[str, int]) -> str:
    return (
        f"事件 {counts['events']} events: 受理 {counts['accepted']} accepted, "
        f"拒收 {counts['rejected']} refused, 重复 {counts['duplicates']} duplicates"
    )


def _more(total: int, bullet: str, shown: int = SHOWN_CASES) -> list[str]:
    if total <= shown:
        return []
    rest = total - shown
    return [f"{bullet}…另有 {rest} 个 / {rest} more (--format json lists all)"]


# --- Markdown ---------------------------------------------------------------------------------


def render_markdown(report: DiffReport) -> str:
    counts = count_kinds(report.changes)
    head = [
        "## fyrules diff",
        "",
        f"- 旧 / OLD: {_version(report.old)}",
        f"- 新 / NEW: {_version(report.new)}",
        f"- {_summary(report)}",
    ]
    if counts["loosened"]:
        head += ["", f"### 放宽 / loosened ({counts['loosened']})", ""]
        for change in report.loosened[:SHOWN_LOOSENED]:
            title = f" {change.title}" if change.title else ""
            head.append(
                f"- {change.section} `{change.id}`{title}: "
                + "; ".join(v.message() for v in change.verdicts if v.loosened)
            )
        head.extend(_more(counts["loosened"], "- ", SHOWN_LOOSENED))
    parts = ["\n".join(head)]
    if report.impact is not None:
        impact = report.impact
        changed = sum(r["appear"] + r["disappear"] for r in impact.findings_by_rule)
        ranking = "变化 / moves" if impact.ranking_moved else "不变 / holds"
        parts.append(
            f"重放 {impact.month} / replayed: 发现变化 {changed} findings change, "
            f"仅一侧拒收 {len(impact.refused)} refused on one side only, "
            f"期限变化 {len(impact.deadline_moves)} deadlines move, 排名 / the ranking {ranking}"
        )
        parts.append(_collapsed("重放详情 / replay details", _impact_lines(report, markdown=True)))
    detail: list[str] = []
    for change in report.changes:
        detail.extend(_entry_lines(change, markdown=True))
    if detail:
        room = MARKDOWN_LIMIT - sum(len(p) + 2 for p in parts) - 200
        parts.append(_collapsed("规则变化详情 / rule change details", detail, room))
    return "\n\n".join(parts)


def _collapsed(summary: str, lines: list[str], room: int = MARKDOWN_LIMIT) -> str:
    """``lines`` in a ``<details>`` section, cut to ``room`` characters (and saying so)."""
    body = "\n".join(lines)
    if len(body) > room:
        body = body[: max(room, 0)].rsplit("\n", 1)[0]
        body += "\n\n…（已截断，完整内容见 --format json） / (cut; --format json has it all)"
    return f"<details>\n<summary>{summary}</summary>\n\n{body}\n\n</details>"
