"""Importing an item list (事项清单) from a spreadsheet into item files.

:func:`read_catalog` reads a CSV file or an XLSX worksheet, one row per item, through the
column mapping (:mod:`.columns`) and the cell grammar (:mod:`.cells`), and validates each
row as an :class:`~fyrules.items.model.ItemSpec`. Every problem names its spreadsheet row
(``Location.line``) and 1-based column (``Location.column``), and the worksheet for XLSX.

:func:`import_catalog` does the whole job of ``fyrules import-catalog``: read, check the
codes against item files already in the output folder, and write ``items/<department>.yaml``
plus ``departments.yaml`` (:mod:`.itemfiles`) — nothing at all when a row is bad, unless
``partial`` is given, and no existing file replaced unless ``force`` is given.
``docs/import-catalog.md`` is the guide for policy staff.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from ...engine.load.model import is_identifier
from ...engine.load.source import KeyPath, SourceMap, display_path
from ...engine.load.validation import validate
from ...engine.problems import Lang, Problem, has_errors, sort_problems
from ...engine.testing.report import problems_report
from ..model import ItemSpec
from .cells import CellError, Reference, Vocabulary, baseline_vocabulary, is_no, read_cell
from .columns import Header, HeaderLookup, load_mapping, read_header
from .encodings import ENCODING_NAMES, known_encoding
from .itemfiles import (
    ImportedItem,
    catalog_files,
    existing_definitions,
    planned_paths,
    previous_departments,
    write_files,
)
from .sheets import Sheet, SheetRow, read_sheet

EXIT_OK, EXIT_BAD_ROWS, EXIT_CANNOT_RUN = 0, 1, 2


@attrs.frozen(slots=True)
class CatalogImport:
    """What one sheet holds: the items of its good rows, and every problem found.

    ``fatal`` means the import could not run at all (file missing or unreadable, no
    ``openpyxl``, a bad mapping file); ``bad_rows`` are the rows that gave no item."""

    items: tuple[ImportedItem, ...]
    problems: tuple[Problem, ...]
    sheet: Sheet | None = None
    header: Header | None = None
    bad_rows: tuple[int, ...] = ()
    fatal: bool = False

    @property
    def ok(self) -> bool:
        return not self.fatal and not has_errors(self.problems)


def read_catalog(
    path: str | Path,
    *,
    sheet_name: str | None = None,
    mapping: str | Path | None = None,
    encoding: str | None = None,
) -> CatalogImport:
    """Read the item list at ``path``. Never raises on bad input: problems say what is wrong.
    ``encoding`` (of a CSV file) is detected when not given (:mod:`.encodings`)."""
    path = Path(path)
    lookup = HeaderLookup.default()
    if mapping is not None:
        overrides, found = load_mapping(Path(mapping))
        if overrides is None:
            return CatalogImport((), tuple(found), fatal=True)
        lookup = lookup.with_overrides(overrides)
    if encoding is not None and known_encoding(encoding) is None:
        return CatalogImport(
            (),
            (
                Problem(
                    "IMPORT-ENCODING",
                    f"未知的编码：{encoding}；可用 utf-8、gb18030、big5",
                    f"unknown encoding: {encoding}; use utf-8, gb18030 or big5",
                ),
            ),
            fatal=True,
        )
    sheet, problems = read_sheet(
        path,
        display_path(path),
        sheet_name=sheet_name,
        encoding=known_encoding(encoding) if encoding is not None else None,
    )
    if sheet is None:
        return CatalogImport((), tuple(problems), fatal=True)
    if sheet.encoding is not None:
        name = ENCODING_NAMES.get(sheet.encoding, sheet.encoding)
        problems.append(
            Problem(
                "IMPORT-ENCODING",
                f"按 {name} 编码读取",
                f"read as {name}",
                sheet.locate(),
                severity="info",
            )
        )
    if not sheet.rows:
        problems.append(
            Problem("IMPORT-SHEET", "表是空的", "the sheet is empty", sheet.locate(), None)
        )
        return CatalogImport((), tuple(problems), sheet)
    header, found = read_header(sheet, lookup)
    problems.extend(found)
    if header is None:
        return CatalogImport((), tuple(sort_problems(problems)), sheet)
    rows = [r for r in sheet.rows if r.number > header.row]
    if not rows:
        problems.append(
            Problem(
                "IMPORT-SHEET",
                "表头下面没有事项",
                "there are no items below the header",
                sheet.locate(header.row),
            )
        )
    reader = _RowReader(sheet, header, baseline_vocabulary())
    items: list[ImportedItem] = []
    bad: list[int] = []
    for row in rows:
        item, found = reader.read(row)
        problems.extend(found)
        if item is None:
            bad.append(row.number)
        else:
            items.append(item)
    return CatalogImport(tuple(items), tuple(sort_problems(problems)), sheet, header, tuple(bad))


@attrs.define
class _RowReader:
    """Reads rows into items, remembering the codes seen (a repeated code is a bad row)."""

    sheet: Sheet
    header: Header
    vocabulary: Vocabulary
    seen: dict[str, int] = attrs.field(factory=dict)

    def read(self, row: SheetRow) -> tuple[ImportedItem | None, list[Problem]]:
        data: dict[str, Any] = {}
        positions: dict[KeyPath, tuple[int, int]] = {(): (row.number, 0)}
        names: list[tuple[str, str, str | None]] = []
        problems: list[Problem] = []
        code_column = self.header.column_of("code")
        code = row.cell(code_column).strip() if code_column else ""
        rule = code if is_identifier(code) else None
        for index, column in self.header.columns.items():
            if column.kind == "ignore":
                continue
            text = row.cell(index)
            try:
                value = read_cell(column.kind, text, self.vocabulary)
            except CellError as exc:
                problems.append(self._problem(row, index, exc.zh, exc.en, rule))
                continue
            if value is None or value == ():
                if column.required:
                    problems.append(
                        self._problem(row, index, "必填，不能为空", "required, but empty", rule)
                    )
                continue
            value = _references(value, column.field, names)
            _put(data, column.path, value)
            for depth in range(1, len(column.path) + 1):
                positions.setdefault(column.path[:depth], (row.number, index))
        for index, text in enumerate(row.cells, 1):
            if text and index not in self.header.columns and index not in self.header.texts:
                problems.append(
                    self._problem(
                        row,
                        index,
                        "此列没有表头，内容不会导入",
                        "this column has no header; not imported",
                        rule,
                    )
                )
        _fee_charged(data)
        item, found = validate(ItemSpec, data, SourceMap(self.sheet.path, positions), rule=rule)
        for p in found:
            if p.code == "MISSING-KEY" and p.column is None:
                continue  # a required cell left empty: reported above
            problems.append(self._problem(row, p.column, p.message_zh, p.message_en, rule))
        if code and code_column:
            problems.extend(self._repeated(row.number, code, code_column, rule))
        if problems or item is None:
            return None, problems
        return ImportedItem(
            row.number, item, tuple(names), self.sheet.locate(row.number, code_column)
        ), []

    def _repeated(self, row: int, code: str, column: int, rule: str | None) -> list[Problem]:
        """A problem when ``code`` was seen on an earlier row (whether that row was good)."""
        first = self.seen.setdefault(code, row)
        if first == row:
            return []
        label_zh, label_en = self._label(row, column)
        return [
            Problem(
                "IMPORT-DUPLICATE",
                f"{label_zh}：事项编码 “{code}” 与第 {first} 行重复",
                f"{label_en}: item code '{code}' repeats row {first}",
                self.sheet.locate(row, column),
                rule,
            )
        ]

    def _label(self, row: int, column: int | None) -> tuple[str, str]:
        header = self.header.texts.get(column, "") if column is not None else ""
        return self.sheet.cell_label(row, column, header)

    def _problem(
        self, row: SheetRow, column: int | None, zh: str, en: str, rule: str | None
    ) -> Problem:
        label_zh, label_en = self._label(row.number, column)
        return Problem(
            "IMPORT-CELL",
            f"{label_zh}：{zh}",
            f"{label_en}: {en}",
            self.sheet.locate(row.number, column),
            rule,
        )


def _references(value: Any, field: str, names: list[tuple[str, str, str | None]]) -> Any:
    """Ids in place of :class:`Reference` values; the names the sheet gives go to ``names``."""
    kind = "department" if field == "department" else "window"
    if isinstance(value, Reference):
        names.append((kind, value.id, value.name))
        return value.id
    if value and isinstance(value, tuple) and isinstance(value[0], Reference):
        names.extend((kind, ref.id, ref.name) for ref in value)
        return tuple(ref.id for ref in value)
    return value


def _put(data: dict[str, Any], path: Sequence[str], value: Any) -> None:
    for key in path[:-1]:
        data = data.setdefault(key, {})
    data[path[-1]] = value


def _fee_charged(data: dict[str, Any]) -> None:
    """Whether a fee is charged, when the sheet gives a standard but no 是否收费 cell."""
    fee = data.get("fee")
    if isinstance(fee, dict) and "charged" not in fee:
        standard = fee.get("standard")
        fee["charged"] = isinstance(standard, str) and not is_no(standard)


@attrs.frozen(slots=True)
class ImportOutcome:
    """What ``fyrules import-catalog`` did: the problems, the files written, the exit code."""

    catalog: CatalogImport
    problems: tuple[Problem, ...]
    written: tuple[str, ...] = ()
    fatal: bool = False
    out: str = ""

    @property
    def exit_code(self) -> int:
        if self.fatal:
            return EXIT_CANNOT_RUN
        return EXIT_BAD_ROWS if has_errors(self.problems) else EXIT_OK

    def report(self, fmt: str, *, lang: Lang = "both", target: str = "") -> str:
        """The problems in one of the report formats; ``json`` adds what was imported."""
        text = problems_report(self.problems, fmt, lang=lang, tool_target=target)
        if fmt == "text":
            return text + "\n" + self.summary(lang)
        if fmt == "json":
            doc = json.loads(text)
            sheet = self.catalog.sheet
            doc.update(
                sheet=sheet.name if sheet else None,
                encoding=sheet.encoding if sheet else None,
                items=len(self.catalog.items),
                bad_rows=list(self.catalog.bad_rows),
                written=list(self.written),
                exit_code=self.exit_code,
            )
            return json.dumps(doc, ensure_ascii=False, indent=2)
        return text

    def summary(self, lang: Lang = "both") -> str:
        """One line saying how many items were read and where they went."""
        n_items, n_bad = len(self.catalog.items), len(self.catalog.bad_rows)
        sheet = self.catalog.sheet
        source = sheet.label if sheet else ""
        if sheet is not None and sheet.encoding:
            source += f" ({ENCODING_NAMES.get(sheet.encoding, sheet.encoding)})"
        if self.fatal:
            zh, en = "未能完成导入，未写入任何文件", "the import could not run; nothing written"
        elif self.written:
            zh = f"{source}：{n_items} 个事项，{n_bad} 行有错；已写入 {self.out} 下 {len(self.written)} 个文件"
            en = f"{source}: {n_items} items, {n_bad} bad rows; {len(self.written)} files written to {self.out}"
        else:
            zh = f"{source}：{n_items} 个事项，{n_bad} 行有错；有错误，未写入任何文件（--partial 可写入无错的行）"
            en = f"{source}: {n_items} items, {n_bad} bad rows; nothing written because of errors (--partial writes the good rows)"
        return {"zh": zh, "en": en}.get(lang, f"{zh} / {en}")


def import_catalog(
    path: str | Path,
    out: str | Path,
    *,
    sheet_name: str | None = None,
    mapping: str | Path | None = None,
    partial: bool = False,
    force: bool = False,
    encoding: str | None = None,
) -> ImportOutcome:
    """Read the item list at ``path`` and write its items under ``out``. Never raises on bad
    input; the outcome's ``exit_code`` is 0 (all rows imported), 1 (bad rows) or 2 (could not
    run)."""
    out = Path(out)
    shown_out = display_path(out)
    catalog = read_catalog(path, sheet_name=sheet_name, mapping=mapping, encoding=encoding)
    if catalog.fatal:
        return ImportOutcome(catalog, catalog.problems, fatal=True, out=shown_out)
    targets = planned_paths(catalog.items, out)
    existing = existing_definitions(out, exclude=targets)
    problems = list(catalog.problems)
    items = []
    for imported in catalog.items:
        where = existing.items.get(imported.item.code)
        if where is None:
            items.append(imported)
            continue
        problems.append(
            Problem(
                "IMPORT-DUPLICATE",
                f"第 {imported.row} 行：事项编码 “{imported.item.code}” 已在 {where} 中定义",
                f"row {imported.row}: item code '{imported.item.code}' is already defined at {where}",
                imported.location,
                imported.item.code,
            )
        )
    kept = {i.row for i in items}
    bad_rows = tuple(
        sorted({*catalog.bad_rows, *(i.row for i in catalog.items if i.row not in kept)})
    )
    catalog = attrs.evolve(catalog, items=tuple(items), bad_rows=bad_rows)
    problems = sort_problems(problems)
    if not items or (has_errors(problems) and not partial):
        return ImportOutcome(catalog, tuple(problems), out=shown_out)
    source = catalog.sheet.label if catalog.sheet else ""
    files = catalog_files(items, existing, source=source, previous=previous_departments(out))
    written, found, fatal = write_files(files, out, force=force)
    return ImportOutcome(catalog, tuple([*problems, *found]), written, fatal, shown_out)
