"""The result of ``fyrules verify``'s search as people and CI read it: text, JSON, SARIF, JUnit;
each broken invariant an ``INVARIANT-BROKEN`` problem at the invariant's file and line."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..engine.problems import Problem
from ..engine.testing.report import problems_report

if TYPE_CHECKING:
    from .search import SearchResult

FORMATS = ("text", "json", "sarif", "junit")


def report(
    result: SearchResult,
    fmt: str,
    *,
    lang: Any = "both",
    saved: Sequence[str] = (),
    target: str = "",
) -> str:
    """The search's result in ``fmt`` (text, json, sarif, junit)."""
    found = result.counterexample
    problems = problems_of(result)
    if fmt in ("sarif", "junit"):
        return problems_report(problems, fmt, lang=lang, tool_target=target)
    if fmt == "json":
        return json.dumps(
            {
                "target": target,
                "invariants": list(result.invariants),
                "examples": result.examples,
                "seed": result.seed,
                "seconds": round(result.seconds, 2),
                "counterexample": None
                if found is None
                else {
                    "broken": [f.to_dict() for f in found.broken],
                    "as_of": found.as_of.isoformat() if found.as_of else None,
                    "events": [e.model_dump(mode="json") for e in found.events],
                },
                "saved": saved,
            },
            ensure_ascii=False,
            indent=2,
        )

    def say(zh: str, en: str) -> str:
        return {"zh": zh, "en": en}.get(lang, f"{zh} / {en}")

    lines = []
    summary_zh = (
        f"{len(result.invariants)} 条不变式，试了 {result.examples} 个事件序列"
        f"（种子 {result.seed}，{result.seconds:.1f} 秒）"
    )
    summary_en = (
        f"{len(result.invariants)} invariant(s), {result.examples} event stream(s) tried "
        f"(seed {result.seed}, {result.seconds:.1f} s)"
    )
    if not result.invariants:
        lines.append(
            say(
                "规则集没有声明不变式，无可验证",
                "the rulebook declares no invariants: nothing to verify",
            )
        )
    elif result.examples == 0:
        lines.append(
            say(
                "规则集没有进驻中心的事项，无法构造案件，未做搜索；请对有事项目录的规则集运行",
                "the rulebook has no centralized items to build cases from: nothing was "
                "searched; run it on a rulebook with a catalog",
            )
        )
    elif found is None:
        lines.append(say(f"没有找到反例：{summary_zh}", f"no counterexample: {summary_en}"))
    else:
        lines.append(say(f"找到反例：{summary_zh}", f"counterexample found: {summary_en}"))
        for p in problems:
            lines.append(p.format(lang))
        lines.append("")
        lines.append(
            say(
                "复现事件（JSON Lines，可用 fyrules evaluate 回放）：",
                "the events that reproduce it (JSON Lines, replay them with fyrules evaluate):",
            )
        )
        lines.append(found.jsonl().rstrip("\n"))
    for path in saved:
        lines.append(say(f"已保存为规则集测试：{path}", f"saved as a rulebook test: {path}"))
    return "\n".join(lines)


def problems_of(result: SearchResult) -> list[Problem]:
    """Each broken invariant as an INVARIANT-BROKEN problem at the invariant's place."""
    found = result.counterexample
    if found is None:
        return []
    out = []
    for f in found.broken:
        who_zh = f"{'人员' if f.subject_kind == 'person' else '案件'} {f.subject}"
        who = f"{f.subject_kind} {f.subject}"
        out.append(
            Problem(
                "INVARIANT-BROKEN",
                f"{who_zh}：{f.message_zh}。依据：{f.basis}。请补上或改正应拒收这些事件或报告发现的规则",
                f"{who}: {f.message_en}. Basis: {f.basis}. Add or fix the rule that should "
                "refuse these events or report the finding",
                f.rule_location,
                f.rule,
                f.severity,
            )
        )
    return out
