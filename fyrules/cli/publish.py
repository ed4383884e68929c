"""``fyrules publish RULEBOOK --out DIR``: the publicity sheets (一事一表), the catalog index and,
with ``--events``, the month's ranking pages.

What is published goes to the public, so the rulebook is checked first, as ``fyrules check``
does (catalog rules included): with an error, nothing is written."""

from __future__ import annotations

import argparse
import sys

from ..engine.problems import UsageError
from ..engine.testing.report import problems_report
from . import score
from ._common import EXIT_OK, date_arg, emit, rulebook_path

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
    from ..items.publicity import PublishError, publish
    from ..rulebook import check

    result = check(rulebook_path(args.rulebook), today=args.date)
    rulebook = result.rulebook
    if rulebook is None or not result.ok:
        emit(problems_report(list(result.problems), "text", tool_target=args.rulebook), None)
        raise UsageError("规则集有错误，未发布 / the rulebook has errors; nothing published")
    writers = score.publish_writers(rulebook, args)
    try:
        written = publish(rulebook, args.out, published_on=args.date, writers=writers)
    except PublishError as exc:
        raise UsageError(str(exc)) from None
    sys.stdout.write(f"{len(written)} 个文件已写入 / files written to {args.out}\n")
    return EXIT_OK
