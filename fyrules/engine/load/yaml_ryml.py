"""The fast YAML reader: rapidyaml (a core dependency), for the files it can vouch for.

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

Positions are not computed for the data: :mod:`.yaml_locator` finds the line and column of
one node when a problem needs it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import threading
from collections.abc import Iterator
from typing import Any

from . import yaml_schema as schema

try:
    import ryml
    from yaml._yaml import CParser  # libyaml, for its syntax check alone
except ImportError:  # rapidyaml has no wheel here (not CPython), or PyYAML lacks libyaml
    ryml = None

DECLINED: Any = object()  # read_data's answer for a file the careful reader must read

# Characters that YAML gives a meaning at the start of a node: anchor, alias, tag, explicit key,
# directive, reserved, block text. Rule files have them mostly inside text (``a * b``, ``x > 3``).
_INDICATORS = "&*!?%@`|>"
_INDICATOR = re.compile(f"[{_INDICATORS}]")
_MAX_INDICATORS = 10_000
# Block text as rule files write it: ``|``, ``>-``, ``|+``, perhaps a comment; no indentation digit.
_BLOCK_HEADER = re.compile(r"[|>][-+]?(?:[ ]+#[^\n]*)?[ ]*\r?(?:\n|\Z)")
# Tabs, control and special characters, line breaks other than \n and \r\n: a character outside
# \n, \r, \x20-\x7e, \xa0-\u2027, \u202a-\ud7ff, \ue000-\ufefe, \uff00-\ufffd, \U00010000-\U0010ffff,
# or \r without \n. The scan is not one regular expression over the text (slow on Chinese text)
# but what C does fast: the ASCII ones are the bytes left of the UTF-8 text once every byte that
# is not one is deleted; U+0080-U+009F are \xc2\x80-\xc2\x9f in UTF-8 (\xc2 is always a first
# byte there); a lone surrogate cannot be encoded; the five others are looked for one by one.
_NOT_SPECIAL_BYTES = bytes([0x0A, 0x0D, *range(0x20, 0x7F), *range(0x80, 0x100)])
_C1_CONTROL = re.compile(rb"\xc2[\x80-\x9f]")
_SPECIAL_CHARACTERS = "\u2028\u2029\ufeff\ufffe\uffff"
_LONE_CR = re.compile(r"\r(?!\n)")
_RARE_ESCAPE = re.compile(r"\\(?![\\\"nt]|u(?![dD][89a-fA-F])[0-9a-fA-F]{4})")
# A blank line before a closing bracket: rapidyaml keeps a line break in the text before it.
_BLANK_BEFORE_CLOSE = re.compile(r"\n[ ]*\r?\n[ \r\n]*[\]}]")
# Strings in rapidyaml's JSON that a plain scalar could have become although the core schema
# reads that scalar as something else (``~``, ``True``, ``0123``, ``0x1F``, ``0e0``, ``.inf`` for
# ``inf`` …); the same string quoted in the file would be text, so such files are declined.
# Plain numbers without exponent or leading zero, ``null``, ``true`` and ``false`` come out of
# rapidyaml as JSON numbers and literals, as the core schema reads them; as keys (always JSON
# strings) they are declined too. So are strings that start like no plain scalar can (an
# indicator), where rapidyaml may have read on past what libyaml calls an error.
_SAFE_NUMBER = r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?"
_DOUBTFUL_STRING = re.compile(
    r'"(?<![^\[{,\s]")'  # the opening quote of a JSON string
    # the first characters of the choices below: most strings fail here, at one class
    r"""(?=[~NTFntf0-9+\-.",\[\]{}#&*!|>'%@`\\?:])"""
    r"(?:(?:~|Null|NULL|True|TRUE|False|FALSE"
    rf'|(?!{_SAFE_NUMBER}")(?:{schema.INT_PATTERN}|{schema.FLOAT_PATTERN}))"'
    rf'|(?:null|true|false|{_SAFE_NUMBER}|)": '
    r"""|[,\[\]{}#&*!|>'%@`]|\\"|[-?:](?:[ "]|\\[nt]))"""
)


def available() -> bool:
    """Whether rapidyaml is installed (a core dependency; PyYAML reads everything without it)."""
    return ryml is not None


def doubt(text: str) -> str | None:
    """Why the fast reader declines ``text`` without parsing it, or ``None``."""
    return _prescan(text)[0]


def _prescan(text: str) -> tuple[str | None, bytes]:
    """:func:`doubt`'s answer, and the text in UTF-8 (empty when declined before encoding).

    Each scan first asks whether the characters it needs occur at all (``in``: a fast search
    for one character); most rule files have no ``<``, ``\\``, bracket or indicator."""
    if "<" in text and "<<" in text:
        return "merge key", b""
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return "special character", b""
    if (
        raw.translate(None, _NOT_SPECIAL_BYTES)
        or (b"\xc2" in raw and _C1_CONTROL.search(raw))
        or any(special in text for special in _SPECIAL_CHARACTERS)
        or ("\r" in text and _LONE_CR.search(text))
    ):
        return "special character", raw
    if "\\" in text and _RARE_ESCAPE.search(text):
        return "escape or backslash", raw
    if ("]" in text or "}" in text) and _BLANK_BEFORE_CLOSE.search(text):
        return "blank line in brackets", raw
    if not any(indicator in text for indicator in _INDICATORS):
        return None, raw
    for n, match in enumerate(_INDICATOR.finditer(text)):
        at = match.start()
        if n == _MAX_INDICATORS:
            return "too many indicators", raw
        before = text[text.rfind("\n", 0, at) + 1 : at]
        if not _at_node_start(before):
            continue
        if match.group() in "|>" and _BLOCK_HEADER.match(text, at) and text.endswith("\n"):
            continue  # (without a last line break, the two read the last block text apart)
        return f"indicator {match.group()}", raw
    return None, raw


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
    # (``text.isspace()`` is ``not text.strip()`` for a text that is not empty, without
    # copying a file of megabytes to find out)
    if ryml is None or not text or text.isspace():
        return DECLINED
    reason, raw = _prescan(text)
    if reason is not None:
        return DECLINED
    try:
        CParser(raw).raw_parse()  # libyaml's syntax check, at C speed
        with quiet_stderr():
            tree = ryml.parse_in_arena(raw)
            root = document_node(tree)
            if root is None:
                return DECLINED
            emitted = ryml.emit_json_malloc(tree, root)
    except Exception:  # libyaml's syntax errors, rapidyaml's errors: the careful reader reports
        return DECLINED
    if _DOUBTFUL_STRING.search(emitted):
        return DECLINED
    try:
        return json.loads(emitted, object_pairs_hook=_mapping, parse_constant=_decline)
    except (ValueError, RecursionError, _Declined):
        return DECLINED


def _mapping(pairs: list[tuple[str, Any]], dict: Any = dict, len: Any = len) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _Declined  # a duplicate key (rapidyaml keeps both): the careful reader reports it
    return out


def _decline(_: str) -> Any:
    raise _Declined


def document_node(tree: Any) -> int | None:
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
def quiet_stderr() -> Iterator[None]:
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
