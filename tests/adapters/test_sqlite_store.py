"""The SQLite adapter (adapters/fyrules_adapters/sqlite.py): the storage port's whole contract,
in memory and on a file; a reopened file continues where it stopped; a failure inside a
transaction or a batch leaves the database as it was; a file that is no store is refused."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

import fyrules
from fyrules.cases.trail import export_trail
from fyrules.cli import main
from fyrules.store_contract import STATE, Boom, StoreContract, _fuyang, _month
from fyrules_adapters.sqlite import SCHEMA_VERSION, SqliteStore, StoreError


class TestSqliteStoreInMemory(StoreContract):
    def make_store(self) -> Any:
        return SqliteStore(":memory:")


class TestSqliteStoreOnAFile(StoreContract):
    @pytest.fixture(autouse=True)
    def _folder(self, tmp_path):
        self.folder = tmp_path

    def make_store(self) -> Any:
        return SqliteStore(self.folder / "cases.db")


def _everything(store: Any) -> dict[str, Any]:
    return {
        "open": list(store.open_cases()),
        "closed": list(store.closed_cases()),
        "trail": list(store.trail()),
        "findings": list(store.findings()),
        "rejected": list(store.rejected()),
        "stats": dict(store.stats()),
    }


def test_a_reopened_file_continues_the_month_where_it_stopped(tmp_path):
    """Half a month on a file, the file closed and reopened, the other half on a new monitor
    with the first half's last events delivered again: the duplicates are recognised, the
    trail goes on from the same head, and everything ends as one monitor in memory ends."""
    events = _month()
    half = len(events) // 2
    path = tmp_path / "cases.db"
    with SqliteStore(path) as store:
        _fuyang().monitor(store=store).feed_all(events[:half])
        head = store.trail_head()
    store = SqliteStore(path)
    assert store.trail_head() == head
    monitor = _fuyang().monitor(store=store)
    again = monitor.feed_all(events[half - 20 : half])
    assert again.duplicates == sum(e.id is not None for e in events[half - 20 : half])
    assert again.accepted == 0
    monitor.feed_all(events[half:])

    memory = fyrules.MemoryStore()
    reference = _fuyang().monitor(store=memory)
    reference.feed_all(events)
    assert store.trail_head() == memory.trail_head()
    key = lambda f: (f.subject, f.rule, f.at)  # noqa: E731
    assert sorted(monitor.findings(), key=key) == sorted(reference.findings(), key=key)
    assert list(store.rejected()) == list(memory.rejected())

    exported = tmp_path / "trail.jsonl"
    export_trail(store.trail(), exported)
    head = store.trail_head()
    assert (
        main(["trail", "verify", str(exported), "--head", f"{head['index']}:{head['hash']}"]) == 0
    )


def test_a_failure_inside_a_transaction_leaves_the_file_unchanged(tmp_path):
    path = tmp_path / "cases.db"
    store = SqliteStore(path)
    store.put_case("C-1", STATE)
    store.remember_event("C-1", "e-1")
    store.append_trail({"index": 0})
    before = _everything(store)
    with pytest.raises(Boom), store.transaction():
        store.put_case("C-1", {**STATE, "stage": "changed"})
        store.close_case("C-2", {"case": "C-2"})
        store.remember_event("C-1", "e-2")
        store.append_trail({"index": 1})
        assert store.trail_head() == {"index": 1}
        store.add_finding({"case": "C-1", "rule": "R"})
        store.add_rejected({"reason": "X"})
        raise Boom
    assert _everything(store) == before
    assert store.trail_head() == {"index": 0}
    store.close()
    assert _everything(SqliteStore(path)) == before  # nothing half-written on the disk either


def test_in_a_batch_a_failed_event_is_undone_and_the_others_are_kept(tmp_path):
    """Inside ``batch`` each outermost transaction is a savepoint: a failure undoes only its
    own writes, and every completed event is committed, even when an exception ends the batch."""
    path = tmp_path / "cases.db"
    store = SqliteStore(path)
    with pytest.raises(Boom), store.batch(every=2):
        for n in range(5):
            with store.transaction():
                store.put_case(f"C-{n}", STATE)
                store.append_trail({"index": n})
        with store.transaction():
            store.put_case("C-bad", STATE)
            store.append_trail({"index": "bad"})
            raise Boom
    store.close()
    reopened = SqliteStore(path)
    assert [case for case, _ in reopened.open_cases()] == [f"C-{n}" for n in range(5)]
    assert reopened.trail_head() == {"index": 4}


def test_a_batched_month_ends_as_an_unbatched_one(tmp_path):
    batched, plain = SqliteStore(tmp_path / "a.db"), SqliteStore(tmp_path / "b.db")
    with batched.batch(every=64):
        _fuyang().monitor(store=batched).feed_all(_month())
    _fuyang().monitor(store=plain).feed_all(_month())
    assert _everything(batched) == _everything(plain)


def test_values_are_stored_as_compact_json_with_chinese_as_it_is(tmp_path):
    path = tmp_path / "cases.db"
    SqliteStore(path).put_case("C-1", {"stage": "受理", "n": [1, 2]})
    text = sqlite3.connect(path).execute("SELECT state FROM cases").fetchone()[0]
    assert text == '{"stage":"受理","n":[1,2]}'


def test_a_file_uses_wal_and_records_its_schema_version(tmp_path):
    path = tmp_path / "cases.db"
    SqliteStore(path).close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]


def _refused(path: Any) -> StoreError:
    with pytest.raises(StoreError) as caught:
        SqliteStore(path)
    assert caught.value.problem.code == "STORE-UNAVAILABLE"
    return caught.value


def test_what_cannot_be_a_store_is_refused_with_a_problem(tmp_path):
    assert "cannot open" in _refused(tmp_path / "no-such-folder" / "cases.db").problem.message_en
    assert "cannot open" in _refused(tmp_path).problem.message_en  # a folder
    text = tmp_path / "notes.txt"
    text.write_text("not a database at all, just some text\n" * 40, encoding="utf-8")
    assert "not a usable SQLite database" in _refused(text).problem.message_en
    assert text.read_text(encoding="utf-8").startswith("not a database")  # left alone
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)")
    assert "not a fyrules store" in _refused(other).problem.message_en
    newer = tmp_path / "newer.db"
    SqliteStore(newer).close()
    with sqlite3.connect(newer) as db:
        db.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    assert "schema version" in _refused(newer).problem.message_en


def test_two_stores_on_one_file_continue_one_chain(tmp_path):
    """The trail's head is remembered only while a store holds the write lock, so a second
    connection's appends are never hidden from the first."""
    path = tmp_path / "cases.db"
    first, second = SqliteStore(path), SqliteStore(path)
    trail_a, trail_b = fyrules.cases.trail.Trail(first), fyrules.cases.trail.Trail(second)
    for n in range(3):
        trail_a._append_canonical("event", {"n": n})
        trail_b._append_canonical("event", {"n": n})
    assert [e["index"] for e in first.trail()] == list(range(6))
    assert first.trail_head() == second.trail_head()


def test_a_file_locked_by_another_writer_is_a_problem_not_a_hang(tmp_path):
    path = tmp_path / "cases.db"
    SqliteStore(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    store = SqliteStore(path, timeout=0.05)
    with pytest.raises(StoreError) as caught, store.transaction():
        store.put_case("C-1", STATE)
    assert caught.value.problem.code == "STORE-UNAVAILABLE"
    assert "another connection is writing" in caught.value.problem.message_en
    other.execute("ROLLBACK")
    with store.transaction():  # usable again once the lock is gone
        store.put_case("C-1", STATE)
    assert store.get_case("C-1") == STATE
