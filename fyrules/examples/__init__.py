"""Example rulebooks shipped inside the package (随包附带的示例规则集).

``fuyang`` is the reference rulebook of the Fuyang administrative service center: the one
``fyrules demo`` runs on by default, and the one ``fyrules example`` copies into a folder for
a new center to start from. In a source checkout it is the repository's ``examples/fuyang``.
"""

from __future__ import annotations

from pathlib import Path

from ..engine.problems import UsageError

NAMES: tuple[str, ...] = ("fuyang",)
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
