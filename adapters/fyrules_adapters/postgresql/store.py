"""The storage port (:class:`fyrules.Store`) over PostgreSQL, on SQLAlchemy 2 Core and psycopg 3.

``PostgresStore("postgresql+psycopg://app@db/fyrules")`` keeps the monitor's open cases,
closed-case summaries, seen event ids, trail, findings and rejected events in the tables that
``fyrules db upgrade --store URL`` creates (:mod:`.migrate`); values are JSON text. Beside the
port it keeps the sent-notification record (:class:`fyrules.NotificationLog`) and the delivery
log (every event decided, as delivered: :mod:`fyrules.cases.deliveries`), as the SQLite adapter
does.

Writers never race. The outermost :meth:`PostgresStore.transaction` is one database
transaction whose first statement takes the write lock of the store's partition (a
transaction-scoped advisory lock), so everything the monitor does for one event (the duplicate
check, the case read, the decision and the writes) happens as if no one else were writing to
that partition, and the trail's chain of that partition never forks. Writers of different
partitions do not wait for each other.

Partitions. ``PostgresStore(url, partition=k, partitions=n)`` owns the cases whose
:func:`partition_of` is ``k``: it reads and writes only those, and appends to the trail's
chain ``k``. The number of partitions is fixed by the first store that writes to a database
(kept in ``fyrules_meta``); a store opened with another number is refused. With one partition
(the default) there is one chain and one lock. docs/embedding.md says why the trail is
sharded and why the chains' heads, combined into one root, keep it tamper-evident.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Mapping
from typing import Any, Literal

from fyrules import Problem, partition_of
from fyrules_adapters.errors import StoreError, unavailable

from .connect import engine_for, shown
from .migrate import HEAD, VERSION_TABLE

JSON = dict[str, Any]
LOCK_CLASS = 0x66797275  # "fyru": the advisory locks' first key; the second is the partition
_CHUNK = 1000  # trail entries read at a time
_UNKNOWN: Any = object()
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_loads = json.loads


class PostgresStore:
    """fyrules' storage port in a PostgreSQL database (see the module's doc).

    One connection, used by one monitor in one thread at a time; open one store per writer
    process. :meth:`close` (or ``with``) releases the connection."""

    def __init__(
        self,
        url: str,
        *,
        partition: int = 0,
        partitions: int | None = 1,
        connect_timeout: int = 10,
    ):
        """``partitions=None`` reads as many as the database was written in (for readers:
        ``trail verify --store``)."""
        self._read_partitions = partitions is None
        partitions = 1 if partitions is None else partitions
        if not isinstance(partitions, int) or partitions < 1:
            raise ValueError(f"partitions must be a positive number: {partitions!r}")
        if not isinstance(partition, int) or not 0 <= partition < partitions:
            raise ValueError(f"partition must be in 0..{partitions - 1}: {partition!r}")
        from sqlalchemy.pool import NullPool

        self.url = url
        self.partition = partition
        self.partitions = partitions
        self._where = shown(url)
        self._depth = 0
        self._tx = False  # an outermost transaction is open
        self._batch_every = 0  # inside batch(): events per commit, else 0
        self._batched = 0
        self._head: Any = _UNKNOWN  # the chain's last entry, while the lock is held
        self._transaction = _Transaction(self)
        self._engine = engine_for(
            url, poolclass=NullPool, connect_args={"connect_timeout": connect_timeout}
        )
        self._dialect = self._engine.dialect
        self._db_errors: Any = self._dialect.loaded_dbapi.Error
        self._raw: Any = None  # the DBAPI connection, in autocommit: BEGIN and COMMIT are ours
        self._cursor: Any = None
        try:
            self._connect()
        except BaseException:
            self._engine.dispose()
            raise
        try:
            self._prepare()
        except BaseException:
            self.close()
            raise

    def _prepare(self) -> None:
        found = None
        if self._scalar(f"SELECT to_regclass('{VERSION_TABLE}') IS NOT NULL"):
            found = self._scalar(f"SELECT max(version_num) FROM {VERSION_TABLE}")
        if found != HEAD:
            raise unavailable(
                self._where,
                f"存储结构版本为 {found or '无'}，本程序需要 {HEAD}：请先运行 fyrules db upgrade --store URL",
                f"the store's schema is at {found or 'nothing'}, this fyrules needs {HEAD}: run "
                "`fyrules db upgrade --store URL` first",
            )
        fixed = self._scalar("SELECT value FROM fyrules_meta WHERE key = 'partitions'")
        if self._read_partitions:
            self.partitions = int(fixed or 1)
            return
        if fixed is None:
            with self.transaction():  # the first writer fixes the number of partitions
                self._execute(
                    "INSERT INTO fyrules_meta VALUES ('partitions', :n) "
                    "ON CONFLICT (key) DO NOTHING",
                    {"n": str(self.partitions)},
                )
            fixed = self._scalar("SELECT value FROM fyrules_meta WHERE key = 'partitions'")
        if fixed != str(self.partitions):
            raise unavailable(
                self._where,
                f"数据库按 {fixed} 个分区写入，不能按 {self.partitions} 个分区打开",
                f"the database is written in {fixed} partitions; it cannot be opened with "
                f"{self.partitions}",
            )

    # --- the connection ----------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection (an open batch is committed first)."""
        try:
            if self._tx and self._depth == 0:
                self._commit()
        finally:
            self._drop_connection()
            self._engine.dispose()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _failure(self, zh: str, en: str, error: BaseException) -> StoreError:
        inner = getattr(error, "orig", None) or error
        detail = str(inner).strip().splitlines()[0] if str(inner).strip() else type(inner).__name__
        return unavailable(self._where, f"{zh}（{detail}）", f"{en} ({detail})")

    def _connect(self) -> Any:
        """The cursor of the connection, (re)connecting when there is none (after a failure)."""
        if self._cursor is None:
            try:
                raw = self._engine.raw_connection()
                self._dialect.set_isolation_level(raw.dbapi_connection, "AUTOCOMMIT")
                self._raw, self._cursor = raw, raw.cursor()
            except Exception as error:
                self._drop_connection()
                raise self._failure("无法连接数据库", "cannot connect", error) from None
        return self._cursor

    def _drop_connection(self) -> None:
        raw, self._raw, self._cursor = self._raw, None, None
        if raw is not None:
            with contextlib.suppress(Exception):
                raw.invalidate()  # never back to a pool: the session may hold a failed state

    def _execute(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        """Run one statement (compiled once by SQLAlchemy for the database's dialect) on the
        DBAPI cursor; a database that fails or refuses is ``STORE-UNAVAILABLE``, and an open
        transaction is then abandoned (the database rolls it back)."""
        statement, names = _compiled(sql, self._dialect)
        cursor = self._connect()
        values = params or {}
        arguments: Any = tuple(values[n] for n in names) if names is not None else values
        try:
            cursor.execute(statement, arguments)
        except self._db_errors as error:
            self._abandon()
            raise self._failure("数据库未能执行", "the database refused or failed", error) from None
        return cursor

    def _read(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Any]:
        """Rows of a query."""
        cursor = self._execute(sql, params)
        try:
            return list(cursor.fetchall())
        except self._db_errors as error:
            self._abandon()
            raise self._failure("数据库未能执行", "the database failed", error) from None

    def _scalar(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        rows = self._read(sql, params)
        return rows[0][0] if rows else None

    def _write(self, sql: str, params: Mapping[str, Any]) -> None:
        if not self._tx:
            with self._transaction:
                self._execute(sql, params)
        else:
            self._execute(sql, params)

    # --- partitions ----------------------------------------------------------------------------

    def _own(self, case_id: str) -> None:
        if self.partitions > 1 and partition_of(case_id, self.partitions) != self.partition:
            raise StoreError(
                Problem(
                    "STORE-PARTITION",
                    f"案件 {case_id} 属于第 {partition_of(case_id, self.partitions)} 分区，"
                    f"本存储只写第 {self.partition} 分区：请按案件号的分区分发事件",
                    f"case {case_id} belongs to partition "
                    f"{partition_of(case_id, self.partitions)}; this store writes partition "
                    f"{self.partition} only: route events by their case's partition",
                )
            )

    # --- cases ---------------------------------------------------------------------------------

    def get_case(self, case_id: str) -> JSON | None:
        self._own(case_id)
        text = self._scalar("SELECT state FROM fyrules_cases WHERE case_id = :c", {"c": case_id})
        return None if text is None else _loads(text)

    def put_case(self, case_id: str, state: JSON) -> None:
        self._own(case_id)
        self._write(
            "INSERT INTO fyrules_cases (case_id, part, state) VALUES (:c, :p, :s) "
            "ON CONFLICT (case_id) DO UPDATE SET state = excluded.state",
            {"c": case_id, "p": self.partition, "s": _dumps(state)},
        )

    def close_case(self, case_id: str, summary: JSON) -> None:
        self._own(case_id)
        with self._transaction:
            self._execute("DELETE FROM fyrules_cases WHERE case_id = :c", {"c": case_id})
            self._execute(
                "INSERT INTO fyrules_closed (case_id, part, summary) VALUES (:c, :p, :s) "
                "ON CONFLICT (case_id) DO UPDATE SET summary = excluded.summary",
                {"c": case_id, "p": self.partition, "s": _dumps(summary)},
            )

    def open_cases(self) -> Iterator[tuple[str, JSON]]:
        rows = self._read(
            "SELECT case_id, state FROM fyrules_cases WHERE part = :p ORDER BY seq",
            {"p": self.partition},
        )
        return iter([(case_id, _loads(text)) for case_id, text in rows])

    def closed_cases(self) -> Iterator[tuple[str, JSON]]:
        rows = self._read(
            "SELECT case_id, summary FROM fyrules_closed WHERE part = :p ORDER BY seq",
            {"p": self.partition},
        )
        return iter([(case_id, _loads(text)) for case_id, text in rows])

    def get_closed(self, case_id: str) -> JSON | None:
        self._own(case_id)
        text = self._scalar("SELECT summary FROM fyrules_closed WHERE case_id = :c", {"c": case_id})
        return None if text is None else _loads(text)

    # --- idempotency ---------------------------------------------------------------------------

    def seen_event(self, case_id: str, event_id: str) -> bool:
        self._own(case_id)
        return bool(
            self._read(
                "SELECT 1 FROM fyrules_seen WHERE case_id = :c AND event_id = :e",
                {"c": case_id, "e": event_id},
            )
        )

    def remember_event(self, case_id: str, event_id: str) -> None:
        self._own(case_id)
        self._write(
            "INSERT INTO fyrules_seen VALUES (:c, :e) ON CONFLICT DO NOTHING",
            {"c": case_id, "e": event_id},
        )

    # --- the trail -----------------------------------------------------------------------------

    def append_trail(self, entry: JSON) -> None:
        self._write(
            "INSERT INTO fyrules_trail (chain, position, entry) "
            "SELECT :k, coalesce(max(position) + 1, 0), :e FROM fyrules_trail WHERE chain = :k",
            {"k": self.partition, "e": _dumps(entry)},
        )
        # kept while the lock is held: the entry just appended is the chain's head
        self._head = entry if self._tx else _UNKNOWN

    def trail_head(self) -> JSON | None:
        if self._tx and self._head is not _UNKNOWN:
            return self._head
        text = self._scalar(
            "SELECT entry FROM fyrules_trail WHERE chain = :k ORDER BY position DESC LIMIT 1",
            {"k": self.partition},
        )
        head = None if text is None else _loads(text)
        if self._tx:
            self._head = head
        return head

    def trail(self, start: int = 0) -> Iterator[JSON]:
        """This partition's chain from ``start`` on (a negative ``start`` counts from the end)."""
        return self.chain(self.partition, start)

    def chain(self, chain: int, start: int = 0) -> Iterator[JSON]:
        """The entries of one chain (``trail verify --store`` reads every chain this way)."""
        end = self._scalar(
            "SELECT coalesce(max(position) + 1, 0) FROM fyrules_trail WHERE chain = :k",
            {"k": chain},
        )
        if start < 0:
            start = max(0, end + start)
        return self._chain_between(chain, start, end)

    def chains(self) -> list[int]:
        """The chains the trail holds (one per partition that has written)."""
        return [row[0] for row in self._read("SELECT DISTINCT chain FROM fyrules_trail ORDER BY 1")]

    def _chain_between(self, chain: int, start: int, end: int) -> Iterator[JSON]:
        while start < end:
            rows = self._read(
                "SELECT entry FROM fyrules_trail WHERE chain = :k AND position >= :a "
                "AND position < :b ORDER BY position LIMIT :n",
                {"k": chain, "a": start, "b": end, "n": _CHUNK},
            )
            if not rows:
                return
            for (text,) in rows:
                yield _loads(text)
            start += len(rows)

    # --- what checks report --------------------------------------------------------------------

    def add_finding(self, finding: JSON) -> None:
        case = finding.get("case")
        self._write(
            "INSERT INTO fyrules_findings (part, case_id, finding) VALUES (:p, :c, :f)",
            {
                "p": self.partition,
                "c": case if isinstance(case, str) else None,
                "f": _dumps(finding),
            },
        )

    def findings(self, case_id: str | None = None) -> Iterator[JSON]:
        if case_id is None:
            rows = self._read(
                "SELECT finding FROM fyrules_findings WHERE part = :p ORDER BY id",
                {"p": self.partition},
            )
        else:
            rows = self._read(
                "SELECT finding FROM fyrules_findings WHERE part = :p AND case_id = :c ORDER BY id",
                {"p": self.partition, "c": case_id},
            )
        return iter([_loads(text) for (text,) in rows])

    def add_rejected(self, rejected: JSON) -> None:
        self._write(
            "INSERT INTO fyrules_rejected (part, record) VALUES (:p, :r)",
            {"p": self.partition, "r": _dumps(rejected)},
        )

    def rejected(self) -> Iterator[JSON]:
        rows = self._read(
            "SELECT record FROM fyrules_rejected WHERE part = :p ORDER BY id",
            {"p": self.partition},
        )
        return iter([_loads(text) for (text,) in rows])

    # --- the delivery log (fyrules/cases/deliveries.py), beside the port ---------------------

    def add_delivery(self, record: JSON) -> None:
        self._write(
            "INSERT INTO fyrules_deliveries (part, record) VALUES (:p, :r)",
            {"p": self.partition, "r": _dumps(record)},
        )

    def deliveries(self) -> Iterator[JSON]:
        """This partition's records, in the order its events were decided."""
        rows = self._read(
            "SELECT record FROM fyrules_deliveries WHERE part = :p ORDER BY id",
            {"p": self.partition},
        )
        return iter([_loads(text) for (text,) in rows])

    # --- the notification log (fyrules.NotificationLog), beside the port ---------------------
    # One table for every partition (migration 0002): a key names one case's notification.

    def notification_keys(self) -> Iterator[str]:
        rows = self._read("SELECT key FROM fyrules_notifications ORDER BY position")
        return iter([key for (key,) in rows])

    def record_notification(self, key: str, record: JSON) -> None:
        self._write(
            "INSERT INTO fyrules_notifications (key, record) VALUES (:k, :r) "
            "ON CONFLICT (key) DO UPDATE SET record = excluded.record",
            {"k": key, "r": _dumps(record)},
        )

    def notification_records(self) -> Iterator[JSON]:
        rows = self._read("SELECT record FROM fyrules_notifications ORDER BY position")
        return iter([_loads(text) for (text,) in rows])

    # --- atomicity -----------------------------------------------------------------------------

    def transaction(self) -> contextlib.AbstractContextManager[None]:
        """Every write inside happens together or not at all (one database transaction, or a
        savepoint inside :meth:`batch`); one opened inside another belongs to the outer one.
        The outermost one takes the partition's write lock first."""
        return self._transaction

    @contextlib.contextmanager
    def batch(self, every: int = 1000) -> Iterator[None]:
        """Commit once every ``every`` events instead of once per event. Each event is still
        all or nothing (a savepoint); the partition's lock is held from the first event of a
        commit to the commit, so other writers of the partition wait that long. A crash loses
        at most the events since the last commit, and their ids with them."""
        if every < 1:
            raise ValueError("every must be at least 1")
        if self._depth or self._batch_every:
            yield
            return
        self._batch_every, self._batched = every, 0
        try:
            yield
        finally:
            self._batch_every = 0
            if self._tx:
                self._commit()

    def _begin(self) -> None:
        # BEGIN, then the partition's lock as the transaction's first statement: every read
        # after it sees what the writers before committed (READ COMMITTED reads anew per
        # statement)
        self._execute("BEGIN")
        self._tx = True
        self._head = _UNKNOWN  # another writer may have appended since
        self._execute(
            "SELECT pg_advisory_xact_lock(:a, :b)", {"a": LOCK_CLASS, "b": self.partition}
        )

    def _commit(self) -> None:
        self._head = _UNKNOWN
        try:
            self._execute("COMMIT")
        finally:
            self._tx = False

    def _abandon(self) -> None:
        """Roll back whatever is open; a connection that failed is dropped (the server rolls
        its transaction back) and the next transaction connects again."""
        was_open, self._tx = self._tx, False
        self._head = _UNKNOWN
        cursor = self._cursor
        if cursor is None:
            return
        try:
            if was_open:
                cursor.execute("ROLLBACK")
        except Exception:
            self._drop_connection()
            return
        raw = self._raw
        if raw is not None and getattr(raw.driver_connection, "broken", False):
            self._drop_connection()

    def backend_pid(self) -> int:
        """The server process serving this store's connection (for operators and tests)."""
        return int(self._scalar("SELECT pg_backend_pid()"))

    def stats(self) -> Mapping[str, int]:
        """Row counts of this partition, for benchmarks and tests."""
        p = {"p": self.partition}
        count = lambda sql: self._scalar(sql, p)  # noqa: E731
        return {
            "open_cases": count("SELECT count(*) FROM fyrules_cases WHERE part = :p"),
            "closed_cases": count("SELECT count(*) FROM fyrules_closed WHERE part = :p"),
            "event_ids": count("SELECT count(*) FROM fyrules_seen"),
            "trail": count("SELECT count(*) FROM fyrules_trail WHERE chain = :p"),
            "findings": count("SELECT count(*) FROM fyrules_findings WHERE part = :p"),
            "rejected": count("SELECT count(*) FROM fyrules_rejected WHERE part = :p"),
        }


_COMPILED: dict[tuple[str, str], tuple[str, tuple[str, ...] | None]] = {}


def _compiled(sql: str, dialect: Any) -> tuple[str, tuple[str, ...] | None]:
    """A statement as the dialect's DBAPI takes it, compiled once by SQLAlchemy Core: its text
    in the driver's parameter style, and the order of the parameters when it is positional."""
    key = (sql, dialect.name)
    found = _COMPILED.get(key)
    if found is None:
        from sqlalchemy import text

        compiled = text(sql).compile(dialect=dialect)
        order = tuple(compiled.positiontup or ()) if dialect.positional else None
        found = _COMPILED[key] = (compiled.string, order)
    return found


class _Transaction:
    """:meth:`PostgresStore.transaction`, one per store (the monitor opens one per event)."""

    __slots__ = ("_savepoint", "_store")

    def __init__(self, store: PostgresStore):
        self._store = store
        self._savepoint = False

    def __enter__(self) -> None:
        store = self._store
        store._depth += 1
        if store._depth > 1:
            return
        try:
            if not store._tx:
                store._begin()
            if store._batch_every:
                store._execute("SAVEPOINT fyrules_event")
                self._savepoint = True
        except BaseException:
            store._depth -= 1
            store._abandon()
            raise

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> Literal[False]:
        store = self._store
        store._depth -= 1
        if store._depth:
            return False
        savepoint, self._savepoint = self._savepoint, False
        if not store._tx:  # the connection failed inside: already rolled back
            return False
        if savepoint:
            if exc_type is None:
                store._execute("RELEASE SAVEPOINT fyrules_event")
                store._batched += 1
                if store._batched >= store._batch_every:
                    store._batched = 0
                    store._commit()
            else:
                store._head = _UNKNOWN
                try:
                    store._execute("ROLLBACK TO SAVEPOINT fyrules_event")
                    store._execute("RELEASE SAVEPOINT fyrules_event")
                except StoreError:
                    pass  # the connection failed: the transaction is gone, nothing was kept
        elif exc_type is None:
            store._commit()
        else:
            store._abandon()
        return False
