"""The tamper-evident trail (留痕): an append-only hash chain over canonical JSON.

Each entry is a JSON object of five keys::

    {"index": 0, "prev": "000…000", "kind": "event", "record": {...}, "hash": "9f2c…"}

``index`` counts from 0; ``prev`` is the ``hash`` of the entry before (64 zeros for the
first); ``kind`` says what the record is (:data:`KINDS`); ``hash`` is the SHA-256, in lower-case
hex, of the canonical JSON (:mod:`fyrules.cases.canonical`) of the other four keys. Changing,
removing, inserting or moving any entry breaks the chain at that entry, and :func:`verify`
names the first entry that does not match and why.

What the chain cannot show on its own: whoever controls the store can rewrite every entry
from some point on, or cut the tail, and produce a chain that verifies. The
:class:`TrailHead` (last index and hash) published outside the store, on a notice, in a
signed report or with another authority, is what makes that visible: ``verify(entries,
expected_head=head)`` fails if the trail does not reach the published head or holds another
entry at its index (facts.md §6; docs/trail.md).

The trail lives in the store (:class:`~fyrules.cases.store.Store`): :class:`Trail` keeps no
state of its own and reads the head from the store on every append, so any number of
``Trail`` objects on one store continue one chain.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from ...engine.problems import Problem
from ..canonical import canonical_copy, trail_entry_opening, trail_entry_text
from ..store import Store
from .chain import (
    EMPTY_HEAD,
    ENTRY_KEYS,
    GENESIS,
    KIND_PATTERN,
    KINDS,
    MAX_ENTRY_BYTES,
    ChainCheck,
    TrailBreak,
    TrailError,
    TrailHead,
    VerifyResult,
    entry_hash,
    verify,
)
from .file import ImportedTrail, export_trail, import_trail

__all__ = [
    "EMPTY_HEAD",
    "ENTRY_KEYS",
    "GENESIS",
    "KINDS",
    "MAX_ENTRY_BYTES",
    "ChainCheck",
    "ImportedTrail",
    "Trail",
    "TrailBreak",
    "TrailError",
    "TrailHead",
    "VerifyResult",
    "entry_hash",
    "export_trail",
    "import_trail",
    "verify",
]


class Trail:
    """Appends to the trail kept in ``store`` and reports its head. Keeps no state itself."""

    def __init__(self, store: Store):
        self.store = store
        # The entry this object appended last: when the store's head is that very object, its
        # index and hash need no checking again (a memo, not state: any other head is read
        # and checked from the store as before).
        self._appended: dict[str, Any] | None = None
        # a store that keeps an entry as its canonical bytes (MemoryStore) is handed them
        self._append_bytes = getattr(store, "append_trail_encoded", None)

    def append(self, kind: str, record: Mapping[str, Any]) -> dict[str, Any]:
        """Add one entry and return it (as stored: do not modify it).

        ``record`` is copied in canonical form (a float or a date in it raises
        :class:`~fyrules.cases.canonical.CanonicalError`, code ``TRAIL-VALUE``); ``kind`` is one
        of :data:`KINDS` or another lower-case word. Reading the head and appending happen in one
        :meth:`Store.transaction`, so a database adapter that makes the index unique keeps two
        writers from forking the chain."""
        if not isinstance(kind, str) or not KIND_PATTERN.fullmatch(kind):
            raise TrailError(
                Problem(
                    "TRAIL-VALUE",
                    f"记录类型应为小写英文单词：{kind!r}",
                    f"a kind is a lower-case word of letters, digits and _: {kind!r}",
                )
            )
        if not isinstance(record, Mapping):
            raise TrailError(
                Problem(
                    "TRAIL-VALUE",
                    "记录应为 JSON 对象",
                    f"a record must be a JSON object, not {type(record).__name__}",
                )
            )
        with self.store.transaction():
            head = self.head()
            body = {"index": head.index + 1, "prev": head.hash, "kind": kind, "record": record}
            entry, encoded = canonical_copy(body)
            if len(encoded) > MAX_ENTRY_BYTES:
                raise TrailError(
                    Problem(
                        "TRAIL-VALUE",
                        f"记录过大（超过 {MAX_ENTRY_BYTES} 字节）",
                        f"record too large (over {MAX_ENTRY_BYTES} bytes)",
                    )
                )
            entry["hash"] = hashlib.sha256(encoded).hexdigest()
            if self._append_bytes is not None:
                self._append_bytes(entry, encoded)
            else:
                self.store.append_trail(entry)
        self._appended = entry
        return entry

    def _append_canonical(self, kind: str, record: dict[str, Any]) -> dict[str, Any]:
        """:meth:`append` for a record already in canonical form, as
        :func:`~fyrules.cases.canonical.event_record` makes it (the monitor's path for every
        event): the entry is built with its keys in canonical order and encoded as it is,
        without copying the record again. The bytes are the same as :meth:`append` would hash
        (tests/cases/test_trail_fast.py). The record is trusted to be canonical (it is not
        copied or sorted: only the monitor calls this, with :func:`event_record`'s output);
        values the encoder refuses, oversized entries and odd kinds go the checked way."""
        store = self.store
        with store.transaction():
            index, prev = self._next_position()
            entry = {"index": index, "kind": kind, "prev": prev, "record": record}
            try:
                encoded = trail_entry_text(index, kind, prev, record).encode("utf-8")
            except (UnicodeEncodeError, TypeError, ValueError):
                return self.append(kind, record)  # says what is wrong, or raises
            if len(encoded) > MAX_ENTRY_BYTES or not KIND_PATTERN.fullmatch(kind):
                return self.append(kind, record)
            entry["hash"] = hashlib.sha256(encoded).hexdigest()
            if self._append_bytes is not None:
                self._append_bytes(entry, encoded)
            else:
                store.append_trail(entry)
        self._appended = entry
        return entry

    def _next_position(self) -> tuple[int, str]:
        """The next entry's index and the hash it links to: read from the entry this trail
        appended last when it is still the store's head, else from the store (another writer
        appended since). Called inside the store's transaction."""
        last = self.store.trail_head()
        if last is None or last is not self._appended:
            head = self.head()
            return head.index + 1, head.hash
        return last["index"] + 1, last["hash"]

    def _append_encoded(self, kind: str, record: dict[str, Any], encoded: bytes) -> dict[str, Any]:
        """:meth:`_append_canonical` for a record whose canonical bytes are already made
        (:func:`~fyrules.cases.event_values.checked_record_bytes`, the monitor's path for every
        event): the entry's bytes are its other keys' text around them, joined and hashed,
        never encoded again. The bytes hashed are the ones :meth:`append` hashes
        (tests/cases/test_event_record_text.py)."""
        store = self.store
        with store.transaction():
            index, prev = self._next_position()
            try:
                opening = trail_entry_opening(index, kind, prev).encode("utf-8")
            except (UnicodeEncodeError, TypeError):
                return self.append(kind, record)  # says what is wrong, or raises
            if len(opening) + len(encoded) + 1 > MAX_ENTRY_BYTES or not KIND_PATTERN.fullmatch(
                kind
            ):
                return self.append(kind, record)
            whole = b"".join((opening, encoded, b"}"))
            entry = {"index": index, "kind": kind, "prev": prev, "record": record}
            entry["hash"] = hashlib.sha256(whole).hexdigest()
            if self._append_bytes is not None:
                self._append_bytes(entry, whole)
            else:
                store.append_trail(entry)
        self._appended = entry
        return entry

    def head(self) -> TrailHead:
        """The head to publish: index and hash of the last entry (:data:`EMPTY_HEAD` if none)."""
        last = self.store.trail_head()
        if last is None:
            return EMPTY_HEAD
        try:
            return TrailHead(last["index"], last["hash"])
        except (TrailError, KeyError, TypeError):
            raise TrailError(
                Problem(
                    "TRAIL-FORMAT",
                    "存储中最后一条留痕格式不对",
                    "the last trail entry in the store is malformed",
                )
            ) from None
