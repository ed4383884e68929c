"""``fyrules notify``, ``deadline`` and ``inspect`` with ``--store`` on a PostgreSQL database
written in 4 partitions: each event given is replayed into the partition that owns its case,
and the result is what one replay in memory gives (notifications merged in time order; a
case's clock from its own partition; a draw among the cases of every partition, recorded on
the first partition's chain, whose inspections ``notify`` then assigns)."""

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


@pytest.fixture(scope="module")
def inspected(tmp_path_factory) -> dict[str, Path]:
    """October, the inspections and rectifications of its draw, and both together."""
    from fyrules.separation.inspection.draw import closed_in_month, draw
    from fyrules.simulation.outcomes import outcome_events

    root = tmp_path_factory.mktemp("partitioned-inspect")
    rb = _fuyang()
    events = list(generate(rb, month=MONTH, cases=300, seed=3))
    monitor = rb.monitor()
    monitor.feed_all(events)
    cases = closed_in_month(rb, monitor.store, MONTH)
    outcomes = outcome_events(rb, draw(rb, cases, month=MONTH, public_value=SEED), cases, seed=1)
    paths = {}
    for name, chosen in (("october", events), ("outcomes", outcomes), ("both", events + outcomes)):
        paths[name] = root / f"{name}.jsonl"
        with paths[name].open("w", encoding="utf-8") as out:
            write_jsonl(chosen, out)
    return paths


SEED = "3310.27"


def test_inspect_draws_among_the_cases_of_every_partition(four, inspected, capsys):
    base = ["inspect", str(FUYANG), str(inspected["october"]), "--month", MONTH, "--seed", SEED]
    one_code, one = _json(capsys, *base)
    code, merged = _json(capsys, *base, "--store", four)
    assert (code, merged["draw"], merged["digest"]) == (one_code, one["draw"], one["digest"])
    assert {partition_of(r["case"], PARTS) for r in merged["draw"]["assignment"]} == set(
        range(PARTS)
    )
    assert merged["rejected_events"] == one["rejected_events"]
    # recorded on the first partition's chain, which verifies with the others
    assert main(["trail", "verify", "--store", four, "--format", "json"]) == 0
    verified = json.loads(capsys.readouterr().out)
    assert verified["chains"]["0"]["head"] == merged["trail_head"]
    assert set(verified["chains"]) == {str(k) for k in range(PARTS)}


def test_notify_assigns_the_inspections_of_a_draw_recorded_in_a_partitioned_store(
    four, inspected, capsys, tmp_path
):
    base = ["inspect", str(FUYANG), str(inspected["october"]), "--month", MONTH, "--seed", SEED]
    _, drawn = _json(capsys, *base)
    draw_file = tmp_path / "draw.json"
    draw_file.write_text(json.dumps(drawn), encoding="utf-8")
    assert main([*base, "--store", four]) == 0  # the draw, recorded in the store
    capsys.readouterr()
    as_of = "2025-11-03T12:00:00+08:00"
    notify = ["notify", str(FUYANG), str(inspected["october"]), "--as-of", as_of]
    _, one = _json(capsys, *notify, "--draw", str(draw_file))
    _, merged = _json(capsys, *notify, "--store", four)  # the draw read from the store
    assigned = [n for n in merged["notifications"] if n["trigger"] == "inspection_assigned"]
    expected = [n for n in one["notifications"] if n["trigger"] == "inspection_assigned"]
    assert len(expected) == len(drawn["draw"]["assignment"]) > 0
    assert sorted(assigned, key=json.dumps) == sorted(expected, key=json.dumps)
    assert all(n["item"] for n in assigned)  # each names its case's item


def test_inspect_reports_the_inspections_of_every_partition(four, inspected, capsys):
    base = ["--month", "2025-11", "--report"]
    code, one = _json(capsys, "inspect", str(FUYANG), str(inspected["both"]), *base)
    assert sum(d["inspections"] for d in one["departments"]) > 0
    for name in ("october", "outcomes"):  # delivered in two runs, routed to their partitions
        stored_code, merged = _json(
            capsys, "inspect", str(FUYANG), str(inspected[name]), *base, "--store", four
        )
    assert stored_code == code
    assert one["accountability"]  # the month's accountability records, every partition's
    assert merged == one
