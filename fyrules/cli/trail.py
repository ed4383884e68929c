"""``fyrules trail verify FILE [--head HEAD]``: check an exported trail on the command line;
``fyrules trail verify-handoff``: check the report-up hand-offs between a township's trail and
the city's (:mod:`fyrules.cli._trail_handoff`).

Exit 0 when the trail is intact (and reaches the published head, when one is given), 1 when it
is not (every problem printed, with its line), 2 when the check could not run (no such file, a
malformed ``--head``). ``--head`` takes the head as published: ``INDEX:HASH`` (what ``str(head)``
and this command print) or the bare ``HASH``, which must then be the hash of some entry.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Any

from ..cases.trail import TrailError, TrailHead, import_trail
from ..engine.problems import Location, Problem, UsageError
from ._store import is_url

HELP = "the tamper-evident trail (留痕): verify an exported trail, or the hand-offs between two"
_HEX64 = re.compile(r"[0-9a-f]{64}")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``fyrules trail``: an action and its operands."""
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = actions.add_parser(
        "verify",
        help="check an exported trail (JSON Lines) or the trail in a store, optionally against "
        "a published head",
    )
    p.add_argument("file", metavar="FILE", nargs="?", help="the exported trail")
    p.add_argument(
        "--store",
        metavar="PATH|URL",
        help="verify the trail held in a store instead: a SQLite file, sqlite:///FILE or "
        "postgresql+psycopg://USER@HOST/DB (every chain of a partitioned store, and their root)",
    )
    p.add_argument(
        "--head", metavar="HEAD", help="the published head: INDEX:HASH, or the HASH alone"
    )
    p.add_argument(
        "--root",
        metavar="HASH",
        help="with --store on a partitioned store: the published root of its chains' heads",
    )
    p.add_argument("--format", choices=("text", "json"), default="text", help="output")
    p.add_argument(
        "--lang", choices=("zh", "en", "both"), default="both", help="language of the text"
    )
    from . import _trail_handoff

    _trail_handoff.add_arguments(
        actions.add_parser(
            "verify-handoff",
            help="核对乡镇与市级留痕之间的上报移交 / check the report-up hand-offs between a "
            "township's trail and the city's",
        )
    )


def run(args: argparse.Namespace) -> int:
    if args.action == "verify-handoff":
        from ._trail_handoff import report as handoff_report

        text, code = handoff_report(args)
        sys.stdout.write(text + "\n")
        return code
    text, code = report(args)
    sys.stdout.write(text + "\n")
    return code


def report(args: argparse.Namespace) -> tuple[str, int]:
    """The report of ``fyrules trail verify`` and its exit code (0 intact, 1 broken)."""
    if (args.file is None) == (args.store is None):
        raise UsageError(
            "请给出导出的留痕文件或 --store（二者之一） / give an exported trail FILE or --store, "
            "one of them"
        )
    expected, bare = _published_head(args.head)
    if args.store is not None:
        return _verify_store(args, expected, bare)
    imported = import_trail(args.file, expected_head=expected)
    cannot = [p for p in imported.problems if p.code.startswith("FILE-")]
    if cannot:
        raise UsageError(cannot[0].format(args.lang))

    problems = list(imported.problems)
    published = expected
    past_head = imported.verification.past_head
    if bare is not None and imported.ok:
        found = next((e["index"] for e in imported.entries if e["hash"] == bare), None)
        if found is None:
            problems.append(
                Problem(
                    "TRAIL-HEAD",
                    f"公布的头部 {bare[:12]}… 不在留痕中：末尾被截去或留痕被改写",
                    f"the published head {bare[:12]}… is not in the trail: its tail was cut or "
                    "it was rewritten",
                    Location(args.file),
                )
            )
        else:
            published = TrailHead(found, bare)
            past_head = len(imported.entries) - 1 - found

    head = imported.head
    if args.format == "json":
        report: dict[str, Any] = {
            "file": args.file,
            "ok": not problems,
            "entries": len(imported.entries),
            "head": head.to_dict(),
            "published_head": published.to_dict() if published else None,
            "past_head": past_head,
            "problems": [p.to_dict() for p in problems],
        }
        return json.dumps(report, ensure_ascii=False, indent=2), 1 if problems else 0

    if problems:
        lines = [p.format(args.lang) for p in problems]
        lines.append(
            _say(
                args.lang,
                f"留痕未通过校验；第一个问题之前的 {len(imported.entries)} 条完好",
                f"the trail does not verify; the {len(imported.entries)} entries before the "
                "first problem are intact",
            )
        )
        return "\n".join(lines), 1
    lines = [
        _say(
            args.lang,
            f"{args.file}：留痕完整，共 {len(imported.entries)} 条",
            f"{args.file}: the trail is intact, {len(imported.entries)} entries",
        ),
        _say(args.lang, f"头部：{head}", f"head: {head}"),
    ]
    if published is not None:
        lines.append(
            _say(
                args.lang,
                f"与公布的头部一致（第 {published.index} 条）；其后 {past_head} 条尚无公布的头部担保",
                f"matches the published head (entry {published.index}); {past_head} entries "
                "after it are not yet vouched for by a published head",
            )
        )
    return "\n".join(lines), 0


def _verify_store(
    args: argparse.Namespace, expected: TrailHead | None, bare: str | None
) -> tuple[str, int]:
    """``trail verify --store``: every chain from its first entry; with several chains (a
    partitioned store) also their root (:mod:`fyrules.cases.trail.root`)."""
    import contextlib

    from ..cases.trail import verify
    from ..cases.trail.root import combined_root
    from ..engine.problems import FyrulesError
    from ._store import open_store

    store = (
        open_store(args.store, partitions=None) if is_url(args.store) else open_store(args.store)
    )
    with contextlib.closing(store):
        try:
            numbers = store.chains() if hasattr(store, "chains") else [0]
            results = {}
            for number in numbers or [0]:
                entries = store.chain(number) if hasattr(store, "chain") else store.trail()
                one = len(numbers) <= 1
                results[number] = verify(entries, expected_head=expected if one else None)
        except FyrulesError as exc:  # the store stopped serving
            raise UsageError(str(exc)) from None
    if (expected is not None or bare is not None) and len(results) > 1:
        raise UsageError(
            "分区存储有多条链，请用 --root 核对公布的根 / a partitioned store has several chains: "
            "check its published root with --root"
        )
    heads = {number: result.head for number, result in results.items()}
    root = combined_root(heads) if len(results) > 1 else None
    problems: list[Problem] = []
    for number, result in results.items():
        bad = result.first_bad
        if bad is not None:
            where = f"{args.store} chain {number}" if len(results) > 1 else args.store
            problems.append(
                Problem(
                    bad.code,
                    f"{where} 第 {bad.index} 条：{bad.message_zh}",
                    f"{where} entry {bad.index}: {bad.message_en}",
                )
            )
    if bare is not None and not problems:
        problems.append(
            Problem(
                "TRAIL-HEAD",
                "存储留痕的核对只接受 序号:哈希 形式的头部",
                "checking a store's trail takes the head as INDEX:HASH",
            )
        )
    wanted_root = getattr(args, "root", None)
    if wanted_root is not None and root != wanted_root.strip() and not problems:
        problems.append(
            Problem(
                "TRAIL-HEAD",
                f"各链头部合成的根 {root} 不是公布的根：有链被改写、截短、删除或增加",
                f"the root of the chains' heads {root} is not the published root: a chain was "
                "rewritten, cut, removed or added",
            )
        )
    if args.format == "json":
        report: dict[str, Any] = {
            "store": args.store,
            "ok": not problems,
            "chains": {str(n): r.to_dict() for n, r in results.items()},
            "root": root,
            "problems": [p.to_dict() for p in problems],
        }
        return json.dumps(report, ensure_ascii=False, indent=2), 1 if problems else 0
    lines = [p.format(args.lang) for p in problems]
    for number, result in results.items():
        label = f"chain {number}: " if len(results) > 1 else ""
        lines.append(
            _say(
                args.lang,
                f"{label}{'完整' if result.ok else '未通过'}，{result.checked} 条完好，头部 {result.head}",
                f"{label}{'intact' if result.ok else 'broken'}, {result.checked} entries verify, "
                f"head {result.head}",
            )
        )
    if root is not None:
        lines.append(_say(args.lang, f"根：{root}", f"root: {root}"))
    return "\n".join(lines), 1 if problems else 0


def _published_head(text: str | None) -> tuple[TrailHead | None, str | None]:
    """``--head`` as a head with its index, or a bare hash; bad text is a usage error."""
    if text is None:
        return None, None
    text = text.strip()
    if ":" not in text:
        if not _HEX64.fullmatch(text):
            raise UsageError(
                f"--head 应为 序号:哈希 或 64 位小写十六进制哈希 / --head must be INDEX:HASH or a "
                f"64-digit lower-case hex hash: {text[:80]!r}"
            )
        return None, text
    try:
        return TrailHead.parse(text), None
    except TrailError as exc:
        raise UsageError(f"--head: {exc.problem.message()}") from None


def _say(lang: str, zh: str, en: str) -> str:
    if lang == "zh":
        return zh
    if lang == "en":
        return en
    return f"{zh} / {en}"
