"""Pydantic models of the engine's own rule-file sections: the manifest, parameters, rules.

These models are the border: they validate what policy staff write and give ``fyrules schema``
its JSON Schema. Descriptions are in Chinese and English because editors show them as hints.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator

from .validation import Strict

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"
_ID_RE = re.compile(ID_PATTERN)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

Severity = Literal["error", "warning", "info"]
Identifier = Annotated[
    str,
    Field(
        pattern=ID_PATTERN,
        max_length=80,
        description="编号：字母、数字、- _ . / Identifier: letters, digits, - _ .",
    ),
]


class Text(Strict):
    """A text in Chinese and English."""

    zh: str = Field(min_length=1, description="中文 / Chinese")
    en: str = Field(min_length=1, description="英文 / English")


class Title(Strict):
    """A title; English may be left out and falls back to Chinese. A plain text is the
    Chinese title (``title: 即办件`` is ``title: {zh: 即办件}``)."""

    zh: str = Field(min_length=1, description="中文标题 / Chinese title")
    en: str | None = Field(default=None, description="英文标题 / English title")

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> Any:
        # Editors should accept the plain-text form that as_title reads.
        as_object = handler(core_schema)
        return {"anyOf": [{"type": "string", "minLength": 1}, as_object]}


def as_title(value: Any) -> Any:
    return {"zh": value} if isinstance(value, str) else value


class Manifest(Strict):
    """``rulebook.yaml``: who this rulebook is and what it extends."""

    rulebook: Identifier = Field(description="规则集编号 / rulebook id")
    name: Title = Field(description="规则集名称 / rulebook name")
    jurisdiction: str = Field(min_length=1, description="适用地域 / jurisdiction")
    timezone: str = Field(default="Asia/Shanghai", description="时区（IANA） / IANA time zone")
    version: str = Field(min_length=1, description="版本 / version")
    extends: str | None = Field(
        default=None,
        description="继承的上级规则集：内置名称（如 national）或相对路径 / "
        "the rulebook this one extends: a built-in name (national) or a relative path",
    )
    basis: str | None = Field(default=None, description="总体依据 / overall legal basis")
    description: str | None = Field(default=None, description="说明 / description")

    _title = field_validator("name", mode="before")(as_title)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        from ..messages import unknown_timezone

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(unknown_timezone(value)) from None
        return value


Direction = Literal["lower", "higher", "fixed", "free"]


class ParameterSpec(Strict):
    """A named policy value (a number of days, a rate) that rules refer to as ``param("id")``.

    ``tighten`` says which way a local rulebook may change it: ``lower`` (only smaller values,
    e.g. a time limit), ``higher`` (only larger, e.g. a sampling rate), ``fixed`` (not at all),
    ``free`` (any way)."""

    id: Identifier
    title: Title
    value: bool | int | float | str | dt.date = Field(description="取值 / value")
    basis: str = Field(min_length=1, description="法律或政策依据 / legal or policy basis")
    tighten: Direction = Field(
        default="fixed",
        description="下级可如何调整：lower 只能调低, higher 只能调高, fixed 不可改, free 不限 / "
        "how a local rulebook may change it",
    )
    unit: str | None = Field(default=None, description="单位 / unit, e.g. 工作日")

    _title = field_validator("title", mode="before")(as_title)

    @field_validator("value", mode="before")
    @classmethod
    def _date_value(cls, value: Any) -> Any:
        """YAML 1.2 reads ``2025-10-01`` as text: a value written as a date is a date."""
        if isinstance(value, str) and _ISO_DATE.fullmatch(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"不是有效日期：{value!r} / not a real date: {value!r}") from None
        return value


class CheckSpec(Strict):
    """What a rule and an invariant (:class:`fyrules.invariants.model.InvariantSpec`) share:
    an id, a title, a basis, a severity, a scope, a message and a validity. Each adds the
    expression it checks."""

    id: Identifier
    title: Title
    basis: str = Field(
        min_length=1, description="法律或政策依据（必填） / legal or policy basis (required)"
    )
    severity: Severity = Field(default="error", description="error 错误 / warning 警告 / info 提示")
    scope: str = Field(
        description="作用域：item, event, case, assignment, month / where the rule runs"
    )
    message: Text = Field(
        description="报告的消息，可用 {字段} 占位 / message with {field} placeholders",
    )
    valid_from: dt.date | None = Field(
        default=None, description="生效日期（含） / in force from (inclusive)"
    )
    valid_to: dt.date | None = Field(
        default=None, description="失效日期（含） / in force until (inclusive)"
    )
    tags: tuple[str, ...] = Field(default=(), description="标签 / tags")

    _title = field_validator("title", mode="before")(as_title)


class RuleSpec(CheckSpec):
    """A rule: when its condition holds in its scope, it reports a finding."""

    condition: str = Field(
        min_length=1,
        description="条件表达式；为真时报告 / condition in the expression language; reports when true",
    )


def is_identifier(value: object) -> bool:
    return isinstance(value, str) and bool(_ID_RE.match(value))
