"""The docs keep up with the code: every problem code is documented, every YAML example is
YAML, every documented command is one the CLI accepts, and the marked examples run as shown."""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

import pytest
import yaml

from fyrules.engine.codes import CODES
from tests import doc_blocks

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_every_code_has_a_section_in_error_codes_md():
    text = (DOCS / "error-codes.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^### ([A-Z0-9-]+)$", text, flags=re.M))
    assert sorted(set(CODES) - documented) == []
    assert sorted(documented - set(CODES)) == []


def test_every_code_used_in_the_source_is_in_the_catalog():
    root = Path(__file__).resolve().parent.parent / "fyrules"
    used: set[str] = set()
    for path in root.rglob("*.py"):
        used |= set(
            re.findall(r'Problem\(\s*"([A-Z][A-Z0-9-]+)"', path.read_text(encoding="utf-8"))
        )
        used |= set(
            re.findall(r'\.problem\(\s*"([A-Z][A-Z0-9-]+)"', path.read_text(encoding="utf-8"))
        )
    assert sorted(used - set(CODES)) == []


def test_every_code_is_exercised_by_some_test():
    """Each code in the catalog appears in at least one test besides this file."""
    here = Path(__file__).resolve()
    text = "\n".join(
        p.read_text(encoding="utf-8") for p in here.parent.rglob("*.py") if p != here
    ) + "\n".join(p.read_text(encoding="utf-8") for p in here.parent.rglob("*.txt"))
    missing = [code for code in CODES if f'"{code}"' not in text and f"'{code}'" not in text]
    assert missing == []


# --- the examples of the docs work ---------------------------------------------------------------

ALL_DOCS = [*sorted(DOCS.rglob("*.md")), DOCS.parent / "README.md"]


def _all_blocks(*langs: str) -> list[doc_blocks.Block]:
    return [b for doc in ALL_DOCS for b in doc_blocks.blocks(doc) if b.lang in langs]


@pytest.mark.parametrize("block", _all_blocks("yaml"), ids=lambda b: b.where)
def test_every_yaml_example_of_the_docs_is_yaml(block):
    yaml.safe_load(block.text)


def _section_keys() -> set[str]:
    from fyrules.engine.compile import ENGINE_SECTIONS
    from fyrules.rulebook import default_extensions

    return {s.key for s in ENGINE_SECTIONS} | {
        s.key for e in default_extensions() for s in e.sections
    }


def _rule_file_examples() -> list[doc_blocks.Block]:
    """Unmarked YAML examples made only of rulebook sections, or a manifest: what a reader may
    copy into a rulebook as a whole file (fragments of a section are not)."""
    keys = _section_keys()
    out = []
    for block in _all_blocks("yaml"):
        data = yaml.safe_load(block.text)
        if block.action or not isinstance(data, dict) or not data:
            continue
        if "rulebook" in data or set(data) <= keys:
            out.append(block)
    return out


@pytest.mark.parametrize("block", _rule_file_examples(), ids=lambda b: b.where)
def test_every_rule_file_example_of_the_docs_checks_clean(block, tmp_path):
    """A rule file the docs show has no error: written into a rulebook that extends Fuyang's
    (or, for an example of another city, the national baseline), or, for a manifest, as the
    rulebook.yaml of an empty rulebook."""
    import datetime as dt

    import fyrules

    found = []
    manifest = "rulebook" in yaml.safe_load(block.text)
    for parent in [None] if manifest else [DOCS.parent / "examples" / "fuyang", "national"]:
        root = tmp_path / ("manifest" if parent is None else str(len(found)))
        root.mkdir()
        if parent is None:
            (root / "rulebook.yaml").write_text(block.text, encoding="utf-8")
        else:
            (root / "rulebook.yaml").write_text(
                f"rulebook: example\nname: 示例\njurisdiction: 示例\nversion: '1'\n"
                # a relative path: absolute ones are PATH-OUTSIDE
                f"extends: {os.path.relpath(parent, root) if isinstance(parent, Path) else parent}\n",
                encoding="utf-8",
            )
            (root / "example.yaml").write_text(block.text, encoding="utf-8")
        result = fyrules.check(root, today=dt.date.fromisoformat(doc_blocks.DOCS_TODAY))
        errors = [p.format("en") for p in result.problems if p.severity == "error"]
        if not errors:
            return
        found.append(errors)
    raise AssertionError(f"{block.where}: {found}")


def _commands() -> list[tuple[str, str]]:
    return [
        (b.where, line)
        for b in _all_blocks("sh", "console", "", "bash")
        for line in doc_blocks.command_lines(b)
        if not re.search(r"\[-|\|", line)  # a synopsis with [optional] or a|b parts
    ]


@pytest.mark.parametrize(("where", "command"), _commands(), ids=lambda v: v)
def test_every_documented_command_is_one_the_cli_accepts(where, command):
    """Each `fyrules …` line of the docs names a command and options that exist."""
    from fyrules.cli import _parser

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            _parser().parse_args(doc_blocks.argv_of(command)[1:])
        except SystemExit as exc:
            assert exc.code in (0, None), f"{where}: {command}\n{err.getvalue()}"


@pytest.mark.parametrize(
    "doc", doc_blocks.marked_documents(), ids=lambda p: p.relative_to(DOCS.parent).as_posix()
)
def test_the_marked_examples_of_a_document_run_as_shown(doc, tmp_path):
    """The rule files a document shows load, and its commands print what it says they print
    (see tests/doc_blocks.py for the markers)."""
    marked = [b for b in doc_blocks.blocks(doc) if b.action]
    assert marked
    namespace: dict = {}
    with doc_blocks.workspace(tmp_path) as root:
        for block in marked:
            doc_blocks.run_block(block, root, namespace)


# Pages other branches bring (scoring, the inspection draw): linked before they land.
PENDING_PAGES: set[str] = set()


def test_every_relative_link_of_the_docs_resolves():
    pages = [*ALL_DOCS, *(DOCS.parent / "examples").rglob("*.md")]
    broken = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:|#", target):
                continue
            path = target.split("#", 1)[0]
            if (page.parent / path).exists() or Path(path).name in PENDING_PAGES:
                continue
            broken.append(f"{page.relative_to(DOCS.parent)}: {target}")
    assert broken == []
