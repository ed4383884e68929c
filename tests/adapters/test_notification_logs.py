"""The notification log kept in a database (NotificationLogContract, fyrules/store_contract.py):
in a SQLite file and in PostgreSQL (migration 0002), each reopened as a restarted process would
open it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from fyrules.store_contract import NotificationLogContract
from fyrules_adapters.sqlite import SqliteStore


class TestSqliteLog(NotificationLogContract):
    @pytest.fixture(autouse=True)
    def _folder(self, tmp_path):
        self.path = tmp_path / "cases.db"

    def make_log(self) -> Any:
        return SqliteStore(self.path)

    def reopen(self, log: Any) -> Any:
        log.close()
        return SqliteStore(self.path)


@pytest.mark.optional
class TestPostgresLog(NotificationLogContract):
    @pytest.fixture(autouse=True)
    def _database(self, pg_url: str) -> Iterator[None]:
        self.url = pg_url
        self.opened: list[Any] = []
        yield
        for store in self.opened:
            store.close()

    def make_log(self) -> Any:
        from fyrules_adapters.postgresql import PostgresStore

        store = PostgresStore(self.url)
        self.opened.append(store)
        return store

    def reopen(self, log: Any) -> Any:
        log.close()
        return self.make_log()

    def test_a_partitioned_store_shares_one_log(self):
        """Every writer of a partitioned database reads the keys the others recorded (a key
        names one case, so one partition)."""
        from fyrules_adapters.postgresql import PostgresStore

        first = PostgresStore(self.url, partition=0, partitions=2)
        second = PostgresStore(self.url, partition=1, partitions=2)
        self.opened += [first, second]
        first.record_notification("C-1|red", {"key": "C-1|red", "status": "sent"})
        assert list(second.notification_keys()) == ["C-1|red"]
