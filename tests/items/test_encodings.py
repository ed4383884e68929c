"""CSV encodings (issue 21): an item list is read as UTF-8, GB18030 or Big5, whichever it is,
and a file that could be more than one is an error asking for ``--encoding``, never a silent
guess (Big5 lists used to be read as GB18030 and turn into mojibake)."""

from __future__ import annotations

import csv
import io

import pytest

from fyrules.cli import main
from fyrules.items.importer import read_catalog
from fyrules.items.importer.encodings import EncodingUnknown, detect

# English headers: the column names are simplified Chinese, which Big5 cannot write
HEADER = [
    "item_code",
    "item_name",
    "dept",
    "window",
    "case_type",
    "statutory_limit",
    "committed_limit",
]
ROWS = [
    [
        "T-001",
        "食品經營許可（新辦）",
        "市場監督管理局（SC）",
        "一號窗口（W1）",
        "commitment",
        "20",
        "10",
    ],
    [
        "T-002",
        "建設工程規劃許可證核發",
        "自然資源局（ZR）",
        "二號窗口（W2）",
        "commitment",
        "20",
        "12",
    ],
    ["T-003", "藥品零售企業許可", "市場監督管理局（SC）", "W1", "commitment", "5", "3"],
]
SIMPLIFIED = [
    ["事项编码", "事项名称", "实施部门", "受理窗口", "办件类型", "法定时限", "承诺时限"],
    [
        "T-001",
        "食品经营许可（新办）",
        "市场监督管理局（SC）",
        "一号窗口（W1）",
        "承诺件",
        "20",
        "10",
    ],
]


def csv_bytes(rows: list[list[str]], encoding: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def test_a_big5_list_is_read_as_big5_not_as_gb18030_mojibake(tmp_path):
    path = tmp_path / "big5.csv"
    path.write_bytes(csv_bytes([HEADER, *ROWS], "big5"))
    result = read_catalog(path)
    assert result.ok, [p.format() for p in result.problems]
    assert [i.item.name.zh for i in result.items] == [r[1] for r in ROWS]
    note = next(p for p in result.problems if p.code == "IMPORT-ENCODING")
    assert note.message_en == "read as Big5"


def test_a_gb18030_list_is_read_as_gb18030(tmp_path):
    path = tmp_path / "gb.csv"
    path.write_bytes(csv_bytes(SIMPLIFIED, "gb18030"))
    result = read_catalog(path)
    assert result.ok and result.items[0].item.name.zh == "食品经营许可（新办）"
    note = next(p for p in result.problems if p.code == "IMPORT-ENCODING")
    assert note.message_en == "read as GB18030"


def test_a_file_both_could_read_without_a_clear_winner_asks_for_encoding(tmp_path, capsys):
    path = tmp_path / "short.csv"
    path.write_bytes("a,b\r\n中,文\r\n".encode("big5"))  # too short to tell
    with pytest.raises(EncodingUnknown) as unknown:
        detect(path.read_bytes())
    assert unknown.value.candidates == ("gb18030", "big5")
    code = main(["import-catalog", str(path), "--out", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert code == 2 and "IMPORT-ENCODING" in out
    assert "--encoding gb18030 or --encoding big5" in out
    assert not (tmp_path / "out").exists()


def test_a_big5_list_is_read_with_the_encoding_given(tmp_path):
    path = tmp_path / "big5.csv"
    path.write_bytes(csv_bytes([HEADER, *ROWS], "big5"))
    given = read_catalog(path, encoding="big5")
    assert given.ok and given.items[1].item.name.zh == "建設工程規劃許可證核發"


def test_a_wrong_or_unknown_encoding_is_an_error_naming_the_byte(tmp_path):
    path = tmp_path / "gb.csv"
    path.write_bytes(csv_bytes(SIMPLIFIED, "gb18030"))
    wrong = read_catalog(path, encoding="ascii")
    assert wrong.fatal and "cannot be read as ascii (byte 0)" in wrong.problems[0].message_en
    unknown = read_catalog(path, encoding="klingon")
    assert unknown.fatal and "unknown encoding" in unknown.problems[0].message_en


def test_the_encoding_option_of_the_command(tmp_path, capsys):
    path = tmp_path / "big5.csv"
    path.write_bytes(csv_bytes([HEADER, *ROWS], "big5"))
    out = tmp_path / "rb"
    code = main(["import-catalog", str(path), "--out", str(out), "--encoding", "big5"])
    assert code == 0, capsys.readouterr().out
    assert "藥品零售企業許可" in (out / "items" / "SC.yaml").read_text("utf-8")
