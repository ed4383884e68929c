"""Decision tables kept as CSV files: the layout, type inference, and errors at CSV row and column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fyrules.engine.tables import check_table, table_from_csv

from .table_helpers import codes, where

LIMITS = """\
#id,COMMITTED-LIMIT-BY-TYPE,,
#title_zh,按事项类型确定承诺时限上限,,
#title_en,Committed-limit ceiling by item type,,
#basis,《中华人民共和国行政许可法》第四十二条,,
#hit_policy,UNIQUE,,
#outputs,max_committed_days,,
#domain:item_type,immediate,commitment,joint
#domain:statutory_days,[0..60],,
item_type,statutory_days,max_committed_days
immediate,-,0
commitment,[0..20],15
# 超过二十日的承诺件,,
commitment,> 20,20
joint,-,20
"""


def read(tmp_path: Path, text: str | bytes, name: str = "limits.csv"):
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return table_from_csv(path, f"tables/{name}")


def test_a_csv_table_reads_like_a_yaml_one(tmp_path: Path) -> None:
    table, problems = read(tmp_path, LIMITS)
    assert problems == []
    assert table is not None
    assert table.id == "COMMITTED-LIMIT-BY-TYPE"
    assert (table.title_zh, table.title_en) == (
        "按事项类型确定承诺时限上限",
        "Committed-limit ceiling by item type",
    )
    assert [(c.name, c.type) for c in table.inputs] == [
        ("item_type", "string"),
        ("statutory_days", "number"),
    ]
    assert [(c.name, c.type) for c in table.outputs] == [("max_committed_days", "number")]
    result = table.evaluate({"item_type": "commitment", "statutory_days": 25})
    assert (result.value, result.rows) == (20, (3,))
    assert check_table(table) == []
    # rows keep their CSV lines: row 3 is on line 13 (a comment line sits above it)
    assert table.rows[2].location.line == 13


def test_excel_bom_crlf_and_padding_are_fine(tmp_path: Path) -> None:
    data = ("\ufeff" + LIMITS.replace("\n", "\r\n")).encode("utf-8")
    table, problems = read(tmp_path, data)
    assert problems == [] and table is not None
    assert table.evaluate({"item_type": "joint", "statutory_days": 1}).value == 20


def test_the_id_defaults_to_the_file_name(tmp_path: Path) -> None:
    text = "#basis,b\n#outputs,y\nx,y\n1,2\n"
    table, problems = read(tmp_path, text, "score-by-band.csv")
    assert table is not None and problems == []
    assert table.id == "score-by-band"


def test_types_are_inferred_or_declared(tmp_path: Path) -> None:
    text = (
        "#basis,b\n#hit_policy,FIRST\n#outputs,score,due,flag\n#type:code,string\n"
        "code,band,day,score,due,flag\n"
        "007,> 90,>= 2025-10-01,5,2025-12-31,true\n"
        "008,[60..90],-,3.5,2026-01-31,false\n"
    )
    table, problems = read(tmp_path, text)
    assert table is not None, [str(p) for p in problems]
    types = {c.name: c.type for c in (*table.inputs, *table.outputs)}
    assert types == {
        "code": "string",
        "band": "number",
        "day": "date",
        "score": "number",
        "due": "date",
        "flag": "bool",
    }
    result = table.evaluate({"code": "007", "band": 95, "day": dt.date(2025, 11, 1)})
    assert result.value == {"score": 5, "due": dt.date(2025, 12, 31), "flag": True}


def test_codes_with_leading_zeros_stay_text(tmp_path: Path) -> None:
    table, _ = read(tmp_path, "#basis,b\n#outputs,y\nx,y\n007,1\n010,2\n")
    assert table is not None
    assert table.inputs[0].type == "string"


def test_default_priority_and_aggregation_rows(tmp_path: Path) -> None:
    text = (
        "#basis,b\n#hit_policy,PRIORITY\n#outputs,level\n#priority:level,red,yellow,green\n"
        "#default:level,green\nx,level\n> 5,red\n> 3,yellow\n"
    )
    table, problems = read(tmp_path, text)
    assert table is not None, [str(p) for p in problems]
    assert table.evaluate({"x": 9}).value == "red"
    assert table.evaluate({"x": 0}).value == "green"
    text = (
        "#basis,b\n#hit_policy,COLLECT\n#aggregation,SUM\n#outputs,points\nx,points\n> 0,1\n> 5,2\n"
    )
    table, problems = read(tmp_path, text)
    assert table is not None, [str(p) for p in problems]
    assert table.evaluate({"x": 9}).value == 3


def test_outputs_may_be_listed_in_one_cell(tmp_path: Path) -> None:
    table, problems = read(tmp_path, '#basis,b\n#outputs,"y, z"\nx,y,z\n1,2,3\n')
    assert table is not None, problems
    assert table.evaluate({"x": 1}).value == {"y": 2, "z": 3}


# --- errors, each at its CSV line and column ----------------------------------------------


def one(problems, code):
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, [str(p) for p in problems]
    return found[0]


@pytest.mark.parametrize(
    ("text", "code", "at", "fragment"),
    [
        ("#basis,b\n#outputs,y\nx,y\n1,2\n[1..,3\n", "TABLE-CELL", (5, 1), "closing ]"),
        (
            "#basis,b\n#outputs,y\n#type:y,number\nx,y\n1,2\n3,abc\n",
            "TABLE-CELL",
            (6, 2),
            "is not a number",
        ),
        ("#basis,b\n#outputs,y\nx,y\n1,2\n3\n", "TABLE-SHAPE", (5, 2), "has 1 cell but"),
        ("#basis,b\n#outputs,y\nx,y\n1,2\n3,4,5\n", "TABLE-SHAPE", (5, 3), "has 3 cells"),
        (
            "#basis,b\n#hit_policy,UNIQE\n#outputs,y\nx,y\n1,2\n",
            "INVALID-VALUE",
            (2, 2),
            "did you mean 'UNIQUE'",
        ),
        (
            "#basis,b\n#aggregation,SUM\n#outputs,y\nx,y\n1,2\n",
            "INVALID-VALUE",
            (2, 2),
            "COLLECT hit policy only",
        ),
        ("#outputs,y\nx,y\n1,2\n", "MISSING-BASIS", (1, 1), "#basis"),
        ("#basis,b\nx,y\n1,2\n", "CSV-FORMAT", (1, 1), "#outputs row is missing"),
        ("#basis,b\n#outputs,yy\nx,y\n1,2\n", "CSV-FORMAT", (2, 2), "did you mean 'y'"),
        ("#basis,b\n#outputs,x,y\nx,y\n1,2\n", "CSV-FORMAT", (2, 2), "at least one input"),
        (
            "#basis,b\n#outputs,y\n#colour,red\nx,y\n1,2\n",
            "CSV-FORMAT",
            (3, 1),
            "unknown metadata row",
        ),
        ("#basis,b\n#outputs,y\n#basis,c\nx,y\n1,2\n", "CSV-FORMAT", (3, 1), "appears twice"),
        ("#basis,b,c\n#outputs,y\nx,y\n1,2\n", "CSV-FORMAT", (1, 3), "takes one value"),
        (
            "#basis,b\n#outputs,y\nx,y\n#type:x,number\n1,2\n",
            "CSV-FORMAT",
            (4, 1),
            "above the header",
        ),
        (
            "#basis,b\n#outputs,y\n#type:z,number\nx,y\n1,2\n",
            "CSV-FORMAT",
            (3, 1),
            "not a column of the header",
        ),
        (
            "#basis,b\n#outputs,y\n#domain:y,1\nx,y\n1,2\n",
            "CSV-FORMAT",
            (3, 1),
            "input columns only",
        ),
        (
            "#basis,b\n#outputs,y\n#default:x,1\nx,y\n1,2\n",
            "CSV-FORMAT",
            (3, 1),
            "output columns only",
        ),
        (
            "#basis,b\n#outputs,y\n#type:x,numbr\nx,y\n1,2\n",
            "INVALID-VALUE",
            (3, 2),
            "did you mean 'number'",
        ),
        (
            "#basis,b\n#outputs,y\n#domain:x,> 5\nx,y\n1,2\n",
            "INVALID-VALUE",
            (3, 2),
            "closed range",
        ),
        ("#basis,b\n#outputs,y\n#domain:x,[1..\nx,y\n1,2\n", "INVALID-VALUE", (3, 2), "closing ]"),
        ("#basis,b\n#outputs,y\nx,,y\n1,2,3\n", "CSV-FORMAT", (3, 2), "has no name"),
        ("#basis,b\n#outputs,y\nx,x,y\n1,2,3\n", "DUPLICATE-ID", (3, 2), "appears twice"),
        ("#basis,b\n#outputs,y\n", "CSV-FORMAT", (3, None), "header row"),
        ('#basis,b\n#outputs,y\nx,y\n"1,2\n', "CSV-FORMAT", (4, None), "malformed CSV"),
        ('#basis,b\n#outputs,y\nx,y\n"1"x,2\n', "CSV-FORMAT", (4, None), "malformed CSV"),
        ("", "CSV-FORMAT", (1, None), "empty"),
        ("\n\n,,\n", "CSV-FORMAT", (1, None), "empty"),
        (
            "#basis,b\n#outputs,y\n#type:x,string\nx,y\n> 5,1\n",
            "TABLE-CELL",
            (5, 1),
            "cannot be used in a string column",
        ),
        ("#basis,b\n#outputs,y\nx,y\n1,2\n2,x\n3,4\n", "TABLE-CELL", (5, 2), "#type:y,string"),
    ],
)
def test_every_csv_problem_names_its_row_and_column(tmp_path, text, code, at, fragment) -> None:
    table, problems = read(tmp_path, text, "t.csv")
    assert table is None
    problem = one(problems, code)
    assert where(problem) == at
    assert problem.path == "tables/t.csv"
    assert fragment in problem.message_en, problem.message_en
    assert problem.message_zh
    assert problem.rule == "t"


def test_all_problems_are_reported_in_one_go(tmp_path: Path) -> None:
    text = "#outputs,y\n#colour,x\nx,y\n[1..,2\n3\n4,z\n5,6\n"
    table, problems = read(tmp_path, text)
    assert table is None
    assert sorted(codes(problems)) == [
        "CSV-FORMAT",
        "MISSING-BASIS",
        "TABLE-CELL",
        "TABLE-CELL",
        "TABLE-SHAPE",
    ]


def test_a_csv_error_still_reports_the_rows_before_it(tmp_path: Path) -> None:
    table, problems = read(tmp_path, '#basis,b\n#hit_policy,NOPE\n#outputs,y\nx,y\n1,"2\n')
    assert table is None
    assert sorted(codes(problems)) == ["CSV-FORMAT", "INVALID-VALUE"]


def test_a_file_that_is_not_utf8_says_how_to_save_it(tmp_path: Path) -> None:
    table, problems = read(tmp_path, "#basis,依据\n#outputs,y\nx,y\n1,2\n".encode("gbk"))
    assert table is None
    assert codes(problems) == ["FILE-UNREADABLE"]
    assert "CSV UTF-8" in problems[0].message_en
    assert "CSV UTF-8" in problems[0].message_zh


def test_a_missing_file(tmp_path: Path) -> None:
    table, problems = table_from_csv(tmp_path / "nope.csv", "tables/nope.csv")
    assert table is None
    assert codes(problems) == ["FILE-NOT-FOUND"]


def test_an_over_long_cell_is_a_csv_problem(tmp_path: Path) -> None:
    table, problems = read(tmp_path, "#basis,b\n#outputs,y\nx,y\n" + "1" * 200_000 + ",2\n")
    assert table is None
    assert codes(problems) == ["CSV-FORMAT"]


def test_the_example_in_the_docs_compiles_and_checks_clean() -> None:
    path = Path(__file__).parents[2] / "docs" / "examples" / "committed-limit-by-type.csv"
    table, problems = table_from_csv(path, "docs/examples/committed-limit-by-type.csv")
    assert problems == [] and table is not None
    assert check_table(table) == []
    assert table.evaluate({"item_type": "report_up", "statutory_days": 5}).value == 20
