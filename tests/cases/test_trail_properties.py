"""Properties of the trail and of canonical JSON, over random records and random tampering."""

from __future__ import annotations

import io
import json
import math
import re

from hypothesis import assume, given
from hypothesis import strategies as st

from fyrules.cases.canonical import MAX_SAFE_INTEGER, CanonicalError, canonical_json
from fyrules.cases.store import MemoryStore
from fyrules.cases.trail import Trail, entry_hash, export_trail, import_trail, verify

SAFE_INTS = st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER)
KEYS = st.text(max_size=6)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | SAFE_INTS | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=6,
)
RECORDS = st.dictionaries(KEYS, JSON_VALUES, max_size=4)
KINDS = st.sampled_from(["event", "rejected", "draw", "note_2"])
CHAINS = st.lists(st.tuples(KINDS, RECORDS), min_size=1, max_size=5)


def _store(chain) -> tuple[MemoryStore, Trail]:
    store = MemoryStore()
    trail = Trail(store)
    for kind, record in chain:
        trail.append(kind, record)
    return store, trail


def _exported(store: MemoryStore) -> bytes:
    buffer = io.BytesIO()
    export_trail(store.trail(), buffer)
    return buffer.getvalue()


def _reads_as_an_entry(line: bytes) -> bool:
    """Whether a line still reads as a well-formed entry in canonical form."""
    try:
        value = json.loads(line.decode("utf-8"))
        if not isinstance(value, dict) or canonical_json(value) + b"\n" != line:
            return False
    except (ValueError, CanonicalError):
        return False
    hex64 = re.compile(r"[0-9a-f]{64}")
    return (
        set(value) == {"index", "prev", "kind", "record", "hash"}
        and type(value["index"]) is int
        and all(isinstance(value[k], str) and hex64.fullmatch(value[k]) for k in ("prev", "hash"))
        and isinstance(value["kind"], str)
        and re.fullmatch(r"[a-z][a-z0-9_]{0,31}", value["kind"]) is not None
        and isinstance(value["record"], dict)
    )


@given(CHAINS)
def test_a_chain_of_random_records_verifies_and_survives_export_and_import(chain):
    """Whatever the records, the chain verifies, and export → import gives it back exactly."""
    store, trail = _store(chain)
    result = verify(store.trail(), expected_head=trail.head())
    assert result.ok and result.checked == len(chain) and result.head == trail.head()
    imported = import_trail(io.BytesIO(_exported(store)), expected_head=trail.head())
    assert imported.ok and imported.entries == list(store.trail())


@given(CHAINS, st.data())
def test_any_single_changed_byte_of_an_export_is_caught_at_its_line(chain, data):
    """Any one byte changed to any other value, anywhere (strings, keys, digits, newlines):
    the import fails, its first problem is on the changed line, and it is TRAIL-BROKEN when the
    line still reads as an entry, TRAIL-FORMAT when it does not."""
    store, trail = _store(chain)
    exported = _exported(store)
    position = data.draw(st.integers(0, len(exported) - 1), label="position")
    new = data.draw(st.integers(0, 255).filter(lambda b: b != exported[position]), label="byte")
    changed = exported[:position] + bytes([new]) + exported[position + 1 :]
    line = exported[:position].count(b"\n")  # 0-based, the newline ending a line belongs to it

    imported = import_trail(io.BytesIO(changed), expected_head=trail.head())
    assert not imported.ok
    first = imported.problems[0]
    assert first.line == line + 1
    assert imported.verification.first_bad.index == line
    changed_line = changed.splitlines(keepends=True)[line]
    assert first.code == ("TRAIL-BROKEN" if _reads_as_an_entry(changed_line) else "TRAIL-FORMAT")
    assert imported.entries == list(store.trail())[:line]


def _first_difference(original: list, changed: list) -> int:
    for position, (a, b) in enumerate(zip(original, changed, strict=False)):
        if a is not b:
            return position
    return min(len(original), len(changed))


@st.composite
def _rearranged(draw, entries):
    """The entries with one deletion, insertion of a copy, duplication, swap or move."""
    n = len(entries)
    changed = list(entries)
    how = draw(st.sampled_from(["delete", "insert", "duplicate", "swap", "move"]))
    if how == "delete":
        del changed[draw(st.integers(0, n - 1))]
    elif how == "insert":
        changed.insert(draw(st.integers(0, n)), entries[draw(st.integers(0, n - 1))])
    elif how == "duplicate":
        k = draw(st.integers(0, n - 1))
        changed.insert(k + 1, entries[k])
    elif how == "swap":
        i, j = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        changed[i], changed[j] = changed[j], changed[i]
    else:
        moved = changed.pop(draw(st.integers(0, n - 1)))
        changed.insert(draw(st.integers(0, n - 1)), moved)
    return changed


@given(CHAINS, st.data())
def test_a_deleted_inserted_duplicated_or_moved_entry_is_caught_where_the_trail_first_differs(
    chain, data
):
    """After any such change, verify against the published head fails, and the first bad
    entry it names is the first place where the trail differs from the original."""
    store, trail = _store(chain)
    entries = list(store.trail())
    changed = data.draw(_rearranged(entries))
    assume(
        any(a is not b for a, b in zip(entries, changed, strict=False))
        or len(entries) != len(changed)
    )
    result = verify(changed, expected_head=trail.head())
    assert not result.ok
    assert result.first_bad.index == _first_difference(entries, changed)
    assert result.checked == result.first_bad.index


@given(CHAINS, st.data())
def test_a_forged_entry_that_fits_is_caught_at_the_entry_it_pushes_along(chain, data):
    """An entry forged with the right index, prev and hash fits where it is put; the original
    entry it pushes along is caught, and a forged last entry is past the published head
    (only the next published head vouches for it)."""
    store, trail = _store(chain)
    entries = list(store.trail())
    k = data.draw(st.integers(0, len(entries)), label="at")
    prev = entries[k - 1]["hash"] if k else "0" * 64
    record = data.draw(RECORDS, label="record")
    forged = {"index": k, "prev": prev, "kind": "event", "record": record}
    forged["hash"] = entry_hash(k, prev, "event", record)
    changed = [*entries[:k], forged, *entries[k:]]
    result = verify(changed)
    if k < len(entries):
        assert (result.first_bad.index, result.first_bad.reason) == (k + 1, "index")
    else:
        assert result.ok and verify(changed, expected_head=trail.head()).past_head == 1


@given(CHAINS, st.data())
def test_a_cut_tail_is_caught_given_the_published_head(chain, data):
    """Keeping only the first m entries verifies alone, and fails against the published head
    at entry m."""
    store, trail = _store(chain)
    entries = list(store.trail())
    m = data.draw(st.integers(0, len(entries) - 1))
    assert verify(entries[:m]).ok
    result = verify(entries[:m], expected_head=trail.head())
    assert (result.first_bad.index, result.first_bad.reason) == (m, "missing")


@given(CHAINS, st.data())
def test_a_chain_rewritten_and_rehashed_is_caught_given_the_published_head(chain, data):
    """Whoever controls the store can rewrite one record and recompute every hash after it:
    the new chain verifies alone, and only the published head shows the rewrite."""
    _, trail = _store(chain)
    k = data.draw(st.integers(0, len(chain) - 1))
    rewritten_record = data.draw(RECORDS.filter(lambda r: r != chain[k][1]))
    rewritten = [*chain[:k], (chain[k][0], rewritten_record), *chain[k + 1 :]]
    forged, _ = _store(rewritten)
    assert verify(forged.trail()).ok
    result = verify(forged.trail(), expected_head=trail.head())
    assert (result.first_bad.index, result.first_bad.reason) == (len(chain) - 1, "head")


def _shuffled(value, order):
    """The same JSON value with every object's keys in another insertion order."""
    if isinstance(value, dict):
        keys = order(list(value))
        return {k: _shuffled(value[k], order) for k in keys}
    if isinstance(value, list):
        return [_shuffled(v, order) for v in value]
    return value


@given(JSON_VALUES, st.randoms())
def test_canonical_json_is_one_sequence_of_bytes_per_value(value, rnd):
    """The same value gives the same bytes whatever its key order, and reading the bytes back
    gives the value and the same bytes again."""
    encoded = canonical_json(value)
    assert canonical_json(value) == encoded
    assert canonical_json(_shuffled(value, lambda keys: rnd.sample(keys, len(keys)))) == encoded
    assert json.loads(encoded) == value
    assert canonical_json(json.loads(encoded)) == encoded


@given(JSON_VALUES, st.floats(allow_nan=True, allow_infinity=True), st.randoms())
def test_a_float_anywhere_is_refused(value, number, rnd):
    """A float (NaN and infinities included) anywhere in a value is refused."""

    def plant(v):
        if isinstance(v, dict) and v and rnd.random() < 0.5:
            key = rnd.choice(list(v))
            return {**v, key: plant(v[key])}
        if isinstance(v, list) and v and rnd.random() < 0.5:
            i = rnd.randrange(len(v))
            return [*v[:i], plant(v[i]), *v[i + 1 :]]
        return {"planted": number} if rnd.random() < 0.5 else [number]

    try:
        canonical_json(plant(value))
    except CanonicalError as exc:
        assert exc.problem.code == "TRAIL-VALUE"
        assert "float" in exc.problem.message_en
    else:
        raise AssertionError(f"{number} was accepted" if not math.isnan(number) else "NaN accepted")
