"""``fyrules verify RULEBOOK``: search for event streams the monitor accepts that break an
invariant. Exit 0 when none is found, 1 on a counterexample, 2 on bad input.

Options: ``--max-examples N``, ``--seed S`` (the same seed gives the same search),
``--save DIR`` (the counterexample as a rulebook test that ``fyrules test`` runs),
``--format text|json|sarif|junit``, ``--lang``, ``--output FILE``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..engine.problems import UsageError
from ..verify.report import FORMATS, report
from ..verify.universe import DEFAULT_MAX_EXAMPLES

EXIT_OK, EXIT_FOUND = 0, 1
HELP = "search for event streams the monitor accepts that break an invariant"


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
        from ..verify.save import save_tests
        from ..verify.search import search
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
