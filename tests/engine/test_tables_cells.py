"""Reading decision-table cells: every unary-test form, output literals, and the errors."""

from __future__ import annotations

import datetime as dt

import pytest

from fyrules.engine.tables.cells import CellError, parse_input, parse_output


def accepts(cell: object, type_: str, value: object) -> bool:
    return parse_input(cell, type_).contains(value)


@pytest.mark.parametrize("cell", ["-", "", "  -  ", None])
def test_dash_and_empty_cells_accept_anything(cell: object) -> None:
    for value in (-5, 0, 3.5, 10**9):
        assert accepts(cell, "number", value)
    assert accepts(cell, "string", "whatever")


@pytest.mark.parametrize(
    ("cell", "yes", "no"),
    [
        ("5", [5, 5.0], [4, 6]),
        ("< 5", [4.9, -1], [5, 6]),
        ("<= 5", [5, -1], [5.1]),
        ("> 5", [5.1], [5, 4]),
        (">= 5", [5, 9], [4.9]),
        ("= 5", [5], [4]),
        ("!= 5", [4, 6], [5]),
        ("≥ 5", [5], [4]),
        ("≠ 5", [4], [5]),
        ("[1..10]", [1, 10, 5.5], [0.9, 10.1]),
        ("(1..10]", [1.1, 10], [1, 11]),
        ("]1..10]", [1.1, 10], [1]),
        ("[1..10)", [1, 9.9], [10]),
        ("[1..10[", [1, 9.9], [10]),
        ("(1..10)", [2], [1, 10]),
        ("[-5..-1]", [-5, -1], [0]),
        ("[0.5..1.5]", [0.5, 1], [0.4]),
        ("1, 3, [5..7]", [1, 3, 6], [2, 4, 8]),
        ("1，3", [1, 3], [2]),
        ("not(1, 3)", [2, 4], [1, 3]),
        ("not([1..5])", [0, 6], [3]),
        ("NOT（1）", [2], [1]),
        ('"5"', [5], [4]),
    ],
)
def test_number_cells(cell: str, yes: list[float], no: list[float]) -> None:
    for value in yes:
        assert accepts(cell, "number", value), (cell, value)
    for value in no:
        assert not accepts(cell, "number", value), (cell, value)


@pytest.mark.parametrize(
    ("cell", "yes", "no"),
    [
        ("commitment", ["commitment"], ["joint", "Commitment"]),
        ('"commitment"', ["commitment"], ["joint"]),
        ("immediate, commitment", ["immediate", "commitment"], ["joint"]),
        ("not(immediate, joint)", ["commitment", "other"], ["immediate", "joint"]),
        ('"a, b"', ["a, b"], ["a", "b"]),
        ("“即办件”", ["即办件"], ["承诺件"]),
        ("即办件，承诺件", ["即办件", "承诺件"], ["联办件"]),
        ("营业执照（个体）", ["营业执照（个体）"], ["营业执照"]),
        ("report up", ["report up"], ["report"]),
        ("= joint", ["joint"], ["x"]),
        ("!= joint", ["x"], ["joint"]),
        ("5", ["5"], [5]),
        ('"with \\"quote\\""', ['with "quote"'], []),
    ],
)
def test_string_cells(cell: str, yes: list[str], no: list[object]) -> None:
    for value in yes:
        assert accepts(cell, "string", value), (cell, value)
    for value in no:
        assert not accepts(cell, "string", value), (cell, value)


def test_date_cells() -> None:
    assert accepts("2025-10-01", "date", dt.date(2025, 10, 1))
    assert accepts(dt.date(2025, 10, 1), "date", dt.date(2025, 10, 1))
    assert accepts(">= 2025-10-01", "date", dt.date(2025, 12, 31))
    assert not accepts("< 2025-10-01", "date", dt.date(2025, 10, 1))
    assert accepts("[2025-10-01..2025-10-08]", "date", dt.date(2025, 10, 5))
    assert not accepts("[2025-10-01..2025-10-08)", "date", dt.date(2025, 10, 8))


def test_bool_cells() -> None:
    assert accepts("true", "bool", True)
    assert not accepts("true", "bool", False)
    assert accepts("FALSE", "bool", False)
    assert accepts(True, "bool", True)
    assert accepts("not(true)", "bool", False)


def test_yaml_scalars_become_literals() -> None:
    assert accepts(5, "number", 5)
    assert accepts(2.5, "number", 2.5)
    assert accepts(5, "string", "5")
    assert accepts(dt.date(2025, 1, 1), "string", "2025-01-01")
    assert accepts(["immediate", "joint"], "string", "joint")
    assert accepts([1, "[5..6]"], "number", 5.5)


@pytest.mark.parametrize(
    ("cell", "type_", "fragment"),
    [
        ("abc", "number", "is not a number"),
        ("> abc", "number", "is not a number"),
        ("[5..1]", "number", "starts after it ends"),
        ("(5..5]", "number", "is empty"),
        ("[1..5", "number", "closing ]"),
        ("[..5]", "number", "end of the interval is missing"),
        ("<", "number", "missing after <"),
        ("1,,2", "number", "missing between commas"),
        ("1,", "number", "missing between commas"),
        ("> 5 6", "number", "is not a number"),
        ('"a" b', "string", "comma is missing"),
        ('"abc', "string", "closing quote is missing"),
        ('abc"', "string", "unbalanced quotes"),
        ("> b", "string", "cannot be used in a string column"),
        ("[1..5]", "string", "cannot be used in a string column"),
        ("not(a", "string", "closing )"),
        ("not()", "string", "holds no value"),
        ("not(a), not(b)", "string", "one not("),
        ("2025-13-01", "date", "is not a date"),
        ("yes", "bool", "neither true nor false"),
        (True, "number", "got true"),
        (True, "string", "put text in quotes"),
        (dt.datetime(2025, 1, 1, 9), "date", "time of day"),
        ({"a": 1}, "string", "single plain value"),
        ([], "string", "empty list"),
        ([[1]], "number", "plain values only"),
        (["1..20"], "number", 'put an interval in quotes, like "[1..20]"'),
        (10**16, "number", "out of range"),
        ("1e300", "number", "out of range"),
        (float("nan"), "number", "out of range"),
        ("x" * 2001, "string", "longer than"),
    ],
)
def test_bad_input_cells_say_why(cell: object, type_: str, fragment: str) -> None:
    with pytest.raises(CellError) as caught:
        parse_input(cell, type_)
    assert fragment in caught.value.en
    assert caught.value.zh


def test_output_cells_are_literals() -> None:
    assert parse_output("15", "number") == 15
    assert parse_output("2.5", "number") == 2.5
    assert parse_output("a, b", "string") == "a, b"
    assert parse_output('"quoted"', "string") == "quoted"
    assert parse_output(True, "bool") is True
    assert parse_output("2025-10-01", "date") == dt.date(2025, 10, 1)


@pytest.mark.parametrize(
    ("cell", "type_", "fragment"),
    [
        ("-", "number", "must hold a value"),
        ("", "string", "must hold a value"),
        (None, "string", "must hold a value"),
        ("x", "number", "is not a number"),
        ('"a" b', "string", "after the closing quote"),
        ([1], "number", "single plain value"),
    ],
)
def test_bad_output_cells_say_why(cell: object, type_: str, fragment: str) -> None:
    with pytest.raises(CellError) as caught:
        parse_output(cell, type_)
    assert fragment in caught.value.en
