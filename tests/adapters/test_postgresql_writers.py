"""Many writers on one real PostgreSQL (issue 14).

- Eight processes on one unpartitioned store, each case delivered by two of them: each event
  accepted once, one chain, each entry once, cases as one replay leaves them.
- A partitioned replay with 1, 4 and 8 partitions, two processes delivering each partition's
  events: nothing lost or doubled, every chain verifies, and the partitions together hold
  what one replay holds.
"""

from __future__ import annotations

import functools

import pytest

from fyrules.cases.partition import events_of
from fyrules.simulation.cases import generate
from fyrules.store_contract import _fuyang
from tests.adapters.concurrency import (
    assert_like_one_replay,
    assert_partitions_like_one_replay,
    deliveries,
    run_writers,
)

pytestmark = pytest.mark.optional


@functools.cache
def _events() -> tuple:
    return tuple(generate(_fuyang(), month="2025-10", cases=80, seed=11, faults=True))


def _store(url: str, partition: int = 0, partitions: int = 1):
    from fyrules_adapters.postgresql import PostgresStore

    return PostgresStore(url, partition=partition, partitions=partitions)


def test_eight_writers_delivering_each_case_twice_agree_with_one_replay(pg_url):
    events = _events()
    lists = deliveries(events, writers=8, copies=2)
    summaries = run_writers(functools.partial(_store, pg_url), lists)
    assert sum(s["duplicates"] for s in summaries) >= len(events)
    with _store(pg_url) as store:
        assert_like_one_replay(store, events, summaries)


@pytest.mark.parametrize("partitions", [1, 4, 8])
def test_a_partitioned_replay_loses_and_doubles_nothing(pg_url, partitions):
    events = _events()
    lists, openers = [], []
    for k in range(partitions):
        mine = list(events_of(events, k, partitions))
        for _copy in range(2):  # at-least-once: two writers deliver the partition's events
            lists.append(mine)
            openers.append(functools.partial(_store, pg_url, k, partitions))
    summaries = run_writers(openers, lists, batch=20)
    stores = [_store(pg_url, k, partitions) for k in range(partitions)]
    try:
        assert_partitions_like_one_replay(stores, events, summaries)
    finally:
        for store in stores:
            store.close()
