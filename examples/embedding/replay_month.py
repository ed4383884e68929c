"""Replay a month of cases through the monitor and summarize what supervision found.

    python examples/embedding/replay_month.py [--month 2025-10] [--cases 300] [--seed 7]

Generates a realistic, reproducible month of events for the Fuyang rulebook (what
`fyrules generate` writes), replays it into an in-memory store that keeps the trail's head
only, and prints the counts, the findings by rule and the trail head to publish. docs/embedding.md, docs/monitoring.md.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import fyrules
from fyrules.simulation.cases import generate

FUYANG = Path(__file__).resolve().parent.parent / "fuyang"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--month", default="2025-10")
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    rb = fyrules.load(FUYANG)
    store = fyrules.MemoryStore(keep_trail=False)  # closed cases keep a summary (late ratings)
    monitor = rb.monitor(store=store)
    summary = monitor.feed_all(generate(rb, month=args.month, cases=args.cases, seed=args.seed))
    print(f"{args.month}: {args.cases} cases, {summary.events} events")
    print(
        f"  accepted {summary.accepted}, rejected {summary.rejected}, "
        f"duplicates {summary.duplicates}, finished {summary.cases_finished}"
    )
    findings = monitor.findings()
    print(f"findings: {len(findings)}")
    for rule, count in Counter(f.rule for f in findings).most_common(5):
        print(f"  {rule}: {count}")
    reasons = Counter(r["reason"] for r in monitor.rejected())
    by_reason = ", ".join(f"{r} {n}" for r, n in reasons.most_common()) or "none"
    print(f"rejected events by reason: {by_reason}")
    head = store.trail_head()
    print(f"trail head to publish: {head['index']}:{head['hash']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
