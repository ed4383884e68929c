"""Several writer processes delivering the same events into one store, as at-least-once
delivery does, and what must hold afterwards (issue 14).

:func:`deliveries` gives each case's events to ``copies`` of the ``writers`` (each writer keeps
the order of the stream); :func:`run_writers` starts one process per writer, released together
by a barrier, each with its own store from ``open_store``; :func:`outcome` is what a store
holds, in a form that does not depend on which writer won a race, to compare with one
process's replay on a :class:`MemoryStore`.
"""

from __future__ import annotations

import json
import multiprocessing
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import fyrules
from fyrules.cases.trail import verify
from fyrules.store_contract import _fuyang


def stable_hash(case: str) -> int:
    """The same number for a case id in every process (``hash()`` is salted per process)."""
    return zlib.crc32(case.encode("utf-8"))


def deliveries(events: Sequence[Any], writers: int, copies: int = 2) -> list[list[Any]]:
    """Each case's events, in stream order, to ``copies`` distinct writers."""
    out: list[list[Any]] = [[] for _ in range(writers)]
    for event in events:
        first = stable_hash(event.case) % writers
        for k in range(copies):
            out[(first + k) % writers].append(event)
    return out


def _writer(
    open_store: Callable[[], Any],
    events: list[Any],
    batch: int,
    barrier: Any,
    results: Any,
    index: int,
) -> None:
    store = open_store()
    monitor = _fuyang().monitor(store=store)
    barrier.wait()
    try:
        if batch:
            with store.batch(batch):
                summary = monitor.feed_all(events)
        else:
            summary = monitor.feed_all(events)
        results.put((index, summary.to_dict()))
    except BaseException as exc:  # reported to the test, which fails on it
        results.put((index, f"{type(exc).__name__}: {exc}"))
    finally:
        store.close()


def run_writers(
    open_store: Callable[[], Any] | list[Callable[[], Any]],
    lists: list[list[Any]],
    *,
    batch: int = 0,
) -> list[dict[str, int]]:
    """One process per list of events, all started together, each on the store
    ``open_store`` opens (or the n-th of a list of openers); their replay summaries."""
    openers = open_store if isinstance(open_store, list) else [open_store] * len(lists)
    context = multiprocessing.get_context("fork")  # the children inherit the loaded rulebook
    barrier = context.Barrier(len(lists))
    results = context.Queue()
    processes = [
        context.Process(target=_writer, args=(openers[n], events, batch, barrier, results, n))
        for n, events in enumerate(lists)
    ]
    for process in processes:
        process.start()
    answers = dict(results.get(timeout=600) for _ in processes)
    for process in processes:
        process.join(timeout=60)
    failed = {n: a for n, a in answers.items() if not isinstance(a, dict)}
    assert not failed, failed
    return [answers[n] for n in range(len(lists))]


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, ensure_ascii=False))


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def outcome(store: Any, trail: Sequence[dict[str, Any]] | None = None) -> dict[str, Any]:
    """What ``store`` holds, independent of the order writers got their turns: cases by id,
    findings, rejected events and trail records as multisets. ``trail`` gives the entries when
    the store does not list them as one chain."""
    entries = list(store.trail()) if trail is None else list(trail)
    return {
        "open": {case: _plain(state) for case, state in store.open_cases()},
        "closed": {case: _plain(summary) for case, summary in store.closed_cases()},
        "findings": Counter(_key(f) for f in store.findings()),
        "rejected": Counter(_key(r) for r in store.rejected()),
        "trail_records": Counter(_key([e["kind"], e["record"]]) for e in entries),
    }


def one_replay(events: Sequence[Any]) -> tuple[dict[str, Any], dict[str, int]]:
    """One process's replay of the stream, on a MemoryStore."""
    store = fyrules.MemoryStore()
    summary = _fuyang().monitor(store=store).feed_all(events)
    return outcome(store), summary.to_dict()


def assert_like_one_replay(
    store: Any, events: Sequence[Any], summaries: list[dict[str, int]], trail: Any = None
) -> None:
    """Each event accepted exactly once, no trail entry twice and no fork, rejections stored
    once, and every case, finding and rejection as one process's replay leaves them."""
    expected, single = one_replay(events)
    accepted = sum(s["accepted"] for s in summaries)
    assert accepted == single["accepted"], (accepted, single)
    entries = list(store.trail()) if trail is None else list(trail)
    if trail is None:
        assert verify(entries).ok
        assert [e["index"] for e in entries] == list(range(len(entries)))
    got = outcome(store, entries)
    assert got["trail_records"] == expected["trail_records"]  # none lost, none twice
    assert got["rejected"] == expected["rejected"]
    assert got["findings"] == expected["findings"]
    assert got["open"] == expected["open"]
    assert got["closed"] == expected["closed"]


class AllPartitions:
    """The partitions of one database read together, as one store's reports (the union of
    their cases, findings and rejections; the trail as the concatenation of their chains,
    each of which must verify on its own)."""

    def __init__(self, stores: list[Any]):
        self.stores = stores

    def open_cases(self) -> Any:
        return (pair for store in self.stores for pair in store.open_cases())

    def closed_cases(self) -> Any:
        return (pair for store in self.stores for pair in store.closed_cases())

    def findings(self) -> Any:
        return (f for store in self.stores for f in store.findings())

    def rejected(self) -> Any:
        return (r for store in self.stores for r in store.rejected())

    def chains(self) -> list[list[dict[str, Any]]]:
        return [list(store.trail()) for store in self.stores]


def assert_partitions_like_one_replay(
    stores: list[Any], events: Sequence[Any], summaries: list[dict[str, int]]
) -> None:
    """:func:`assert_like_one_replay` for a partitioned database: each chain verifies."""
    view = AllPartitions(stores)
    chains = view.chains()
    for chain in chains:
        assert verify(chain).ok
    assert_like_one_replay(view, events, summaries, trail=[e for c in chains for e in c])
