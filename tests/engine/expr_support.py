"""What the expression tests share: a schema with every kind of field, and a full context."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from fyrules.engine.expr import (
    ANY,
    BOOL,
    DATE,
    DATETIME,
    NUMBER,
    STRING,
    CompiledExpression,
    ExpressionError,
    compile_expression,
    list_of,
    object_type,
    optional,
)
from fyrules.engine.problems import Problem

DOCUMENT = object_type("document", {"kind": STRING, "pages": NUMBER, "original": BOOL})
OWNER = object_type("owner", {"name": STRING})
ITEM = object_type("item", {"type": STRING, "fee": optional(NUMBER), "owner": optional(OWNER)})
SCHEMA = object_type(
    "case",
    {
        "age": NUMBER,
        "income": NUMBER,
        "region": STRING,
        "score": optional(NUMBER),
        "flag": BOOL,
        "maybe_flag": optional(BOOL),
        "note": optional(STRING),
        "accepted_on": DATE,
        "decided_on": optional(DATE),
        "submitted_at": DATETIME,
        "documents": list_of(DOCUMENT),
        "tags": list_of(STRING),
        "amounts": list_of(NUMBER),
        "item": ITEM,
        "extra": ANY,
        "committed_days": NUMBER,
        "statutory_days": NUMBER,
        "fee": optional(NUMBER),
        "名称": STRING,
    },
)


def context(**changes: Any) -> dict[str, Any]:
    """A context with every required field of :data:`SCHEMA`, with ``changes`` applied."""
    base: dict[str, Any] = {
        "age": 30,
        "income": 20_000,
        "region": "A",
        "score": 4.5,
        "flag": True,
        "maybe_flag": None,
        "note": "加急",
        "accepted_on": dt.date(2025, 10, 9),
        "decided_on": dt.date(2025, 10, 20),
        "submitted_at": dt.datetime(2025, 10, 9, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        "documents": [
            {"kind": "营业执照", "pages": 2, "original": True},
            {"kind": "身份证", "pages": 1, "original": False},
        ],
        "tags": ["urgent", "online"],
        "amounts": [1, 2.5, 3],
        "item": {"type": "commitment", "fee": None, "owner": {"name": "甲"}},
        "extra": 7,
        "committed_days": 12,
        "statutory_days": 20,
        "fee": 100,
        "名称": "测试",
    }
    base.update(changes)
    return base


def compiled(source: str, **options: Any) -> CompiledExpression:
    return compile_expression(source, SCHEMA, **options)


def evaluate(source: str, **changes: Any) -> Any:
    """The value of ``source`` on :func:`context` with ``changes``, checked on both paths."""
    expression = compiled(source)
    ctx = context(**changes)
    value = expression(ctx)
    traced, _ = expression.evaluate_traced(ctx)
    assert traced == value or (traced != traced and value != value)  # NaN equals itself here
    return value


def refused(source: str, code: str | None = None, **options: Any) -> Problem:
    """The problem ``source`` is refused with (and check its code, if given)."""
    with pytest.raises(ExpressionError) as caught:
        compiled(source, **options)
    problem = caught.value.problem
    assert problem.message_zh and problem.message_en
    if code is not None:
        assert problem.code == code, problem.format()
    return problem
