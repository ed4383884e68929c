"""``fyrules notify`` and ``fyrules deadline`` with ``--store`` on a PostgreSQL database written
in 4 partitions: each event given is replayed into the partition that owns its case, and the
result is what one replay in memory gives (notifications merged in time order; a case's
clock from its own partition). ``fyrules inspect --store`` still opens one writer and refuses
such a database, saying so."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from fyrules.cases.partition import partition_of
from fyrules.cli import main
from fyrules.simulation.cases import generate, write_jsonl
from fyrules.store_contract import FUYANG, _fuyang

pytestmark = pytest.mark.optional

MONTH = "2025-10"
AS_OF = "2025-10-31T23:00:00+08:00"
PARTS = 4


@pytest.fixture(scope="module")
def month(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("partitioned-commands") / "events.jsonl"
    with path.open("w", encoding="utf-8") as out:
        write_jsonl(generate(_fuyang(), month=MONTH, cases=120, seed=31), out)
    return path


@pytest.fixture
def four(pg_url: str) -> str:
    """A database whose number of partitions is fixed at 4 before anything is written."""
    from fyrules_adapters.postgresql import PostgresStore

    PostgresStore(pg_url, partition=0, partitions=PARTS).close()
    return pg_url


def _json(capsys: Any, *arguments: str) -> tuple[int, dict[str, Any]]:
    code = main([*arguments, "--format", "json"])
    captured = capsys.readouterr()
    assert captured.out, captured.err
    return code, json.loads(captured.out)


def _notify(capsys: Any, month: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    return _json(capsys, "notify", str(FUYANG), str(month), "--as-of", AS_OF, *extra)


def _keys(doc: dict[str, Any]) -> list[str]:
    return [n["key"] for n in doc["notifications"]]


def test_notify_routes_each_event_to_its_partition_and_sends_nothing_twice(four, month, capsys):
    one_code, one = _notify(capsys, month)
    code, merged = _notify(capsys, month, "--store", four)
    assert code == one_code
    assert len(one["notifications"]) > 20  # a real month's warnings
    # the same notifications, each partition's in time order, merged in time order
    assert sorted(merged["notifications"], key=json.dumps) == sorted(
        one["notifications"], key=json.dumps
    )
    moments = [n["at"] for n in merged["notifications"]]
    assert moments == sorted(moments, key=dt.datetime.fromisoformat)
    assert sorted(merged["findings"], key=json.dumps) == sorted(one["findings"], key=json.dumps)
    assert merged["rejected_events"] == one["rejected_events"]
    # every partition holds cases of its own
    owners = {partition_of(n["case"], PARTS) for n in merged["notifications"]}
    assert owners == set(range(PARTS))
    # the record of what was sent is in the store: a later run emits nothing again
    _, again = _notify(capsys, month, "--store", four)
    assert again["notifications"] == []


def test_deadline_reads_the_case_from_the_partition_that_owns_it(four, month, capsys):
    with month.open(encoding="utf-8") as lines:
        cases = sorted({json.loads(line)["case"] for line in lines})
    # a case of each partition
    chosen = {partition_of(c, PARTS): c for c in cases}
    assert set(chosen) == set(range(PARTS))
    for case in chosen.values():
        base = ["deadline", str(FUYANG), "--case", case]
        _, whole = _json(capsys, *base, "--events", str(month))
        _, stored = _json(capsys, *base, "--events", str(month), "--store", four)
        _, held = _json(capsys, *base, "--store", four)  # no events: what the store holds
        assert stored == whole == held


def test_inspect_refuses_a_partitioned_database_and_says_so(four, month, capsys):
    code = main(
        ["inspect", str(FUYANG), str(month), "--month", MONTH, "--seed", "1.0", "--store", four]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "4 个分区" in err and "4 partitions" in err
    assert "不带 --store" in err and "without --store" in err  # what to do instead
    assert "Traceback" not in err
