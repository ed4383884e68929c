"""The monitor's answers on generated months, pinned byte for byte.

The monitor's per-event path is tuned for speed (issue 18); none of that may change an answer.
Each digest below is the SHA-256 of what the code before that work answered on the same
month: ``fyrules evaluate --format json`` (closing clocks and findings of finished cases, open
cases as of their last event and as of a later moment), the rejected events with their
reasons, every finding, and the trail's head. A change that moves any byte of any of them
fails here, with the part that moved named."""

from __future__ import annotations

import hashlib
import json
import random

import pytest

from fyrules.cases.monitor import Monitor
from fyrules.cases.store import MemoryStore
from fyrules.cli import main
from fyrules.simulation.cases import write_jsonl
from tests.conftest import FUYANG, fuyang_rulebook, generated_month

# (cases, seed, faults) -> digest per part; computed on the code before issue 18's monitor work
PINNED: dict[tuple[int, int, bool], dict[str, str]] = {
    (1500, 3, False): {
        "evaluate": "5abdcb226b2e50f92ce359f3f5ac37fe7c5552a2dfce2240d457c7c6e906f87e",
        "evaluate_at": "6f8aa80eece93667a03341ccff6bc0de971dc636327dc2aaf3d7374ad830c3f6",
        "summary": "81ec20f7027c8a97a64bb213178cb189b4bbee5ddff4898871f41cfc1d726b9c",
        "rejected": "ee6a696ed5b358f85234ff7b66d2de6b7956b122da285f377e82aad79f8d5c83",
        "findings": "487964da5ae49830fd468e57e0f750a1513c3e9cace842c03a98167db1978b55",
        "stored_findings": "74f4e5fbb189a6e6f60f547623cb9260e0fd80cd3ce763bf0a91d3a5da757d27",
        "closed": "e32b334c9bf7e6a5fe9cbad8fdc636870d1a0aa7b55f3e6efc04efd0cab468ef",
        "trail_head": "057c3450d082e27ba9f174697979353a351f2c53c934adca3e1ecfe89dc20022",
        "summary_no_trail": "81ec20f7027c8a97a64bb213178cb189b4bbee5ddff4898871f41cfc1d726b9c",
        "rejected_no_trail": "ee6a696ed5b358f85234ff7b66d2de6b7956b122da285f377e82aad79f8d5c83",
        "findings_no_trail": "487964da5ae49830fd468e57e0f750a1513c3e9cace842c03a98167db1978b55",
        "stored_findings_no_trail": "74f4e5fbb189a6e6f60f547623cb9260e0fd80cd3ce763bf0a91d3a5da757d27",
        "closed_no_trail": "e32b334c9bf7e6a5fe9cbad8fdc636870d1a0aa7b55f3e6efc04efd0cab468ef",
    },
    (1500, 11, True): {
        "evaluate": "17d025572b9ed1cb85543fea82d1d5200dfcfee77ce3cf35dd5333fab0ba479a",
        "evaluate_at": "9d7b27b429d795d0a0ce39c1b2f1c22ac68d36eb50a17d38ca09029f9a60303e",
        "summary": "51aa44e59419321d3aa9447bede5ce63b019a8fd3b8d6855d661234314561f07",
        "rejected": "214f0d92bbec858d7aa2f05b93eb9943966deac24e0c1e81c19090f8c6a07873",
        "findings": "33180c578932b1b1bb6e14ac922a7d71104d169192b7c26be8fab1636599e6e0",
        "stored_findings": "911ffedb63af99a07b6fc7d1cd5d557ef835ec60825925a506a78aa053667fc0",
        "closed": "1683edda3381ec5a346a1a6a14f6c52119516035a6864499af092ccc3e03de9a",
        "trail_head": "cc77d8840ad10c8bdb784596759621cb176456198a7bc6f300e562b2077d3379",
        "summary_no_trail": "51aa44e59419321d3aa9447bede5ce63b019a8fd3b8d6855d661234314561f07",
        "rejected_no_trail": "214f0d92bbec858d7aa2f05b93eb9943966deac24e0c1e81c19090f8c6a07873",
        "findings_no_trail": "33180c578932b1b1bb6e14ac922a7d71104d169192b7c26be8fab1636599e6e0",
        "stored_findings_no_trail": "911ffedb63af99a07b6fc7d1cd5d557ef835ec60825925a506a78aa053667fc0",
        "closed_no_trail": "1683edda3381ec5a346a1a6a14f6c52119516035a6864499af092ccc3e03de9a",
    },
    (400, 5, True): {
        "evaluate": "4ebd22ff5b14e28b7915b8f428aa1ce5558c5f04924cea30763515ff6e3c3f58",
        "evaluate_at": "864b05990cfdbeb322cb87ff390226dde8a158edd21f786d2b6b1b244a2a14be",
        "summary": "41b061c44412196764988603999500d8741da21dba45d195c57068c75a2f56be",
        "rejected": "132a87fae1fb643f977cc9b82b7420dcd5219efa7d9020f41521a4f4bbd6714b",
        "findings": "04abeb1a5bbc7105498ec4c5796e045a4447a39960b2823946990c5110771182",
        "stored_findings": "83e5ce86e902bfc1befd3bf108acb3d4b1dbb2a8d6cc261ee1e921e5ed22a376",
        "closed": "d3df16346e6ac3a615a63e1e10c4c4ee58b57eab89e5359def1d0713a8666f4f",
        "trail_head": "860cff89495385c6440fa803868da8bf6ca44186a2b02791516e0af4d2dd2efd",
        "summary_no_trail": "41b061c44412196764988603999500d8741da21dba45d195c57068c75a2f56be",
        "rejected_no_trail": "132a87fae1fb643f977cc9b82b7420dcd5219efa7d9020f41521a4f4bbd6714b",
        "findings_no_trail": "04abeb1a5bbc7105498ec4c5796e045a4447a39960b2823946990c5110771182",
        "stored_findings_no_trail": "83e5ce86e902bfc1befd3bf108acb3d4b1dbb2a8d6cc261ee1e921e5ed22a376",
        "closed_no_trail": "d3df16346e6ac3a615a63e1e10c4c4ee58b57eab89e5359def1d0713a8666f4f",
    },
}


def _digest(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _stream(cases: int, seed: int, faults: bool) -> list:
    """The generated month, and for ``faults`` also what bench_monitor mixes in: approvals
    right after submission, and redeliveries."""
    events = list(generated_month(cases, seed, faults=faults))
    if not faults:
        return events
    rnd = random.Random(seed)
    out = []
    for n, event in enumerate(events):
        out.append(event)
        if event.event == "submit" and rnd.random() < 0.02:
            out.append(event.model_copy(update={"id": f"x-{n:07d}", "event": "approve"}))
        elif rnd.random() < 0.02:
            out.append(event)
    return out


def _answers(tmp_path, capsys, cases: int, seed: int, faults: bool) -> dict[str, str]:
    events = _stream(cases, seed, faults)
    path = tmp_path / "month.jsonl"
    with path.open("w", encoding="utf-8") as out:
        write_jsonl(events, out)
    parts: dict[str, str] = {}
    for name, extra in (("evaluate", []), ("evaluate_at", ["--at", "2025-11-20T12:00:00+08:00"])):
        main(["evaluate", str(FUYANG), str(path), "--format", "json", *extra])
        parts[name] = _digest(capsys.readouterr().out)
    for trail in (True, False):
        monitor = Monitor(fuyang_rulebook(), store=MemoryStore(), trail=trail)
        summary = monitor.feed_all(events)
        suffix = "" if trail else "_no_trail"
        parts["summary" + suffix] = _digest(summary.to_dict())
        parts["rejected" + suffix] = _digest(list(monitor.rejected()))
        parts["findings" + suffix] = _digest([f.to_dict() for f in monitor.findings()])
        parts["stored_findings" + suffix] = _digest(list(monitor.store.findings()))
        parts["closed" + suffix] = _digest(sorted(monitor.store.closed_cases()))
        if trail:
            parts["trail_head"] = _digest(str(monitor._trail.head()))
    return parts


@pytest.mark.parametrize(("cases", "seed", "faults"), sorted(PINNED))
def test_monitor_answers_are_byte_identical_to_before_the_speed_work(
    tmp_path, capsys, cases, seed, faults
):
    """Every part of the monitor's answer on the month has the digest pinned for it."""
    got = _answers(tmp_path, capsys, cases, seed, faults)
    moved = sorted(k for k, v in PINNED[(cases, seed, faults)].items() if got.get(k) != v)
    assert not moved, f"answers moved: {moved}"
