"""What a rulebook test says: the ``tests:`` entries policy staff write beside their rules.

A test gives a context and says what must come out::

    tests:
      - id: T-COMMITTED-OVER-STATUTORY
        title: 承诺时限超过法定时限时报错
        scope: item                     # run every rule of this scope in force on `on`
        on: 2025-10-01
        given: {code: FY-1, statutory_days: 20, committed_days: 25}
        expect:
          findings: [CAT-COMMITTED-LE-STATUTORY]   # exactly these rules fire
      - id: T-LIMIT-LOOKUP
        table: COMMITTED-LIMIT-BY-TYPE  # look a decision table up
        given: {item_type: commitment, statutory_days: 20}
        expect: {output: 15}
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field, field_validator, model_validator

from ..load.model import Identifier, Title, as_title
from ..load.validation import Strict


class Expect(Strict):
    """What a test expects."""

    findings: list[str] | None = Field(
        default=None, description="恰好触发的规则编号 / exactly the rules that fire"
    )
    output: Any = Field(default=None, description="决策表的输出 / the decision table's output")
    rows: list[int] | None = Field(default=None, description="命中的行号 / rows that match")
    error: str | None = Field(
        default=None, description="预期的错误代码，如 TABLE-NO-MATCH / the expected error code"
    )
    values: dict[str, Any] | None = Field(
        default=None,
        description="作用域算出的值（如 month 作用域的 score、points），只比较写出的键 / "
        "values the scope computes (a month's score, points): only the keys written are compared",
    )


class TestSpec(Strict):
    """One rulebook test case."""

    id: Identifier
    title: Title | None = None
    scope: str | None = Field(
        default=None, description="运行哪个作用域的规则 / scope whose rules run"
    )
    table: str | None = Field(default=None, description="查哪张决策表 / decision table to look up")
    on: dt.date | None = Field(
        default=None, description="按哪天有效的规则版本 / date for rule versions"
    )
    given: dict[str, Any] = Field(default_factory=dict, description="输入 / the context")
    events: list[dict[str, Any]] | None = Field(
        default=None,
        description="案件事件（代替 given），格式同事件文件 / a case's events instead of given",
    )
    as_of: dt.datetime | None = Field(
        default=None, description="按哪一时点计算（含时区） / the moment evaluated, with its offset"
    )
    expect: Expect

    _title = field_validator("title", mode="before")(as_title)

    @model_validator(mode="after")
    def _one_target(self) -> TestSpec:
        if (self.scope is None) == (self.table is None):
            raise ValueError(
                "测试必须且只能指定 scope 或 table 之一 / a test names exactly one of scope or table"
            )
        if self.events is not None and self.given:
            raise ValueError("given 与 events 只能写一个 / write given or events, not both")
        if self.as_of is not None and self.as_of.tzinfo is None:
            raise ValueError("as_of 须带时区，如 +08:00 / as_of needs its UTC offset, e.g. +08:00")
        return self
