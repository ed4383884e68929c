"""Run every benchmark, each side by side with its peer in the same run: `make bench`.

Each ``bench_*.py`` module has a ``main()`` that prints its figures and ratios; run one alone
with ``python benchmarks/bench_NAME.py``. Numbers depend on the machine: compare ratios.
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ["bench_expressions", "bench_calendar", "bench_check", "bench_trail", "bench_monitor"]
BENCHMARKS.append("bench_scoring")  # a line per later benchmark keeps merges easy
BENCHMARKS.append("bench_separation")
BENCHMARKS.append("bench_inspection")
BENCHMARKS.append("bench_store")
BENCHMARKS.append("bench_evaluate_memory")
BENCHMARKS.append("bench_web")
BENCHMARKS.append("bench_check_scaling")
BENCHMARKS.append("bench_check_fuyang")


def main() -> int:
    sys.path.insert(0, str(HERE))
    for name in BENCHMARKS:
        print(f"== {name}")
        started = time.perf_counter()
        module = importlib.import_module(name)
        status = module.main([])
        print(f"   ({time.perf_counter() - started:.1f} s)\n")
        if status:
            return int(status)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
