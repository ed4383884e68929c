"""The JSON bodies of the HTTP API (pydantic), so the OpenAPI description is complete."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Open(BaseModel):
    """A body that may carry more fields than the ones named (later versions add some)."""

    model_config = ConfigDict(extra="allow")


class ErrorBody(Open):
    """An error: a code, and what to do in Chinese and English."""

    error: str = Field(description="错误代码 / error code")
    message_zh: str = Field(description="中文说明 / the message in Chinese")
    message_en: str = Field(description="英文说明 / the message in English")


class TrailHead(BaseModel):
    index: int = Field(description="最后一条留痕的序号 / index of the last trail entry")
    hash: str = Field(description="它的哈希 / its hash")


class Health(BaseModel):
    status: Literal["ok"]
    rulebook: str = Field(description="规则集编号 / rulebook id")
    rulebook_version: str | None = Field(description="规则集版本 / rulebook version")
    trail_head: TrailHead | None = Field(description="留痕链头 / the trail's head")
    partitions: int | None = Field(
        default=None,
        description="数据库按几个分区写入（未分区时为空） / the partitions the database is "
        "written in (none when it is not partitioned)",
    )
    chains: dict[str, TrailHead | None] | None = Field(
        default=None,
        description="分区存储中每个分区的留痕链头 / each partition's chain head, for a "
        "partitioned store",
    )


class EventAnswer(BaseModel):
    index: int = Field(description="事件在请求中的位置（从 0 起） / place in the request, from 0")
    outcome: Literal["accepted", "rejected", "duplicate"]
    case: str | None = Field(default=None, description="案件编号 / case number")
    id: str | None = Field(default=None, description="事件编号 / event id")
    reason: str | None = Field(default=None, description="拒收原因代码 / why it was rejected")
    message_zh: str | None = None
    message_en: str | None = None
    query_code: str | None = Field(
        default=None,
        description="受理事件：申请人的查询码，只给这一次 / for an accept event: the applicant's "
        "query code, given this once",
    )


class EventsAnswer(BaseModel):
    accepted: int
    rejected: int
    duplicates: int
    results: list[EventAnswer]


class CaseAnswer(Open):
    case: str
    status: Literal["open", "closed"]
    state: dict[str, Any] = Field(description="案件状态（环节、时间、经办人） / the case's state")
    clock: dict[str, Any] | None = Field(
        description="时钟：法定、承诺期限，暂定与否，环节用时 / the clock: statutory and committed "
        "due dates, provisional, stage times"
    )
    findings: list[dict[str, Any]]


class Finding(Open):
    rule: str
    severity: str
    case: str | None = None
    at: str | None = None
    message: str | None = None
    message_en: str | None = None
    basis: str | None = None
    dept: str | None = None
    window: str | None = None


class FindingsAnswer(BaseModel):
    as_of: str = Field(description="截至时间 / as of")
    count: int
    findings: list[Finding]


class Deadline(Open):
    item: str
    accepted_at: str
    statutory_due: str | None
    committed_due: str | None
    provisional: bool


class Name(BaseModel):
    zh: str
    en: str | None = None


class ItemSummary(BaseModel):
    code: str
    name: Name
    department: str
    window: str | None
    type: str
    statutory_days: int | None
    committed_days: int | None
    online: str


class Item(Open):
    """An item as its rule file states it: the ten public fields (十公开: section, legal
    basis, conditions, procedure, committed limit, materials, fee, form, telephones) and the
    handling details."""

    code: str
    name: Name
    department: str
    type: str
    committed_days: int | None = None
    statutory_days: int | None = None


class Ranking(Open):
    month: str
    rows: list[dict[str, Any]]


class ProgressQuery(BaseModel):
    """The applicant's query: the case number and the code given at acceptance."""

    model_config = ConfigDict(extra="forbid")

    case: str = Field(min_length=1, max_length=200, description="案件编号 / case number")
    code: str = Field(min_length=1, max_length=40, description="查询码 / query code")

    @field_validator("case", "code")
    @classmethod
    def _unicode_text(cls, value: str) -> str:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("不是 Unicode 文本 / not Unicode text") from None
        return value


class Stage(BaseModel):
    name: str
    days: int | None = None
    budget: int | None = None
    over: int | None = None
    open: bool | None = None
    started_at: str | None = None
    ended_at: str | None = None


class Pause(BaseModel):
    reason: str | None = None
    days: int | None = None
    max_days: int | None = None
    counted: bool | None = None
    open: bool | None = None
    started_at: str | None = None
    ended_at: str | None = None


class Progress(BaseModel):
    """What an applicant sees of their own case (no staff member's identity)."""

    case: str
    item: str | None
    item_name: Name | None
    window: str | None
    status: Literal["open", "closed"]
    stage: str | None
    submitted_at: str | None
    accepted_at: str | None
    paused: bool
    pause_reason: str | None
    closed_at: str | None
    closed_by: str | None
    deadlines: dict[str, Any] | None = Field(
        description="截止日期、已用与剩余工作日、超时环节 / due dates, days used and left, late stages"
    )
    stages: list[Stage]
    pauses: list[Pause]
