"""From a table's rule-file data to a compiled :class:`~.table.DecisionTable`.

:func:`table_from_spec_data` validates one entry of ``tables:`` against :class:`~.model.TableSpec`,
then reads every cell for its column's type and reports each problem at the cell's own line
and column (a CSV table comes through here too, with a source map of CSV rows and columns).
A table with an error is not built; warnings come back alongside the table.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..load.source import KeyPath, SourceMap
from ..load.validation import validate
from ..problems import Location, Problem, Severity, has_errors
from .cells import CellError, parse_output
from .model import InputSpec, OutputSpec, TableSpec
from .rows import RowReader
from .sets import Interval, IntervalSet, ValueSet, ValueTest, intervals
from .table import DecisionTable, InputColumn, OutputColumn
from .values import ORDERED_TYPES, TYPE_ZH, LiteralError, literal_from_scalar
from .values import literal_from_text as _from_text

_ORDERED_AGGREGATIONS = ("MIN", "MAX")


def table_from_spec_data(
    data: Any, source: SourceMap, keys: KeyPath
) -> tuple[DecisionTable | None, list[Problem]]:
    """Compile one entry of a rule file's ``tables:`` (found at ``keys`` in ``source``)."""
    rule = data.get("id") if isinstance(data, Mapping) and isinstance(data.get("id"), str) else None
    spec, problems = validate(TableSpec, data, source, keys, rule)
    if spec is None:
        return None, problems
    builder = _Builder(spec, source, keys)
    table = builder.build()
    problems.extend(builder.problems)
    return (None if has_errors(problems) else table), problems


class _Builder:
    """Reads a validated :class:`TableSpec`; collects problems instead of stopping at the first."""

    def __init__(self, spec: TableSpec, source: SourceMap, keys: KeyPath):
        self.spec = spec
        self.source = source
        self.keys = keys
        self.problems: list[Problem] = []

    def at(self, *sub: str | int) -> Location:
        return self.source.locate((*self.keys, *sub))

    def report(
        self, code: str, zh: str, en: str, location: Location, severity: Severity = "error"
    ) -> None:
        self.problems.append(Problem(code, zh, en, location, self.spec.id, severity))

    def build(self) -> DecisionTable | None:
        spec = self.spec
        if not spec.basis.strip():
            self.report(
                "MISSING-BASIS",
                "决策表的依据（basis）为空",
                "the table's basis is empty",
                self.at("basis"),
            )
        self.check_names()
        inputs = tuple(self.input_column(i, s) for i, s in enumerate(spec.inputs))
        outputs = tuple(self.output_column(j, s) for j, s in enumerate(spec.outputs))
        self.check_policy(outputs)
        reader = RowReader(inputs, outputs, self.source, self.keys, self.report)
        rows = reader.read(spec.rows)
        default = self.default(outputs)
        if has_errors(self.problems):
            return None
        title = spec.title
        return DecisionTable(
            id=spec.id,
            title_zh=title.zh if title else "",
            title_en=(title.en or title.zh) if title else "",
            basis=spec.basis.strip(),
            hit_policy=spec.hit_policy,
            aggregation=spec.aggregation,
            inputs=inputs,
            outputs=outputs,
            rows=rows,
            location=self.at(),
            default=default,
        )

    # --- columns -------------------------------------------------------------------------

    def check_names(self) -> None:
        seen: set[str] = set()
        columns = [("inputs", i, s.name) for i, s in enumerate(self.spec.inputs)]
        columns += [("outputs", j, s.name) for j, s in enumerate(self.spec.outputs)]
        for kind, i, name in columns:
            if name in seen:
                self.report(
                    "DUPLICATE-ID",
                    f"列名 “{name}” 重复",
                    f"column name '{name}' is used twice",
                    self.at(kind, i, "name"),
                )
            seen.add(name)

    def input_column(self, i: int, spec: InputSpec) -> InputColumn:
        domain = self.domain(i, spec)
        return InputColumn(spec.name, spec.type, domain, self.at("inputs", i))

    def domain(self, i: int, spec: InputSpec) -> ValueTest | None:
        where = ("inputs", i)
        if spec.values is not None and spec.range is not None:
            self.report(
                "INVALID-VALUE",
                "values 和 range 只能写一个",
                "give either values or range, not both",
                self.at(*where, "range"),
            )
            return None
        if spec.values is not None:
            found = [
                self.literal(v, spec.type, (*where, "values", k)) for k, v in enumerate(spec.values)
            ]
            if not found:
                self.report(
                    "INVALID-VALUE",
                    "values 不能为空",
                    "values may not be empty",
                    self.at(*where, "values"),
                )
                return None
            if spec.type in ORDERED_TYPES:
                return intervals(Interval(v, v, True, True) for v in found if v is not None)
            return ValueSet(frozenset(v for v in found if v is not None))
        if spec.range is None:
            return None
        if spec.type not in ORDERED_TYPES:
            self.report(
                "INVALID-VALUE",
                f"{TYPE_ZH[spec.type]}列不能用 range，请用 values 列出所有值",
                f"a {spec.type} column cannot have a range; list its values instead",
                self.at(*where, "range"),
            )
            return None
        low, high = (
            None if v is None else self.literal(v, spec.type, (*where, "range", k))
            for k, v in enumerate(spec.range)
        )
        if low is not None and high is not None and low > high:
            self.report(
                "INVALID-VALUE",
                "range 的下限大于上限",
                "the range starts after it ends",
                self.at(*where, "range"),
            )
            return None
        return IntervalSet((Interval(low, high, low is not None, high is not None),))

    def literal(self, raw: Any, type_: str, where: KeyPath) -> Any:
        """A plain literal (a domain value, a priority value); ``None`` after reporting."""
        try:
            if isinstance(raw, str):
                return _from_text(raw.strip(), type_)
            return literal_from_scalar(raw, type_)
        except LiteralError as exc:
            self.report("INVALID-VALUE", exc.zh, exc.en, self.at(*where))
            return None

    def output_column(self, j: int, spec: OutputSpec) -> OutputColumn:
        priority = None
        if spec.priority is not None:
            found = [
                self.literal(v, spec.type, ("outputs", j, "priority", k))
                for k, v in enumerate(spec.priority)
            ]
            if len(set(found)) != len(found):
                self.report(
                    "INVALID-VALUE",
                    "priority 中有重复的值",
                    "priority lists a value twice",
                    self.at("outputs", j, "priority"),
                )
            priority = tuple(found)
        return OutputColumn(spec.name, spec.type, priority, self.at("outputs", j))

    def check_policy(self, outputs: tuple[OutputColumn, ...]) -> None:
        spec = self.spec
        policy, aggregation = spec.hit_policy, spec.aggregation
        if policy == "PRIORITY" and all(col.priority is None for col in outputs):
            self.report(
                "INVALID-VALUE",
                "PRIORITY 命中策略需要在输出列上用 priority 列出其值（优先级从高到低）",
                "the PRIORITY hit policy needs an output with a priority list (highest first)",
                self.at("hit_policy"),
            )
        if aggregation is not None:
            if policy != "COLLECT":
                self.report(
                    "INVALID-VALUE",
                    f"aggregation 只能与 COLLECT 命中策略一起使用（现为 {policy}）",
                    f"aggregation goes with the COLLECT hit policy only (this table is {policy})",
                    self.at("aggregation"),
                )
            elif len(outputs) > 1:
                self.report(
                    "INVALID-VALUE",
                    "aggregation 只能用于只有一个输出列的表",
                    "aggregation needs a table with exactly one output",
                    self.at("aggregation"),
                )
            elif aggregation == "SUM" and outputs[0].type != "number":
                self.report(
                    "INVALID-VALUE",
                    "SUM 只能用于数字输出",
                    "SUM needs a number output",
                    self.at("aggregation"),
                )
            elif aggregation in _ORDERED_AGGREGATIONS and outputs[0].type not in ORDERED_TYPES:
                self.report(
                    "INVALID-VALUE",
                    f"{aggregation} 只能用于数字或日期输出",
                    f"{aggregation} needs a number or date output",
                    self.at("aggregation"),
                )
        if policy == "COLLECT" and spec.default is not None:
            self.report(
                "INVALID-VALUE",
                "COLLECT 命中策略不用 default：没有行匹配时结果为空",
                "COLLECT takes no default: when nothing matches the result is empty",
                self.at("default"),
            )

    def default(self, outputs: tuple[OutputColumn, ...]) -> tuple[Any, ...] | None:
        raw = self.spec.default
        if raw is None or self.spec.hit_policy == "COLLECT":
            return None
        names = [col.name for col in outputs]
        if not isinstance(raw, dict):
            if len(outputs) > 1:
                self.report(
                    "INVALID-VALUE",
                    f"有多个输出时，default 要按输出名写成映射（{', '.join(names)}）",
                    "with several outputs, default is a mapping by output name "
                    f"({', '.join(names)})",
                    self.at("default"),
                )
                return None
            raw = {names[0]: raw}
        unknown = [k for k in raw if k not in names]
        missing = [k for k in names if k not in raw]
        if unknown or missing:
            self.report(
                "INVALID-VALUE",
                f"default 应为每个输出各给一个值（{', '.join(names)}）",
                f"default should give one value for each output ({', '.join(names)})",
                self.at("default"),
            )
            return None
        values = []
        for col in outputs:
            try:
                values.append(parse_output(raw[col.name], col.type))
            except CellError as exc:
                self.report(
                    "INVALID-VALUE",
                    f"default：{exc.zh}",
                    f"default: {exc.en}",
                    self.at("default", col.name),
                )
                return None
        return tuple(values)
