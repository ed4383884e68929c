"""Parameters: named policy values, and how a local rulebook may change them.

A parameter (``statutory_decision_days: 20``) lives in a rule file with its basis and a
direction: a city rulebook may lower a time limit the national baseline sets, never raise it.
Rules read parameters with ``param("id")``; the id is checked when the rule compiles.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from .load.model import ParameterSpec
from .load.sections import Entry, loosened
from .problems import Location, Problem


@attrs.frozen(slots=True)
class Parameter:
    id: str
    value: bool | int | float | str | dt.date
    basis: str
    tighten: str
    title_zh: str
    location: Location
    layer: str
    unit: str | None = None


def compile_parameters(entries: Iterable[Entry]) -> Mapping[str, Parameter]:
    out: dict[str, Parameter] = {}
    for entry in entries:
        spec: ParameterSpec = entry.spec
        out[spec.id] = Parameter(
            spec.id,
            spec.value,
            spec.basis,
            spec.tighten,
            spec.title.zh,
            entry.location,
            entry.layer,
            spec.unit,
        )
    return out


def tighten_parameter(parent: Entry, child: Entry) -> list[Problem]:
    """A local parameter may move only the way its higher definition allows."""
    p: ParameterSpec = parent.spec
    c: ParameterSpec = child.spec
    problems = []
    if c.tighten != p.tighten:
        problems.append(
            loosened(
                parent,
                child,
                "tighten",
                f"参数 {c.id} 不能改变调整方向（上级为 {p.tighten}）",
                f"parameter {c.id} cannot change its direction (the higher one says {p.tighten})",
            )
        )
    if p.tighten == "free" or c.value == p.value:
        return problems
    if type(c.value) is not type(p.value) and not _both_numbers(c.value, p.value):
        problems.append(
            loosened(
                parent,
                child,
                "value",
                f"参数 {c.id} 的类型与上级不同",
                f"parameter {c.id} has a different type from the higher one",
            )
        )
        return problems
    if p.tighten == "fixed":
        problems.append(
            loosened(
                parent,
                child,
                "value",
                f"参数 {c.id} 由上级固定为 {p.value}，不能改为 {c.value}",
                f"parameter {c.id} is fixed at {p.value} by the higher rulebook; cannot be {c.value}",
            )
        )
    elif p.tighten == "lower" and _gt(c.value, p.value):
        problems.append(
            loosened(
                parent,
                child,
                "value",
                f"参数 {c.id} 只能调低：{c.value} 高于上级的 {p.value}",
                f"parameter {c.id} may only be lowered: {c.value} is above the higher {p.value}",
            )
        )
    elif p.tighten == "higher" and _gt(p.value, c.value):
        problems.append(
            loosened(
                parent,
                child,
                "value",
                f"参数 {c.id} 只能调高：{c.value} 低于上级的 {p.value}",
                f"parameter {c.id} may only be raised: {c.value} is below the higher {p.value}",
            )
        )
    return problems


def _both_numbers(a: Any, b: Any) -> bool:
    return all(isinstance(v, int | float) and not isinstance(v, bool) for v in (a, b))


def _gt(a: Any, b: Any) -> bool:
    try:
        return bool(a > b)
    except TypeError:
        return False
