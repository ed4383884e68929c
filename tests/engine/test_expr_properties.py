"""Properties: the fast path and the traced path agree on well-typed expressions and contexts."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fyrules.engine.expr import BOOL, EvaluationError, ExpressionError
from tests.engine.expr_support import compiled

# --- well-typed expressions over the test schema --------------------------------------------

NUMBER_LEAVES = st.sampled_from(
    ["age", "income", "score", "fee", "committed_days", "0", "1", "2", "-3", "0.5", "1e3",
     "len(tags)", "count(documents)", "sum(amounts)", "year(accepted_on)",
     "days_between(accepted_on, decided_on)", "item.fee", "extra"]
)  # fmt: skip
STRINGS = st.sampled_from(["region", "note", "item.type", '"A"', '"急"', "item.owner.name"])
BOOL_LEAVES = st.sampled_from(
    ["flag", "True", "False", "maybe_flag is None", "coalesce(maybe_flag, False)",
     "any(d.original for d in documents)", "score is not None", "extra == 1"]
)  # fmt: skip


def numbers() -> st.SearchStrategy[str]:
    """Numeric formulas; loops and powers take leaves only (nesting them is refused)."""

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        binary = st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "//", "%"]), inner)
        return st.one_of(
            binary.map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            inner.map(lambda a: f"-{a}"),
            inner.map(lambda a: f"abs({a})"),
            NUMBER_LEAVES.map(lambda a: f"({a}) ** 2"),
            st.tuples(inner, inner).map(lambda t: f"min({t[0]}, {t[1]})"),
            st.tuples(inner, inner).map(lambda t: f"max({t[0]}, {t[1]})"),
            st.tuples(inner, st.integers(-2, 3)).map(lambda t: f"round({t[0]}, {t[1]})"),
            inner.map(lambda a: f"coalesce(score, {a})"),
            st.tuples(inner, BOOL_LEAVES, inner).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
            NUMBER_LEAVES.map(lambda a: f"sum(d.pages for d in documents if d.pages > {a})"),
            NUMBER_LEAVES.map(lambda a: f"count(x for x in amounts if x >= {a})"),
            NUMBER_LEAVES.map(lambda a: f"max(x * {a} for x in amounts)"),
        )

    return st.recursive(NUMBER_LEAVES, extend, max_leaves=6)


def conditions() -> st.SearchStrategy[str]:
    number = numbers()
    compare = st.tuples(number, st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), number)
    atoms = st.one_of(
        BOOL_LEAVES,
        compare.map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
        st.tuples(number, number, number).map(lambda t: f"{t[0]} < {t[1]} <= {t[2]}"),
        STRINGS.map(lambda s: f'{s} in ["A", "B", "急"]'),
        STRINGS.map(lambda s: f"{s} in tags"),
        st.tuples(STRINGS, STRINGS).map(lambda t: f'{t[0]} + {t[1]} == "AA"'),
        st.tuples(STRINGS, STRINGS).map(lambda t: f"{t[0]} in {t[1]}"),
        NUMBER_LEAVES.map(lambda a: f"all(x > {a} for x in amounts)"),
        NUMBER_LEAVES.map(lambda a: f"any(d.pages == {a} for d in documents)"),
    )

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            inner.map(lambda p: f"not ({p})"),
            st.tuples(inner, inner).map(lambda t: f"({t[0]} and {t[1]})"),
            st.tuples(inner, inner).map(lambda t: f"({t[0]} or {t[1]})"),
            st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
        )

    return st.recursive(atoms, extend, max_leaves=5)


# --- contexts of the right shape, with awkward values -----------------------------------------

NUMBER_VALUES = st.one_of(
    st.integers(-50, 50),
    st.integers(-(10**18), 10**18),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.sampled_from([0, 0.0, -0.0, 1e308, float("inf"), float("nan")]),
)
OPTIONAL_NUMBERS = st.one_of(st.none(), NUMBER_VALUES)
TEXT = st.sampled_from(["A", "B", "C", "急", "", "AA", "加急"])
DOCUMENT = st.fixed_dictionaries({"kind": TEXT, "pages": NUMBER_VALUES, "original": st.booleans()})


@st.composite
def contexts(draw: st.DrawFn) -> dict[str, Any]:
    context = {
        "age": draw(NUMBER_VALUES),
        "income": draw(NUMBER_VALUES),
        "region": draw(TEXT),
        "score": draw(OPTIONAL_NUMBERS),
        "flag": draw(st.booleans()),
        "maybe_flag": draw(st.one_of(st.none(), st.booleans())),
        "note": draw(st.one_of(st.none(), TEXT)),
        "accepted_on": draw(st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1))),
        "decided_on": draw(
            st.one_of(st.none(), st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)))
        ),
        "documents": draw(st.lists(DOCUMENT, max_size=4)),
        "tags": draw(st.lists(TEXT, max_size=4)),
        "amounts": draw(st.lists(OPTIONAL_NUMBERS, max_size=4)),
        "item": {
            "type": draw(TEXT),
            "fee": draw(OPTIONAL_NUMBERS),
            "owner": draw(st.one_of(st.none(), st.fixed_dictionaries({"name": TEXT}))),
        },
        "extra": draw(st.one_of(NUMBER_VALUES, TEXT, st.none(), st.booleans(), st.lists(TEXT))),
        "committed_days": draw(NUMBER_VALUES),
        "fee": draw(OPTIONAL_NUMBERS),
    }
    for optional in ("score", "fee", "note", "maybe_flag", "decided_on"):
        if draw(st.booleans()) and context[optional] is None:
            del context[optional]  # absent and None read the same
    return context


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


def outcome(call: Any) -> Any:
    try:
        return ("value", call())
    except EvaluationError as exc:
        return ("error", exc.problem)


def agree(source: str, context: dict[str, Any], expected: Any = None) -> None:
    try:
        expression = compiled(source, expected=expected)
    except ExpressionError as exc:  # the generator may combine types the checker refuses
        assert exc.problem.code in ("EXPR-TYPE", "EXPR-ARGUMENTS", "EXPR-TOO-DEEP", "EXPR-TOO-LONG")
        return
    fast = outcome(lambda: expression(context))
    traced = outcome(lambda: expression.evaluate_traced(context)[0])
    assert fast[0] == traced[0], (fast, traced)
    assert same(fast[1], traced[1]) or (fast[0] == "error" and fast[1] == traced[1]), (fast, traced)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(conditions(), contexts())
def test_fast_and_traced_paths_agree_on_conditions(source, context):
    """Invariant: for a well-typed condition and any context of the schema's shape, calling the
    compiled expression and tracing it give the same value, or the same EvaluationError."""
    agree(source, context, expected=BOOL)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(numbers(), contexts())
def test_fast_and_traced_paths_agree_on_formulas(source, context):
    """Invariant: the same for numeric formulas, where division by zero, empty values and
    overflow are common."""
    agree(source, context)


@given(conditions())
def test_well_typed_conditions_compile(source):
    """Invariant: the generator above writes conditions the checker accepts (so the agreement
    tests test something), except those too large for the limits."""
    try:
        assert compiled(source, expected=BOOL).type == BOOL
    except ExpressionError as exc:
        assert exc.problem.code in ("EXPR-TOO-DEEP", "EXPR-TOO-LONG"), exc.problem.format()
