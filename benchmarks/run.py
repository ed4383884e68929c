"""Run every benchmark, each side by side with its peer in the same run: `make bench`.

Each ``bench_*.py`` module has a ``main()`` that prints its figures and ratios; run one alone
with ``python benchmarks/bench_NAME.py``. Numbers depend on the machine: compare ratios.

``python benchmarks/run.py [NAME ...] [--out FILE]`` runs all of them (or the named ones), prints
what each prints, and writes it all to ``benchmarks/RESULTS.md`` (or ``--out``): the machine
(CPU, cores, load average before and after, Python, the fyrules build measured), a summary of
every verdict line (each "meets"/"MISSES" a benchmark prints against its target) and each
benchmark's full output. ``make bench`` runs it on the default install (``pip install .``, the
wheel with its compiled modules) in an environment of its own, ``.venv-bench``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import os
import platform
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

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

VERDICT = re.compile(r"\b(?:meets|met|MISSES|MISSED)\b")  # the words of a benchmark's verdict line


class _Tee(io.TextIOBase):
    """Writes to the terminal and keeps a copy."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.copy = io.StringIO()

    def write(self, text: str) -> int:
        self.stream.write(text)
        self.copy.write(text)
        return len(text)

    def flush(self) -> None:
        self.stream.flush()


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "system": platform.platform(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "fyrules": build(),
        "load": load_average(),
    }


def build() -> str:
    """Which fyrules was measured: where it is installed, and whether its hot modules are the
    compiled ones (the wheel's; an editable install runs them as Python source)."""
    import fyrules
    from fyrules.scoring import _fold

    compiled = not _fold.__file__.endswith(".py")
    kind = "compiled modules (mypyc)" if compiled else "pure Python, nothing compiled"
    return f"{fyrules.__version__} from {Path(fyrules.__file__).parent}: {kind}"


def load_average() -> str:
    """The 1-, 5- and 15-minute load averages (the machine may be shared), or "unknown"."""
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def verdict_lines(output: str) -> list[str]:
    """The lines in which a benchmark says whether it meets its target."""
    return [line.strip() for line in output.splitlines() if VERDICT.search(line)]


def render(about: dict[str, str], runs: Sequence[tuple[str, str, float]]) -> str:
    """RESULTS.md: the machine, every verdict line, then each benchmark's output. ``runs`` holds
    (benchmark, what it printed, seconds it took)."""
    out = ["# Benchmark results", "", "Written by `make bench` (benchmarks/run.py) from one run."]
    out += ["Numbers depend on the machine; the ratios against the peers are what compare.", ""]
    out += ["## Machine", "", "| what | value |", "| --- | --- |"]
    out += [f"| {key} | {value} |" for key, value in about.items()]
    out += ["", "## Verdicts", "", "| benchmark | verdict |", "| --- | --- |"]
    for name, output, _ in runs:
        for line in verdict_lines(output) or ["(no target)"]:
            out.append(f"| {name} | {line.replace('|', '/')} |")
    for name, output, seconds in runs:
        out += ["", f"## {name} ({seconds:.1f} s)", "", "```", output.rstrip("\n"), "```"]
    return "\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args(argv)
    names = args.names or BENCHMARKS
    sys.path.insert(0, str(HERE))
    out = args.out.resolve()
    # a command a benchmark times (``python -m fyrules ...``) runs from a folder without a
    # fyrules in it, so it imports the installed package, as a user's does
    os.chdir(tempfile.gettempdir())
    about = machine()
    load_before = about.pop("load")
    runs: list[tuple[str, str, float]] = []
    status = 0
    for name in names:
        print(f"== {name}")
        started = time.perf_counter()
        tee = _Tee(sys.stdout)
        with contextlib.redirect_stdout(tee):
            module = importlib.import_module(name)
            code = int(module.main([]) or 0)
        seconds = time.perf_counter() - started
        print(f"   ({seconds:.1f} s)" + (f", exit status {code}" if code else "") + "\n")
        runs.append((name, tee.copy.getvalue(), seconds))
        status = status or code  # one benchmark's failure must not hide the others' figures
    about["load average (1, 5, 15 min) before"] = load_before
    about["load average (1, 5, 15 min) after"] = load_average()
    out.write_text(render(about, runs), encoding="utf-8")
    print(f"written: {out}")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
