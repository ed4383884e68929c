"""Memory of ``fyrules evaluate`` on a month of a million events (issue 21).

The whole command, as users run it (``fyrules evaluate RULEBOOK EVENTS --format json``, the
default store), in a child process whose peak resident memory (``ru_maxrss``) is read when it
ends. Its peer, measured in the same run on the same file: the same replay into the full
``MemoryStore`` that ``evaluate`` used before (every trail entry kept), by a child running
``Monitor(rb, MemoryStore()).replay_file`` and the same report. The bar: under 500 MB for
1,000,000 events; the ratio says how much the default saves against the full store.

    python benchmarks/bench_evaluate_memory.py [--events N] [--seed S] [--json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FUYANG = ROOT / "examples" / "fuyang"
EVENTS_PER_CASE = 7.2  # a generated Fuyang month, on average
BAR_MB = 500

FULL_STORE = """
import json, sys
import fyrules
from fyrules.cases.monitor import Monitor
from fyrules.cases.store import MemoryStore
rb = fyrules.load(sys.argv[1])
monitor = Monitor(rb, MemoryStore())
summary = monitor.replay_file(sys.argv[2])
findings = [f.to_dict() for f in monitor.findings()]  # complaints, accountability, inform too
# the report evaluate prints: its summary counts the findings it lists (open cases' too)
doc = {"summary": {**summary.to_dict(), "findings": len(findings)}, "findings": findings, "rejected": list(monitor.rejected())}
json.dump(doc, sys.stdout, ensure_ascii=False)
"""


# Runs the measured command as its own child and writes that child's peak resident memory (KiB)
# to the file named first. Linux counts in a child's peak the memory of the process it was
# forked from (the peak of the address space it had before exec): forked from this benchmark,
# or from benchmarks/run.py after other benchmarks, the command's figure would be at least
# their size. Forked from this small launcher, it is the command's own.
LAUNCHER = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[2:], stdout=sys.stdout, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w", encoding="utf-8") as out:
    out.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def peak_mb(command: list[str]) -> tuple[float, float, str]:
    """Peak resident memory (MB) and seconds of ``command`` run as a child, and its output.
    The peak is that child's own (``os.wait4`` in a small launcher: see :data:`LAUNCHER`)."""
    started = time.perf_counter()
    with (
        tempfile.TemporaryFile("w+", encoding="utf-8") as out,
        tempfile.TemporaryDirectory() as folder,
    ):
        peak_file = Path(folder) / "peak"
        launcher = [sys.executable, "-c", LAUNCHER, str(peak_file)]
        done = subprocess.run([*launcher, *command], stdout=out, text=True, check=False)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{command[:3]} failed with exit {done.returncode}")
        out.seek(0)
        text = out.read()
        peak_kib = int(peak_file.read_text(encoding="utf-8"))
    seconds = time.perf_counter() - started
    return peak_kib / 1024, seconds, text  # KiB on Linux


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    cases = max(1, round(args.events / EVENTS_PER_CASE))
    with tempfile.TemporaryDirectory() as folder:
        events = Path(folder) / "month.jsonl"
        fyrules_cli = [sys.executable, "-m", "fyrules"]
        subprocess.run(
            [
                *fyrules_cli,
                "generate",
                str(FUYANG),
                "--month",
                "2025-10",
                "--cases",
                str(cases),
                "--seed",
                str(args.seed),
                "-o",
                str(events),
            ],
            check=True,
            capture_output=True,
        )
        with events.open("rb") as handle:
            n_events = sum(1 for _ in handle)
        default_mb, default_s, default_out = peak_mb(
            [*fyrules_cli, "evaluate", str(FUYANG), str(events), "--format", "json"]
        )
        full_mb, full_s, full_out = peak_mb(
            [sys.executable, "-c", FULL_STORE, str(FUYANG), str(events)]
        )
    default_doc, full_doc = json.loads(default_out), json.loads(full_out)
    same = all(default_doc[key] == full_doc[key] for key in ("summary", "findings", "rejected"))
    result = {
        "events": n_events,
        "evaluate_default_peak_mb": round(default_mb, 1),
        "full_memory_store_peak_mb": round(full_mb, 1),
        "ratio_full_to_default": round(full_mb / default_mb, 2),
        "bar_mb": BAR_MB,
        "under_bar": default_mb < BAR_MB,
        "same_report": same,
        "seconds": {"default": round(default_s, 1), "full": round(full_s, 1)},
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(
            f"evaluate, {n_events} events: peak {default_mb:.0f} MB by default "
            f"(bar {BAR_MB} MB: {'met' if result['under_bar'] else 'MISSED'}); the full "
            f"MemoryStore peaks at {full_mb:.0f} MB, {result['ratio_full_to_default']}× as much; "
            f"same summary, findings and rejected events: {same}"
        )
    return 0 if result["under_bar"] and same else 1


if __name__ == "__main__":
    raise SystemExit(main())
