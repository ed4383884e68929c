"""The HTML shell of every published page: self-contained, safe and accessible.

Each page stands alone: inline CSS, no JavaScript, no external fonts, images or scripts, and a
Content-Security-Policy that forbids them, so even a value that slipped past escaping could
not run. ``lang="zh-CN"`` on the page, ``lang="en"`` on every English line, and a print style
for A4. The shell and the style sheet are templates (:mod:`.templating`: ``base.html``,
``style.css``); items (the publicity sheets) and scoring (the ranking) supply the bodies; every
value from a rule file goes through :func:`escape` (the templates' ``t`` filter).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from .publisher import Publisher, lines_of

if TYPE_CHECKING:
    from jinja2 import Environment

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; "
    "base-uri 'none'"
)


def escape(text: str) -> str:
    """``text`` safe as HTML element content or a quoted attribute value; line breaks in it
    become ``<br>``."""
    return "<br>".join(html.escape(line, quote=True) for line in lines_of(text))


def en(text: str | None, tag: str = "span") -> str:
    """The English of a bilingual value, marked ``lang="en"`` (nothing when there is none)."""
    return f'<{tag} class="en" lang="en">{escape(text)}</{tag}>' if text else ""


def page(
    title: str,
    body: list[str],
    publisher: Publisher | None = None,
    *,
    masthead: tuple[str, str] | None = None,
    back: tuple[str, str, str] | None = None,
    templates: Environment | None = None,
) -> str:
    """A whole self-contained page from the shell template ``base.html``: ``title`` (plain
    text), the ``body`` lines (HTML) inside ``<main>``, a masthead naming the publisher and
    ``masthead`` (Chinese, English), and a footer with the link ``back`` (href, Chinese,
    English) and the publisher's imprint."""
    from markupsafe import Markup

    from .templating import render

    return render(
        "base.html",
        templates,
        title=title,
        body=Markup("\n".join(body)),
        publisher=publisher,
        masthead=masthead,
        back=back,
    )
