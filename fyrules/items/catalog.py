"""The catalog: departments, windows and items of a rulebook, cross-checked, and the
``items`` extension that loads it and runs catalog rules (``scope: item``) over every item."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from ..engine.expr import EvaluationError
from ..engine.extension import BuildContext, BuildResult, Extension
from ..engine.problems import Problem
from ..engine.sections import Entry, Section
from ..engine.suggest import hint
from .model import DepartmentSpec, ItemSpec, WindowSpec
from .scope import ITEM_SCOPE


@attrs.frozen(slots=True)
class Catalog(Mapping[str, ItemSpec]):
    """Items by code, with the departments and windows they refer to."""

    items: Mapping[str, ItemSpec]
    departments: Mapping[str, DepartmentSpec]
    windows: Mapping[str, WindowSpec]
    entries: Mapping[str, Entry]

    def __getitem__(self, code: str) -> ItemSpec:
        return self.items[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def item_context(item: ItemSpec) -> dict[str, Any]:
    """The evaluation context of the ``item`` scope for one item (plain data, no models)."""
    data = item.model_dump()
    data["name"] = item.name.zh
    return data


def _build(ctx: BuildContext) -> BuildResult:
    sources = ctx.sources
    departments = {e.id: e.spec for e in sources.section("departments") if e.id}
    windows = {e.id: e.spec for e in sources.section("windows") if e.id}
    entries = {e.id: e for e in sources.section("items") if e.id}
    items = {code: e.spec for code, e in entries.items()}
    problems: list[Problem] = []
    for entry in sources.section("windows"):
        spec: WindowSpec = entry.spec
        if spec.department is not None:
            problems.extend(
                _ref(entry, "department", spec.department, departments, "部门", "department")
            )
    for entry in entries.values():
        item: ItemSpec = entry.spec
        problems.extend(
            _ref(entry, "department", item.department, departments, "部门", "department")
        )
        for key in ("window", "lead_window"):
            value = getattr(item, key)
            if value is not None:
                problems.extend(_ref(entry, key, value, windows, "窗口", "window"))
        for i, window in enumerate(item.co_windows):
            problems.extend(_ref(entry, ("co_windows", i), window, windows, "窗口", "window"))
        for i, dep in enumerate(item.depends_on):
            problems.extend(_ref(entry, ("depends_on", i), dep, items, "事项", "item"))
    return BuildResult(Catalog(items, departments, windows, entries), tuple(problems))


def _ref(
    entry: Entry,
    key: str | tuple[str, int],
    value: str,
    known: Mapping[str, Any],
    what_zh: str,
    what_en: str,
) -> list[Problem]:
    if value in known:
        return []
    zh_hint, en_hint = hint(value, known)
    keys = key if isinstance(key, tuple) else (key,)
    return [
        Problem(
            "UNKNOWN-REFERENCE",
            f"{what_zh} “{value}” 不存在{zh_hint}",
            f"{what_en} '{value}' does not exist{en_hint}",
            entry.locate(*keys),
            entry.id,
        )
    ]


def _check(rulebook: Any, *, today: dt.date) -> list[Problem]:
    """Run every ``item`` rule in force today over every item of the catalog."""
    catalog: Catalog | None = rulebook.part("items")
    if catalog is None:
        return []
    rules = [(rule, rule.condition) for rule in rulebook.rules.for_scope("item", today)]
    problems: list[Problem] = []
    for code, item in catalog.items.items():
        entry = catalog.entries[code]
        context = item_context(item)
        for rule, condition in rules:
            try:
                # The condition alone first: building a finding is needed only when it fires.
                finding = (
                    rule.check(context, subject=code, subject_kind="item")
                    if condition(context)
                    else None
                )
            except EvaluationError as exc:
                problems.append(exc.problem.at(entry.location).with_rule(rule.id))
                continue
            if finding is not None:
                problems.append(
                    Problem(
                        rule.id,
                        f"事项 {code}：{finding.message_zh}（依据：{rule.basis}）",
                        f"item {code}: {finding.message_en} (basis: {rule.basis})",
                        entry.location,
                        None,
                        rule.severity,
                    )
                )
    return problems


SECTIONS = (
    Section("departments", DepartmentSpec, "部门", "departments"),
    Section("windows", WindowSpec, "窗口", "windows"),
    Section("items", ItemSpec, "审批事项", "approval items"),
)

EXTENSION = Extension(
    name="items",
    sections=SECTIONS,
    scopes=(ITEM_SCOPE,),
    build=_build,
    check=_check,
)
