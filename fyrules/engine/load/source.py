"""Reading rule files, and finding where in them each value was written.

:func:`read_yaml` turns a YAML file into plain Python data (dicts, lists, scalars) plus a
:class:`SourceMap` from each node's key path (``("rules", 0, "condition")``) to its line and
column. Validation errors from pydantic carry the same key paths, so every problem can be
reported at ``path:line:column``.

Rule files may be hostile: anchors and aliases (the "billion laughs" expansion), Python tags,
duplicate keys, huge or deeply nested documents are all reported as problems, never run.
Scalars mean what YAML 1.2 says (:mod:`.yaml_schema`): ``yes`` is text, ``2025-10-01`` is text
until a date field reads it.

Two readers give the same data and the same problems. The careful one (:mod:`.yaml_pyyaml`)
keeps every node's position as it reads. The fast one (:mod:`.yaml_ryml`, rapidyaml: a core
dependency) reads the files it can vouch for and leaves the rest to the careful one; as
positions are needed only to report a problem, its source maps find them on demand
(:mod:`.yaml_locator`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs

from ..problems import Location, Problem
from . import yaml_locator, yaml_ryml
from .yaml_pyyaml import KEY_MARK, MAX_DEPTH, KeyPath, Positions, read_with_positions

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "Document",
    "KeyPath",
    "SourceMap",
    "display_path",
    "iter_files",
    "parse_yaml",
    "read_text",
    "read_yaml",
]

MAX_FILE_BYTES = 20 * 1024 * 1024


class _DeferredPositions:
    """The positions of one file that the fast reader read, found when first asked for.

    A :class:`~.yaml_locator.Locator` answers for single nodes; where it cannot be sure, the
    careful reader reads the whole file once. Shared by a source map and its ``sub`` views;
    safe to use from several threads."""

    __slots__ = ("_answers", "_everything", "_locator", "_lock", "_shown", "_text")

    def __init__(self, text: str, shown: str):
        self._text = text
        self._shown = shown
        self._lock = threading.Lock()
        self._locator: Any = None  # None: not built yet; False: cannot be built
        self._everything: Positions | None = None
        self._answers: dict[tuple[KeyPath, int], tuple[int, int] | None] = {}

    def nearest(self, keys: KeyPath, floor: int) -> tuple[int, int] | None:
        """The position of ``keys`` or of its nearest ancestor at least ``floor`` deep."""
        answer = self._answers.get((keys, floor), False)
        if answer is not False:
            return answer  # type: ignore[return-value]
        locator = self._get_locator()
        found = yaml_locator.UNKNOWN if locator is None else locator.nearest(keys, floor)
        if found is yaml_locator.UNKNOWN:
            found = _nearest(self.positions(), keys, floor)
        self._answers[(keys, floor)] = found
        return found

    def key_position(self, keys: KeyPath) -> tuple[int, int] | None:
        locator = self._get_locator()
        found = yaml_locator.UNKNOWN if locator is None else locator.key_position(keys)
        if found is yaml_locator.UNKNOWN:
            found = self.positions().get((*keys, KEY_MARK))
        return found

    @property
    def text(self) -> str:
        return self._text

    def positions(self) -> Positions:
        """Every position, from the careful reader (read once)."""
        with self._lock:
            if self._everything is None:
                parsed, _ = read_with_positions(self._text, self._shown)
                self._everything = parsed[1] if parsed is not None else {}
            return self._everything

    def _get_locator(self) -> Any:
        with self._lock:
            if self._locator is None:
                try:
                    self._locator = yaml_locator.Locator(self._text)
                except Exception:  # the careful reader will answer instead
                    self._locator = False
            return self._locator or None

    def __getstate__(self) -> tuple[str, str, Positions | None]:
        return self._text, self._shown, self._everything

    def __setstate__(self, state: tuple[str, str, Positions | None]) -> None:
        self.__init__(state[0], state[1])  # type: ignore[misc]
        self._everything = state[2]


def _nearest(positions: Mapping[KeyPath, tuple[int, int]], keys: KeyPath, floor: int = 0) -> Any:
    while True:
        pos = positions.get(keys)
        if pos is not None:
            return pos
        if len(keys) <= floor:
            return None
        keys = keys[:-1]


@attrs.frozen(slots=True, eq=False)
class SourceMap:
    """Where each node of one file starts: key path → (line, column), both 1-based.

    Made either from known ``positions`` or, for a file the fast reader read, with positions
    found on demand; either way it answers the same and never changes."""

    path: str
    _known: Mapping[KeyPath, tuple[int, int]] | None = attrs.field(default=None, alias="positions")
    _deferred: _DeferredPositions | None = attrs.field(
        default=None, alias="deferred", kw_only=True, repr=False
    )
    _prefix: KeyPath = attrs.field(default=(), alias="prefix", kw_only=True)

    @property
    def positions(self) -> Mapping[KeyPath, tuple[int, int]]:
        """Every known position (read-only). With positions found on demand this reads the
        whole file the careful way: :meth:`locate` is the quick way to one position."""
        if self._deferred is None:
            return MappingProxyType(self._known if self._known is not None else {})
        everything = self._deferred.positions()
        n = len(self._prefix)
        if n == 0:
            return MappingProxyType(everything)
        return MappingProxyType({k[n:]: v for k, v in everything.items() if k[:n] == self._prefix})

    def locate(self, keys: KeyPath = ()) -> Location:
        """The location of ``keys``, or of its nearest ancestor that has one."""
        keys = tuple(keys)
        if self._deferred is None:
            pos = _nearest(self._known or {}, keys)
        else:
            pos = self._deferred.nearest((*self._prefix, *keys), len(self._prefix))
        if pos is None:
            return Location(self.path)
        return Location(self.path, pos[0], pos[1] or None)

    def key_location(self, keys: KeyPath) -> Location:
        """The location of the *key* of a mapping entry (used for unknown keys)."""
        if self._deferred is None:
            pos = (self._known or {}).get((*keys, KEY_MARK))
        else:
            pos = self._deferred.key_position((*self._prefix, *keys))
        if pos is not None:
            return Location(self.path, pos[0], pos[1])
        return self.locate(keys)

    def sub(self, prefix: KeyPath) -> SourceMap:
        """A view of the map below ``prefix`` (for documents nested in a file)."""
        if self._deferred is not None:
            return SourceMap(self.path, deferred=self._deferred, prefix=(*self._prefix, *prefix))
        n = len(prefix)
        known = self._known or {}
        return SourceMap(self.path, {k[n:]: v for k, v in known.items() if k[:n] == prefix})

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if not isinstance(other, SourceMap):
            return NotImplemented
        if self.path != other.path:
            return False
        mine, theirs = self._deferred, other._deferred
        if mine is not None and theirs is not None and mine.text == theirs.text:
            return self._prefix == other._prefix  # the same text has the same positions
        return dict(self.positions) == dict(other.positions)

    __hash__ = None  # type: ignore[assignment]


@attrs.frozen(slots=True)
class Document:
    """One parsed file: its data and where each node of it came from."""

    path: str
    data: Any
    source: SourceMap

    def locate(self, keys: KeyPath = ()) -> Location:
        return self.source.locate(keys)


def display_path(path: Path, root: Path | None = None) -> str:
    """The path as users should see it: relative to ``root`` (or the working folder) if inside."""
    for base in (root, Path.cwd()):
        if base is None:
            continue
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def read_text(path: Path, shown: str) -> tuple[str | None, Problem | None]:
    """A file's UTF-8 text (a leading BOM dropped), or the problem that kept it from being read."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, Problem(
                "YAML-TOO-LARGE",
                f"文件有 {size} 字节，超过上限 {MAX_FILE_BYTES}",
                f"file has {size} bytes, more than the limit of {MAX_FILE_BYTES}",
                Location(shown),
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, Problem("FILE-NOT-FOUND", "文件不存在", "file not found", Location(shown))
    except OSError as exc:
        return None, Problem(
            "FILE-UNREADABLE",
            f"无法读取文件：{exc.strerror}",
            f"cannot read file: {exc.strerror}",
            Location(shown),
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, Problem(
            "FILE-UNREADABLE",
            f"不是 UTF-8 编码（第 {exc.start} 字节）",
            f"not valid UTF-8 (byte {exc.start})",
            Location(shown, line),
        )
    return text.removeprefix("\ufeff"), None


def read_yaml(path: Path, shown: str | None = None) -> tuple[Document | None, list[Problem]]:
    """Parse one YAML file. Returns the document (or ``None``) and the problems found."""
    shown = shown or display_path(path)
    text, problem = read_text(path, shown)
    if problem is not None:
        return None, [problem]
    assert text is not None
    return parse_yaml(text, shown)


def parse_yaml(text: str, shown: str) -> tuple[Document | None, list[Problem]]:
    """Parse YAML text that came from ``shown`` (a path used only in messages)."""
    if "\x00" in text:
        idx = text.index("\x00")
        return None, [
            Problem(
                "FILE-UNREADABLE",
                "文件含有空字符（NUL）",
                "file contains a NUL character",
                Location(shown, text.count("\n", 0, idx) + 1),
            )
        ]
    data = yaml_ryml.read_data(text)
    if data is not yaml_ryml.DECLINED:
        return Document(shown, data, SourceMap(shown, deferred=_DeferredPositions(text, shown))), []
    return parse_yaml_carefully(text, shown)


def parse_yaml_carefully(text: str, shown: str) -> tuple[Document | None, list[Problem]]:
    """:func:`parse_yaml` with the careful reader alone (positions kept as it reads)."""
    parsed, problems = read_with_positions(text, shown)
    if parsed is None:
        return None, problems
    data, positions = parsed
    return Document(shown, data, SourceMap(shown, positions)), problems


def iter_files(folder: Path, suffixes: tuple[str, ...]) -> Iterator[Path]:
    """Files under ``folder`` with one of ``suffixes``, in a stable (sorted) order."""
    if not folder.is_dir():
        return
    yield from sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)
