"""Importing item lists (事项清单): the sample sheet becomes a rulebook that passes check;
every bad row is named by row and column; nothing is written on errors unless --partial;
GB18030 and XLSX input; no input, however garbled, raises."""

from __future__ import annotations

import csv
import io
import json
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fyrules
from fyrules.cli import main
from fyrules.engine.codes import CODES
from fyrules.items.importer import import_catalog, read_catalog
from fyrules.items.model import ItemSpec

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "docs" / "examples" / "catalog-sample.csv"
MANIFEST = (
    'rulebook: imported\nname: 导入测试\njurisdiction: 测试\nversion: "1"\nextends: national\n'
)

HEADER = ["事项编码", "事项名称", "实施部门", "受理窗口", "办件类型", "法定时限", "承诺时限"]
GOOD = [
    ["T-001", "甲事项", "测试局（CS）", "一号窗口（W1）", "承诺件", "20", "10"],
    ["T-002", "乙事项", "CS", "W1", "即办件", "5", "即办"],
    ["T-003", "丙事项", "二局（DS）", "W2", "commitment", "10", "5"],
]


def write_csv(path: Path, rows: list[list[str]], *, encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def sheet(tmp_path: Path, *rows: list[str], header: list[str] = HEADER) -> Path:
    return write_csv(tmp_path / "清单.csv", [header, *rows])


def problems_of(path: Path, **options):
    result = read_catalog(path, **options)
    return [p for p in result.problems if p.severity == "error"]


def only(problems, code: str):
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, [p.format() for p in problems]
    return found[0]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- the sample sheet ------------------------------------------------------------------------


def test_the_sample_sheet_becomes_a_rulebook_that_passes_check(tmp_path):
    out = tmp_path / "rulebook"
    outcome = import_catalog(SAMPLE, out)
    assert outcome.exit_code == 0, [p.format() for p in outcome.problems]
    assert len(outcome.catalog.items) == 10
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.yaml")) == [
        "departments.yaml",
        "items/SC.yaml",
        "items/ZJ.yaml",
        "items/ZR.yaml",
    ]
    (out / "rulebook.yaml").write_text(MANIFEST, encoding="utf-8")
    import datetime as dt

    result = fyrules.check(out, today=dt.date(2025, 10, 15))
    assert [p.format() for p in result.problems if p.severity == "error"] == []
    catalog = result.rulebook.items
    assert len(catalog) == 10
    assert catalog["FY-ZR-003"].fee.charged and catalog["FY-ZR-003"].co_windows == ("W06",)
    assert catalog["FY-SC-002"].committed_days == 0  # 即办
    assert catalog["FY-SC-001"].special_procedures[0].name == "inspection"  # 检验


def test_item_files_are_block_yaml_in_model_order_naming_their_sheet(tmp_path):
    import_catalog(SAMPLE, tmp_path)
    text = (tmp_path / "items" / "SC.yaml").read_text(encoding="utf-8")
    assert text.startswith(
        "# 市市场监督管理局（SC）的审批事项，由 fyrules import-catalog 从 catalog-sample.csv 导入"
    )
    assert "食品经营许可（新办）" in text and "\\u" not in text  # Chinese as written
    assert "{" not in text  # block style
    first = yaml.safe_load(text)["items"][0]
    order = list(ItemSpec.model_fields)
    assert list(first) == sorted(first, key=order.index)
    assert first["materials"][1] == {
        "name": "营业执照",
        "required": True,
        "original": False,
        "copies": 1,
    }


def test_departments_yaml_names_the_departments_and_windows_of_the_sheet(tmp_path):
    import_catalog(SAMPLE, tmp_path)
    data = yaml.safe_load((tmp_path / "departments.yaml").read_text(encoding="utf-8"))
    assert data["departments"][0] == {"id": "SC", "name": {"zh": "市市场监督管理局"}}
    windows = {w["id"]: w for w in data["windows"]}
    assert windows["W08"] == {"id": "W08", "name": {"zh": "不动产登记窗口"}, "department": "ZR"}
    assert set(windows) == {"W01", "W02", "W06", "W07", "W08"}


def test_a_department_named_only_by_its_id_gets_the_id_as_a_name_to_fill_in(tmp_path):
    import_catalog(sheet(tmp_path, ["T-1", "甲", "XY", "", "承诺件", "", ""]), tmp_path / "o")
    text = (tmp_path / "o" / "departments.yaml").read_text(encoding="utf-8")
    assert "请补充" in text and "XY" in text.splitlines()[2]
    assert yaml.safe_load(text) == {"departments": [{"id": "XY", "name": {"zh": "XY"}}]}


# --- every error kind with its row and column --------------------------------------------------


def test_a_missing_code_is_named_by_row_and_column(tmp_path):
    p = only(
        problems_of(sheet(tmp_path, GOOD[0], ["", "乙", "CS", "W1", "承诺件", "5", "3"])),
        "IMPORT-CELL",
    )
    assert (p.line, p.column) == (3, 1)
    assert "第 3 行 A 列「事项编码」" in p.message_zh and "required" in p.message_en


def test_a_repeated_code_names_the_first_row(tmp_path):
    p = only(problems_of(sheet(tmp_path, GOOD[0], GOOD[1], GOOD[0])), "IMPORT-DUPLICATE")
    assert (p.line, p.column, p.rule) == (4, 1, "T-001")
    assert "与第 2 行重复" in p.message_zh and "repeats row 2" in p.message_en


def test_a_committed_limit_that_is_not_a_number_is_named_by_its_cell(tmp_path):
    row = ["T-1", "甲", "CS", "W1", "承诺件", "20", "五天"]
    p = only(problems_of(sheet(tmp_path, row)), "IMPORT-CELL")
    assert (p.line, p.column, p.rule) == (2, 7, "T-1")
    assert "G 列「承诺时限」" in p.message_zh and "'五天' is not a number" in p.message_en


def test_an_unknown_column_suggests_the_closest_header(tmp_path):
    header = [*HEADER[:6], "承诺时间"]
    p = only(problems_of(sheet(tmp_path, GOOD[0], header=header)), "IMPORT-COLUMN")
    assert (p.line, p.column) == (1, 7)
    assert "did you mean '承诺时限'" in p.message_en


def test_an_unknown_case_type_suggests_the_closest(tmp_path):
    row = ["T-1", "甲", "CS", "W1", "承诺建", "", ""]
    p = only(problems_of(sheet(tmp_path, row)), "IMPORT-CELL")
    assert (p.line, p.column) == (2, 5)
    assert "unknown case type '承诺建' (did you mean '承诺件'?)" in p.message_en


def test_a_local_case_type_code_is_kept_for_check_to_judge(tmp_path):
    result = read_catalog(sheet(tmp_path, ["T-1", "甲", "CS", "W1", "JB", "", ""]))
    assert result.ok and result.items[0].item.type == "JB"


def test_a_department_without_an_id_is_a_bad_cell(tmp_path):
    row = ["T-1", "甲", "市市场监督管理局", "W1", "承诺件", "", ""]
    p = only(problems_of(sheet(tmp_path, row)), "IMPORT-CELL")
    assert (p.line, p.column) == (2, 3) and "名称（编号）" in p.message_zh


def test_a_value_the_item_model_refuses_is_mapped_back_to_its_cell(tmp_path):
    header = [*HEADER, "承诺时限（小时）"]
    p = only(problems_of(sheet(tmp_path, [*GOOD[0], "0"], header=header)), "IMPORT-CELL")
    assert (p.line, p.column) == (2, 8)
    assert "H 列「承诺时限（小时）」" in p.message_zh and "greater than 0" in p.message_en
    p = only(
        problems_of(sheet(tmp_path, ["T 1", "甲", "CS", "W1", "承诺件", "", ""])), "IMPORT-CELL"
    )
    assert (p.line, p.column) == (2, 1) and p.rule is None


def test_cells_of_every_grammar_are_checked(tmp_path):
    header = [*HEADER[:5], "申请材料", "特殊环节", "是否收费", "网上办理", "审批权限", "前置事项"]
    rows = [
        ["T-1", "甲", "CS", "W1", "承诺件", "(原件)", "", "", "", "", ""],
        ["T-2", "乙", "CS", "W1", "承诺件", "", "专家评议:5", "", "", "", ""],
        ["T-3", "丙", "CS", "W1", "承诺件", "", "", "也许", "", "", ""],
        ["T-4", "丁", "CS", "W1", "承诺件", "", "", "", "随便", "", ""],
        ["T-5", "戊", "CS", "W1", "承诺件", "", "", "", "", "处长", ""],
        ["T-6", "己", "CS", "W1", "承诺件", "", "听证:3:也许", "", "", "", "甲事项"],
    ]
    found = problems_of(sheet(tmp_path, *rows, header=header))
    assert {(p.line, p.column) for p in found} == {
        (2, 6),
        (3, 7),
        (4, 8),
        (5, 9),
        (6, 10),
        (7, 7),
        (7, 11),
    }
    assert all(p.code == "IMPORT-CELL" for p in found)
    assert any("did you mean '专家评审'" in p.message_en for p in found)


def test_header_problems_a_repeated_column_and_a_cell_without_header(tmp_path):
    header = [*HEADER, "承诺办结时限"]
    found = problems_of(sheet(tmp_path, [*GOOD[0], "3", "多余"], header=header))
    repeated = only(found, "IMPORT-COLUMN")
    assert (repeated.line, repeated.column) == (1, 8) and "repeats column 7" in repeated.message_en
    stray = only(found, "IMPORT-CELL")
    assert (stray.line, stray.column) == (2, 9) and "no header" in stray.message_en


def test_a_missing_required_column_stops_before_reading_rows(tmp_path):
    header = [h for h in HEADER if h != "办件类型"]
    result = read_catalog(sheet(tmp_path, ["T-1", "甲", "CS", "W1", "1", "1"], header=header))
    p = only(result.problems, "IMPORT-COLUMN")
    assert p.line == 1 and "办件类型" in p.message_zh
    assert result.items == () and result.header is None


def test_title_rows_above_the_header_are_skipped_and_no_header_is_reported(tmp_path):
    path = write_csv(tmp_path / "a.csv", [["某市事项清单"], [], HEADER, GOOD[0]])
    result = read_catalog(path)
    assert result.ok and result.header.row == 3 and result.items[0].row == 4
    path = write_csv(tmp_path / "b.csv", [["名称", "部门"], ["甲", "CS"]])
    p = only(read_catalog(path).problems, "IMPORT-COLUMN")
    assert p.line == 1 and "no header row" in p.message_en


def test_an_empty_sheet_and_a_header_without_rows_are_reported(tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    assert (
        only(problems_of(tmp_path / "empty.csv"), "IMPORT-SHEET").message_en == "the sheet is empty"
    )
    p = only(problems_of(sheet(tmp_path)), "IMPORT-SHEET")
    assert p.line == 1 and "no items" in p.message_en


def test_rows_are_counted_as_a_spreadsheet_shows_them_despite_line_breaks_in_cells(tmp_path):
    header = [*HEADER, "申请条件"]
    rows = [[*GOOD[0], "一\n二\n三"], ["T-9", "乙", "CS", "W1", "承诺件", "", "x", ""]]
    p = only(problems_of(sheet(tmp_path, *rows, header=header)), "IMPORT-CELL")
    assert (p.line, p.column) == (3, 7)  # the third row, though the fifth line of the file


# --- what is written -----------------------------------------------------------------------------


def test_nothing_is_written_when_a_row_is_bad(tmp_path):
    out = tmp_path / "out"
    outcome = import_catalog(
        sheet(tmp_path, GOOD[0], ["T-2", "乙", "CS", "W1", "承诺件", "", "x"]), out
    )
    assert outcome.exit_code == 1 and outcome.written == () and not out.exists()
    assert outcome.catalog.bad_rows == (3,)
    assert "nothing written" in outcome.summary("en")


def test_partial_writes_the_good_rows_and_still_exits_1(tmp_path):
    out = tmp_path / "out"
    bad = ["T-9", "坏", "CS", "W1", "承诺件", "", "x"]
    outcome = import_catalog(sheet(tmp_path, GOOD[0], bad, GOOD[2]), out, partial=True)
    assert outcome.exit_code == 1
    codes = [i["code"] for f in sorted(out.glob("items/*.yaml")) for i in _items(f)]
    assert codes == ["T-001", "T-003"]
    only(outcome.problems, "IMPORT-CELL")


def test_existing_files_are_kept_unless_forced(tmp_path):
    path = sheet(tmp_path, *GOOD)
    out = tmp_path / "out"
    assert import_catalog(path, out).exit_code == 0
    (out / "items" / "CS.yaml").write_text("# edited\nitems: []\n", encoding="utf-8")
    outcome = import_catalog(path, out)
    assert outcome.exit_code == 2 and outcome.written == ()
    assert {p.code for p in outcome.problems if p.severity == "error"} == {"IMPORT-EXISTS"}
    assert (out / "items" / "CS.yaml").read_text(encoding="utf-8").startswith("# edited")
    assert import_catalog(path, out, force=True).exit_code == 0
    assert [i["code"] for i in _items(out / "items" / "CS.yaml")] == ["T-001", "T-002"]


def test_definitions_already_in_the_output_folder_are_not_repeated(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "organization.yaml").write_text(
        "departments:\n  - {id: CS, name: 测试局}\nwindows:\n  - {id: W1, name: 一号}\n"
        "items:\n  - {code: T-002, name: 旧, department: CS, type: commitment}\n",
        encoding="utf-8",
    )
    outcome = import_catalog(sheet(tmp_path, *GOOD), out, partial=True)
    p = only(outcome.problems, "IMPORT-DUPLICATE")
    assert (p.line, p.column) == (3, 1) and "organization.yaml:6:5" in p.message_en
    assert outcome.exit_code == 1 and outcome.catalog.bad_rows == (3,)
    data = yaml.safe_load((out / "departments.yaml").read_text(encoding="utf-8"))
    assert data == {
        "departments": [{"id": "DS", "name": {"zh": "二局"}}],
        "windows": [{"id": "W2", "name": {"zh": "W2"}, "department": "DS"}],
    }


def test_a_second_sheet_adds_to_departments_yaml_and_keeps_what_it_holds(tmp_path):
    out = tmp_path / "out"
    first = write_csv(tmp_path / "a.csv", [HEADER, GOOD[0]])
    assert import_catalog(first, out).exit_code == 0
    departments = out / "departments.yaml"
    edited = departments.read_text(encoding="utf-8").replace("测试局", "市测试局（已核对）")
    departments.write_text(edited, encoding="utf-8")
    second = write_csv(tmp_path / "b.csv", [HEADER, GOOD[2]])
    blocked = import_catalog(second, out)
    assert blocked.exit_code == 2 and only(blocked.problems, "IMPORT-EXISTS").path.endswith(
        "departments.yaml"
    )
    assert import_catalog(second, out, force=True).exit_code == 0
    data = yaml.safe_load(departments.read_text(encoding="utf-8"))
    assert data["departments"] == [
        {"id": "CS", "name": {"zh": "市测试局（已核对）"}},
        {"id": "DS", "name": {"zh": "二局"}},
    ]
    assert [w["id"] for w in data["windows"]] == ["W1", "W2"]
    assert sorted(p.name for p in (out / "items").iterdir()) == ["CS.yaml", "DS.yaml"]


def test_a_folder_that_cannot_be_written_is_exit_2(tmp_path):
    out = tmp_path / "taken"
    out.write_text("a file, not a folder", encoding="utf-8")
    outcome = import_catalog(sheet(tmp_path, GOOD[0]), out)
    assert outcome.exit_code == 2
    assert only(outcome.problems, "IMPORT-WRITE").path.endswith("CS.yaml")


def _items(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["items"]


# --- encodings and files -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "name"),
    [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 (BOM)"), ("gb18030", "GB18030")],
)
def test_the_encoding_read_is_reported(tmp_path, encoding, name):
    path = write_csv(tmp_path / "s.csv", [HEADER, *GOOD], encoding=encoding)
    result = read_catalog(path)
    assert result.ok and result.items[1].item.name.zh == "乙事项"
    note = only(result.problems, "IMPORT-ENCODING")
    assert note.severity == "info" and note.message_en == f"read as {name}"


def test_files_that_cannot_be_read_are_exit_2(tmp_path, capsys):
    (tmp_path / "u16.csv").write_bytes("事项编码\n".encode("utf-16"))
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    cases = {
        "u16.csv": "FILE-UNREADABLE",
        "old.xls": "IMPORT-SHEET",
        "nowhere.csv": "FILE-NOT-FOUND",
    }
    for name, code in cases.items():
        status, out, _ = run(
            capsys, "import-catalog", str(tmp_path / name), "--out", str(tmp_path / "o")
        )
        assert status == 2 and code in out, out
    status, out, _ = run(
        capsys,
        "import-catalog",
        str(sheet(tmp_path, *GOOD)),
        "--out",
        str(tmp_path / "o"),
        "--sheet",
        "x",
    )
    assert status == 2 and "IMPORT-SHEET" in out and "--sheet" in out
    assert not (tmp_path / "o").exists()


def test_xlsx_without_openpyxl_says_how_to_install_it(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    (tmp_path / "book.xlsx").write_bytes(b"PK")
    status, out, _ = run(
        capsys, "import-catalog", str(tmp_path / "book.xlsx"), "--out", str(tmp_path / "o")
    )
    assert status == 2 and "IMPORT-XLSX" in out
    assert "pip install 'fyrules[xlsx]'" in out


# --- the column mapping file ---------------------------------------------------------------------


def test_a_mapping_file_renames_and_ignores_columns(tmp_path):
    header = ["编号", "名称", "单位", "类别", "承诺天数", "经办人"]
    path = sheet(tmp_path, ["T-1", "甲", "CS", "承诺件", "3", "张三"], header=header)
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        "编号: code\n名称: name\n单位: department\n类别: 办件类型\n承诺天数: committed_days\n经办人: ignore\n",
        encoding="utf-8",
    )
    result = read_catalog(path, mapping=mapping)
    assert result.ok, [p.format() for p in result.problems]
    assert result.items[0].item.committed_days == 3 and result.items[0].item.type == "commitment"


def test_a_bad_mapping_file_is_exit_2_with_its_position(tmp_path, capsys):
    mapping = tmp_path / "map.yaml"
    mapping.write_text("编号: code\n天数: comitted_days\n", encoding="utf-8")
    status, out, _ = run(
        capsys,
        "import-catalog",
        str(sheet(tmp_path, *GOOD)),
        "--out",
        str(tmp_path / "o"),
        "--mapping",
        str(mapping),
        "--lang",
        "en",
    )
    assert status == 2
    assert (
        "map.yaml:2:" in out and "IMPORT-MAPPING" in out and "did you mean 'committed_days'" in out
    )


# --- the command line ----------------------------------------------------------------------------


def test_the_command_writes_files_and_exits_0(tmp_path, capsys):
    status, out, _ = run(capsys, "import-catalog", str(SAMPLE), "--out", str(tmp_path / "o"))
    assert status == 0 and "10 items, 0 bad rows; 4 files written" in out


def test_the_command_reports_bad_rows_in_every_format(tmp_path, capsys):
    path = sheet(tmp_path, GOOD[0], ["T-2", "乙", "CS", "W1", "承诺件", "", "x"])
    args = ["import-catalog", str(path), "--out", str(tmp_path / "o")]
    status, out, err = run(capsys, *args, "--format", "json")
    doc = json.loads(out)
    assert status == 1 and doc["errors"] == 1 and doc["bad_rows"] == [3] and doc["written"] == []
    assert doc["encoding"] == "utf-8" and "nothing written" in err
    bad = next(p for p in doc["problems"] if p["code"] == "IMPORT-CELL")
    assert (bad["line"], bad["column"]) == (3, 7)
    status, out, _ = run(capsys, *args, "--format", "github")
    assert status == 1 and ",line=3,col=7," in out
    status, out, _ = run(capsys, *args, "--format", "sarif")
    region = json.loads(out)["runs"][0]["results"]
    assert {"startLine": 3, "startColumn": 7} in [
        r["locations"][0]["physicalLocation"].get("region") for r in region
    ]
    status, out, _ = run(capsys, *args, "--format", "junit")
    assert status == 1 and ET.fromstring(out).get("failures") == "1"


# --- XLSX ----------------------------------------------------------------------------------------


def _openpyxl():
    return pytest.importorskip(
        "openpyxl", reason="openpyxl not installed: pip install 'fyrules[xlsx]'"
    )


def _workbook(tmp_path: Path) -> Path:
    openpyxl = _openpyxl()
    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active["A1"] = "本工作簿第二张表是事项清单"
    ws = book.create_sheet("事项清单")
    ws.append(["阜阳市政务服务中心事项清单"])
    ws.append([])
    ws.append(HEADER)
    ws.append(["T-001", "甲事项", "测试局（CS）", "W1", "承诺件", 20, 10])
    ws.append(["T-002", "乙事项", "CS", "W1", "即办件", 5.0, "五天"])
    path = tmp_path / "清单.xlsx"
    book.save(path)
    return path


@pytest.mark.optional
def test_an_xlsx_sheet_is_read_with_its_own_row_numbers_and_name(tmp_path):
    result = read_catalog(_workbook(tmp_path), sheet_name="事项清单")
    assert [i.item.code for i in result.items] == ["T-001"]
    assert result.items[0].item.statutory_days == 20 and result.items[0].row == 4
    p = only(result.problems, "IMPORT-CELL")
    assert (p.line, p.column) == (5, 7)
    assert p.message_zh.startswith("工作表「事项清单」第 5 行 G 列「承诺时限」")
    assert p.message_en.startswith("sheet '事项清单', row 5, column G")


@pytest.mark.optional
def test_an_xlsx_import_writes_item_files_naming_the_sheet(tmp_path, capsys):
    path = _workbook(tmp_path)
    status, out, _ = run(
        capsys,
        "import-catalog",
        str(path),
        "--out",
        str(tmp_path / "o"),
        "--sheet",
        "事项清单",
        "--partial",
    )
    assert status == 1 and "1 items, 1 bad rows; 2 files written" in out
    text = (tmp_path / "o" / "items" / "CS.yaml").read_text(encoding="utf-8")
    assert "清单.xlsx[事项清单]" in text.splitlines()[0]


@pytest.mark.optional
def test_an_xlsx_default_is_the_first_sheet_and_a_wrong_name_is_suggested(tmp_path):
    path = _workbook(tmp_path)
    p = only(read_catalog(path).problems, "IMPORT-COLUMN")  # 说明 has no header row
    assert p.line == 1
    result = read_catalog(path, sheet_name="事项清单 ")
    p = only(result.problems, "IMPORT-SHEET")
    assert result.fatal and "did you mean '事项清单'" in p.message_en


@pytest.mark.optional
def test_a_damaged_xlsx_is_unreadable(tmp_path):
    _openpyxl()
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    result = read_catalog(tmp_path / "bad.xlsx")
    assert result.fatal and only(result.problems, "FILE-UNREADABLE")


# --- fuzzing -----------------------------------------------------------------------------------

_CELL = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["", "是", "否", "承诺件", "即办", "5", "-1", "W1", "名（ID）", "(原件)", "a:b:c:d", "；；"]
    ),
)
_HEADERS = st.lists(
    st.one_of(
        st.sampled_from([*HEADER, "申请材料", "特殊环节", "是否收费", "协办窗口", "序号"]),
        st.text(max_size=8),
    ),
    min_size=1,
    max_size=10,
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=_HEADERS, rows=st.lists(st.lists(_CELL, max_size=12), max_size=6))
def test_cell_garbage_never_raises_only_reports(tmp_path, header, rows):
    """Whatever the cells hold, import gives problems with known codes and spreadsheet
    positions, never an exception; every data row is either imported or reported."""
    path = tmp_path / "fuzz.csv"
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["事项编码", *header], *rows])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    result = read_catalog(path)
    for p in result.problems:
        assert p.code in CODES and p.path.endswith("fuzz.csv")
        assert p.line is not None or p.code in {"IMPORT-ENCODING", "IMPORT-SHEET"}
    if result.header is not None:
        rows = [r for r in result.sheet.rows if r.number > result.header.row]
        assert len(result.items) + len(result.bad_rows) == len(rows)
    out = Path(tempfile.mkdtemp(dir=tmp_path))
    outcome = import_catalog(path, out, partial=True)
    assert outcome.exit_code in (0, 1)
    for written in out.rglob("items/*.yaml"):  # what is written reads back as valid items
        for data in yaml.safe_load(written.read_text(encoding="utf-8"))["items"]:
            ItemSpec.model_validate(data)


def test_imported_text_that_looks_like_a_number_reads_back_as_text():
    """Item files are written with YAML 1.2 quoting, as the loader reads them."""
    import yaml

    from fyrules.engine.load.source import parse_yaml
    from fyrules.items.importer.itemfiles import _BlockDumper

    values = {"phone": "05581234", "code": "0o17", "number": "1e3", "zero": "08"}
    doc, problems = parse_yaml(yaml.dump(values, Dumper=_BlockDumper), "items.yaml")
    assert problems == [] and doc.data == values
