"""The docs keep up with the code: every problem code is documented."""

from __future__ import annotations

import re
from pathlib import Path

from fyrules.engine.codes import CODES

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
