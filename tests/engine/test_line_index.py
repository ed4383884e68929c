"""Positions in large rule files cost the same per lookup whatever the file's size (issue 18).

Not timed: the work is counted. A lookup that counted line breaks from the start of the file
made ``fyrules check`` quadratic in a file with a problem per item."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fyrules.engine.load import yaml_locator
from fyrules.engine.load.line_index import BLOCK, LineIndex
from fyrules.engine.load.yaml_pyyaml import KEY_MARK, read_with_positions
from fyrules.engine.load.yaml_ryml import available


def naive(text: bytes, offset: int) -> tuple[int, int]:
    start = text.rfind(b"\n", 0, offset) + 1
    return text.count(b"\n", 0, offset) + 1, len(text[start:offset].decode("utf-8")) + 1


@given(
    st.text(alphabet=st.sampled_from(["a", " ", "\n", "\r", "规", "é", "😀", "-"]), max_size=300),
    st.integers(min_value=1, max_value=9),
)
def test_line_and_column_are_those_counted_from_the_start(text: str, block: int) -> None:
    """For every character boundary of any text, with blocks of any size: the same line and
    column (in characters) as counting from the start of the text."""
    raw = text.encode("utf-8")
    index = LineIndex(raw, block)
    offset = 0
    for char in [*text, ""]:
        assert index.line_column(offset) == naive(raw, offset)
        assert index.line_start(offset) == raw.rfind(b"\n", 0, offset) + 1
        offset += len(char.encode("utf-8"))


class Scanned(bytes):
    """Bytes that count how many bytes ``count``, ``rfind`` and slices look at."""

    looked = 0

    def _span(self, start: Any, end: Any) -> None:
        s, e, _ = slice(start, end).indices(len(self))
        Scanned.looked += max(0, e - s)

    def count(self, sub: Any, start: Any = None, end: Any = None) -> int:  # type: ignore[override]
        self._span(start, end)
        return super().count(sub, start, end)

    def rfind(self, sub: Any, start: Any = None, end: Any = None) -> int:  # type: ignore[override]
        self._span(start, end)
        return super().rfind(sub, start, end)

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, slice):
            self._span(key.start, key.stop)
        return super().__getitem__(key)


@pytest.mark.parametrize("line", ["  - code: X-1\n", "  - name: 事项名称很长的一行\n"])
def test_a_lookup_looks_at_a_few_blocks_at_most_however_large_the_file(line: str) -> None:
    raw = Scanned((line * 200_000).encode("utf-8"))  # 2.8 to 4.2 MB
    index = LineIndex(raw)
    assert Scanned.looked <= 3 * len(raw) + 3 * BLOCK  # built in passes over the text, once
    for offset in (len(raw) - 1 - len(line.encode()) * k for k in (0, 1, 1000)):
        offset -= offset % len(line.encode())  # the start of a line
        Scanned.looked = 0
        assert index.line_column(offset) == (offset // len(line.encode()) + 1, 1)
        assert Scanned.looked <= 4 * BLOCK  # not the megabytes before the offset


class CountingTree:
    """rapidyaml's tree, counting the calls made to it."""

    def __init__(self, tree: Any):
        self._tree = tree
        self.calls: Counter[str] = Counter()

    def __getattr__(self, name: str) -> Any:
        self.calls[name] += 1
        return getattr(self._tree, name)


@pytest.mark.skipif(not available(), reason="needs rapidyaml: pip install -e '.[test]'")
def test_the_locator_walks_each_list_once_for_all_its_lookups() -> None:
    """Finding an item's key walks the items' list once in all, not once per lookup
    (rapidyaml's ``child(i)`` and ``num_children`` walk the list from its head each time);
    and each position is the careful reader's."""
    n = 3_000
    text = "items:\n" + "".join(
        f"  - code: X-{i}\n    name: {{zh: 事项{i}, en: Item {i}}}\n    committed_day: 5\n"
        for i in range(n)
    )
    locator = yaml_locator.Locator(text)
    tree = CountingTree(locator._tree)
    locator._tree = tree
    parsed, _ = read_with_positions(text, "items.yaml")
    assert parsed is not None
    careful = parsed[1]
    for i in range(n):
        keys = ("items", i, "committed_day", KEY_MARK)
        assert locator.key_position(keys[:-1]) == careful[keys]
        assert locator.nearest(("items", i, "name", "zh")) == careful[("items", i, "name", "zh")]
    assert tree.calls["num_children"] == 0 and tree.calls["child"] == 0
    # the items' list once, then each item's three keys and each name's two
    assert tree.calls["next_sibling"] <= n + n * 3 + n * 2 + 1
