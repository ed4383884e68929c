"""Example rulebooks shipped inside the package (随包附带的示例规则集).

``fuyang`` is the reference rulebook of the Fuyang administrative service center: the one
``fyrules demo`` runs on by default, and the one ``fyrules example`` copies into a folder for
a new center to start from. ``township`` is a township convenience center's rulebook that
extends Fuyang's (``extends: ../fuyang``): ``fyrules example --name township`` copies both,
side by side. In a source checkout they are the repository's ``examples/fuyang`` and
``examples/township``.
"""

from __future__ import annotations

from pathlib import Path

from ..engine.problems import UsageError

NAMES: tuple[str, ...] = ("fuyang", "township")
"""The example rulebooks this package ships."""


def rulebook_path(name: str = "fuyang") -> Path:
    """The folder of the shipped example rulebook ``name``. Raises :class:`UsageError` for a
    name the package does not ship."""
    if name not in NAMES:
        raise UsageError(
            f"没有名为 {name!r} 的示例规则集，可选：{', '.join(NAMES)} / "
            f"no example rulebook named {name!r}; choose one of: {', '.join(NAMES)}"
        )
    return (Path(__file__).resolve().parent / name).resolve()


def example_chain(name: str) -> list[str]:
    """``name`` and the shipped examples it extends, nearest first (``township`` →
    ``["township", "fuyang"]``): what a copy of ``name`` needs beside it to load. Raises
    :class:`UsageError` for a name the package does not ship."""
    import yaml

    chain = [name]
    while True:
        manifest = rulebook_path(chain[-1]) / "rulebook.yaml"
        extends = (yaml.safe_load(manifest.read_text(encoding="utf-8")) or {}).get("extends")
        parent = extends[3:] if isinstance(extends, str) and extends.startswith("../") else None
        if parent not in NAMES or parent in chain:
            return chain
        chain.append(parent)
