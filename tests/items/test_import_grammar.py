"""The cell grammar and column mapping of item lists, cell by cell, as docs/import-catalog.md
documents them."""

from __future__ import annotations

from pathlib import Path

import pytest

from fyrules.items.importer.cells import CellError, Reference, baseline_vocabulary, read_cell
from fyrules.items.importer.columns import COLUMNS, HeaderLookup
from fyrules.items.importer.sheets import column_letter

VOCABULARY = baseline_vocabulary()


def cell(kind: str, text: str):
    return read_cell(kind, text, VOCABULARY)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("事项编码", "code"),
        ("*事项名称", "name"),
        (" 承诺 时限 ", "committed_days"),
        ("承诺时限（工作日）", "committed_days"),
        ("承诺时限(小时)", "committed_hours"),
        ("法定时限（日）", "statutory_days"),
        ("Committed Days", "committed_days"),
        ("fee.charged", "fee.charged"),
        ("Item-Code", "code"),
        ("ＣＯＤＥ", "code"),
        ("序号", "ignore"),
    ],
)
def test_headers_match_loosely(header, field):
    assert HeaderLookup.default().resolve(header).field == field


def test_every_column_has_a_distinct_field_and_header():
    fields = [c.field for c in COLUMNS]
    headers = [c.header for c in COLUMNS]
    assert len(set(fields)) == len(fields) and len(set(headers)) == len(headers)


@pytest.mark.parametrize("text", ["", "  ", "-", "/", "无", "不涉及", "——"])
def test_blank_cells_leave_the_field_at_its_default(text):
    assert cell("days", text) is None and cell("materials", text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [("是", True), ("Y", True), ("true", True), ("√", True), ("否", False), ("n", False)],
)
def test_yes_and_no(text, value):
    assert cell("yes_no", text) is value


def test_yes_no_blank_is_none_and_other_words_are_errors():
    assert cell("yes_no", "") is None
    with pytest.raises(CellError):
        cell("yes_no", "大概")


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("5", 5),
        ("5个工作日", 5),
        ("20 工作日", 20),
        ("20日", 20),
        ("7.0", 7),
        ("即办", 0),
        ("当场办结", 0),
    ],
)
def test_working_days(text, days):
    assert cell("days", text) == days


@pytest.mark.parametrize("text", ["五", "5天", "-3", "5.5", "1" * 20, "5个工作日（不含公示）"])
def test_what_is_not_a_number_of_working_days(text):
    with pytest.raises(CellError, match="working days"):
        cell("days", text)


def test_materials_with_their_attributes():
    got = cell("materials", "1.申请书(原件,2份);营业执照（复印件，如有）\n身份证明")
    assert got == (
        {"name": "申请书", "required": True, "original": True, "copies": 2},
        {"name": "营业执照", "required": False, "original": False, "copies": 1},
        {"name": "身份证明", "required": True, "original": False, "copies": 1},
    )


def test_brackets_that_hold_no_attribute_belong_to_the_material_name():
    assert cell("materials", "营业执照（副本）")[0]["name"] == "营业执照（副本）"
    assert cell("materials", "公司登记（备案）申请书")[0]["name"] == "公司登记（备案）申请书"
    noted = cell("materials", "营业执照（副本，复印件，三份）")[0]
    assert noted == {
        "name": "营业执照",
        "required": True,
        "original": False,
        "copies": 3,
        "note": "副本",
    }


def test_special_procedures_by_name_or_code():
    assert cell("procedures", "专家评审:15；expert_review：5:计入、听证") == (
        {"name": "expert_review", "max_days": 15},
        {"name": "expert_review", "max_days": 5, "counted": True},
        {"name": "hearing"},
    )
    assert cell("procedures", "检验:3") == ({"name": "inspection", "max_days": 3},)
    # a site survey is not Art. 45's 检验: the baseline does not know it by that name
    with pytest.raises(CellError, match="现场勘查"):
        cell("procedures", "现场勘查:3")
    assert cell("procedures", "site_survey:2") == ({"name": "site_survey", "max_days": 2},)
    with pytest.raises(CellError, match="procedure:days"):
        cell("procedures", "听证:1:计入:多余")


def test_case_types_by_chinese_name_code_or_english():
    for text, code in [("即办件", "immediate"), ("承诺", "commitment"), ("Report-up", "report_up")]:
        assert cell("case_type", text) == code
    with pytest.raises(CellError, match="did you mean 'commitment'"):
        cell("case_type", "comitment")


def test_references_are_an_id_or_a_name_with_its_id():
    assert cell("reference", "SC") == Reference("SC")
    assert cell("reference", "市市场监督管理局（SC）") == Reference("SC", "市市场监督管理局")
    assert cell("reference", "窗口 (W-01)") == Reference("W-01", "窗口")
    assert cell("references", "W06、不动产登记窗口（W08）,W09") == (
        Reference("W06"),
        Reference("W08", "不动产登记窗口"),
        Reference("W09"),
    )
    with pytest.raises(CellError, match="no id"):
        cell("reference", "市自然资源和规划局（不动产登记中心）")


def test_lists_split_on_semicolons_and_line_breaks_dropping_numbering():
    assert cell("lines", "1.甲；2、乙\n（3）丙;①丁") == ("甲", "乙", "丙", "丁")
    assert cell("lines", "2.5寸照片") == ("2.5寸照片",)
    assert cell("steps", "受理→审查->决定；送达") == ("受理", "审查", "决定", "送达")
    assert cell("codes", "FY-1，FY-2、项目（FY-3）") == ("FY-1", "FY-2", "FY-3")


def test_online_and_authorization_words():
    assert [cell("online", t) for t in ("全程网办", "网上申请", "否")] == ["full", "apply", "none"]
    assert [cell("authorization", t) for t in ("首席代表", "科室负责人", "分管领导")] == [
        "window",
        "chief",
        "leader",
    ]
    with pytest.raises(CellError, match="window, chief, leader"):
        cell("authorization", "处长")


def test_hours():
    assert cell("hours", "2.5") == 2.5 and cell("hours", "4小时") == 4.0
    with pytest.raises(CellError):
        cell("hours", "半天")


@pytest.mark.parametrize(
    ("column", "letter"), [(1, "A"), (7, "G"), (26, "Z"), (27, "AA"), (703, "AAA")]
)
def test_column_letters(column, letter):
    assert column_letter(column) == letter


def test_the_guide_lists_every_column_with_its_field_and_grammar():
    guide = Path(__file__).resolve().parents[2] / "docs" / "import-catalog.md"
    text = guide.read_text(encoding="utf-8")
    for column in COLUMNS:
        assert f"| {column.header} |" in text and f"| `{column.field}` | {column.kind} |" in text
    for kind in {c.kind for c in COLUMNS}:
        assert f"\n| {kind} |" in text, kind


@pytest.mark.parametrize(
    ("text", "value"),
    [("行政许可", "approval"), ("公共服务", "public_service"), ("备案", "management")],
)
def test_the_class_of_an_item_is_read_from_its_chinese_name(text, value):
    assert cell("category", text) == value


def test_an_unknown_class_of_item_is_a_bad_cell():
    with pytest.raises(CellError) as err:
        cell("category", "行政处罚")
    assert "事项类别" in err.value.zh and "class of item" in err.value.en
