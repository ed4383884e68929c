"""The ``item`` scope: what a catalog rule can see of one approval item.

Catalog rules (``scope: item``) run once per item when the rulebook is checked: "the committed
limit never exceeds the statutory one", "every fee cites its basis". Field names here are the
names policy staff use in conditions, so they are plain English words documented in both
languages.
"""

from __future__ import annotations

from ..engine.expr.types import BOOL, NUMBER, STRING, list_of, object_type, optional
from ..engine.scopes import Scope

SPECIAL_PROCEDURE = object_type(
    "special_procedure",
    {"name": STRING, "max_days": optional(NUMBER), "counted": BOOL},
    {
        "name": "特殊环节名称（如 expert_review 专家评审） / special procedure",
        "max_days": "最长工作日 / maximum length in working days",
        "counted": "是否计入办理时限 / whether it counts toward the limit",
    },
)

MATERIAL = object_type(
    "material",
    {"name": STRING, "required": BOOL, "original": BOOL, "copies": NUMBER},
    {
        "name": "材料名称 / material",
        "required": "是否必需 / required",
        "original": "是否原件 / original (else a copy)",
        "copies": "份数 / number of copies",
    },
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
        "statutory_days": optional(NUMBER),
        "statutory_basis": optional(STRING),
        "committed_days": optional(NUMBER),
        "special_procedures": list_of(SPECIAL_PROCEDURE),
        "materials": list_of(MATERIAL),
        "fee": FEE,
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
    },
    {
        "code": "事项编码 / item code",
        "name": "事项名称 / item name",
        "department": "实施部门 / department",
        "window": "受理窗口 / window",
        "type": "办件类型（即办、承诺、联办、上报） / case type",
        "statutory_days": "法定时限（工作日） / statutory limit in working days",
        "statutory_basis": "法定时限的依据 / basis of the statutory limit",
        "committed_days": "承诺时限（工作日） / committed limit in working days",
        "special_procedures": "特殊环节 / special procedures",
        "materials": "申请材料 / required materials",
        "fee": "收费 / fee",
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
    },
)

ITEM_SCOPE = Scope(
    name="item",
    context=ITEM_CONTEXT,
    title_zh="审批事项",
    title_en="approval item",
    subject="code",
)
