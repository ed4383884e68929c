"""The rules of the hash chain: the entry format, heads, and verification.

:mod:`fyrules.cases.trail` is the public face (it re-exports these); this module holds what a
reader needs to check a trail without writing one.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from typing import Any, Literal

import attrs

from ...engine.problems import FyrulesError, Location, Problem
from ..canonical import MAX_SAFE_INTEGER, CanonicalError, canonical_json

GENESIS = "0" * 64
"""The ``prev`` of the first entry."""

KINDS: dict[str, str] = {
    "event": "an accepted event of a case: fyrules.cases.canonical.event_record(event)",
    "rejected": "an event that was refused, with its reason (nothing else changed)",
    "draw": "a random inspection draw: seed, population and what was drawn",
}
"""The kinds of record fyrules writes. Others may be added: a kind is any lower-case word of
letters, digits and ``_`` (at most 32), so a host system can log its own."""

MAX_ENTRY_BYTES = 8 * 1024 * 1024
"""The largest entry, in canonical bytes: larger records are refused on append, larger lines on
import, so every entry that was written can be read back."""

ENTRY_KEYS = ("hash", "index", "kind", "prev", "record")

BreakReason = Literal["malformed", "index", "prev", "hash", "missing", "head"]

_HEX64 = re.compile(r"[0-9a-f]{64}")
KIND_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,31}")
_ENTRY_KEYS = frozenset(ENTRY_KEYS)
_CODE_OF: dict[str, str] = {
    "malformed": "TRAIL-FORMAT",
    "index": "TRAIL-BROKEN",
    "prev": "TRAIL-BROKEN",
    "hash": "TRAIL-BROKEN",
    "missing": "TRAIL-HEAD",
    "head": "TRAIL-HEAD",
}


class TrailError(FyrulesError):
    """A trail operation that cannot go on; ``problem`` says why."""

    problem: Problem

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.format())


def _short(digest: object, other: object = None) -> str:
    """A hash cut to 12 digits, or to where it first differs from ``other``."""
    if not isinstance(digest, str) or len(digest) <= 12:
        return repr(digest)
    keep = 12
    if isinstance(other, str):
        while keep < len(digest) and digest[:keep] == other[:keep]:
            keep += 4
    return digest if keep >= len(digest) else f"{digest[:keep]}…"


def _brief(value: object) -> str:
    """A value for a message, never huge (nor a 5,000-digit number Python refuses to print)."""
    if isinstance(value, int) and not -(10**30) < value < 10**30:
        return "(a number too large)"
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:77]}…"


@attrs.frozen(slots=True)
class TrailHead:
    """The last entry of a trail, by index and hash: the value to publish outside the store.

    ``index`` is −1 and ``hash`` 64 zeros for an empty trail (:data:`EMPTY_HEAD`), so the next
    entry always has index ``head.index + 1`` and prev ``head.hash``. Written as text it is
    ``INDEX:HASH`` (``str(head)``; :meth:`parse` reads it back)."""

    index: int
    hash: str

    def __attrs_post_init__(self) -> None:
        if type(self.index) is not int or not -1 <= self.index <= MAX_SAFE_INTEGER:
            raise _head_error(
                f"序号应为 −1 至 2**53−1 的整数：{_brief(self.index)}",
                f"index must be a whole number from −1 to 2**53 − 1: {_brief(self.index)}",
            )
        if not isinstance(self.hash, str) or not _HEX64.fullmatch(self.hash):
            raise _head_error(
                f"哈希应为 64 位小写十六进制：{_short(self.hash)}",
                f"hash must be 64 lower-case hex digits: {_short(self.hash)}",
            )
        if self.index == -1 and self.hash != GENESIS:
            raise _head_error("空留痕的哈希应为 64 个 0", "an empty trail's hash is 64 zeros")

    @property
    def length(self) -> int:
        """How many entries the trail has up to and including this head."""
        return self.index + 1

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "hash": self.hash}

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> TrailHead:
        """A head from ``{"index": n, "hash": "…"}``; raises :class:`TrailError` (``TRAIL-HEAD``)."""
        if not isinstance(value, Mapping) or set(value) != {"index", "hash"}:
            raise _head_error("头部应为 {index, hash}", 'a head is {"index": n, "hash": "…"}')
        return cls(value["index"], value["hash"])

    @classmethod
    def parse(cls, text: str) -> TrailHead:
        """A head from ``INDEX:HASH``; raises :class:`TrailError` (``TRAIL-HEAD``)."""
        index, sep, digest = text.strip().partition(":")
        if not sep or not index.lstrip("-").isdigit() or not index.isascii():
            raise _head_error(
                f"应为 序号:哈希：{text[:80]!r}", f"expected INDEX:HASH, got {text[:80]!r}"
            )
        return cls(int(index), digest)

    def __str__(self) -> str:
        return f"{self.index}:{self.hash}"


def _head_error(zh: str, en: str) -> TrailError:
    return TrailError(Problem("TRAIL-HEAD", zh, en))


EMPTY_HEAD = TrailHead(-1, GENESIS)


def entry_hash(index: int, prev: str, kind: str, record: Mapping[str, Any]) -> str:
    """The ``hash`` of an entry: SHA-256 of the canonical JSON of the other four keys."""
    body = {"index": index, "prev": prev, "kind": kind, "record": record}
    return hashlib.sha256(canonical_json(body)).hexdigest()


@attrs.frozen(slots=True)
class TrailBreak:
    """The first entry that does not match, and why.

    ``index`` is the entry's place in the sequence checked, counting from 0, which is also the
    index a good entry there carries; in an exported file it is on line ``index + 1``.
    ``reason``: ``malformed`` (not an entry of the right shape, or a line that cannot be read),
    ``index`` (an entry deleted, inserted, duplicated or moved before or here), ``prev`` (does
    not follow the entry before), ``hash`` (its contents were changed), ``missing`` (the trail
    ends before the published head: its tail was cut), ``head`` (the entry at the published
    head's index is another one: the chain was rewritten at or before it)."""

    index: int
    reason: BreakReason
    message_zh: str
    message_en: str

    @property
    def code(self) -> str:
        return _CODE_OF[self.reason]

    @property
    def line(self) -> int:
        return self.index + 1

    def problem(self, path: str | None = None) -> Problem:
        """This break as a problem, placed at its line of ``path`` when the trail is a file."""
        where = Location(path, self.line) if path is not None else None
        return Problem(self.code, self.message_zh, self.message_en, where)


@attrs.frozen(slots=True)
class VerifyResult:
    """What :func:`verify` found.

    ``checked``: entries that verified, in order from the first; ``head``: the head of those
    entries (the whole trail's head when ``ok``); ``first_bad``: the first entry that does not
    match, or ``None``; ``past_head``: with an expected head, how many entries follow it (they
    verify, but no published head vouches for them yet)."""

    checked: int
    head: TrailHead
    first_bad: TrailBreak | None = None
    past_head: int = 0

    @property
    def ok(self) -> bool:
        return self.first_bad is None

    def problems(self, path: str | None = None) -> tuple[Problem, ...]:
        return () if self.first_bad is None else (self.first_bad.problem(path),)

    def to_dict(self) -> dict[str, Any]:
        bad = self.first_bad
        return {
            "ok": self.ok,
            "checked": self.checked,
            "head": self.head.to_dict(),
            "past_head": self.past_head,
            "first_bad": None
            if bad is None
            else {
                "index": bad.index,
                "reason": bad.reason,
                "code": bad.code,
                "message_zh": bad.message_zh,
                "message_en": bad.message_en,
            },
        }


def verify(
    entries: Iterable[Mapping[str, Any]], *, expected_head: TrailHead | None = None
) -> VerifyResult:
    """Check a whole trail, from its first entry, in one pass and constant memory.

    Stops at the first entry that does not match and names it (:class:`TrailBreak`). With
    ``expected_head`` (a head published earlier), also fails when the trail ends before that
    head (``missing``: a cut tail) or holds another entry at its index (``head``: rewritten);
    entries after the published head are allowed and counted in ``past_head``."""
    chain = ChainCheck(expected_head)
    for entry in entries:
        if chain.feed(entry) is not None:
            break
    return chain.result()


class ChainCheck:
    """:func:`verify` one entry at a time, for readers that parse as they go (the import)."""

    __slots__ = ("_expected", "_first_bad", "_index", "_past", "_prev")

    def __init__(self, expected_head: TrailHead | None = None):
        self._expected = expected_head
        self._index = 0
        self._prev = GENESIS
        self._past = 0
        self._first_bad: TrailBreak | None = None

    @property
    def broken(self) -> bool:
        return self._first_bad is not None

    def feed(self, entry: Any) -> TrailBreak | None:
        """Check the next entry; returns the break once there is one (and ignores what follows)."""
        if self._first_bad is not None:
            return self._first_bad
        index = self._index
        found = _check(entry, index, self._prev)
        if found is None:
            expected = self._expected
            if expected is not None and index == expected.index and entry["hash"] != expected.hash:
                found = TrailBreak(
                    index,
                    "head",
                    f"第 {index} 条的哈希 {_short(entry['hash'], expected.hash)} 不是公布的头部 {_short(expected.hash, entry['hash'])}：该条或其之前的留痕已被改写",
                    f"entry {index} has hash {_short(entry['hash'], expected.hash)}, not the "
                    f"published head {_short(expected.hash, entry['hash'])}: the trail was rewritten at or before it",
                )
        if found is not None:
            self._first_bad = found
            return found
        if self._expected is not None and index > self._expected.index:
            self._past += 1
        self._index = index + 1
        self._prev = entry["hash"]
        return None

    def mark(self, bad: TrailBreak) -> None:
        """Record a break found by the reader (a line that cannot be read) at the current place."""
        if self._first_bad is None:
            self._first_bad = bad

    @property
    def next_index(self) -> int:
        return self._index

    def result(self) -> VerifyResult:
        bad = self._first_bad
        expected = self._expected
        if bad is None and expected is not None and self._index <= expected.index:
            n = self._index
            bad = TrailBreak(
                n,
                "missing",
                f"留痕在第 {n} 条之前结束，而公布的头部是第 {expected.index} 条：末尾 {expected.index - n + 1} 条被截去",
                f"the trail ends before entry {n}, but the published head is entry "
                f"{expected.index}: {expected.index - n + 1} entries were cut from its tail",
            )
        head = EMPTY_HEAD if self._index == 0 else TrailHead(self._index - 1, self._prev)
        return VerifyResult(self._index, head, bad, self._past)


def _check(entry: Any, index: int, prev: str) -> TrailBreak | None:
    """Why ``entry`` is not the entry ``index`` following ``prev``, or ``None``."""
    if not isinstance(entry, Mapping):
        return _malformed(index, "不是 JSON 对象", f"not a JSON object but {type(entry).__name__}")
    if entry.keys() != _ENTRY_KEYS:
        missing = sorted(_ENTRY_KEYS - set(entry))
        extra = sorted(str(k) for k in set(entry) - _ENTRY_KEYS)
        zh = "；".join(
            filter(None, [f"缺少 {missing}" if missing else "", f"多出 {extra}" if extra else ""])
        )
        en = "; ".join(
            filter(
                None,
                [f"missing {missing}" if missing else "", f"unknown {extra}" if extra else ""],
            )
        )
        return _malformed(index, f"键不对：{zh}", f"wrong keys: {en}")
    found = entry["index"]
    if type(found) is not int or not 0 <= found <= MAX_SAFE_INTEGER:
        return _malformed(
            index,
            "index 应为 0 至 2**53−1 的整数",
            "index must be a whole number from 0 to 2**53 − 1",
        )
    for key in ("prev", "hash"):
        if not isinstance(entry[key], str) or not _HEX64.fullmatch(entry[key]):
            return _malformed(
                index, f"{key} 应为 64 位小写十六进制", f"{key} must be 64 lower-case hex digits"
            )
    if not isinstance(entry["kind"], str) or not KIND_PATTERN.fullmatch(entry["kind"]):
        return _malformed(index, "kind 应为小写英文单词", "kind must be a lower-case word")
    if not isinstance(entry["record"], Mapping):
        return _malformed(index, "record 应为 JSON 对象", "record must be a JSON object")
    if found != index:
        return TrailBreak(
            index,
            "index",
            f"此处应为第 {index} 条，却是第 {found} 条：此前或此处有条目被删除、插入、重复或调换",
            f"entry {index} expected here, found index {found}: an entry was deleted, inserted, "
            "duplicated or moved before or here",
        )
    if entry["prev"] != prev:
        return TrailBreak(
            index,
            "prev",
            f"第 {index} 条的 prev {_short(entry['prev'], prev)} 不是前一条的哈希 {_short(prev, entry['prev'])}：前后两条不相接",
            f"entry {index}: prev {_short(entry['prev'], prev)} is not the hash of the entry "
            f"before ({_short(prev, entry['prev'])}): the two do not follow each other",
        )
    body = {"index": found, "prev": prev, "kind": entry["kind"], "record": entry["record"]}
    try:
        actual = hashlib.sha256(canonical_json(body)).hexdigest()
    except CanonicalError as exc:
        return _malformed(
            index,
            f"record 无法规范化：{exc.problem.message_zh}",
            f"record has no canonical form: {exc.problem.message_en}",
        )
    if actual != entry["hash"]:
        return TrailBreak(
            index,
            "hash",
            f"第 {index} 条的内容与其哈希不符（记为 {_short(entry['hash'], actual)}，算得 {_short(actual, entry['hash'])}）：该条已被改动",
            f"entry {index}: its contents do not match its hash (recorded "
            f"{_short(entry['hash'], actual)}, computed {_short(actual, entry['hash'])}): "
            "the entry was changed",
        )
    return None


def _malformed(index: int, zh: str, en: str) -> TrailBreak:
    return TrailBreak(
        index, "malformed", f"第 {index} 条格式不对：{zh}", f"entry {index} is malformed: {en}"
    )
