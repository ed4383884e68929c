"""Decision tables in YAML rule files: every problem names its code, line and column."""

from __future__ import annotations

import json
import textwrap

import pytest

from fyrules.engine.load.source import parse_yaml
from fyrules.engine.tables import TableSpec, tables_from_file_data

from .table_helpers import codes, compile_data, compile_yaml, make_data, where

HEAD = """
tables:
  - id: T
    basis: 依据
"""


TEXT: list[str] = []  # the text of the last table compiled, for finding positions in it


def problems_of(body: str) -> list:
    text = HEAD + textwrap.dedent(body).replace("\n", "\n    ")
    TEXT[:] = [text]
    table, problems = compile_yaml(text)
    assert table is None or all(p.severity != "error" for p in problems)
    return problems


def at(needle: str, nth: int = 0) -> tuple[int, int]:
    """The (line, column) of the ``nth`` occurrence of ``needle`` in the last table's text."""
    text = TEXT[0]
    index = -1
    for _ in range(nth + 1):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def only(problems: list, code: str):
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, [str(p) for p in problems]
    assert found[0].rule == "T"
    return found[0]


def test_a_bad_cell_is_reported_at_its_line_and_column() -> None:
    problems = problems_of("""
    inputs: [{name: days, type: number}]
    outputs: [{name: level, type: string}]
    rows:
      - ["> 5", high]
      - ["[5..1]", low]
    """)
    problem = only(problems, "TABLE-CELL")
    assert where(problem) == at("[5..1]")  # the text inside the quotes
    assert "row 2, column days" in problem.message_en
    assert "第 2 行 days 列" in problem.message_zh


def test_bad_cells_in_rows_by_name_and_outputs() -> None:
    problems = problems_of("""
    inputs: [{name: days, type: number}]
    outputs: [{name: level, type: number}]
    rows:
      - {days: "> x", level: 1}
      - {days: 1, level: high}
    """)
    assert codes(problems) == ["TABLE-CELL", "TABLE-CELL"]
    assert [where(p) for p in problems] == [at("> x"), at("high")]


def test_a_row_with_the_wrong_number_of_cells_is_a_shape_problem() -> None:
    problem = only(
        problems_of("""
    inputs: [{name: a, type: string}, {name: b, type: number}]
    outputs: [{name: c, type: number}]
    rows:
      - [x, 1]
    """),
        "TABLE-SHAPE",
    )
    assert where(problem) == at("[x, 1]")
    assert "has 2 cells but the table has 3 columns (a, b, c)" in problem.message_en


def test_a_row_by_name_without_its_output_is_a_shape_problem() -> None:
    problem = only(
        problems_of("""
    inputs: [{name: a, type: string}]
    outputs: [{name: c, type: number}]
    rows:
      - {a: x}
    """),
        "TABLE-SHAPE",
    )
    assert where(problem) == at("{a: x}")


def test_a_misspelled_column_in_a_row_gets_did_you_mean() -> None:
    problem = only(
        problems_of("""
    inputs: [{name: item_type, type: string}]
    outputs: [{name: c, type: number}]
    rows:
      - {item_typ: x, c: 1}
    """),
        "UNKNOWN-KEY",
    )
    assert where(problem) == at("item_typ:")
    assert "did you mean 'item_type'" in problem.message_en


def test_a_missing_basis_is_reported() -> None:
    table, problems = compile_yaml("""
    tables:
      - id: T
        inputs: [{name: a, type: string}]
        outputs: [{name: c, type: number}]
        rows: []
    """)
    assert table is None
    assert codes(problems) == ["MISSING-BASIS"]
    assert problems[0].rule == "T"


def test_an_empty_basis_is_reported_where_it_is_written() -> None:
    table, problems = compile_yaml("""
    tables:
      - id: T
        basis: "  "
        inputs: [{name: a, type: string}]
        outputs: [{name: c, type: number}]
        rows: []
    """)
    assert table is None
    assert codes(problems) == ["MISSING-BASIS"]
    assert where(problems[0]) == (4, 13)


def test_a_misspelled_hit_policy_gets_did_you_mean() -> None:
    problem = only(
        problems_of("""
    hit_policy: UNIQE
    inputs: [{name: a, type: string}]
    outputs: [{name: c, type: number}]
    rows: []
    """),
        "INVALID-VALUE",
    )
    assert where(problem) == at("UNIQE")
    assert "did you mean 'UNIQUE'" in problem.message_en
    assert "是否应为 “UNIQUE”" in problem.message_zh


def test_hit_policy_and_types_are_case_insensitive() -> None:
    table, problems = compile_data(
        make_data(
            [{"name": "a", "type": "Number"}],
            [{"name": "c", "type": "STRING"}],
            [["-", "x"]],
            hit_policy="first",
        )
    )
    assert table is not None, problems
    assert table.hit_policy == "FIRST"
    assert table.inputs[0].type == "number"


@pytest.mark.parametrize(
    ("extra", "outputs", "fragment", "key"),
    [
        (
            {"hit_policy": "PRIORITY"},
            [{"name": "c", "type": "number"}],
            "needs an output with a priority list",
            "hit_policy",
        ),
        (
            {"aggregation": "SUM"},
            [{"name": "c", "type": "number"}],
            "COLLECT hit policy only",
            "aggregation",
        ),
        (
            {"hit_policy": "COLLECT", "aggregation": "SUM"},
            [{"name": "c", "type": "number"}, {"name": "d", "type": "number"}],
            "exactly one output",
            "aggregation",
        ),
        (
            {"hit_policy": "COLLECT", "aggregation": "SUM"},
            [{"name": "c", "type": "string"}],
            "SUM needs a number output",
            "aggregation",
        ),
        (
            {"hit_policy": "COLLECT", "aggregation": "MAX"},
            [{"name": "c", "type": "bool"}],
            "MAX needs a number or date output",
            "aggregation",
        ),
        (
            {"hit_policy": "COLLECT", "default": 1},
            [{"name": "c", "type": "number"}],
            "COLLECT takes no default",
            "default",
        ),
        (
            {"default": 1},
            [{"name": "c", "type": "number"}, {"name": "d", "type": "number"}],
            "default is a mapping by output name",
            "default",
        ),
        (
            {"default": {"c": 1}},
            [{"name": "c", "type": "number"}, {"name": "d", "type": "number"}],
            "one value for each output",
            "default",
        ),
        ({"default": "x"}, [{"name": "c", "type": "number"}], "is not a number", "default"),
    ],
)
def test_policy_problems_are_reported_at_the_key(extra, outputs, fragment, key) -> None:
    lines = "".join(f"\n{k}: {json.dumps(v)}" for k, v in extra.items())
    problems = problems_of(
        lines
        + f"""
inputs: [{{name: a, type: number}}]
outputs: {json.dumps(outputs)}
rows: []
"""
    )
    problem = only(problems, "INVALID-VALUE")
    assert fragment in problem.message_en
    line, column = at(f"{key}: ")
    quoted = isinstance(extra[key], str)  # a quoted scalar is located at its text
    assert where(problem) == (line, column + len(key) + 2 + quoted)


@pytest.mark.parametrize(
    ("column", "fragment"),
    [
        ("{name: a, type: number, values: [1], range: [0, 1]}", "either values or range"),
        ("{name: a, type: number, range: [5, 1]}", "starts after it ends"),
        ("{name: a, type: string, range: [a, b]}", "cannot have a range"),
        ("{name: a, type: number, values: []}", "may not be empty"),
        ("{name: a, type: number, values: [x]}", "is not a number"),
        ("{name: a, type: strng}", "did you mean 'string'"),
        ("{name: 1a, type: string}", "may not start with a digit"),
        ("{name: _a, type: string}", "underscore"),
    ],
)
def test_bad_input_declarations(column: str, fragment: str) -> None:
    problems = problems_of(f"""
    inputs: [{column}]
    outputs: [{{name: c, type: number}}]
    rows: []
    """)
    problem = only(problems, "INVALID-VALUE")
    assert fragment in problem.message_en
    assert problem.line == at("inputs")[0]


def test_a_cell_outside_the_declared_values_is_reported_with_did_you_mean() -> None:
    problem = only(
        problems_of("""
    inputs: [{name: t, type: string, values: [immediate, commitment]}]
    outputs: [{name: c, type: number}]
    rows:
      - [comitment, 1]
    """),
        "TABLE-CELL",
    )
    assert where(problem) == at("comitment")
    assert "did you mean 'commitment'" in problem.message_en


def test_priority_lists_are_checked() -> None:
    problems = problems_of("""
    hit_policy: PRIORITY
    inputs: [{name: a, type: number}]
    outputs: [{name: c, type: string, priority: [red, red, green]}]
    rows:
      - ["-", blue]
    """)
    assert sorted(codes(problems)) == ["INVALID-VALUE", "TABLE-CELL"]
    cell = only(problems, "TABLE-CELL")
    assert "not in the priority list" in cell.message_en
    assert where(cell) == at("blue")


def test_duplicate_column_names_are_reported() -> None:
    problem = only(
        problems_of("""
    inputs: [{name: a, type: number}]
    outputs: [{name: a, type: number}]
    rows: []
    """),
        "DUPLICATE-ID",
    )
    line, column = at("name: a", 1)
    assert where(problem) == (line, column + len("name: "))


def test_unknown_keys_and_wrong_types_come_from_the_schema() -> None:
    problems = problems_of("""
    inputs: [{name: a, type: number, domian: [1]}]
    outputs: [{name: c, type: number}]
    rows: 5
    """)
    assert sorted(codes(problems)) == ["UNKNOWN-KEY", "WRONG-TYPE"]
    unknown = only(problems, "UNKNOWN-KEY")
    assert where(unknown) == at("domian")


def test_duplicate_table_ids_in_one_file() -> None:
    text = textwrap.dedent("""
    tables:
      - {id: A, basis: b, inputs: [{name: x, type: number}], outputs: [{name: y, type: number}], rows: []}
      - {id: A, basis: b, inputs: [{name: x, type: number}], outputs: [{name: y, type: number}], rows: []}
    """)
    doc, _ = parse_yaml(text, "t.yaml")
    assert doc is not None
    tables, problems = tables_from_file_data(doc.data, doc.source)
    assert len(tables) == 1
    assert codes(problems) == ["DUPLICATE-ID"]
    assert where(problems[0]) == (4, 10)
    assert "t.yaml:3:10" in problems[0].message_en


def test_a_file_without_a_tables_list() -> None:
    doc, _ = parse_yaml("tables: 5\n", "t.yaml")
    assert doc is not None
    tables, problems = tables_from_file_data(doc.data, doc.source)
    assert tables == []
    assert codes(problems) == ["WRONG-TYPE"]


def test_all_problems_of_a_table_are_reported_at_once() -> None:
    problems = problems_of("""
    aggregation: SUM
    inputs: [{name: a, type: number}]
    outputs: [{name: c, type: number}]
    rows:
      - ["> x", 1]
      - [1]
      - [1, y]
    """)
    assert sorted(codes(problems)) == ["INVALID-VALUE", "TABLE-CELL", "TABLE-CELL", "TABLE-SHAPE"]


def test_the_json_schema_describes_every_field_in_both_languages() -> None:
    schema = TableSpec.model_json_schema()
    props = schema["properties"]
    for name in (
        "id",
        "title",
        "basis",
        "hit_policy",
        "aggregation",
        "inputs",
        "outputs",
        "rows",
        "default",
    ):
        assert " / " in props[name]["description"], name
    assert props["hit_policy"]["enum"] == ["UNIQUE", "FIRST", "PRIORITY", "ANY", "COLLECT"]
    assert set(schema["required"]) == {"id", "basis", "inputs", "outputs", "rows"}
    json.dumps(schema)
