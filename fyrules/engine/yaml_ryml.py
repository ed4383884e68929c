"""The fast YAML reader: rapidyaml (the optional ``fast`` extra), for files it can vouch for.

libyaml parses fast, but PyYAML's layer over it makes a Python object per event and resolves
every plain scalar with regular expressions: most of the time of ``fyrules check`` on a large
catalog. Here libyaml only checks the syntax (no Python objects), rapidyaml parses into a C++
tree and writes it out as JSON, and ``json.loads`` turns that into Python data at C speed.

This reader only ever *vouches* for a file, or declines (:data:`DECLINED`); the careful reader
(:mod:`.yaml_pyyaml`) then reads the file and reports its problems. It declines whatever it
cannot prove it reads exactly as the careful reader does:

- a cheap scan of the text declines anchors, aliases, tags, merge keys, explicit keys,
  directives, block-text headers with indentation digits, tabs, special characters and rarer
  escapes (where the two parsers could read the same text differently);
- libyaml's syntax errors, and rapidyaml's errors (nesting deeper than the careful reader
  allows);
- more than one document, duplicate keys, keys that the core schema would not read as text,
  and every string in rapidyaml's JSON that a plain scalar with another meaning could have
  become (``~``, ``True``, ``0x1F``, ``0123``, ``.inf`` …, see :mod:`.yaml_schema`).

Positions are not computed for the data: a :class:`Locator` finds the line and column of one
node when a problem needs it, from where rapidyaml's tree points into the text, and says
:data:`UNKNOWN` whenever it cannot be sure that the careful reader would say the same.
"""

from __future__ import annotations

import bisect
import contextlib
import ctypes
import json
import os
import re
import sys
import threading
from collections.abc import Iterator
from typing import Any

from . import yaml_schema as schema
from .yaml_pyyaml import KEY_MARK, KeyPath

try:
    import ryml
    from yaml._yaml import CParser  # libyaml, for its syntax check alone
except ImportError:  # the optional ``fast`` extra is not installed, or PyYAML lacks libyaml
    ryml = None

DECLINED: Any = object()  # read_data's answer for a file the careful reader must read
UNKNOWN: Any = object()  # a Locator's answer when it cannot be sure of a position

# Characters that YAML gives a meaning at the start of a node: anchor, alias, tag, explicit key,
# directive, reserved, block text. Rule files have them mostly inside text (``a * b``, ``x > 3``).
_INDICATOR = re.compile(r"[&*!?%@`|>]")
_MAX_INDICATORS = 10_000
# Block text as rule files write it: ``|``, ``>-``, ``|+``, perhaps a comment; no indentation digit.
_BLOCK_HEADER = re.compile(r"[|>][-+]?(?:[ ]+#[^\n]*)?[ ]*\r?(?:\n|\Z)")
# Tabs, control and special characters, line breaks other than \n and \r\n.
_SPECIAL = re.compile(
    "[^\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
    r"|\r(?!\n)"
)
_RARE_ESCAPE = re.compile(r"\\(?![\\\"nt]|u(?![dD][89a-fA-F])[0-9a-fA-F]{4})")
# A blank line before a closing bracket: rapidyaml keeps a line break in the text before it.
_BLANK_BEFORE_CLOSE = re.compile(r"\n[ ]*\r?\n[ \r\n]*[\]}]")
# Strings in rapidyaml's JSON that a plain scalar could have become although the core schema
# reads that scalar as something else (``~``, ``True``, ``0123``, ``0x1F``, ``0e0``, ``.inf`` for
# ``inf`` …); the same string quoted in the file would be text, so such files are declined.
# Plain numbers without exponent or leading zero, ``null``, ``true`` and ``false`` come out of
# rapidyaml as JSON numbers and literals, as the core schema reads them. Strings that start
# like no plain scalar can (an indicator) are declined too.
_SAFE_NUMBER = r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?"
_DOUBTFUL_STRING = re.compile(
    r'(?<![^\[{,\s])"'  # the opening quote of a JSON string
    r"(?:(?=[-+.0-9~NTF])(?:~|Null|NULL|True|TRUE|False|FALSE"
    rf'|(?!{_SAFE_NUMBER}")(?:{schema.INT_PATTERN}|{schema.FLOAT_PATTERN}))"'
    r"""|[,\[\]{}#&*!|>'%@`]|\\"|[-?:](?:[ "]|\\[nt]))"""
)


def available() -> bool:
    """Whether rapidyaml is installed (``pip install fyrules[fast]``)."""
    return ryml is not None


def doubt(text: str) -> str | None:
    """Why the fast reader declines ``text`` without parsing it, or ``None``."""
    if "<<" in text:
        return "merge key"
    if _SPECIAL.search(text):
        return "special character"
    if "\\" in text and _RARE_ESCAPE.search(text):
        return "escape or backslash"
    if _BLANK_BEFORE_CLOSE.search(text):
        return "blank line in brackets"
    for n, match in enumerate(_INDICATOR.finditer(text)):
        at = match.start()
        if n == _MAX_INDICATORS:
            return "too many indicators"
        before = text[text.rfind("\n", 0, at) + 1 : at]
        if not _at_node_start(before):
            continue
        if match.group() in "|>" and _BLOCK_HEADER.match(text, at) and text.endswith("\n"):
            continue  # (without a last line break, the two read the last block text apart)
        return f"indicator {match.group()}"
    return None


def _at_node_start(before: str) -> bool:
    """Whether a node could start after ``before`` (its line up to there): only indentation
    or an indicator before it."""
    stripped = before.rstrip(" ")
    if not stripped or stripped[-1] in "[{,":
        return True
    if stripped[-1] in ":?-" and len(stripped) < len(before):
        return True
    return stripped[-1] == ":" and stripped[-2:-1] in ("'", '"')


class _Declined(Exception):
    pass


def read_data(text: str) -> Any:
    """The data of a YAML text, the same as the careful reader's, or :data:`DECLINED`."""
    if ryml is None or not text.strip() or doubt(text) is not None:
        return DECLINED
    try:
        raw = text.encode("utf-8")
        CParser(raw).raw_parse()  # libyaml's syntax check, at C speed
        with _quiet_stderr():
            tree = ryml.parse_in_arena(raw)
            root = _document(tree)
            if root is None:
                return DECLINED
            emitted = ryml.emit_json_malloc(tree, root)
    except Exception:  # libyaml's syntax errors, rapidyaml's errors: the careful reader reports
        return DECLINED
    if _DOUBTFUL_STRING.search(emitted):
        return DECLINED
    keys: set[str] = set()

    def mapping(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(pairs)
        if len(out) != len(pairs):
            raise _Declined  # a duplicate key: the careful reader reports it
        keys.update(out)
        return out

    try:
        data = json.loads(emitted, object_pairs_hook=mapping, parse_constant=_decline)
    except (ValueError, RecursionError, _Declined):
        return DECLINED
    if any(schema.resolve_plain(key) != schema.STR_TAG for key in keys):
        return DECLINED  # 1: or true: keys are not text to the careful reader
    return data


def _decline(_: str) -> Any:
    raise _Declined


def _document(tree: Any) -> int | None:
    """The node of the file's one document, or ``None`` (none, several, or empty)."""
    root = tree.root_id()
    if tree.is_stream(root):
        if tree.num_children(root) != 1:
            return None
        root = tree.first_child(root)
    if not (tree.is_map(root) or tree.is_seq(root) or tree.has_val(root)):
        return None
    return root


_STDERR_LOCK = threading.Lock()


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """rapidyaml prints each error to the C-level stderr before raising it; the careful reader
    reports the problem properly, so the printout is sent to the null device."""
    with _STDERR_LOCK:
        try:
            if sys.stderr is not None:
                sys.stderr.flush()
            saved = os.dup(2)
        except (OSError, ValueError):
            yield
            return
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(null, 2)
            finally:
                os.close(null)
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


# --- positions --------------------------------------------------------------------------------


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


try:  # where rapidyaml's scalars point into the text, through CPython's buffer protocol
    _get_buffer = ctypes.pythonapi.PyObject_GetBuffer
    _get_buffer.argtypes = (ctypes.py_object, ctypes.POINTER(_Buffer), ctypes.c_int)
    _get_buffer.restype = ctypes.c_int
    _release_buffer = ctypes.pythonapi.PyBuffer_Release
    _release_buffer.argtypes = (ctypes.POINTER(_Buffer),)
    _release_buffer.restype = None
except AttributeError:  # pragma: no cover - not CPython: the careful reader does everything
    ryml = None


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
        self._text = text.encode("utf-8")
        self._buffer = bytearray(self._text)  # parsed in place: the tree points into it
        with _quiet_stderr():
            self._tree = ryml.parse_in_place(self._buffer)
        root = _document(self._tree)
        if root is None:
            raise ValueError("no single document")
        self._root = root
        self._base = _address(self._buffer)
        self._lines = [0, *(m.end() for m in re.finditer(b"\n", self._text))]
        self._none = ryml.NONE

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
            return UNKNOWN if start is UNKNOWN else self._line_column(start)
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
            child = tree.find_child(node, part.encode("utf-8"))
        elif type(part) is int and tree.is_seq(node) and 0 <= part < tree.num_children(node):
            child = tree.child(node, part)
        else:
            return None
        return None if child == self._none else child

    # -- where a node starts -----------------------------------------------------------------

    def _position(self, node: int) -> Any:
        tree = self._tree
        if tree.is_container(node):
            start = self._start(node)
            return UNKNOWN if start is UNKNOWN else self._line_column(start)
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
        return self._line_column(start)

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
        line_start = self._lines[bisect.bisect_right(self._lines, j) - 1]
        if b"#" in text[line_start:j]:
            return UNKNOWN
        return j

    def _block_header_line(self, node: int) -> Any:
        """The line (1-based) of the ``|`` or ``>`` that starts a block scalar."""
        view = self._tree.val(node)
        if view is None or len(view) == 0:
            return UNKNOWN
        offset = _address(view) - self._base
        if not 0 <= offset < len(self._text):
            return UNKNOWN
        lines = self._lines
        index = bisect.bisect_right(lines, offset) - 1
        if self._text[lines[index] : offset].strip(b" "):
            return UNKNOWN  # the text does not start at the indentation of a line
        index -= 1
        while index >= 0:
            line = self._text[lines[index] : lines[index + 1] - 1]
            if not _BLANK.match(line):
                break
            index -= 1
        if index < 0 or not _HEADER_LINE.search(line):
            return UNKNOWN
        return index + 1

    def _line_column(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self._lines, offset) - 1
        start = self._lines[index]
        return index + 1, len(self._text[start:offset].decode("utf-8", "replace")) + 1
