"""Score a month of cases into the efficiency index, the way a supervision system would.

    python examples/embedding/score_month.py [EVENTS.jsonl] [--month YYYY-MM]

Without EVENTS, a reproducible month of 1,500 Fuyang cases is generated in memory. The month
is replayed and scored under the scheme version in force (``rb.score``); the script prints the
ranking (ties share a rank: 1, 2, 2, 4), then the scorecard of the best window with every
indicator's value, points and legal basis, as the public notice would explain it.
docs/scoring.md, docs/embedding.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import fyrules
from fyrules.simulation.cases import generate

FUYANG = Path(__file__).resolve().parent.parent / "fuyang"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("events", nargs="?", help="events (JSON Lines); default: generated")
    parser.add_argument("--month", default="2025-10")
    parser.add_argument("--rulebook", default=str(FUYANG))
    args = parser.parse_args(argv)
    try:
        rb = fyrules.load(args.rulebook)
    except fyrules.RulebookError as error:
        for problem in error.problems:
            print(problem.format(), file=sys.stderr)
        return 2
    events = args.events or list(generate(rb, month=args.month, cases=1500, seed=7))
    try:
        result = rb.score(events, month=args.month)
    except (fyrules.FyrulesError, ValueError) as error:
        print(f"cannot score: {error}", file=sys.stderr)
        return 2

    print(f"{result.scheme.title_en} {result.scheme.version}, {args.month}:")
    for row in result.rows:
        stats = row.stats
        print(
            f"  {row.rank:>2}. {row.unit:4} {row.score:6.2f}  {row.name_en}"
            f"  (accepted {stats.accepted}, closing rate {stats.closing_rate:.1%})"
        )
    best = result.rows[0]
    print(f"why {best.unit} scored {best.score:.2f}:")
    for line in best.card.lines:
        value = "—" if line.value is None else f"{line.value:.4g}"
        band = f" band {line.band}" if line.band else ""
        print(
            f"  {line.indicator:22} value {value:>8}{band}: {line.points:.2f}/{line.weight:g}"
            f"  [{line.basis[:40]}]"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
