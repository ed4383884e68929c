"""The catalog: departments, windows, case types, special procedures and items of a rulebook,
and the ``items`` extension that loads it and runs catalog rules (``scope: item``) over every
item.

Whether an item's department, window, type or procedures exist is a catalog *rule* (the
national baseline ships them), written with the functions this extension adds to the
expression language: ``department_exists``, ``window_exists``, ``item_exists``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator, Mapping
from typing import Any

import attrs
import yaml

from ..engine.collector import collector_paused
from ..engine.expr import BOOL, STRING, EvaluationError, FunctionSpec
from ..engine.extension import BuildContext, BuildResult, Extension
from ..engine.load.sections import Entry, Section
from ..engine.problems import Problem
from ..engine.suggest import hint
from .duplicates import duplicate_problems
from .model import DepartmentSpec, ItemSpec, ItemTypeSpec, ProcedureSpec, WindowSpec
from .scope import ITEM_SCOPE
from .statistics import CatalogStatistics, catalog_statistics


@attrs.frozen(slots=True)
class Catalog(Mapping[str, ItemSpec]):
    """Items by code, with the departments, windows, case types and procedures they refer to."""

    # the public field ``items`` (items by code) shadows Mapping.items() on purpose
    items: Mapping[str, ItemSpec]  # type: ignore[assignment]
    departments: Mapping[str, DepartmentSpec]
    windows: Mapping[str, WindowSpec]
    item_types: Mapping[str, ItemTypeSpec]
    procedures: Mapping[str, ProcedureSpec]
    entries: Mapping[str, Entry]

    def __getitem__(self, code: str) -> ItemSpec:
        return self.items[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def kind(self, item: ItemSpec) -> str | None:
        """The case kind (immediate, commitment, joint, report_up) of the item's type."""
        spec = self.item_types.get(item.type)
        return spec.kind if spec is not None else None

    def context(self, item: ItemSpec) -> dict[str, Any]:
        """The evaluation context of the ``item`` scope for one item (plain data)."""
        return item_context(item, self)

    def statistics(self) -> CatalogStatistics:
        """Concentration rate, window authorization, online share, counts by kind and department."""
        return catalog_statistics(
            self.items.values(), {code: t.kind for code, t in self.item_types.items()}
        )

    def by_department(self) -> dict[str, list[ItemSpec]]:
        """Items grouped by department id, departments in declaration order."""
        groups: dict[str, list[ItemSpec]] = {d: [] for d in self.departments}
        for item in self.items.values():
            groups.setdefault(item.department, []).append(item)
        return groups


def item_context(item: ItemSpec, catalog: Catalog | None = None) -> dict[str, Any]:
    """The evaluation context of the ``item`` scope: the item's fields as plain data, its
    Chinese name as ``name``, its case ``kind``, and for each special procedure whether the
    law or the rulebook defines it and whether it needs site work."""
    data = item.model_dump()
    data["name"] = item.name.zh
    data["kind"] = catalog.kind(item) if catalog is not None else None
    procedures = catalog.procedures if catalog is not None else {}
    for proc in data["special_procedures"]:
        spec = procedures.get(proc["name"])
        proc["defined"] = spec is not None
        proc["site_work"] = spec.site_work if spec is not None else False
    return data


def catalog_functions(catalog: Catalog) -> tuple[FunctionSpec, ...]:
    """Functions for catalog rules, bound to this rulebook's catalog."""

    def exists_in(table: Mapping[str, Any]) -> Any:
        def exists(code: str | None) -> bool:
            return code is None or code in table

        return exists

    return (
        FunctionSpec(
            name="department_exists",
            params=(STRING,),
            returns=BOOL,
            impl=exists_in(catalog.departments),
            doc_zh="部门编号是否已在 departments 中定义（空值视为存在）",
            doc_en="whether a department id is defined in departments (empty counts as defined)",
            example='department_exists("SC")',
        ),
        FunctionSpec(
            name="window_exists",
            params=(STRING,),
            returns=BOOL,
            impl=exists_in(catalog.windows),
            doc_zh="窗口编号是否已在 windows 中定义（空值视为存在）",
            doc_en="whether a window id is defined in windows (empty counts as defined)",
            example='window_exists("W01")',
        ),
        FunctionSpec(
            name="item_exists",
            params=(STRING,),
            returns=BOOL,
            impl=exists_in(catalog.items),
            doc_zh="事项编码是否在事项目录中",
            doc_en="whether an item code is in the catalog",
            example='item_exists("FY-SC-001")',
        ),
    )


def _build(ctx: BuildContext) -> BuildResult:
    sources = ctx.sources
    departments = {e.id: e.spec for e in sources.section("departments") if e.id}
    windows = {e.id: e.spec for e in sources.section("windows") if e.id}
    item_types = {e.id: e.spec for e in sources.section("item_types") if e.id}
    procedures = {e.id: e.spec for e in sources.section("procedures") if e.id}
    entries = {e.id: e for e in sources.section("items") if e.id}
    items = {code: e.spec for code, e in entries.items()}
    problems: list[Problem] = []
    for entry in sources.section("windows"):
        spec: WindowSpec = entry.spec
        if spec.department is not None and spec.department not in departments:
            zh_hint, en_hint = hint(spec.department, departments)
            problems.append(
                Problem(
                    "UNKNOWN-REFERENCE",
                    f"部门 “{spec.department}” 不存在{zh_hint}",
                    f"department '{spec.department}' does not exist{en_hint}",
                    entry.locate("department"),
                    entry.id,
                )
            )
    problems.extend(_local_article45(sources))
    catalog = Catalog(items, departments, windows, item_types, procedures, entries)
    return BuildResult(
        catalog,
        tuple(problems),
        catalog_functions(catalog),
        field_values={"item": {"type": tuple(item_types)}} if item_types else {},
    )


def _baseline_layers(sources: Any) -> frozenset[str]:
    """Ids of the layers that are the built-in national baseline (not a folder named so)."""
    from ..engine.load.loader import BUILTIN_ROOT

    national = (BUILTIN_ROOT / "national").resolve()
    return frozenset(layer.id for layer in sources.layers if layer.root.resolve() == national)


def _local_article45(sources: Any) -> list[Problem]:
    """Only the national baseline declares which procedures are Art. 45's (only those stop
    the statutory clock): a local rulebook's own procedure marked ``article45: true`` is an
    error, and so is a local replacement of a procedure the baseline does not declare (a
    replacement of one of the eight keeps its origin, the baseline)."""
    baseline = _baseline_layers(sources)
    origins = sources.origins.get("procedures", {})
    law = _law_article45()
    return [
        _article45_problem(entry)
        for entry in sources.section("procedures")
        if entry.spec.article45
        and origins.get(entry.id, entry.layer) not in baseline
        and entry.id not in law
    ]


@functools.cache
def _law_article45() -> frozenset[str]:
    """The ids of the procedures the built-in national baseline marks ``article45: true``:
    the law's eight. A copy of the baseline (a test's, or a center's own baseline folder)
    may declare those, and only those."""
    from ..engine.load.loader import BUILTIN_ROOT

    text = (BUILTIN_ROOT / "national" / "catalog.yaml").read_text(encoding="utf-8")
    procedures = (yaml.safe_load(text) or {}).get("procedures") or ()
    return frozenset(str(p["id"]) for p in procedures if p.get("article45") is True)


def _article45_problem(entry: Entry) -> Problem:
    return Problem(
        "ARTICLE45-LOCAL",
        f"特殊环节 {entry.id} 标为 article45: true，但只有国家基线所列《行政许可法》第四十五条的"
        f"八种程序停止法定时限；本地环节请写 article45: false（可用 counted: false 只停止承诺时限）",
        f"special procedure {entry.id} is marked article45: true, but only the eight procedures "
        "of Art. 45 of the Administrative Licensing Law, declared in the national baseline, "
        "stop the statutory clock; write article45: false for a local procedure (counted: false "
        "still stops the committed clock)",
        entry.locate("article45"),
        entry.id,
    )


def catalog_problems(rulebook: Any, *, today: dt.date) -> list[Problem]:
    """The catalog rules: every ``item`` rule in force ``today`` run over every item of the
    catalog, and the duplicate items (what ``fyrules check`` reports of the catalog, and what
    ``fyrules publish`` refuses to publish)."""
    catalog: Catalog | None = rulebook.part("items")
    if catalog is None:
        return []
    rules = [(rule, rule.condition) for rule in rulebook.rules.for_scope("item", today)]
    with collector_paused():  # a context per item and many findings, no garbage
        problems = _check_items(catalog, rules)
    return problems + duplicate_problems(catalog, rulebook.parameters)


# Context fields an item's YAML does not hold, and the key they are worked out from.
_DERIVED_FROM = {"kind": "type"}


def _focus(rule: Any) -> frozenset[str]:
    """The item keys a rule's condition reads (``kind`` counts as ``type``)."""
    fields: frozenset[str] = getattr(rule.condition, "fields", frozenset())
    return frozenset(_DERIVED_FROM.get(f.split(".")[0], f.split(".")[0]) for f in fields)


def _known_ids(catalog: Catalog) -> dict[str, Mapping[str, Any]]:
    """For a key that names something of the catalog, the ids it may name."""
    return {
        "type": catalog.item_types,
        "department": catalog.departments,
        "window": catalog.windows,
    }


def _place(
    entry: Entry, item: Any, focus: frozenset[str], catalog: Catalog
) -> tuple[Any, str, str]:
    """Where a finding on ``item`` points, and a suggestion: at the one key the rule reads
    that the item writes (``type: commitmnet`` → its line, "did you mean 'commitment'?"),
    else at the item."""
    written: set[str] = getattr(item, "model_fields_set", set())
    keys = [k for k in focus if k in written]
    if len(keys) != 1:
        return entry.location, "", ""
    key = keys[0]
    value = getattr(item, key, None)
    known = _known_ids(catalog).get(key)
    zh_hint, en_hint = "", ""
    if isinstance(value, str) and known is not None and value not in known:
        zh_hint, en_hint = hint(value, known)
    return entry.locate(key), zh_hint, en_hint


def _check_items(catalog: Catalog, rules: list[tuple[Any, Any]]) -> list[Problem]:
    problems: list[Problem] = []
    focus = {rule.id: _focus(rule) for rule, _ in rules}
    for code, item in catalog.items.items():
        entry = catalog.entries[code]
        context = item_context(item, catalog)
        for rule, condition in rules:
            try:
                # The condition alone first: a finding is built only when it fires.
                fired = condition(context)
                finding = rule.check(context, subject=code, subject_kind="item") if fired else None
            except EvaluationError as exc:
                problems.append(exc.problem.at(entry.location).with_rule(rule.id))
                continue
            if finding is not None:
                location, zh_hint, en_hint = _place(entry, item, focus[rule.id], catalog)
                problems.append(
                    Problem(
                        rule.id,
                        f"事项 {code}：{finding.message_zh}{zh_hint}（依据：{rule.basis}）",
                        f"item {code}: {finding.message_en}{en_hint} (basis: {rule.basis})",
                        location,
                        None,
                        rule.severity,
                    )
                )
    return problems


SECTIONS = (
    Section("departments", DepartmentSpec, "部门", "departments"),
    Section("windows", WindowSpec, "窗口", "windows"),
    Section("item_types", ItemTypeSpec, "办件类型", "case types"),
    Section("procedures", ProcedureSpec, "特殊环节", "special procedures"),
    Section("items", ItemSpec, "审批事项", "approval items"),
)

EXTENSION = Extension(
    name="items",
    sections=SECTIONS,
    scopes=(ITEM_SCOPE,),
    build=_build,
    check=catalog_problems,
)
