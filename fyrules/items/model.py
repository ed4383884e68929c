"""The item model: what a rule file says about departments, windows and approval items.

These pydantic models are the border for ``items:``, ``departments:`` and ``windows:``
sections; they give ``fyrules schema`` the JSON Schema editors use. Policy values (limits,
fees) are data here, each with its basis.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from ..engine.model import Identifier, Title, as_title
from ..engine.validation import Strict

OnlineLevel = Literal["none", "apply", "full"]
Authorization = Literal["window", "chief", "leader"]


class DepartmentSpec(Strict):
    """A department (部门) whose items are handled in the center."""

    id: Identifier
    name: Title
    _title = field_validator("name", mode="before")(as_title)


class WindowSpec(Strict):
    """A service window (窗口)."""

    id: Identifier
    name: Title
    department: str | None = Field(default=None, description="所属部门 / department it belongs to")
    _title = field_validator("name", mode="before")(as_title)


class SpecialProcedure(Strict):
    """A special procedure (特殊环节) that may stop the clock (Administrative Licensing Law Art. 45)."""

    name: str = Field(description="环节名称，如 expert_review / procedure, e.g. expert_review")
    max_days: int | None = Field(
        default=None, ge=0, description="最长工作日 / maximum working days"
    )
    counted: bool = Field(default=False, description="是否计入时限 / counted toward the limit")


class Material(Strict):
    """A material the applicant hands in (申请材料)."""

    name: str = Field(min_length=1, description="材料名称 / name")
    required: bool = Field(default=True, description="是否必需 / required")
    original: bool = Field(default=False, description="原件（否则复印件） / original, else a copy")
    copies: int = Field(default=1, ge=0, description="份数 / copies")


class Fee(Strict):
    """The charging standard (收费标准) and its basis, or free."""

    charged: bool = Field(description="是否收费 / whether a fee is charged")
    standard: str | None = Field(default=None, description="收费标准 / charging standard")
    basis: str | None = Field(default=None, description="收费依据 / basis of the fee")


class ItemSpec(Strict):
    """An approval item (审批事项) as policy staff write it."""

    code: Identifier = Field(description="事项编码 / item code")
    name: Title = Field(description="事项名称 / item name")
    department: str = Field(description="实施部门编号 / department id")
    window: str | None = Field(default=None, description="受理窗口编号 / window id")
    type: str = Field(
        description="办件类型：immediate 即办, commitment 承诺, joint 联办, report_up 上报"
    )
    statutory_days: int | None = Field(
        default=None, ge=0, description="法定时限（工作日） / statutory limit"
    )
    statutory_basis: str | None = Field(
        default=None, description="法定时限依据 / basis of the limit"
    )
    committed_days: int | None = Field(
        default=None, ge=0, description="承诺时限（工作日） / committed limit"
    )
    special_procedures: tuple[SpecialProcedure, ...] = ()
    materials: tuple[Material, ...] = ()
    fee: Fee = Field(default_factory=lambda: Fee(charged=False))
    consult_phone: str | None = Field(default=None, description="咨询电话 / consultation telephone")
    complaint_phone: str | None = Field(default=None, description="投诉电话 / complaint telephone")
    lead_window: str | None = Field(
        default=None, description="联办主办窗口 / lead window (joint items)"
    )
    co_windows: tuple[str, ...] = Field(default=(), description="协办窗口 / co-handling windows")
    online: OnlineLevel = Field(default="none", description="网上办理：none, apply, full")
    authorization: Authorization = Field(
        default="window", description="审批权限：window, chief, leader"
    )
    one_review_one_approval: bool = Field(default=False, description="一审一核")
    centralized: bool = Field(default=True, description="是否进驻中心 / centralized in the center")
    green_channel: bool = Field(default=False, description="绿色通道 / green-channel eligible")
    depends_on: tuple[str, ...] = Field(
        default=(), description="前置事项编码 / items this depends on"
    )

    _title = field_validator("name", mode="before")(as_title)

    @property
    def id(self) -> str:
        return self.code
