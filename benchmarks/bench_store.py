"""The SQLite storage adapter against MemoryStore: events per second through the monitor.

The same generated month of Fuyang (``fyrules.simulation.cases``, about 7 events a case) is fed
with ``Monitor.feed_all`` to a monitor on each store, in the same run:

- ``MemoryStore()`` — the peer: everything in dicts and lists;
- ``SqliteStore(":memory:")`` — the adapter's SQL and JSON work without a disk;
- ``SqliteStore(file)`` — one SQLite transaction per event (the port's contract), WAL with
  ``synchronous=NORMAL`` (no fsync per commit);
- ``SqliteStore(file)`` inside ``store.batch()`` — one commit per 1,000 events, each event a
  savepoint (what ``fyrules evaluate --store`` does);
- ``SqliteStore(file, synchronous="FULL")`` — an fsync at every event's commit, to show what
  ``NORMAL`` saves (on fewer events: it is disk-bound).

With ``--postgresql URL`` (a superuser's URL; default ``$FYRULES_POSTGRESQL_URL``), also
PostgreSQL (``fyrules_adapters.postgresql``) on a smaller month (``--pg-cases``), with 1, 4 and
8 writer processes, each owning a partition of the cases and its own chain of the trail,
committing every event (the port's contract) and in ``batch()``: events/s is all events over
the wall time from the writers' common start to the last one's end. The same month goes
through MemoryStore and a SQLite file in the same run for the ratios; each PostgreSQL run must
end with the memory run's findings, rejected events and number of trail entries.

The events are parsed before the clock starts; every store is fresh and every measurement is
the best of ``--repeat`` runs. Each run's findings, rejected events and trail head must be the
memory run's, so the speed is never bought with a difference. Ratios are against MemoryStore.

    python benchmarks/bench_store.py [--cases N] [--seed S] [--repeat R] [--json]
        [--postgresql URL] [--pg-cases N]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

try:
    import fyrules
except ImportError:  # run from a checkout that is not installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import fyrules
try:
    from fyrules_adapters.sqlite import SqliteStore
except ImportError:  # the adapters of the checkout
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "adapters"))
    from fyrules_adapters.sqlite import SqliteStore
from fyrules.simulation.cases import generate

ROOT = Path(__file__).resolve().parents[1]


def _outcome(rb: Any, store: Any, events: Sequence[Any], batch: bool) -> tuple[float, Any]:
    monitor = rb.monitor(store=store)
    gc.collect()
    began = time.perf_counter()
    if batch:
        with store.batch():
            monitor.feed_all(events)
    else:
        monitor.feed_all(events)
    seconds = time.perf_counter() - began
    key = lambda f: (f["case"], f["rule"], f["at"])  # noqa: E731
    seen = (
        sorted(store.findings(), key=key),
        list(store.rejected()),
        store.trail_head(),
        sorted(case for case, _ in store.open_cases()),
    )
    return seconds, seen


def _best(
    rb: Any, make: Callable[[Path], Any], events: Sequence[Any], repeat: int, batch: bool = False
) -> tuple[float, Any, int]:
    best, seen, size = float("inf"), None, 0
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "cases.db"
            store = make(path)
            seconds, seen = _outcome(rb, store, events, batch)
            if hasattr(store, "close"):
                store.close()
                size = sum(p.stat().st_size for p in Path(folder).iterdir())
        best = min(best, seconds)
    return best, seen, size


def run(cases: int, seed: int, repeat: int) -> dict[str, Any]:
    rb = fyrules.load(ROOT / "examples" / "fuyang")
    events = list(generate(rb, month="2025-10", cases=cases, seed=seed, faults=True))
    n = len(events)
    memory_s, expected, _ = _best(rb, lambda _p: fyrules.MemoryStore(), events, repeat)
    sides: dict[str, tuple[float, Any, int, int]] = {}
    for name, make, batch, count in [
        ("sqlite_memory", lambda _p: SqliteStore(":memory:"), False, n),
        ("sqlite_file", SqliteStore, False, n),
        ("sqlite_file_batch", SqliteStore, True, n),
        ("sqlite_file_full_sync", lambda p: SqliteStore(p, synchronous="FULL"), False, n // 10),
    ]:
        part = events if count == n else events[:count]
        seconds, seen, size = _best(rb, make, part, repeat, batch)
        if count == n and seen != expected:
            raise AssertionError(f"{name}: the month ends otherwise than on MemoryStore")
        sides[name] = (seconds, seen, size, count)
    result: dict[str, Any] = {
        "events": n,
        "cases": cases,
        "memory_events_per_s": round(n / memory_s),
    }
    for name, (seconds, _seen, size, count) in sides.items():
        result[f"{name}_events_per_s"] = round(count / seconds)
        result[f"{name}_vs_memory"] = round((count / seconds) / (n / memory_s), 3)
        if size:
            result[f"{name}_bytes_per_event"] = round(size / count)
    return result


def _pg_database(admin: str) -> tuple[str, str]:
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"fyrules_bench_{uuid.uuid4().hex[:8]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return name, make_url(admin).set(database=name).render_as_string(hide_password=False)


def _pg_drop(admin: str, name: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    engine.dispose()


def _pg_writer(
    rb: Any, url: str, events: Sequence[Any], k: int, n: int, batch: bool, barrier: Any, out: Any
) -> None:
    from fyrules.cases.partition import events_of
    from fyrules_adapters.postgresql import PostgresStore

    store = PostgresStore(url, partition=k, partitions=n)
    mine = list(events_of(events, k, n))
    monitor = rb.monitor(store=store)
    barrier.wait()
    began = time.perf_counter()
    if batch:
        with store.batch():
            monitor.feed_all(mine)
    else:
        monitor.feed_all(mine)
    out.put((began, time.perf_counter()))
    store.close()


def _pg_run(
    rb: Any, admin: str, events: Sequence[Any], writers: int, batch: bool
) -> tuple[float, Any]:
    import multiprocessing

    from fyrules_adapters.postgresql import PostgresStore, upgrade

    name, url = _pg_database(admin)
    try:
        upgrade(url)
        context = multiprocessing.get_context("fork")
        barrier, out = context.Barrier(writers), context.Queue()
        processes = [
            context.Process(
                target=_pg_writer, args=(rb, url, events, k, writers, batch, barrier, out)
            )
            for k in range(writers)
        ]
        for process in processes:
            process.start()
        times = [out.get(timeout=3600) for _ in processes]
        for process in processes:
            process.join()
        seconds = max(end for _, end in times) - min(began for began, _ in times)
        findings, rejected, trail = [], [], 0
        for k in range(writers):
            with PostgresStore(url, partition=k, partitions=writers) as store:
                findings += list(store.findings())
                rejected += list(store.rejected())
                trail += len(list(store.trail()))
        key = lambda f: (f["case"], f["rule"], f["at"])  # noqa: E731
        rkey = lambda r: json.dumps(r, sort_keys=True)  # noqa: E731
        return seconds, (sorted(findings, key=key), sorted(rejected, key=rkey), trail)
    finally:
        _pg_drop(admin, name)


def run_postgresql(admin: str, cases: int, seed: int, repeat: int) -> dict[str, Any]:
    """PostgreSQL with 1, 4 and 8 writers against MemoryStore and a SQLite file, same month."""
    rb = fyrules.load(ROOT / "examples" / "fuyang")
    events = list(generate(rb, month="2025-10", cases=cases, seed=seed, faults=True))
    n = len(events)
    memory_s, _seen, _ = _best(rb, lambda _p: fyrules.MemoryStore(), events, repeat)
    sqlite_s, _seen, _ = _best(rb, SqliteStore, events, repeat)
    memory = fyrules.MemoryStore()
    rb.monitor(store=memory).feed_all(events)
    key = lambda f: (f["case"], f["rule"], f["at"])  # noqa: E731
    rkey = lambda r: json.dumps(r, sort_keys=True)  # noqa: E731
    expected = (
        sorted(memory.findings(), key=key),
        sorted(memory.rejected(), key=rkey),
        memory.stats()["trail"],
    )
    result: dict[str, Any] = {
        "pg_events": n,
        "pg_cases": cases,
        "pg_memory_events_per_s": round(n / memory_s),
        "pg_sqlite_file_events_per_s": round(n / sqlite_s),
    }
    for batch in (False, True):
        for writers in (1, 4, 8):
            best = float("inf")
            for _ in range(repeat):
                seconds, seen = _pg_run(rb, admin, events, writers, batch)
                if seen != expected:
                    raise AssertionError(f"PostgreSQL, {writers} writers: the month ends otherwise")
                best = min(best, seconds)
            name = f"pg_{writers}_writers{'_batch' if batch else ''}"
            result[f"{name}_events_per_s"] = round(n / best)
            result[f"{name}_vs_memory"] = round(memory_s / best, 3)
            result[f"{name}_vs_sqlite_file"] = round(sqlite_s / best, 3)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument(
        "--postgresql",
        metavar="URL",
        default=os.environ.get("FYRULES_POSTGRESQL_URL"),
        help="a PostgreSQL superuser's URL: also measure PostgreSQL with 1, 4 and 8 writers",
    )
    parser.add_argument("--pg-cases", type=int, default=300, metavar="N")
    args = parser.parse_args(argv)
    result = run(args.cases, args.seed, args.repeat)
    if args.postgresql:
        result.update(run_postgresql(args.postgresql, args.pg_cases, args.seed, args.repeat))
    if args.json:
        print(json.dumps(result))
        return 0
    print(
        f"a month of {result['cases']:,} cases, {result['events']:,} events through Monitor.feed_all"
    )
    print(f"  MemoryStore:                      {result['memory_events_per_s']:>9,} events/s")
    labels = {
        "sqlite_memory": 'SqliteStore(":memory:")',
        "sqlite_file": "SqliteStore(file), commit/event",
        "sqlite_file_batch": "SqliteStore(file), batch()",
        "sqlite_file_full_sync": "  … synchronous=FULL (1/10)",
    }
    for name, label in labels.items():
        per_s, ratio = result[f"{name}_events_per_s"], result[f"{name}_vs_memory"]
        size = result.get(f"{name}_bytes_per_event")
        note = f", {size:,} bytes/event on disk" if size else ""
        print(f"  {label:<32} {per_s:>9,} events/s  ({ratio:.2f}x of memory{note})")
    if "pg_events" in result:
        print(
            f"PostgreSQL: a month of {result['pg_cases']:,} cases, {result['pg_events']:,} events; "
            f"MemoryStore {result['pg_memory_events_per_s']:,} events/s, SQLite file "
            f"{result['pg_sqlite_file_events_per_s']:,} events/s on the same events"
        )
        for batch in ("", "_batch"):
            for writers in (1, 4, 8):
                name = f"pg_{writers}_writers{batch}"
                label = f"{writers} writer{'s' if writers > 1 else ''}" + (
                    ", batch()" if batch else ", commit/event"
                )
                print(
                    f"  {label:<32} {result[name + '_events_per_s']:>9,} events/s  "
                    f"({result[name + '_vs_memory']:.3f}x of memory, "
                    f"{result[name + '_vs_sqlite_file']:.2f}x of SQLite)"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
