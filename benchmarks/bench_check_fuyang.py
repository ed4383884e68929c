"""`fyrules check` on 10,000 items cloned from Fuyang's real ones, as a user runs it (target: 1 s).

The rulebook is examples/fuyang with, beside its own catalog, ``--items`` clones of its real
items (every field, comments left out; round-robin over the 79 real items, each code given a
suffix so it stays unique), 1,000 items to a file: about 15 MB of YAML for 10,000 items. The
figure is the whole command, ``python -m fyrules check RULEBOOK`` in a fresh process, start-up
included, best of ``--repeat`` after a first run that writes the byte code (as ``pip install``
does) and the ``holidays`` package's schedule to the user's cache folder (as the first command
after installing or upgrading ``holidays`` does: ``fyrules.deadlines.calendar.package_days``):
its wall time and its CPU time (user and system, which a busy shared machine inflates less).
The same command is also timed with that cache off (``FYRULES_CACHE_DIR=``, what that first
command pays), with PyYAML alone (rapidyaml switched off in that process), the reader that
installs without rapidyaml use, and on the bare Fuyang rulebook (the constant: start-up,
calendar, processes).

Run: ``python benchmarks/bench_check_fuyang.py [--items N] [--repeat N]``.
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_check_scaling import OUTSIDE_CHECKOUT, time_check, user_environment

ROOT = Path(__file__).resolve().parents[1]
FUYANG = ROOT / "examples" / "fuyang"
TARGET_SECONDS = 1.0
PER_FILE = 1_000
# The PyYAML-only command: the same entry point with rapidyaml switched off in that process.
PYYAML_ONLY = (
    "import sys; from fyrules.engine.load import yaml_ryml; yaml_ryml.ryml = None; "
    "from fyrules.cli import main; sys.exit(main())"
)
# The same entry point with the holidays cache off: the package imported and asked every time.
NO_CACHE = (
    "import os, sys; os.environ['FYRULES_CACHE_DIR'] = ''; "
    "from fyrules.cli import main; sys.exit(main())"
)


def real_items() -> list[str]:
    """The YAML text of each of Fuyang's items, as written (comments between items dropped)."""
    blocks: list[str] = []
    for path in sorted((FUYANG / "items").glob("*.yaml")):
        body = path.read_text(encoding="utf-8").split("\nitems:\n", 1)[1]
        for block in re.split(r"\n(?=  - code:)", "\n" + body):
            lines = [line for line in block.splitlines() if line.strip()]
            lines = [line for line in lines if not line.lstrip().startswith("#")]
            if lines and lines[0].startswith("  - code:"):
                blocks.append("\n".join(lines))
    return blocks


def generate(root: Path, n_items: int) -> Path:
    """examples/fuyang at ``root`` with ``n_items`` clones of its real items added."""
    shutil.copytree(FUYANG, root)
    blocks = real_items()
    for start in range(0, n_items, PER_FILE):
        out = ["items:"]
        for i in range(start, min(n_items, start + PER_FILE)):
            block = blocks[i % len(blocks)]
            out.append(re.sub(r"code: (\S+)", rf"code: \1-C{i:05d}", block, count=1))
        path = root / "items" / f"clones-{start // PER_FILE:03d}.yaml"
        path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return root


def start_up_cpu(repeat: int) -> float:
    """Best CPU time of ``python -m fyrules --version``: the interpreter, ``import fyrules`` and
    ``fyrules.cli``, the part every command pays before its own module is imported (``--version``
    builds no command's parser)."""
    argv = [sys.executable, "-m", "fyrules", "--version"]
    env = user_environment()
    # the first run writes the byte code
    subprocess.run(argv, capture_output=True, check=True, env=env, cwd=OUTSIDE_CHECKOUT)
    best = float("inf")
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(argv, capture_output=True, check=True, env=env, cwd=OUTSIDE_CHECKOUT)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        best = min(best, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        bare = generate(Path(tmp) / "bare", 0)
        root = generate(Path(tmp) / "clones", args.items)
        size = sum(p.stat().st_size for p in (root / "items").glob("*.yaml"))
        command = [sys.executable, "-m", "fyrules"]
        pyyaml_only = [sys.executable, "-c", PYYAML_ONLY]
        start_up = start_up_cpu(args.repeat)
        constant, constant_cpu, _ = time_check(bare, args.repeat, command)
        seconds, cpu, last = time_check(root, args.repeat, command)
        cold, cold_cpu, cold_last = time_check(root, args.repeat, [sys.executable, "-c", NO_CACHE])
        slow, slow_cpu, slow_last = time_check(root, args.repeat, pyyaml_only)
    if last != slow_last:
        raise SystemExit(f"the two readers disagree: {last!r} against {slow_last!r}")
    if last != cold_last:
        raise SystemExit(f"the holidays cache changes the report: {last!r} against {cold_last!r}")
    print(f"start-up alone (python -m fyrules --version): {start_up:.2f} s CPU")
    print(
        f"fyrules check, Fuyang's rulebook alone (the constant): {constant:.2f} s "
        f"({constant_cpu:.2f} s CPU)"
    )
    print(
        f"fyrules check, {args.items:,} items cloned from Fuyang's ({size / 1e6:.1f} MB): "
        f"{seconds:.2f} s, {cpu:.2f} s CPU ({last}); PyYAML alone: {slow:.2f} s, "
        f"{slow_cpu:.2f} s CPU (×{slow_cpu / cpu:.1f})"
    )
    print(
        f"  the same with the holidays cache off (the first run after installing holidays): "
        f"{cold:.2f} s, {cold_cpu:.2f} s CPU"
    )
    verdict = "meets" if cpu < TARGET_SECONDS else "MISSES"
    print(
        f"  target: under {TARGET_SECONDS:g} s, start-up included (default install): {verdict} "
        f"({cpu:.2f} s CPU, best of {args.repeat})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
