"""``fyrules diff OLD NEW``: what a rule change does, before it is made.

    fyrules diff OLD NEW [--events FILE --month YYYY-MM] [--fail-on loosened]
                 [--format text|json|markdown] [--output FILE]
    fyrules diff OLD NEW --store PATH|URL --month YYYY-MM   (the events a store's monitor
                 decided, as they were delivered: its delivery log, every partition's)

Exit 0 when nothing changes, 1 when something does (with ``--fail-on loosened``: only when
NEW loosens OLD), 2 on bad input: a folder that is not a rulebook or does not load, an events
file that does not exist, a month that is not ``YYYY-MM``.

Both sides are loaded, not checked (only ``check`` and ``test`` run the static checks): what
only ``fyrules check`` reports, a catalog rule broken say, does not stop the diff, and the
report shows each side's catalog-rule findings for the items that changed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..diff.render import FORMATS, render
from ..engine.problems import UsageError
from ._common import loaded

EXIT_SAME, EXIT_CHANGED, EXIT_BAD_INPUT = 0, 1, 2
HELP = "what a rule change does: semantic diff and replayed impact"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("old", metavar="OLD", help="the rulebook before the change (a folder)")
    p.add_argument("new", metavar="NEW", help="the rulebook after the change (a folder)")
    p.add_argument("--events", metavar="FILE", help="events (JSON Lines) to replay under both")
    p.add_argument(
        "--store",
        metavar="PATH|URL",
        help="instead of --events: replay the events this store's monitor decided (accepted "
        "and rejected), exactly as they were delivered (its delivery log; every partition)",
    )
    p.add_argument(
        "--month",
        metavar="YYYY-MM",
        help="the month of --events (or --store) ranked (required with it)",
    )
    p.add_argument(
        "--fail-on",
        choices=("loosened",),
        default=None,
        help="exit 1 only when NEW loosens OLD (a longer limit, a removed constraint, a lower threshold)",
    )
    p.add_argument("--format", choices=FORMATS, default="text", help="output format")
    p.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE")


def run(args: argparse.Namespace) -> int:
    """Compare, print, and exit as the gate asks. Bad input raises :class:`UsageError`."""
    from ..diff import diff_rulebooks

    store = getattr(args, "store", None)
    if args.events is not None and store is not None:
        raise UsageError("--events 与 --store 只能给一个 / give --events or --store, not both")
    if (args.events is None and store is None) != (args.month is None):
        raise UsageError("--events 与 --month 须同时给出 / --events and --month go together")
    old, new = loaded(args.old, "旧 / OLD"), loaded(args.new, "新 / NEW")
    if args.events is not None and not Path(args.events).is_file():
        raise UsageError(f"{args.events}: 事件文件不存在 / the events file does not exist")
    events: Any = args.events
    if store is not None:
        from ._store import delivered_events

        events = delivered_events(store)
    try:
        report = diff_rulebooks(old, new, events=events, month=args.month, source=store)
    except ValueError as exc:  # the month
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"{args.events}: {exc.strerror}") from None
    text = render(report, args.format)
    if args.output:
        try:
            Path(args.output).write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {args.output}: {exc.strerror}") from None
    else:
        sys.stdout.write(text + "\n")
    if args.fail_on == "loosened":
        return EXIT_CHANGED if report.loosened else EXIT_SAME
    return EXIT_CHANGED if report.changed else EXIT_SAME
