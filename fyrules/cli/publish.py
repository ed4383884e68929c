"""``fyrules publish RULEBOOK --out DIR``: the publicity sheets (一事一表), the catalog index and,
with ``--events``, the month's ranking pages.

What is published goes to the public, so the rulebook is loaded (errors that stop it loading
are exit 2) and its catalog rules run first, as ``fyrules check`` runs them: with an error at
error level, the problems are reported as check reports them and nothing is written. The other
static checks (decision tables, rulebook tests …) are ``fyrules check``'s alone."""

from __future__ import annotations

import argparse
import sys

from ..engine.problems import UsageError, has_errors, sort_problems
from ..engine.testing.report import problems_report
from . import score
from ._common import EXIT_OK, date_arg, emit, loaded

HELP = "write the publicity sheets (一事一表) and catalog index"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("rulebook")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder (created if missing)")
    p.add_argument(
        "--date",
        type=date_arg,
        default=None,
        help="publication date printed on the pages (YYYY-MM-DD)",
    )
    score.add_publish_arguments(p)


def run(args: argparse.Namespace) -> int:
    from zoneinfo import ZoneInfo

    from .._today import today
    from ..items.catalog import catalog_problems
    from ..items.publicity import PublishError, publish

    rulebook = loaded(args.rulebook)
    on = args.date or today(ZoneInfo(rulebook.timezone))
    problems = sort_problems(catalog_problems(rulebook, today=on))
    if has_errors(problems):
        emit(problems_report(problems, "text", tool_target=args.rulebook), None)
        raise UsageError("规则集有错误，未发布 / the rulebook has errors; nothing published")
    writers = score.publish_writers(rulebook, args)
    try:
        written = publish(rulebook, args.out, published_on=args.date, writers=writers)
    except PublishError as exc:
        raise UsageError(str(exc)) from None
    sys.stdout.write(f"{len(written)} 个文件已写入 / files written to {args.out}\n")
    return EXIT_OK
