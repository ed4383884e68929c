"""Reading the rows of a decision table: every cell for its column's type, every problem at
its own cell.

A row is a list in column order (inputs, then outputs) or a mapping by column name, where an
input left out means ``-``. Each input cell becomes a :class:`~.cells.Cell` with its predicate,
and the row one matcher over them (see :class:`~.table.Row`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..load.source import KeyPath, SourceMap
from ..problems import Location
from ..suggest import hint
from .cells import Cell, CellError, make_cell, parse_input, parse_output
from .sets import ValueSet
from .table import InputColumn, OutputColumn, Row

Report = Callable[[str, str, str, Location], None]


class RowReader:
    """Reads rows against the table's columns; problems go to ``report`` (code, zh, en, where)."""

    def __init__(
        self,
        inputs: tuple[InputColumn, ...],
        outputs: tuple[OutputColumn, ...],
        source: SourceMap,
        keys: KeyPath,
        report: Report,
    ):
        self.inputs = inputs
        self.outputs = outputs
        self.source = source
        self.keys = keys
        self.report = report
        self.failed = False

    def read(self, raws: list[Any]) -> tuple[Row, ...]:
        """The rows that read cleanly (the others have been reported)."""
        rows = (self.row(n, raw) for n, raw in enumerate(raws, 1))
        return tuple(row for row in rows if row is not None)

    def at(self, *sub: str | int) -> Location:
        return self.source.locate((*self.keys, *sub))

    def fail(self, code: str, zh: str, en: str, where: Location) -> None:
        self.failed = True
        self.report(code, zh, en, where)

    def row(self, n: int, raw: Any) -> Row | None:
        inputs, outputs = self.inputs, self.outputs
        where: KeyPath = ("rows", n - 1)
        cells_raw = self.row_cells(n, raw)
        if cells_raw is None:
            return None
        self.failed = False
        cells: list[Cell] = []
        for i, col in enumerate(inputs):
            key, value = cells_raw[i]
            cell = self.input_cell(n, col, value, (*where, key) if key is not None else where)
            if cell is not None:
                cells.append(cell)
        values: list[Any] = []
        for j, out in enumerate(outputs):
            key, value = cells_raw[len(inputs) + j]
            # an output's key is never None: a mapping row without it was refused above
            values.append(
                self.output_cell(n, out, value, (*where, key) if key is not None else where)
            )
        if self.failed:
            return None
        return Row(
            n,
            tuple(cells),
            tuple(values),
            self.at(*where),
            _rank(values, outputs),
        )

    def row_cells(self, n: int, raw: Any) -> list[tuple[str | int | None, Any]] | None:
        """``(key, raw cell)`` for each column in order; ``None`` after reporting a bad shape."""
        names = [c.name for c in self.inputs] + [c.name for c in self.outputs]
        if isinstance(raw, list):
            if len(raw) != len(names):
                self.fail(
                    "TABLE-SHAPE",
                    f"第 {n} 行有 {len(raw)} 个单元格，表头有 {len(names)} 列"
                    f"（{', '.join(names)}）",
                    f"row {n} has {len(raw)} cells but the table has {len(names)} columns "
                    f"({', '.join(names)})",
                    self.at("rows", n - 1),
                )
                return None
            return list(enumerate(raw))
        assert isinstance(raw, dict)  # the model allows lists and mappings only
        ok = True
        for key in raw:
            if key not in names:
                zh_hint, en_hint = hint(str(key), names)
                self.fail(
                    "UNKNOWN-KEY",
                    f"第 {n} 行：没有名为 “{key}” 的列{zh_hint}",
                    f"row {n}: there is no column '{key}'{en_hint}",
                    self.source.key_location((*self.keys, "rows", n - 1, key)),
                )
                ok = False
        for col in self.outputs:
            if col.name not in raw:
                self.fail(
                    "TABLE-SHAPE",
                    f"第 {n} 行缺少输出 {col.name} 的值",
                    f"row {n} gives no value for the output {col.name}",
                    self.at("rows", n - 1),
                )
                ok = False
        if not ok:
            return None
        return [(name, raw.get(name)) if name in raw else (None, None) for name in names]

    def input_cell(self, n: int, col: InputColumn, raw: Any, where: KeyPath) -> Cell | None:
        try:
            test = parse_input(raw, col.type)
        except CellError as exc:
            self.cell_problem(n, col.name, exc.zh, exc.en, where)
            return None
        declared = col.domain
        if isinstance(test, ValueSet) and isinstance(declared, ValueSet) and not declared.negated:
            outside = sorted((v for v in test.values if v not in declared.values), key=str)
            if outside:
                allowed = sorted(str(v) for v in declared.values)
                zh_hint, en_hint = hint(str(outside[0]), allowed)
                self.cell_problem(
                    n,
                    col.name,
                    f"“{outside[0]}” 不在 {col.name} 声明的取值 values 中{zh_hint}",
                    f"'{outside[0]}' is not one of the declared values of {col.name}{en_hint}",
                    where,
                )
                return None
        return make_cell(raw, test, self.at(*where))

    def output_cell(self, n: int, col: OutputColumn, raw: Any, where: KeyPath) -> Any:
        try:
            value = parse_output(raw, col.type)
        except CellError as exc:
            self.cell_problem(n, col.name, exc.zh, exc.en, where)
            return None
        if col.priority is not None and value not in col.priority:
            listed = ", ".join(str(v) for v in col.priority)
            self.cell_problem(
                n,
                col.name,
                f"输出值 “{value}” 不在 priority 列表（{listed}）中",
                f"the output '{value}' is not in the priority list ({listed})",
                where,
            )
        return value

    def cell_problem(self, n: int, column: str, zh: str, en: str, where: KeyPath) -> None:
        self.fail(
            "TABLE-CELL",
            f"第 {n} 行 {column} 列：{zh}",
            f"row {n}, column {column}: {en}",
            self.at(*where),
        )


def _rank(values: list[Any], outputs: tuple[OutputColumn, ...]) -> tuple[int, ...]:
    """A row's place under PRIORITY: the index of each prioritised output value."""
    return tuple(
        col.priority.index(v) if v in col.priority else len(col.priority)
        for col, v in zip(outputs, values, strict=True)
        if col.priority is not None
    )
