"""The ``item`` scope: what a catalog rule can see of one approval item.

Catalog rules (``scope: item``) run once per item when the rulebook is checked: "the committed
limit never exceeds the statutory one", "every fee cites its basis". Field names here are the
names policy staff use in conditions, so they are plain English words documented in both
languages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, get_args

from ..engine.context import with_empty_fields
from ..engine.expr.types import BOOL, NUMBER, STRING, list_of, object_type, optional
from ..engine.scopes import Scope
from .model import Authorization, CaseKind, ItemCategory, OnlineLevel

SPECIAL_PROCEDURE = object_type(
    "special_procedure",
    {
        "name": STRING,
        "max_days": optional(NUMBER),
        "counted": BOOL,
        "defined": BOOL,
        "site_work": BOOL,
    },
    {
        "name": "特殊环节编码（如 expert_review 专家评审） / special procedure code",
        "max_days": "最长工作日 / maximum length in working days",
        "counted": "是否计入办理时限 / whether it counts toward the limit",
        "defined": "是否为法律或本规则集定义的特殊环节 / defined by the law or the rulebook",
        "site_work": "是否需要现场勘查、听证、检测或专家评审 / needs site work, a hearing, "
        "testing or expert review",
    },
)

MATERIAL = object_type(
    "material",
    {
        "name": STRING,
        "required": BOOL,
        "original": BOOL,
        "copies": NUMBER,
        "note": optional(STRING),
    },
    {
        "name": "材料名称 / material",
        "required": "是否必需 / required",
        "original": "是否原件 / original (else a copy)",
        "copies": "份数 / number of copies",
        "note": "说明 / note",
    },
)

FORM = object_type(
    "form",
    {"name": STRING, "url": optional(STRING)},
    {"name": "申请表格名称 / form name", "url": "下载地址 / where to download it"},
)

FEE = object_type(
    "fee",
    {"charged": BOOL, "standard": optional(STRING), "basis": optional(STRING)},
    {
        "charged": "是否收费 / whether a fee is charged",
        "standard": "收费标准 / charging standard",
        "basis": "收费依据 / legal basis of the fee",
    },
)

ITEM_CONTEXT = object_type(
    "item",
    {
        "code": STRING,
        "name": STRING,
        "department": STRING,
        "window": optional(STRING),
        "type": STRING,
        "kind": optional(STRING),
        "category": optional(STRING),
        "section": optional(STRING),
        "legal_basis": optional(STRING),
        "conditions": list_of(STRING),
        "procedure": list_of(STRING),
        "statutory_days": optional(NUMBER),
        "statutory_basis": optional(STRING),
        "committed_days": optional(NUMBER),
        "committed_hours": optional(NUMBER),
        "special_procedures": list_of(SPECIAL_PROCEDURE),
        "materials": list_of(MATERIAL),
        "fee": FEE,
        "form": optional(FORM),
        "consult_phone": optional(STRING),
        "complaint_phone": optional(STRING),
        "lead_window": optional(STRING),
        "co_windows": list_of(STRING),
        "online": STRING,
        "authorization": STRING,
        "one_review_one_approval": BOOL,
        "centralized": BOOL,
        "green_channel": BOOL,
        "depends_on": list_of(STRING),
        "parallel_group": optional(STRING),
    },
    {
        "code": "事项编码 / item code",
        "name": "事项名称 / item name",
        "department": "实施部门 / department",
        "window": "受理窗口 / window",
        "type": "本规则集的办件类型编码 / case-type code of this rulebook",
        "kind": "办件类别：immediate 即办, commitment 承诺, joint 联办, report_up 上报（类型未定义时为空） / "
        "case kind (empty when the type is not defined)",
        "category": "事项类别：approval 行政审批，public_service 公共服务，management 其他管理事项 / "
        "class of item: approval, public service, management",
        "section": "责任科室 / responsible section",
        "legal_basis": "设定依据 / legal basis for setting up the item",
        "conditions": "申请条件 / application conditions",
        "procedure": "办理流程 / handling procedure",
        "statutory_days": "法定时限（工作日） / statutory limit in working days",
        "statutory_basis": "法定时限的依据 / basis of the statutory limit",
        "committed_days": "承诺时限（工作日） / committed limit in working days",
        "committed_hours": "当日办结事项的承诺工作小时 / committed working hours (same-day items)",
        "special_procedures": "特殊环节 / special procedures",
        "materials": "申请材料 / required materials",
        "fee": "收费 / fee",
        "form": "申请表格 / application form",
        "consult_phone": "咨询电话 / consultation telephone",
        "complaint_phone": "投诉电话 / complaint telephone",
        "lead_window": "联办件的主办窗口 / lead window of a joint item",
        "co_windows": "协办窗口 / co-handling windows",
        "online": "网上办理程度：none, apply, full / online capability",
        "authorization": "审批权限：window, chief, leader / who decides",
        "one_review_one_approval": "是否一审一核 / one review, one approval",
        "centralized": "是否进驻中心 / centralized in the center",
        "green_channel": "是否可走绿色通道 / green-channel eligible",
        "depends_on": "前置事项 / items this one depends on",
        "parallel_group": "并联审批组 / parallel-approval group",
    },
    values={
        "online": get_args(OnlineLevel),
        "authorization": get_args(Authorization),
        "kind": get_args(CaseKind),
        "category": get_args(ItemCategory),
    },
)


def _prepare(given: Mapping[str, Any], host: Any) -> dict[str, Any]:
    """A test's hand-written item as the catalog would present it: empty fields filled, the
    case ``kind`` taken from ``type``, special procedures looked up in ``procedures``."""
    catalog = host.part("items") if host is not None else None
    context = with_empty_fields(ITEM_CONTEXT, given)
    if catalog is None:
        return context
    if "kind" not in given:
        spec = catalog.item_types.get(context["type"])
        context["kind"] = spec.kind if spec is not None else None
    for proc, written in zip(
        context["special_procedures"], given.get("special_procedures") or (), strict=False
    ):
        spec = catalog.procedures.get(proc["name"])
        if "defined" not in written:
            proc["defined"] = spec is not None
        if "site_work" not in written:
            proc["site_work"] = spec.site_work if spec is not None else False
    return context


ITEM_SCOPE = Scope(
    name="item",
    context=ITEM_CONTEXT,
    title_zh="审批事项",
    title_en="approval item",
    subject="code",
    prepare=_prepare,
)
