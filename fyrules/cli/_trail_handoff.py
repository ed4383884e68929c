"""``fyrules trail verify-handoff``: check the report-up hand-offs (上报移交) between a
township's trail and the city's (docs/townships.md).

Every ``submit`` event in the city's trail whose ``data.handoff`` names a township's case is
checked against the township's trail (:func:`fyrules.cases.handoff.verify_handoff`): the trail
holds the entry of that hash, and it records the report (``review``) of that case. Both trails
are first verified as hash chains: a hand-off confirmed by a rewritten trail proves nothing.
Each trail is read from a store (``--township-store``, ``--city-store``: a SQLite file or a
database URL) or from an exported trail (``--township-trail``, ``--city-trail``: JSON Lines,
what ``fyrules demo`` and ``export_trail`` write).

Exit 0 when every hand-off verifies and both trails are intact, 1 when one does not (each
problem printed), 2 when the check could not run (a trail missing or unreadable, no hand-off
in the city's trail, ``--case`` not among them).
"""

from __future__ import annotations

import argparse
import contextlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..cases.events import HANDOFF_FIELD, EventError, parse_event
from ..cases.handoff import verify_handoff
from ..engine.problems import FyrulesError, Problem, UsageError


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``fyrules trail verify-handoff``."""
    township = p.add_mutually_exclusive_group(required=True)
    township.add_argument(
        "--township-store",
        metavar="PATH|URL",
        help="乡镇（下级）规则集的存储：SQLite 文件或数据库 URL / the township's (lower "
        "rulebook's) store: a SQLite file or a database URL",
    )
    township.add_argument(
        "--township-trail",
        metavar="FILE",
        help="乡镇导出的留痕（JSON Lines） / the township's exported trail (JSON Lines)",
    )
    city = p.add_mutually_exclusive_group(required=True)
    city.add_argument(
        "--city-store",
        metavar="PATH|URL",
        help="市级（上级）规则集的存储：SQLite 文件或数据库 URL / the city's (higher "
        "rulebook's) store: a SQLite file or a database URL",
    )
    city.add_argument(
        "--city-trail",
        metavar="FILE",
        help="市级导出的留痕（JSON Lines） / the city's exported trail (JSON Lines)",
    )
    p.add_argument(
        "--case",
        metavar="CASE",
        help="只核对市级这一案件的移交 / check only the hand-off of this city case",
    )
    p.add_argument(
        "--format", choices=("text", "json"), default="text", help="输出格式 / output format"
    )
    p.add_argument(
        "--lang",
        choices=("zh", "en", "both"),
        default="both",
        help="文字的语言 / language of the text",
    )


def report(args: argparse.Namespace) -> tuple[str, int]:
    """The report of ``fyrules trail verify-handoff`` and its exit code (0 verified, 1 not)."""
    township, township_problems = _trail(
        args.township_store, args.township_trail, "乡镇", "township"
    )
    city, city_problems = _trail(args.city_store, args.city_trail, "市级", "city")
    handoffs = [e for e in city if _is_handoff(e)]
    if args.case is not None:
        handoffs = [e for e in handoffs if e["record"].get("case") == args.case]
    if not handoffs:
        where = args.city_store or args.city_trail
        raise UsageError(
            f"{where}：没有案件 {args.case} 的上报移交事件 / holds no hand-off of case {args.case}"
            if args.case is not None
            else f"{where}：市级留痕中没有上报移交事件（带 data.handoff 的 submit），请确认给出的是"
            "市级的存储或留痕 / the city trail holds no hand-off (a submit with data.handoff): "
            "check that it is the city's store or trail"
        )
    results = []
    for entry in handoffs:
        record = entry["record"]
        link = record.get("data", {}).get(HANDOFF_FIELD) or {}
        try:
            problems = verify_handoff(parse_event(dict(record)), township)
        except EventError as exc:
            problems = [exc.problem]
        results.append(
            {
                "case": record.get("case"),
                "city_entry": entry.get("index"),
                "rulebook": link.get("rulebook"),
                "township_case": link.get("case"),
                "township_entry": link.get("entry_index"),
                "entry_hash": link.get("entry_hash"),
                "ok": not problems,
                "problems": [p.to_dict() for p in problems],
            }
        )
    trails = [*township_problems, *city_problems]
    ok = not trails and all(r["ok"] for r in results)
    code = 0 if ok else 1
    if args.format == "json":
        doc = {
            "ok": ok,
            "handoffs": results,
            "township_trail": {
                "entries": len(township),
                "problems": [p.to_dict() for p in township_problems],
            },
            "city_trail": {"entries": len(city), "problems": [p.to_dict() for p in city_problems]},
        }
        return json.dumps(doc, ensure_ascii=False, indent=2), code
    return _text(results, township, city, trails, args.lang), code


def _text(
    results: list[dict[str, Any]],
    township: list[Any],
    city: list[Any],
    trails: list[Problem],
    lang: str,
) -> str:
    def say(zh: str, en: str) -> str:
        return {"zh": zh, "en": en}.get(lang, f"{zh} / {en}")

    confirmed = sum(1 for r in results if r["ok"])
    lines = [p.format(lang) for p in trails]  # type: ignore[arg-type]
    for r in results:
        if r["ok"]:
            lines.append(
                "  "
                + say(
                    f"已核对 {r['case']} ← {r['rulebook']} 案件 {r['township_case']}（乡镇留痕第 "
                    f"{r['township_entry']} 条的上报记录）",
                    f"verified {r['case']} ← {r['rulebook']} case {r['township_case']} (the "
                    f"report at entry {r['township_entry']} of the township trail)",
                )
            )
        else:
            for p in r["problems"]:
                lines.append(f"  {p['code']}: " + say(p["message_zh"], p["message_en"]))
    lines.append(
        say(
            f"上报移交 {len(results)} 个，{confirmed} 个与乡镇留痕一致；乡镇留痕 {len(township)} 条、"
            f"市级留痕 {len(city)} 条" + ("，均完整" if not trails else "，留痕未通过校验"),
            f"{len(results)} hand-off(s), {confirmed} confirmed by the township trail; township "
            f"trail {len(township)} entries, city trail {len(city)} entries"
            + (", both intact" if not trails else "; a trail does not verify"),
        )
    )
    return "\n".join(lines)


def _is_handoff(entry: Mapping[str, Any]) -> bool:
    record = entry.get("record")
    return (
        entry.get("kind") == "event"
        and isinstance(record, Mapping)
        and record.get("event") == "submit"
        and isinstance(record.get("data"), Mapping)
        and HANDOFF_FIELD in record["data"]
    )


def _trail(
    store_text: str | None, file: str | None, zh: str, en: str
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """One side's trail entries and what is wrong with its chain (from a store or a file)."""
    from ..cases.trail import import_trail, verify

    if file is not None:
        imported = import_trail(file)
        cannot = [p for p in imported.problems if p.code.startswith("FILE-")]
        if cannot:
            raise UsageError(cannot[0].format())
        return list(imported.entries), list(imported.problems)
    assert store_text is not None  # one of the two is required
    from ._store import is_url, open_store

    if not is_url(store_text) and not Path(store_text).is_file():
        raise UsageError(f"{store_text}：{zh}存储不存在 / the {en} store does not exist")
    store = open_store(store_text)
    with contextlib.closing(store):
        try:
            entries = [dict(e) for e in store.trail()]
        except FyrulesError as exc:  # the store stopped serving
            raise UsageError(str(exc)) from None
    result = verify(entries)
    problems = [] if result.ok else list(result.problems(store_text))
    return entries, problems
