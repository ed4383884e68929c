"""Publicity sheets (一事一表) and the catalog index as Markdown (GitHub-flavoured tables).

Every value from a rule file goes through :func:`escape`: ``&``, ``<`` and ``>`` become
entities (so no renderer passes a value through as raw HTML), the characters Markdown gives a
meaning inside a line are backslash-escaped (so a value cannot open a link, emphasis or code
span, or end a table cell), and line breaks become ``<br>`` (so a value cannot end a row).
"""

from __future__ import annotations

from urllib.parse import quote

from ..engine.load.model import Title
from ..publication.markdown import escape
from ..publication.publisher import DEFAULT_PUBLISHER, Publisher
from .catalog import Catalog
from .model import ItemSpec
from .publicity_index import catalog_index
from .publicity_sheet import (
    NOT_PROVIDED_TEXT,
    Block,
    ItemLink,
    Materials,
    NotProvided,
    Numbered,
    Row,
    Text,
    WebLink,
    index_path,
    item_sheet,
    sheet_path,
)

_BR = "<br>"


def _text(text: Text) -> str:
    return escape(text.zh) + (_BR + escape(text.en) if text.en else "")


def _title(title: Title, sep: str = _BR) -> str:
    return escape(title.zh) + (sep + escape(title.en) if title.en else "")


def _block(block: Block) -> str:
    if isinstance(block, Text):
        return _text(block)
    if isinstance(block, Numbered):
        return _BR.join(f"{n}. {escape(line)}" for n, line in enumerate(block.lines, start=1))
    if isinstance(block, ItemLink):
        if block.name is None:
            return f"{escape(block.code)}（不在目录中 / not in the catalog）"
        href = quote(f"{block.code}.md")  # sheets sit side by side in one folder
        return f"[{escape(block.code)} {_title(block.name, ' / ')}]({href})"
    if isinstance(block, WebLink):
        return f"[{escape(block.text)}]({block.url})"
    if isinstance(block, Materials):
        lines = []
        for n, row in enumerate(block.rows, start=1):
            zh = f"{row.required.zh}，{row.original.zh}，{row.copies.zh}"
            en = f"{row.required.en}, {row.original.en}, {row.copies.en}".lower()
            note = f"；{escape(row.note)}" if row.note else ""
            lines.append(f"{n}. {escape(row.name)}（{zh}{note}） ({en})")
        return _BR.join(lines)
    if isinstance(block, NotProvided):
        return _text(NOT_PROVIDED_TEXT)
    raise TypeError(f"no Markdown for {block!r}")


def _cell(blocks: tuple[Block, ...]) -> str:
    return _BR.join(_block(b) for b in blocks)


def _label(row: Row) -> str:
    return f"{escape(row.label.zh)}{_BR}{escape(row.label.en)}"


def _imprint(publisher: Publisher | None) -> list[str]:
    if publisher is None:
        return []
    return ["---", "", _BR.join(_text(line) for line in publisher.lines()), ""]


def render_item_markdown(
    item: ItemSpec, catalog: Catalog, publisher: Publisher | Title | str | None = None
) -> str:
    """One item's publicity sheet as Markdown: the ten public fields in one table, Chinese
    first with the English under it, then the handling details. ``publisher`` (a
    :class:`Publisher`, or just the rulebook's name) adds the masthead and imprint."""
    pub = Publisher.of(publisher)
    sheet = item_sheet(item, catalog)
    out: list[str] = []
    if pub is not None:
        out += [f"**一事一表 / One thing, one table** · {_title(pub.name, ' / ')}", ""]
    out += [f"# {escape(sheet.name.zh)}", ""]
    if sheet.name.en:
        out += [f"**{escape(sheet.name.en)}**", ""]
    out += [
        f"事项编码 / Item code：{escape(sheet.code)} · "
        f"实施部门 / Department：{_title(sheet.department, ' / ')}",
        "",
        "## 十公开 / Ten public items",
        "",
        f"| 序号{_BR}No. | 公开项目{_BR}Item | 公开内容{_BR}Content |",
        "| :-: | --- | --- |",
    ]
    out += [f"| {row.number} | {_label(row)} | {_cell(row.blocks)} |" for row in sheet.public]
    out += [
        "",
        "## 办理信息 / Handling details",
        "",
        f"| 项目{_BR}Field | 内容{_BR}Content |",
        "| --- | --- |",
    ]
    out += [f"| {_label(row)} | {_cell(row.blocks)} |" for row in sheet.details]
    out.append("")
    out += _imprint(pub)
    out += [f"[返回事项目录 / Back to the catalog](../{index_path('md')})", ""]
    return "\n".join(out)


def render_index_markdown(catalog: Catalog, publisher: Publisher | Title | str | None) -> str:
    """The catalog as Markdown: its figures, then every item by department, each linking to
    its sheet (``items/CODE.md``)."""
    pub = Publisher.of(publisher) or DEFAULT_PUBLISHER
    index = catalog_index(catalog)
    out = [f"# {escape(pub.name.zh)} · 事项目录", ""]
    en_name = escape(pub.name.en) + " · " if pub.name.en else ""
    out += [
        f"**{en_name}Catalog of approval items**",
        "",
        "每个事项一张公开表（一事一表），列明十项公开内容：责任科室、设定依据、申请条件、办理流程、"
        "承诺期限、申请材料、收费标准及依据、申请表格、咨询电话和投诉电话。",
        "",
        "Each item has one sheet (one thing, one table) publishing ten facts: the responsible "
        "section, the legal basis, the application conditions, the handling procedure, the "
        "committed time limit, the materials, the fees and their basis, the application form, "
        "and the consultation and complaint telephones.",
        "",
        "## 目录统计 / Catalog statistics",
        "",
        f"| 指标{_BR}Figure | 比例{_BR}Rate | 计数{_BR}Count |",
        "| --- | --: | --: |",
    ]
    out += [
        f"| {escape(r.label.zh)}{_BR}{escape(r.label.en)} | {r.value} | {r.count} |"
        for r in index.statistics
    ]
    out += ["", "## 按部门 / By department", ""]
    for group in index.groups:
        out += [f"### {_title(group.name, ' / ')}", ""]
        if not group.entries:
            out += ["暂无事项 / No items", ""]
            continue
        out += [
            f"| 事项编码{_BR}Code | 事项名称{_BR}Item | 办件类型{_BR}Case type | "
            f"承诺期限{_BR}Committed limit | 网上办理{_BR}Online | 进驻中心{_BR}In the center |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for e in group.entries:
            name = f"[{escape(e.name.zh)}]({quote(sheet_path(e.code, 'md'))})"
            if e.name.en:
                name += _BR + escape(e.name.en)
            out.append(
                f"| {escape(e.code)} | {name} | {_text(e.case_type)} | {_cell(e.committed)} "
                f"| {_text(e.online)} | {_text(e.centralized)} |"
            )
        out.append("")
    out += _imprint(pub)
    return "\n".join(out)
