"""Publicity sheets (一事一表) and the catalog index as self-contained HTML pages.

The pages render from the templates ``item.html`` and ``index.html`` (:mod:`fyrules.
publication.templating`; a rulebook's ``templates/`` folder may override them). Each page
stands alone: inline CSS, no JavaScript, no external fonts, images or scripts, and a
Content-Security-Policy that forbids them, so even a value that slipped past escaping could
not run. ``lang="zh-CN"`` on the page, ``lang="en"`` on every English line, tables with
captions and ``scope``d header cells for screen readers, and a print style for A4.
Every value from a rule file is escaped (autoescape, and the templates' ``t`` filter).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..engine.load.model import Title
from ..publication.publisher import DEFAULT_PUBLISHER, Publisher
from ..publication.templating import render
from .catalog import Catalog
from .model import ItemSpec
from .publicity_index import catalog_index
from .publicity_sheet import NOT_PROVIDED_TEXT, Label, index_path, item_sheet, sheet_path

if TYPE_CHECKING:
    from jinja2 import Environment

_MASTHEAD = ("一事一表", "One thing, one table")


def render_item_html(
    item: ItemSpec,
    catalog: Catalog,
    publisher: Publisher | Title | str | None = None,
    *,
    templates: Environment | None = None,
) -> str:
    """One item's publicity sheet as a self-contained HTML page (``items/CODE.html`` links
    back to ``../index.html``). ``publisher`` adds the masthead and imprint; ``templates``:
    the rulebook's (:func:`fyrules.publication.templating.environment`), else the defaults."""
    pub = Publisher.of(publisher)
    sheet = item_sheet(item, catalog)
    site = f" · {pub.name.zh}" if pub is not None else ""
    return render(
        "item.html",
        templates,
        title=f"{sheet.name.zh} · 一事一表{site}",
        sheet=sheet,
        publisher=pub,
        masthead=_MASTHEAD,
        back=(f"../{index_path('html')}", "返回事项目录", "Back to the catalog"),
        public_caption=Label("十公开", "Ten public items"),
        details_caption=Label("办理信息", "Handling details"),
        not_provided=NOT_PROVIDED_TEXT,
    )


def render_index_html(
    catalog: Catalog,
    publisher: Publisher | Title | str | None,
    *,
    templates: Environment | None = None,
) -> str:
    """The catalog as a self-contained HTML page: its figures, a list of departments, then
    every item by department, each linking to ``items/CODE.html``."""
    pub = Publisher.of(publisher) or DEFAULT_PUBLISHER
    return render(
        "index.html",
        templates,
        title=f"{pub.name.zh} · 事项目录 · 一事一表",
        index=catalog_index(catalog),
        publisher=pub,
        masthead=_MASTHEAD,
        back=None,
        sheet_path=sheet_path,
        not_provided=NOT_PROVIDED_TEXT,
    )
