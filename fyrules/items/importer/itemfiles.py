"""Writing imported items as rule files: ``items/<department>.yaml`` and ``departments.yaml``.

Item files are plain, readable YAML (block style, Chinese as written, keys in the order of
:class:`~fyrules.items.model.ItemSpec`, only the fields the sheet filled), each opening with
a comment naming the sheet it came from. ``departments.yaml`` lists the departments and
windows the items name that no other rule file in the output folder defines, with the names
the sheet gives (``市市场监督管理局（SC）``) or, where it gives none, the id to be replaced;
a later import keeps what the file holds and adds to it, so several sheets (one per
department, say) can go into one folder. No existing file is replaced unless ``force`` is
given.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import yaml

from ...engine.load.source import MAX_FILE_BYTES, display_path, read_yaml
from ...engine.load.yaml_pyyaml import CoreDumper
from ...engine.problems import Location, Problem
from ..model import ItemSpec

ITEMS_FOLDER = "items"
DEPARTMENTS_FILE = "departments.yaml"


@attrs.frozen(slots=True)
class ImportedItem:
    """An item read from one row, the department and window names the row gives, and where
    its code cell is."""

    row: int
    item: ItemSpec
    names: tuple[tuple[str, str, str | None], ...]
    location: Location


@attrs.frozen(slots=True)
class Definitions:
    """Departments, windows and items already defined in an output folder: id → location."""

    departments: Mapping[str, Location] = attrs.field(factory=dict)
    windows: Mapping[str, Location] = attrs.field(factory=dict)
    items: Mapping[str, Location] = attrs.field(factory=dict)


def planned_paths(items: Iterable[ImportedItem], out: Path) -> set[Path]:
    """Every file an import of ``items`` into ``out`` may write."""
    names = _file_names(dict.fromkeys(i.item.department for i in items))
    parts = {
        part
        for n in names.values()
        for part in (out / ITEMS_FOLDER).glob(_part_name(n, 0).replace("000", "[0-9][0-9][0-9]"))
    }
    return {out / ITEMS_FOLDER / n for n in names.values()} | parts | {out / DEPARTMENTS_FILE}


def existing_definitions(out: Path, *, exclude: Iterable[Path] = ()) -> Definitions:
    """What the rule files under ``out`` (other than ``exclude``) define. Files that cannot be
    read are passed over: ``fyrules check`` reports them."""
    skip = {p.resolve() for p in exclude}
    found: dict[str, dict[str, Location]] = {"departments": {}, "windows": {}, "items": {}}
    if not out.is_dir():
        return Definitions()
    for file in sorted(out.rglob("*")):
        rel = file.relative_to(out)
        if file.suffix.lower() not in (".yaml", ".yml") or file.resolve() in skip:
            continue
        if any(part.startswith(".") for part in rel.parts) or not file.is_file():
            continue
        doc, _ = read_yaml(file)
        if doc is None or not isinstance(doc.data, dict):
            continue
        for section, table in found.items():
            entries = doc.data.get(section)
            if not isinstance(entries, list):
                continue
            key = "code" if section == "items" else "id"
            for i, entry in enumerate(entries):
                if isinstance(entry, dict) and isinstance(entry.get(key), str):
                    table.setdefault(entry[key], doc.locate((section, i)))
    return Definitions(found["departments"], found["windows"], found["items"])


def catalog_files(
    items: Sequence[ImportedItem],
    existing: Definitions,
    *,
    source: str,
    previous: Mapping[str, Any] | None = None,
) -> dict[Path, str]:
    """File path (relative to the output folder) → YAML text. ``previous`` is what the
    departments file of an earlier import holds: its entries are kept, the new ones added."""
    departments, windows = _organization(items)
    by_department: dict[str, list[ImportedItem]] = {}
    for imported in items:
        by_department.setdefault(imported.item.department, []).append(imported)
    names = _file_names(by_department)
    files: dict[Path, str] = {}
    for department, group in by_department.items():
        name = departments.get(department)
        who = f"{name}（{department}）" if name else department
        comment = (
            f"# {who}的审批事项，由 fyrules import-catalog 从 {source} 导入\n"
            f"# Approval items of department {department}, imported from {source} by "
            "fyrules import-catalog\n"
        )
        texts = _item_file_texts([_item_data(i.item) for i in group])
        if len(texts) == 1:
            files[Path(ITEMS_FOLDER) / names[department]] = comment + texts[0]
            continue
        for part, part_text in enumerate(texts, start=1):
            files[Path(ITEMS_FOLDER) / _part_name(names[department], part)] = comment + part_text
    new_departments = {d: n for d, n in departments.items() if d not in existing.departments}
    new_windows = {w: v for w, v in windows.items() if w not in existing.windows}
    text = _departments_text(new_departments, new_windows, source, previous or {})
    if text is not None:
        files[Path(DEPARTMENTS_FILE)] = text
    return files


MAX_ITEM_FILE_BYTES = MAX_FILE_BYTES // 2
"""The most an item file holds: half of what ``fyrules check`` reads, so an imported file can
grow by hand and still be read. A department with more items gets several files."""


def _item_file_texts(entries: list[dict[str, Any]]) -> list[str]:
    """The YAML texts of ``entries`` (one department's items), each within
    :data:`MAX_ITEM_FILE_BYTES`, in the sheet's order: all in one when they fit, else cut
    into even runs of items (and a run cut again if it still does not fit)."""
    text = dump_yaml({"items": entries})
    size = len(text.encode("utf-8"))
    if size <= MAX_ITEM_FILE_BYTES or len(entries) == 1:
        return [text]
    runs = max(2, -(-size * 11 // (MAX_ITEM_FILE_BYTES * 10)))  # a tenth to spare
    step = -(-len(entries) // runs)
    return [
        part
        for start in range(0, len(entries), step)
        for part in _item_file_texts(entries[start : start + step])
    ]


def _part_name(name: str, part: int) -> str:
    """The file of one part of a department's items: ``SC.yaml`` → ``SC.part-002.yaml``."""
    stem = name.removesuffix(".yaml")
    return f"{stem}.part-{part:03d}.yaml"


def write_files(
    files: Mapping[Path, str], out: Path, *, force: bool
) -> tuple[tuple[str, ...], list[Problem], bool]:
    """Write ``files`` under ``out``: the paths written, the problems, whether it failed.

    Nothing is written when a file exists and ``force`` is not given."""
    targets = {out / rel: text for rel, text in files.items()}
    exists = [p for p in targets if p.exists()] if not force else []
    if exists:
        return (), [_exists(p) for p in sorted(exists)], True
    written: list[str] = []
    for path, text in targets.items():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(path.name + ".tmp")
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, path)
        except OSError as exc:
            problem = Problem(
                "IMPORT-WRITE",
                f"无法写入：{exc.strerror or exc}",
                f"cannot write: {exc.strerror or exc}",
                Location(display_path(path)),
            )
            return tuple(written), [problem], True
        written.append(display_path(path))
    return tuple(written), [], False


def _exists(path: Path) -> Problem:
    return Problem(
        "IMPORT-EXISTS",
        "文件已存在，未写入任何文件（--force 可覆盖）",
        "the file exists; nothing was written (--force replaces it)",
        Location(display_path(path)),
    )


def _item_data(item: ItemSpec) -> dict[str, Any]:
    # Only what the sheet filled in: a default the sheet did not state stays implicit.
    return item.model_dump(mode="json", exclude_unset=True)


def _organization(
    items: Sequence[ImportedItem],
) -> tuple[dict[str, str | None], dict[str, tuple[str | None, str | None]]]:
    """Departments (id → name) and windows (id → name, department) that the items name.

    A window belongs to the department of the items it receives, when they all agree."""
    departments: dict[str, str | None] = {}
    window_names: dict[str, str | None] = {}
    owners: dict[str, set[str]] = {}
    for imported in items:
        item = imported.item
        departments.setdefault(item.department, None)
        for window in (item.window, item.lead_window, *item.co_windows):
            if window is not None:
                window_names.setdefault(window, None)
        if item.window is not None:
            owners.setdefault(item.window, set()).add(item.department)
        for kind, ident, name in imported.names:
            table = departments if kind == "department" else window_names
            if name and not table.get(ident):
                table[ident] = name
    windows = {
        w: (name, next(iter(owners[w])) if len(owners.get(w, ())) == 1 else None)
        for w, name in window_names.items()
    }
    return departments, windows


def _departments_text(
    departments: Mapping[str, str | None],
    windows: Mapping[str, tuple[str | None, str | None]],
    source: str,
    previous: Mapping[str, Any],
) -> str | None:
    """The departments file: ``previous`` (what the file already holds, kept as it is) plus
    the departments and windows it lacks; ``None`` when it lacks none."""
    fresh = {
        "departments": [{"id": d, "name": {"zh": n or d}} for d, n in departments.items()],
        "windows": [
            {"id": w, "name": {"zh": n or w}, **({"department": d} if d else {})}
            for w, (n, d) in windows.items()
        ],
    }
    data = dict(previous)
    added = False
    for key, entries in fresh.items():
        found = data.get(key)
        current = found if isinstance(found, list) else []
        known = {e.get("id") for e in current if isinstance(e, dict)}
        new = [e for e in entries if e["id"] not in known]
        if new:
            data[key] = [*current, *new]
            added = True
    if not added:
        return None
    unnamed = [
        e["id"]
        for key in fresh
        for e in data.get(key) or []
        if isinstance(e, dict) and e.get("name") == {"zh": e.get("id")}
    ]
    comment = (
        "# 事项清单中出现、其他规则文件尚未定义的部门和窗口（由 fyrules import-catalog 生成，"
        f"最近一次导入：{source}；再次导入只追加，不改已有的条目）\n"
        "# Departments and windows named in item lists that no other rule file defines "
        f"(written by fyrules import-catalog, last from {source}; a later import only adds)\n"
    )
    if unnamed:
        comment += (
            f"# 表中未写名称，暂以编号为名，请补充 / no name in the sheet, the id stands in: "
            f"{', '.join(map(str, unnamed))}\n"
        )
    return comment + dump_yaml(data)


def previous_departments(out: Path) -> dict[str, Any]:
    """What the departments file of an earlier import holds (empty if none or unreadable)."""
    path = out / DEPARTMENTS_FILE
    if not path.is_file():
        return {}
    doc, _ = read_yaml(path)
    return dict(doc.data) if doc is not None and isinstance(doc.data, dict) else {}


def _file_names(departments: Iterable[str]) -> dict[str, str]:
    """``<department>.yaml`` for each department; ids that differ only in case (``SC``,
    ``sc``) get a suffix, so that they stay apart on case-insensitive file systems."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for department in departments:
        name, n = f"{department}.yaml", 1
        while name.lower() in taken:
            n += 1
            name = f"{department}-{n}.yaml"
        taken.add(name.lower())
        names[department] = name
    return names


class _BlockDumper(CoreDumper):  # YAML 1.2, as the loader reads it back
    """Block style with list items indented under their key, as the rule-file docs write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None  # multi-line cells stay readable
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _represent_str)


def dump_yaml(data: Any) -> str:
    """``data`` as block-style YAML with Chinese left as it is."""
    return yaml.dump(
        data,
        Dumper=_BlockDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=10_000,
    )
