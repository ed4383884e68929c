"""Faults on a real PostgreSQL (issue 14): a writer killed with SIGKILL in the middle of a batch,
and a writer whose connection the server terminates (``pg_terminate_backend``), leave no
partial event, case or trail entry: the database holds exactly what one replay of a prefix of
the stream holds. Replaying the whole stream afterwards is idempotent: it ends as one replay
of the stream ends."""

from __future__ import annotations

import functools
import multiprocessing
import os
import signal
import threading
import time
from typing import Any

import pytest

import fyrules
from fyrules.cases.state import Accepted
from fyrules.simulation.cases import generate
from fyrules.store_contract import _fuyang
from tests.adapters.concurrency import assert_like_one_replay, outcome
from tests.adapters.postgres import run_sql

pytestmark = pytest.mark.optional


@functools.cache
def _events() -> tuple:
    return tuple(generate(_fuyang(), month="2025-10", cases=80, seed=13, faults=True))


def _store(url: str) -> Any:
    from fyrules_adapters.postgresql import PostgresStore

    return PostgresStore(url)


def _trail_length(url: str) -> int:
    [(n,)] = run_sql(url, "SELECT count(*) FROM fyrules_trail", database=url.rsplit("/", 1)[1])
    return int(n)


def _wait_for_trail(url: str, entries: int, alive: Any) -> None:
    deadline = time.monotonic() + 120
    while _trail_length(url) < entries:
        assert alive() and time.monotonic() < deadline, "the writer stopped before the fault"
        time.sleep(0.05)


def _prefix_replay(events: tuple, entries: int) -> tuple[fyrules.MemoryStore, int]:
    """One replay of the shortest prefix of the stream that leaves ``entries`` trail entries,
    and the events it accepted."""
    store = fyrules.MemoryStore()
    monitor = _fuyang().monitor(store=store)
    accepted = 0
    for event in events:
        if store.stats()["trail"] >= entries:
            break
        accepted += monitor.feed(event).__class__ is Accepted
    assert store.stats()["trail"] == entries
    return store, accepted


def _assert_a_whole_prefix(url: str) -> int:
    """The database holds what one replay of a prefix holds; the events that prefix accepted."""
    with _store(url) as store:
        entries = len(list(store.trail()))
        assert entries > 0
        memory, accepted = _prefix_replay(_events(), entries)
        assert store.trail_head() == memory.trail_head()
        assert outcome(store) == outcome(memory)
    return accepted


def _writer(url: str, events: tuple) -> None:
    store = _store(url)
    with store.batch(every=10):
        _fuyang().monitor(store=store).feed_all(events)


def test_a_writer_killed_mid_batch_leaves_no_partial_event_and_a_replay_completes_it(pg_url):
    events = _events()
    writer = multiprocessing.get_context("fork").Process(target=_writer, args=(pg_url, events))
    writer.start()
    try:
        _wait_for_trail(pg_url, 40, writer.is_alive)
    finally:
        os.kill(writer.pid, signal.SIGKILL)  # type: ignore[arg-type]
        writer.join()
    assert writer.exitcode == -signal.SIGKILL
    accepted_before = _assert_a_whole_prefix(pg_url)
    assert accepted_before < len(events)  # it was killed before the end

    with _store(pg_url) as store:
        summary = _fuyang().monitor(store=store).feed_all(events)
        assert_like_one_replay(store, events, [{"accepted": accepted_before + summary.accepted}])


def test_a_terminated_connection_leaves_no_partial_event_and_the_store_carries_on(pg_url):
    events = _events()
    store = _store(pg_url)
    backend = store.backend_pid()
    failures: list[BaseException] = []

    def write() -> None:
        try:
            with store.batch(every=10):
                _fuyang().monitor(store=store).feed_all(events)
        except BaseException as exc:
            failures.append(exc)

    thread = threading.Thread(target=write)
    thread.start()
    _wait_for_trail(pg_url, 40, thread.is_alive)
    run_sql(pg_url, f"SELECT pg_terminate_backend({backend})")
    thread.join(timeout=120)
    from fyrules_adapters.postgresql import StoreError

    assert len(failures) == 1 and isinstance(failures[0], StoreError), failures
    assert failures[0].problem.code == "STORE-UNAVAILABLE"
    accepted_before = _assert_a_whole_prefix(pg_url)

    # the same store object reconnects, and the replay completes the month exactly once
    summary = _fuyang().monitor(store=store).feed_all(events)
    try:
        assert_like_one_replay(store, events, [{"accepted": accepted_before + summary.accepted}])
    finally:
        store.close()
