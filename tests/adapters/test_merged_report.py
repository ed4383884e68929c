"""One report of a month replayed by N writers: ``fyrules evaluate RULEBOOK --store X`` (no
events file) reads every partition of the store and reports what one replay of the month
reports (findings, rejected events), with the root of the chains' heads that
``fyrules trail verify --store`` computes; on a store written by one writer, the head."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fyrules.cli import main
from fyrules.simulation.cases import generate, write_jsonl
from fyrules.store_contract import FUYANG, _fuyang

pytestmark = pytest.mark.optional


@pytest.fixture(scope="module")
def month(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("month") / "events.jsonl"
    with path.open("w", encoding="utf-8") as out:
        write_jsonl(generate(_fuyang(), month="2025-10", cases=60, seed=11, faults=True), out)
    return path


def _json(capsys, *arguments: str) -> tuple[int, dict]:
    code = main([*arguments, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def _same(a: list[dict], b: list[dict]) -> bool:
    def key(x: dict) -> str:
        return json.dumps(x, sort_keys=True, ensure_ascii=False)

    return sorted(map(key, a)) == sorted(map(key, b))


@pytest.mark.parametrize("partitions", [4, 8])
def test_partitions_merge_into_the_report_of_one_replay_with_the_published_root(
    pg_url, month, capsys, partitions
):
    code, one = _json(capsys, "evaluate", str(FUYANG), str(month))
    parts = []
    for k in range(partitions):
        _, part = _json(
            capsys,
            "evaluate",
            str(FUYANG),
            str(month),
            "--store",
            pg_url,
            "--partition",
            f"{k}/{partitions}",
        )
        parts.append(part)
    merged_code, merged = _json(capsys, "evaluate", str(FUYANG), "--store", pg_url)
    assert merged_code == code
    assert merged["summary"]["partitions"] == partitions
    assert merged["summary"]["cases_finished"] == sum(p["summary"]["cases_finished"] for p in parts)
    assert merged["summary"]["cases_finished"] == one["summary"]["cases_finished"]
    assert _same(merged["findings"], one["findings"]) and one["findings"]
    assert _same(merged["rejected"], one["rejected"]) and one["rejected"]
    # each chain's head is the one its writer reported, and the root is trail verify's
    assert merged["chains"] == {str(k): p["trail_head"] for k, p in enumerate(parts)}
    assert main(["trail", "verify", "--store", pg_url, "--format", "json"]) == 0
    verified = json.loads(capsys.readouterr().out)
    assert merged["trail_root"] == verified["root"] and merged["trail_head"] is None
    # the text report names the root too
    assert main(["evaluate", str(FUYANG), "--store", pg_url, "--lang", "en"]) == code
    text = capsys.readouterr().out
    assert f"trail root: {verified['root']}" in text
    assert f"store of {partitions} partition(s)" in text


def test_a_store_written_by_one_writer_reports_as_its_replay(tmp_path, month, capsys):
    store = str(tmp_path / "cases.db")
    code, replayed = _json(capsys, "evaluate", str(FUYANG), str(month), "--store", store)
    again_code, held = _json(capsys, "evaluate", str(FUYANG), "--store", store)
    assert again_code == code
    assert held["findings"] == replayed["findings"] and held["rejected"] == replayed["rejected"]
    assert held["trail_head"] == replayed["trail_head"] and held["trail_root"] is None
    assert held["summary"]["cases_finished"] == replayed["summary"]["cases_finished"]


def test_no_events_and_no_store_is_a_usage_error(capsys):
    assert main(["evaluate", str(FUYANG)]) == 2
    assert "--store" in capsys.readouterr().err
