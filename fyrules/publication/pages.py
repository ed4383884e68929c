"""Pages and page writers: what the publication writes, and writing it.

A page writer is a function from a :class:`PublishContext` to :class:`Page` objects; items
write the publicity sheets and the catalog index, scoring the monthly ranking. Output is
deterministic: the same rulebook gives byte-identical files, and no page carries a date
unless ``published_on`` is given. Every page is rendered before the first file is written, so
a page that fails to render or two pages that clash write nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

import attrs

from ..engine.problems import FyrulesError
from ..engine.safe_text import escape_controls
from .publisher import Publisher


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
    """What page writers see: the rulebook, its catalog, who publishes, and the templates
    HTML pages render from (the rulebook's ``templates/`` over the defaults)."""

    rulebook: Any
    catalog: Any  # the rulebook's item catalog
    publisher: Publisher
    templates: Any = None  # a jinja2.Environment (fyrules.publication.templating)


PageWriter = Callable[[PublishContext], Iterable[Page]]


def render_pages(
    rulebook: Any,
    *,
    published_on: dt.date | None = None,
    writers: Sequence[PageWriter],
) -> list[Page]:
    """Every page the ``writers`` write, rendered in memory; raises :class:`PublishError` when two pages would be
    the same file (also on a case-insensitive file system) or a path leaves the folder."""
    from .templating import environment

    ctx = PublishContext(
        rulebook,
        rulebook.items,
        Publisher.from_rulebook(rulebook, published_on),
        environment(getattr(rulebook, "root", None)),
    )
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
    writers: Sequence[PageWriter],
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
            f"无法写入 {where}：{reason}；请检查该目录的权限与剩余空间，或换一个输出目录",
            f"cannot write {where}: {reason}; check the folder's permissions and free space, "
            "or choose another output folder",
        ) from None
    return written
