"""Publishing the catalog: a publicity sheet per item (一事一表) and an index, in Markdown and
HTML, for the center's website, kiosks and print.

    import fyrules
    from fyrules.items.publicity import publish
    publish(fyrules.load("examples/fuyang"), "site/")   # the files written

The output folder holds::

    index.html   index.md          the catalog by department, with its figures at the top
    items/CODE.html  items/CODE.md one sheet per item: the ten public fields (十公开)

Output is deterministic: the same rulebook gives byte-identical files, and no page carries a
date unless ``published_on`` is given. Pages come from page writers (:data:`PAGE_WRITERS`),
each a function from a :class:`PublishContext` to pages; more pages (monthly rankings) are
more writers, passed as ``writers=(*PAGE_WRITERS, ranking_pages(events, month))``.
Every page is rendered before the first file is written, so a page that fails to render
or two pages that clash write nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..publication import pages
from ..publication.pages import Page, PageWriter, PublishContext, PublishError
from ..publication.publisher import Publisher
from .publicity_md import render_index_markdown, render_item_markdown
from .publicity_sheet import index_path, sheet_path

if TYPE_CHECKING:
    from .publicity_html import render_index_html, render_item_html

__all__ = [
    "PAGE_WRITERS",
    "Page",
    "PageWriter",
    "PublishContext",
    "PublishError",
    "Publisher",
    "index_pages",
    "item_pages",
    "publish",
    "render_index_html",
    "render_index_markdown",
    "render_item_html",
    "render_item_markdown",
    "render_pages",
]


def __getattr__(name: str) -> Any:
    # The HTML renderers (and Jinja2 under them) are imported when a page is written, not by
    # every command that loads a rulebook.
    if name in ("render_index_html", "render_item_html"):
        from . import publicity_html

        return getattr(publicity_html, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def index_pages(ctx: PublishContext) -> Iterable[Page]:
    """The catalog index, in Markdown and HTML."""
    from .publicity_html import render_index_html

    yield Page(index_path("md"), render_index_markdown(ctx.catalog, ctx.publisher))
    yield Page(
        index_path("html"), render_index_html(ctx.catalog, ctx.publisher, templates=ctx.templates)
    )


def item_pages(ctx: PublishContext) -> Iterable[Page]:
    """One sheet per item, in Markdown and HTML, in catalog order."""
    from .publicity_html import render_item_html

    for item in ctx.catalog.items.values():
        yield Page(
            sheet_path(item.code, "md"), render_item_markdown(item, ctx.catalog, ctx.publisher)
        )
        yield Page(
            sheet_path(item.code, "html"),
            render_item_html(item, ctx.catalog, ctx.publisher, templates=ctx.templates),
        )


PAGE_WRITERS: tuple[PageWriter, ...] = (index_pages, item_pages)


def render_pages(
    rulebook: Any,
    *,
    published_on: dt.date | None = None,
    writers: Sequence[PageWriter] = PAGE_WRITERS,
) -> list[Page]:
    """Every page, rendered in memory (:func:`fyrules.publication.pages.render_pages` with the
    catalog's writers by default)."""
    return pages.render_pages(rulebook, published_on=published_on, writers=writers)


def publish(
    rulebook: Any,
    out_dir: str | Path,
    *,
    published_on: dt.date | None = None,
    writers: Sequence[PageWriter] = PAGE_WRITERS,
) -> list[Path]:
    """Write the publicity pages of ``rulebook`` under ``out_dir`` (created if missing) and
    return the files written, in order. Files of earlier runs that no page rewrites are left
    alone. Raises :class:`PublishError` when the folder cannot be written."""
    return pages.publish(rulebook, out_dir, published_on=published_on, writers=writers)
