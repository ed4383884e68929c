"""A rulebook's own ``templates/`` folder overrides the default page templates; a template
reached through a link out of the rulebook, or one that does not parse, is refused with a
clear message and nothing is written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import fyrules
from fyrules.cli import main
from fyrules.items.publicity import PublishError, publish
from tests.conftest import FUYANG, fuyang_rulebook

DOC = Path(__file__).resolve().parents[2] / "docs" / "publicity.md"


def documented_item_template() -> str:
    """The example ``item.html`` of docs/publicity.md (its only ``html+jinja`` block)."""
    text = DOC.read_text("utf-8")
    start = text.index("```html+jinja\n") + len("```html+jinja\n")
    return text[start : text.index("```", start)]


@pytest.fixture
def branded(tmp_path) -> Path:
    """A copy of the Fuyang rulebook with its own templates folder."""
    root = tmp_path / "fuyang"
    shutil.copytree(FUYANG, root, symlinks=False)
    (root / "templates").mkdir()
    return root


def test_the_documented_override_takes_effect(branded, tmp_path, capsys):
    (branded / "templates" / "style.css").write_text("body { color: #123456; }\n", encoding="utf-8")
    (branded / "templates" / "item.html").write_text(documented_item_template(), "utf-8")
    out = tmp_path / "site"
    assert main(["publish", str(branded), "--out", str(out)]) == 0
    capsys.readouterr()
    sheet = (out / "items" / "FY-FG-001.html").read_text("utf-8")
    assert '<h1 class="brand">' in sheet and "FY-FG-001 · 阜阳市政务服务中心监制" in sheet
    assert "十公开" not in sheet  # the default body is gone
    index = (out / "index.html").read_text("utf-8")
    assert "body { color: #123456; }" in index  # the style sheet of every page
    assert "Content-Security-Policy" in index  # the default shell still wraps it
    assert "事项目录" in index  # pages the rulebook does not override stay the default


def test_the_defaults_apply_without_a_templates_folder(tmp_path):
    publish(fuyang_rulebook(), tmp_path)
    sheet = (tmp_path / "items" / "FY-FG-001.html").read_text("utf-8")
    assert "十公开" in sheet and "color: #123456" not in sheet


def test_values_in_an_override_are_still_escaped(branded, tmp_path):
    (branded / "templates" / "item.html").write_text(
        '{% extends "base.html" %}{% block main %}<p>{{ "<script>x</script>" }}</p>'
        "{% endblock %}\n",
        encoding="utf-8",
    )
    publish(fyrules.load(branded), tmp_path)
    sheet = (tmp_path / "items" / "FY-FG-001.html").read_text("utf-8")
    assert "<script" not in sheet and "&lt;script&gt;x&lt;/script&gt;" in sheet


def test_a_template_linking_out_of_the_rulebook_is_refused(branded, tmp_path, capsys):
    outside = tmp_path / "outside.html"
    outside.write_text("<p>not from the rulebook</p>\n", encoding="utf-8")
    try:
        (branded / "templates" / "base.html").symlink_to(outside)
    except OSError:
        pytest.skip("this file system cannot make symbolic links")
    out = tmp_path / "site"
    with pytest.raises(PublishError, match="outside the rulebook"):
        publish(fyrules.load(branded), out)
    assert not out.exists()  # nothing written
    assert main(["publish", str(branded), "--out", str(out)]) != 0
    err = capsys.readouterr().err
    assert "指向规则集目录之外" in err and "Traceback" not in err


def test_a_template_that_does_not_parse_names_its_file_and_line(branded, tmp_path, capsys):
    (branded / "templates" / "index.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n{% if %}\n{% endblock %}\n',
        encoding="utf-8",
    )
    out = tmp_path / "site"
    assert main(["publish", str(branded), "--out", str(out)]) != 0
    err = capsys.readouterr().err
    assert "index.html:3" in err and "模板" in err and "fix the template" in err
    assert "Traceback" not in err and not out.exists()
