"""``fyrules generate RULEBOOK --month YYYY-MM``: a realistic, reproducible month of case
events (JSON Lines)."""

from __future__ import annotations

import argparse
import sys

from ..engine.problems import UsageError
from ._common import EXIT_OK, loaded

HELP = "a realistic, reproducible month of case events (JSON Lines)"


def add_arguments(p: argparse.ArgumentParser) -> None:
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


def run(args: argparse.Namespace) -> int:
    from ..simulation.cases import generate, parse_month, write_jsonl

    rulebook = loaded(args.rulebook)
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
