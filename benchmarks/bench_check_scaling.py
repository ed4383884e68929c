"""`fyrules check` is linear: doubling a rule file doubles the time at most, plus a constant.

The file is one items file in which every item has the same slip (a misspelt key, as an
imported catalogue with one systematic error has), so every item is a problem that must be
reported at its line and column. Each size is checked as a user runs the command
(``python -m fyrules check``, start-up included, byte code cached), best of ``--repeat``; the
constant is the command on an empty rulebook. A lookup that scanned the file from its start (the old locator)
made each doubling cost four times as much; the issue measured a 300,000-key file at 567 s.

Run: ``python benchmarks/bench_check_scaling.py [--items N] [--doublings N] [--repeat N]``.
The largest size by default is 20,000 items of 16 keys (320,000 keys, 6.2 MB; target: under
10 s).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_check import generate

KEYS_PER_ITEM = (
    16  # the keys of one generated item, counting its name's zh and en and fee's charged
)
TARGET_SECONDS = 10.0  # for the largest file (300,000 keys or more)


def generate_slipped(root: Path, n_items: int) -> Path:
    """A rulebook whose one items file has ``n_items`` items, each with the misspelt key
    ``committed_day``."""
    generate(root, 0, 0)
    (root / "rules.yaml").unlink()
    out = ["items:"]
    for i in range(n_items):
        d = f"D{i % 40:02d}"
        out += [
            f"  - code: S-{i:06d}",
            f"    name: {{zh: 事项{i}, en: Item {i}}}",
            f"    department: {d}",
            f"    window: W{d}",
            "    type: commitment",
            "    statutory_days: 20",
            "    committed_day: 5",
            "    fee: {charged: false}",
            "    consult_phone: 0558-1",
            "    complaint_phone: 0558-2",
            "    online: apply",
            "    authorization: window",
            "    note: x",
        ]
    (root / "items" / "all.yaml").write_text("\n".join(out) + "\n", encoding="utf-8")
    return root


def user_environment() -> dict[str, str]:
    """The environment of the timed command: this one, but with byte code written and read (in
    a cache folder of its own), as ``pip install`` leaves a user's installation; a test run's
    ``PYTHONDONTWRITEBYTECODE`` would otherwise time compiling every module on every run."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "fyrules-bench-pycache")
    return env


# The timed commands run from outside the checkout: ``python -m`` and ``python -c`` put the working
# folder first on the path, and from the checkout's root they would import its source tree, not
# the installed package (the compiled wheel of ``make bench``) that a user runs.
OUTSIDE_CHECKOUT = tempfile.gettempdir()


def time_check(
    root: Path, repeat: int, command: list[str] | None = None
) -> tuple[float, float, str]:
    """Best wall time of ``python -m fyrules check root`` (or ``command`` in place of
    ``python -m fyrules``), its best CPU time (user and system: what a busy shared machine does
    not inflate) and its last line of output."""
    best, best_cpu, last = float("inf"), float("inf"), ""
    argv = [*(command or [sys.executable, "-m", "fyrules"]), "check", str(root), "--lang", "en"]
    env = user_environment()
    # the first run writes the byte code
    subprocess.run(argv, capture_output=True, check=False, env=env, cwd=OUTSIDE_CHECKOUT)
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(
            argv, capture_output=True, text=True, check=False, env=env, cwd=OUTSIDE_CHECKOUT
        )
        best = min(best, time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        best_cpu = min(best_cpu, cpu)
        if done.returncode not in (0, 1):
            raise SystemExit(f"fyrules check failed: {done.stderr[-2000:]}")
        last = (done.stdout.strip().splitlines() or [""])[-1]
    return best, best_cpu, last


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=2_500, help="items in the smallest file")
    parser.add_argument("--doublings", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        empty = generate(Path(tmp) / "empty", 0, 0)
        (empty / "rules.yaml").unlink()
        constant, constant_cpu, _ = time_check(empty, args.repeat)
        print(
            f"fyrules check, empty rulebook (the constant): {constant:.2f} s ({constant_cpu:.2f} s CPU)"
        )
        previous = previous_cpu = None
        linear = True
        for step in range(args.doublings + 1):
            n = args.items * 2**step
            root = generate_slipped(Path(tmp) / f"n{n}", n)
            size = (root / "items" / "all.yaml").stat().st_size
            seconds, cpu, last = time_check(root, args.repeat)
            line = (
                f"{n:>7,} items, {n * KEYS_PER_ITEM:>9,} keys, {size / 1e6:5.1f} MB: "
                f"{seconds:6.2f} s, {cpu:6.2f} s CPU ({last})"
            )
            if previous is not None:
                ratio = seconds / previous
                bound = 2 * previous + constant
                ok = seconds <= bound
                linear = linear and ok
                line += f"; ×{ratio:.2f} the half size (at most 2× + constant: {bound:.2f} s, "
                line += "holds)" if ok else "MISSED)"
                assert previous_cpu is not None
                line += f"; CPU ×{cpu / previous_cpu:.2f}"
            print(line)
            previous, previous_cpu = seconds, cpu
        keys = args.items * 2**args.doublings * KEYS_PER_ITEM
        verdict = "meets" if previous is not None and previous < TARGET_SECONDS else "MISSES"
        print(
            f"linear: {'yes' if linear else 'NO'}; largest file ({keys:,} keys) "
            f"{previous:.2f} s, {previous_cpu:.2f} s CPU (target < {TARGET_SECONDS:.0f} s: {verdict})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
