"""Reading a rulebook folder and the rulebooks it extends into validated, layered entries.

A rulebook is a folder with ``rulebook.yaml`` at its root. Every other ``*.yaml`` file below it
(hidden folders excepted) is a rule file whose top-level keys are sections; ``*.csv`` files in
``tables/`` are decision tables. ``extends`` names a higher rulebook (a built-in one such as
``national``, or a relative path); the higher one is read first and the local one's entries
replace those with the same id, each replacement checked by its section's ``tighten`` rule.

Nothing here knows about items, deadlines or scores: the sections are handed in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from ..collector import collector_paused
from ..problems import Location, Problem
from ..suggest import hint
from .model import Manifest
from .paths import relative_path_problem, rulebook_file_problem
from .sections import Entry, Section
from .source import Document, SourceMap, display_path, read_yaml
from .validation import validate

MANIFEST_FILE = "rulebook.yaml"
ASSESSMENTS_FOLDER = "assessments"
"""The folder of a rulebook holding its monthly normal-index points (常态指数测评,
docs/scoring.md): files people enter each month, read by ``fyrules score --assessments``
and ``fyrules demo``, never as rule files."""
YAML_SUFFIXES = (".yaml", ".yml")
BUILTIN_ROOT = Path(__file__).resolve().parent.parent.parent / "baseline"

CsvReader = Callable[[Path, str], tuple[Any, list[Problem]]]


@attrs.frozen(slots=True)
class Layer:
    """One rulebook of an ``extends`` chain."""

    manifest: Manifest
    root: Path
    manifest_source: SourceMap

    @property
    def id(self) -> str:
        return self.manifest.rulebook


@attrs.frozen(slots=True)
class Sources:
    """What the loader read: the layers (highest first) and every section's entries, layered."""

    layers: tuple[Layer, ...]
    entries: Mapping[str, tuple[Entry, ...]]
    problems: tuple[Problem, ...]
    # section → id → the highest layer that defines it (a local entry may replace it)
    origins: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)

    @property
    def top(self) -> Layer:
        return self.layers[-1]

    def section(self, key: str) -> tuple[Entry, ...]:
        return self.entries.get(key, ())

    def visible_from(self, layer: str, section: str) -> frozenset[str]:
        """Ids of ``section`` that exist as seen from ``layer``: defined there or higher up.

        A test written in the national baseline expects only the rules the baseline knows;
        rules a city adds are not its business."""
        order = {lay.id: i for i, lay in enumerate(self.layers)}
        limit = order.get(layer, len(self.layers))
        return frozenset(
            key
            for key, origin in self.origins.get(section, {}).items()
            if order.get(origin, 0) <= limit
        )


def builtin_rulebooks() -> list[str]:
    if not BUILTIN_ROOT.is_dir():
        return []
    return sorted(p.name for p in BUILTIN_ROOT.iterdir() if (p / MANIFEST_FILE).is_file())


def read_sources(
    path: str | Path, sections: Iterable[Section], csv_tables: CsvReader | None = None
) -> Sources:
    """Read the rulebook at ``path`` and everything it extends. Never raises on bad input."""
    with collector_paused():  # millions of objects, no garbage: see .collector
        return _read_sources(path, sections, csv_tables)


def _read_sources(
    path: str | Path, sections: Iterable[Section], csv_tables: CsvReader | None
) -> Sources:
    by_key = {s.key: s for s in sections}
    problems: list[Problem] = []
    layers_files = _read_chain(Path(path), problems, [])
    merged: dict[str, dict[str, list[Entry]]] = {k: {} for k in by_key}
    singles: dict[str, list[Entry]] = {k: [] for k in by_key}
    origins: dict[str, dict[str, str]] = {}
    layers: list[Layer] = []
    for layer, docs, csvs in layers_files:
        layers.append(layer)
        local = _collect(layer, docs, csvs, by_key, csv_tables, problems)
        for key, entries in local.items():
            section = by_key[key]
            if not section.many:
                singles[key].extend(entries)
                continue
            _merge(section, merged[key], entries, problems, origins.setdefault(key, {}))
    out: dict[str, tuple[Entry, ...]] = {}
    for key, section in by_key.items():
        if section.many:
            out[key] = tuple(e for versions in merged[key].values() for e in versions)
        else:
            out[key] = tuple(singles[key])
    return Sources(tuple(layers), out, tuple(problems), origins)


def _read_chain(
    path: Path, problems: list[Problem], chain: list[Path]
) -> list[tuple[Layer, list[Document], list[Path]]]:
    root = path.resolve()
    shown_root = display_path(path)
    manifest_path = root / MANIFEST_FILE
    if root.is_file() and root.name == MANIFEST_FILE:
        root, manifest_path = root.parent, root
    if not manifest_path.is_file():
        what = "目录不存在" if not root.exists() else f"目录中没有 {MANIFEST_FILE}"
        what_en = "folder not found" if not root.exists() else f"no {MANIFEST_FILE} in the folder"
        problems.append(
            Problem(
                "FILE-NOT-FOUND",
                f"{shown_root}：{what}",
                f"{shown_root}: {what_en}",
                Location(shown_root),
            )
        )
        return []
    if root in chain:
        cycle = " → ".join(display_path(p) for p in [*chain[chain.index(root) :], root])
        problems.append(
            Problem(
                "EXTENDS-CYCLE",
                f"规则集继承形成循环：{cycle}",
                f"rulebooks extend each other in a cycle: {cycle}",
                Location(display_path(manifest_path), 1, 1),
            )
        )
        return []
    refused = rulebook_file_problem(
        manifest_path, root, f"{display_path(root)}/{manifest_path.name}"
    )
    if refused is not None:
        problems.append(refused)
        return []
    docs: list[Document] = []
    manifest_doc, found = read_yaml(manifest_path)
    problems.extend(found)
    if manifest_doc is None:
        return []
    manifest, manifest_problems = _manifest(manifest_doc)
    problems.extend(manifest_problems)
    if manifest is None:
        return []
    docs.append(manifest_doc)
    csvs: list[Path] = []
    for file in sorted(root.rglob("*")):
        rel = file.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or file == manifest_path:
            continue
        if rel.parts[0] == ASSESSMENTS_FOLDER and len(rel.parts) > 1:
            continue  # the monthly normal-index points people enter: data, not rules
        if file.suffix.lower() not in (*YAML_SUFFIXES, ".csv"):
            continue
        if file.is_dir() and not file.is_symlink():
            continue
        # named by the link, not by where it leads
        refused = rulebook_file_problem(file, root, f"{display_path(root)}/{rel.as_posix()}")
        if refused is not None:
            problems.append(refused)
            continue
        if file.suffix.lower() in YAML_SUFFIXES:
            doc, found = read_yaml(file)
            problems.extend(found)
            if doc is not None:
                docs.append(doc)
        elif file.suffix.lower() == ".csv":
            if rel.parts[0] == "tables":
                csvs.append(file)
            else:
                problems.append(
                    Problem(
                        "UNKNOWN-FILE-KIND",
                        "CSV 文件只有放在 tables/ 目录下才会作为决策表读取，此文件被忽略",
                        "a CSV file is read as a decision table only under tables/; this one is ignored",
                        Location(display_path(file)),
                        severity="warning",
                    )
                )
    layer = Layer(manifest, root, manifest_doc.source)
    parents: list[tuple[Layer, list[Document], list[Path]]] = []
    bad_path = manifest.extends and relative_path_problem(
        manifest.extends, manifest_doc.locate(("extends",))
    )
    if bad_path:
        problems.append(bad_path)
    elif manifest.extends:
        parent_path = _resolve_extends(manifest.extends, root)
        if parent_path is None:
            zh_hint, en_hint = hint(manifest.extends, builtin_rulebooks())
            problems.append(
                Problem(
                    "EXTENDS-NOT-FOUND",
                    f"找不到继承的规则集 “{manifest.extends}”{zh_hint}",
                    f"cannot find the extended rulebook '{manifest.extends}'{en_hint}",
                    manifest_doc.locate(("extends",)),
                )
            )
        else:
            parents = _read_chain(parent_path, problems, [*chain, root])
    return [*parents, (layer, docs, csvs)]


def _resolve_extends(name: str, root: Path) -> Path | None:
    try:
        candidate = (root / name).resolve()
        if (candidate / MANIFEST_FILE).is_file():
            return candidate
    except (OSError, RuntimeError):  # a name the system refuses, a link loop
        return None
    builtin = BUILTIN_ROOT / name
    if "/" not in name and "\\" not in name and (builtin / MANIFEST_FILE).is_file():
        return builtin
    return None


def _manifest(doc: Document) -> tuple[Manifest | None, list[Problem]]:
    if not isinstance(doc.data, dict):
        return None, [
            Problem(
                "WRONG-TYPE",
                f"{MANIFEST_FILE} 必须是一个映射（键: 值）",
                f"{MANIFEST_FILE} must be a mapping (key: value)",
                doc.locate(),
            )
        ]
    fields = set(Manifest.model_fields)
    data = {k: v for k, v in doc.data.items() if k in fields}
    return validate(Manifest, data, doc.source)


def _collect(
    layer: Layer,
    docs: list[Document],
    csvs: list[Path],
    sections: Mapping[str, Section],
    csv_tables: CsvReader | None,
    problems: list[Problem],
) -> dict[str, list[Entry]]:
    local: dict[str, list[Entry]] = {k: [] for k in sections}
    manifest_keys = set(Manifest.model_fields)
    for doc in docs:
        is_manifest = Path(doc.path).name == MANIFEST_FILE and doc is docs[0]
        if doc.data is None:
            continue
        if not isinstance(doc.data, dict):
            problems.append(
                Problem(
                    "WRONG-TYPE",
                    "规则文件的顶层必须是映射，例如 “rules:”",
                    "the top level of a rule file must be a mapping, such as 'rules:'",
                    doc.locate(),
                )
            )
            continue
        for key, value in doc.data.items():
            if is_manifest and key in manifest_keys:
                continue
            section = sections.get(key)
            if section is None:
                allowed = list(sections) + (list(manifest_keys) if is_manifest else [])
                zh_hint, en_hint = hint(str(key), allowed)
                problems.append(
                    Problem(
                        "UNKNOWN-KEY",
                        f"未知的顶层键 “{key}”{zh_hint}",
                        f"unknown top-level key '{key}'{en_hint}",
                        doc.source.key_location((key,)),
                    )
                )
                continue
            local[key].extend(_entries(section, value, doc, layer, problems))
    if csv_tables is not None and "tables" in sections:
        for path in csvs:
            shown = display_path(path)
            table, found = csv_tables(path, shown)
            problems.extend(found)
            if table is not None:
                local["tables"].append(
                    Entry(
                        "tables",
                        getattr(table, "id", path.stem),
                        table,
                        SourceMap(shown),
                        (),
                        layer.id,
                    )
                )
    return local


def _entries(
    section: Section, value: Any, doc: Document, layer: Layer, problems: list[Problem]
) -> list[Entry]:
    key = section.key
    if not section.many:
        built, found = section.read(value, doc.source, (key,))
        problems.extend(found)
        return [] if built is None else [Entry(key, None, built, doc.source, (key,), layer.id)]
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(
            Problem(
                "WRONG-TYPE",
                f"“{key}” 应当是一个列表（每项以 “- ” 开头）",
                f"'{key}' must be a list (each entry starting with '- ')",
                doc.locate((key,)),
            )
        )
        return []
    out = []
    for i, item in enumerate(value):
        keys = (key, i)
        built, found = section.read(item, doc.source, keys)
        problems.extend(found)
        if built is None:
            continue
        entry_id = getattr(built, "id", None)
        out.append(Entry(key, entry_id, built, doc.source, keys, layer.id))
    return out


def _merge(
    section: Section,
    merged: dict[str, list[Entry]],
    entries: list[Entry],
    problems: list[Problem],
    origins: dict[str, str],
) -> None:
    """Put one layer's entries over the layers above it."""
    local: dict[str, list[Entry]] = {}
    for entry in entries:
        key = entry.id if entry.id is not None else f"#{len(local)}"
        if key in local and not section.versioned:
            first = local[key][0]
            problems.append(
                Problem(
                    "DUPLICATE-ID",
                    f"编号 “{entry.id}” 重复（首次定义于 {first.location}）",
                    f"id '{entry.id}' is defined twice (first at {first.location})",
                    entry.locate("id"),
                    entry.id,
                )
            )
            continue
        local.setdefault(key, []).append(entry)
    for key, versions in local.items():
        higher = merged.get(key)
        if higher and section.tighten is not None:
            for child in versions:
                for parent in higher:
                    problems.extend(section.tighten(parent, child))
        merged[key] = versions
        origins.setdefault(key, versions[0].layer)
