"""``fyrules verify RULEBOOK``: search for event streams the monitor accepts that break an
invariant. Exit 0 when none is found, 1 on a counterexample, 2 on bad input.

Options: ``--max-examples N``, ``--seed S`` (the same seed gives the same search),
``--save DIR`` (the counterexample as a rulebook test that ``fyrules test`` runs),
``--format text|json|sarif|junit``, ``--lang``, ``--output FILE``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..engine.problems import Problem, UsageError
from ..engine.report import problems_report
from .universe import DEFAULT_MAX_EXAMPLES

if TYPE_CHECKING:
    from .search import SearchResult

FORMATS = ("text", "json", "sarif", "junit")
EXIT_OK, EXIT_FOUND = 0, 1


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("rulebook", help="rulebook folder (holding rulebook.yaml)")
    p.add_argument(
        "--max-examples",
        type=int,
        default=DEFAULT_MAX_EXAMPLES,
        metavar="N",
        help=f"event streams to try (default {DEFAULT_MAX_EXAMPLES}, about a minute)",
    )
    p.add_argument("--seed", type=int, default=0, metavar="S", help="search seed (default 0)")
    p.add_argument(
        "--save",
        metavar="DIR",
        help="write the counterexample as a rulebook test into DIR (inside the rulebook, so "
        "`fyrules test` runs it)",
    )
    p.add_argument("--format", choices=FORMATS, default="text", help="output format")
    p.add_argument("--lang", choices=("zh", "en", "both"), default="both")
    p.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE")


def run(args: argparse.Namespace) -> int:
    """Search, report, save; the exit code (bad input raises UsageError: exit 2)."""
    if args.max_examples < 1:
        raise UsageError("--max-examples 须为正整数 / --max-examples must be a positive number")
    try:
        from .save import save_tests
        from .search import search
    except ImportError as exc:  # Hypothesis is the `verify` extra
        raise UsageError(
            f"fyrules verify 需要 Hypothesis，请安装：pip install 'fyrules[verify]' / fyrules verify "
            f"needs Hypothesis: pip install 'fyrules[verify]' ({exc})"
        ) from None
    rulebook = _load(args.rulebook)
    result = search(rulebook, max_examples=args.max_examples, seed=args.seed)
    saved: list[str] = []
    if args.save and result.counterexample is not None:
        saved = save_tests(rulebook, result.counterexample, Path(args.save), seed=args.seed)
    text = report(result, args.format, lang=args.lang, saved=saved, target=args.rulebook)
    if args.output:
        try:
            Path(args.output).write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"{args.output}: {exc.strerror}") from None
    else:
        sys.stdout.write(text + "\n")
    return EXIT_FOUND if result.counterexample is not None else EXIT_OK


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


def _load(path: str) -> Any:
    """The rulebook at ``path`` as :func:`fyrules.load` compiles it; its errors are exit 2.
    (The static checks of ``fyrules check`` are not required: a rulebook whose own tests name
    a rule just removed can still be searched.)"""
    from ..engine.problems import RulebookError
    from ..rulebook import load

    if not Path(path).exists():
        raise UsageError(f"{path}: 不存在 / does not exist")
    try:
        return load(path)
    except RulebookError as exc:
        for problem in exc.problems[:20]:
            sys.stderr.write(problem.format() + "\n")
        raise UsageError(
            "规则集有错误，请先改正（fyrules check 列出全部） / the rulebook has errors; fix them "
            "first (fyrules check lists them all)"
        ) from None
