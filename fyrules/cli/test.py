"""``fyrules test RULEBOOK``: run the rulebook's own test cases (after its checks)."""

from __future__ import annotations

import argparse
import sys

from ..engine.problems import Problem
from ..engine.testing.report import FORMATS, problems_report, tests_report
from ._common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    emit,
    painted,
    report_options,
    rulebook_path,
    today_argument,
)

HELP = "run the rulebook's own test cases"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("rulebook")
    p.add_argument(
        "--coverage", action="store_true", help="report which rules and provisions tests exercise"
    )
    p.add_argument(
        "--min-coverage",
        type=float,
        default=None,
        metavar="N",
        help="fail (exit 1) when coverage of rules and table rows is below N percent",
    )
    today_argument(p)
    report_options(p, FORMATS)


def run(args: argparse.Namespace) -> int:
    from ..rulebook import check

    result = check(rulebook_path(args.rulebook), today=args.today)
    errors = [p for p in result.problems if p.severity == "error"]
    if result.rulebook is None or errors:
        emit(
            problems_report(errors, args.format, lang=args.lang, tool_target=args.rulebook),
            args.output,
        )
        message = Problem(
            "TEST-INVALID", "规则集有错误，未运行测试", "the rulebook has errors; tests not run"
        ).message(args.lang)
        sys.stderr.write(f"fyrules test: {message}\n")
        return EXIT_PROBLEMS
    report = result.rulebook.run_tests()
    show_coverage = args.coverage or args.min_coverage is not None
    text = tests_report(report, args.format, lang=args.lang, coverage=show_coverage)
    emit(painted(text, args), args.output)
    if not report.passed:
        return EXIT_PROBLEMS
    if args.min_coverage is not None and report.coverage.percent < args.min_coverage:
        low = Problem(
            "COVERAGE-LOW",
            f"覆盖率 {report.coverage.percent:.1f}% 低于要求的 {args.min_coverage:g}%",
            f"coverage {report.coverage.percent:.1f}% is below the required {args.min_coverage:g}%",
        )
        sys.stderr.write(low.format(args.lang) + "\n")
        return EXIT_PROBLEMS
    return EXIT_OK
