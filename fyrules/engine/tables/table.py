"""A compiled decision table and its evaluation under the DMN 1.3 hit policies.

Everything here is built once, when the rulebook loads (see :mod:`.build`): each row holds a
matcher made of the predicates of its cells, so evaluating a table is a loop over rows that
calls small closures — no parsing, no dictionaries of cells, no ``eval``.

Hit policies (命中策略), as in DMN 1.3:

* ``UNIQUE`` 唯一 — at most one row may match; two matching rows are an error;
* ``FIRST`` 首个 — the first matching row, top to bottom;
* ``PRIORITY`` 优先级 — the matching row whose output comes first in the output's priority list;
* ``ANY`` 任一 — several rows may match if they all give the same output;
* ``COLLECT`` 汇总 — every matching row, as a list or folded by SUM, COUNT, MIN or MAX.

When no row matches, the table's ``default`` is the result if it has one; otherwise a
:class:`TableError` (``TABLE-NO-MATCH``) — except under ``COLLECT``, whose result is then empty.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from ..problems import FyrulesError, Location, Problem
from .cells import Cell
from .sets import ValueTest
from .values import TYPE_ZH, input_checker, show_value, type_name_of

Matcher = Callable[[tuple[Any, ...]], bool]


class TableError(FyrulesError):
    """A table could not give a result for these inputs; ``problem`` says why (zh and en)."""

    problem: Problem

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.format())


@attrs.frozen(slots=True)
class InputColumn:
    """An input column: the name looked up, its type, and its declared domain if any."""

    name: str
    type: str
    domain: ValueTest | None = None
    location: Location | None = attrs.field(default=None, eq=False)
    #: whether a run-time value has the column's type and lies in its domain (derived)
    accepts: Callable[[Any], bool] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        accepts = input_checker(self.type)
        in_domain = self.domain.predicate() if self.domain is not None else None
        if in_domain is not None:
            accepts = _both(accepts, in_domain)
        object.__setattr__(self, "accepts", accepts)

    def __reduce__(self) -> tuple[Any, ...]:
        return InputColumn, (self.name, self.type, self.domain, self.location)


@attrs.frozen(slots=True)
class OutputColumn:
    """An output column; ``priority`` lists its values from highest priority down."""

    name: str
    type: str
    priority: tuple[Any, ...] | None = None
    location: Location | None = attrs.field(default=None, eq=False)


@attrs.frozen(slots=True)
class Row:
    """One rule of the table. ``number`` counts rows from 1, top to bottom."""

    number: int
    cells: tuple[Cell, ...]
    outputs: tuple[Any, ...]
    location: Location | None = attrs.field(default=None, eq=False)
    #: the place of the row's outputs in the priority lists (PRIORITY)
    rank: tuple[int, ...] = attrs.field(default=(), eq=False, repr=False)
    #: whether a tuple of input values matches every cell (derived from the cells)
    matches: Matcher = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        tests = [(i, c.predicate) for i, c in enumerate(self.cells) if c.predicate is not None]
        object.__setattr__(self, "matches", compile_matcher(tests))

    def __reduce__(self) -> tuple[Any, ...]:
        return Row, (self.number, self.cells, self.outputs, self.location, self.rank)


@attrs.frozen(slots=True)
class TableResult:
    """What a lookup gave: ``value`` (one output's value, a dict of outputs, or a list under
    COLLECT) and the numbers of the rows that matched, for explanations and test coverage."""

    table_id: str
    value: Any
    rows: tuple[int, ...]


@attrs.frozen(slots=True)
class DecisionTable:
    """决策表 / a compiled decision table. Build it with ``table_from_spec_data`` or
    ``table_from_csv``; ask it with :meth:`evaluate`."""

    id: str
    title_zh: str
    title_en: str
    basis: str
    hit_policy: str
    aggregation: str | None
    inputs: tuple[InputColumn, ...]
    outputs: tuple[OutputColumn, ...]
    rows: tuple[Row, ...]
    location: Location | None = attrs.field(default=None, eq=False)
    default: tuple[Any, ...] | None = None

    def evaluate(self, inputs: Mapping[str, Any]) -> TableResult:
        """Look the table up with ``inputs`` (input name → value); raises :class:`TableError`."""
        values = self._read(inputs)
        policy = self.hit_policy
        if policy == "FIRST":
            for row in self.rows:
                if row.matches(values):
                    return TableResult(self.id, self._value(row.outputs), (row.number,))
            return self._nothing(values)
        matched = [row for row in self.rows if row.matches(values)]
        if policy == "COLLECT":
            return self._collect(matched)
        if not matched:
            return self._nothing(values)
        first = matched[0]
        if len(matched) > 1:
            if policy == "UNIQUE":
                raise self._error(
                    "TABLE-MULTIPLE-MATCH",
                    f"唯一命中策略下有多行匹配（第 {_numbers(matched)} 行），"
                    f"输入：{_show(self, values)}",
                    f"rows {_numbers(matched)} all match under the UNIQUE hit policy; "
                    f"inputs: {_show(self, values)}",
                )
            if policy == "PRIORITY":
                first = min(matched, key=lambda row: row.rank)
                return TableResult(self.id, self._value(first.outputs), (first.number,))
            differing = [row for row in matched if row.outputs != first.outputs]
            if differing:
                raise self._error(
                    "TABLE-MULTIPLE-MATCH",
                    f"任一命中策略下匹配的第 {first.number}、{differing[0].number} 行结果不同，"
                    f"输入：{_show(self, values)}",
                    f"rows {first.number} and {differing[0].number} match under the ANY hit "
                    f"policy but give different outputs; inputs: {_show(self, values)}",
                )
        return TableResult(self.id, self._value(first.outputs), tuple(r.number for r in matched))

    def _read(self, inputs: Mapping[str, Any]) -> tuple[Any, ...]:
        try:
            values = tuple([inputs[col.name] for col in self.inputs])
        except (KeyError, TypeError, IndexError, AttributeError):
            values = self._diagnose(inputs)
        for col, value in zip(self.inputs, values, strict=True):
            if not col.accepts(value):
                raise self._bad_input(col, value)
        return values

    def _diagnose(self, inputs: Any) -> tuple[Any, ...]:
        if not isinstance(inputs, Mapping):
            raise self._error(
                "TABLE-INPUT",
                "查表的输入必须是“名称 → 值”的映射",
                "the inputs of a lookup must be a mapping of name to value",
            )
        missing = [col.name for col in self.inputs if col.name not in inputs]
        if missing:
            raise self._error(
                "TABLE-INPUT",
                f"缺少输入：{', '.join(missing)}",
                f"missing input{'s' if len(missing) > 1 else ''}: {', '.join(missing)}",
            )
        raise self._error("TABLE-INPUT", "无法读取输入", "the inputs cannot be read")

    def _bad_input(self, col: InputColumn, value: Any) -> TableError:
        if not input_checker(col.type)(value):
            zh_type, en_type = type_name_of(value)
            return self._error(
                "TABLE-INPUT",
                f"输入 {col.name} 应为{TYPE_ZH[col.type]}，实际是{zh_type} {_short(value)}",
                f"input {col.name} should be a {col.type}, got the {en_type} {_short(value)}",
            )
        where = col.domain.text() if col.domain is not None else ""
        return self._error(
            "TABLE-INPUT",
            f"输入 {col.name} 的值 {_short(value)} 不在声明的取值范围 {where} 内",
            f"input {col.name} = {_short(value)} is outside its declared domain {where}",
        )

    def _value(self, outputs: tuple[Any, ...]) -> Any:
        if len(self.outputs) == 1:
            return outputs[0]
        return {col.name: value for col, value in zip(self.outputs, outputs, strict=True)}

    def _nothing(self, values: tuple[Any, ...]) -> TableResult:
        if self.default is not None:
            return TableResult(self.id, self._value(self.default), ())
        raise self._error(
            "TABLE-NO-MATCH",
            f"没有任何行匹配输入：{_show(self, values)}",
            f"no row matches the inputs: {_show(self, values)}",
        )

    def _collect(self, matched: list[Row]) -> TableResult:
        numbers = tuple(row.number for row in matched)
        aggregation = self.aggregation
        if aggregation is None:
            return TableResult(self.id, [self._value(row.outputs) for row in matched], numbers)
        if aggregation == "COUNT":
            return TableResult(self.id, len(matched), numbers)
        found = [row.outputs[0] for row in matched]
        if aggregation == "SUM":
            return TableResult(self.id, sum(found), numbers)
        if not found:
            return TableResult(self.id, None, numbers)
        return TableResult(self.id, min(found) if aggregation == "MIN" else max(found), numbers)

    def _error(self, code: str, zh: str, en: str) -> TableError:
        return TableError(Problem(code, zh, en, self.location, self.id))


def _numbers(rows: list[Row]) -> str:
    return ", ".join(str(row.number) for row in rows)


def _short(value: Any) -> str:
    text = show_value(value) if value is not None else "null"
    return text if len(text) <= 40 else text[:39] + "…"


def _show(table: DecisionTable, values: tuple[Any, ...]) -> str:
    return ", ".join(f"{col.name}={_short(v)}" for col, v in zip(table.inputs, values, strict=True))


def compile_matcher(tests: list[tuple[int, Callable[[Any], bool]]]) -> Matcher:
    """One closure testing a row's non-``-`` cells against the tuple of input values."""
    if not tests:
        return _always
    if len(tests) == 1:
        ((i, p),) = tests
        return lambda v: p(v[i])
    if len(tests) == 2:
        (i, p), (j, q) = tests
        return lambda v: p(v[i]) and q(v[j])
    if len(tests) == 3:
        (i, p), (j, q), (k, r) = tests
        return lambda v: p(v[i]) and q(v[j]) and r(v[k])
    frozen = tuple(tests)
    return lambda v: all(p(v[i]) for i, p in frozen)


def _always(values: tuple[Any, ...]) -> bool:
    return True


def _both(first: Callable[[Any], bool], second: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda x: first(x) and second(x)
