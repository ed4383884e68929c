"""Partitions of cases: which of N writers owns a case (design.md, "Scale past one machine").

A case belongs to partition ``crc32(case id as UTF-8) mod N``: the same answer in every
process, on every machine and in every Python version (``hash()`` is salted per process).
Each writer of a partitioned replay feeds only the events of its partition's cases, so the
cases' events stay in order within one writer and writers never share a case.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from typing import Any

from ..engine.problems import Problem, UsageError


def partition_of(case_id: str, partitions: int) -> int:
    """The partition (``0 .. partitions - 1``) that owns ``case_id``."""
    return zlib.crc32(case_id.encode("utf-8")) % partitions


def parse_partition(text: str) -> tuple[int, int]:
    """``K/N`` (partition K of N, counted from 0) as ``(K, N)``; bad text is a usage error."""
    k, sep, n = text.partition("/")
    if sep and k.isdigit() and n.isdigit() and 0 <= int(k) < int(n):
        return int(k), int(n)
    raise UsageError(
        f"--partition 应为 K/N（0 ≤ K < N），如 0/4 / --partition must be K/N with "
        f"0 <= K < N, e.g. 0/4: {text!r}"
    )


def events_of(stream: Iterable[Any], partition: int, partitions: int) -> Iterator[Any]:
    """The items of a replay stream (events, or problems of lines that are no event) that
    belong to ``partition``: an event by its case; a problem, which has no case, to
    partition 0, so each is reported once."""
    for item in stream:
        if isinstance(item, Problem):
            if partition == 0:
                yield item
        elif partition_of(item.case, partitions) == partition:
            yield item
