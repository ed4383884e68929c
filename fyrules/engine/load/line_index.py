"""Line and column of a byte offset into a UTF-8 text, in time that does not grow with the text.

The fast reader's :mod:`.yaml_locator` knows where a node lies as a byte offset; a problem is
reported at a line and a column counted in characters. Counting line breaks from the start of
the file for every problem made ``fyrules check`` quadratic in the size of a file with a problem
per item. A :class:`LineIndex` counts once, per block of :data:`BLOCK` bytes, the line breaks
and characters before the block and where the last line before it starts; a lookup then scans
at most the block that holds the offset (and the one that holds its line's start), whatever the
length of the file or of its lines.
"""

from __future__ import annotations

BLOCK = 4096  # bytes a lookup scans at most per offset: a few microseconds of ``bytes.count``
# UTF-8 continuation bytes: every other byte starts a character
_CONTINUATION = bytes(range(0x80, 0xC0))


class LineIndex:
    """Lines and columns (1-based, columns in characters) of byte offsets into ``text``.

    ``text`` is valid UTF-8 and the offsets fall on character boundaries (as the offsets of
    parsed nodes do). Built in one pass over the text; each lookup costs at most two blocks."""

    __slots__ = (
        "_ascii",
        "_block",
        "_chars_before",
        "_line_start_before",
        "_lines_before",
        "_text",
    )

    def __init__(self, text: bytes, block: int = BLOCK):
        if block < 1:
            raise ValueError("block must be positive")
        self._text = text
        self._block = block
        self._ascii = text.isascii()
        lines_before: list[int] = []  # line breaks before block k
        line_start_before: list[int] = []  # where the line that block k starts in starts
        chars_before: list[int] = []  # characters before block k (unused for ASCII text)
        lines = line_start = chars = 0
        for start in range(0, len(text) + 1, block):
            lines_before.append(lines)
            line_start_before.append(line_start)
            chars_before.append(chars)
            end = start + block
            lines += text.count(b"\n", start, end)
            last = text.rfind(b"\n", start, end)
            if last >= 0:
                line_start = last + 1
            if not self._ascii:
                chars += len(text[start:end].translate(None, _CONTINUATION))
        self._lines_before = lines_before
        self._line_start_before = line_start_before
        self._chars_before = chars_before

    def line(self, offset: int) -> int:
        """The line (1-based) that holds ``offset``."""
        k = offset // self._block
        return self._lines_before[k] + self._text.count(b"\n", k * self._block, offset) + 1

    def line_start(self, offset: int) -> int:
        """The offset where the line that holds ``offset`` starts."""
        k = offset // self._block
        last = self._text.rfind(b"\n", k * self._block, offset)
        return last + 1 if last >= 0 else self._line_start_before[k]

    def line_column(self, offset: int) -> tuple[int, int]:
        """Line and column (both 1-based; the column in characters) of ``offset``."""
        return self.line(offset), self._chars(offset) - self._chars(self.line_start(offset)) + 1

    def _chars(self, offset: int) -> int:
        """How many characters come before ``offset``."""
        if self._ascii:
            return offset
        k = offset // self._block
        piece = self._text[k * self._block : offset]
        return self._chars_before[k] + len(piece.translate(None, _CONTINUATION))
