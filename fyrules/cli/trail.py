"""``fyrules trail verify FILE [--head HEAD]``: check an exported trail on the command line.

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

HELP = "the tamper-evident trail (留痕): verify an exported trail"
_HEX64 = re.compile(r"[0-9a-f]{64}")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``fyrules trail``: an action and its operands."""
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = actions.add_parser(
        "verify", help="check an exported trail (JSON Lines), optionally against a published head"
    )
    p.add_argument("file", metavar="FILE", help="the exported trail")
    p.add_argument(
        "--head", metavar="HEAD", help="the published head: INDEX:HASH, or the HASH alone"
    )
    p.add_argument("--format", choices=("text", "json"), default="text", help="output")
    p.add_argument(
        "--lang", choices=("zh", "en", "both"), default="both", help="language of the text"
    )


def run(args: argparse.Namespace) -> int:
    text, code = report(args)
    sys.stdout.write(text + "\n")
    return code


def report(args: argparse.Namespace) -> tuple[str, int]:
    """The report of ``fyrules trail verify`` and its exit code (0 intact, 1 broken)."""
    expected, bare = _published_head(args.head)
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
