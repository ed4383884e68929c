"""Export and import of a trail: JSON Lines, one entry per line, each in canonical JSON.

An exported trail is byte for byte what :func:`~fyrules.cases.canonical.canonical_json` gives
for each entry, each line ended by ``\\n`` and nothing else: no blank lines, no BOM, no
spaces. :func:`import_trail` holds a file to exactly that, so any single changed byte is
caught: a change that still reads as the same entry cannot exist, a line that no longer reads
(or no longer reads canonically) is a ``TRAIL-FORMAT`` problem at its line, and one that reads
as another entry breaks the hash chain there (``TRAIL-BROKEN``). Bad input never raises: the
import returns its problems.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

import attrs

from ...engine.problems import Location, Problem
from ..canonical import CanonicalError, canonical_json
from .chain import MAX_ENTRY_BYTES, ChainCheck, TrailBreak, TrailHead, VerifyResult

MAX_LINE_BYTES = MAX_ENTRY_BYTES + 1024
"""The longest line an import reads: the largest entry with its hash."""

MAX_PROBLEMS = 100
"""An import stops reading after this many malformed lines."""

PathOrStream = str | os.PathLike[str] | IO[bytes] | IO[str]


def export_trail(entries: Iterable[Mapping[str, Any]], destination: PathOrStream) -> int:
    """Write ``entries`` as JSON Lines to a path or an open stream; returns how many.

    Entries are written as they are (a broken chain is exported as it is, for inspection);
    one without a canonical form raises :class:`~fyrules.cases.canonical.CanonicalError`. A
    text stream gets ``str`` lines; open it with ``newline="\\n"`` (or pass a path or a binary
    stream) so that the bytes on disk are the canonical ones."""
    if isinstance(destination, str | os.PathLike):
        with open(destination, "wb") as handle:
            return _write(entries, handle.write)
    if isinstance(destination, io.TextIOBase):
        return _write(entries, lambda data: destination.write(data.decode("utf-8")))
    return _write(entries, destination.write)  # type: ignore[arg-type]


def _write(entries: Iterable[Mapping[str, Any]], write: Any) -> int:
    count = 0
    for entry in entries:
        write(canonical_json(entry) + b"\n")
        count += 1
    return count


@attrs.frozen(slots=True)
class ImportedTrail:
    """What :func:`import_trail` read.

    ``entries``: the entries that verified, from the first up to the first problem (all of
    them when ``ok``); ``problems``: every line that cannot be read (``TRAIL-FORMAT``, with its
    line) and the first break of the chain (``TRAIL-BROKEN``, ``TRAIL-HEAD``), in line order, or
    a ``FILE-NOT-FOUND``/``FILE-UNREADABLE`` problem when the file could not be opened;
    ``verification``: the chain's :class:`~fyrules.cases.trail.VerifyResult`, whose
    ``first_bad`` is the first problem of either kind."""

    entries: list[dict[str, Any]]
    problems: tuple[Problem, ...]
    verification: VerifyResult

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def head(self) -> TrailHead:
        """The head of the entries that verified."""
        return self.verification.head


def import_trail(source: PathOrStream, *, expected_head: TrailHead | None = None) -> ImportedTrail:
    """Read an exported trail from a path or an open stream and verify it (with
    ``expected_head``, against a published head too; see :func:`~fyrules.cases.trail.verify`).
    Never raises on bad input. A binary stream or a path reads the exact bytes; a text stream
    is encoded back to UTF-8, so newline translation is the caller's business."""
    shown = os.fspath(source) if isinstance(source, str | os.PathLike) else _stream_name(source)
    chain = ChainCheck(expected_head)
    if isinstance(source, str | os.PathLike):
        try:
            with open(source, "rb") as handle:
                return _read(_byte_lines(handle), chain, shown)
        except FileNotFoundError:
            code, zh, en = "FILE-NOT-FOUND", "文件不存在", "file not found"
        except (IsADirectoryError, PermissionError, OSError) as exc:
            code, zh, en = (
                "FILE-UNREADABLE",
                f"无法读取：{exc.strerror}",
                f"cannot read: {exc.strerror}",
            )
        problem = Problem(code, zh, en, Location(shown))
        return ImportedTrail([], (problem,), chain.result())
    return _read(_byte_lines(source), chain, shown)


def _stream_name(stream: Any) -> str:
    name = getattr(stream, "name", None)
    return name if isinstance(name, str) else "<trail>"


def _byte_lines(handle: Any) -> Iterator[tuple[bytes, bool]]:
    """Lines as bytes with their ``\\n`` (the last may lack it), and whether each was too long."""
    limit = MAX_LINE_BYTES + 1
    while True:
        raw = handle.readline(limit)
        if not raw:
            return
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        too_long = not raw.endswith(b"\n") and len(raw) >= limit
        while too_long:  # skip the rest of an overlong line
            rest = handle.readline(limit)
            if not rest or (
                rest.endswith(b"\n") if isinstance(rest, bytes) else rest.endswith("\n")
            ):
                break
        yield raw, too_long


def _read(lines: Iterable[tuple[bytes, bool]], chain: ChainCheck, shown: str) -> ImportedTrail:
    entries: list[dict[str, Any]] = []
    problems: list[Problem] = []
    format_problems = 0
    for position, (raw, too_long) in enumerate(lines):
        entry, zh, en = _parse(raw, too_long)
        if entry is None:
            bad = TrailBreak(
                position,
                "malformed",
                f"第 {position} 条（第 {position + 1} 行）{zh}",
                f"entry {position} (line {position + 1}) {en}",
            )
            if not chain.broken:
                chain.mark(bad)
            problems.append(bad.problem(shown))
            format_problems += 1
            if format_problems >= MAX_PROBLEMS:
                problems.append(
                    Problem(
                        "TRAIL-FORMAT",
                        f"错误过多，第 {position + 1} 行之后未再读取",
                        f"too many problems: nothing read after line {position + 1}",
                        Location(shown, position + 1),
                    )
                )
                break
            continue
        if chain.broken:
            continue
        broke = chain.feed(entry)
        if broke is None:
            entries.append(entry)
        else:
            problems.append(broke.problem(shown))
    result = chain.result()
    if result.first_bad is not None and result.first_bad.reason == "missing":
        problems.append(result.first_bad.problem(shown))
    problems.sort(key=lambda p: p.line or 0)
    return ImportedTrail(entries, tuple(problems), result)


def _parse(raw: bytes, too_long: bool) -> tuple[dict[str, Any] | None, str, str]:
    """An entry from one line, or ``None`` and why not (in Chinese and English)."""
    if too_long:
        return None, f"超过 {MAX_LINE_BYTES} 字节", f"is longer than {MAX_LINE_BYTES} bytes"
    if not raw.endswith(b"\n"):
        return (
            None,
            "没有以换行结束（文件被截断？）",
            "does not end with a newline (was the file cut?)",
        )
    line = raw[:-1]
    if not line:
        return None, "是空行", "is blank"
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return (
            None,
            f"不是 UTF-8（第 {exc.start + 1} 字节）",
            f"is not UTF-8 (byte {exc.start + 1})",
        )
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:
        return None, f"不是合法的 JSON：{exc}", f"is not valid JSON: {exc}"
    if not isinstance(value, dict):
        return None, "不是 JSON 对象", "is not a JSON object"
    try:
        canonical = canonical_json(value)
    except CanonicalError as exc:
        return (
            None,
            f"含有不允许的值：{exc.problem.message_zh}",
            f"holds a value that is refused: {exc.problem.message_en}",
        )
    if canonical != line and line.endswith(b"\r"):
        return (
            None,
            "以回车符结束（\\r\\n 换行：文件被转换为 Windows 格式？）",
            "ends with a carriage return (\\r\\n line endings: was the file converted for Windows?)",
        )
    if canonical != line:
        return (
            None,
            "不是规范 JSON（空白、键的顺序、转义或数字写法与导出不同）",
            "is not canonical JSON (spaces, key order, escapes or numbers differ from an export)",
        )
    return value, "", ""
