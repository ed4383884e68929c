"""Decision tables kept as CSV files — the spreadsheets policy staff already use.

A ``.csv`` file in a rulebook's ``tables/`` folder is one whole table (UTF-8; Excel's BOM is
fine; comma-separated)::

    #id,COMMITTED-LIMIT-BY-TYPE               ← optional; default: the file name without .csv
    #title_zh,按事项类型确定承诺时限上限
    #title_en,Committed-limit ceiling by item type
    #basis,《中华人民共和国行政许可法》第四十二条  ← required
    #hit_policy,UNIQUE                        ← optional; default UNIQUE
    #outputs,max_committed_days               ← required: which columns are outputs
    #domain:statutory_days,[0..60]            ← optional, per column (see below)
    item_type,statutory_days,max_committed_days    ← the header row
    immediate,-,0                             ← data rows: inputs are unary tests
    commitment,[1..20],15

Per-column rows: ``#type:<column>`` (number, string, date, bool; otherwise inferred: a column
is a number column when every cell is a numeric test, a date or bool column likewise, else
text), ``#domain:<column>`` (the input's possible values for the gap check: a list of values
or a closed range such as ``[0..60]``, ``>= 0``), ``#default:<output>`` (the output when no
row matches), ``#priority:<output>`` (its values, highest priority first). A row whose first
cell is ``#`` followed by a space is a comment.

The file is turned into the same data as a YAML table, with a source map from each value to
its CSV line and column, and compiled by :func:`~.build.table_from_spec_data`: every problem
names the CSV line (Location.line) and the 1-based column (Location.column) of its cell.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import attrs

from ..load.source import SourceMap, read_text
from ..problems import Location, Problem, has_errors
from .build import table_from_spec_data
from .csvlayout import Record, SheetReader
from .table import DecisionTable


def table_from_csv(path: Path, shown: str) -> tuple[DecisionTable | None, list[Problem]]:
    """Read and compile the CSV table at ``path`` (``shown`` is the path used in messages)."""
    text, problem = read_text(path, shown)
    if problem is not None:
        if problem.code == "FILE-UNREADABLE" and problem.line is not None:  # not UTF-8
            problem = attrs.evolve(
                problem,
                message_zh=problem.message_zh + "；请在 Excel 中另存为“CSV UTF-8（逗号分隔）”",
                message_en=problem.message_en
                + "; in Excel, save it as 'CSV UTF-8 (comma delimited)'",
            )
        return None, [problem]
    assert text is not None
    return table_from_csv_text(text, shown, path.stem)


def table_from_csv_text(
    text: str, shown: str, default_id: str
) -> tuple[DecisionTable | None, list[Problem]]:
    """Compile CSV text read from ``shown``; ``default_id`` serves when there is no ``#id`` row."""
    records, problems = _read_records(text, shown)
    if not records:
        return None, [p.with_rule(default_id) for p in problems]
    sheet = SheetReader(shown, default_id)
    data = sheet.read(records)
    problems = [*(p.with_rule(sheet.rule) for p in problems), *sheet.problems]
    if data is None:
        return None, problems
    table, found = table_from_spec_data(data, SourceMap(shown, sheet.positions), ())
    if sheet.missing_basis:  # already reported as a missing #basis row
        found = [p for p in found if p.code != "MISSING-BASIS"]
    problems += [sheet.explain(p) for p in found]
    return (None if has_errors(problems) else table), problems


def _read_records(text: str, shown: str) -> tuple[list[Record], list[Problem]]:
    """The non-blank records; on a CSV error, the records before it and the error."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[Record] = []
    last = 0
    try:
        for cells in reader:
            start, last = last + 1, reader.line_num
            stripped = tuple(c.strip() for c in cells)
            if any(stripped):
                records.append(Record(start, stripped))
    except csv.Error as exc:
        return records, [
            Problem(
                "CSV-FORMAT",
                f"CSV 格式错误（引号不成对或单元格过长？）：{exc}",
                f"malformed CSV (unbalanced quotes or an over-long cell?): {exc}",
                Location(shown, last + 1),
            )
        ]
    if not records:
        empty = Problem("CSV-FORMAT", "CSV 文件是空的", "the CSV file is empty", Location(shown, 1))
        return [], [empty]
    return records, []
