"""The ``scoring`` extension: the ``scoring:`` section of rule files, compiled into
:class:`~fyrules.scoring.scheme.Scheme` versions, and the ``month`` scope.

``rulebook.part("scoring")`` is a :class:`Schemes`: every version of every scheme, and the one
in force on a date. A scheme that cannot score is refused when the rulebook loads: a formula
naming an unknown statistic (``EXPR-UNKNOWN-FIELD``), weights that do not add up to what is
declared (``SCORE-WEIGHTS``), a band table that does not give points within the indicator's
weight (``SCORE-BAND``) or leaves values without points (``SCORE-BAND-GAP``), two versions in
force at once (``VALIDITY-OVERLAP``), each at its file and line with the id concerned.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from typing import Any

import attrs

from ..engine.expr import NUMBER, ExpressionError, compile_expression, optional
from ..engine.expr.library import DEFAULT_FUNCTIONS
from ..engine.extension import BuildContext, BuildResult, Extension
from ..engine.functions import param_function
from ..engine.load.sections import Entry, Section, empty_validity
from ..engine.load.validation import validate
from ..engine.problems import Problem
from ..engine.suggest import hint
from ..engine.tables import DecisionTable, check_table
from .model import AspectSpec, IndicatorSpec, SchemeSpec
from .records import CASE_NOTE
from .scheme import Indicator, NormalAspect, Scheme
from .scope import MONTH_CONTEXT, MONTH_SCOPE

_EPSILON = 1e-9


@attrs.frozen(slots=True)
class Schemes:
    """Every compiled scheme version of a rulebook."""

    versions: tuple[Scheme, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.versions)

    def in_force(self, on: dt.date, scheme_id: str | None = None) -> Scheme | None:
        """The version in force on ``on`` (of ``scheme_id``, or of the first scheme)."""
        wanted = scheme_id or (self.versions[0].id if self.versions else None)
        for scheme in self.versions:
            if scheme.id == wanted and scheme.in_force(on):
                return scheme
        return None

    def version(self, version: str, scheme_id: str | None = None) -> Scheme | None:
        wanted = scheme_id or (self.versions[0].id if self.versions else None)
        for scheme in self.versions:
            if scheme.id == wanted and scheme.version == version:
                return scheme
        return None


def _read(data: Any, source: Any, keys: Any) -> tuple[Any, list[Problem]]:
    rule = data.get("id") if isinstance(data, Mapping) and isinstance(data.get("id"), str) else None
    return validate(SchemeSpec, data, source, keys, rule=rule)


def _weights(
    entry: Entry, zh: str, en: str, declared: float, parts: float, rule: str, *at: str | int
) -> Problem | None:
    if abs(declared - parts) <= _EPSILON * max(1.0, abs(declared)):
        return None
    return Problem(
        "SCORE-WEIGHTS",
        f"{zh}声明为 {declared:g} 分，但各项分值之和为 {parts:g}",
        f"{en} is declared as {declared:g} points, but its parts add up to {parts:g}",
        entry.locate(*at),
        rule,
    )


def _band(
    entry: Entry, spec: IndicatorSpec, tables: Mapping[str, Any], at: tuple[str | int, ...]
) -> tuple[DecisionTable | None, str, list[Problem]]:
    where = entry.locate(*at, "band")
    table = tables.get(spec.band or "")
    if table is None:
        zh_hint, en_hint = hint(spec.band or "", tables)
        return (
            None,
            "",
            [
                Problem(
                    "UNKNOWN-REFERENCE",
                    f"得分档次表 “{spec.band}” 不存在{zh_hint}",
                    f"band table '{spec.band}' does not exist{en_hint}",
                    where,
                    spec.id,
                )
            ],
        )
    names = [c.name for c in table.outputs]
    output = "points" if "points" in names else (names[0] if len(names) == 1 else None)
    shape_ok = len(table.inputs) == 1 and table.inputs[0].type == "number"
    if not shape_ok or output is None or table.hit_policy == "COLLECT":
        return (
            None,
            "",
            [
                Problem(
                    "SCORE-BAND",
                    f"得分档次表 {table.id} 须有一个数值输入列、一个 points 输出列，且不是 COLLECT",
                    f"band table {table.id} needs one number input column, one 'points' output "
                    "and a hit policy other than COLLECT",
                    where,
                    spec.id,
                )
            ],
        )
    problems = []
    k = names.index(output)
    outputs = [(row.number, row.outputs[k]) for row in table.rows]
    if table.default is not None:
        outputs.append((0, table.default[k]))
    for number, points in outputs:
        ok = isinstance(points, int | float) and not isinstance(points, bool)
        if not ok or not (0 <= points <= spec.weight + _EPSILON):
            row = f"第 {number} 行" if number else "default"
            row_en = f"row {number}" if number else "the default"
            problems.append(
                Problem(
                    "SCORE-BAND",
                    f"得分档次表 {table.id} {row}的分数 {points!r} 不在 0 到指标分值 {spec.weight:g} 之间",
                    f"band table {table.id}: {row_en} gives {points!r} points, outside 0 to the "
                    f"indicator's weight {spec.weight:g}",
                    where,
                    spec.id,
                )
            )
    for gap in check_table(table):
        if gap.code == "TABLE-GAP" and gap.severity != "info":
            problems.append(
                Problem(
                    "SCORE-BAND-GAP",
                    f"得分档次表 {table.id} 有取值得不到分数：{gap.message_zh}（表见 {gap.location}）",
                    f"band table {table.id} leaves values without points: {gap.message_en} "
                    f"(the table is at {gap.location})",
                    where,
                    spec.id,
                )
            )
    return (table if not problems else None), table.inputs[0].name, problems


def _indicator(
    entry: Entry,
    aspect: AspectSpec,
    spec: IndicatorSpec,
    at: tuple[str | int, ...],
    tables: Mapping[str, Any],
    functions: Any,
    problems: list[Problem],
) -> Indicator | None:
    try:
        formula = compile_expression(
            spec.formula,
            MONTH_CONTEXT,
            functions=functions,
            expected=optional(NUMBER),
            location=entry.locate(*at, "formula"),
        )
    except ExpressionError as exc:
        problems.append(exc.problem.with_rule(spec.id))
        return None
    band, band_input = None, ""
    if spec.band is not None:
        band, band_input, found = _band(entry, spec, tables, at)
        problems.extend(found)
        if band is None:
            return None
    return Indicator(
        id=spec.id,
        aspect=aspect.id,
        title_zh=spec.title.zh,
        title_en=spec.title.en or spec.title.zh,
        weight=spec.weight,
        formula=formula,
        basis=spec.basis,
        location=entry.locate(*at),
        no_data=spec.no_data,
        band=band,
        band_input=band_input,
        deduct_each=spec.deduct.each if spec.deduct is not None else None,
    )


def compile_scheme(
    entry: Entry, tables: Mapping[str, Any], functions: Any
) -> tuple[Scheme | None, list[Problem]]:
    """One ``scoring:`` entry compiled, or ``None`` and every problem found."""
    spec: SchemeSpec = entry.spec
    problems: list[Problem] = []
    if (empty := empty_validity(entry, spec.valid_from, spec.valid_to)) is not None:
        problems.append(empty)
    indicators: list[Indicator] = []
    seen: dict[str, tuple[int, int]] = {}
    for a, aspect in enumerate(spec.aspects):
        weights = sum(i.weight for i in aspect.indicators)
        found = _weights(
            entry,
            f"方面 {aspect.id} ",
            f"aspect {aspect.id}",
            aspect.weight,
            weights,
            aspect.id,
            "aspects",
            a,
            "weight",
        )
        if found:
            problems.append(found)
        for i, ind in enumerate(aspect.indicators):
            at = ("aspects", a, "indicators", i)
            if ind.id in seen:
                problems.append(
                    Problem(
                        "DUPLICATE-ID",
                        f"指标编号 “{ind.id}” 重复",
                        f"indicator id '{ind.id}' is used twice",
                        entry.locate(*at, "id"),
                        ind.id,
                    )
                )
            seen.setdefault(ind.id, (a, i))
            compiled = _indicator(entry, aspect, ind, at, tables, functions, problems)
            if compiled is not None:
                indicators.append(compiled)
    found = _weights(
        entry, f"方案 {spec.id} 的动态指数", f"the dynamic index of scheme {spec.id}",
        spec.total, sum(a.weight for a in spec.aspects), spec.id, "total",
    )  # fmt: skip
    if found:
        problems.append(found)
    if problems:
        return None, problems
    scheme = Scheme(
        id=spec.id,
        title_zh=spec.title.zh,
        title_en=spec.title.en or spec.title.zh,
        version=spec.version,
        valid_from=spec.valid_from,
        valid_to=spec.valid_to,
        basis=spec.basis,
        unit=spec.unit,
        total=spec.total,
        base=spec.base.value,
        cap=spec.cap.value,
        satisfied_rating=spec.satisfied_rating.value,
        indicators=tuple(indicators),
        aspects=tuple((a.id, a.title.zh, a.title.en or a.title.zh, a.weight) for a in spec.aspects),
        normal=tuple(
            NormalAspect(n.id, n.title.zh, n.title.en or n.title.zh, n.max, n.basis)
            for n in spec.normal
        ),
        location=entry.location,
        numbers_basis={
            "base": spec.base.basis,
            "cap": spec.cap.basis,
            "satisfied_rating": spec.satisfied_rating.basis,
        },
    )
    return scheme, []


def _overlaps(entries: list[Entry], schemes: list[Scheme]) -> list[Problem]:
    problems = []
    ordered = sorted(schemes, key=lambda s: (s.id, s.valid_from))
    for a, b in itertools.pairwise(ordered):
        if a.id != b.id:
            continue
        if a.valid_to is None or b.valid_from <= a.valid_to:
            problems.append(
                Problem(
                    "VALIDITY-OVERLAP",
                    f"评分方案 {a.id} 的版本 {a.version}（{a.location}）与 {b.version} 同时有效；"
                    f"请给 {a.version} 写 valid_to",
                    f"versions {a.version} ({a.location}) and {b.version} of scheme {a.id} are in "
                    f"force at once; give {a.version} a valid_to",
                    b.location,
                    b.id,
                )
            )
        elif a.version == b.version:
            problems.append(
                Problem(
                    "DUPLICATE-ID",
                    f"评分方案 {a.id} 的版本号 {a.version} 用了两次（另见 {a.location}）",
                    f"scheme {a.id} uses version {a.version} twice (see also {a.location})",
                    b.location,
                    b.id,
                )
            )
    return problems


def _build(ctx: BuildContext) -> BuildResult:
    entries = list(ctx.sources.section("scoring"))
    if not entries:
        return BuildResult(Schemes())
    tables = {e.id: e.spec for e in ctx.sources.section("tables") if e.id is not None}
    functions = DEFAULT_FUNCTIONS.extend(param_function(ctx.parameters))
    problems: list[Problem] = []
    schemes: list[Scheme] = []
    for entry in entries:
        scheme, found = compile_scheme(entry, tables, functions)
        problems.extend(found)
        if scheme is not None:
            schemes.append(scheme)
    problems.extend(_overlaps(entries, schemes))
    schemes.sort(key=lambda s: (s.id, s.valid_from))
    return BuildResult(Schemes(tuple(schemes)), tuple(problems))


SECTIONS = (
    Section(
        "scoring",
        SchemeSpec,
        "效能指数测评方案",
        "efficiency-index scoring schemes",
        versioned=True,
        build=_read,
    ),
)

EXTENSION = Extension(
    name="scoring",
    sections=SECTIONS,
    scopes=(MONTH_SCOPE,),
    build=_build,
    case_note=lambda _rulebook: CASE_NOTE,
)
