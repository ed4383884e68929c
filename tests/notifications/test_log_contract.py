"""The notification log's contract (fyrules/store_contract.py: NotificationLogContract) for the
logs kept in memory: MemoryStore's, and the scheduler's own MemoryNotificationLog. The SQLite and
PostgreSQL adapters run the same suite in tests/adapters/test_notification_logs.py."""

from __future__ import annotations

from typing import Any

from fyrules import MemoryStore
from fyrules.notifications import MemoryNotificationLog
from fyrules.store_contract import NotificationLogContract


class TestMemoryStoreLog(NotificationLogContract):
    def make_log(self) -> Any:
        return MemoryStore()


class TestMemoryNotificationLog(NotificationLogContract):
    def make_log(self) -> Any:
        return MemoryNotificationLog()
