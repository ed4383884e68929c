"""Working-day arithmetic: fyrules' ``WorkingCalendar`` against ``holidays``' own methods.

Both sides answer the same random questions in the same run: "the n-th working day after d"
(``add_working_days`` vs ``get_nth_working_day``) and "working days from a to b, both included"
(``count_working_days`` vs ``get_working_days_count``), and must give the same answers. The
numbers of working days are the time limits of Fuyang's catalog (each item's statutory and
committed days, drawn at random), as a deadline computation asks them. Both sides are timed
over the same number of rounds, best kept, with the spread over rounds shown.
design.md asks for at least 50 times the peer's speed.

    python benchmarks/bench_calendar.py [--operations N] [--seed S]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

try:
    from fyrules.deadlines import WorkingCalendar
except ImportError:  # run from a checkout that is not installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from fyrules.deadlines import WorkingCalendar

import holidays

TARGET_RATIO = 50.0
ROUNDS = 3  # for both sides
FUYANG = Path(__file__).resolve().parents[1] / "examples" / "fuyang"


def catalog_limits() -> list[int]:
    """The time limits (working days, above 0) of Fuyang's items: statutory and committed."""
    import fyrules

    limits = []
    for item in fyrules.load(FUYANG).items.items.values():
        limits += [d for d in (item.statutory_days, item.committed_days) if d]
    return limits


def _inputs(
    operations: int, seed: int
) -> tuple[list[tuple[dt.date, int]], list[tuple[dt.date, dt.date]]]:
    """Start days in 2015–2025, time limits from Fuyang's catalog, spans of up to 120 days."""
    rnd = random.Random(seed)
    limits = catalog_limits()
    first = dt.date(2015, 1, 1).toordinal()
    last = dt.date(2025, 12, 31).toordinal()
    adds, counts = [], []
    for _ in range(operations):
        start = dt.date.fromordinal(rnd.randint(first, last))
        adds.append((start, rnd.choice(limits)))
        counts.append((start, start + dt.timedelta(days=rnd.randint(0, 120))))
    return adds, counts


def _rate(
    call: Callable[[object, object], object], pairs: Sequence[tuple], rounds: int = ROUNDS
) -> tuple[float, list, float]:
    """Operations per second of ``call`` over ``pairs`` (best of ``rounds``), its answers, and
    the slowest round's rate."""
    times = []
    answers: list = []
    for _ in range(rounds):
        began = time.perf_counter()
        answers = [call(a, b) for a, b in pairs]
        times.append(time.perf_counter() - began)
    return len(pairs) / min(times), answers, len(pairs) / max(times)


def run(operations: int = 20_000, seed: int = 20251009) -> dict:
    """Measure both sides on the same inputs; return the rates and their ratios."""
    adds, counts = _inputs(operations, seed)
    calendar = WorkingCalendar(2026)
    peer = holidays.China(years=range(calendar.first_year, calendar.last_year + 1))

    ours_add, our_days, ours_add_low = _rate(calendar.add_working_days, adds)
    peer_add, peer_days, peer_add_low = _rate(peer.get_nth_working_day, adds)
    ours_count, our_counts, ours_count_low = _rate(calendar.count_working_days, counts)
    peer_count, peer_counts, peer_count_low = _rate(peer.get_working_days_count, counts)
    if our_days != peer_days or our_counts != peer_counts:
        raise AssertionError("fyrules and holidays disagree on the same inputs")

    return {
        "operations": operations,
        "seed": seed,
        "fyrules_adds_per_s": round(ours_add),
        "holidays_adds_per_s": round(peer_add),
        "add_ratio": round(ours_add / peer_add, 1),
        "add_ratio_worst_rounds": round(ours_add_low / peer_add_low, 1),
        "fyrules_counts_per_s": round(ours_count),
        "holidays_counts_per_s": round(peer_count),
        "count_ratio": round(ours_count / peer_count, 1),
        "count_ratio_worst_rounds": round(ours_count_low / peer_count_low, 1),
        "rounds": ROUNDS,
        "target_ratio": TARGET_RATIO,
        "meets_target": ours_add / peer_add >= TARGET_RATIO
        and ours_count / peer_count >= TARGET_RATIO,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--operations", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=20251009)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    result = run(args.operations, args.seed)
    if args.json:
        print(json.dumps(result))
        return 0
    print(
        f"working-day arithmetic, {result['operations']:,} random questions (limits from "
        f"Fuyang's catalog), same answers, best of {result['rounds']} rounds each side"
    )
    print(
        f"  add:   fyrules {result['fyrules_adds_per_s']:>12,}/s   "
        f"holidays {result['holidays_adds_per_s']:>9,}/s   ratio {result['add_ratio']:,}x "
        f"(slowest rounds: {result['add_ratio_worst_rounds']:,}x)"
    )
    print(
        f"  count: fyrules {result['fyrules_counts_per_s']:>12,}/s   "
        f"holidays {result['holidays_counts_per_s']:>9,}/s   ratio {result['count_ratio']:,}x "
        f"(slowest rounds: {result['count_ratio_worst_rounds']:,}x)"
    )
    verdict = "meets" if result["meets_target"] else "MISSES"
    print(f"  target: at least {TARGET_RATIO:g}x holidays' own methods: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
