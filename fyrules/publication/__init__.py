"""Publication: pages for the center's website, kiosks and print, and writing them.

:mod:`~fyrules.publication.pages` holds pages, page writers and :func:`publish`;
:mod:`~fyrules.publication.html` and :mod:`~fyrules.publication.markdown` are the shells and
escaping every page shares; :mod:`~fyrules.publication.publisher` is the bilingual text and the
imprint. Items and scoring only supply pages (``fyrules.items.publicity``,
``fyrules.scoring.pages``).
"""

from .pages import Page, PageWriter, PublishContext, PublishError, publish, render_pages
from .publisher import Publisher

__all__ = [
    "Page",
    "PageWriter",
    "PublishContext",
    "PublishError",
    "Publisher",
    "publish",
    "render_pages",
]
