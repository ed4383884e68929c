"""Compiled rule conditions: fyrules' expressions against zen-engine's compiled expressions.

Both sides evaluate the same condition on the same random contexts in the same run, and
must give the same answers:

    age >= 18 and income < 30000 and region in ["A", "B"]

design.md asks for at least 3 times zen-engine's evaluations per second. Compile time per
expression (parse, check against the schema, generate and compile Python) is reported too.
If zen-engine is not installed (``pip install -e '.[bench]'``), fyrules' own figures are
still printed.

    python benchmarks/bench_expressions.py [--contexts N] [--seed S] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

try:
    from fyrules.engine.expr import BOOL, NUMBER, STRING, compile_expression, object_type
except ImportError:  # run from a checkout that is not installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from fyrules.engine.expr import BOOL, NUMBER, STRING, compile_expression, object_type

TARGET_RATIO = 3.0
CONDITION = 'age >= 18 and income < 30000 and region in ["A", "B"]'
ZEN_CONDITION = "age >= 18 and income < 30000 and region in ['A', 'B']"
SCHEMA = object_type("applicant", {"age": NUMBER, "income": NUMBER, "region": STRING})
# Conditions of the shapes rule files use, for the compile-time figure.
COMPILE_SAMPLES = (
    CONDITION,
    "income / 12 > 2500 or age < 18",
    "1 <= age < 65 and not (region == 'C')",
    "round(income * 0.8, 2) >= 1000 if region in ['A'] else income > 0",
    "abs(age - 40) <= 10 and min(age, 60) > 20 and max(income, 1) < 100000",
)


def _contexts(count: int, seed: int) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    return [
        {
            "age": rnd.randint(0, 90),
            "income": rnd.randint(0, 60_000),
            "region": rnd.choice("ABCD"),
        }
        for _ in range(count)
    ]


def _rate(
    evaluate: Callable[[Any], Any], contexts: Sequence[Any], seconds: float
) -> tuple[float, list[Any]]:
    """Evaluations per second (best pass over ``contexts`` within about ``seconds``)."""
    answers = [evaluate(c) for c in contexts]  # warm-up, and the answers to compare
    best = float("inf")
    deadline = time.perf_counter() + seconds
    while True:
        began = time.perf_counter()
        for context in contexts:
            evaluate(context)
        best = min(best, time.perf_counter() - began)
        if time.perf_counter() >= deadline:
            break
    return len(contexts) / best, answers


def _compile_time(repeat: int) -> float:
    """Microseconds to compile one expression (mean over the samples, best of ``repeat``)."""
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        for source in COMPILE_SAMPLES:
            compile_expression(source, SCHEMA)
        best = min(best, time.perf_counter() - began)
    return best / len(COMPILE_SAMPLES) * 1e6


def run(contexts: int = 10_000, seed: int = 20251009, seconds: float = 1.0) -> dict[str, Any]:
    """Measure fyrules and, if installed, zen-engine on the same contexts; return the figures."""
    data = _contexts(contexts, seed)
    condition = compile_expression(CONDITION, SCHEMA, expected=BOOL)
    ours, our_answers = _rate(condition, data, seconds)
    result: dict[str, Any] = {
        "condition": CONDITION,
        "contexts": contexts,
        "seed": seed,
        "fyrules_evaluations_per_s": round(ours),
        "fyrules_compile_us": round(_compile_time(repeat=200), 1),
        "target_ratio": TARGET_RATIO,
    }
    try:
        import zen
    except ImportError:
        result["zen_engine"] = "not installed (pip install zen-engine)"
        return result
    peer = zen.compile_expression(ZEN_CONDITION)
    theirs, their_answers = _rate(peer.evaluate, data, seconds)
    if our_answers != their_answers:
        raise AssertionError("fyrules and zen-engine disagree on the same contexts")
    began = time.perf_counter()
    for _ in range(200):
        zen.compile_expression(ZEN_CONDITION)
    result.update(
        zen_engine_evaluations_per_s=round(theirs),
        zen_engine_compile_us=round((time.perf_counter() - began) / 200 * 1e6, 1),
        ratio=round(ours / theirs, 2),
        meets_target=ours / theirs >= TARGET_RATIO,
    )
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contexts", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20251009)
    parser.add_argument("--seconds", type=float, default=1.0, help="time per side")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    result = run(args.contexts, args.seed, args.seconds)
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"compiled condition, {result['contexts']:,} random contexts: {result['condition']}")
    print(f"  fyrules     {result['fyrules_evaluations_per_s']:>12,} evaluations/s")
    if "ratio" not in result:
        print(f"  zen-engine  {result['zen_engine']}")
    else:
        print(f"  zen-engine  {result['zen_engine_evaluations_per_s']:>12,} evaluations/s")
        verdict = "meets" if result["meets_target"] else "MISSES"
        print(f"  ratio {result['ratio']}x (target at least {TARGET_RATIO:g}x): {verdict}")
    print(f"  compile time: fyrules {result['fyrules_compile_us']} µs per expression", end="")
    if "zen_engine_compile_us" in result:
        print(f", zen-engine {result['zen_engine_compile_us']} µs")
    else:
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
