"""What a publicity sheet (一事一表) says, before any markup.

The seed's "ten publicity" (十公开) are published "one thing, one table": for each item, one
table holding the responsible section, the basis for setting the item up, the application
conditions, the handling procedure, the committed time limit, the materials, the fee and its
basis, the application form, and the consultation and complaint telephones. This module turns
an :class:`~fyrules.items.model.ItemSpec` into that content — rows of labels and values,
Chinese first, English where the words are fyrules' own — and the Markdown and HTML renderers
only choose the markup. Values come from rule files as written and are never trusted: the
renderers escape every one of them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import attrs

from ..engine.load.model import Title
from ..publication.publisher import Label, Text
from .catalog import Catalog
from .model import ItemSpec, Material

ITEMS_DIR = "items"
"""Folder of the item sheets, next to the index (so no item code can collide with it)."""

_NUMERALS = "一二三四五六七八九十"
_SAFE_URL = re.compile(r"https?://[^\s<>\"'`|\\\[\]()]+", re.IGNORECASE)


# ---------------------------------------------------------------------------- value blocks


@attrs.frozen(slots=True)
class Numbered:
    """A numbered list of lines: application conditions, procedure steps."""

    lines: tuple[str, ...]


@attrs.frozen(slots=True)
class ItemLink:
    """A reference to another item's sheet; ``name`` is ``None`` for an unknown code."""

    code: str
    name: Title | None


@attrs.frozen(slots=True)
class WebLink:
    """A link out of the page; only ``http``/``https`` addresses become one."""

    text: str
    url: str


@attrs.frozen(slots=True)
class MaterialRow:
    """One application material, its attributes already in words."""

    name: str
    required: Text
    original: Text
    copies: Text
    note: str | None


@attrs.frozen(slots=True)
class Materials:
    rows: tuple[MaterialRow, ...]


@attrs.frozen(slots=True)
class NotProvided:
    """A public field the item file leaves empty: shown, so the gap is visible."""


NOT_PROVIDED = NotProvided()
NOT_PROVIDED_TEXT = Text("暂未提供", "Not provided")

Block = Text | Numbered | ItemLink | WebLink | Materials | NotProvided


@attrs.frozen(slots=True)
class Row:
    """A labelled row; ``number`` is the ten-publicity numeral (一 … 十) when it is one."""

    label: Label
    blocks: tuple[Block, ...]
    number: str | None = None


# ---------------------------------------------------------------------------- pages


@attrs.frozen(slots=True)
class Sheet:
    """One item's publicity sheet: the ten public fields, then the handling details."""

    code: str
    name: Title
    department: Title
    public: tuple[Row, ...]
    details: tuple[Row, ...]


def sheet_path(code: str, extension: str) -> str:
    """Path of an item's sheet relative to the output folder: ``items/FY-SC-001.html``."""
    return f"{ITEMS_DIR}/{code}.{extension}"


def index_path(extension: str) -> str:
    return f"index.{extension}"


def safe_url(url: str | None) -> str | None:
    """``url`` when it is a plain ``http``/``https`` address, else ``None`` (shown as text)."""
    return url if url is not None and _SAFE_URL.fullmatch(url) else None


# ---------------------------------------------------------------------------- words


def working_days(days: int) -> Text:
    return Text(f"{days} 个工作日", f"{days} working day{'' if days == 1 else 's'}")


def yes_no(flag: bool) -> Text:
    return Text("是", "Yes") if flag else Text("否", "No")


ONLINE = {
    "none": Text("仅窗口办理", "At the window only"),
    "apply": Text("可网上申请", "Apply online"),
    "full": Text("全程网上办理", "Fully online"),
}
AUTHORIZATION = {
    "window": Text("窗口直接审批", "Decided at the window"),
    "chief": Text("科室负责人审批", "Decided by the section chief"),
    "leader": Text("分管领导审批", "Decided by the leader in charge"),
}


def committed_limit(item: ItemSpec) -> tuple[Block, ...]:
    """The committed time limit (承诺期限) in words."""
    days, hours = item.committed_days, item.committed_hours
    hours_text = f"{hours:g}" if hours is not None else ""
    if days == 0:
        if hours is not None:
            return (
                Text(
                    f"当日办结（{hours_text} 个工作小时）",
                    f"Same working day ({hours_text} working hours)",
                ),
            )
        return (Text("当日办结", "Same working day"),)
    lines: list[Block] = []
    if days is not None:
        lines.append(working_days(days))
    if hours is not None:
        lines.append(Text(f"{hours_text} 个工作小时", f"{hours_text} working hours"))
    return tuple(lines) or (NOT_PROVIDED,)


def _material(material: Material) -> MaterialRow:
    copies = material.copies
    return MaterialRow(
        name=material.name,
        required=Text("必需", "Required") if material.required else Text("可选", "Optional"),
        original=Text("原件", "Original") if material.original else Text("复印件", "Copy"),
        copies=Text(f"{copies} 份", f"{copies} {'copy' if copies == 1 else 'copies'}"),
        note=material.note,
    )


def _text_or_missing(value: str | None) -> tuple[Block, ...]:
    return (Text(value),) if value else (NOT_PROVIDED,)


def _lines_or_missing(lines: tuple[str, ...]) -> tuple[Block, ...]:
    return (Numbered(lines),) if lines else (NOT_PROVIDED,)


def _fee(item: ItemSpec) -> tuple[Block, ...]:
    fee = item.fee
    if not fee.charged:
        return (Text("不收费", "Free of charge"),)
    return (
        Text("收费", "Charged"),
        Text(f"收费标准：{fee.standard or NOT_PROVIDED_TEXT.zh}"),
        Text(f"收费依据：{fee.basis or NOT_PROVIDED_TEXT.zh}"),
    )


def _form(item: ItemSpec) -> tuple[Block, ...]:
    form = item.form
    if form is None:
        return (NOT_PROVIDED,)
    url = safe_url(form.url)
    if url is not None:
        return (WebLink(form.name, url),)
    if form.url:  # not a web address we link to: show it, never as a link
        return (Text(form.name), Text(form.url))
    return (Text(form.name),)


def _titled(table: Mapping[str, Any], code: str) -> Text:
    spec = table.get(code)
    if spec is None:
        return Text(code)
    return Text(spec.name.zh, spec.name.en)


def _window(catalog: Catalog, code: str) -> Text:
    spec = catalog.windows.get(code)
    if spec is None:
        return Text(code)
    return Text(f"{spec.name.zh}（{code}）", f"{spec.name.en} ({code})" if spec.name.en else None)


def department_name(catalog: Catalog, code: str) -> Title:
    spec = catalog.departments.get(code)
    return spec.name if spec is not None else Title(zh=code)


def case_type(catalog: Catalog, item: ItemSpec) -> Text:
    return _titled(catalog.item_types, item.type)


# ---------------------------------------------------------------------------- the sheet


def public_rows(item: ItemSpec, catalog: Catalog) -> tuple[Row, ...]:
    """The ten public fields (十公开), in the order the seed lists them."""
    fields: list[tuple[Label, tuple[Block, ...]]] = [
        (Label("责任科室", "Responsible section"), _text_or_missing(item.section)),
        (Label("设定依据", "Legal basis"), _text_or_missing(item.legal_basis)),
        (Label("申请条件", "Application conditions"), _lines_or_missing(item.conditions)),
        (Label("办理流程", "Handling procedure"), _lines_or_missing(item.procedure)),
        (Label("承诺期限", "Committed time limit"), committed_limit(item)),
        (
            Label("申请材料", "Application materials"),
            (Materials(tuple(_material(m) for m in item.materials)),)
            if item.materials
            else (NOT_PROVIDED,),
        ),
        (Label("收费标准及依据", "Fees and their basis"), _fee(item)),
        (Label("申请表格", "Application form"), _form(item)),
        (Label("咨询电话", "Consultation telephone"), _text_or_missing(item.consult_phone)),
        (Label("投诉电话", "Complaint telephone"), _text_or_missing(item.complaint_phone)),
    ]
    return tuple(Row(label, blocks, _NUMERALS[n]) for n, (label, blocks) in enumerate(fields))


def detail_rows(item: ItemSpec, catalog: Catalog) -> tuple[Row, ...]:
    """Handling details beyond the ten: who handles it, limits, how, and what it depends on."""
    rows = [
        Row(Label("事项编码", "Item code"), (Text(item.code),)),
        Row(Label("实施部门", "Department"), (_titled(catalog.departments, item.department),)),
    ]
    if item.window:
        rows.append(Row(Label("受理窗口", "Service window"), (_window(catalog, item.window),)))
    rows.append(Row(Label("办件类型", "Case type"), (case_type(catalog, item),)))
    if item.statutory_days is not None:
        statutory: tuple[Block, ...] = (working_days(item.statutory_days),)
        if item.statutory_basis:
            statutory += (Text(f"依据：{item.statutory_basis}"),)
    else:
        statutory = (NOT_PROVIDED,)
    rows.append(Row(Label("法定时限", "Statutory time limit"), statutory))
    if item.special_procedures:
        rows.append(
            Row(
                Label("特殊环节", "Special procedures"),
                tuple(_special(catalog, p) for p in item.special_procedures),
            )
        )
    rows += [
        Row(Label("网上办理", "Online service"), (ONLINE[item.online],)),
        Row(Label("审批权限", "Decided by"), (AUTHORIZATION[item.authorization],)),
        Row(Label("一审一核", "One review, one approval"), (yes_no(item.one_review_one_approval),)),
    ]
    if item.lead_window:
        rows.append(Row(Label("主办窗口", "Lead window"), (_window(catalog, item.lead_window),)))
    if item.co_windows:
        rows.append(
            Row(
                Label("协办窗口", "Co-handling windows"),
                tuple(_window(catalog, w) for w in item.co_windows),
            )
        )
    if item.depends_on:
        rows.append(
            Row(
                Label("前置事项", "Prerequisite items"),
                tuple(ItemLink(c, _item_name(catalog, c)) for c in item.depends_on),
            )
        )
    if item.parallel_group:
        rows.append(
            Row(Label("并联审批组", "Parallel approval group"), (Text(item.parallel_group),))
        )
    rows += [
        Row(Label("绿色通道", "Green channel"), (yes_no(item.green_channel),)),
        Row(Label("进驻中心", "Handled in the center"), (yes_no(item.centralized),)),
    ]
    return tuple(rows)


def _item_name(catalog: Catalog, code: str) -> Title | None:
    spec = catalog.items.get(code)
    return spec.name if spec is not None else None


def _special(catalog: Catalog, procedure: Any) -> Text:
    spec = catalog.procedures.get(procedure.name)
    zh_name = spec.name.zh if spec is not None else procedure.name
    en_name = (spec.name.en if spec is not None else None) or procedure.name
    zh = [zh_name]
    en = [en_name]
    if procedure.max_days is not None:
        zh.append(f"最长 {procedure.max_days} 个工作日")
        en.append(f"up to {working_days(procedure.max_days).en}")
    zh.append("计入办理时限" if procedure.counted else "不计入办理时限")
    en.append("counted toward the limit" if procedure.counted else "not counted toward the limit")
    return Text(f"{zh[0]}：{'，'.join(zh[1:])}", f"{en[0]}: {', '.join(en[1:])}")


def item_sheet(item: ItemSpec, catalog: Catalog) -> Sheet:
    """The content of one item's publicity sheet."""
    return Sheet(
        code=item.code,
        name=item.name,
        department=department_name(catalog, item.department),
        public=public_rows(item, catalog),
        details=detail_rows(item, catalog),
    )
