"""Where a node of a file the fast reader read starts: line and column, found on demand.

A :class:`Locator` re-parses the text with rapidyaml in place, walks a key path down its tree
and turns the place where the node's text lies in the buffer into a line and column, the way
the careful reader (:mod:`.yaml_pyyaml`) marks it: a node at its first character (a mapping at
its first key, a flow collection at its bracket, a block sequence at its first ``-``), quoted
text just after its quote, block text at the line after its ``|`` with column 0. Where that
cannot be proved from the text (empty values and collections, comments in the way, text that
rapidyaml had to rewrite elsewhere) it answers :data:`UNKNOWN`, and the caller asks the careful
reader instead.
"""

from __future__ import annotations

import ctypes
import re
from typing import Any

from .line_index import LineIndex
from .yaml_pyyaml import KEY_MARK, KeyPath
from .yaml_ryml import document_node, quiet_stderr, ryml

UNKNOWN: Any = object()  # the answer when the locator cannot be sure of a position


class _Buffer(ctypes.Structure):
    _fields_ = (
        ("buf", ctypes.c_void_p),
        ("obj", ctypes.c_void_p),
        ("len", ctypes.c_ssize_t),
        ("itemsize", ctypes.c_ssize_t),
        ("readonly", ctypes.c_int),
        ("ndim", ctypes.c_int),
        ("format", ctypes.c_char_p),
        ("shape", ctypes.c_void_p),
        ("strides", ctypes.c_void_p),
        ("suboffsets", ctypes.c_void_p),
        ("internal", ctypes.c_void_p),
    )


# ctypes foreign functions (their calls are untyped); ``None`` where CPython's API is missing
_get_buffer: Any
_release_buffer: Any
try:  # where rapidyaml's scalars point into the text, through CPython's buffer protocol
    _get_buffer = ctypes.pythonapi.PyObject_GetBuffer
    _get_buffer.argtypes = (ctypes.py_object, ctypes.POINTER(_Buffer), ctypes.c_int)
    _get_buffer.restype = ctypes.c_int
    _release_buffer = ctypes.pythonapi.PyBuffer_Release
    _release_buffer.argtypes = (ctypes.POINTER(_Buffer),)
    _release_buffer.restype = None
except AttributeError:  # pragma: no cover - not CPython: the careful reader does everything
    _get_buffer = None


def _address(obj: Any) -> int:
    """Where the bytes of a buffer (a bytearray, a memoryview into it) start in memory."""
    view = _Buffer()
    _get_buffer(obj, ctypes.byref(view), 0)
    try:
        return int(view.buf or 0)
    finally:
        _release_buffer(ctypes.byref(view))


_HEADER_LINE = re.compile(rb"[|>][-+]?[ ]*(?:#[^\n]*)?\r?\Z")
_BLANK = re.compile(rb"[ ]*\r?\Z")


class Locator:
    """Line and column (1-based) of nodes of one YAML text, found through rapidyaml's tree.

    The answers are those of the careful reader (the start of a node as libyaml marks it; a
    quoted text just after its quote; a block text at the line after its ``|`` with column 0),
    or :data:`UNKNOWN` where this cannot be proved from the text (empty values and
    containers, comments in the way, block text without content)."""

    def __init__(self, text: str):
        if ryml is None or _get_buffer is None:
            raise ValueError("rapidyaml is not available")
        self._text = text.encode("utf-8")
        self._buffer = bytearray(self._text)  # parsed in place: the tree points into it
        with quiet_stderr():
            self._tree = ryml.parse_in_place(self._buffer)
        root = document_node(self._tree)
        if root is None:
            raise ValueError("no single document")
        self._root = root
        self._base = _address(self._buffer)
        self._none = ryml.NONE
        self._lines = LineIndex(self._text)  # built once: each lookup then costs a block at most
        self._index: dict[int, Any] = {}  # container → its children, see _children

    # -- walking key paths -------------------------------------------------------------------

    def nearest(self, keys: KeyPath, floor: int = 0) -> tuple[int, int] | None:
        """Where the deepest node along ``keys`` starts; ``None`` if that is above ``floor``
        parts deep; :data:`UNKNOWN` if this locator cannot tell."""
        tree = self._tree
        node, depth, key_of = self._root, 0, False
        for part in keys:
            if part == KEY_MARK:
                if depth > 0 and tree.has_key(node):
                    key_of, depth = True, depth + 1
                break
            child = self._child(node, part)
            if child is None:
                break
            node, depth = child, depth + 1
        if depth < floor:
            return None
        if key_of:
            start = self._key_start(node)
            return UNKNOWN if start is UNKNOWN else self._lines.line_column(start)
        return self._position(node)

    def key_position(self, keys: KeyPath) -> tuple[int, int] | None:
        """Where the key of the mapping entry at ``keys`` starts; ``None`` if there is none."""
        if not keys:
            return None
        found = self.nearest((*keys, KEY_MARK), len(keys) + 1)
        return found

    def _child(self, node: int, part: str | int) -> int | None:
        tree = self._tree
        if type(part) is str and tree.is_map(node):
            return self._children(node).get(part.encode("utf-8"))
        if type(part) is int and tree.is_seq(node):
            children = self._children(node)
            return children[part] if 0 <= part < len(children) else None
        return None

    def _children(self, node: int) -> Any:
        """The children of a container: a list for a sequence, key → child for a mapping (the
        first of duplicate keys, as ``find_child`` answers). rapidyaml keeps children as a
        linked list, so finding the i-th child or counting them walks the list: made once per
        container, not once per lookup (a file with a problem per item would walk all the items
        for each problem)."""
        found = self._index.get(node)
        if found is not None:
            return found
        tree, none = self._tree, self._none
        ids = []
        child = tree.first_child(node)
        while child != none:
            ids.append(child)
            child = tree.next_sibling(child)
        if tree.is_map(node):
            by_key: dict[bytes, int] = {}
            for child in ids:
                by_key.setdefault(bytes(tree.key(child) or b""), child)
            found = by_key
        else:
            found = ids
        self._index[node] = found
        return found

    # -- where a node starts -----------------------------------------------------------------

    def _position(self, node: int) -> Any:
        tree = self._tree
        if tree.is_container(node):
            start = self._start(node)
            return UNKNOWN if start is UNKNOWN else self._lines.line_column(start)
        if not tree.has_val(node):
            return UNKNOWN
        if tree.is_val_literal(node) or tree.is_val_folded(node):
            header = self._block_header_line(node)
            return UNKNOWN if header is UNKNOWN else (header + 1, 0)
        start = self._scalar_start(node, tree.val(node), tree.is_val_quoted(node))
        if start is UNKNOWN:
            return UNKNOWN
        if tree.is_val_quoted(node):
            start += 1  # the careful reader points at the text, after the quote
        return self._lines.line_column(start)

    def _start(self, node: int) -> Any:
        """Byte offset where libyaml marks the start of ``node``."""
        tree = self._tree
        if not tree.is_container(node):
            if not tree.has_val(node) or tree.is_val_literal(node) or tree.is_val_folded(node):
                return UNKNOWN
            return self._scalar_start(node, tree.val(node), tree.is_val_quoted(node))
        first = tree.first_child(node)
        if first == self._none:
            return UNKNOWN
        is_map = tree.is_map(node)
        child = self._key_start(first) if is_map else self._start(first)
        if child is UNKNOWN:
            return UNKNOWN
        if is_map and not tree.is_flow(node):
            return child  # a block mapping starts at its first key
        # a flow collection at its bracket, a block sequence at its first "-"
        indicator = b"{" if is_map else (b"[" if tree.is_flow(node) else b"-")
        return self._indicator_before(child, indicator)

    def _key_start(self, node: int) -> Any:
        tree = self._tree
        if not tree.has_key(node) or tree.is_key_literal(node) or tree.is_key_folded(node):
            return UNKNOWN
        return self._scalar_start(node, tree.key(node), tree.is_key_quoted(node))

    def _scalar_start(self, node: int, view: Any, quoted: bool) -> Any:
        if view is None or len(view) == 0:
            return UNKNOWN  # empty: libyaml marks it somewhere this locator does not model
        offset = _address(view) - self._base
        if not 0 <= offset < len(self._text):
            return UNKNOWN  # text rapidyaml had to rewrite elsewhere
        if quoted:  # libyaml marks the opening quote; rapidyaml's text starts after it
            offset -= 1
            return offset if offset >= 0 and self._text[offset] in b"'\"" else UNKNOWN
        return offset if self._text[offset : offset + 1] == bytes(view[:1]) else UNKNOWN

    def _indicator_before(self, offset: int, indicator: bytes) -> Any:
        """The offset of ``indicator`` if only spaces and line breaks separate it from
        ``offset``, and no comment could hold it."""
        text = self._text
        j = offset - 1
        while j >= 0 and text[j] in b" \n\r":
            j -= 1
        if j < 0 or (j == offset - 1 and indicator == b"-") or text[j : j + 1] != indicator:
            return UNKNOWN
        if b"#" in text[self._lines.line_start(j) : j]:
            return UNKNOWN
        return j

    def _block_header_line(self, node: int) -> Any:
        """The line (1-based) of the ``|`` or ``>`` that starts a block scalar."""
        view = self._tree.val(node)
        if view is None or len(view) == 0:
            return UNKNOWN
        offset = _address(view) - self._base
        text = self._text
        if not 0 <= offset < len(text):
            return UNKNOWN
        start = self._lines.line_start(offset)
        if text[start:offset].strip(b" "):
            return UNKNOWN  # the text does not start at the indentation of a line
        end = start - 1  # the line break that ends the line above
        while end >= 0:
            start = self._lines.line_start(end)
            if not _BLANK.match(text, start, end):
                break
            end = start - 1
        if end < 0 or not _HEADER_LINE.search(text, start, end):
            return UNKNOWN
        return self._lines.line(start)
