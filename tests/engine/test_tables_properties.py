"""Property tests of decision tables, each checked against a brute-force oracle."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fyrules.engine.load.source import SourceMap
from fyrules.engine.problems import Problem
from fyrules.engine.tables import TableError, check_table, table_from_csv, table_from_spec_data
from fyrules.engine.tables.analysis import analyse
from fyrules.engine.tables.cells import CellError, parse_input, parse_output

from .table_helpers import make_data

TOP = 6  # number columns range over [0, TOP]
KINDS = ["a", "b", "c"]
OTHER_KIND = "zzz"  # stands for "a value written nowhere" when kinds are not declared

Oracle = Callable[[Any], bool]

# --- cells with integer ends, each with an independent oracle ------------------------------

ends = st.integers(0, TOP)


@st.composite
def simple_number_test(draw: st.DrawFn) -> tuple[str, Oracle]:
    kind = draw(st.sampled_from(["eq", "cmp", "interval"]))
    k = draw(ends)
    if kind == "eq":
        return str(k), lambda x: x == k
    if kind == "cmp":
        op = draw(st.sampled_from(["<", "<=", ">", ">=", "=", "!="]))
        checks = {
            "<": lambda x: x < k,
            "<=": lambda x: x <= k,
            ">": lambda x: x > k,
            ">=": lambda x: x >= k,
            "=": lambda x: x == k,
            "!=": lambda x: x != k,
        }
        return f"{op} {k}", checks[op]
    lo, hi = sorted((k, draw(ends)))
    lo_closed, hi_closed = draw(st.booleans()), draw(st.booleans())
    if lo == hi:
        lo_closed = hi_closed = True
    left = "[" if lo_closed else draw(st.sampled_from(["(", "]"]))
    right = "]" if hi_closed else draw(st.sampled_from([")", "["]))

    def inside(x: float) -> bool:
        above = x >= lo if lo_closed else x > lo
        below = x <= hi if hi_closed else x < hi
        return above and below

    return f"{left}{lo}..{hi}{right}", inside


@st.composite
def number_cell(draw: st.DrawFn) -> tuple[str, Oracle]:
    shape = draw(st.sampled_from(["any", "one", "list", "not"]))
    if shape == "any":
        return "-", lambda x: True
    tests = draw(st.lists(simple_number_test(), min_size=1, max_size=1 if shape == "one" else 3))
    text = ", ".join(t for t, _ in tests)
    oracles = [o for _, o in tests]
    if shape == "not":
        return f"not({text})", lambda x: not any(o(x) for o in oracles)
    return text, lambda x: any(o(x) for o in oracles)


@st.composite
def kind_cell(draw: st.DrawFn) -> tuple[str, Oracle]:
    shape = draw(st.sampled_from(["any", "list", "not"]))
    if shape == "any":
        return "-", lambda x: True
    chosen = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=2, unique=True))
    text = ", ".join(chosen)
    if shape == "not":
        return f"not({text})", lambda x: x not in chosen
    return text, lambda x: x in chosen


@st.composite
def small_table(draw: st.DrawFn, hit_policy: str = "UNIQUE") -> tuple[Any, list[list[Oracle]]]:
    """A table of up to 5 rows over 1–2 number columns and maybe a text column, with oracles."""
    numbers = draw(st.integers(1, 2))
    with_kind = draw(st.booleans())
    declared = draw(st.booleans())
    inputs = [
        {"name": f"n{i}", "type": "number", **({"range": [0, TOP]} if declared else {})}
        for i in range(numbers)
    ]
    if with_kind:
        inputs.append({"name": "kind", "type": "string", **({"values": KINDS} if declared else {})})
    rows, oracles = [], []
    for r in range(draw(st.integers(0, 5))):
        cells = [draw(number_cell()) for _ in range(numbers)]
        if with_kind:
            cells.append(draw(kind_cell()))
        rows.append([t for t, _ in cells] + [r])
        oracles.append([o for _, o in cells])
    data = make_data(inputs, [{"name": "out", "type": "number"}], rows, hit_policy=hit_policy)
    table, problems = table_from_spec_data(data, SourceMap("t.yaml"), ())
    assert table is not None, [str(p) for p in problems]
    return table, oracles


def points(table: Any) -> list[tuple[Any, ...]]:
    """Every point the oracle must look at: each integer and half-integer of the number domain
    (one past it when undeclared), and each kind (plus one written nowhere when undeclared)."""
    axes = []
    for col in table.inputs:
        declared = col.domain is not None
        if col.type == "number":
            lo, hi = (0, TOP) if declared else (-1, TOP + 1)
            axes.append([k / 2 for k in range(2 * lo, 2 * hi + 1)])
        else:
            axes.append(KINDS if declared else [*KINDS, OTHER_KIND])
    return list(itertools.product(*axes))


def matching(oracles: list[list[Oracle]], point: tuple[Any, ...]) -> list[int]:
    return [
        r for r, row in enumerate(oracles) if all(o(v) for o, v in zip(row, point, strict=True))
    ]


def example(analysis: Any, box: tuple[int | None, ...]) -> tuple[Any, ...]:
    out = []
    for col, mask in zip(analysis.columns, box, strict=True):
        chosen = col.all_mask if mask is None else mask
        piece = col.pieces[(chosen & -chosen).bit_length() - 1]
        out.append(
            OTHER_KIND
            if piece.example is not None and repr(piece.example) == "OTHER"
            else piece.example
        )
    return tuple(out)


FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(small_table())
def test_overlaps_and_gaps_agree_with_brute_force(drawn: tuple[Any, list[list[Oracle]]]) -> None:
    """Under UNIQUE, the checker reports exactly the pairs of rows that some input matches
    together, and a gap exactly when some input within the domains matches no row; every
    example it gives really matches both rows, or no row."""
    table, oracles = drawn
    expected_pairs: set[tuple[int, int]] = set()
    uncovered = False
    for point in points(table):
        rows = matching(oracles, point)
        uncovered = uncovered or not rows
        expected_pairs.update(itertools.combinations(rows, 2))
    analysis = analyse(table, want_pair=lambda i, j: True)
    assert analysis.complete
    assert set(analysis.overlaps) == expected_pairs
    assert (analysis.gap_count > 0) == uncovered
    for (i, j), box in analysis.overlaps.items():
        assert {i, j} <= set(matching(oracles, example(analysis, box)))
    for box in analysis.gaps:
        assert matching(oracles, example(analysis, box)) == []
    problems = check_table(table)
    assert len([p for p in problems if p.code == "TABLE-OVERLAP"]) == len(expected_pairs)
    assert any(p.code == "TABLE-GAP" for p in problems) == uncovered


@FAST
@given(small_table(hit_policy="FIRST"))
def test_first_winners_agree_with_brute_force(drawn: tuple[Any, list[list[Oracle]]]) -> None:
    """Under FIRST, a row is reported as never chosen exactly when no input within the domains
    has it as its first matching row (rows that match nothing are reported as dead cells)."""
    table, oracles = drawn
    winners = {rows[0] for p in points(table) if (rows := matching(oracles, p))}
    analysis = analyse(table, winner=min)
    assert analysis.winners == winners


@FAST
@given(small_table(hit_policy="FIRST"), st.data())
def test_first_returns_the_lowest_matching_row(drawn, data) -> None:
    """FIRST gives the lowest-numbered matching row; no matching row is TABLE-NO-MATCH."""
    table, oracles = drawn
    point = data.draw(st.sampled_from(points(table)))
    rows = matching(oracles, point)
    inputs = {col.name: v for col, v in zip(table.inputs, point, strict=True)}
    if rows:
        result = table.evaluate(inputs)
        assert result.rows == (rows[0] + 1,)
        assert result.value == rows[0]
    else:
        try:
            table.evaluate(inputs)
        except TableError as exc:
            assert exc.problem.code == "TABLE-NO-MATCH"
        else:
            raise AssertionError("expected TABLE-NO-MATCH")


@FAST
@given(small_table(hit_policy="COLLECT"), st.data())
def test_collect_count_and_sum_agree_with_brute_force(drawn, data) -> None:
    """COLLECT returns every matching row in order; COUNT and SUM fold them."""
    table, oracles = drawn
    point = data.draw(st.sampled_from(points(table)))
    rows = matching(oracles, point)
    inputs = {col.name: v for col, v in zip(table.inputs, point, strict=True)}
    result = table.evaluate(inputs)
    assert result.rows == tuple(r + 1 for r in rows)
    assert result.value == rows
    for aggregation, expected in (("COUNT", len(rows)), ("SUM", sum(rows))):
        folded = table_from_spec_data(
            {**_data_of(table), "aggregation": aggregation}, SourceMap("t.yaml"), ()
        )[0]
        assert folded is not None
        assert folded.evaluate(inputs).value == expected


def _data_of(table: Any) -> dict[str, Any]:
    inputs = []
    for col in table.inputs:
        spec: dict[str, Any] = {"name": col.name, "type": col.type}
        if col.domain is not None:
            spec |= {"range": [0, TOP]} if col.type == "number" else {"values": KINDS}
        inputs.append(spec)
    rows = [[c.text for c in row.cells] + list(row.outputs) for row in table.rows]
    return make_data(inputs, [{"name": "out", "type": "number"}], rows, hit_policy="COLLECT")


# --- garbage in, problems out ------------------------------------------------------------

cell_text = st.text(
    alphabet=st.sampled_from(list('-<>=!≤≥≠[]()（）.,，"“”\\ 0123456789eE+notNOTabc2025:')),
    max_size=20,
) | st.text(max_size=12)
scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.dates() | cell_text


@settings(max_examples=400, deadline=None)
@given(scalars, st.sampled_from(["number", "string", "date", "bool"]))
def test_garbage_cells_raise_only_cell_errors(cell: Any, type_: str) -> None:
    """Any text or YAML scalar is either read or refused with a CellError — nothing else."""
    for parse in (parse_input, parse_output):
        try:
            parse(cell, type_)
        except CellError as exc:
            assert exc.zh and exc.en


json_like = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(
    st.fixed_dictionaries(
        {
            "id": st.sampled_from(["T", "", "a b", 5]),
            "basis": st.sampled_from(["b", "", None]),
            "inputs": st.lists(
                st.fixed_dictionaries(
                    {
                        "name": st.sampled_from(["x", "y", "x", "_z", "1"]),
                        "type": st.sampled_from(["number", "string", "date", "bool", "nope"]),
                    },
                    optional={
                        "values": st.lists(scalars, max_size=3),
                        "range": st.lists(scalars, min_size=2, max_size=2),
                    },
                ),
                max_size=3,
            ),
            "outputs": st.lists(
                st.fixed_dictionaries(
                    {
                        "name": st.sampled_from(["o", "p", "x"]),
                        "type": st.sampled_from(["number", "string", "date", "bool"]),
                    },
                    optional={"priority": st.lists(scalars, max_size=3)},
                ),
                max_size=2,
            ),
            "rows": st.lists(
                st.lists(scalars, max_size=4)
                | st.dictionaries(st.sampled_from(["x", "y", "o", "p", "q"]), scalars),
                max_size=4,
            ),
        },
        optional={
            "hit_policy": st.sampled_from(
                ["UNIQUE", "FIRST", "PRIORITY", "ANY", "COLLECT", "x", 3]
            ),
            "aggregation": st.sampled_from(["SUM", "COUNT", "MIN", "MAX", "AVG"]),
            "default": json_like,
        },
    ),
    st.lists(st.dictionaries(st.sampled_from(["x", "y", "z"]), scalars), max_size=3),
)
def test_garbage_tables_give_problems_never_exceptions(data: dict[str, Any], lookups) -> None:
    """Any table data compiles or yields problems; a compiled table answers any lookup with a
    result or a TableError, and its checks never fail."""
    table, problems = table_from_spec_data(data, SourceMap("t.yaml"), ())
    assert all(isinstance(p, Problem) for p in problems)
    if table is None:
        assert any(p.severity == "error" for p in problems)
        return
    check_table(table)
    for inputs in lookups:
        with contextlib.suppress(TableError):
            table.evaluate(inputs)


csv_text = st.lists(
    st.lists(
        cell_text
        | st.sampled_from(
            [
                "#basis",
                "#outputs",
                "#hit_policy",
                "#type:x",
                "#domain:x",
                "#default:y",
                "x",
                "y",
                '"',
                "#",
            ]
        ),
        max_size=4,
    ).map(lambda cells: ",".join(cells)),
    max_size=8,
).map("\n".join)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=200) | csv_text.map(lambda t: t.encode("utf-8")))
def test_garbage_csv_files_give_problems_never_exceptions(tmp_path: Path, raw: bytes) -> None:
    """Any bytes in a .csv file compile or yield problems, each with a line in that file."""
    path = tmp_path / "garbage.csv"
    path.write_bytes(raw)
    table, problems = table_from_csv(path, "tables/garbage.csv")
    assert table is not None or any(p.severity == "error" for p in problems)
    for problem in problems:
        assert problem.path == "tables/garbage.csv"
        assert problem.line is not None
    if table is not None:
        check_table(table)
