"""The tamper-evident trail: appends and verification per second on 100,000 entries.

Records are canonical records of realistic events (``event_record``). Appends go through
``Trail.append`` on a ``MemoryStore`` (head read, canonical copy, SHA-256, store write, in a
transaction); verification is ``verify`` over the stored entries, then export and import of the
same trail as JSON Lines. The floor beside them is what a bare chain costs in the same run:
``json.dumps(sort_keys=True)`` and SHA-256 of each entry, without any of the checks.

    python benchmarks/bench_trail.py [--entries N] [--seed S] [--json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path

try:
    from fyrules.cases.canonical import event_record
except ImportError:  # run from a checkout that is not installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from fyrules.cases.canonical import event_record

from fyrules.cases.events import Event
from fyrules.cases.store import MemoryStore
from fyrules.cases.trail import Trail, export_trail, import_trail, verify

KINDS = ("submit", "accept", "undertake", "review", "approve", "complete", "deliver", "rate")


def _records(entries: int, seed: int) -> list[dict]:
    """Event records of a month of cases at a service center, in time order."""
    rnd = random.Random(seed)
    start = dt.datetime(2025, 10, 9, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    records = []
    for n in range(entries):
        kind = KINDS[n % len(KINDS)]
        data = {"score": rnd.choice([3, 4, 5, 4.5])} if kind == "rate" else {}
        event = Event(
            id=f"e-{n:07d}",
            case=f"FY-2025-{n // len(KINDS):06d}",
            item=f"FY-SC-{rnd.randint(1, 80):03d}",
            event=kind,
            at=start + dt.timedelta(seconds=37 * n),
            actor=f"u{rnd.randint(1000, 1200)}",
            dept=rnd.choice(["SC", "GA", "MZ", "WJ", "JT"]),
            window=f"W{rnd.randint(1, 15):02d}",
            data=data,
        )
        records.append(event_record(event))
    return records


def run(entries: int = 100_000, seed: int = 20251009) -> dict:
    """Build, verify, export and import one trail; return the rates."""
    records = _records(entries, seed)

    store = MemoryStore()
    trail = Trail(store)
    began = time.perf_counter()
    for record in records:
        trail.append("event", record)
    append_s = time.perf_counter() - began

    stored = list(store.trail())
    began = time.perf_counter()
    result = verify(stored, expected_head=trail.head())
    verify_s = time.perf_counter() - began
    if not result.ok or result.checked != entries:
        raise AssertionError(f"the benchmark's own trail does not verify: {result.first_bad}")

    buffer = io.BytesIO()
    began = time.perf_counter()
    export_trail(stored, buffer)
    export_s = time.perf_counter() - began
    exported = buffer.getvalue()
    began = time.perf_counter()
    imported = import_trail(io.BytesIO(exported), expected_head=trail.head())
    import_s = time.perf_counter() - began
    if not imported.ok:
        raise AssertionError(f"the benchmark's own export does not import: {imported.problems[0]}")

    began = time.perf_counter()
    prev = "0" * 64
    for index, record in enumerate(records):
        body = {"index": index, "prev": prev, "kind": "event", "record": record}
        text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        prev = hashlib.sha256(text.encode()).hexdigest()
    floor_s = time.perf_counter() - began

    return {
        "entries": entries,
        "seed": seed,
        "appends_per_s": round(entries / append_s),
        "verify_entries_per_s": round(entries / verify_s),
        "export_entries_per_s": round(entries / export_s),
        "import_entries_per_s": round(entries / import_s),
        "bare_hash_chain_per_s": round(entries / floor_s),
        "append_vs_bare": round(floor_s / append_s, 2),
        "verify_vs_bare": round(floor_s / verify_s, 2),
        "export_bytes": len(exported),
        "head": str(trail.head()),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20251009)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    result = run(args.entries, args.seed)
    if args.json:
        print(json.dumps(result))
        return 0
    print(
        f"trail, {result['entries']:,} event entries ({result['export_bytes'] / 1e6:.1f} MB exported)"
    )
    print(
        f"  append:  {result['appends_per_s']:>10,}/s   verify: {result['verify_entries_per_s']:>10,}/s"
    )
    print(
        f"  export:  {result['export_entries_per_s']:>10,}/s   import: {result['import_entries_per_s']:>10,}/s"
        "  (parse, canonical check, verify)"
    )
    print(
        f"  bare json.dumps + sha256 chain: {result['bare_hash_chain_per_s']:,}/s "
        f"(append at {result['append_vs_bare']}x, verify at {result['verify_vs_bare']}x of it)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
