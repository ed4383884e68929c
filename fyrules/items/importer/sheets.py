"""Reading an item list (事项清单) from a CSV file or an XLSX worksheet as rows of text.

Service centers keep their item lists in spreadsheets. A CSV file is read as UTF-8 (with or
without Excel's BOM), GB18030 or Big5 (:mod:`.encodings` detects which, and an ambiguous file
is an error asking for ``--encoding``); :attr:`Sheet.encoding` says which one was used. An
XLSX workbook is read with ``openpyxl`` (the optional extra ``fyrules[xlsx]``); its first
worksheet unless a name is given.

Every cell becomes text, so one cell grammar reads both kinds of file. Row numbers are the
ones a spreadsheet shows: for CSV the record number (a cell holding a line break does not
start a new row), for XLSX the sheet's own row number. Blank rows are dropped.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import attrs

from ...engine.load.source import MAX_FILE_BYTES
from ...engine.problems import Location, Problem
from ...engine.suggest import hint
from .encodings import EncodingUnknown, detect
from .zipguard import xlsx_bomb_problem

MAX_ROWS = 100_000
XLSX_SUFFIXES = (".xlsx", ".xlsm")


@attrs.frozen(slots=True)
class SheetRow:
    """One non-blank row: its spreadsheet row number and the text of its cells (stripped)."""

    number: int
    cells: tuple[str, ...]

    def cell(self, column: int) -> str:
        """The text of the 1-based ``column`` (empty past the last cell)."""
        return self.cells[column - 1] if 0 < column <= len(self.cells) else ""


@attrs.frozen(slots=True)
class Sheet:
    """The rows of one item list, and where they came from."""

    path: str
    rows: tuple[SheetRow, ...]
    name: str | None = None
    encoding: str | None = None

    @property
    def label(self) -> str:
        """How output files name their source: the file name, and the worksheet for XLSX."""
        base = Path(self.path).name
        return f"{base}[{self.name}]" if self.name is not None else base

    def locate(self, row: int | None = None, column: int | None = None) -> Location:
        return Location(self.path, row, column)

    def cell_label(self, row: int, column: int | None, header: str = "") -> tuple[str, str]:
        """How messages name a cell, in Chinese and English: ``工作表「事项」第 5 行 E 列「承诺时限」``
        / ``sheet '事项', row 5, column E (承诺时限)``; the worksheet only for XLSX."""
        zh = f"工作表「{self.name}」" if self.name is not None else ""
        en = f"sheet '{self.name}', " if self.name is not None else ""
        zh += f"第 {row} 行"
        en += f"row {row}"
        if column is not None:
            letter = column_letter(column)
            zh += f" {letter} 列" + (f"「{header}」" if header else "")
            en += f", column {letter}" + (f" ({header})" if header else "")
        return zh, en


def column_letter(column: int) -> str:
    """The spreadsheet name of a 1-based column: 1 → A, 27 → AA."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read_sheet(
    path: Path, shown: str, *, sheet_name: str | None = None, encoding: str | None = None
) -> tuple[Sheet | None, list[Problem]]:
    """The rows of the CSV file or XLSX worksheet at ``path``; ``None`` and the problems when
    it cannot be read at all (missing, undecodable, no such worksheet, no ``openpyxl``)."""
    suffix = path.suffix.lower()
    if suffix == ".xls":
        return None, [
            _sheet_problem(
                "旧版 .xls 格式无法读取，请在 Excel 中另存为 .xlsx 或“CSV UTF-8”",
                "the old .xls format cannot be read; save it as .xlsx or 'CSV UTF-8' in Excel",
                shown,
            )
        ]
    if not path.is_file():
        what = ("不是文件", "not a file") if path.exists() else ("文件不存在", "file not found")
        return None, [Problem("FILE-NOT-FOUND", what[0], what[1], Location(shown))]
    if suffix in XLSX_SUFFIXES:
        return _read_xlsx(path, shown, sheet_name)
    if sheet_name is not None:
        return None, [
            _sheet_problem(
                "CSV 文件只有一张表，--sheet 只用于 .xlsx 文件",
                "a CSV file holds one sheet; --sheet is for .xlsx files",
                shown,
            )
        ]
    return _read_csv(path, shown, encoding)


def _sheet_problem(zh: str, en: str, shown: str, line: int | None = None) -> Problem:
    return Problem("IMPORT-SHEET", zh, en, Location(shown, line))


def _read_csv(
    path: Path, shown: str, encoding: str | None = None
) -> tuple[Sheet | None, list[Problem]]:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None, [
                _sheet_problem(
                    f"文件超过 {MAX_FILE_BYTES} 字节的上限",
                    f"the file is larger than the limit of {MAX_FILE_BYTES} bytes",
                    shown,
                )
            ]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [
            Problem(
                "FILE-UNREADABLE",
                f"无法读取文件：{exc.strerror}",
                f"cannot read file: {exc.strerror}",
                Location(shown),
            )
        ]
    text, encoding, problem = _decode(raw, shown, encoding)
    if problem is not None or text is None:
        return None, [problem] if problem is not None else []
    rows, problems = _csv_rows(text, shown)
    if rows is None:
        return None, problems
    return Sheet(shown, rows, encoding=encoding), problems


def _decode(
    raw: bytes, shown: str, given: str | None
) -> tuple[str | None, str | None, Problem | None]:
    """The text, the encoding that read it (``given``, else detected among UTF-8, GB18030
    and Big5: :mod:`.encodings`), or the problem: undecodable, or ambiguous."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" is UTF-16
        return None, None, _unreadable(shown)
    if given is not None:
        try:
            return raw.decode(given), given, None
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            return (
                None,
                None,
                Problem(
                    "IMPORT-ENCODING",
                    f"按 {given} 编码无法读取（第 {exc.start} 字节）；请确认 --encoding",
                    f"cannot be read as {given} (byte {exc.start}); check --encoding",
                    Location(shown, line),
                ),
            )
    try:
        text, encoding = detect(raw)
    except EncodingUnknown as unknown:
        if not unknown.candidates:
            return None, None, _unreadable(shown)
        options = " 或 ".join(f"--encoding {c}" for c in unknown.candidates)
        options_en = " or ".join(f"--encoding {c}" for c in unknown.candidates)
        return (
            None,
            None,
            Problem(
                "IMPORT-ENCODING",
                f"无法确定编码：文件既可按 {'、'.join(unknown.candidates)} 读取；请用 {options} 指明",
                f"the encoding is ambiguous: the file reads as {', '.join(unknown.candidates)}; "
                f"say which with {options_en}",
                Location(shown),
            ),
        )
    return text, encoding, None


def _unreadable(shown: str) -> Problem:
    return Problem(
        "FILE-UNREADABLE",
        "不是 UTF-8、GB18030 或 Big5 编码；请在 Excel 中另存为“CSV UTF-8（逗号分隔）”",
        "not UTF-8, GB18030 or Big5; in Excel, save it as 'CSV UTF-8 (comma delimited)'",
        Location(shown),
    )


def _csv_rows(text: str, shown: str) -> tuple[tuple[SheetRow, ...] | None, list[Problem]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[SheetRow] = []
    number = 0
    try:
        for cells in reader:
            number += 1  # a blank line is an empty row in a spreadsheet too
            row = _row(number, cells)
            if row is not None:
                rows.append(row)
                if len(rows) > MAX_ROWS:
                    return None, [_too_many(shown, number)]
    except csv.Error as exc:
        return None, [
            _sheet_problem(
                f"CSV 格式错误（引号不成对或单元格过长？）：{exc}",
                f"malformed CSV (unbalanced quotes or an over-long cell?): {exc}",
                shown,
                number + 1,
            )
        ]
    return tuple(rows), []


def _too_many(shown: str, number: int) -> Problem:
    return _sheet_problem(
        f"表中超过 {MAX_ROWS} 行，请拆分后分别导入",
        f"the sheet has more than {MAX_ROWS} rows; split it and import the parts",
        shown,
        number,
    )


def _row(number: int, values: Any) -> SheetRow | None:
    cells = [_text(v) for v in values]
    while cells and not cells[-1]:
        cells.pop()
    return SheetRow(number, tuple(cells)) if cells else None


def _text(value: Any) -> str:
    """A cell's value as text: numbers without a spurious ``.0``, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _read_xlsx(
    path: Path, shown: str, sheet_name: str | None
) -> tuple[Sheet | None, list[Problem]]:
    try:
        import openpyxl
    except ImportError:
        return None, [
            Problem(
                "IMPORT-XLSX",
                "读取 .xlsx 需要 openpyxl：pip install 'fyrules[xlsx]'（或另存为 CSV）",
                "reading .xlsx needs openpyxl: pip install 'fyrules[xlsx]' (or save the sheet as CSV)",
                Location(shown),
            )
        ]
    bomb = xlsx_bomb_problem(path, shown)  # before anything is inflated
    if bomb is not None:
        return None, [bomb]
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # a damaged or hostile file: openpyxl raises many kinds
        return None, [
            Problem(
                "FILE-UNREADABLE",
                f"不是有效的 .xlsx 文件（{type(exc).__name__}）",
                f"not a valid .xlsx file ({type(exc).__name__})",
                Location(shown),
            )
        ]
    try:
        return _xlsx_rows(book, shown, sheet_name)
    except Exception as exc:  # damage found only while reading cells
        return None, [
            Problem(
                "FILE-UNREADABLE",
                f"读取 .xlsx 时出错（{type(exc).__name__}）",
                f"the .xlsx file could not be read ({type(exc).__name__})",
                Location(shown),
            )
        ]
    finally:
        book.close()


def _xlsx_rows(book: Any, shown: str, sheet_name: str | None) -> tuple[Sheet | None, list[Problem]]:
    sheets = {ws.title: ws for ws in book.worksheets}
    if not sheets:
        return None, [_sheet_problem("工作簿中没有工作表", "the workbook has no worksheet", shown)]
    if sheet_name is None:
        sheet_name = next(iter(sheets))
    elif sheet_name not in sheets:
        zh_hint, en_hint = hint(sheet_name, sheets)
        names = "、".join(sheets)
        return None, [
            _sheet_problem(
                f"没有名为「{sheet_name}」的工作表{zh_hint}；现有：{names}",
                f"no worksheet named '{sheet_name}'{en_hint}; there are: {', '.join(sheets)}",
                shown,
            )
        ]
    rows: list[SheetRow] = []
    for number, values in enumerate(sheets[sheet_name].iter_rows(min_row=1, values_only=True), 1):
        row = _row(number, values)
        if row is not None:
            rows.append(row)
            if len(rows) > MAX_ROWS:
                return None, [_too_many(shown, number)]
    return Sheet(shown, tuple(rows), name=sheet_name), []
