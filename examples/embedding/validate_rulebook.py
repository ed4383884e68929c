"""Validate a rulebook from a host system (an editing portal, an upload form) and show its
problems as JSON, without ever raising on a bad rulebook.

    python examples/embedding/validate_rulebook.py [RULEBOOK] [--today YYYY-MM-DD]

`fyrules.check` returns every problem — file, line, column, code, rule, message in Chinese and
English — and the compiled rulebook when there is no error. Default: examples/broken, a rulebook
that is wrong on purpose. Exit 0 valid, 1 problems, as `fyrules check`. docs/embedding.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import Counter
from pathlib import Path

import fyrules

BROKEN = Path(__file__).resolve().parent.parent / "broken"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rulebook", nargs="?", default=str(BROKEN))
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None)
    args = parser.parse_args(argv)

    result = fyrules.check(args.rulebook, today=args.today)
    by_severity = Counter(p.severity for p in result.problems)
    print(
        f"{args.rulebook}: {'valid' if result.ok else 'not valid'}; "
        f"{by_severity['error']} error(s), {by_severity['warning']} warning(s)"
    )
    for problem in result.problems[:3]:
        print(json.dumps(problem.to_dict(), ensure_ascii=False))
    if len(result.problems) > 3:
        print(f"… and {len(result.problems) - 3} more")
    if result.rulebook is not None:
        print(f"compiled: {result.rulebook.id}, {len(result.rulebook.items)} items")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
