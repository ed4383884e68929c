"""Text from input, made safe to print: control and terminal-escape characters escaped.

A case id, an actor, an item name or a rule file's text may hold characters a terminal acts
on: ``ESC`` starting a sequence that clears the screen or sets the window title, other C0 and
C1 control characters (``\\x9b`` is a one-byte escape), a lone carriage return that lets a
line overwrite the one shown, and the Unicode controls that reorder text (bidirectional
overrides, "Trojan Source"). :func:`escape_controls` writes each as ``\\uXXXX``: visible in
text, Markdown and CSV, and a valid escape inside a JSON string (the only place such a
character can stand in JSON), so one function serves every output format. Line feeds, tabs
and ``\\r\\n`` line ends are kept.
"""

from __future__ import annotations

import re
from typing import Any, TextIO

_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
    "|\r(?!\n)"
)


def _escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def escape_controls(text: str) -> str:
    """``text`` with every control or reordering character but ``\\n``, ``\\t`` and ``\\r\\n``
    written as ``\\uXXXX``."""
    return _UNSAFE.sub(_escaped, text)


class Escaped(str):
    """Text already escaped (:func:`escape_controls`) that carries escapes of fyrules' own on
    purpose (the colours of a report on a terminal): :class:`SafeStream` writes it as it is."""


class SafeStream:
    """A text stream that escapes what it is given (:func:`escape_controls`) before writing
    it to ``stream``; everything else is the stream's own. The command line writes through
    one, so no output format can carry input's control characters to a terminal."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(text if isinstance(text, Escaped) else escape_controls(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
