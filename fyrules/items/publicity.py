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
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

import attrs

from ..engine.problems import FyrulesError
from ..engine.safe_text import escape_controls
from .catalog import Catalog
from .publicity_html import render_index_html, render_item_html
from .publicity_md import render_index_markdown, render_item_markdown
from .publicity_sheet import Publisher, index_path, sheet_path

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


class PublishError(FyrulesError):
    """The pages could not be written (a folder that cannot be created or written, two pages
    with the same file name). Nothing is written when pages clash."""

    def __init__(self, message_zh: str, message_en: str):
        self.message_zh = message_zh
        self.message_en = message_en
        super().__init__(f"{message_zh} / {message_en}")


@attrs.frozen(slots=True)
class Page:
    """One file to publish: its path relative to the output folder (``/``-separated) and text."""

    path: str
    text: str


@attrs.frozen(slots=True)
class PublishContext:
    """What page writers see: the rulebook, its catalog, and who publishes."""

    rulebook: Any
    catalog: Catalog
    publisher: Publisher


PageWriter = Callable[[PublishContext], Iterable[Page]]


def index_pages(ctx: PublishContext) -> Iterable[Page]:
    """The catalog index, in Markdown and HTML."""
    yield Page(index_path("md"), render_index_markdown(ctx.catalog, ctx.publisher))
    yield Page(index_path("html"), render_index_html(ctx.catalog, ctx.publisher))


def item_pages(ctx: PublishContext) -> Iterable[Page]:
    """One sheet per item, in Markdown and HTML, in catalog order."""
    for item in ctx.catalog.items.values():
        yield Page(
            sheet_path(item.code, "md"), render_item_markdown(item, ctx.catalog, ctx.publisher)
        )
        yield Page(
            sheet_path(item.code, "html"), render_item_html(item, ctx.catalog, ctx.publisher)
        )


PAGE_WRITERS: tuple[PageWriter, ...] = (index_pages, item_pages)


def render_pages(
    rulebook: Any,
    *,
    published_on: dt.date | None = None,
    writers: Sequence[PageWriter] = PAGE_WRITERS,
) -> list[Page]:
    """Every page, rendered in memory; raises :class:`PublishError` when two pages would be
    the same file (also on a case-insensitive file system) or a path leaves the folder."""
    ctx = PublishContext(rulebook, rulebook.items, Publisher.from_rulebook(rulebook, published_on))
    pages = [page for writer in writers for page in writer(ctx)]
    seen: dict[str, str] = {}
    for page in pages:
        parts = PurePosixPath(page.path).parts
        if not parts or page.path.startswith("/") or any(p in ("", ".", "..") for p in parts):
            raise PublishError(
                f"页面路径 {page.path!r} 不在输出目录内",
                f"page path {page.path!r} leaves the folder",
            )
        key = page.path.casefold()
        if key in seen:
            raise PublishError(
                f"两个页面的文件名相同：{seen[key]} 与 {page.path}（事项编码仅大小写不同？）",
                f"two pages have the same file name: {seen[key]} and {page.path} "
                "(item codes differing only in case?)",
            )
        seen[key] = page.path
    return pages


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
    pages = render_pages(rulebook, published_on=published_on, writers=writers)
    root = Path(out_dir)
    written: list[Path] = []
    try:
        for page in pages:
            path = root.joinpath(*PurePosixPath(page.path).parts)
            path.parent.mkdir(parents=True, exist_ok=True)
            # bytes: "\n" on every platform; control characters from rule files escaped
            path.write_bytes(escape_controls(page.text).encode("utf-8"))
            written.append(path)
    except OSError as exc:
        where = exc.filename or root
        reason = exc.strerror or type(exc).__name__
        raise PublishError(
            f"无法写入 {where}：{reason}", f"cannot write {where}: {reason}"
        ) from None
    return written
