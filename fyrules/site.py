"""A rulebook's HTML pages one at a time, for adapters that serve them (the web adapter).

The pages are the ones ``fyrules publish`` writes, from the same templates
(:mod:`fyrules.publication.templating`: the rulebook's ``templates/`` folder over the defaults)
and the same style sheet; a server adds its own templates (the applicant's progress page, the
supervision board) after the defaults, so a rulebook's folder overrides those too::

    import fyrules
    from fyrules import site
    rb = fyrules.load("examples/fuyang")
    env = site.templates(rb)
    html = site.item_html(rb, "FY-SC-001", env)   # items/FY-SC-001.html, as published

This is a public module: adapters import it (and ``fyrules``), nothing deeper.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .publication.publisher import Publisher
from .publication.templating import environment, render

if TYPE_CHECKING:
    import jinja2

    from .rulebook import Rulebook
    from .scoring import ScoreResult

__all__ = [
    "Publisher",
    "catalog_html",
    "item_html",
    "publisher",
    "ranking_html",
    "render",
    "templates",
]


def templates(
    rulebook: Rulebook,
    *,
    extra: jinja2.BaseLoader | None = None,
    shared: Mapping[str, Any] | None = None,
) -> jinja2.Environment:
    """The environment ``rulebook``'s pages render from: its ``templates/`` folder, then the
    defaults, then ``extra`` (a server's own templates); ``shared`` values are seen by every
    template (such as ``csp``, the page's Content-Security-Policy, or ``site_links``, the
    links of a site's navigation bar in ``base.html``)."""
    import jinja2

    env = environment(rulebook.root)
    if extra is None and not shared:
        return env
    loader = env.loader if extra is None else jinja2.ChoiceLoader([env.loader, extra])  # type: ignore[list-item]
    served = env.overlay(loader=loader)
    served.globals = {**env.globals, **(shared or {})}  # the overlay's own: the defaults stay
    return served


def publisher(rulebook: Rulebook) -> Publisher:
    """Who publishes ``rulebook``'s pages: its name, jurisdiction and version (no date)."""
    return Publisher.from_rulebook(rulebook)


def catalog_html(rulebook: Rulebook, env: jinja2.Environment) -> str:
    """The catalog by department (``index.html``), each item linking to ``items/CODE.html``."""
    from .items.publicity import render_index_html

    return render_index_html(rulebook.items, publisher(rulebook), templates=env)


def item_html(rulebook: Rulebook, code: str, env: jinja2.Environment) -> str | None:
    """Item ``code``'s publicity sheet (``items/CODE.html``), or ``None`` for an unknown code."""
    from .items.publicity import render_item_html

    item = rulebook.items.items.get(code)
    if item is None:
        return None
    return render_item_html(item, rulebook.items, publisher(rulebook), templates=env)


def ranking_html(
    result: ScoreResult, rulebook: Rulebook, env: jinja2.Environment, back: str | None = None
) -> str:
    """The month's ranking page of ``result`` (:meth:`fyrules.Rulebook.score`), with its
    chart; ``back``: the link to the catalog."""
    from .scoring.render_html import render_html

    return render_html(result, publisher(rulebook), templates=env, back=back)
