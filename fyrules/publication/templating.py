"""The Jinja2 templates every HTML page renders from, and a rulebook's own templates over them.

The defaults ship in ``fyrules/publication/templates/``: ``base.html`` (the page shell: head,
style sheet, Content-Security-Policy, masthead, footer), ``style.css``, ``macros.html``,
``item.html`` (a publicity sheet), ``index.html`` (the catalog) and ``ranking.html`` (a
month's ranking). A rulebook may carry a ``templates/`` folder: a file there with the same
name replaces the default (a :class:`jinja2.ChoiceLoader`, the rulebook's folder first), so a
center brands its pages without touching code. A rulebook's template must stay inside the
rulebook: one reached through a symbolic link that leaves it is refused.

Autoescape is on in every template: any value a template prints is HTML-escaped unless it is
already :class:`markupsafe.Markup`. The filters ``t`` (a value, line breaks as ``<br>``) and
``en`` (an English line marked ``lang="en"``) are how templates print rule-file text.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from .html import CSP
from .html import en as _en
from .html import escape as _escape
from .pages import PublishError

TEMPLATES_FOLDER = "templates"


class RulebookLoader(jinja2.FileSystemLoader):
    """Templates from a rulebook's ``templates/`` folder, each of which must resolve to a
    file inside the rulebook (no symbolic link out of it)."""

    def __init__(self, rulebook_root: Path):
        self.rulebook_root = rulebook_root.resolve()
        super().__init__(str(rulebook_root / TEMPLATES_FOLDER), followlinks=False)

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        if not Path(filename).resolve().is_relative_to(self.rulebook_root):
            raise PublishError(
                f"模板 {filename} 指向规则集目录之外，请改为规则集内的普通文件",
                f"template {filename} points outside the rulebook; make it a plain file inside "
                "the rulebook",
            )
        return source, filename, uptodate


def _text(value: Any) -> Markup:
    return Markup(_escape("" if value is None else str(value)))


def _english(value: Any, tag: str = "span") -> Markup:
    return Markup(_en(None if value is None else str(value), tag))


def _url(value: str) -> Markup:
    return Markup(_escape(quote(value)))


def _environment(root: str | None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if root is not None and (Path(root) / TEMPLATES_FOLDER).is_dir():
        loaders.append(RulebookLoader(Path(root)))
    loaders.append(jinja2.PackageLoader("fyrules.publication", TEMPLATES_FOLDER))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(t=_text, en=_english, url=_url)
    env.globals.update(csp=Markup(CSP), kind_of=lambda obj: type(obj).__name__)
    return env


def environment(rulebook_root: Path | str | None = None) -> jinja2.Environment:
    """The template environment for a rulebook loaded from ``rulebook_root`` (its own
    ``templates/`` first; built afresh, so a folder added since is seen), or the defaults
    alone."""
    if rulebook_root is None:
        return _defaults()
    return _environment(str(Path(rulebook_root).resolve()))


@functools.cache
def _defaults() -> jinja2.Environment:
    return _environment(None)


def render(name: str, templates: jinja2.Environment | None = None, **context: Any) -> str:
    """Template ``name`` rendered with ``context``; a broken template of a rulebook raises
    :class:`PublishError` naming the file and line."""
    env = templates or environment()
    try:
        return env.get_template(name).render(**context) + "\n"
    except jinja2.TemplateSyntaxError as exc:
        where = f"{exc.filename or exc.name}:{exc.lineno}"
        raise PublishError(
            f"模板 {where} 有语法错误：{exc.message}，请修改该模板",
            f"template {where} has a syntax error: {exc.message}; fix the template",
        ) from None
    except jinja2.TemplateError as exc:
        raise PublishError(
            f"模板 {name} 无法渲染：{exc}，请检查规则集的 templates/ 目录",
            f"template {name} cannot be rendered: {exc}; check the rulebook's templates/ folder",
        ) from None
