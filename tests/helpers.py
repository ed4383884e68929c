"""Helpers shared by the tests: writing small rulebooks into a temporary folder."""

from __future__ import annotations

import textwrap
from pathlib import Path

MANIFEST = """\
rulebook: {id}
name: {{zh: 测试规则集, en: Test rulebook}}
jurisdiction: 测试
version: "1"
"""


def write_rulebook(
    root: Path, files: dict[str, str], *, rulebook_id: str = "t", extends: str | None = None
) -> Path:
    """Write ``files`` (relative path → YAML text, dedented) under ``root``; add a manifest
    unless ``files`` has one. Returns ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    if "rulebook.yaml" not in files:
        manifest = MANIFEST.format(id=rulebook_id)
        if extends:
            manifest += f"extends: {extends}\n"
        (root / "rulebook.yaml").write_text(manifest, encoding="utf-8")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def codes(problems) -> list[str]:
    return [p.code for p in problems]
