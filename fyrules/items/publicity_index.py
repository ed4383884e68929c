"""What the catalog index says, before any markup: the catalog's figures (concentration
rate, window authorization, online share, counts by case kind), each beside the counts it comes
from, and every item grouped by department."""

from __future__ import annotations

import re

import attrs

from ..engine.load.model import Title
from .catalog import Catalog
from .model import KIND_NAMES_ZH
from .publicity_sheet import (
    ONLINE,
    Block,
    Label,
    Text,
    case_type,
    committed_limit,
    department_name,
    yes_no,
)
from .statistics import Share

KIND_ORDER = ("immediate", "commitment", "joint", "report_up")
KIND_NAMES_EN = {
    "immediate": "Immediate",
    "commitment": "Commitment",
    "joint": "Joint",
    "report_up": "Report-up",
}
_ANCHOR = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")


@attrs.frozen(slots=True)
class StatisticRow:
    label: Label
    value: str
    count: str


@attrs.frozen(slots=True)
class IndexEntry:
    code: str
    name: Title
    case_type: Text
    committed: tuple[Block, ...]
    online: Text
    centralized: Text


@attrs.frozen(slots=True)
class DepartmentGroup:
    anchor: str
    name: Title
    entries: tuple[IndexEntry, ...]


@attrs.frozen(slots=True)
class Index:
    statistics: tuple[StatisticRow, ...]
    groups: tuple[DepartmentGroup, ...]


def _share(label: Label, share: Share) -> StatisticRow:
    return StatisticRow(label, share.percent(), f"{share.count} / {share.total}")


def statistic_rows(catalog: Catalog) -> tuple[StatisticRow, ...]:
    """The catalog figures at the top of the index; each rate beside the counts it comes from."""
    stats = catalog.statistics()
    rows = [
        StatisticRow(Label("事项总数", "Items in the catalog"), str(stats.total), ""),
        _share(
            Label("进驻率（进驻中心的事项占全部事项）", "Concentration rate (items in the center)"),
            stats.concentration,
        ),
        _share(
            Label(
                "窗口授权率（窗口或科室负责人直接审批，占进驻事项）",
                "Window authorization (decided at the window or by its section chief)",
            ),
            stats.window_authorized,
        ),
        _share(Label("可网上办理", "Available online"), stats.online),
        _share(Label("全程网上办理", "Fully online"), stats.fully_online),
        _share(Label("一审一核", "One review, one approval"), stats.one_review_one_approval),
    ]
    kinds = [k for k in KIND_ORDER if k in stats.by_kind]
    kinds += sorted(k for k in stats.by_kind if k not in KIND_ORDER)
    for kind in kinds:
        label = Label(KIND_NAMES_ZH.get(kind, kind), KIND_NAMES_EN.get(kind, kind))
        rows.append(_share(label, Share(stats.by_kind[kind], stats.total)))
    return tuple(rows)


def department_anchor(code: str, position: int) -> str:
    """A stable fragment id for a department heading."""
    return f"dept-{code}" if _ANCHOR.match(code) else f"dept-{position}"


def catalog_index(catalog: Catalog) -> Index:
    """The content of the index: figures, then items grouped by department."""
    groups = []
    for position, (code, items) in enumerate(catalog.by_department().items(), start=1):
        entries = tuple(
            IndexEntry(
                code=item.code,
                name=item.name,
                case_type=case_type(catalog, item),
                committed=committed_limit(item),
                online=ONLINE[item.online],
                centralized=yes_no(item.centralized),
            )
            for item in items
        )
        groups.append(
            DepartmentGroup(
                department_anchor(code, position), department_name(catalog, code), entries
            )
        )
    return Index(statistic_rows(catalog), tuple(groups))
