"""``fyrules catalog-stats``: the catalog's figures, each with the counts it comes from.

    fyrules catalog-stats RULEBOOK [--format text|json] [--output FILE]

The concentration rate (进驻率: centralized items ÷ all items; the seed's 609 of 728 is
83.65%), the window authorization (窗口授权), the online share, and the items counted by
class, kind, department and who decides (:meth:`fyrules.items.Catalog.statistics`).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping

from ..items.statistics import CatalogStatistics, Share
from ._common import EXIT_OK, emit, loaded

HELP = "目录统计：进驻率、窗口授权、网办率、按类别统计 / the catalog's statistics"

_SHARES = (
    (
        "concentration",
        "进驻率（进驻中心的事项 ÷ 全部事项）",
        "concentration rate (centralized ÷ all)",
    ),
    (
        "window_authorized",
        "窗口授权（窗口或科室负责人决定 ÷ 进驻事项）",
        "window authorization (decided at the window or by the chief ÷ centralized)",
    ),
    ("online", "可网上申请", "can be applied for online"),
    ("fully_online", "全程网办", "handled fully online"),
    ("one_review_one_approval", "一审一核", "one review, one approval"),
)
_TABLES = (
    ("by_class", "按事项类别", "by class of item"),
    ("by_kind", "按办件类型", "by kind of case"),
    ("by_department", "按部门", "by department"),
    ("by_authorization", "按审批权限", "by who decides"),
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("rulebook")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--output", "-o", metavar="FILE")


def run(args: argparse.Namespace) -> int:
    stats = loaded(args.rulebook).items.statistics()
    if args.format == "json":
        emit(json.dumps(stats.to_dict(), ensure_ascii=False, indent=2), args.output)
    else:
        emit(render_text(stats), args.output)
    return EXIT_OK


def render_text(stats: CatalogStatistics) -> str:
    """The statistics for people: each rate beside the counts it comes from."""
    lines = [f"事项目录统计 / catalog statistics: {stats.total} 项 / items", ""]
    for name, zh, en in _SHARES:
        share: Share = getattr(stats, name)
        lines.append(f"{share.percent():>8}  {share.count:>5} / {share.total:<5} {zh} / {en}")
    for name, zh, en in _TABLES:
        table: Mapping[str, int] = getattr(stats, name, {})
        if not table:
            continue
        lines += ["", f"{zh} / {en}:"]
        lines += [f"  {key:<16} {count:>5}" for key, count in sorted(table.items())]
    return "\n".join(lines)
