"""The HTML shell of every published page: self-contained, safe and accessible.

Each page stands alone: inline CSS, no JavaScript, no external fonts, images or scripts, and a
Content-Security-Policy that forbids them, so even a value that slipped past escaping could
not run. ``lang="zh-CN"`` on the page, ``lang="en"`` on every English line, and a print style
for A4. Items (the publicity sheets) and scoring (the ranking) supply the bodies; every value
from a rule file goes through :func:`escape`.
"""

from __future__ import annotations

import html

from .publisher import Publisher, lines_of

STYLE = """\
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: #1b1b1b; line-height: 1.6; font-size: 16px;
  font-family: "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC",
    "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif; }
.page { max-width: 62rem; margin: 0 auto; padding: 0 1.25rem 2rem; }
.masthead { border-bottom: 3px solid #a4161a; padding: .9rem 0 .5rem; margin-bottom: 1rem;
  display: flex; justify-content: space-between; flex-wrap: wrap; gap: .25rem 1rem; }
.masthead p { margin: 0; font-weight: bold; color: #a4161a; }
.masthead .en { display: inline; margin-left: .5em; color: #555; }
h1 { font-size: 1.75rem; line-height: 1.3; margin: .5rem 0 .25rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-left: 5px solid #a4161a; padding-left: .5rem; }
h1 .en, h2 .en { font-size: .6em; margin-top: .15rem; }
.en { display: block; color: #4a4a4a; font-size: .85em; font-weight: normal; }
.meta { margin: .25rem 0 1rem; color: #333; }
.intro { margin: .5rem 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.25rem; }
caption { caption-side: top; text-align: left; font-weight: bold; font-size: 1.15rem;
  padding: .5rem 0; }
caption .en { display: inline; margin-left: .5em; }
th, td { border: 1px solid #8c8c8c; padding: .45rem .6rem; vertical-align: top; text-align: left; }
thead th { background: #ecebe8; }
tbody th { background: #f6f5f2; font-weight: bold; width: 11.5em; }
td.no, th.no { text-align: center; width: 3.2em; white-space: nowrap; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td p, th p { margin: 0 0 .3rem; }
td p:last-child { margin-bottom: 0; }
td ol { margin: 0; padding-left: 1.6em; }
.missing { color: #7a4b00; }
table.materials { margin: 0; font-size: .95em; }
table.materials th, table.materials td { padding: .3rem .45rem; }
table.materials tbody th { width: auto; background: #fff; font-weight: normal; }
table.materials .attr { width: 1%; white-space: nowrap; }
table.figures { width: auto; min-width: 70%; }
table.figures tbody th { width: auto; }
table.items tbody th { width: auto; background: #fff; }
table.items td:first-child { white-space: nowrap; }
.meta .en, .back .en { display: inline; margin-left: .4em; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }
a { color: #0b4f9c; }
a:focus { outline: 3px solid #f5b800; outline-offset: 1px; }
nav ul { padding-left: 1.2em; columns: 2; }
.imprint { margin-top: 2rem; padding-top: .75rem; border-top: 1px solid #8c8c8c;
  font-size: .9rem; color: #333; }
@media (max-width: 40rem) { tbody th { width: auto; } nav ul { columns: 1; } }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { font-size: 10pt; line-height: 1.45; }
  th, td { padding: .25rem .45rem; }
  h1 { margin-top: .25rem; }
  h2 { margin-top: 1rem; }
  .page { max-width: none; padding: 0; }
  nav, .back { display: none; }
  a { color: inherit; text-decoration: none; }
  a.external::after { content: " (" attr(href) ")"; font-size: .85em; word-break: break-all; }
  thead { display: table-header-group; }
  tr, h2, caption { break-inside: avoid; }
  h2, caption { break-after: avoid; }
  thead th, tbody th { background: #eee; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'"


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
) -> str:
    """A whole self-contained page: ``title`` (already escaped), the ``body`` lines inside
    ``<main>``, a masthead naming the publisher and ``masthead`` (Chinese, English), and a
    footer with the link ``back`` (href, Chinese, English) and the publisher's imprint."""
    head = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="fyrules">',
        f"<title>{title}</title>",
        f"<style>\n{STYLE}</style>",
        "</head>",
        "<body>",
        '<div class="page">',
    ]
    if publisher is not None:
        head += [
            '<header class="masthead">',
            f"<p>{escape(publisher.name.zh)}{en(publisher.name.en)}</p>",
        ]
        if masthead is not None:
            head.append(f"<p>{masthead[0]}{en(masthead[1])}</p>")
        head.append("</header>")
    tail = ["<footer>"]
    if back is not None:
        href, zh, english = back
        tail.append(f'<p class="back"><a href="{href}">{zh}{en(english)}</a></p>')
    if publisher is not None:
        tail += [
            f'<div class="imprint"><p>{escape(line.zh) + en(line.en)}</p></div>'
            for line in publisher.lines()
        ]
    tail += ["</footer>", "</div>", "</body>", "</html>", ""]
    return "\n".join([*head, "<main>", *body, "</main>", *tail])
