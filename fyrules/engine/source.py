"""Reading rule files while keeping the position of every YAML node.

:func:`read_yaml` turns a YAML file into plain Python data (dicts, lists, scalars) plus a
:class:`SourceMap` from each node's key path (``("rules", 0, "condition")``) to its line and
column. Validation errors from pydantic carry the same key paths, so every problem can be
reported at ``path:line:column``.

Rule files may be hostile: anchors and aliases (the "billion laughs" expansion), Python tags,
duplicate keys, huge or deeply nested documents are all reported as problems, never run.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import yaml

from .problems import Location, Problem

try:  # libyaml's parser is about ten times faster; the pure-Python one gives the same nodes
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

KeyPath = tuple[str | int, ...]

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 64

_STR = "tag:yaml.org,2002:str"
_SAFE_SCALAR_TAGS = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    _STR,
    "tag:yaml.org,2002:timestamp",
}
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"


@attrs.frozen(slots=True)
class SourceMap:
    """Where each node of one file starts: key path → (line, column), both 1-based."""

    path: str
    positions: dict[KeyPath, tuple[int, int]] = attrs.field(factory=dict)

    def locate(self, keys: KeyPath = ()) -> Location:
        """The location of ``keys``, or of its nearest ancestor that has one."""
        keys = tuple(keys)
        while True:
            pos = self.positions.get(keys)
            if pos is not None:
                return Location(self.path, pos[0], pos[1] or None)
            if not keys:
                return Location(self.path)
            keys = keys[:-1]

    def key_location(self, keys: KeyPath) -> Location:
        """The location of the *key* of a mapping entry (used for unknown keys)."""
        pos = self.positions.get((*keys, _KEY_MARK))
        if pos is not None:
            return Location(self.path, pos[0], pos[1])
        return self.locate(keys)

    def sub(self, prefix: KeyPath) -> SourceMap:
        """A view of the map below ``prefix`` (for documents nested in a file)."""
        n = len(prefix)
        return SourceMap(
            self.path,
            {k[n:]: v for k, v in self.positions.items() if k[:n] == prefix},
        )


_KEY_MARK = "\x00key"


@attrs.frozen(slots=True)
class Document:
    """One parsed file: its data and where each node of it came from."""

    path: str
    data: Any
    source: SourceMap

    def locate(self, keys: KeyPath = ()) -> Location:
        return self.source.locate(keys)


class _Reject(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


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
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(shown, mark.line + 1, mark.column + 1) if mark else Location(shown)
        what = exc.problem or exc.context or "invalid YAML"
        return None, [
            Problem("YAML-SYNTAX", f"YAML 语法错误：{what}", f"YAML syntax error: {what}", loc)
        ]
    except yaml.YAMLError as exc:
        return None, [
            Problem(
                "YAML-SYNTAX", f"YAML 语法错误：{exc}", f"YAML syntax error: {exc}", Location(shown)
            )
        ]
    except RecursionError:
        return None, [_too_deep(Location(shown))]
    if node is None:
        return Document(shown, None, SourceMap(shown)), []
    positions: dict[KeyPath, tuple[int, int]] = {}
    problems: list[Problem] = []
    try:
        data = _convert(node, (), positions, problems, shown, 0, set())
    except _Reject as rej:
        return None, [rej.problem]
    return Document(shown, data, SourceMap(shown, positions)), problems


def _too_deep(loc: Location) -> Problem:
    return Problem(
        "YAML-TOO-LARGE",
        f"YAML 嵌套超过 {MAX_DEPTH} 层",
        f"YAML nested more than {MAX_DEPTH} levels deep",
        loc,
    )


_constructor = yaml.SafeLoader("")  # only its scalar constructors are used; never on untrusted tags


def _scalar(node: yaml.ScalarNode, loc: Location) -> Any:
    if node.tag not in _SAFE_SCALAR_TAGS:
        raise _Reject(
            Problem("YAML-TAG", f"不支持的标签 {node.tag}", f"unsupported tag {node.tag}", loc)
        )
    if node.tag == _STR:
        return node.value
    try:
        value = _constructor.construct_object(node)
    except (ValueError, yaml.YAMLError, OverflowError) as exc:
        raise _Reject(
            Problem("INVALID-VALUE", f"无法读取的值：{exc}", f"unreadable value: {exc}", loc)
        ) from None
    return value


def _convert(
    node: yaml.Node,
    keys: KeyPath,
    positions: dict[KeyPath, tuple[int, int]],
    problems: list[Problem],
    shown: str,
    depth: int,
    seen: set[int],
) -> Any:
    # Hot path: a 10,000-item catalog has half a million nodes, so Location objects are made
    # only when something is wrong.
    mark = node.start_mark
    line, column = mark.line + 1, mark.column + 1
    positions[keys] = (line, column)
    if depth > MAX_DEPTH:
        raise _Reject(_too_deep(Location(shown, line, column)))
    node_id = id(node)
    if node_id in seen:
        raise _Reject(
            Problem(
                "YAML-ALIAS",
                "规则文件中不允许使用锚点（&）和别名（*），请直接写出内容",
                "anchors (&) and aliases (*) are not allowed in rule files; write the content out",
                Location(shown, line, column),
            )
        )
    seen.add(node_id)
    kind = type(node)
    if kind is yaml.ScalarNode:
        style = node.style
        if style == '"' or style == "'":  # point at the text, not at its opening quote
            positions[keys] = (line, column + 1)
        elif style == "|" or style == ">":  # block text starts on the next line
            positions[keys] = (line + 1, 0)  # column unknown
        if node.tag == _STR:
            return node.value
        return _scalar(node, Location(shown, line, column))
    if kind is yaml.SequenceNode:
        if node.tag != _SEQ:
            raise _Reject(_bad_tag(node.tag, Location(shown, line, column)))
        return [
            _convert(child, (*keys, i), positions, problems, shown, depth + 1, seen)
            for i, child in enumerate(node.value)
        ]
    if kind is yaml.MappingNode:
        if node.tag != _MAP:
            raise _Reject(_bad_tag(node.tag, Location(shown, line, column)))
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key_mark = key_node.start_mark
            key_pos = (key_mark.line + 1, key_mark.column + 1)
            if type(key_node) is not yaml.ScalarNode:
                raise _Reject(
                    Problem(
                        "WRONG-TYPE",
                        "映射的键必须是简单值",
                        "mapping keys must be plain values",
                        Location(shown, *key_pos),
                    )
                )
            if key_node.tag == _STR:
                key: Any = key_node.value
            elif key_node.tag == _MERGE:
                raise _Reject(
                    Problem(
                        "YAML-ALIAS",
                        "规则文件中不允许使用合并键（<<）",
                        "merge keys (<<) are not allowed in rule files",
                        Location(shown, *key_pos),
                    )
                )
            else:
                key = _scalar(key_node, Location(shown, *key_pos))
                if not isinstance(key, str | int):
                    key = str(key)
            if key in out:
                first = positions.get((*keys, key, _KEY_MARK))
                where = f"（首次出现于第 {first[0]} 行）" if first else ""
                where_en = f" (first at line {first[0]})" if first else ""
                problems.append(
                    Problem(
                        "YAML-DUPLICATE-KEY",
                        f"键 “{key}” 重复{where}",
                        f"key '{key}' appears twice{where_en}",
                        Location(shown, *key_pos),
                    )
                )
                continue
            positions[(*keys, key, _KEY_MARK)] = key_pos
            out[key] = _convert(
                value_node, (*keys, key), positions, problems, shown, depth + 1, seen
            )
        return out
    raise _Reject(  # pragma: no cover - compose yields only the three node kinds
        Problem(
            "YAML-SYNTAX",
            "无法识别的 YAML 节点",
            "unrecognized YAML node",
            Location(shown, line, column),
        )
    )


def _bad_tag(tag: str, loc: Location) -> Problem:
    return Problem("YAML-TAG", f"不支持的标签 {tag}", f"unsupported tag {tag}", loc)


def iter_files(folder: Path, suffixes: tuple[str, ...]) -> Iterator[Path]:
    """Files under ``folder`` with one of ``suffixes``, in a stable (sorted) order."""
    if not folder.is_dir():
        return
    yield from sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)
