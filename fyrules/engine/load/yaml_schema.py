"""What a YAML scalar in a rule file means: the YAML 1.2 core schema, for both YAML readers.

Rule files follow YAML 1.2 (the "core schema"), not PyYAML's default YAML 1.1. A *plain*
(unquoted) scalar is

- empty (``None``): nothing at all, ``~``, ``null``, ``Null``, ``NULL``;
- true/false: ``true``, ``True``, ``TRUE``, ``false``, ``False``, ``FALSE`` — and nothing else:
  ``yes``, ``no``, ``on``, ``off``, ``y``, ``n`` are text (the "Norway problem": ``NO`` stays
  the country code);
- an integer: ``20``, ``-3``, ``+1``, ``0123`` (= 123: quote it to keep the zero), ``0o17``
  (octal), ``0x1F`` (hexadecimal); ``1_000`` is text;
- a number with a fraction: ``2.5``, ``.5``, ``1.``, ``1e3``, ``.inf``, ``-.inf``, ``.nan``;
- text otherwise. Dates (``2025-10-01``) and times are text at this level; fields that hold a
  date read them as dates (pydantic, the calendar, decision tables, rulebook tests).

A quoted scalar (``"20"``, ``'true'``) and a block scalar (``|``, ``>``) are always text.
Explicit standard tags (``!!int "20"``) must fit their tag's pattern; ``!!timestamp`` still
reads a date, since whoever wrote it asked for one.
"""

from __future__ import annotations

import math
import re
from typing import Any

from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode

NULL_TAG = "tag:yaml.org,2002:null"
BOOL_TAG = "tag:yaml.org,2002:bool"
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
STR_TAG = "tag:yaml.org,2002:str"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
MERGE_TAG = "tag:yaml.org,2002:merge"
MAP_TAG = "tag:yaml.org,2002:map"
SEQ_TAG = "tag:yaml.org,2002:seq"

SCALAR_TAGS = frozenset({NULL_TAG, BOOL_TAG, INT_TAG, FLOAT_TAG, STR_TAG, TIMESTAMP_TAG})

# The patterns of the core schema (YAML 1.2.2, section 10.3.2), ASCII digits only.
NULL_PATTERN = r"~|null|Null|NULL|"
BOOL_PATTERN = r"true|True|TRUE|false|False|FALSE"
INT_PATTERN = r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+"
FLOAT_PATTERN = (
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)

_NULL = re.compile(rf"(?:{NULL_PATTERN})\Z")
_BOOL = re.compile(rf"(?:{BOOL_PATTERN})\Z")
_INT = re.compile(rf"(?:{INT_PATTERN})\Z")
_FLOAT = re.compile(rf"(?:{FLOAT_PATTERN})\Z")
_MERGE = re.compile(r"<<\Z")

_FIRST_CHARS = {
    NULL_TAG: ["~", "n", "N", ""],
    BOOL_TAG: list("tTfF"),
    INT_TAG: list("-+0123456789"),
    FLOAT_TAG: list("-+.0123456789"),
    MERGE_TAG: ["<"],
}
_PATTERNS = {NULL_TAG: _NULL, BOOL_TAG: _BOOL, INT_TAG: _INT, FLOAT_TAG: _FLOAT, MERGE_TAG: _MERGE}


def implicit_resolvers() -> dict[str | None, list[tuple[str, re.Pattern[str]]]]:
    """The core schema as PyYAML implicit resolvers (first character → [(tag, pattern)]).

    Set it as ``yaml_implicit_resolvers`` on a Loader *or* Dumper subclass: the loader then
    tags plain scalars the YAML 1.2 way, and the dumper quotes every string that would not
    read back as a string. ``<<`` resolves to the merge tag only so that the reader can refuse
    merge keys."""
    table: dict[str | None, list[tuple[str, re.Pattern[str]]]] = {}
    for tag, firsts in _FIRST_CHARS.items():
        for first in firsts:
            table.setdefault(first, []).append((tag, _PATTERNS[tag]))
    return table


def resolve_plain(text: str) -> str:
    """The tag the core schema gives a plain scalar ``text``."""
    for tag in (NULL_TAG, BOOL_TAG, INT_TAG, FLOAT_TAG):
        if _PATTERNS[tag].match(text):
            return tag
    return STR_TAG


def plain_value(text: str) -> Any:
    """What a plain scalar ``text`` means (``"20"`` → 20, ``"yes"`` → ``"yes"``)."""
    return tagged_value(resolve_plain(text), text)


_timestamps = SafeConstructor()


def tagged_value(tag: str, text: str) -> Any:
    """The value of a scalar with a standard ``tag``; ``ValueError`` if ``text`` does not fit."""
    if tag == STR_TAG:
        return text
    if tag == NULL_TAG:
        if _NULL.match(text):
            return None
    elif tag == BOOL_TAG:
        if _BOOL.match(text):
            return text[0] in "tT"
    elif tag == INT_TAG:
        if _INT.match(text):
            return _int(text)
    elif tag == FLOAT_TAG:
        if _FLOAT.match(text):
            return _float(text)
        if _INT.match(text):
            return float(_int(text))
    elif tag == TIMESTAMP_TAG:
        if _timestamps.timestamp_regexp.match(text):
            return _timestamps.construct_yaml_timestamp(ScalarNode(tag, text))
    else:
        raise ValueError(f"unsupported tag {tag}")
    raise ValueError(f"{text!r} is not a valid {tag.rsplit(':', 1)[-1]}")


def _int(text: str) -> int:
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text)  # may raise ValueError past Python's limit on digits


def _float(text: str) -> float:
    lowered = text.lower()
    if lowered.endswith(".inf"):
        return -math.inf if text.startswith("-") else math.inf
    if lowered == ".nan":
        return math.nan
    return float(text)
