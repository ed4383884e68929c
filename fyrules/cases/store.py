"""The storage port: the one small interface through which the monitor reads and writes.

The monitor keeps no state of its own between events: open cases, the ids of events already
recorded, the trail's head, findings and rejected events all live behind :class:`Store`.
:class:`MemoryStore` implements it in memory (tests, demos, one-off replays); the SQLite and
PostgreSQL adapters implement the same methods, and nothing else, so a host system can plug
in its own database the same way.

Every method takes and returns plain values (``dict``/``str``/``int``), so an adapter can
store them as JSON. A store is used by one monitor at a time. The monitor handles each event
inside one :meth:`Store.transaction`, from the duplicate check to the last write, so adapters
that share a database between workers make it a real database transaction that serializes
the writers of a case (SQLite's write lock, the PostgreSQL adapter's partition lock).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Mapping
from typing import Any, Literal, Protocol, runtime_checkable

JSON = dict[str, Any]


@runtime_checkable
class Store(Protocol):
    """What the monitor needs from storage."""

    # --- cases -------------------------------------------------------------------------------
    def get_case(self, case_id: str) -> JSON | None:
        """The stored state of an open case, or ``None``."""

    def put_case(self, case_id: str, state: JSON) -> None:
        """Create or replace the state of an open case."""

    def close_case(self, case_id: str, summary: JSON) -> None:
        """Drop a finished case's working state, keeping a summary (for monthly statistics)."""

    def open_cases(self) -> Iterator[tuple[str, JSON]]:
        """Every open case and its state."""

    def closed_cases(self) -> Iterator[tuple[str, JSON]]:
        """Every finished case's summary."""

    def get_closed(self, case_id: str) -> JSON | None:
        """A finished case's summary, or ``None`` (late ratings and complaints are added to it
        with :meth:`close_case`)."""

    # --- idempotency -------------------------------------------------------------------------
    def seen_event(self, case_id: str, event_id: str) -> bool:
        """Whether an event with this id was already recorded for the case (a duplicate)."""

    def remember_event(self, case_id: str, event_id: str) -> None:
        """Record that an event id has been handled for the case (accepted, or refused: a
        redelivery is then a duplicate, and its rejection is stored once)."""

    # --- the trail -----------------------------------------------------------------------------
    def append_trail(self, entry: JSON) -> None:
        """Append one trail entry (the store never rewrites or deletes entries)."""

    def trail_head(self) -> JSON | None:
        """The last trail entry, or ``None`` for an empty trail."""

    def trail(self, start: int = 0) -> Iterator[JSON]:
        """Trail entries from index ``start`` on, in order."""

    # --- what checks report --------------------------------------------------------------------
    def add_finding(self, finding: JSON) -> None:
        """Record a finding (the finding contract (docs/architecture.md))."""

    def findings(self, case_id: str | None = None) -> Iterator[JSON]:
        """Recorded findings, of one case or of all."""

    def add_rejected(self, rejected: JSON) -> None:
        """Record a rejected event with its reason."""

    def rejected(self) -> Iterator[JSON]:
        """Rejected events, in the order they arrived."""

    # --- atomicity -------------------------------------------------------------------------------
    def transaction(self) -> contextlib.AbstractContextManager[None]:
        """All writes inside happen together or not at all."""


class MemoryStore:
    """The storage port in memory. Not shared between threads; one per monitor.

    With ``keep_trail=False`` only the trail's head is kept, and with ``keep_closed=False`` a
    finished case leaves nothing behind (not even its event ids), so memory grows with open
    cases and not with events; the trail can still be streamed elsewhere by the caller."""

    def __init__(self, *, keep_trail: bool = True, keep_closed: bool = True):
        self._cases: dict[str, JSON] = {}
        self._closed: dict[str, JSON] = {}
        self._seen: dict[str, set[str]] = {}
        self._trail: list[Any] = []  # entries, or their bytes and hash
        self._head: JSON | None = None
        self._findings: list[JSON] = []
        self._rejected: list[JSON] = []
        self._notifications: dict[str, JSON] = {}
        self._keep_trail = keep_trail
        self._keep_closed = keep_closed
        self._journal: list[tuple[str, Any]] | None = None
        self._depth = 0  # transactions open (nested ones: the outermost decides)
        self._transaction = _Transaction(self)  # one for every event: no allocation each time

    # cases
    def get_case(self, case_id: str) -> JSON | None:
        return self._cases.get(case_id)

    def put_case(self, case_id: str, state: JSON) -> None:
        journal = self._journal  # _log, inline: once per event
        if journal is not None:
            journal.append(("case", (case_id, self._cases.get(case_id))))
        self._cases[case_id] = state

    def close_case(self, case_id: str, summary: JSON) -> None:
        self._log(
            "close",
            (case_id, self._cases.get(case_id), self._closed.get(case_id), self._seen.get(case_id)),
        )
        self._cases.pop(case_id, None)
        if self._keep_closed:
            self._closed[case_id] = summary
        else:
            self._seen.pop(case_id, None)

    def open_cases(self) -> Iterator[tuple[str, JSON]]:
        return iter(list(self._cases.items()))

    def closed_cases(self) -> Iterator[tuple[str, JSON]]:
        return iter(list(self._closed.items()))

    def get_closed(self, case_id: str) -> JSON | None:
        return self._closed.get(case_id)

    # idempotency
    def seen_event(self, case_id: str, event_id: str) -> bool:
        return event_id in self._seen.get(case_id, ())

    def remember_event(self, case_id: str, event_id: str) -> None:
        ids = self._seen.get(case_id)
        if ids is None:
            ids = self._seen[case_id] = set()
        elif event_id in ids:
            return
        journal = self._journal  # _log, inline: once per event
        if journal is not None:
            journal.append(("seen", (case_id, event_id)))
        ids.add(event_id)

    # trail
    def append_trail(self, entry: JSON) -> None:
        self._log("trail", self._head)
        self._head = entry
        if self._keep_trail:
            self._trail.append(entry)

    def append_trail_encoded(self, entry: JSON, encoded: bytes) -> None:
        """:meth:`append_trail` for an entry whose canonical bytes (all its keys but
        ``hash``) the trail has just hashed: the history keeps those bytes and the hash
        rather than the entry's dicts. A month of entries then holds no containers the cycle
        collector walks on every full collection, and takes less memory; :meth:`trail` reads
        each entry back from its bytes, equal to the entry, keys in the same order."""
        self._log("trail", self._head)
        self._head = entry
        if self._keep_trail:
            self._trail.append((encoded, entry["hash"]))

    def trail_head(self) -> JSON | None:
        return self._head

    def trail(self, start: int = 0) -> Iterator[JSON]:
        if not self._keep_trail:
            raise RuntimeError("this MemoryStore keeps only the trail's head (keep_trail=False)")
        return map(_trail_entry, self._trail[start:])

    # findings and rejected events
    def add_finding(self, finding: JSON) -> None:
        self._log("finding", None)
        self._findings.append(finding)

    def findings(self, case_id: str | None = None) -> Iterator[JSON]:
        if case_id is None:
            return iter(list(self._findings))
        return iter([f for f in self._findings if f.get("case") == case_id])

    def add_rejected(self, rejected: JSON) -> None:
        self._log("rejected", None)
        self._rejected.append(rejected)

    def rejected(self) -> Iterator[JSON]:
        return iter(list(self._rejected))

    # the notification log (fyrules.notifications.port.NotificationLog), beside the port
    def notification_keys(self) -> Iterator[str]:
        """The key of every notification emitted so far."""
        return iter(list(self._notifications))

    def record_notification(self, key: str, record: JSON) -> None:
        """Create or replace a notification's record (its JSON and delivery status)."""
        self._notifications[key] = record

    def notification_records(self) -> Iterator[JSON]:
        """Every notification record, in the order first recorded."""
        return iter(list(self._notifications.values()))

    # atomicity
    def transaction(self) -> contextlib.AbstractContextManager[None]:
        return self._transaction

    def _log(self, kind: str, before: Any) -> None:
        if self._journal is not None:
            self._journal.append((kind, before))

    def _undo(self, journal: list[tuple[str, Any]]) -> None:
        for kind, before in reversed(journal):
            if kind == "case":
                case_id, old = before
                if old is None:
                    self._cases.pop(case_id, None)
                else:
                    self._cases[case_id] = old
            elif kind == "close":
                case_id, old, old_closed, old_seen = before
                if old_seen is not None:
                    self._seen[case_id] = old_seen
                if old is not None:
                    self._cases[case_id] = old
                if old_closed is None:
                    self._closed.pop(case_id, None)
                else:
                    self._closed[case_id] = old_closed
            elif kind == "seen":
                case_id, event_id = before
                self._seen.get(case_id, set()).discard(event_id)
            elif kind == "trail":
                self._head = before
                if self._keep_trail:
                    self._trail.pop()
            elif kind == "finding":
                self._findings.pop()
            elif kind == "rejected":
                self._rejected.pop()

    def stats(self) -> Mapping[str, int]:
        """Sizes, for benchmarks and tests."""
        return {
            "open_cases": len(self._cases),
            "closed_cases": len(self._closed),
            "event_ids": sum(len(ids) for ids in self._seen.values()),
            "trail": len(self._trail),
            "findings": len(self._findings),
            "rejected": len(self._rejected),
        }


def _trail_entry(kept: Any) -> JSON:
    """A trail entry as :class:`MemoryStore` keeps it: the entry, or its canonical bytes and
    hash (:meth:`MemoryStore.append_trail_encoded`)."""
    if kept.__class__ is not tuple:
        return kept  # type: ignore[no-any-return]
    encoded, digest = kept
    entry: JSON = json.loads(encoded)
    entry["hash"] = digest
    return entry


class _Transaction:
    """:meth:`MemoryStore.transaction`: undo the writes made inside when an exception leaves
    it. A plain class rather than a generator, and one per store, since the monitor opens one
    per event; nested uses count their depth and the outermost one commits or undoes."""

    __slots__ = ("_store",)

    def __init__(self, store: MemoryStore):
        self._store = store

    def __enter__(self) -> None:
        store = self._store
        store._depth += 1
        if store._depth == 1:
            store._journal = []

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> Literal[False]:
        store = self._store
        store._depth -= 1
        if store._depth == 0:
            journal, store._journal = store._journal, None
            if exc_type is not None and journal:
                store._undo(journal)
        return False
