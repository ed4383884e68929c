"""The column mapping of item lists: which spreadsheet header fills which item field.

:data:`COLUMNS` holds the headers service centers write (事项编码, 承诺时限 …) and English
aliases for each field of :class:`~fyrules.items.model.ItemSpec`; ``docs/import-catalog.md``
shows it as a table. Headers match loosely: full-width and half-width forms alike, case,
spaces, ``_``, ``-`` and a required-field star (``*事项名称``) ignored, and a trailing unit in
brackets (``承诺时限（工作日）``) dropped when the header is not known with it.

A mapping file (``--mapping FILE``) adds or replaces headers: a YAML mapping from a header to
a field name, a known header, or ``ignore``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path

import attrs

from ...engine.load.source import display_path, read_yaml
from ...engine.problems import Location, Problem
from ...engine.suggest import hint
from .sheets import Sheet


@attrs.frozen(slots=True)
class Column:
    """One importable field: the header the docs show, other headers, and its cell grammar."""

    field: str
    header: str
    aliases: tuple[str, ...]
    kind: str
    required: bool = False

    @property
    def path(self) -> tuple[str, ...]:
        """Where the value goes in an item's data: ``fee.charged`` → ``("fee", "charged")``."""
        return ("name", "zh") if self.field == "name" else tuple(self.field.split("."))


def _col(field: str, header: str, kind: str, *aliases: str, required: bool = False) -> Column:
    return Column(field, header, (field, *aliases), kind, required)


# kind names the cell grammar in cells.py; docs/import-catalog.md documents each.
COLUMNS: tuple[Column, ...] = (
    _col("code", "事项编码", "text", "事项代码", "事项编号", "item_code", required=True),
    _col("name", "事项名称", "text", "item_name", required=True),
    _col("name.en", "英文名称", "text", "事项英文名称", "name_en", "english_name"),
    _col("department", "实施部门", "reference", "实施机关", "dept", required=True),
    _col("window", "受理窗口", "reference", "窗口"),
    _col("type", "办件类型", "case_type", "办件类别", "case_type", required=True),
    _col("section", "责任科室", "text", "承办科室", "responsible_section"),
    _col("legal_basis", "设定依据", "text", "法律依据", "basis"),
    _col("conditions", "申请条件", "lines", "受理条件", "application_conditions"),
    _col("procedure", "办理流程", "steps", "办理程序", "procedure_steps"),
    _col("statutory_days", "法定时限", "days", "法定办结时限", "statutory_limit"),
    _col("statutory_basis", "法定时限依据", "text", "statutory_limit_basis"),
    _col("committed_days", "承诺时限", "days", "承诺办结时限", "承诺期限", "committed_limit"),
    _col("committed_hours", "承诺时限（小时）", "hours", "承诺小时", "承诺工作小时"),
    _col("special_procedures", "特殊环节", "procedures", "特别程序"),
    _col("materials", "申请材料", "materials", "申报材料"),
    _col("fee.charged", "是否收费", "yes_no", "fee_charged", "charged"),
    _col("fee.standard", "收费标准", "text", "fee_standard"),
    _col("fee.basis", "收费依据", "text", "fee_basis"),
    _col("form.name", "申请表格", "text", "申请表", "form", "form_name", "application_form"),
    _col("form.url", "表格下载地址", "text", "表格地址", "form_url"),
    _col("consult_phone", "咨询电话", "text", "consultation_phone"),
    _col("complaint_phone", "投诉电话", "text", "监督电话", "监督投诉电话"),
    _col("online", "网上办理", "online", "网办深度", "online_level"),
    _col("authorization", "审批权限", "authorization", "授权"),
    _col("category", "事项类别", "category", "事项分类", "权力类型"),
    _col("one_review_one_approval", "一审一核", "yes_no", "是否一审一核"),
    _col("centralized", "是否进驻", "yes_no", "进驻中心", "是否进驻中心"),
    _col("green_channel", "绿色通道", "yes_no", "是否绿色通道"),
    _col("depends_on", "前置事项", "codes", "前置审批", "prerequisites"),
    _col("parallel_group", "并联组", "text", "并联审批组"),
    _col("lead_window", "主办窗口", "reference", "牵头窗口"),
    _col("co_windows", "协办窗口", "references", "配合窗口"),
)

# A column the importer reads past on purpose (a serial number, remarks …).
IGNORE = Column("ignore", "序号", ("ignore", "no", "serial", "备注", "remarks"), "ignore")
BY_FIELD: Mapping[str, Column] = {c.field: c for c in (*COLUMNS, IGNORE)}
_UNIT = re.compile(r"\([^()]*\)$")


def normalize_header(text: str) -> str:
    """The form headers are compared in: NFKC, lower case, no spaces, ``_``, ``-``, ``.``, ``*``."""
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[\s_\-.*]+", "", text)


@attrs.frozen(slots=True)
class HeaderLookup:
    """Headers (normalized) → columns: the default table, then a mapping file's entries."""

    table: Mapping[str, Column]

    @classmethod
    def default(cls) -> HeaderLookup:
        table: dict[str, Column] = {}
        for column in (*COLUMNS, IGNORE):
            for text in (column.header, *column.aliases):
                table.setdefault(normalize_header(text), column)
        return cls(table)

    def with_overrides(self, overrides: Mapping[str, Column]) -> HeaderLookup:
        return HeaderLookup({**self.table, **overrides})

    def resolve(self, header: str) -> Column | None:
        key = normalize_header(header)
        found = self.table.get(key)
        if found is None and _UNIT.search(key):  # 承诺时限（工作日） → 承诺时限
            found = self.table.get(_UNIT.sub("", key))
        return found

    def suggestions(self) -> list[str]:
        """Headers to suggest for a misspelled one: the documented Chinese headers and fields."""
        return [c.header for c in COLUMNS] + [c.field for c in COLUMNS]


HEADER_SEARCH_ROWS = 10


@attrs.frozen(slots=True)
class Header:
    """The header row: its number, and which column (1-based) holds which field."""

    row: int
    columns: Mapping[int, Column]
    texts: Mapping[int, str]

    def column_of(self, field: str) -> int | None:
        return next((i for i, c in self.columns.items() if c.field == field), None)


def read_header(sheet: Sheet, lookup: HeaderLookup) -> tuple[Header | None, list[Problem]]:
    """The header row and its columns; ``None`` when no row can be read with it (no header
    row, a required column missing). The header row is the first of the first
    :data:`HEADER_SEARCH_ROWS` rows with an item-code column, so title rows above it are
    skipped."""
    candidates = sheet.rows[:HEADER_SEARCH_ROWS]
    row = next(
        (r for r in candidates if any(_is_code(lookup.resolve(t)) for t in r.cells)),
        None,
    )
    if row is None:
        first = candidates[0].number if candidates else None
        return None, [
            Problem(
                "IMPORT-COLUMN",
                f"前 {HEADER_SEARCH_ROWS} 行中没有「事项编码」列，找不到表头行",
                f"no header row: none of the first {HEADER_SEARCH_ROWS} rows has an item-code "
                "column (事项编码 / code)",
                sheet.locate(first),
            )
        ]
    problems: list[Problem] = []
    columns: dict[int, Column] = {}
    texts: dict[int, str] = {}
    seen: dict[str, int] = {}
    for index, text in enumerate(row.cells, 1):
        if not text:
            continue
        texts[index] = text
        label_zh, label_en = sheet.cell_label(row.number, index, text)
        column = lookup.resolve(text)
        if column is None:
            zh_hint, en_hint = hint(text, lookup.suggestions())
            problems.append(
                Problem(
                    "IMPORT-COLUMN",
                    f"{label_zh}：未知的列{zh_hint}（不需要的列可在映射文件中写为 ignore）",
                    f"{label_en}: unknown column{en_hint} (map columns you do not need to ignore)",
                    sheet.locate(row.number, index),
                )
            )
            continue
        if column.field in seen and column is not IGNORE:
            first = seen[column.field]
            problems.append(
                Problem(
                    "IMPORT-COLUMN",
                    f"{label_zh}：与第 {first} 列重复（都对应字段 {column.field}），此列被忽略",
                    f"{label_en}: repeats column {first} (both are {column.field}); "
                    "this one is ignored",
                    sheet.locate(row.number, index),
                )
            )
            continue
        seen[column.field] = index
        columns[index] = column
    missing = [c for c in COLUMNS if c.required and c.field not in seen]
    for column in missing:
        problems.append(
            Problem(
                "IMPORT-COLUMN",
                f"第 {row.number} 行（表头）缺少必需的列「{column.header}」",
                f"the header (row {row.number}) lacks the required column "
                f"{column.header} ({column.field})",
                sheet.locate(row.number),
            )
        )
    if missing:
        return None, problems
    return Header(row.number, columns, texts), problems


def _is_code(column: Column | None) -> bool:
    return column is not None and column.field == "code"


def load_mapping(path: Path) -> tuple[dict[str, Column] | None, list[Problem]]:
    """A mapping file's entries (normalized header → column), or ``None`` and its problems."""
    shown = display_path(path)
    if not path.is_file():
        return None, [
            Problem("FILE-NOT-FOUND", "映射文件不存在", "mapping file not found", Location(shown))
        ]
    doc, problems = read_yaml(path, shown)
    if doc is None or problems:
        return None, problems
    if not isinstance(doc.data, dict):
        return None, [
            _mapping_problem(
                "映射文件应为“表头: 字段”的映射",
                "a mapping file maps headers to fields",
                doc.locate(),
            )
        ]
    default = HeaderLookup.default()
    overrides: dict[str, Column] = {}
    for header, target in doc.data.items():
        where = doc.locate((header,))
        if not isinstance(header, str) or not normalize_header(header):
            problems.append(
                _mapping_problem(
                    f"表头 {header!r} 不是文字", f"header {header!r} is not text", where
                )
            )
            continue
        column = IGNORE if target is None else None
        if isinstance(target, str):
            column = BY_FIELD.get(target.strip()) or default.resolve(target)
        if column is None:
            zh_hint, en_hint = hint(str(target), _fields())
            problems.append(
                _mapping_problem(
                    f"“{header}” 映射到未知字段 “{target}”{zh_hint}",
                    f"'{header}' maps to the unknown field '{target}'{en_hint}",
                    where,
                )
            )
            continue
        overrides[normalize_header(header)] = column
    return (None if problems else overrides), problems


def _fields() -> Iterable[str]:
    return [c.field for c in (*COLUMNS, IGNORE)] + [c.header for c in COLUMNS]


def _mapping_problem(zh: str, en: str, where: Location) -> Problem:
    return Problem("IMPORT-MAPPING", zh, en, where)
