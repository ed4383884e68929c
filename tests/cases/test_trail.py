"""The tamper-evident trail: the hash chain, its head, verify, export and import."""

from __future__ import annotations

import hashlib
import io
import json

import pytest

from fyrules.cases.canonical import CanonicalError, canonical_json
from fyrules.cases.store import MemoryStore
from fyrules.cases.trail import (
    EMPTY_HEAD,
    GENESIS,
    KINDS,
    Trail,
    TrailError,
    TrailHead,
    entry_hash,
    export_trail,
    import_trail,
    verify,
)
from fyrules.cases.trail import file as trail_file


def _trail(n: int = 5) -> tuple[MemoryStore, Trail]:
    store = MemoryStore()
    trail = Trail(store)
    for i in range(n):
        trail.append("event", {"case": f"FY-2025-{i:06d}", "event": "accept", "n": i, "名": "审批"})
    return store, trail


def _exported(store: MemoryStore) -> bytes:
    buffer = io.BytesIO()
    export_trail(store.trail(), buffer)
    return buffer.getvalue()


def _first(result):
    return (result.first_bad.index, result.first_bad.reason)


# --- appending -------------------------------------------------------------------------------


def test_the_first_entry_follows_64_zeros_and_each_next_follows_the_last_hash():
    store, _ = _trail(3)
    entries = list(store.trail())
    assert [e["index"] for e in entries] == [0, 1, 2]
    assert entries[0]["prev"] == GENESIS
    assert entries[1]["prev"] == entries[0]["hash"] and entries[2]["prev"] == entries[1]["hash"]
    assert set(entries[0]) == {"index", "prev", "kind", "record", "hash"}


def test_the_hash_is_sha256_of_the_canonical_json_of_the_other_four_keys():
    store, _ = _trail(1)
    entry = next(store.trail())
    body = {k: entry[k] for k in ("index", "prev", "kind", "record")}
    assert entry["hash"] == hashlib.sha256(canonical_json(body)).hexdigest()
    assert entry["hash"] == entry_hash(0, GENESIS, "event", entry["record"])


def test_two_trails_on_one_store_continue_one_chain():
    store = MemoryStore()
    one, two = Trail(store), Trail(store)
    one.append("event", {"n": 0})
    two.append("rejected", {"n": 1, "reason": "approve before review"})
    one.append("draw", {"seed": 7})
    assert [e["index"] for e in store.trail()] == [0, 1, 2]
    assert verify(store.trail()).ok
    assert one.head() == two.head() == TrailHead(2, store.trail_head()["hash"])


def test_the_record_is_copied_so_changing_it_later_changes_nothing():
    store = MemoryStore()
    record = {"data": {"days": 5}, "list": [1]}
    entry = Trail(store).append("event", record)
    record["data"]["days"] = 50
    record["list"].append(2)
    assert entry["record"] == {"data": {"days": 5}, "list": [1]}
    assert verify(store.trail()).ok


def test_a_record_with_a_float_is_refused_and_nothing_is_written():
    store, trail = _trail(2)
    head = trail.head()
    with pytest.raises(CanonicalError) as err:
        trail.append("event", {"score": 4.5})
    assert err.value.problem.code == "TRAIL-VALUE"
    assert trail.head() == head and len(list(store.trail())) == 2


@pytest.mark.parametrize(
    ("kind", "record"),
    [("Event", {}), ("", {}), ("event kind", {}), ("x" * 33, {}), (3, {}), ("event", [1])],
)
def test_a_bad_kind_or_a_record_that_is_not_an_object_is_refused(kind, record):
    with pytest.raises(TrailError) as err:
        Trail(MemoryStore()).append(kind, record)
    assert err.value.problem.code == "TRAIL-VALUE"


def test_a_record_over_the_size_limit_is_refused(monkeypatch):
    from fyrules.cases import trail as trail_module

    monkeypatch.setattr(trail_module, "MAX_ENTRY_BYTES", 1000)
    store = MemoryStore()
    with pytest.raises(TrailError, match="too large"):
        Trail(store).append("event", {"text": "x" * 1000})
    assert store.trail_head() is None


def test_an_append_inside_a_failed_transaction_is_undone():
    store, trail = _trail(2)
    head = trail.head()
    with pytest.raises(RuntimeError), store.transaction():
        trail.append("event", {"n": 99})
        raise RuntimeError("the monitor failed after appending")
    assert trail.head() == head
    assert verify(store.trail(), expected_head=head).ok


def test_a_store_that_keeps_only_the_head_still_grows_the_chain():
    store = MemoryStore(keep_trail=False)
    trail = Trail(store)
    first = trail.append("event", {"n": 0})
    second = trail.append("event", {"n": 1})
    assert second["prev"] == first["hash"] and trail.head().index == 1


def test_the_kinds_fyrules_writes_are_documented():
    assert set(KINDS) == {"event", "rejected", "draw"}


# --- the head --------------------------------------------------------------------------------


def test_an_empty_trail_has_the_empty_head():
    assert Trail(MemoryStore()).head() == EMPTY_HEAD == TrailHead(-1, GENESIS)
    assert EMPTY_HEAD.length == 0
    assert verify([], expected_head=EMPTY_HEAD).ok


def test_a_head_is_published_as_a_dict_or_as_index_colon_hash():
    _, trail = _trail(3)
    head = trail.head()
    assert head.to_dict() == {"index": 2, "hash": head.hash} and head.length == 3
    assert TrailHead.from_dict(head.to_dict()) == head
    assert str(head) == f"2:{head.hash}"
    assert TrailHead.parse(f" {head} \n") == head


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "2",
        f"x:{GENESIS}",
        "2:" + "A" * 64,
        "2:" + "a" * 63,
        f"-2:{GENESIS}",
        "-1:" + "a" * 64,
    ],
)
def test_a_malformed_head_is_trail_head(text):
    with pytest.raises(TrailError) as err:
        TrailHead.parse(text)
    assert err.value.problem.code == "TRAIL-HEAD"


@pytest.mark.parametrize("value", [{"index": 1}, {"index": True, "hash": GENESIS}, [1, GENESIS]])
def test_a_malformed_head_dict_is_trail_head(value):
    with pytest.raises(TrailError) as err:
        TrailHead.from_dict(value)
    assert err.value.problem.code == "TRAIL-HEAD"


def test_a_store_whose_last_entry_is_malformed_is_reported():
    store = MemoryStore()
    store.append_trail({"index": "zero"})
    with pytest.raises(TrailError) as err:
        Trail(store).append("event", {})
    assert err.value.problem.code == "TRAIL-FORMAT"


# --- verify ----------------------------------------------------------------------------------


def test_an_untouched_trail_verifies_and_reports_its_head():
    store, trail = _trail(5)
    result = verify(store.trail())
    assert result.ok and result.checked == 5 and result.head == trail.head()
    assert result.problems() == ()
    assert result.to_dict()["first_bad"] is None


def test_a_changed_record_breaks_the_chain_at_that_entry():
    store, _ = _trail(5)
    entries = [json.loads(json.dumps(e)) for e in store.trail()]
    entries[3]["record"]["n"] = 30
    result = verify(entries)
    assert _first(result) == (3, "hash") and result.checked == 3
    assert result.problems()[0].code == "TRAIL-BROKEN"
    assert "entry 3" in result.problems()[0].message_en


def test_a_changed_hash_is_caught_at_that_entry_not_the_next():
    store, _ = _trail(5)
    entries = [dict(e) for e in store.trail()]
    entries[2]["hash"] = "f" * 64
    assert _first(verify(entries)) == (2, "hash")


def test_an_entry_that_does_not_follow_the_one_before_is_wrong_prev():
    store, _ = _trail(5)
    entries = [dict(e) for e in store.trail()]
    entries[4]["prev"] = "a" * 64
    entries[4]["hash"] = entry_hash(4, "a" * 64, "event", entries[4]["record"])
    assert _first(verify(entries)) == (4, "prev")


def test_a_deleted_entry_is_found_where_it_was():
    store, _ = _trail(5)
    entries = list(store.trail())
    del entries[1]
    result = verify(entries)
    assert _first(result) == (1, "index")
    assert "found index 2" in result.first_bad.message_en


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (lambda e: e.pop("kind"), "missing ['kind']"),
        (lambda e: e.update(extra=1), "unknown ['extra']"),
        (lambda e: e.update(index="2"), "index must be"),
        (lambda e: e.update(index=True), "index must be"),
        (lambda e: e.update(prev="A" * 64), "prev must be"),
        (lambda e: e.update(hash=None), "hash must be"),
        (lambda e: e.update(kind="Event"), "kind must be"),
        (lambda e: e.update(record=[1]), "record must be"),
        (lambda e: e.update(record={"score": 4.5}), "no canonical form"),
    ],
)
def test_a_malformed_entry_is_trail_format_at_its_index(change, needle):
    store, _ = _trail(4)
    entries = [dict(e) for e in store.trail()]
    change(entries[2])
    result = verify(entries)
    assert _first(result) == (2, "malformed")
    assert result.problems()[0].code == "TRAIL-FORMAT"
    assert needle in result.first_bad.message_en


def test_something_that_is_not_an_object_is_malformed():
    assert _first(verify(["not an entry"])) == (0, "malformed")


def test_a_cut_tail_is_found_only_with_the_published_head():
    store, trail = _trail(5)
    published = trail.head()
    entries = list(store.trail())[:3]
    assert verify(entries).ok
    result = verify(entries, expected_head=published)
    assert _first(result) == (3, "missing")
    assert result.problems()[0].code == "TRAIL-HEAD"
    assert "2 entries were cut" in result.first_bad.message_en


def test_a_rewritten_chain_verifies_alone_but_not_against_the_published_head():
    store, trail = _trail(5)
    published = trail.head()
    forged = MemoryStore()
    for entry in store.trail():
        record = dict(entry["record"])
        if entry["index"] == 1:
            record["event"] = "deny"
        Trail(forged).append(entry["kind"], record)
    assert verify(forged.trail()).ok
    result = verify(forged.trail(), expected_head=published)
    assert _first(result) == (4, "head")
    assert "rewritten" in result.first_bad.message_en


def test_entries_after_the_published_head_verify_and_are_counted():
    store, trail = _trail(3)
    published = trail.head()
    trail.append("event", {"n": 3})
    trail.append("event", {"n": 4})
    result = verify(store.trail(), expected_head=published)
    assert result.ok and result.past_head == 2 and result.head == trail.head()


def test_a_break_before_the_published_head_is_reported_first():
    store, trail = _trail(5)
    entries = [dict(e) for e in store.trail()][:4]
    entries[1] = {**entries[1], "kind": "draw"}
    assert _first(verify(entries, expected_head=trail.head())) == (1, "hash")


# --- export and import -----------------------------------------------------------------------


def test_export_writes_one_canonical_entry_per_line(tmp_path):
    store, _ = _trail(3)
    path = tmp_path / "trail.jsonl"
    assert export_trail(store.trail(), path) == 3
    data = path.read_bytes()
    assert data == b"".join(canonical_json(e) + b"\n" for e in store.trail())
    assert "审批".encode() in data


def test_import_reads_back_what_export_wrote_and_verifies_it(tmp_path):
    store, trail = _trail(4)
    path = tmp_path / "trail.jsonl"
    export_trail(store.trail(), path)
    imported = import_trail(path, expected_head=trail.head())
    assert imported.ok and imported.problems == ()
    assert imported.entries == list(store.trail()) and imported.head == trail.head()
    assert import_trail(str(path)).ok


def test_a_text_stream_works_both_ways():
    store, _ = _trail(2)
    text = io.StringIO(newline="\n")
    export_trail(store.trail(), text)
    assert text.getvalue().encode() == _exported(store)
    assert import_trail(io.StringIO(text.getvalue())).ok


def test_an_empty_file_is_an_empty_trail_and_is_cut_if_a_head_was_published():
    assert import_trail(io.BytesIO(b"")).ok
    _, trail = _trail(1)
    imported = import_trail(io.BytesIO(b""), expected_head=trail.head())
    assert [p.code for p in imported.problems] == ["TRAIL-HEAD"]


def test_an_entry_without_a_canonical_form_cannot_be_exported():
    with pytest.raises(CanonicalError):
        export_trail([{"index": 0, "score": 1.5}], io.BytesIO())


@pytest.mark.parametrize(
    ("replace", "needle"),
    [
        (lambda line: b"", "is blank"),
        (lambda line: line[:-1] + b" ", "does not end with a newline"),
        (lambda line: line.replace(b'"kind":', b'"kind": '), "not canonical"),
        (lambda line: line.replace(b"\xe5\xae\xa1", b"\xe5\xae"), "not UTF-8"),
        (lambda line: line[:40], "not valid JSON"),
        (lambda line: b"[1,2]", "not a JSON object"),
        (lambda line: line.replace(b'"n":2', b'"n":2.0'), "value that is refused"),
        (lambda line: line.replace(b'"n":2', b'"n":NaN'), "value that is refused"),
        (lambda line: line.replace(b'"kind"', b'"kinds"'), "unknown ['kinds']"),
        (lambda line: b"\xef\xbb\xbf" + line, "not valid JSON"),
    ],
)
def test_a_line_that_cannot_be_read_is_trail_format_at_its_line(replace, needle):
    store, _ = _trail(4)
    lines = _exported(store).splitlines(keepends=True)
    lines[2] = replace(lines[2][:-1]) + (b"\n" if needle != "does not end with a newline" else b"")
    if needle == "does not end with a newline":
        lines = lines[:3]
    imported = import_trail(io.BytesIO(b"".join(lines)), expected_head=None)
    assert not imported.ok
    first = imported.problems[0]
    assert (first.code, first.line) == ("TRAIL-FORMAT", 3)
    assert needle in first.message_en
    assert len(imported.entries) == 2


def test_every_unreadable_line_is_reported_but_the_chain_is_checked_only_up_to_the_first():
    store, _ = _trail(6)
    lines = _exported(store).splitlines(keepends=True)
    lines[1] = b"garbage\n"
    lines[4] = b"\n"
    lines[5] = lines[5].replace(b'"n":5', b'"n":55')  # also changed, but after the first problem
    imported = import_trail(io.BytesIO(b"".join(lines)))
    assert [(p.code, p.line) for p in imported.problems] == [
        ("TRAIL-FORMAT", 2),
        ("TRAIL-FORMAT", 5),
    ]
    assert imported.verification.first_bad.index == 1 and len(imported.entries) == 1


def test_a_chain_break_in_a_file_is_trail_broken_at_its_line():
    store, _ = _trail(4)
    data = _exported(store).replace(b'"n":2', b'"n":7')
    imported = import_trail(io.BytesIO(data))
    assert [(p.code, p.line, p.path) for p in imported.problems] == [("TRAIL-BROKEN", 3, "<trail>")]


def test_problems_name_the_file(tmp_path):
    store, _ = _trail(3)
    path = tmp_path / "trail.jsonl"
    path.write_bytes(_exported(store).replace(b'"n":1', b'"n":9'))
    problem = import_trail(path).problems[0]
    assert problem.format("en").startswith(f"{path}:2: TRAIL-BROKEN: entry 1:")


def test_a_file_that_cannot_be_opened_is_a_problem_not_an_exception(tmp_path):
    assert [p.code for p in import_trail(tmp_path / "missing.jsonl").problems] == ["FILE-NOT-FOUND"]
    assert [p.code for p in import_trail(tmp_path).problems] == ["FILE-UNREADABLE"]


def test_an_overlong_line_is_skipped_and_reported(monkeypatch):
    monkeypatch.setattr(trail_file, "MAX_LINE_BYTES", 50)
    imported = import_trail(io.BytesIO(b"x" * 200 + b"\n" + b"y" * 10 + b"\n"))
    assert [(p.line, "longer than 50 bytes" in p.message_en) for p in imported.problems] == [
        (1, True),
        (2, False),
    ]


def test_reading_stops_after_too_many_problems(monkeypatch):
    monkeypatch.setattr(trail_file, "MAX_PROBLEMS", 3)
    imported = import_trail(io.BytesIO(b"x\n" * 10))
    assert [p.line for p in imported.problems] == [1, 2, 3, 3]
    assert "too many problems" in imported.problems[-1].message_en


def test_every_single_byte_change_of_a_small_export_is_caught_at_its_line():
    """Exhaustive: each byte position, replaced by each of a few telling bytes."""
    store, trail = _trail(3)
    data = _exported(store)
    for position in range(len(data)):
        line = data[:position].count(b"\n") + 1
        for new in (
            b"\n",
            b" ",
            b"0",
            b"1",
            b'"',
            b"\\",
            b"a",
            b"}",
            b"\xff",
            bytes([data[position] ^ 1]),
        ):
            if new[0] == data[position]:
                continue
            changed = data[:position] + new + data[position + 1 :]
            imported = import_trail(io.BytesIO(changed), expected_head=trail.head())
            assert not imported.ok, (position, new)
            assert imported.problems[0].line == line, (position, new, imported.problems[0])


# --- docs/trail.md keeps up ------------------------------------------------------------------


def _trail_doc() -> str:
    from pathlib import Path

    return (Path(__file__).resolve().parents[2] / "docs" / "trail.md").read_text(encoding="utf-8")


def test_the_docs_name_every_kind_and_every_reason_with_its_code():
    from typing import get_args

    from fyrules.cases.trail.chain import BreakReason, TrailBreak

    text = _trail_doc()
    for kind in KINDS:
        assert f"| `{kind}` |" in text
    for reason in get_args(BreakReason):
        code = TrailBreak(0, reason, "", "").code
        assert f"| `{reason}` | {code} |" in text


def test_the_docs_example_of_publishing_a_head_runs(capsys):
    text = _trail_doc()
    example = text.split("```python\n", 1)[1].split("```", 1)[0]
    exec(compile(example, "docs/trail.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert TrailHead.parse(printed[0]).index == 0


@pytest.mark.parametrize("index", [2**53, 10**5000, -2], ids=["2**53", "10**5000", "-2"])
def test_an_index_out_of_range_is_malformed_not_an_exception(index):
    store, _ = _trail(1)
    entry = {**next(store.trail()), "index": index}
    assert _first(verify([entry])) == (0, "malformed")
    with pytest.raises(TrailError):
        TrailHead(index, GENESIS)


def test_windows_line_endings_are_named_as_such():
    store, _ = _trail(2)
    imported = import_trail(io.BytesIO(_exported(store).replace(b"\n", b"\r\n")))
    assert [p.line for p in imported.problems] == [1, 2]
    assert "carriage return" in imported.problems[0].message_en
