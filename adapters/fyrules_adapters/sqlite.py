"""The storage port (:class:`fyrules.Store`) over SQLite, with the standard library only.

``SqliteStore("cases.db")`` keeps the monitor's open cases, closed-case summaries, seen event
ids, trail, findings and rejected events in one database file; ``SqliteStore(":memory:")``
keeps them in memory. Beside the port it keeps the notification log and the delivery log (every
event decided, as delivered: :mod:`fyrules.cases.deliveries`). The schema is created on first use and numbered in ``schema_version``;
values are stored as compact JSON text (``ensure_ascii=False``). Reopening a file continues
where it stopped: a monitor built on the reopened store keeps deduping and extends the same
trail. docs/embedding.md ("The SQLite adapter") says what it costs and how to batch.

Transactions follow the port: the outermost :meth:`SqliteStore.transaction` is a SQLite
transaction (``BEGIN IMMEDIATE`` … ``COMMIT``, or ``ROLLBACK`` when an exception leaves it);
one opened inside another belongs to the outer one. Inside :meth:`SqliteStore.batch` each
outermost transaction is a savepoint of a longer SQLite transaction, so a failed event still
leaves nothing changed while many events share one commit.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterator, Mapping
from typing import Any, Literal

from fyrules_adapters.errors import StoreError, unavailable

JSON = dict[str, Any]
SCHEMA_VERSION = 1
__all__ = ["SCHEMA_VERSION", "SqliteStore", "StoreError"]

SCHEMA = """
CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE cases (case_id TEXT PRIMARY KEY NOT NULL, state TEXT NOT NULL);
CREATE TABLE closed (case_id TEXT PRIMARY KEY NOT NULL, summary TEXT NOT NULL);
CREATE TABLE seen (
    case_id TEXT NOT NULL, event_id TEXT NOT NULL, PRIMARY KEY (case_id, event_id)
) WITHOUT ROWID;
CREATE TABLE trail (position INTEGER PRIMARY KEY, entry TEXT NOT NULL);
CREATE TABLE findings (id INTEGER PRIMARY KEY, case_id TEXT, finding TEXT NOT NULL);
CREATE INDEX findings_by_case ON findings (case_id, id);
CREATE TABLE rejected (id INTEGER PRIMARY KEY, record TEXT NOT NULL);
"""
DELIVERIES = (
    "CREATE TABLE IF NOT EXISTS deliveries (position INTEGER PRIMARY KEY, record TEXT NOT NULL)"
)
# Open cases and closed summaries keep SQLite's rowid order, which is the order their ids were
# first written (an upsert keeps the row): the order MemoryStore's dicts keep.

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_loads = json.loads
_CHUNK = 1000  # trail entries read at a time, so exporting a long trail stays small in memory
_UNKNOWN: Any = object()


_unavailable = unavailable


class SqliteStore:
    """fyrules' storage port in a SQLite database: a file path, or ``":memory:"``.

    A store is one connection, used by one monitor in one thread at a time. Several processes
    may open the same file: every outermost transaction takes SQLite's write lock
    (``BEGIN IMMEDIATE``), so writes serialize. Files use WAL with ``synchronous=NORMAL``: a
    commit survives a crash of the program; a power loss may lose the last commits but never
    leaves the database inconsistent."""

    def __init__(
        self,
        path: str | os.PathLike[str] = ":memory:",
        *,
        timeout: float = 5.0,
        synchronous: str = "NORMAL",
    ):
        """``timeout``: seconds to wait for another connection's write lock.
        ``synchronous``: SQLite's setting for files; ``"FULL"`` syncs the disk at every commit
        (each event, outside :meth:`batch`), so a power loss loses nothing committed either."""
        if synchronous not in ("OFF", "NORMAL", "FULL", "EXTRA"):
            raise ValueError(f"synchronous must be OFF, NORMAL, FULL or EXTRA: {synchronous!r}")
        self.path = os.fspath(path)
        self._synchronous = synchronous
        self._depth = 0  # transactions open (nested ones: the outermost decides)
        self._batch_every = 0  # inside batch(): events per commit, else 0
        self._batched = 0  # events since the batch's last commit
        self._locked = False  # this connection holds the write lock (a transaction is open)
        self._data_version: int | None = None
        self._head: Any = _UNKNOWN  # the trail's last entry, while the write lock is held
        self._transaction = _Transaction(self)
        try:
            self._db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise _unavailable(
                self.path, f"无法打开数据库（{exc}）", f"cannot open ({exc})"
            ) from None
        try:
            self._prepare()
        except sqlite3.Error as exc:
            self._db.close()
            raise _unavailable(
                self.path,
                f"不是可用的 SQLite 数据库（{exc}）",
                f"not a usable SQLite database ({exc})",
            ) from None
        except StoreError:
            self._db.close()
            raise

    def _prepare(self) -> None:
        db = self._db
        if self.path != ":memory:":
            db.execute("PRAGMA journal_mode=WAL")
            # NORMAL under WAL: no fsync per commit, only when the WAL is checkpointed
            db.execute(f"PRAGMA synchronous={self._synchronous}")
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            db.execute("BEGIN IMMEDIATE")
            try:
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute("INSERT INTO schema_version VALUES (?)", (SCHEMA_VERSION,))
                db.execute(DELIVERIES)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            return
        if "schema_version" not in tables:
            raise _unavailable(
                self.path,
                "不是 fyrules 的存储（没有 schema_version 表）",
                "not a fyrules store (no schema_version table)",
            )
        row = db.execute("SELECT max(version) FROM schema_version").fetchone()
        if row is None or row[0] != SCHEMA_VERSION:
            raise _unavailable(
                self.path,
                f"存储结构版本 {row and row[0]} 与本程序的 {SCHEMA_VERSION} 不符",
                f"schema version {row and row[0]}, this fyrules reads {SCHEMA_VERSION}",
            )
        if "deliveries" not in tables:
            db.execute(DELIVERIES)

    # --- the connection ----------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection (an open batch is committed first)."""
        if self._db.in_transaction and self._depth == 0:
            self._db.execute("COMMIT")
        self._db.close()

    def __enter__(self) -> SqliteStore:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # --- cases ---------------------------------------------------------------------------------

    def get_case(self, case_id: str) -> JSON | None:
        row = self._db.execute("SELECT state FROM cases WHERE case_id = ?", (case_id,)).fetchone()
        return None if row is None else _loads(row[0])

    def put_case(self, case_id: str, state: JSON) -> None:
        self._db.execute(
            "INSERT INTO cases VALUES (?, ?) ON CONFLICT (case_id) DO UPDATE SET state = excluded.state",
            (case_id, _dumps(state)),
        )

    def close_case(self, case_id: str, summary: JSON) -> None:
        text = _dumps(summary)
        with self._transaction:
            self._db.execute("DELETE FROM cases WHERE case_id = ?", (case_id,))
            self._db.execute(
                "INSERT INTO closed VALUES (?, ?) "
                "ON CONFLICT (case_id) DO UPDATE SET summary = excluded.summary",
                (case_id, text),
            )

    def open_cases(self) -> Iterator[tuple[str, JSON]]:
        rows = self._db.execute("SELECT case_id, state FROM cases ORDER BY rowid").fetchall()
        return iter([(case_id, _loads(text)) for case_id, text in rows])

    def closed_cases(self) -> Iterator[tuple[str, JSON]]:
        rows = self._db.execute("SELECT case_id, summary FROM closed ORDER BY rowid").fetchall()
        return iter([(case_id, _loads(text)) for case_id, text in rows])

    def get_closed(self, case_id: str) -> JSON | None:
        row = self._db.execute(
            "SELECT summary FROM closed WHERE case_id = ?", (case_id,)
        ).fetchone()
        return None if row is None else _loads(row[0])

    # --- idempotency ---------------------------------------------------------------------------

    def seen_event(self, case_id: str, event_id: str) -> bool:
        return (
            self._db.execute(
                "SELECT 1 FROM seen WHERE case_id = ? AND event_id = ?", (case_id, event_id)
            ).fetchone()
            is not None
        )

    def remember_event(self, case_id: str, event_id: str) -> None:
        self._db.execute("INSERT OR IGNORE INTO seen VALUES (?, ?)", (case_id, event_id))

    # --- the trail -----------------------------------------------------------------------------

    def append_trail(self, entry: JSON) -> None:
        self._db.execute(
            "INSERT INTO trail VALUES ((SELECT coalesce(max(position) + 1, 0) FROM trail), ?)",
            (_dumps(entry),),
        )
        # kept while the write lock is held: the entry the monitor's trail just appended is
        # then its head without reading it back (tests/adapters: the head is the stored one)
        self._head = entry if self._locked else _UNKNOWN

    def trail_head(self) -> JSON | None:
        if self._locked and self._head is not _UNKNOWN:
            return self._head
        row = self._db.execute("SELECT entry FROM trail ORDER BY position DESC LIMIT 1").fetchone()
        head = None if row is None else _loads(row[0])
        if self._locked:
            self._head = head
        return head

    def trail(self, start: int = 0) -> Iterator[JSON]:
        end = self._db.execute("SELECT coalesce(max(position) + 1, 0) FROM trail").fetchone()[0]
        if start < 0:
            start = max(0, end + start)
        return self._trail_between(start, end)

    def _trail_between(self, start: int, end: int) -> Iterator[JSON]:
        while start < end:
            rows = self._db.execute(
                "SELECT entry FROM trail WHERE position >= ? AND position < ? "
                "ORDER BY position LIMIT ?",
                (start, end, _CHUNK),
            ).fetchall()
            if not rows:
                return
            for (text,) in rows:
                yield _loads(text)
            start += len(rows)

    # --- what checks report --------------------------------------------------------------------

    def add_finding(self, finding: JSON) -> None:
        case = finding.get("case")
        self._db.execute(
            "INSERT INTO findings (case_id, finding) VALUES (?, ?)",
            (case if isinstance(case, str) else None, _dumps(finding)),
        )

    def findings(self, case_id: str | None = None) -> Iterator[JSON]:
        if case_id is None:
            rows = self._db.execute("SELECT finding FROM findings ORDER BY id").fetchall()
        else:
            rows = self._db.execute(
                "SELECT finding FROM findings WHERE case_id = ? ORDER BY id", (case_id,)
            ).fetchall()
        return iter([_loads(text) for (text,) in rows])

    def add_rejected(self, rejected: JSON) -> None:
        self._db.execute("INSERT INTO rejected (record) VALUES (?)", (_dumps(rejected),))

    def rejected(self) -> Iterator[JSON]:
        rows = self._db.execute("SELECT record FROM rejected ORDER BY id").fetchall()
        return iter([_loads(text) for (text,) in rows])

    # --- the delivery log (fyrules/cases/deliveries.py), beside the port ---------------------
    # An additive table, created when a store opens (files written before it existed open as
    # they are: the schema version is unchanged; their earlier events have no record).

    def add_delivery(self, record: JSON) -> None:
        self._db.execute("INSERT INTO deliveries (record) VALUES (?)", (_dumps(record),))

    def deliveries(self) -> Iterator[JSON]:
        rows = self._db.execute("SELECT record FROM deliveries ORDER BY position").fetchall()
        return iter([_loads(text) for (text,) in rows])

    # --- the notification log (fyrules.NotificationLog), beside the port ---------------------
    # An additive table, created on first use: files written before it existed open as they
    # are (the schema version is unchanged).

    def _notifications(self) -> None:
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS notifications "
            "(position INTEGER PRIMARY KEY, key TEXT UNIQUE NOT NULL, record TEXT NOT NULL)"
        )

    def notification_keys(self) -> Iterator[str]:
        self._notifications()
        rows = self._db.execute("SELECT key FROM notifications ORDER BY position").fetchall()
        return iter([key for (key,) in rows])

    def record_notification(self, key: str, record: JSON) -> None:
        with self.transaction():
            self._notifications()
            self._db.execute(
                "INSERT INTO notifications (key, record) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET record = excluded.record",
                (key, _dumps(record)),
            )

    def notification_records(self) -> Iterator[JSON]:
        self._notifications()
        rows = self._db.execute("SELECT record FROM notifications ORDER BY position").fetchall()
        return iter([_loads(text) for (text,) in rows])

    # --- atomicity -----------------------------------------------------------------------------

    def transaction(self) -> contextlib.AbstractContextManager[None]:
        """Every write inside happens together or not at all (one SQLite transaction, or a
        savepoint inside :meth:`batch`); one opened inside another belongs to the outer one."""
        return self._transaction

    @contextlib.contextmanager
    def batch(self, every: int = 1000) -> Iterator[None]:
        """Commit once every ``every`` events instead of once per event (``feed_all`` of a
        month). Each event is still all or nothing: its transaction becomes a savepoint. What
        the batch wrote is committed when it ends, also when an exception ends it (the events
        before were complete); a crash loses at most the events since the last commit, and
        their ids with them, so they are accepted again when delivered again."""
        if every < 1:
            raise ValueError("every must be at least 1")
        if self._depth or self._batch_every:
            yield  # inside a transaction or a batch already: that one decides
            return
        # the write lock is taken by the batch's first event and released at each commit, so
        # other writers of the file get their turn between commits
        self._batch_every, self._batched = every, 0
        try:
            yield
        finally:
            self._batch_every = 0
            if self._db.in_transaction:
                self._commit()

    def _begin(self) -> None:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:  # another connection kept the write lock
            raise _unavailable(
                self.path,
                f"数据库正被另一连接写入（{exc}）",
                f"another connection is writing ({exc})",
            ) from None
        self._locked = True
        version = self._db.execute("PRAGMA data_version").fetchone()[0]
        if version != self._data_version:  # another connection committed: forget the head
            self._data_version, self._head = version, _UNKNOWN

    def _commit(self) -> None:
        self._locked = False
        try:
            self._db.execute("COMMIT")
        except sqlite3.Error:
            self._rollback()
            raise

    def _rollback(self) -> None:
        self._locked, self._head = False, _UNKNOWN
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")

    def stats(self) -> Mapping[str, int]:
        """Row counts, for benchmarks and tests."""
        count = lambda table: self._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: E731
        return {
            "open_cases": count("cases"),
            "closed_cases": count("closed"),
            "event_ids": count("seen"),
            "trail": count("trail"),
            "findings": count("findings"),
            "rejected": count("rejected"),
        }


class _Transaction:
    """:meth:`SqliteStore.transaction`, one per store (the monitor opens one per event)."""

    __slots__ = ("_store",)

    def __init__(self, store: SqliteStore):
        self._store = store

    def __enter__(self) -> None:
        store = self._store
        store._depth += 1
        if store._depth == 1:
            if store._batch_every:
                if not store._db.in_transaction:
                    try:
                        store._begin()
                    except BaseException:
                        store._depth -= 1
                        store._rollback()
                        raise
                store._db.execute("SAVEPOINT event")
            else:
                try:
                    store._begin()
                except BaseException:
                    store._depth -= 1
                    store._rollback()
                    raise

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> Literal[False]:
        store = self._store
        store._depth -= 1
        if store._depth:
            return False
        db = store._db
        if store._batch_every:
            if exc_type is None:
                db.execute("RELEASE event")
                store._batched += 1
                if store._batched >= store._batch_every:
                    store._commit()
                    store._batched = 0
            else:
                store._head = _UNKNOWN
                db.execute("ROLLBACK TO event")
                db.execute("RELEASE event")
        elif exc_type is None:
            store._commit()
        else:
            store._rollback()
        return False
