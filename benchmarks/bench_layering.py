"""Issue 19's "no measurable slowdown": the code before the architecture work against the code
after it, on the same workloads, as users run them.

Each side is a revision of this repository, unpacked with ``git archive`` into a temporary
folder and run with the same Python (``PYTHONPATH`` names the folder, so its ``fyrules`` is the
one imported); ``.`` is this checkout's working tree. Both sides run the same inputs: the
BEFORE side's ``examples/fuyang`` and a month of its events generated once by the BEFORE side.
The workloads are whole commands in fresh processes (start-up included):

- ``check``: ``fyrules check`` on Fuyang;
- ``evaluate``: ``fyrules evaluate`` of the generated month (``--format json``);
- ``score``: ``fyrules score`` of the month (``--format json``).

The machine is shared, so the figure is CPU time (user and system of the child process, which
load inflates far less than wall time), the two sides are interleaved (their order alternates
each round), and every round gives one paired ratio AFTER/BEFORE per workload: the report is the
median ratio and its spread (quartiles, range) over the rounds. Before timing, each workload's
output is compared across the sides: a side that answers differently does different work (a
feature added since), and the report says so.

Defaults: BEFORE is main just before the architecture work was merged (the first parent of the
first merge "Merge branch 'arch'"), AFTER is this checkout. ``--after REV`` compares another revision
(the merge itself isolates the architecture work; ``--before main`` isolates a branch's change).

Run: ``python benchmarks/bench_layering.py [--before REV] [--after REV|.] [--rounds N]
[--cases N]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MONTH = "2025-10"
TODAY = "2025-11-15"  # the workloads' "today", pinned: nothing depends on the day it runs
WORKLOADS = ("check", "evaluate", "score")
ARCH_MERGE = "^Merge branch 'arch'"


def git(*args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(ROOT), *args], check=True, capture_output=True, text=True
    ).stdout.strip()


def before_architecture() -> str:
    """main just before the architecture work (issue 19) was first merged (the branch was
    merged again later, with follow-ups)."""
    merges = git("log", "--reverse", "--format=%H", f"--grep={ARCH_MERGE}", "main").split()
    merge = merges[0] if merges else ""
    if not merge:
        raise SystemExit("no commit 'Merge branch 'arch'' on main: name --before REV")
    return git("rev-parse", f"{merge}^1")


def unpack(rev: str, into: Path) -> Path:
    """The tree of ``rev`` in ``into`` (``.``: this checkout as it is)."""
    if rev == ".":
        return ROOT
    into.mkdir(parents=True)
    archive = into.with_suffix(".tar")
    with archive.open("wb") as out:
        subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True, stdout=out)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    archive.unlink()
    return into


class Side:
    """One revision's code, run as ``python -m fyrules`` with its folder first on the path."""

    def __init__(self, name: str, rev: str, tree: Path):
        self.name, self.rev, self.tree = name, rev, tree
        self.env = {**os.environ, "PYTHONPATH": str(tree), "FYRULES_TODAY": TODAY}
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)  # the byte code is written once, reused

    def run(self, argv: Sequence[str], out: int | Path = subprocess.DEVNULL) -> tuple[int, float]:
        """Exit status and CPU seconds (user + system) of ``fyrules ARGV``."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        if isinstance(out, Path):
            with out.open("wb") as stream:
                code = self._call(argv, stream)
        else:
            code = self._call(argv, out)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return code, cpu

    def _call(self, argv: Sequence[str], stdout: object) -> int:
        done = subprocess.run(
            [sys.executable, "-m", "fyrules", *argv],
            env=self.env,
            cwd=self.tree,
            stdout=stdout,  # type: ignore[arg-type]
            stderr=subprocess.DEVNULL,
            check=False,
        )
        return done.returncode

    def imports_itself(self) -> bool:
        """Whether ``import fyrules`` in this side's environment finds this side's code."""
        done = subprocess.run(
            [sys.executable, "-c", "import fyrules; print(fyrules.__file__)"],
            env=self.env,
            cwd=self.tree,
            capture_output=True,
            text=True,
            check=True,
        )
        return Path(done.stdout.strip()).resolve().is_relative_to(self.tree.resolve())


def workload(name: str, rulebook: Path, events: Path) -> list[str]:
    if name == "check":
        return ["check", str(rulebook)]
    if name == "evaluate":
        return ["evaluate", str(rulebook), str(events), "--format", "json"]
    return ["score", str(rulebook), str(events), "--month", MONTH, "--format", "json"]


def quartiles(values: Sequence[float]) -> tuple[float, float, float]:
    if len(values) < 2:
        return values[0], values[0], values[0]
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q2, q3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=None, help="revision (default: before issue 19)")
    parser.add_argument("--after", default=".", help="revision, or . for this checkout")
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    before_rev = args.before or before_architecture()
    with tempfile.TemporaryDirectory(prefix="bench-layering-") as tmp:
        work = Path(tmp)
        sides = [
            Side("before", before_rev, unpack(before_rev, work / "before")),
            Side("after", args.after, unpack(args.after, work / "after")),
        ]
        for side in sides:
            if not side.imports_itself():
                raise SystemExit(f"{side.name}: python does not import fyrules from {side.tree}")
            label = side.rev if side.rev == "." else git("log", "-1", "--format=%h %s", side.rev)
            print(f"{side.name}: {label[:100]}")
        rulebook = sides[0].tree / "examples" / "fuyang"
        events = work / "month.jsonl"
        generate = ["generate", str(rulebook), "--month", MONTH, "--cases", str(args.cases)]
        code, _ = sides[0].run([*generate, "--seed", str(args.seed)], events)
        if code != 0:
            raise SystemExit(f"the BEFORE side could not generate the month (exit {code})")
        n_events = sum(1 for _ in events.open(encoding="utf-8"))
        print(f"inputs: {rulebook.relative_to(sides[0].tree)} of BEFORE; {n_events:,} events")

        # the same answers? (and the byte code written, outside the timed rounds)
        same: dict[str, bool] = {}
        for name in WORKLOADS:
            outputs = []
            for side in sides:
                path = work / f"{name}-{side.name}.out"
                code, _ = side.run(workload(name, rulebook, events), path)
                if code not in (0, 1):
                    raise SystemExit(f"{side.name} {name}: exit {code}")
                outputs.append((code, path.read_bytes()))
            same[name] = outputs[0] == outputs[1]

        cpu: dict[str, dict[str, list[float]]] = {
            name: {"before": [], "after": []} for name in WORKLOADS
        }
        started = time.perf_counter()
        for n in range(args.rounds):
            order = sides if n % 2 == 0 else sides[::-1]  # interleaved, alternating
            for name in WORKLOADS:
                for side in order:
                    _, seconds = side.run(workload(name, rulebook, events))
                    cpu[name][side.name].append(seconds)
        wall = time.perf_counter() - started

    print(f"{args.rounds} rounds, interleaved, {wall:.0f} s; load average {_load()}")
    print(
        f"{'workload':<10} {'before CPU':>10} {'after CPU':>10} {'ratio':>7}  "
        "spread of the ratio (quartiles; range)   same output"
    )
    totals: list[float] = [0.0] * args.rounds
    totals_before: list[float] = [0.0] * args.rounds
    for name in WORKLOADS:
        b, a = cpu[name]["before"], cpu[name]["after"]
        ratios = [x / y for x, y in zip(a, b, strict=True)]
        for i in range(args.rounds):
            totals[i] += a[i]
            totals_before[i] += b[i]
        q1, q2, q3 = quartiles(ratios)
        print(
            f"{name:<10} {statistics.median(b):>9.2f}s {statistics.median(a):>9.2f}s "
            f"{q2:>6.3f}x  {q1:.3f}–{q3:.3f}; {min(ratios):.3f}–{max(ratios):.3f}"
            f"{'':>14}{'yes' if same[name] else 'NO'}"
        )
    total = [a / b for a, b in zip(totals, totals_before, strict=True)]
    q1, q2, q3 = quartiles(total)
    print(
        f"{'all three':<10} {statistics.median(totals_before):>9.2f}s "
        f"{statistics.median(totals):>9.2f}s {q2:>6.3f}x  {q1:.3f}–{q3:.3f}; "
        f"{min(total):.3f}–{max(total):.3f}"
    )
    if not all(same.values()):
        print(
            "note: a workload answered differently on the two sides, so they did different "
            "work (features added between the revisions): its ratio is not the refactoring's alone"
        )
    verdict = "meets" if q1 <= 1.0 else "MISSES"
    print(
        f"slowdown AFTER/BEFORE, all three: median {q2:.3f}x, quartiles {q1:.3f}–{q3:.3f} "
        f"(target: no measurable slowdown, the lower quartile at 1.0 or below): {verdict}"
    )
    return 0


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


if __name__ == "__main__":
    raise SystemExit(main())
