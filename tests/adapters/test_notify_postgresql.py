"""``fyrules notify --store`` on PostgreSQL: the record of what was sent lives in the database
(the notification log of migration 0002), so a later run, a new process on the same database,
sends nothing twice, exactly as with a SQLite file (tests/notifications/test_notify_cli.py)."""

from __future__ import annotations

import pytest

from tests.notifications.test_notify_cli import LEFT_ALONE, _events, _json

pytestmark = pytest.mark.optional


def test_postgresql_remembers_what_was_sent_across_runs(pg_url, tmp_path, capsys):
    events = _events(tmp_path, *LEFT_ALONE)
    _, first = _json(capsys, events, "--as-of", "2025-10-15T00:00+08:00", "--store", pg_url)
    _, second = _json(capsys, events, "--as-of", "2025-11-10T00:00+08:00", "--store", pg_url)
    _, third = _json(capsys, events, "--as-of", "2025-11-10T00:00+08:00", "--store", pg_url)
    _, whole = _json(capsys, events, "--as-of", "2025-11-10T00:00+08:00")
    keys = [n["key"] for n in first["notifications"]] + [n["key"] for n in second["notifications"]]
    assert len(first["notifications"]) == 3 and len(second["notifications"]) == 1
    assert third["notifications"] == []
    assert sorted(keys) == sorted(n["key"] for n in whole["notifications"])


def test_the_log_rows_are_the_notifications_sent(pg_url, tmp_path, capsys):
    from fyrules_adapters.postgresql import PostgresStore

    events = _events(tmp_path, *LEFT_ALONE)
    _, doc = _json(capsys, events, "--as-of", "2025-11-10T00:00+08:00", "--store", pg_url)
    with PostgresStore(pg_url) as store:
        assert list(store.notification_keys()) == [n["key"] for n in doc["notifications"]]
