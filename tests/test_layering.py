"""The package layering is a test: dependencies run one way only (docs/architecture.md).

Every ``import`` of the package counts, those inside functions and under ``TYPE_CHECKING``
too, so an arrow cannot be hidden by importing lazily. The engine comes first, then
publication and items, then cases (the base the domains plug into through the hooks of
``engine/extension.py``), then deadlines and separation; scoring reads items and the engine;
the generators, the composition (``rulebook.py``, ``schema.py``) and the command line sit on
top; adapters use only the public face ``fyrules``.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "fyrules"

# What each part may import (besides itself). A part is a subpackage of fyrules or one of its
# top-level modules. A new part must be declared here, with its place in the order.
BASE = {"_version"}
ENGINE = {*BASE, "engine"}
ALLOWED: dict[str, set[str]] = {
    "_version": set(),
    "engine": BASE,
    "_today": ENGINE,
    "examples": ENGINE,
    "publication": ENGINE,
    "items": {*ENGINE, "publication"},
    "cases": {*ENGINE, "items"},
    "deadlines": {*ENGINE, "items", "cases"},
    "separation": {*ENGINE, "items", "cases"},
    "scoring": {*ENGINE, "items", "publication"},
    "simulation": {*ENGINE, "items", "cases", "deadlines", "separation"},
    "diff": {*ENGINE, "items", "cases", "deadlines", "separation", "scoring", "rulebook"},
    "invariants": {*ENGINE, "items", "cases", "deadlines", "separation"},
    "workflows": {*ENGINE, "cases"},
    "verify": {*ENGINE, "items", "cases", "separation", "invariants"},
    "rulebook": {
        *ENGINE,
        *("_today", "items", "cases", "deadlines", "separation", "scoring", "invariants"),
        "workflows",
    },
    "pytest_plugin": {*ENGINE, "rulebook", "verify"},  # the pytest11 entry point
    "schema": {*ENGINE, "rulebook"},
    "store_contract": {"__init__", "examples", "simulation"},  # the public face, for adapters
    "site": {*ENGINE, "publication", "items", "scoring", "rulebook"},  # pages, for adapters
    "progress": set(),
    "errors": {*ENGINE, "publication", "items", "cases", "deadlines", "separation", "scoring"},
    "cli": {
        *ENGINE,
        *("publication", "items", "cases", "deadlines", "separation", "scoring"),
        *("simulation", "rulebook", "schema", "progress", "errors", "_today", "examples", "diff"),
        "verify",
        "workflows",
    },
    "__init__": {*ENGINE, "items", "cases", "rulebook", "errors"},
    "__main__": {"cli"},
}
# The engine's own stages: its base modules (problems, hints …) first; loading reads files; the
# expression language and decision tables build on it; the rest of the engine's top level
# (rules, parameters, scopes, extensions) evaluates; testing runs what the others built; the
# compile pipeline (engine/compile.py) puts them all together.
ENGINE_BASE_MODULES = {
    *("problems", "suggest", "collector", "codes", "months", "findings", "messages", "cascades"),
}
ENGINE_ALLOWED: dict[str, set[str]] = {
    "base": set(),
    "load": {"base"},
    "expr": {"base", "load"},
    "tables": {"base", "load", "expr"},
    "engine": {"base", "load", "expr", "tables"},
    "testing": {"base", "load", "expr", "tables", "engine"},
    "compile": {"base", "load", "expr", "tables", "engine", "testing"},
}
ADAPTERS_MAY_IMPORT = {"fyrules", "fyrules.store_contract", "fyrules.site"}  # the public faces only


def _module(path: Path, root: Path) -> tuple[list[str], bool]:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        return parts[:-1], True
    return parts, False


def imports(package: Path) -> list[tuple[str, str, int]]:
    """``(importing module, imported module, line)`` for every import in ``package``, at any
    depth (module level, functions, ``TYPE_CHECKING`` blocks), relative ones resolved."""
    root = package.parent
    found = []
    for path in sorted(package.rglob("*.py")):
        parts, is_package = _module(path, root)
        here = ".".join(parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found += [(here, alias.name, node.lineno) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = parts if is_package else parts[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    target = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    target = node.module or ""
                if node.module is None:  # from . import a, b: each is a module or a name
                    found += [(here, f"{target}.{alias.name}", node.lineno) for alias in node.names]
                else:
                    found.append((here, target, node.lineno))
    return found


def _part(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "fyrules":
        return None
    return parts[1] if len(parts) > 1 else "__init__"


def _engine_stage(module: str) -> str | None:
    parts = module.split(".")
    if parts[:2] != ["fyrules", "engine"]:
        return None
    if len(parts) > 2 and (PACKAGE / "engine" / parts[2]).is_dir():
        return parts[2]
    if len(parts) > 2 and parts[2] == "compile":
        return "compile"
    if len(parts) > 2 and parts[2] in ENGINE_BASE_MODULES:
        return "base"
    return "engine"


def _arrows(stage_of, edges):
    arrows: dict[tuple[str, str], list[str]] = defaultdict(list)
    for here, target, line in edges:
        a, b = stage_of(here), stage_of(target)
        if a is not None and b is not None and a != b:
            arrows[(a, b)].append(f"{here}:{line}")
    return arrows


def test_the_import_graph_sees_imports_inside_functions():
    """The scan counts a lazy import (the command line imports a storage adapter only inside
    ``--store``'s function), so the layering below cannot be dodged by importing lazily."""
    edges = imports(PACKAGE)
    assert any(
        here == "fyrules.cli._store" and target.startswith("fyrules_adapters")
        for here, target, _ in edges
    )


def test_every_part_of_the_package_has_a_declared_place():
    parts = {p.stem for p in PACKAGE.glob("*.py")}
    parts |= {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    undeclared = sorted(p for p in parts if p not in ALLOWED)
    assert not undeclared, f"declare the layer of {undeclared} in tests/test_layering.py"


def test_parts_import_only_the_parts_below_them():
    """No reversed arrow, hence no cycle: each part imports only what ALLOWED lists for it."""
    arrows = _arrows(_part, imports(PACKAGE))
    reversed_arrows = {
        f"{a} -> {b}": where for (a, b), where in arrows.items() if b not in ALLOWED.get(a, set())
    }
    assert not reversed_arrows


def test_the_engine_stages_import_only_the_stages_before_them():
    arrows = _arrows(_engine_stage, imports(PACKAGE))
    reversed_arrows = {
        f"{a} -> {b}": where
        for (a, b), where in arrows.items()
        if b not in ENGINE_ALLOWED.get(a, set())
    }
    assert not reversed_arrows


@pytest.mark.parametrize("allowed", [ALLOWED, ENGINE_ALLOWED], ids=["package", "engine"])
def test_the_allowed_arrows_have_no_cycle(allowed):
    """The declared order itself is acyclic (a cycle there would let code cycle)."""
    graph = {a: {b for b in bs if b != a} for a, bs in allowed.items()}
    done: set[str] = set()

    def visit(node: str, path: tuple[str, ...]) -> None:
        assert node not in path, f"cycle: {' -> '.join((*path, node))}"
        if node in done:
            return
        for nxt in graph.get(node, ()):
            visit(nxt, (*path, node))
        done.add(node)

    for node in graph:
        visit(node, ())


def test_only_the_command_line_names_an_adapter():
    """The core never imports an adapter; the command line (``evaluate --store``) may."""
    users = {
        here for here, target, _ in imports(PACKAGE) if target.split(".")[0] == "fyrules_adapters"
    }
    assert {_part(m) for m in users} <= {"cli"}


def test_adapters_use_only_the_public_face():
    """Adapters import ``fyrules`` itself (its ``__all__``) and the storage-port contract suite
    ``fyrules.store_contract``, never another module inside it."""
    edges = imports(ROOT / "adapters" / "fyrules_adapters")
    private = sorted(
        f"{here}:{line} imports {target}"
        for here, target, line in edges
        if target.split(".")[0] == "fyrules" and target not in ADAPTERS_MAY_IMPORT
    )
    assert not private
