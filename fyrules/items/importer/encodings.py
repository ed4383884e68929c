"""Which encoding a CSV item list is in: UTF-8, GB18030 or Big5, never a silent guess.

Spreadsheets save CSV in the encoding of the machine: UTF-8 ("CSV UTF-8"), GB18030 on
simplified-Chinese Windows ("CSV (comma delimited)"), Big5 on traditional-Chinese Windows.
The decision, in order:

1. a UTF-8 byte order mark, or bytes that are valid UTF-8: UTF-8;
2. of GB18030 and Big5, the ones that decode the bytes without error. GB18030 decodes
   almost anything (every Big5 file too, as mojibake), Big5 rejects most GB18030 text; so
   one decoder left is the answer;
3. both decode: ``charset-normalizer`` (a dependency of fyrules) measures
   how much each reading looks like real text ("chaos": odd characters, mixed scripts). The
   clearly better reading (less chaos by :data:`MARGIN`) wins;
4. otherwise (no clear winner) the file is
   ambiguous: an error that asks for ``--encoding gb18030`` or ``--encoding big5``.

An ``--encoding`` given by the user is used as it is (and a file it cannot decode is an
error naming the first bad byte).
"""

from __future__ import annotations

import codecs

ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (BOM)",
    "gb18030": "GB18030",
    "big5": "Big5",
}
"""The encodings an item list may be in, by the name Python gives them, and how messages
name them."""

CANDIDATES = ("gb18030", "big5")
"""The legacy encodings tried after UTF-8."""

MARGIN = 0.05
"""How much less chaos (a fraction of the text) one reading needs to win over the other."""


class EncodingUnknown(ValueError):
    """The bytes fit several encodings with no clear winner (``candidates``), or none."""

    def __init__(self, candidates: tuple[str, ...]):
        self.candidates = candidates
        super().__init__(", ".join(candidates))


def known_encoding(name: str) -> str | None:
    """The Python name of an encoding the user gave (``GBK`` → ``gbk``), or ``None``."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def detect(raw: bytes) -> tuple[str, str]:
    """The text of ``raw`` and the encoding that read it (a key of :data:`ENCODING_NAMES`).
    Raises :class:`EncodingUnknown` when no candidate or more than one fits."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw.decode("utf-8-sig", errors="strict"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    readings: dict[str, str] = {}
    for encoding in CANDIDATES:
        try:
            readings[encoding] = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    if len(readings) == 1:
        ((encoding, text),) = readings.items()
        return text, encoding
    if not readings:
        raise EncodingUnknown(())
    best = _clearly_best(raw, tuple(readings))
    if best is None:
        raise EncodingUnknown(tuple(readings))
    return readings[best], best


def _clearly_best(raw: bytes, candidates: tuple[str, ...]) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        return None
    matches = from_bytes(raw, cp_isolation=list(candidates), preemptive_behaviour=False)
    chaos = {known_encoding(m.encoding): m.chaos for m in matches if known_encoding(m.encoding)}
    ranked = sorted((c, e) for e, c in chaos.items() if e in candidates)
    if not ranked:
        return None
    if len(ranked) == 1 or ranked[1][0] - ranked[0][0] >= MARGIN:
        return ranked[0][1]
    return None
