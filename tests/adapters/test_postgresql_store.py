"""The PostgreSQL adapter (adapters/fyrules_adapters/postgresql) on a real server: the storage
port's whole contract, the same answers as MemoryStore to random programs of port calls, a
database at another schema version or written in another number of partitions refused, a
case of another partition refused."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fyrules
from fyrules.store_contract import StoreContract
from tests.adapters.postgres import create_database, drop_database, run_sql, wipe
from tests.adapters.test_sqlite_properties import PROGRAMS, _run

pytestmark = pytest.mark.optional


class TestPostgresStore(StoreContract):
    @pytest.fixture(autouse=True)
    def _database(self, pg_url: str) -> Iterator[None]:
        self.url = pg_url
        self.opened: list[Any] = []
        yield
        for store in self.opened:
            store.close()

    def make_store(self) -> Any:
        from fyrules_adapters.postgresql import PostgresStore

        store = PostgresStore(self.url)
        self.opened.append(store)
        return store


@pytest.fixture(scope="module")
def shared_database(pg_server: str, pg_template: str) -> Iterator[str]:
    name, url = create_database(pg_server, pg_template)
    yield url
    drop_database(pg_server, name)


@settings(max_examples=40)  # a round trip per call: a hundred examples take minutes
@given(program=PROGRAMS, batch=st.none() | st.integers(1, 3))
def test_postgresql_answers_every_call_as_memory_does(shared_database, program, batch):
    """For any program of port calls, every answer of PostgresStore (in a batch of any size or
    not) equals MemoryStore's, and so does everything stored after each transaction."""
    from fyrules_adapters.postgresql import PostgresStore

    memory_answers: list[Any] = []
    _run(fyrules.MemoryStore(), program, memory_answers)
    wipe(shared_database)
    with PostgresStore(shared_database) as store:
        answers: list[Any] = []
        with store.batch(every=batch) if batch else contextlib.nullcontext():
            _run(store, program, answers)
    assert answers == memory_answers


def test_a_database_without_the_schema_says_to_upgrade_it(pg_server):
    from fyrules_adapters.postgresql import PostgresStore, StoreError

    name, url = create_database(pg_server)
    try:
        with pytest.raises(StoreError) as caught:
            PostgresStore(url)
        assert caught.value.problem.code == "STORE-UNAVAILABLE"
        assert "fyrules db upgrade --store URL" in str(caught.value)
    finally:
        drop_database(pg_server, name)


def test_a_store_opened_with_another_number_of_partitions_is_refused(pg_url):
    from fyrules_adapters.postgresql import PostgresStore, StoreError

    PostgresStore(pg_url, partition=1, partitions=4).close()
    with pytest.raises(StoreError) as caught:
        PostgresStore(pg_url)
    assert "written in 4 partitions" in str(caught.value)
    assert run_sql(pg_url, "SELECT value FROM fyrules_meta", database=pg_url.rsplit("/", 1)[1]) == [
        ("4",)
    ]


def test_a_case_of_another_partition_is_refused_and_nothing_is_written(pg_url):
    from fyrules_adapters.postgresql import PostgresStore, StoreError, partition_of

    with PostgresStore(pg_url, partition=0, partitions=2) as store:
        other = next(f"C-{n}" for n in range(100) if partition_of(f"C-{n}", 2) == 1)
        with pytest.raises(StoreError) as caught:
            store.put_case(other, {"case": other})
        assert caught.value.problem.code == "STORE-PARTITION"
        assert list(store.open_cases()) == []


def test_the_partition_of_a_case_is_pinned_to_crc32_of_its_id():
    """Every process, machine and Python version must agree on a case's partition: CRC-32 of
    its UTF-8 id (pinned here: salted hash() or a changed function would move cases)."""
    from fyrules_adapters.postgresql import partition_of

    pinned = {"FY-2025-000001": 3837209384, "FY-2025-000002": 2109635218, "案件-1": 2493697299}
    for case, crc in pinned.items():
        assert [partition_of(case, n) for n in (1, 4, 8)] == [0, crc % 4, crc % 8]
