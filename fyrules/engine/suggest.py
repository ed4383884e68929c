""" "Did you mean …?" for misspelled keys, fields, functions and ids."""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate closest to ``word``, if any is close enough to be a likely typo."""
    return _closest(word, tuple(c for c in candidates if isinstance(c, str)))


# A systematic slip repeats the same word against the same candidates once per item; difflib
# takes milliseconds for each, so the answers are remembered.
@functools.lru_cache(maxsize=4096)
def _closest(word: str, pool: tuple[str, ...]) -> str | None:
    lowered = {c.lower(): c for c in pool}
    if word.lower() in lowered:
        return lowered[word.lower()]
    match = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if match:
        return match[0]
    # Swapped letters ("CS" for "SC") score low on similarity but are the commonest slip.
    key = sorted(word.lower())
    swapped = [c for c in pool if len(c) == len(word) and sorted(c.lower()) == key]
    return swapped[0] if len(swapped) == 1 else None


def hint(word: str, candidates: Iterable[str]) -> tuple[str, str]:
    """Suffixes for a message in Chinese and English: ``（是否应为 “x”？）`` / `` (did you mean 'x'?)``."""
    best = closest(word, candidates)
    if best is None:
        return "", ""
    return f"（是否应为 “{best}”？）", f" (did you mean '{best}'?)"
