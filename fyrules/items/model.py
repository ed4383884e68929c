"""The item model: what rule files say about departments, windows, case types, special
procedures and approval items (审批事项).

These pydantic models are the border for the ``departments:``, ``windows:``, ``item_types:``,
``procedures:`` and ``items:`` sections, and give ``fyrules schema`` the JSON Schema editors
use. Policy values (limits, fees) are data here, each with its basis.

The "ten publicity" fields (十公开) an item must publish — responsible section, basis for
setting the item, application conditions, handling procedure, commitment period, required
materials, charging standard and basis, application form, consultation and complaint
telephones — are plain fields of :class:`ItemSpec`; the commitment period is
``committed_days``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from ..engine.load.model import Identifier, Title, as_title
from ..engine.load.validation import Strict

OnlineLevel = Literal["none", "apply", "full"]
Authorization = Literal["window", "chief", "leader"]
CaseKind = Literal["immediate", "commitment", "joint", "report_up"]
# 事项类别：行政审批、公共服务、其他管理事项 / the class of an item in the catalog
ItemCategory = Literal["approval", "public_service", "management"]

KIND_NAMES_ZH: dict[str, str] = {
    "immediate": "即办件",
    "commitment": "承诺件",
    "joint": "联办件",
    "report_up": "上报件",
}


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


class ItemTypeSpec(Strict):
    """A case type code of this rulebook and the kind it belongs to.

    Systems name case types differently (``JB``, ``即办``, ``immediate``); ``kind`` is the
    category fyrules understands: immediate 即办, commitment 承诺, joint 联办, report_up 上报."""

    id: Identifier = Field(description="本地办件类型编码 / local case-type code")
    kind: CaseKind = Field(description="类别：immediate, commitment, joint, report_up")
    name: Title
    basis: str | None = Field(default=None, description="依据 / basis")
    _title = field_validator("name", mode="before")(as_title)


class ProcedureSpec(Strict):
    """A special procedure (特殊环节) the law or the rulebook defines: hearing, expert review …

    Administrative Licensing Law Art. 45: the time these take is not counted in the limits."""

    id: Identifier = Field(description="环节编码，如 expert_review / procedure code")
    name: Title
    counted: bool = Field(default=False, description="是否计入办理时限 / counted toward the limit")
    max_days: int | None = Field(
        default=None, ge=0, description="一般最长工作日 / usual maximum in working days"
    )
    site_work: bool = Field(
        default=False,
        description="是否需要现场勘查、听证、检测、专家评审等（排除一审一核） / "
        "needs site work, a hearing, testing or expert review (rules out one review one approval)",
    )
    article45: bool = Field(
        default=False,
        description="是否为《行政许可法》第四十五条所列的八种程序之一（只有这些停止法定时限；"
        "其他不计时的环节只停止承诺时限） / one of the eight procedures of Art. 45 of the "
        "Administrative Licensing Law (only these stop the statutory clock; other procedures "
        "not counted stop the committed clock only)",
    )
    basis: str = Field(min_length=1, description="依据 / legal basis")
    _title = field_validator("name", mode="before")(as_title)


class SpecialProcedure(Strict):
    """One special procedure of an item: which one, and its limits for this item."""

    name: str = Field(description="环节编码，须在 procedures 中定义 / procedure code")
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
    note: str | None = Field(default=None, description="说明 / note")


class Fee(Strict):
    """The charging standard (收费标准) and its basis, or free."""

    charged: bool = Field(description="是否收费 / whether a fee is charged")
    standard: str | None = Field(default=None, description="收费标准 / charging standard")
    basis: str | None = Field(default=None, description="收费依据 / basis of the fee")


class Form(Strict):
    """The application form or model text (申请表格、示范文本)."""

    name: str = Field(min_length=1, description="表格名称 / form name")
    url: str | None = Field(default=None, description="下载地址 / where to download it")


class ItemSpec(Strict):
    """An approval item (审批事项) as policy staff write it."""

    code: Identifier = Field(description="事项编码 / item code")
    name: Title = Field(description="事项名称 / item name")
    department: str = Field(description="实施部门编号 / department id")
    window: str | None = Field(default=None, description="受理窗口编号 / window id")
    type: str = Field(description="办件类型编码，见 item_types / case-type code")
    category: ItemCategory | None = Field(
        default=None,
        description="事项类别：approval 行政审批，public_service 公共服务，management 其他管理事项"
        "（备案等） / class of item: approval, public service, management (filings and the like)",
    )
    section: str | None = Field(default=None, description="责任科室 / responsible section")
    legal_basis: str | None = Field(
        default=None, description="设定依据 / legal basis for setting up the item"
    )
    conditions: tuple[str, ...] = Field(default=(), description="申请条件 / application conditions")
    procedure: tuple[str, ...] = Field(
        default=(), description="办理流程 / handling procedure steps"
    )
    statutory_days: int | None = Field(
        default=None, ge=0, description="法定时限（工作日） / statutory limit in working days"
    )
    statutory_basis: str | None = Field(
        default=None, description="法定时限依据 / basis of the statutory limit"
    )
    committed_days: int | None = Field(
        default=None, ge=0, description="承诺时限（工作日），即承诺期限 / committed limit"
    )
    committed_hours: float | None = Field(
        default=None, gt=0, description="当日办结事项的承诺工作小时 / committed working hours"
    )
    special_procedures: tuple[SpecialProcedure, ...] = ()
    materials: tuple[Material, ...] = ()
    fee: Fee = Field(default_factory=lambda: Fee(charged=False))
    form: Form | None = Field(default=None, description="申请表格 / application form")
    consult_phone: str | None = Field(default=None, description="咨询电话 / consultation telephone")
    complaint_phone: str | None = Field(default=None, description="投诉电话 / complaint telephone")
    lead_window: str | None = Field(
        default=None, description="联办件主办窗口 / lead window (joint items)"
    )
    co_windows: tuple[str, ...] = Field(default=(), description="协办窗口 / co-handling windows")
    online: OnlineLevel = Field(
        default="none", description="网上办理：none 不可, apply 网上申请, full 全程网办"
    )
    authorization: Authorization = Field(
        default="window",
        description="审批权限：window 窗口, chief 科室负责人, leader 分管领导",
    )
    one_review_one_approval: bool = Field(default=False, description="是否一审一核")
    centralized: bool = Field(default=True, description="是否进驻中心 / centralized in the center")
    green_channel: bool = Field(default=False, description="绿色通道 / green-channel eligible")
    depends_on: tuple[str, ...] = Field(
        default=(), description="前置事项编码 / items this one depends on"
    )
    parallel_group: str | None = Field(
        default=None, description="并联审批组 / parallel-approval group"
    )

    _title = field_validator("name", mode="before")(as_title)

    @property
    def id(self) -> str:
        return self.code
