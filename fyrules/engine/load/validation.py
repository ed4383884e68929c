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

from ..messages import field_path, validation_message
from ..problems import Problem
from ..suggest import closest, hint
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
        # what model_validate(data) runs, without its Python frame: once per entry (10,000
        # times for a 10,000-item catalog)
        return model.__pydantic_validator__.validate_python(data), []
    except pydantic.ValidationError as exc:
        errors = exc.errors()
        # ``{charged：false}`` reads as the key "charged：false": one problem, not also "missing".
        full_width = {
            (tuple(e["loc"][:-1]), str(e["loc"][-1]).split("：")[0].strip())
            for e in errors
            if e["type"] == "extra_forbidden" and "：" in str(e["loc"][-1])
        }
        # ``departmnet: WL`` for ``department``: the unknown key says it; "missing" would not help
        misspelled = {
            (
                tuple(e["loc"][:-1]),
                closest(
                    str(e["loc"][-1]), _fields_at(model, _clean_loc(model, tuple(e["loc"][:-1])))
                ),
            )
            for e in errors
            if e["type"] == "extra_forbidden"
        }
        errors = [
            e
            for e in errors
            if not (
                e["type"] == "missing"
                and (tuple(e["loc"][:-1]), e["loc"][-1]) in full_width | misspelled
            )
        ]
        problems = [_problem(model, err, source, keys, data, rule) for err in errors]
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
    where = field_path((*keys, *loc)) or "(文档)"
    rule = rule or _rule_id(data, loc)
    if kind == "extra_forbidden":
        key = str(loc[-1]) if loc else ""
        parent = field_path((*keys, *loc[:-1]))
        allowed = _fields_at(model, loc[:-1])
        zh_hint, en_hint = hint(key, allowed)
        if "：" in key:
            zh_hint = "：键后面用了全角冒号 “：”，请使用半角冒号 “:”，冒号后加一个空格"
            en_hint = ": a full-width colon '：' after the key; use the ASCII colon ':' and a space"
        elif not zh_hint and allowed and len(allowed) <= 12:
            zh_hint = f"（此处可用的键：{'、'.join(allowed)}）"
            en_hint = f" (keys allowed here: {', '.join(allowed)})"
        zh_in, en_in = (f"{parent} 中", f" in {parent}") if parent else ("", "")
        return Problem(
            "UNKNOWN-KEY",
            f"{zh_in}未知的键 “{key}”{zh_hint}",
            f"unknown key '{key}'{en_in}{en_hint}",
            source.key_location((*keys, *loc)),
            rule,
        )
    if kind == "missing":
        key = str(loc[-1]) if loc else ""
        code = "MISSING-BASIS" if key == "basis" else "MISSING-KEY"
        parent = field_path((*keys, *loc[:-1]))
        zh_what, en_what = _described(model, loc)
        if key == "basis":
            zh_what, en_what = (
                "法律或政策依据，写到条款",
                "the legal or policy basis, down to the article",
            )
        zh_what = f"（{zh_what}）" if zh_what else ""
        en_what = f" ({en_what})" if en_what else ""
        return Problem(
            code,
            f"{parent or '文档'} 缺少必填的键 “{key}”{zh_what}",
            f"{parent or 'the document'} is missing the required key '{key}'{en_what}",
            source.locate((*keys, *loc[:-1])),
            rule,
        )
    zh, en = validation_message(err, where)
    wrong_type = kind.endswith("_type") or kind.endswith("_parsing")
    return Problem(
        "WRONG-TYPE" if wrong_type else "INVALID-VALUE",
        zh,
        en,
        source.locate((*keys, *loc)),
        rule,
    )


def _described(model: type[BaseModel], loc: tuple[Any, ...]) -> tuple[str, str]:
    """The description of the field at ``loc`` (``"中文 / English"``), split in two."""
    if not loc or not isinstance(loc[-1], str):
        return "", ""
    for tp in _types_at(model, loc[:-1]):
        for m in _models_in(tp):
            field = _field_named(m, loc[-1])
            if field is not None and field.description:
                zh, _, en = field.description.partition(" / ")
                return zh, en
    return "", ""


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
    names: list[str] = []
    for tp in _types_at(model, loc):
        for m in _models_in(tp):
            for name, f in m.model_fields.items():
                if (f.alias or name) not in names:
                    names.append(f.alias or name)
    return names


def _types_at(model: Any, loc: tuple[Any, ...]) -> list[Any]:
    """The types found by walking ``loc`` into ``model``."""
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
    return candidates


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
