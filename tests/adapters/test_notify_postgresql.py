"""``fyrules notify --store`` on PostgreSQL: that adapter keeps no notification log yet, so the
command refuses it (exit 2, saying why) rather than risk sending twice after a restart."""

from __future__ import annotations

import json

import pytest

from fyrules.cli import main
from fyrules.store_contract import FUYANG

pytestmark = pytest.mark.optional


def test_notify_refuses_a_store_that_keeps_no_notification_log(pg_url, tmp_path, capsys):
    events = tmp_path / "events.jsonl"
    events.write_text(
        json.dumps(
            {
                "id": "e-1",
                "case": "FY-202510-000001",
                "item": "FY-SC-001",
                "event": "accept",
                "at": "2025-10-09T09:30:00+08:00",
                "actor": "P-SC-03",
                "dept": "SC",
                "data": {},
            }
        )
        + "\n",
        encoding="utf-8",
    )
    code = main(
        ["notify", str(FUYANG), str(events), "--as-of", "2025-11-01T00:00", "--store", pg_url]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "不保存已发出的通知" in err and "use a SQLite store" in err
