"""The Markdown of published pages (GitHub-flavoured tables): escaping values.

Every value from a rule file goes through :func:`escape`: ``&``, ``<`` and ``>`` become
entities (so no renderer passes a value through as raw HTML), the characters Markdown gives a
meaning inside a line are backslash-escaped (so a value cannot open a link, emphasis or code
span, or end a table cell), and line breaks become ``<br>`` (so a value cannot end a row).
"""

from __future__ import annotations

import re

from .publisher import lines_of

_INLINE = re.compile(r"([\\`*_\[\]|~#])")
_LINE_START = re.compile(r"^(\s*)([-+=]|\d+(?=[.)]))")
BR = "<br>"


def escape(text: str) -> str:
    """``text`` safe anywhere inside a Markdown line or table cell."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE.sub(r"\\\1", text)
    lines = [_LINE_START.sub(_line_start, line) for line in lines_of(text)]
    return BR.join(line.strip() for line in lines)


def _line_start(match: re.Match[str]) -> str:
    # A leading "-", "+", "=" or "1." would start a list or underline a heading.
    mark = match.group(2)
    return "\\" + mark if not mark.isdigit() else mark + "\\"
