"""The layout of a CSV decision table: metadata rows, the header row, data rows.

:class:`SheetReader` turns the records of a CSV file (see :mod:`.csvfile` for the layout) into
the data of a YAML table entry, plus a map from each value to its CSV line and column, so that
:func:`~.build.table_from_spec_data` can compile it and place every problem in the file.
"""

from __future__ import annotations

from typing import Any

import attrs

from ..load.source import KeyPath
from ..problems import Location, Problem
from ..suggest import hint
from .csvcolumns import DomainError, domain_entry, infer_type, split_values
from .values import COLUMN_TYPES

_KEYS = ("id", "title_zh", "title_en", "basis", "hit_policy", "aggregation", "outputs")
_COLUMN_KEYS = ("type", "domain", "default", "priority")
_OUTPUT_ONLY = ("default", "priority")


@attrs.frozen(slots=True)
class Record:
    """One non-blank CSV record: the line it starts on and its cells, stripped."""

    number: int
    cells: tuple[str, ...]

    def values(self) -> tuple[str, ...]:
        """The cells after the first, trailing empty ones dropped (Excel pads rows)."""
        rest = list(self.cells[1:])
        while rest and not rest[-1]:
            rest.pop()
        return tuple(rest)


def _is_comment(first: str) -> bool:
    return first == "#" or first[1:2].isspace() or first.startswith("##")


class SheetReader:
    """Turns CSV records into the data of a YAML table entry and a map of their positions."""

    def __init__(self, shown: str, default_id: str):
        self.shown = shown
        self.default_id = default_id
        self.rule: str | None = None
        self.problems: list[Problem] = []
        self.positions: dict[KeyPath, tuple[int, int]] = {}
        self.meta: dict[str, Record] = {}
        self.per_column: dict[tuple[str, str], Record] = {}
        self.missing_basis = False
        self.header: tuple[str, ...] = ()
        self.header_line = 0
        self.guessed: dict[str, str] = {}  # columns typed by most (not all) of their cells

    def fail(self, code: str, zh: str, en: str, line: int, column: int | None = 1) -> None:
        where = Location(self.shown, line, column)
        self.problems.append(Problem(code, zh, en, where, self.rule))

    def read(self, lines: list[Record]) -> dict[str, Any] | None:
        at = 0
        while at < len(lines) and lines[at].cells[0].startswith("#"):
            self.metadata(lines[at])
            at += 1
        self.rule = self.scalar("id") or self.default_id
        self.problems = [p.with_rule(self.rule) for p in self.problems]
        if at == len(lines):
            self.fail(
                "CSV-FORMAT",
                "缺少表头行（列名）",
                "the header row (column names) is missing",
                lines[-1].number + 1,
                None,
            )
            return None
        header_ok = self.read_header(lines[at])
        rows = []
        for line in lines[at + 1 :]:
            first = line.cells[0]
            if not first.startswith("#"):
                rows.append(line)
            elif not _is_comment(first):
                self.fail(
                    "CSV-FORMAT",
                    f"{first} 行必须放在表头行之上",
                    f"the {first} row must come above the header row",
                    line.number,
                )
        outputs = self.outputs()
        if not header_ok or outputs is None:
            return None
        self.positions[()] = (lines[0].number, 1)
        data = self.top()
        self.check_column_rows(outputs)
        body = self.rows(rows)
        inputs = [n for n in self.header if n not in outputs]
        outs = [n for n in self.header if n in outputs]
        data["inputs"] = [self.column("inputs", i, n, body) for i, n in enumerate(inputs)]
        data["outputs"] = [self.column("outputs", j, n, body) for j, n in enumerate(outs)]
        data["rows"] = body
        if (default := self.defaults(outs)) is not None:
            data["default"] = default
        return data

    # --- the rows above the header ---------------------------------------------------

    def metadata(self, line: Record) -> None:
        first = line.cells[0]
        if _is_comment(first):
            return
        key, _, column = first[1:].strip().partition(":")
        key, column = key.strip().lower(), column.strip()
        if key not in (_COLUMN_KEYS if column else _KEYS):
            zh_hint, en_hint = hint(key, [*_KEYS, *(f"{k}:" for k in _COLUMN_KEYS)])
            self.fail(
                "CSV-FORMAT",
                f"未知的元数据行 “{first}”{zh_hint}",
                f"unknown metadata row '{first}'{en_hint}",
                line.number,
            )
            return
        earlier = self.per_column.get((key, column)) if column else self.meta.get(key)
        if earlier is not None:
            self.fail(
                "CSV-FORMAT",
                f"{first} 行重复（首次出现于第 {earlier.number} 行）",
                f"the {first} row appears twice (first at line {earlier.number})",
                line.number,
            )
        elif column:
            self.per_column[(key, column)] = line
        else:
            self.meta[key] = line

    def scalar(self, key: str) -> str | None:
        line = self.meta.get(key)
        if line is None:
            return None
        values = line.values()
        if len(values) > 1:
            self.fail(
                "CSV-FORMAT",
                f"#{key} 只能有一个值；含逗号的文字请加双引号",
                f"#{key} takes one value; put text that contains commas in double quotes",
                line.number,
                len(values) + 1,
            )
        return values[0] if values and values[0] else None

    def read_header(self, line: Record) -> bool:
        names = list(line.cells)
        while names and not names[-1]:
            names.pop()
        self.header = tuple(names)
        self.header_line = line.number
        seen: dict[str, int] = {}
        for col, name in enumerate(names, 1):
            if not name:
                self.fail(
                    "CSV-FORMAT",
                    f"表头第 {col} 列没有列名",
                    f"column {col} of the header has no name",
                    line.number,
                    col,
                )
            elif name in seen:
                self.fail(
                    "DUPLICATE-ID",
                    f"列名 “{name}” 重复（第 {seen[name]} 列已有）",
                    f"column name '{name}' appears twice (also column {seen[name]})",
                    line.number,
                    col,
                )
            seen.setdefault(name, col)
        return len(seen) == len(names) and "" not in seen

    def outputs(self) -> list[str] | None:
        line = self.meta.get("outputs")
        if line is None:
            self.fail(
                "CSV-FORMAT",
                "缺少 #outputs 行：请在表头上方写明哪些列是输出，如 #outputs,max_days",
                "the #outputs row is missing: above the header, name the output columns, "
                "e.g. #outputs,max_days",
                1,
            )
            return None
        names = [name for cell in line.values() for name in split_values(cell)]
        bad = [n for n in names if n not in self.header]
        for name in bad:
            zh_hint, en_hint = hint(name, self.header)
            self.fail(
                "CSV-FORMAT",
                f"#outputs 中的 “{name}” 不是表头中的列{zh_hint}",
                f"'{name}' in #outputs is not a column of the header{en_hint}",
                line.number,
                2,
            )
        names = [n for n in names if n not in bad]
        if not names and not bad:
            self.fail(
                "CSV-FORMAT", "#outputs 行没有列名", "the #outputs row names no column", line.number
            )
        if names and set(names) >= set(self.header):
            self.fail(
                "CSV-FORMAT",
                "所有列都是输出；决策表至少需要一个输入列",
                "every column is an output; a table needs at least one input column",
                line.number,
                2,
            )
            return None
        return names or None

    def top(self) -> dict[str, Any]:
        """The table-wide keys: id, basis, hit policy, aggregation, title."""
        data: dict[str, Any] = {"id": self.rule}
        self.place(("id",), "id")
        for key in ("basis", "hit_policy", "aggregation"):
            value = self.scalar(key)
            self.place((key,), key)
            if value is not None:
                data[key] = value
        if "basis" not in data:
            self.missing_basis = True
            data["basis"] = ""  # so that the cells are still checked
            self.fail(
                "MISSING-BASIS",
                "缺少 #basis 行（法律或政策依据）",
                "the #basis row (legal or policy basis) is missing",
                self.positions[()][0],
            )
        zh, en = self.scalar("title_zh"), self.scalar("title_en")
        if zh or en:
            data["title"] = {"zh": zh or en, **({"en": en} if en else {})}
            self.place(("title", "zh"), "title_zh")
            self.place(("title", "en"), "title_en")
        return data

    def place(self, keys: KeyPath, meta_key: str) -> None:
        line = self.meta.get(meta_key)
        if line is not None:
            self.positions[keys] = (line.number, 2)

    def check_column_rows(self, outputs: list[str]) -> None:
        for (key, column), line in self.per_column.items():
            if column not in self.header:
                zh_hint, en_hint = hint(column, self.header)
                self.fail(
                    "CSV-FORMAT",
                    f"#{key}:{column} 中的 “{column}” 不是表头中的列{zh_hint}",
                    f"'{column}' in #{key}:{column} is not a column of the header{en_hint}",
                    line.number,
                )
            elif key in _OUTPUT_ONLY and column not in outputs:
                self.fail(
                    "CSV-FORMAT",
                    f"#{key} 只能用于输出列，{column} 是输入列",
                    f"#{key} applies to output columns only; {column} is an input",
                    line.number,
                )
            elif key == "domain" and column in outputs:
                self.fail(
                    "CSV-FORMAT",
                    f"#domain 只能用于输入列，{column} 是输出列",
                    f"#domain applies to input columns only; {column} is an output",
                    line.number,
                )

    # --- the header and the rows below it ----------------------------------------------

    def rows(self, lines: list[Record]) -> list[dict[str, str]]:
        width = len(self.header)
        body: list[dict[str, str]] = []
        for line in lines:
            cells = list(line.cells)
            while len(cells) > width and not cells[-1]:
                cells.pop()
            if len(cells) != width:
                plural = "s" if len(cells) != 1 else ""
                self.fail(
                    "TABLE-SHAPE",
                    f"这一行有 {len(cells)} 个单元格，表头有 {width} 列",
                    f"this row has {len(cells)} cell{plural} but the header has {width} columns",
                    line.number,
                    min(len(cells), width) + 1,
                )
                continue
            r = len(body)
            self.positions[("rows", r)] = (line.number, 1)
            for col, name in enumerate(self.header, 1):
                self.positions[("rows", r, name)] = (line.number, col)
            body.append(dict(zip(self.header, cells, strict=True)))
        return body

    def column(
        self, kind: str, index: int, name: str, body: list[dict[str, str]]
    ) -> dict[str, Any]:
        """One entry of ``inputs`` or ``outputs``: name, type, and domain or priority."""
        where = (self.header_line, self.header.index(name) + 1)
        for sub in ((), ("name",), ("type",)):
            self.positions[(kind, index, *sub)] = where
        spec: dict[str, Any] = {"name": name}
        is_input = kind == "inputs"
        extra = self.listed("domain" if is_input else "priority", name)
        if not is_input and (line := self.per_column.get(("default", name))) is not None:
            extra += line.values()[:1]
        if (line := self.per_column.get(("type", name))) is not None:
            declared = line.values()
            spec["type"] = declared[0].lower() if declared else ""
            self.positions[(kind, index, "type")] = (line.number, 2)
        else:
            spec["type"], unanimous = infer_type([*(row[name] for row in body), *extra], is_input)
            if not unanimous:
                self.guessed[name] = spec["type"]
        if not is_input and (line := self.per_column.get(("priority", name))) is not None:
            spec["priority"] = self.listed("priority", name)
            self.positions[(kind, index, "priority")] = (line.number, 2)
        line = self.per_column.get(("domain", name)) if is_input else None
        if line is not None and spec["type"] in COLUMN_TYPES:
            self.domain(spec, index, line)
        return spec

    def listed(self, key: str, name: str) -> list[str]:
        line = self.per_column.get((key, name))
        if line is None:
            return []
        if key == "priority":
            return [v for cell in line.values() for v in split_values(cell)]
        return [v for v in line.values() if v]

    def domain(self, spec: dict[str, Any], index: int, line: Record) -> None:
        cells = [(col, cell) for col, cell in enumerate(line.cells[1:], 2) if cell]
        try:
            entry = domain_entry(cells, spec["type"])
        except DomainError as exc:
            self.fail(
                "INVALID-VALUE",
                f"#domain:{spec['name']}：{exc.zh}",
                f"#domain:{spec['name']}: {exc.en}",
                line.number,
                exc.column,
            )
            return
        if entry is not None:
            spec.update(entry)
            for key in ("values", "range"):
                self.positions[("inputs", index, key)] = (line.number, 2)

    def defaults(self, outputs: list[str]) -> dict[str, str] | None:
        found = {
            c: line for (k, c), line in self.per_column.items() if k == "default" and c in outputs
        }
        if not found:
            return None
        default: dict[str, str] = {}
        for column, line in found.items():
            values = line.values()
            default[column] = values[0] if values else ""
            self.positions[("default", column)] = (line.number, 2)
            self.positions.setdefault(("default",), (line.number, 2))
        return default

    def explain(self, problem: Problem) -> Problem:
        """A bad cell in a column whose type was guessed says how to set the type."""
        column = problem.column
        if problem.code != "TABLE-CELL" or column is None or column > len(self.header):
            return problem
        name = self.header[column - 1]
        guessed = self.guessed.get(name)
        if guessed is None:
            return problem
        return attrs.evolve(
            problem,
            message_zh=f"{problem.message_zh}（{name} 列按多数单元格推断为 {guessed}；"
            f"若应为文本，请在表头上方加一行 #type:{name},string）",
            message_en=f"{problem.message_en} (most cells of {name} read as {guessed}; if it "
            f"is text, add a row #type:{name},string above the header)",
        )
