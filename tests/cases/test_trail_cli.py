"""``fyrules trail verify FILE [--head HEAD]``: exit 0 intact, 1 broken, 2 could not run."""

from __future__ import annotations

import json

import pytest

from fyrules.cases.store import MemoryStore
from fyrules.cases.trail import Trail, export_trail
from fyrules.cli import main


@pytest.fixture
def exported(tmp_path):
    store = MemoryStore()
    trail = Trail(store)
    for n in range(4):
        trail.append("event", {"case": "FY-2025-000123", "n": n})
    path = tmp_path / "trail.jsonl"
    export_trail(store.trail(), path)
    return path, trail.head()


def test_an_intact_trail_exits_0_and_prints_its_head(exported, capsys):
    path, head = exported
    assert main(["trail", "verify", str(path), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "the trail is intact, 4 entries" in out and f"head: {head}" in out


@pytest.mark.parametrize("form", ["index:hash", "hash"])
def test_the_published_head_may_be_given_with_or_without_its_index(exported, capsys, form):
    path, head = exported
    given = str(head) if form == "index:hash" else head.hash
    assert main(["trail", "verify", str(path), "--head", given, "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["published_head"] == head.to_dict()
    assert report["past_head"] == 0 and report["entries"] == 4


def test_a_changed_byte_exits_1_naming_the_line(exported, capsys):
    path, _ = exported
    path.write_bytes(path.read_bytes().replace(b'"n":2', b'"n":3'))
    assert main(["trail", "verify", str(path), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert f"{path}:3: TRAIL-BROKEN: entry 2:" in out
    assert "the 2 entries before the first problem are intact" in out


@pytest.mark.parametrize("form", ["index:hash", "hash"])
def test_a_cut_tail_exits_1_given_the_published_head(exported, capsys, form):
    path, head = exported
    path.write_bytes(b"".join(path.read_bytes().splitlines(keepends=True)[:2]))
    assert main(["trail", "verify", str(path)]) == 0
    capsys.readouterr()
    given = str(head) if form == "index:hash" else head.hash
    assert main(["trail", "verify", str(path), "--head", given, "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [p["code"] for p in report["problems"]] == ["TRAIL-HEAD"]


@pytest.mark.parametrize(
    "argv",
    [
        ["trail", "verify", "missing.jsonl"],
        ["trail", "verify", "{path}", "--head", "not-a-head"],
        ["trail", "verify", "{path}", "--head", "x:" + "0" * 64],
        ["trail"],
    ],
)
def test_what_cannot_be_checked_exits_2(exported, capsys, argv):
    path, _ = exported
    assert main([a.replace("{path}", str(path)) for a in argv]) == 2
    assert "Traceback" not in capsys.readouterr().err
