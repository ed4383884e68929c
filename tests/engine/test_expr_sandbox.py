"""Hostile rule files: known sandbox escapes are refused at compile time, and fuzzing finds no
way to make compiling or evaluating raise anything but the library's own errors."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fyrules.engine.codes import CODES
from fyrules.engine.expr import EvaluationError, ExpressionError, limits
from tests.engine.expr_support import SCHEMA, compiled

PAYLOAD_FILE = Path(__file__).with_name("sandbox_payloads.txt")

GENERATED = {
    "huge-int-literal": "9" * 900,
    "huge-string-literal": '"' + "a" * 990 + '"',
    "huge-list-literal": "[" + ",".join(["1"] * 450) + "]",
    "deep-brackets-10000": "(" * 10_000 + ")" * 10_000,
    "deep-lists-10000": "[" * 10_000 + "]" * 10_000,
    "deep-unary-900": "-" * 900 + "1",
    "long-source": "age + " * 10_000 + "1",
    "long-operator-chain": "+".join(["1"] * 450),
}


def payloads() -> list[str]:
    out = []
    for raw in PAYLOAD_FILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("escaped:"):
            out.append(ast.literal_eval(line.removeprefix("escaped:").strip()))
        elif line.startswith("generated:"):
            out.append(GENERATED[line.removeprefix("generated:").strip()])
        else:
            out.append(line)
    return out


def test_the_corpus_has_at_least_forty_payloads():
    assert len(payloads()) >= 40


@pytest.mark.parametrize("payload", payloads(), ids=lambda p: repr(p[:40]))
def test_every_known_payload_is_refused_at_compile_time(payload):
    with pytest.raises(ExpressionError) as caught:
        compiled(payload)
    problem = caught.value.problem
    assert problem.code in CODES and problem.code.startswith("EXPR-")
    assert problem.message_zh.strip() and problem.message_en.strip()


# --- fuzzing ------------------------------------------------------------------------------------

TOKENS = [
    # names from the schema, functions, and names an attacker would try
    "age", "income", "region", "score", "flag", "maybe_flag", "note", "accepted_on",
    "decided_on", "submitted_at", "documents", "tags", "amounts", "item", "extra", "fee",
    "d", "x", "kind", "pages", "original", "type", "owner", "name",
    "len", "count", "sum", "min", "max", "any", "all", "abs", "round", "date",
    "days_between", "year", "month", "weekday", "coalesce",
    "__class__", "__import__", "_x", "gi_frame", "format", "eval", "type",
    # literals
    "0", "1", "-1", "2", "8", "9", "10", "0.5", "1e3", "999999999999999", '"A"', "'x'",
    '""', "True", "False", "None", "[]", "[1, 2]", '["A", "B"]',
    # operators and punctuation
    "+", "-", "*", "/", "//", "%", "**", "==", "!=", "<", "<=", ">", ">=", "in", "not",
    "and", "or", "is", "if", "else", "for", "(", ")", "[", "]", ",", ".", ":", "{", "}",
    "lambda", ":=", "<<", "&", "~", "@", "*", "f'", "'", '"', "\\", "#", "\n", "（", "，",
]  # fmt: skip


def junk() -> st.SearchStrategy[Any]:
    """Any value a careless host could put in a context."""
    leaves = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**20), 10**20),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=20),
        st.dates(),
        st.just(dt.datetime(2025, 1, 1, tzinfo=dt.UTC)),
        st.just(dt.datetime(2025, 1, 1)),
    )
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(
                st.sampled_from(["kind", "pages", "original", "type", "name", "x"]),
                inner,
                max_size=4,
            ),
        ),
        max_leaves=12,
    )


def contexts() -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(
        st.sampled_from(sorted(SCHEMA.fields)), junk(), max_size=len(SCHEMA.fields)
    )


def compile_or_refuse(source: str) -> Any:
    try:
        return compiled(source)
    except ExpressionError as exc:
        assert exc.problem.code in CODES and exc.problem.message_zh and exc.problem.message_en
        return None


def run_or_fail(expression: Any, context: dict[str, Any]) -> None:
    try:
        fast = expression(context)
    except EvaluationError as exc:
        assert exc.problem.code == "EXPR-EVALUATION"
        fast = exc
    try:
        traced, _ = expression.evaluate_traced(context)
    except EvaluationError as exc:
        traced = exc
    assert isinstance(fast, EvaluationError) == isinstance(traced, EvaluationError)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=120), st.data())
def test_random_text_compiles_or_is_refused_and_runs_or_fails_cleanly(source, data):
    """Invariant: on any text, compile_expression returns or raises ExpressionError, and the
    result on any context returns or raises EvaluationError, on both paths alike."""
    expression = compile_or_refuse(source)
    if expression is not None:
        run_or_fail(expression, data.draw(contexts()))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=25).map(" ".join), st.data())
def test_token_soup_compiles_or_is_refused_and_runs_or_fails_cleanly(source, data):
    """Invariant: the same, on token soups that reach far more of the grammar than random text."""
    expression = compile_or_refuse(source)
    if expression is not None:
        run_or_fail(expression, data.draw(contexts()))


@given(
    st.integers(1, 3 * limits.MAX_SOURCE_LENGTH),
    st.sampled_from(["(", "[", "-", "not ", "a.", "f("]),
)
def test_long_and_deep_inputs_never_crash_the_parser(size, piece):
    """Invariant: however long or deep the text, compiling ends with a value or ExpressionError."""
    compile_or_refuse(piece * size + "1" + ")" * size)
