"""Probable duplicate items across departments (重复事项): catalog hygiene.

The seed's center merged items that two departments each listed for the same thing. Two items
of *different* departments are a probable duplicate when they cite the same legal basis
(``legal_basis``, compared after NFKC normalization without spaces) and their names are
similar: the ratio of :class:`difflib.SequenceMatcher` over the normalized names (NFKC, lower
case, no spaces or punctuation) is at least the rulebook's threshold, the parameter
``duplicate_name_similarity`` (a number from 0 to 1). Without that parameter nothing is
compared. The result is deterministic: it depends on the items, never on their order.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Mapping
from itertools import combinations, product

import attrs

from ..engine.problems import Problem
from .model import ItemSpec

THRESHOLD_PARAMETER = "duplicate_name_similarity"


def normalized_name(name: str) -> str:
    """NFKC, lower case, without spaces, punctuation or symbols: ``食品经营许可（新办）`` →
    ``食品经营许可新办``."""
    text = unicodedata.normalize("NFKC", name).lower()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PZSC")


def normalized_basis(basis: str) -> str:
    return "".join(unicodedata.normalize("NFKC", basis).split())


def name_similarity(a: str, b: str) -> float:
    """The similarity of two item names, 0 to 1, symmetric: the larger of the two orders'
    :class:`difflib.SequenceMatcher` ratios (without its junk heuristic)."""
    x, y = normalized_name(a), normalized_name(b)
    return max(
        difflib.SequenceMatcher(None, x, y, autojunk=False).ratio(),
        difflib.SequenceMatcher(None, y, x, autojunk=False).ratio(),
    )


@attrs.frozen(slots=True)
class DuplicatePair:
    """Two items of different departments with the same legal basis and similar names;
    ``first`` is the smaller code."""

    first: str
    second: str
    similarity: float


def probable_duplicates(items: Iterable[ItemSpec], threshold: float) -> list[DuplicatePair]:
    """Every probable duplicate pair among ``items``, sorted by codes."""
    by_basis: dict[str, list[ItemSpec]] = {}
    for item in items:
        if item.legal_basis:
            by_basis.setdefault(normalized_basis(item.legal_basis), []).append(item)
    pairs = []
    similarity: dict[tuple[str, str], float] = {}  # imported catalogs repeat names often
    for group in by_basis.values():
        by_department: dict[str, list[ItemSpec]] = {}
        for item in group:
            by_department.setdefault(item.department, []).append(item)
        # only items of different departments pair: never walk the pairs within one
        for left, right in combinations(by_department.values(), 2):
            for x, y in product(left, right):
                a, b = (x, y) if x.code < y.code else (y, x)
                names = a.name.zh, b.name.zh
                ratio = similarity.get(names)
                if ratio is None:
                    ratio = similarity[names] = name_similarity(*names)
                if ratio >= threshold:
                    pairs.append(DuplicatePair(a.code, b.code, ratio))
    return sorted(pairs, key=lambda p: (p.first, p.second))


def duplicate_problems(catalog: object, parameters: Mapping[str, object]) -> list[Problem]:
    """``ITEM-PROBABLE-DUPLICATE`` warnings, at the second item, naming the first's place."""
    parameter = parameters.get(THRESHOLD_PARAMETER)
    if parameter is None:
        return []
    threshold = getattr(parameter, "value", None)
    items: Mapping[str, ItemSpec] = getattr(catalog, "items", {})
    entries = getattr(catalog, "entries", {})
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, int | float)
        or not 0 <= threshold <= 1
    ):
        return [
            Problem(
                "INVALID-VALUE",
                f"参数 {THRESHOLD_PARAMETER} 应为 0 到 1 之间的数",
                f"parameter {THRESHOLD_PARAMETER} must be a number from 0 to 1",
                getattr(parameter, "location", None),
                THRESHOLD_PARAMETER,
            )
        ]
    out = []
    for pair in probable_duplicates(items.values(), float(threshold)):
        a, b = items[pair.first], items[pair.second]
        where_a, where_b = entries[a.code].location, entries[b.code].location
        percent = f"{pair.similarity:.0%}"
        out.append(
            Problem(
                "ITEM-PROBABLE-DUPLICATE",
                f"事项 {b.code}（{b.department}）“{b.name.zh}”与 {a.code}（{a.department}，{where_a}）"
                f"“{a.name.zh}”设定依据相同、名称相似度 {percent}（阈值 {threshold}），可能是重复事项；"
                "请核实后合并，或在事项名称中写明区别",
                f"item {b.code} ({b.department}) '{b.name.zh}' and {a.code} ({a.department}, "
                f"{where_a}) '{a.name.zh}' cite the same legal basis and their names are "
                f"{percent} similar (threshold {threshold}): probably one item listed twice; "
                "merge them, or make the names say how they differ",
                where_b,
                THRESHOLD_PARAMETER,
                "warning",
            )
        )
    return out
