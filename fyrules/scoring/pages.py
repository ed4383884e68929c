"""The month's ranking as pages for :func:`fyrules.items.publicity.publish`.

    from fyrules.items.publicity import PAGE_WRITERS, publish
    publish(rb, "site/", writers=(*PAGE_WRITERS, ranking_pages(rb.score(events, month="2025-10"))))

writes ``rankings/2025-10.html`` (with its SVG chart), ``.md``, ``.csv`` and ``.json`` beside
the publicity sheets.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .api import ScoreResult
from .render import render_csv, render_json, render_markdown


def ranking_pages(result: ScoreResult) -> Any:
    """A page writer for :func:`fyrules.items.publicity.publish`: the month's ranking under
    ``rankings/`` in HTML, Markdown, CSV and JSON."""
    from ..publication.pages import Page
    from .render_html import render_html  # Jinja2 under it: only when pages are written

    def write(ctx: Any) -> Iterable[Page]:
        stem = f"rankings/{result.month}"
        yield Page(
            f"{stem}.html",
            render_html(result, ctx.publisher, templates=ctx.templates, back="../index.html"),
        )
        yield Page(f"{stem}.md", render_markdown(result))
        yield Page(f"{stem}.csv", render_csv(result) + "\n")
        yield Page(f"{stem}.json", render_json(result) + "\n")

    return write
