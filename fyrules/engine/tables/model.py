"""The rule-file shape of a decision table (one entry of ``tables:``), as pydantic models.

These models are the border: they check the structure (keys, their types, the hit policy)
and give ``fyrules schema`` its JSON Schema. Cells stay untyped here — what a cell means
depends on its column's type, so :mod:`.build` reads them and reports each bad one at its
own line and column.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema, field_validator

from ..load.model import ID_PATTERN, Title, as_title, is_identifier
from ..load.validation import Strict
from ..suggest import hint
from .values import COLUMN_TYPES

HIT_POLICIES: tuple[str, ...] = ("UNIQUE", "FIRST", "PRIORITY", "ANY", "COLLECT")
AGGREGATIONS: tuple[str, ...] = ("SUM", "COUNT", "MIN", "MAX")

_SCALAR_SCHEMA: dict[str, Any] = {"type": ["string", "number", "boolean", "null"]}
_CELL_SCHEMA: dict[str, Any] = {
    "anyOf": [_SCALAR_SCHEMA, {"type": "array", "items": _SCALAR_SCHEMA}],
    "description": "单元格：输入为一元检验（- 、> 20、[1..20]、a, b、not(a)），输出为一个值 / "
    "a cell: a unary test for inputs (-, > 20, [1..20], a, b, not(a)), a value for outputs",
}

_DEFAULT_SCHEMA: dict[str, Any] = {
    "anyOf": [_SCALAR_SCHEMA, {"type": "object", "additionalProperties": _SCALAR_SCHEMA}]
}

Scalar = Annotated[Any, WithJsonSchema(_SCALAR_SCHEMA)]
CellValue = Annotated[Any, WithJsonSchema(_CELL_SCHEMA)]
Row = Annotated[
    list[CellValue] | dict[str, CellValue],
    Field(
        description="一行：按列顺序的列表（先输入后输出），或按列名的映射 / a row: a list in "
        "column order (inputs, then outputs) or a mapping by column name"
    ),
]


def _one_of(name_zh: str, name_en: str, allowed: tuple[str, ...], *, upper: bool) -> Any:
    def check(value: Any) -> Any:
        if not isinstance(value, str):
            return value  # the Literal check reports the wrong type
        norm = value.strip().upper() if upper else value.strip().lower()
        if norm in allowed:
            return norm
        zh_hint, en_hint = hint(value, allowed)
        listed = ", ".join(allowed)
        raise ValueError(
            f"未知的{name_zh} “{value}”{zh_hint}，可选：{listed}"
            f" / unknown {name_en} '{value}'{en_hint}; use one of: {listed}"
        )

    return BeforeValidator(check)


HitPolicy = Annotated[
    Literal["UNIQUE", "FIRST", "PRIORITY", "ANY", "COLLECT"],
    _one_of("命中策略", "hit policy", HIT_POLICIES, upper=True),
]
Aggregation = Annotated[
    Literal["SUM", "COUNT", "MIN", "MAX"],
    _one_of("汇总方式", "aggregation", AGGREGATIONS, upper=True),
]
ColumnTypeName = Annotated[
    Literal["number", "string", "date", "bool"],
    _one_of("列类型", "column type", COLUMN_TYPES, upper=False),
]


def _column_name(value: str) -> str:
    if not value.isidentifier() or value.startswith("_"):
        raise ValueError(
            f"列名 “{value}” 只能由字母、汉字、数字和下划线组成，不能以数字或下划线开头"
            f" / column name '{value}' may hold letters, digits and underscores only, "
            "and may not start with a digit or an underscore"
        )
    return value


ColumnName = Annotated[str, AfterValidator(_column_name)]


def _table_id(value: str) -> str:
    if not is_identifier(value) or len(value) > 80:
        raise ValueError(
            f"决策表编号 “{value}” 只能由字母、数字和 - _ . 组成（不超过 80 个字符）"
            f" / table id '{value}' may hold letters, digits and - _ . only (80 at most)"
        )
    return value


TableId = Annotated[
    str, AfterValidator(_table_id), WithJsonSchema({"type": "string", "pattern": ID_PATTERN})
]


class InputSpec(Strict):
    """One input column: the name of the value looked up, its type and (for checks) its domain."""

    name: ColumnName = Field(
        description="输入名（查表时提供的值的名字） / input name (the key looked up)"
    )
    type: ColumnTypeName = Field(
        description="类型：number 数字、string 文本、date 日期、bool 是/否 / "
        "type: number, string, date, bool"
    )
    values: list[Scalar] | None = Field(
        None,
        description="取值范围：所有可能的值（用于检查遗漏和运行时校验） / "
        "the domain: every possible value (used to find gaps and to check inputs at run time)",
    )
    range: Annotated[list[Scalar], Field(min_length=2, max_length=2)] | None = Field(
        None,
        description="数字或日期的取值区间 [下限, 上限]（含两端，null 表示不限） / the domain of a "
        "number or date column: [low, high], both included; null for no bound",
    )


class OutputSpec(Strict):
    """One output column: its name, type and, under PRIORITY, its values in priority order."""

    name: ColumnName = Field(description="输出名 / output name")
    type: ColumnTypeName = Field(
        description="类型：number、string、date、bool / type: number, string, date, bool"
    )
    priority: list[Scalar] | None = Field(
        None,
        description="可能的输出值，按优先级从高到低（PRIORITY 命中策略必填） / the possible output "
        "values, highest priority first (required by the PRIORITY hit policy)",
    )


class TableSpec(Strict):
    """决策表 / a decision table: rows of input tests and the outputs they give."""

    id: TableId = Field(
        description="决策表编号，在规则集内唯一 / table id, unique in the rulebook",
    )
    title: Title | None = Field(None, description="标题 / title")
    basis: str = Field(description="法律或政策依据（必填） / legal or policy basis (required)")
    hit_policy: HitPolicy = Field(
        "UNIQUE",
        description="命中策略：UNIQUE 唯一、FIRST 首个、PRIORITY 优先级、ANY 任一、COLLECT 汇总 / "
        "hit policy: UNIQUE, FIRST, PRIORITY, ANY, COLLECT",
    )
    aggregation: Aggregation | None = Field(
        None,
        description="仅用于 COLLECT：SUM 求和、COUNT 计数、MIN 最小、MAX 最大（不写则返回列表） / "
        "COLLECT only: SUM, COUNT, MIN, MAX (absent: the list of outputs)",
    )
    inputs: list[InputSpec] = Field(min_length=1, description="输入列 / input columns")
    outputs: list[OutputSpec] = Field(min_length=1, description="输出列 / output columns")
    rows: list[Row] = Field(
        description="规则行，自上而下编号 1、2、3… / rows, numbered 1, 2, 3… from the top"
    )
    default: Annotated[Any, WithJsonSchema(_DEFAULT_SCHEMA)] = Field(
        None,
        description="没有行匹配时的输出（多个输出时按名写成映射） / the output when no row matches "
        "(a mapping by name when there are several outputs)",
    )

    _title = field_validator("title", mode="before")(as_title)
