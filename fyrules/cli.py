"""The ``fyrules`` command.

Exit codes (docs/architecture.md, docs/cli.md): 0 valid or passing, 1 problems found or tests failing, 2 could not run
(bad arguments, a path that does not exist, an internal failure). No input gives a traceback;
set ``FYRULES_DEBUG=1`` to see one for an internal failure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ._version import __version__
from .engine.problems import Lang, Problem, UsageError
from .engine.report import FORMATS, problems_report, tests_report

EXIT_OK, EXIT_PROBLEMS, EXIT_CANNOT_RUN = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fyrules",
        description="fyrules: 行政审批规则引擎 / declarative rules for administrative approval",
    )
    parser.add_argument("--version", action="version", version=f"fyrules {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def common(p: argparse.ArgumentParser, formats: Sequence[str]) -> None:
        p.add_argument("--format", choices=formats, default="text", help="output format")
        p.add_argument(
            "--lang",
            choices=("zh", "en", "both"),
            default="both",
            help="language of messages (默认中英文 / default both)",
        )
        p.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE")

    p = sub.add_parser("check", help="validate every file, rule and citation of a rulebook")
    p.add_argument("rulebook", help="rulebook folder (holding rulebook.yaml)")
    today_argument(p)
    p.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 1)")
    common(p, FORMATS)
    p.set_defaults(run=cmd_check)

    p = sub.add_parser("test", help="run the rulebook's own test cases")
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
    common(p, FORMATS)
    p.set_defaults(run=cmd_test)

    p = sub.add_parser("deadline", help="due dates of an item accepted at a time, or of a case")
    p.add_argument("rulebook")
    p.add_argument("--item", metavar="CODE", help="item code")
    p.add_argument(
        "--accepted", metavar="TIME", help="acceptance time (ISO, e.g. 2025-10-09T09:30+08:00)"
    )
    p.add_argument("--events", metavar="FILE", help="events (JSON Lines) of a real case")
    p.add_argument("--case", metavar="ID", help="the case in --events")
    p.add_argument("--at", metavar="TIME", help="as of this time (default: the last event)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(run=cmd_deadline)

    from .deadlines.calendar_cli import add_arguments as calendar_arguments

    p = sub.add_parser("calendar", help="working days of a rulebook: add, count, why, hours")
    calendar_arguments(p)
    p.set_defaults(run=cmd_calendar)

    p = sub.add_parser("evaluate", help="replay events (JSON Lines) and print the findings")
    p.add_argument("rulebook")
    p.add_argument("events", help="events file (JSON Lines)")
    p.add_argument("--at", metavar="TIME", help="evaluate open cases as of TIME (ISO)")
    p.add_argument("--explain", action="store_true", help="add each finding's trace")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--lang", choices=("zh", "en", "both"), default="both")
    p.add_argument(
        "--store",
        metavar="PATH",
        help="replay into this SQLite file (created, or continued: ids already in it are duplicates)",
    )
    p.set_defaults(run=cmd_evaluate)

    p = sub.add_parser(
        "generate", help="a realistic, reproducible month of case events (JSON Lines)"
    )
    p.add_argument("rulebook")
    p.add_argument("--month", required=True, metavar="YYYY-MM")
    p.add_argument("--cases", type=int, default=1000, metavar="N")
    p.add_argument("--seed", type=int, default=1, metavar="S")
    p.add_argument(
        "--faults",
        action="store_true",
        help="mix in duplicate deliveries and events their process refuses",
    )
    p.add_argument(
        "--output", "-o", metavar="FILE", help="write to FILE (default: standard output)"
    )
    p.set_defaults(run=cmd_generate)

    from .scoring.cli import add_arguments as score_arguments

    p = sub.add_parser("score", help="monthly scorecards and ranking (efficiency index)")
    score_arguments(p)
    p.set_defaults(run=cmd_score)

    p = sub.add_parser("schema", help="print the JSON Schema of rule files, for editors")
    p.add_argument("--output", "-o", metavar="FILE", help="write the schema to FILE")
    p.set_defaults(run=cmd_schema)

    p = sub.add_parser("import-catalog", help="item files from a CSV or XLSX item list (事项清单)")
    p.add_argument("sheet_file", metavar="SHEET", help="the item list (.csv or .xlsx)")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder (created if missing)")
    p.add_argument("--sheet", dest="sheet_name", metavar="NAME", help="worksheet of an .xlsx file")
    p.add_argument("--mapping", metavar="FILE", help="YAML: column header → field")
    p.add_argument(
        "--partial", action="store_true", help="write the good rows even if some are bad"
    )
    p.add_argument("--force", action="store_true", help="replace files that already exist")
    common(p, FORMATS)
    p.set_defaults(run=cmd_import_catalog)

    p = sub.add_parser("publish", help="write the publicity sheets (一事一表) and catalog index")
    p.add_argument("rulebook")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder (created if missing)")
    p.add_argument(
        "--date",
        type=_date,
        default=None,
        help="publication date printed on the pages (YYYY-MM-DD)",
    )
    from .scoring.cli import add_publish_arguments

    add_publish_arguments(p)
    p.set_defaults(run=cmd_publish)

    from .cases.trail_cli import add_arguments as trail_arguments

    p = sub.add_parser("trail", help="the tamper-evident trail (留痕): verify an exported trail")
    trail_arguments(p)
    p.set_defaults(run=cmd_trail)

    from .separation.inspect_cli import add_arguments as inspect_arguments

    p = sub.add_parser(
        "inspect", help="the month's random inspection draw (双随机), or its notification report"
    )
    inspect_arguments(p)
    p.set_defaults(run=cmd_inspect)

    from .diff.cli import add_arguments as diff_arguments
    from .diff.cli import run as run_diff

    p = sub.add_parser("diff", help="what a rule change does: semantic diff and replayed impact")
    diff_arguments(p)
    p.set_defaults(run=run_diff)

    from . import serve_cli, token_cli  # argparse only: the web adapter loads when they run

    p = sub.add_parser("serve", help="the HTTP service for case systems, supervisors, applicants")
    serve_cli.add_arguments(p)
    p.set_defaults(run=serve_cli.run)

    p = sub.add_parser("token", help="bearer tokens of the HTTP service: add one")
    token_cli.add_arguments(p)
    p.set_defaults(run=token_cli.run)

    p = sub.add_parser(
        "demo", help="the whole job on the Fuyang rulebook: a month from rules to ranking"
    )
    p.add_argument(
        "--rulebook",
        metavar="DIR",
        help="rulebook folder (default: the Fuyang rulebook shipped with fyrules)",
    )
    today_argument(p)
    p.add_argument("--out", default="out", metavar="DIR", help="output folder (default out)")
    p.add_argument("--month", default="2025-10", metavar="YYYY-MM")
    p.add_argument("--cases", type=int, default=4000, metavar="N")
    p.add_argument("--seed", type=int, default=7, metavar="S")
    p.add_argument(
        "--public-value",
        default="3310.27",
        metavar="TEXT",
        help="the public value the inspection draw is seeded from",
    )
    p.add_argument("--lang", choices=("zh", "en", "both"), default="both")
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
    p.set_defaults(run=cmd_demo)

    p = sub.add_parser(
        "example",
        help="copy an example rulebook shipped with fyrules into a folder, to read, check and edit",
    )
    p.add_argument("out", metavar="DIR", help="the new folder (must not exist, or be empty)")
    p.add_argument(
        "--name", default="fuyang", help="which example (default fuyang, the Fuyang rulebook)"
    )
    p.set_defaults(run=cmd_example)
    return parser


def today_argument(p: argparse.ArgumentParser) -> None:
    """``--today``: the date a command's checks run as of (default: ``FYRULES_TODAY``, else the
    system's date in the rulebook's time zone)."""
    p.add_argument(
        "--today",
        type=_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="the date checks run as of (default: $FYRULES_TODAY, else today)",
    )


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _emit(text: str, output: str | None) -> None:
    if output:
        try:
            Path(output).write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {output}: {exc.strerror}") from None
    else:
        sys.stdout.write(text + "\n")


def _rulebook_path(text: str) -> Path:
    path = Path(text)
    if not path.exists():
        raise UsageError(f"{text}: 不存在 / does not exist")
    return path


def cmd_check(args: argparse.Namespace) -> int:
    from .rulebook import check

    result = check(_rulebook_path(args.rulebook), today=args.today)
    problems: list[Problem] = list(result.problems)
    lang: Lang = args.lang
    _emit(problems_report(problems, args.format, lang=lang, tool_target=args.rulebook), args.output)
    failing = [
        p for p in problems if p.severity == "error" or (args.strict and p.severity == "warning")
    ]
    return EXIT_PROBLEMS if failing else EXIT_OK


def cmd_test(args: argparse.Namespace) -> int:
    from .rulebook import check

    result = check(_rulebook_path(args.rulebook), today=args.today)
    errors = [p for p in result.problems if p.severity == "error"]
    if result.rulebook is None or errors:
        _emit(
            problems_report(errors, args.format, lang=args.lang, tool_target=args.rulebook),
            args.output,
        )
        sys.stderr.write(
            "fyrules test: 规则集有错误，未运行测试 / the rulebook has errors; tests not run\n"
        )
        return EXIT_PROBLEMS
    report = result.rulebook.run_tests()
    show_coverage = args.coverage or args.min_coverage is not None
    _emit(tests_report(report, args.format, lang=args.lang, coverage=show_coverage), args.output)
    if not report.passed:
        return EXIT_PROBLEMS
    if args.min_coverage is not None and report.coverage.percent < args.min_coverage:
        sys.stderr.write(
            f"COVERAGE-LOW: 覆盖率 {report.coverage.percent:.1f}% 低于要求的 {args.min_coverage:g}% / "
            f"coverage {report.coverage.percent:.1f}% is below the required {args.min_coverage:g}%\n"
        )
        return EXIT_PROBLEMS
    return EXIT_OK


def _loaded(path: str) -> Any:
    """A rulebook for a command that needs one working; its errors are exit 2."""
    from .rulebook import check

    result = check(_rulebook_path(path))
    errors = [p for p in result.problems if p.severity == "error"]
    if result.rulebook is None or errors:
        for problem in errors[:20]:
            sys.stderr.write(problem.format() + "\n")
        raise UsageError("规则集有错误 / the rulebook has errors")
    return result.rulebook


def cmd_deadline(args: argparse.Namespace) -> int:
    from .deadlines.deadline_cli import run

    rulebook = _loaded(args.rulebook)
    text, code = run(rulebook, args)
    sys.stdout.write(text + "\n")
    return code


def cmd_calendar(args: argparse.Namespace) -> int:
    from .deadlines.calendar_cli import run

    sys.stdout.write(run(args) + "\n")
    return EXIT_OK


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .cases.evaluate_cli import run

    rulebook = _loaded(args.rulebook)
    if not Path(args.events).is_file():
        raise UsageError(f"{args.events}: 不存在 / does not exist")
    text, code = run(rulebook, args)
    sys.stdout.write(text + "\n")
    return code


def cmd_generate(args: argparse.Namespace) -> int:
    from .cases.generate import generate, parse_month, write_jsonl

    rulebook = _loaded(args.rulebook)
    try:
        parse_month(args.month)
        if args.cases < 0:
            raise ValueError("--cases 不能为负 / --cases cannot be negative")
        events = generate(
            rulebook, month=args.month, cases=args.cases, seed=args.seed, faults=args.faults
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8") as out:
                n = write_jsonl(events, out)
        except OSError as exc:
            raise UsageError(f"cannot write {args.output}: {exc.strerror}") from None
        sys.stderr.write(f"{n} events → {args.output}\n")
    else:
        write_jsonl(events, sys.stdout)
    return EXIT_OK


def cmd_score(args: argparse.Namespace) -> int:
    from .scoring.cli import run

    rulebook = _loaded(args.rulebook)
    _emit(run(rulebook, args), args.output)
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from .schema import rule_file_schema

    _emit(json.dumps(rule_file_schema(), ensure_ascii=False, indent=2), args.output)
    return EXIT_OK


def cmd_import_catalog(args: argparse.Namespace) -> int:
    from .items.importer import import_catalog

    outcome = import_catalog(
        args.sheet_file,
        args.out,
        sheet_name=args.sheet_name,
        mapping=args.mapping,
        partial=args.partial,
        force=args.force,
    )
    _emit(outcome.report(args.format, lang=args.lang, target=args.sheet_file), args.output)
    if args.format != "text":
        sys.stderr.write(outcome.summary(args.lang) + "\n")
    return outcome.exit_code


def cmd_publish(args: argparse.Namespace) -> int:
    from .items.publicity import PublishError, publish
    from .rulebook import check

    result = check(_rulebook_path(args.rulebook), today=args.date)
    if result.rulebook is None or not result.ok:
        _emit(problems_report(list(result.problems), "text", tool_target=args.rulebook), None)
        raise UsageError("规则集有错误，未发布 / the rulebook has errors; nothing published")
    from .scoring.cli import publish_writers

    writers = publish_writers(result.rulebook, args)
    try:
        written = publish(result.rulebook, args.out, published_on=args.date, writers=writers)
    except PublishError as exc:
        raise UsageError(str(exc)) from None
    sys.stdout.write(f"{len(written)} 个文件已写入 / files written to {args.out}\n")
    return EXIT_OK


def cmd_trail(args: argparse.Namespace) -> int:
    from .cases.trail_cli import run

    text, code = run(args)
    sys.stdout.write(text + "\n")
    return code


def cmd_inspect(args: argparse.Namespace) -> int:
    from .separation.inspect_cli import run

    rulebook = _loaded(args.rulebook)
    text, code = run(rulebook, args)
    _emit(text, args.output)
    return code


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import run_demo

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
    return EXIT_OK


def cmd_example(args: argparse.Namespace) -> int:
    import shutil

    from .examples import rulebook_path

    source = rulebook_path(args.name)
    target = Path(args.out)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(
            f"{target}: 已存在且不是空文件夹，请换一个新文件夹 / already exists and is not an empty "
            "folder; name a new one"
        )
    try:
        shutil.copytree(source, target, dirs_exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{target}: {exc.strerror}") from None
    sys.stdout.write(
        f"已复制示例规则集 {args.name} 到 {target}，可以运行 fyrules check {target} / "
        f"copied the example rulebook {args.name} to {target}; next: fyrules check {target}\n"
    )
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed the usage error
        return EXIT_CANNOT_RUN if exc.code not in (0, None) else EXIT_OK
    run: Callable[[argparse.Namespace], int] | None = getattr(args, "run", None)
    if run is None:
        parser.print_help()
        return EXIT_CANNOT_RUN
    try:
        return run(args)
    except UsageError as exc:
        sys.stderr.write(f"fyrules {args.command}: {exc}\n")
        return EXIT_CANNOT_RUN
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # an internal failure: never show users a raw traceback
        if os.environ.get("FYRULES_DEBUG"):
            traceback.print_exc()
        sys.stderr.write(
            f"fyrules {args.command}: 内部错误 / internal error: {type(exc).__name__}: {exc}\n"
            "(set FYRULES_DEBUG=1 for details; please report it)\n"
        )
        return EXIT_CANNOT_RUN


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
