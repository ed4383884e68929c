"""The careful YAML reader: PyYAML (libyaml), keeping the position of every node.

It reads any YAML and refuses what rule files may not hold, each as a problem at its line and
column: anchors and aliases (the "billion laughs" expansion), merge keys, tags other than the
standard scalar ones, duplicate keys, nesting deeper than :data:`MAX_DEPTH`. Plain scalars mean
what the YAML 1.2 core schema says (:mod:`.yaml_schema`). It is the reference the fast reader
(:mod:`.yaml_ryml`) must agree with, and the one that reports every YAML problem.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..problems import Location, Problem
from . import yaml_schema as schema
from .yaml_messages import explain

try:  # libyaml's parser is about ten times faster; the pure-Python one gives the same nodes
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

KeyPath = tuple[str | int, ...]
Positions = dict[KeyPath, tuple[int, int]]

MAX_DEPTH = 64
# What YAML's reader refuses: control characters other than tab and line breaks, and the like.
_UNREADABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
KEY_MARK = "\x00key"  # last part of the key path under which a mapping key's position is kept


class CoreLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """libyaml's parser with the YAML 1.2 core schema's implicit tags."""

    yaml_implicit_resolvers = schema.implicit_resolvers()


def _construct_core(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    return schema.tagged_value(node.tag, loader.construct_scalar(node))


for _tag in (schema.NULL_TAG, schema.BOOL_TAG, schema.INT_TAG, schema.FLOAT_TAG):
    CoreLoader.add_constructor(_tag, _construct_core)  # for yaml.load(text, Loader=CoreLoader)


class CoreDumper(yaml.SafeDumper):
    """Writes YAML that :func:`read_with_positions` reads back as the same data: every string
    that the core schema would read as something else is quoted."""

    yaml_implicit_resolvers = schema.implicit_resolvers()


class _Reject(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


def too_deep(loc: Location) -> Problem:
    return Problem(
        "YAML-TOO-LARGE",
        f"YAML 嵌套超过 {MAX_DEPTH} 层",
        f"YAML nested more than {MAX_DEPTH} levels deep",
        loc,
    )


def read_with_positions(
    text: str, shown: str
) -> tuple[tuple[Any, Positions] | None, list[Problem]]:
    """Parse ``text`` (from ``shown``, used in messages): ``((data, positions), problems)``, or
    ``(None, problems)`` when the file cannot be used at all."""
    try:
        node = yaml.compose(text, Loader=CoreLoader)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(text, shown, exc)]
    except yaml.reader.ReaderError as exc:
        bad = _UNREADABLE.search(text)
        index = bad.start() if bad else min(exc.position, len(text))
        line = text.count("\n", 0, index) + 1
        column = index - (text.rfind("\n", 0, index) + 1) + 1
        zh, en, _ = explain(text, "special characters are not allowed", (line, column))
        code = f"U+{ord(text[index]):04X}" if index < len(text) else ""
        return None, [
            Problem(
                "YAML-SYNTAX",
                f"YAML 语法错误：{zh}（{code}）",
                f"YAML syntax error: {en} ({code})",
                Location(shown, line, column),
            )
        ]
    except yaml.YAMLError:
        zh, en, _ = explain(text, None, None)
        return None, [
            Problem(
                "YAML-SYNTAX",
                f"YAML 语法错误：{zh}",
                f"YAML syntax error: {en}",
                Location(shown, 1),
            )
        ]
    except RecursionError:
        return None, [too_deep(Location(shown))]
    positions: Positions = {}
    if node is None:
        return (None, positions), []
    problems: list[Problem] = []
    try:
        data = _convert(node, (), positions, problems, shown, 0, set())
    except _Reject as rej:
        return None, [rej.problem]
    return (data, positions), problems


def _mark(mark: Any) -> tuple[int, int] | None:
    return (mark.line + 1, mark.column + 1) if mark is not None else None


def _syntax_problem(text: str, shown: str, exc: yaml.MarkedYAMLError) -> Problem:
    """A YAML-SYNTAX problem in the user's words (:mod:`.yaml_messages`), at the real slip."""
    zh, en, at = explain(
        text, exc.problem, _mark(exc.problem_mark), exc.context, _mark(exc.context_mark)
    )
    loc = Location(shown, *at) if at else Location(shown, 1)
    return Problem("YAML-SYNTAX", f"YAML 语法错误：{zh}", f"YAML syntax error: {en}", loc)


def _scalar(node: yaml.ScalarNode, loc: Location) -> Any:
    if node.tag not in schema.SCALAR_TAGS:
        raise _Reject(_bad_tag(node.tag, loc))
    try:
        return schema.tagged_value(node.tag, node.value)
    except (ValueError, OverflowError):
        shown = node.value if len(node.value) <= 30 else node.value[:27] + "…"
        raise _Reject(
            Problem(
                "INVALID-VALUE",
                f"值 “{shown}” 无法读作数：数字过长，或者写法有误；它是文字时请加引号",
                f"the value '{shown}' cannot be read as a number: too long or malformed; "
                "quote it if it is text",
                loc,
            )
        ) from None


def _convert(
    node: yaml.Node,
    keys: KeyPath,
    positions: Positions,
    problems: list[Problem],
    shown: str,
    depth: int,
    seen: set[int],
) -> Any:
    # Hot path: Location objects are made only when something is wrong.
    mark = node.start_mark
    line, column = mark.line + 1, mark.column + 1
    positions[keys] = (line, column)
    if depth > MAX_DEPTH:
        raise _Reject(too_deep(Location(shown, line, column)))
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
        if node.tag == schema.STR_TAG:
            return node.value
        return _scalar(node, Location(shown, line, column))
    if kind is yaml.SequenceNode:
        if node.tag != schema.SEQ_TAG:
            raise _Reject(_bad_tag(node.tag, Location(shown, line, column)))
        return [
            _convert(child, (*keys, i), positions, problems, shown, depth + 1, seen)
            for i, child in enumerate(node.value)
        ]
    if kind is yaml.MappingNode:
        if node.tag != schema.MAP_TAG:
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
            if key_node.tag == schema.STR_TAG:
                key: Any = key_node.value
            elif key_node.tag == schema.MERGE_TAG:
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
                first = positions.get((*keys, key, KEY_MARK))
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
            positions[(*keys, key, KEY_MARK)] = key_pos
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
    return Problem(
        "YAML-TAG",
        f"规则文件不支持 YAML 标签 {tag}：以 “!” 开头的值要加引号",
        f"rule files allow no YAML tag ({tag}): quote a value that starts with '!'",
        loc,
    )
