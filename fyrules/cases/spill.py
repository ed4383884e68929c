"""A :class:`~fyrules.cases.store.MemoryStore` whose finished cases leave memory.

``fyrules evaluate`` keeps open cases in memory, where the monitor reads and writes them on
every event, and only the trail's head. A finished case still needs its summary (a late
rating, complaint or inspection is added to it) and its event ids (a redelivered event is a
duplicate, a reused id a conflict), but it is read again only by those rare late events. So
:class:`SpillStore` writes it to a private temporary SQLite database on disk (the file
SQLite creates for an empty name, unlinked as soon as it is opened), and memory follows the
cases open at the same time, not the month (benchmarks/bench_evaluate_memory.py: a million
events under 500 MB). Values are pickled: only this process writes and reads them, and they
come back exactly as a :class:`MemoryStore` would return them (tuples stay tuples), so a
replay reports the same with either store.
"""

from __future__ import annotations

import pickle
import sqlite3
from collections.abc import Iterator, Mapping
from typing import Any

from .store import JSON, MemoryStore

CACHE_KIB = 8192  # SQLite's page cache for the spilled cases; the rest waits on disk
_Row = tuple[bytes, bytes | None]  # a finished case's summary and event ids, pickled


def _dumps(value: Any) -> bytes:
    return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)


class SpillStore(MemoryStore):
    """The storage port in memory for open cases, on a temporary disk file for finished ones.

    By default it keeps only the trail's head (``keep_trail=False``, what ``evaluate`` needs);
    everything else answers as a :class:`MemoryStore` does. :meth:`close` deletes the file."""

    def __init__(self, *, keep_trail: bool = False) -> None:
        super().__init__(keep_trail=keep_trail, keep_closed=True)
        # "" is a private temporary database on disk, deleted when the connection closes;
        # one transaction that is never committed, with no journal: nothing here outlives
        # the process, so pages reach the file only when the cache is full
        self._db = sqlite3.connect("", isolation_level=None, check_same_thread=False)
        self._db.executescript(
            f"""
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            PRAGMA cache_size = -{CACHE_KIB};
            CREATE TABLE closed (
                seq INTEGER PRIMARY KEY,
                case_id TEXT NOT NULL UNIQUE,
                summary BLOB NOT NULL,
                seen BLOB
            );
            BEGIN;
            """
        )
        self._cursor = self._db.cursor()
        self._on_disk: set[str] = set()  # the cases on disk: no query for a new case
        self._last: tuple[str, _Row | None] | None = None  # the row read last

    def close(self) -> None:
        """Delete the temporary file."""
        self._db.close()

    # cases
    def close_case(self, case_id: str, summary: JSON) -> None:
        in_memory = self._seen.get(case_id)  # an open case's ids, or a late event's, loaded back
        seen = in_memory if in_memory is not None else self._spilled_ids(case_id)
        self._log("spill", (case_id, self._cases.get(case_id), self._row(case_id), in_memory))
        self._cases.pop(case_id, None)
        self._seen.pop(case_id, None)
        self._put_row(case_id, (_dumps(summary), None if seen is None else _dumps(seen)))

    def closed_cases(self) -> Iterator[tuple[str, JSON]]:
        seq = 0
        while True:  # a thousand at a time: memory stays flat however many there are
            rows = self._db.execute(
                "SELECT seq, case_id, summary FROM closed WHERE seq > ? ORDER BY seq LIMIT 1000",
                (seq,),
            ).fetchall()
            if not rows:
                return
            for _, case_id, blob in rows:
                yield case_id, pickle.loads(blob)
            seq = rows[-1][0]

    def get_closed(self, case_id: str) -> JSON | None:
        row = self._row(case_id)
        return None if row is None else pickle.loads(row[0])

    # idempotency
    def seen_event(self, case_id: str, event_id: str) -> bool:
        ids = self._seen.get(case_id)
        if ids is None:
            ids = self._spilled_ids(case_id)
        return ids is not None and event_id in ids

    def remember_event(self, case_id: str, event_id: str) -> None:
        if case_id not in self._seen:
            spilled = self._spilled_ids(case_id)
            if spilled is not None:  # a late event of a finished case: its ids come back
                self._log("unspill", case_id)
                self._seen[case_id] = spilled
        super().remember_event(case_id, event_id)

    def _spilled_ids(self, case_id: str) -> set[str] | None:
        row = self._row(case_id)
        return None if row is None or row[1] is None else pickle.loads(row[1])

    def _row(self, case_id: str) -> _Row | None:
        """The spilled summary and ids of ``case_id`` (pickled), or ``None``. The last row
        is remembered: a late event reads its case's row several times."""
        last = self._last
        if last is not None and last[0] == case_id:
            return last[1]
        if case_id not in self._on_disk:
            return None
        found = self._cursor.execute(
            "SELECT summary, seen FROM closed WHERE case_id = ?", (case_id,)
        ).fetchone()
        row = None if found is None else (found[0], found[1])
        self._last = (case_id, row)
        return row

    def _put_row(self, case_id: str, row: _Row | None) -> None:
        existed = self._row(case_id) is not None
        self._last = (case_id, row)
        if row is None:
            if existed:
                self._cursor.execute("DELETE FROM closed WHERE case_id = ?", (case_id,))
                self._on_disk.discard(case_id)
        elif existed:
            self._cursor.execute(
                "UPDATE closed SET summary = ?, seen = ? WHERE case_id = ?", (*row, case_id)
            )
        else:
            self._cursor.execute(
                "INSERT INTO closed (case_id, summary, seen) VALUES (?, ?, ?)", (case_id, *row)
            )
            self._on_disk.add(case_id)

    def _undo(self, journal: list[tuple[str, Any]]) -> None:
        for kind, before in reversed(journal):
            if kind == "spill":
                case_id, old_case, old_row, in_memory = before
                self._put_row(case_id, old_row)
                if old_case is not None:
                    self._cases[case_id] = old_case
                if in_memory is not None:
                    self._seen[case_id] = in_memory
            elif kind == "unspill":
                self._seen.pop(before, None)
            else:
                super()._undo([(kind, before)])

    def stats(self) -> Mapping[str, int]:
        """Sizes, for benchmarks and tests (finished cases: those on disk)."""
        return {**super().stats(), "closed_cases": len(self._on_disk)}
