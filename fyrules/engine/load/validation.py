"""Validating rule-file data against pydantic models, with problems at YAML positions.

Every structure in a rule file has a pydantic model (which also gives ``fyrules schema`` its
JSON Schema). :func:`validate` runs the model and turns each pydantic error into a
:class:`~fyrules.engine.problems.Problem` at the line and column of the offending node, with
"did you mean …?" for unknown keys.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

import pydantic
from pydantic import BaseModel, ConfigDict

from ..problems import Problem
from ..suggest import hint
from .source import KeyPath, SourceMap

M = TypeVar("M", bound=BaseModel)


class Strict(BaseModel):
    """Base of every rule-file model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def validate(
    model: type[M], data: Any, source: SourceMap, keys: KeyPath = (), rule: str | None = None
) -> tuple[M | None, list[Problem]]:
    """Validate ``data`` (found at ``keys`` in ``source``) as ``model``."""
    try:
        return model.model_validate(data), []
    except pydantic.ValidationError as exc:
        problems = [_problem(model, err, source, keys, data, rule) for err in exc.errors()]
        return None, _dedupe(problems)


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[object, ...]] = set()
    out = []
    for p in problems:
        k = (p.code, p.location, p.message_en)
        if k not in seen:
            seen.add(k)
            out.append(p)
    return out


def _problem(
    model: type[BaseModel],
    err: Mapping[str, Any],
    source: SourceMap,
    keys: KeyPath,
    data: Any,
    rule: str | None,
) -> Problem:
    loc = _clean_loc(model, tuple(err.get("loc", ())))
    kind = err.get("type", "")
    where = ".".join(str(part) for part in loc) or "(document)"
    rule = rule or _rule_id(data, loc)
    if kind == "extra_forbidden":
        key = str(loc[-1]) if loc else ""
        allowed = _fields_at(model, loc[:-1])
        zh_hint, en_hint = hint(key, allowed)
        return Problem(
            "UNKNOWN-KEY",
            f"未知的键 “{key}”{zh_hint}",
            f"unknown key '{key}'{en_hint}",
            source.key_location((*keys, *loc)),
            rule,
        )
    if kind == "missing":
        key = str(loc[-1]) if loc else ""
        code = "MISSING-BASIS" if key == "basis" else "MISSING-KEY"
        parent = ".".join(str(part) for part in loc[:-1]) or "文档"
        parent_en = ".".join(str(part) for part in loc[:-1]) or "the document"
        return Problem(
            code,
            f"{parent} 缺少必填的键 “{key}”",
            f"{parent_en} is missing the required key '{key}'",
            source.locate((*keys, *loc[:-1])),
            rule,
        )
    message = str(err.get("msg", "invalid value"))
    value = err.get("input")
    shown = _short(value)
    if kind.endswith("_type") or kind.endswith("_parsing") or kind in {"model_type", "dict_type"}:
        return Problem(
            "WRONG-TYPE",
            f"{where}：值 {shown} 的类型不对（{message}）",
            f"{where}: {shown} has the wrong type ({message})",
            source.locate((*keys, *loc)),
            rule,
        )
    if message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
    zh, _, en = message.partition(" / ")
    return Problem(
        "INVALID-VALUE",
        f"{where}：{zh if en else message}",
        f"{where}: {en or message}",
        source.locate((*keys, *loc)),
        rule,
    )


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _rule_id(data: Any, loc: tuple[Any, ...]) -> str | None:
    """The ``id`` of the innermost mapping along ``loc`` that has one (a rule, a table …)."""
    found = None
    node = data
    for part in loc:
        if isinstance(node, Mapping):
            rid = node.get("id")
            if isinstance(rid, str):
                found = rid
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
    return found


def _clean_loc(model: type[BaseModel], loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop the tags pydantic adds for union members (``'function-after[...]'``, class names)."""
    out = []
    for part in loc:
        if isinstance(part, str) and ("[" in part or part[:1].isupper()) and not _is_key(part):
            continue
        out.append(part)
    return tuple(out)


def _is_key(part: str) -> bool:
    return part.replace("_", "").replace("-", "").isalnum() and not part[:1].isupper()


def _fields_at(model: Any, loc: tuple[Any, ...]) -> list[str]:
    """The field names (and aliases) of the model found by walking ``loc`` into ``model``."""
    candidates = [model]
    for part in loc:
        nxt = []
        for tp in candidates:
            for m in _models_in(tp):
                field = _field_named(m, part) if isinstance(part, str) else None
                if field is not None:
                    nxt.append(field.annotation)
            for inner in _containers(tp, part):
                nxt.append(inner)
        candidates = nxt
    names: list[str] = []
    for tp in candidates:
        for m in _models_in(tp):
            for name, f in m.model_fields.items():
                names.append(f.alias or name)
    return names


def _field_named(model: type[BaseModel], key: str) -> Any:
    for name, f in model.model_fields.items():
        if key in (name, f.alias):
            return f
    return None


def _models_in(tp: Any) -> list[type[BaseModel]]:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [tp]
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType) or origin is typing.Annotated:
        out = []
        for arg in typing.get_args(tp):
            out.extend(_models_in(arg))
        return out
    return []


def _containers(tp: Any, part: Any) -> list[Any]:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType) or origin is typing.Annotated:
        out = []
        for arg in args:
            out.extend(_containers(arg, part))
        return out
    if origin in (list, tuple, set, frozenset) and isinstance(part, int) and args:
        return [args[0]]
    if origin in (dict, Mapping) and len(args) == 2 and not isinstance(part, int):
        return [args[1]]
    return []
