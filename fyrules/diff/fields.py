"""Field by field: what changed between two versions of one entry's data.

An entry's data is plain JSON (mappings, lists, scalars), as its rule file says it once
validated. Mappings are compared key by key; a list whose elements are mappings that each
carry a distinct identifying key (``id``, ``code``, ``date`` …) is compared element by element
on that key; any other list is aligned as a sequence (an inserted row is one row added, not
every row after it changed). Each change keeps its key path on each side (list indexes as they
stand in that side's file), so it can be located in both files.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from typing import Any

import attrs

from ..engine.load.source import KeyPath

# Keys that name a list element, in the order they are tried: the first that every element of
# both lists carries, with no value repeated, matches elements by it.
IDENTITY_KEYS = ("id", "code", "date", "name", "department", "person", "window", "role")


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()  # the value on the side where a field or element does not exist


@attrs.frozen(slots=True)
class FieldChange:
    """One value that differs. ``label`` is what people read (``materials[章程草案].copies``);
    ``pattern`` is the path with list elements as ``*`` (what direction rules match);
    ``old_keys`` and ``new_keys`` are the key paths in each side's file. A field that exists on
    one side only has :data:`MISSING` on the other."""

    label: str
    pattern: tuple[str, ...]
    old_keys: KeyPath
    new_keys: KeyPath
    old: Any
    new: Any

    @property
    def kind(self) -> str:
        if self.old is MISSING:
            return "added"
        if self.new is MISSING:
            return "removed"
        return "changed"


def field_changes(old: Any, new: Any) -> list[FieldChange]:
    """Every difference between ``old`` and ``new``, in reading order."""
    return list(_walk(old, new, "", (), (), ()))


def _walk(
    old: Any,
    new: Any,
    label: str,
    pattern: tuple[str, ...],
    old_keys: KeyPath,
    new_keys: KeyPath,
) -> Iterator[FieldChange]:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            sub = f"{label}.{key}" if label else str(key)
            yield from _walk(
                old.get(key, MISSING),
                new.get(key, MISSING),
                sub,
                (*pattern, str(key)),
                (*old_keys, key),
                (*new_keys, key),
            )
        return
    if isinstance(old, list) and isinstance(new, list):
        yield from _walk_list(old, new, label, pattern, old_keys, new_keys)
        return
    if old != new or (type(old) is not type(new) and not _same_number(old, new)):
        yield FieldChange(label, pattern, old_keys, new_keys, old, new)


def _walk_list(
    old: list[Any],
    new: list[Any],
    label: str,
    pattern: tuple[str, ...],
    old_keys: KeyPath,
    new_keys: KeyPath,
) -> Iterator[FieldChange]:
    inner = (*pattern, "*")
    key = _identity(old, new)
    if key is not None:
        olds = {e[key]: i for i, e in enumerate(old)}
        news = {e[key]: i for i, e in enumerate(new)}
        for name in [*olds, *(n for n in news if n not in olds)]:
            i, j = olds.get(name), news.get(name)
            yield from _walk(
                old[i] if i is not None else MISSING,
                new[j] if j is not None else MISSING,
                f"{label}[{name}]",
                inner,
                (*old_keys, i) if i is not None else old_keys,
                (*new_keys, j) if j is not None else new_keys,
            )
        return
    matcher = difflib.SequenceMatcher(None, [_text(e) for e in old], [_text(e) for e in new])
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        paired = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for k in range(paired):
            i, j = i1 + k, j1 + k
            yield from _walk(
                old[i], new[j], f"{label}[{j + 1}]", inner, (*old_keys, i), (*new_keys, j)
            )
        for i in range(i1 + paired, i2):
            yield FieldChange(f"{label}[{i + 1}]", inner, (*old_keys, i), new_keys, old[i], MISSING)
        for j in range(j1 + paired, j2):
            yield FieldChange(f"{label}[{j + 1}]", inner, old_keys, (*new_keys, j), MISSING, new[j])


def _identity(old: list[Any], new: list[Any]) -> str | None:
    elements = [*old, *new]
    if not elements or not all(isinstance(e, dict) for e in elements):
        return None
    for key in IDENTITY_KEYS:
        values = [e.get(key) for e in elements]
        if any(v is None or isinstance(v, dict | list) for v in values):
            continue
        if len({_text(v) for v in (e[key] for e in old)}) == len(old) and len(
            {_text(v) for v in (e[key] for e in new)}
        ) == len(new):
            return key
    return None


def _same_number(a: Any, b: Any) -> bool:
    numbers = (int, float)
    return (
        isinstance(a, numbers)
        and isinstance(b, numbers)
        and not isinstance(a, bool)
        and not isinstance(b, bool)
        and a == b
    )


def _text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
