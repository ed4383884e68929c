"""Publicity sheets (一事一表) and the catalog index as self-contained HTML pages.

Each page stands alone: inline CSS, no JavaScript, no external fonts, images or scripts, and a
Content-Security-Policy that forbids them, so even a value that slipped past escaping could
not run. ``lang="zh-CN"`` on the page, ``lang="en"`` on every English line, tables with
captions and ``scope``d header cells for screen readers, and a print style for A4.
Every value from a rule file goes through :func:`escape`.
"""

from __future__ import annotations

from urllib.parse import quote

from ..engine.load.model import Title
from ..publication.html import en as _en
from ..publication.html import escape, page
from ..publication.publisher import DEFAULT_PUBLISHER, Publisher
from .catalog import Catalog
from .model import ItemSpec
from .publicity_index import DepartmentGroup, catalog_index
from .publicity_sheet import (
    NOT_PROVIDED_TEXT,
    Block,
    ItemLink,
    Label,
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


def _pair(zh: str, en: str | None) -> str:
    return escape(zh) + _en(en)


def _label(label: Label) -> str:
    return _pair(label.zh, label.en)


def _title(title: Title) -> str:
    return _pair(title.zh, title.en)


def _text(text: Text, cls: str | None = None) -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<p{attr}>{_pair(text.zh, text.en)}</p>"


def _materials(block: Materials) -> str:
    has_notes = any(row.note for row in block.rows)
    head = ["序号", "材料名称", "是否必需", "原件或复印件", "份数"]
    head_en = ["No.", "Material", "Required", "Original or copy", "Copies"]
    if has_notes:
        head.append("说明")
        head_en.append("Note")
    classes = [' class="no"', "", ' class="attr"', ' class="attr"', ' class="attr"', ""]
    cells = "".join(
        f'<th scope="col"{cls}>{_pair(zh, en)}</th>'
        for cls, zh, en in zip(classes[: len(head)], head, head_en, strict=True)
    )
    rows = []
    for n, row in enumerate(block.rows, start=1):
        tds = [
            f'<td class="no">{n}</td>',
            f'<th scope="row">{escape(row.name)}</th>',
            f'<td class="attr">{_pair(row.required.zh, row.required.en)}</td>',
            f'<td class="attr">{_pair(row.original.zh, row.original.en)}</td>',
            f'<td class="attr">{_pair(row.copies.zh, row.copies.en)}</td>',
        ]
        if has_notes:
            tds.append(f"<td>{escape(row.note or '')}</td>")
        rows.append(f"<tr>{''.join(tds)}</tr>")
    return (
        '<table class="materials">'
        '<caption class="visually-hidden">申请材料 Application materials</caption>'
        f"<thead><tr>{cells}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _block(block: Block) -> str:
    if isinstance(block, Text):
        return _text(block)
    if isinstance(block, Numbered):
        return "<ol>" + "".join(f"<li>{escape(line)}</li>" for line in block.lines) + "</ol>"
    if isinstance(block, ItemLink):
        if block.name is None:
            return f"<p>{escape(block.code)}{_en('not in the catalog')}</p>"
        href = quote(f"{block.code}.html")  # sheets sit side by side in one folder
        return (
            f'<p><a href="{escape(href)}">{escape(block.code)} {escape(block.name.zh)}</a>'
            f"{_en(block.name.en)}</p>"
        )
    if isinstance(block, WebLink):
        return f'<p><a class="external" href="{escape(block.url)}" rel="nofollow">{escape(block.text)}</a></p>'
    if isinstance(block, Materials):
        return _materials(block)
    if isinstance(block, NotProvided):
        return _text(NOT_PROVIDED_TEXT, "missing")
    raise TypeError(f"no HTML for {block!r}")


def _cell(blocks: tuple[Block, ...]) -> str:
    return "".join(_block(b) for b in blocks)


def _page(title: str, body: list[str], publisher: Publisher | None, back: str | None) -> str:
    return page(
        title,
        body,
        publisher,
        masthead=("一事一表", "One thing, one table"),
        back=None if back is None else (back, "返回事项目录", "Back to the catalog"),
    )


def _rows_table(caption: Label, rows: tuple[Row, ...], numbered: bool) -> list[str]:
    out = [
        '<table class="sheet">',
        f"<caption>{_label(caption)}</caption>",
        "<thead><tr>",
    ]
    if numbered:
        out.append(f'<th scope="col" class="no">序号{_en("No.")}</th>')
    out += [
        f'<th scope="col">{"公开项目" if numbered else "项目"}{_en("Item" if numbered else "Field")}</th>',
        f'<th scope="col">{"公开内容" if numbered else "内容"}{_en("Content")}</th>',
        "</tr></thead>",
        "<tbody>",
    ]
    for row in rows:
        number = f'<td class="no">{escape(row.number or "")}</td>' if numbered else ""
        out.append(
            f'<tr>{number}<th scope="row">{_label(row.label)}</th><td>{_cell(row.blocks)}</td></tr>'
        )
    out += ["</tbody>", "</table>"]
    return out


def render_item_html(
    item: ItemSpec, catalog: Catalog, publisher: Publisher | Title | str | None = None
) -> str:
    """One item's publicity sheet as a self-contained HTML page (``items/CODE.html`` links
    back to ``../index.html``). ``publisher`` adds the masthead and imprint."""
    pub = Publisher.of(publisher)
    sheet = item_sheet(item, catalog)
    site = f" · {escape(pub.name.zh)}" if pub is not None else ""
    body = [
        f"<h1>{_title(sheet.name)}</h1>",
        f'<p class="meta">事项编码 <span lang="en">Item code</span> {escape(sheet.code)} · '
        f"{escape(sheet.department.zh)}{_en(sheet.department.en)}</p>",
        *_rows_table(Label("十公开", "Ten public items"), sheet.public, numbered=True),
        *_rows_table(Label("办理信息", "Handling details"), sheet.details, numbered=False),
    ]
    return _page(f"{escape(sheet.name.zh)} · 一事一表{site}", body, pub, f"../{index_path('html')}")


def _group(group: DepartmentGroup) -> list[str]:
    out = [
        f'<section aria-labelledby="{escape(group.anchor)}">',
        f'<h2 id="{escape(group.anchor)}">{_title(group.name)}</h2>',
    ]
    if not group.entries:
        return [*out, f"<p>暂无事项{_en('No items')}</p>", "</section>"]
    head = (
        ("事项编码", "Code"),
        ("事项名称", "Item"),
        ("办件类型", "Case type"),
        ("承诺期限", "Committed limit"),
        ("网上办理", "Online"),
        ("进驻中心", "In the center"),
    )
    out += [
        '<table class="items">',
        f'<caption class="visually-hidden">{_title(group.name)} 事项</caption>',
        "<thead><tr>" + "".join(f'<th scope="col">{_pair(zh, en)}</th>' for zh, en in head),
        "</tr></thead>",
        "<tbody>",
    ]
    for e in group.entries:
        href = escape(quote(sheet_path(e.code, "html")))
        out.append(
            f"<tr><td>{escape(e.code)}</td>"
            f'<th scope="row"><a href="{href}">{escape(e.name.zh)}</a>{_en(e.name.en)}</th>'
            f"<td>{_text(e.case_type)}</td><td>{_cell(e.committed)}</td>"
            f"<td>{_text(e.online)}</td><td>{_text(e.centralized)}</td></tr>"
        )
    return [*out, "</tbody>", "</table>", "</section>"]


def render_index_html(catalog: Catalog, publisher: Publisher | Title | str | None) -> str:
    """The catalog as a self-contained HTML page: its figures, a list of departments, then
    every item by department, each linking to ``items/CODE.html``."""
    pub = Publisher.of(publisher) or DEFAULT_PUBLISHER
    index = catalog_index(catalog)
    body = [
        f"<h1>{escape(pub.name.zh)} · 事项目录"
        f"{_en((pub.name.en + ' · ' if pub.name.en else '') + 'Catalog of approval items')}</h1>",
        '<p class="intro">每个事项一张公开表（一事一表），列明十项公开内容：责任科室、设定依据、'
        "申请条件、办理流程、承诺期限、申请材料、收费标准及依据、申请表格、咨询电话和投诉电话。"
        '<span class="en" lang="en">Each item has one sheet (one thing, one table) publishing '
        "ten facts: the responsible section, the legal basis, the application conditions, the "
        "handling procedure, the committed time limit, the materials, the fees and their "
        "basis, the application form, and the consultation and complaint telephones.</span></p>",
        '<table class="figures">',
        f"<caption>{_label(Label('目录统计', 'Catalog statistics'))}</caption>",
        f'<thead><tr><th scope="col">指标{_en("Figure")}</th><th scope="col">比例{_en("Rate")}</th>'
        f'<th scope="col">计数{_en("Count")}</th></tr></thead>',
        "<tbody>",
        *(
            f'<tr><th scope="row">{_label(r.label)}</th><td class="num">{escape(r.value)}</td>'
            f'<td class="num">{escape(r.count)}</td></tr>'
            for r in index.statistics
        ),
        "</tbody>",
        "</table>",
        f'<nav aria-label="部门 Departments"><h2>按部门{_en("By department")}</h2><ul>',
        *(
            f'<li><a href="#{escape(g.anchor)}">{escape(g.name.zh)}</a>（{len(g.entries)}）</li>'
            for g in index.groups
        ),
        "</ul></nav>",
    ]
    for group in index.groups:
        body += _group(group)
    return _page(f"{escape(pub.name.zh)} · 事项目录 · 一事一表", body, pub, None)
