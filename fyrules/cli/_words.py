"""The command line in the user's language: bilingual help and errors, colour, completion.

Command modules write their options as they like; :func:`bilingual` then walks the finished
parser and gives every option and argument its help in Chinese and English from
:data:`HELP` (where a module's own help has no Chinese). :class:`BilingualParser` replaces
argparse's English errors with ``中文 / English`` ones and suggests the closest command or
choice for a mistyped one (``fyrules chekc`` → ``check``). :func:`colour` says whether to use
colour (a terminal, no ``NO_COLOR``, not ``--color never``) and :func:`paint` applies it.
:func:`completion_script` writes bash or zsh completion from the parser itself (``shtab``).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Iterator
from typing import IO, Any, NoReturn

from ..engine.suggest import closest

_CJK = re.compile(r"[\u4e00-\u9fff]")
_BOTH = re.compile(r"[\u4e00-\u9fff].* / \S")  # "中文 / English"

# Help for options and arguments by name; (command, name) entries win over plain names.
HELP: dict[Any, str] = {
    "--help": "显示帮助并退出 / show this help message and exit",
    "--version": "显示版本并退出 / show the version and exit",
    "rulebook": "规则集目录（含 rulebook.yaml） / rulebook folder (holding rulebook.yaml)",
    "--today": "按这一天检查（YYYY-MM-DD；默认 $FYRULES_TODAY，否则今天） / the date checks run "
    "as of (default: $FYRULES_TODAY, else today)",
    ("example", "out"): "新目录（不存在或为空） / the new folder (must not exist, or be empty)",
    "--name": "哪一个示例：fuyang（默认）或 township / which example: fuyang (default) or township",
    "--strict": "警告也算错误（退出码 1） / treat warnings as errors (exit 1)",
    "--format": "输出格式 / output format",
    "--lang": "消息语言：zh 中文，en 英文，both 中英文（默认） / language of messages",
    "-o": "把结果写入文件 FILE / write the result to FILE",
    "--color": "颜色：auto 终端中使用（遵守 NO_COLOR），always，never / colour in the output",
    "--coverage": "报告测试覆盖的规则和法律条文 / report which rules and provisions tests exercise",
    "--min-coverage": "覆盖率低于百分之 N 时失败（退出码 1） / fail (exit 1) below N percent coverage",
    "--report": "本月抽查结果的通报，而不是抽签 / the month's notification report instead of the draw",
    "--item": "事项编码 / item code",
    "--accepted": "受理时间（ISO，如 2025-10-09T09:30+08:00） / acceptance time (ISO)",
    "--events": "事件文件（JSON Lines） / events file (JSON Lines)",
    "events": "事件文件（JSON Lines） / events file (JSON Lines)",
    "--case": "--events 中的案件编号 / the case in --events",
    "--at": "按这一时刻（ISO） / as of this time (ISO)",
    "date": "日期 YYYY-MM-DD / a date, YYYY-MM-DD",
    "n": "工作日数：整数，可为 0 或负数 / working days: an integer, 0 or negative too",
    "start": "开始日期 YYYY-MM-DD / first day, YYYY-MM-DD",
    "end": "结束日期 YYYY-MM-DD / last day, YYYY-MM-DD",
    ("hours", "start"): "开始时刻（ISO，如 2026-03-04T11:00+08:00） / start time (ISO)",
    "hours": "工作小时数，如 1.5 / working hours, e.g. 1.5",
    "--explain": "附上每条发现的推导过程 / add each finding's trace",
    "--by": "按超时时经办的人员（person）或部门（department）分组列出超时发现 / group the overdue "
    "findings by the person or department that held the case when it ran over",
    "--store": "存储：SQLite 文件路径、sqlite:///… 或 postgresql+psycopg://…（已有的事件编号视为重复） / "
    "the store: a SQLite path, sqlite:///… or postgresql+psycopg://…",
    "--partition": "只回放第 K 个分区（共 N 个，按案件编号的 CRC-32 取模）的案件，写入同一个 PostgreSQL "
    "存储 / replay only the cases of partition K of N (CRC-32 of the case id mod N) into one "
    "PostgreSQL --store",
    "--root": "分区存储各链头合成的已公布根值 / the published root of a partitioned store's chain heads",
    "--app-role": "应用连接所用的数据库角色：留痕、发现和拒收只授予 INSERT 与 SELECT / the role the "
    "application connects as: INSERT and SELECT only on the trail, findings and rejected events",
    "--max-examples": "尝试的事件序列数（默认 2000，约一分钟） / event streams to try (default 2000, "
    "about a minute)",
    "--save": "把反例写成规则集测试，存入目录 DIR（在规则集内，fyrules test 会运行它） / write the "
    "counterexample as a rulebook test into DIR",
    "--host": "监听地址（默认 127.0.0.1） / address to listen on (default 127.0.0.1)",
    "--port": "端口（默认 8000） / port (default 8000)",
    "--tokens": "由 fyrules token add 生成的令牌文件（没有它只开放公开接口） / token file made by "
    "`fyrules token add` (without it only public endpoints answer)",
    "--role": "intake 报送事件；staff 查看案件；supervisor 查看各部门的发现 / intake: post events; "
    "staff: read cases; supervisor: read findings",
    "--dept": "令牌只限部门 D（可重复；默认全部） / limit the token to department D (repeat for "
    "more; default: all)",
    "--month": "月份 YYYY-MM / the month, YYYY-MM",
    "--cases": "案件数 N / number of cases N",
    "--seed": "随机种子 / random seed",
    (
        "inspect",
        "--seed",
    ): "规则集指定的公开值（inspection.public_value） / the published public value",
    "--faults": "混入重复投递和流程拒绝的事件 / mix in duplicates and events the process refuses",
    "--assessments": "本月录入的常态指数得分（CSV 或 YAML） / normal-index points of the month",
    "--previous": "上月的事件，用于计算变化 / the previous month's events, for the change",
    ("score", "--version"): "按这一版测评方案计分 / score under this scheme version",
    "sheet_file": "事项清单（.csv 或 .xlsx） / the item list (.csv or .xlsx)",
    "--out": "输出目录（不存在则创建） / output folder (created if missing)",
    "--sheet": ".xlsx 文件中的工作表 / worksheet of an .xlsx file",
    "--mapping": "列映射 YAML：表头 → 字段 / YAML: column header → field",
    "--partial": "有坏行时仍写出好的行 / write the good rows even if some are bad",
    "--force": "覆盖已存在的文件 / replace files that already exist",
    "--date": "页面上印的发布日期（YYYY-MM-DD） / publication date on the pages",
    "file": "导出的留痕文件 / the exported trail",
    "--head": "公布的头部：INDEX:HASH 或 HASH / the published head",
    "--as-of": "按这一时刻报告（ISO，默认月末） / report as of TIME (default: month end)",
    "--rulebook": "规则集目录（默认 examples/fuyang） / rulebook folder",
    "--public-value": "抽查所用的公开值 / the public value the inspection draw is seeded from",
    "--no-progress": "不显示进度条 / no progress bars",
    "shell": "shell 的种类：bash 或 zsh / the shell: bash or zsh",
    ("diff", "old"): "修改前的规则集（目录） / the rulebook before the change (a folder)",
    ("diff", "new"): "修改后的规则集（目录） / the rulebook after the change (a folder)",
    "--fail-on": "只在新规则集放宽旧规则集时以退出码 1 结束 / exit 1 only when NEW loosens OLD",
    (
        "notify",
        "--as-of",
    ): "截至这一时刻应发出的通知（ISO；无时区时按规则集时区） / the notifications "
    "due up to this moment (ISO; without an offset, in the rulebook's time zone)",
    (
        "notify",
        "--draw",
    ): "月度抽签结果（fyrules inspect --format json 的输出），用于抽查指派通知 / "
    "a month's draw (fyrules inspect --format json), for inspection-assigned notifications",
    (
        "notify",
        "--store",
    ): "存储：记录已发出的通知，再次运行不重复发送（SQLite 路径或 sqlite:///…） / "
    "the store that records what was sent, so a later run sends nothing twice",
    ("notify", "--send"): "通过 --config 中配置的通道（SMTP、webhook）发送 / deliver through the "
    "notifiers --config configures (SMTP, webhook)",
    ("notify", "--config"): "发送配置（TOML，见 docs/notifications.md） / delivery configuration "
    "(TOML, see docs/notifications.md)",
    (
        "evaluate",
        "events",
    ): "事件文件（JSON Lines）；只给 --store 时不回放，报告存储中全部分区合并的结果及各链头部的根 / "
    "events file (JSON Lines); omitted with --store: report every partition of the store "
    "merged, with the root of the trail's chains",
    (
        "deadline",
        "--store",
    ): "把 --events 回放进该存储，按其中该案件的全部事件计时 / replay --events into "
    "this store and count every event of the case it holds",
    (
        "inspect",
        "--store",
    ): "回放进该存储：在其全部案件中抽取，抽取记录写入其留痕；通报按其中全部抽查事件 / "
    "replay into this store: draw among every case it holds and record the draw in its trail; "
    "the report counts every inspection it holds",
    ("parallel", "target"): "项目的最后一项（如施工许可；默认：目录中的每个项目） / the project's "
    "last item (the construction permit, say; default: every project of the catalog)",
    ("parallel", "--days"): "按哪种时限：committed 承诺时限（默认），statutory 法定时限 / which "
    "limits: committed (default) or statutory",
    ("parallel", "--start"): "项目开始日期（YYYY-MM-DD），排到工作日日历上 / the project's first "
    "day (YYYY-MM-DD), to put the path on the working-day calendar",
    ("project", "--project"): "只看这一个项目（data.project 中的编号） / only this project (its "
    "id in data.project)",
    ("project", "--as-of"): "按这一时刻（ISO；默认最后一个事件） / as of this time (ISO; "
    "default: the last event)",
    (
        "score",
        "events",
    ): "事件文件（JSON Lines）；只给 --store 时不回放，按存储中全部案件评分，各分区的月度统计合并 / "
    "events file (JSON Lines); omitted with --store: score every case the store holds, every "
    "partition's month merged",
    ("score", "--store"): "回放进该存储并按其中全部案件评分；按 N 个分区写入的存储读取全部分区 / "
    "replay into this store and score every case it holds; a store written in N partitions is "
    "scored from all of them",
    (
        "diff",
        "--store",
    ): "代替 --events：按两个规则集重放该存储的监控器处理过的事件（受理的和拒收的），"
    "与投递时完全一致（其投递记录，全部分区） / instead of --events: replay the events this store's "
    "monitor decided (accepted and rejected), exactly as they were delivered (its delivery log; "
    "every partition)",
}


def _subparsers(parser: argparse.ArgumentParser) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield name, sub
                yield from _subparsers(sub)


def bilingual(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """``parser`` with every option's and argument's help in Chinese and English."""
    for command, p in [("", parser), *_subparsers(parser)]:
        p._positionals.title = "位置参数 / positional arguments"
        p._optionals.title = "选项 / options"
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                continue
            if action.help and _BOTH.search(action.help):
                continue
            names = [*action.option_strings, action.dest]
            found = next((HELP[(command, n)] for n in names if (command, n) in HELP), None)
            found = found or next((HELP[n] for n in names if n in HELP), None)
            if found is not None:
                action.help = found
    return parser


class BilingualParser(argparse.ArgumentParser):
    """argparse, with its errors in Chinese and English and a suggestion for a mistyped
    command or choice."""

    def error(self, message: str) -> NoReturn:
        zh, en = translate_error(message)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: 错误：{zh} / error: {en}\n")


def translate_error(message: str) -> tuple[str, str]:
    """argparse's error ``message`` as ``(中文, English)``, with "did you mean …?"."""
    choice = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
    if choice:
        word = choice.group(1)
        options = re.findall(r"'([^']*)'", choice.group(2)) or [
            o.strip() for o in choice.group(2).split(",")
        ]
        best = closest(word, options)
        zh_hint = f"（是否应为 “{best}”？）" if best else ""
        en_hint = f" (did you mean '{best}'?)" if best else ""
        arg = re.match(r"argument ([^:]+):", message)
        what_zh = f"参数 {arg.group(1)} 的取值" if arg and arg.group(1) != "COMMAND" else "命令"
        what_en = f"value for {arg.group(1)}" if arg and arg.group(1) != "COMMAND" else "command"
        return (
            f"未知的{what_zh} “{word}”{zh_hint}；可选：{'、'.join(options)}",
            f"unknown {what_en} '{word}'{en_hint}; choose from {', '.join(options)}",
        )
    required = re.match(r"the following arguments are required: (.*)", message)
    if required:
        names = required.group(1)
        return f"缺少必需的参数：{names}", f"missing required arguments: {names}"
    unknown = re.match(r"unrecognized arguments: (.*)", message)
    if unknown:
        return f"无法识别的参数：{unknown.group(1)}", f"unrecognized arguments: {unknown.group(1)}"
    one = re.match(r"argument ([^:]+): expected one argument", message)
    if one:
        return f"参数 {one.group(1)} 后面要写一个值", f"{one.group(1)} needs a value after it"
    invalid = re.match(r"argument ([^:]+): invalid (\w+) value: '(.*)'", message)
    if invalid:
        kinds = {"int": "整数", "float": "数"}
        kind = kinds.get(invalid.group(2), invalid.group(2))
        return (
            f"参数 {invalid.group(1)} 的值 “{invalid.group(3)}” 不是{kind}",
            f"the value '{invalid.group(3)}' of {invalid.group(1)} is not a valid {invalid.group(2)}",
        )
    own = re.match(r"argument ([^:]+): (.*)", message)
    if own and " / " in own.group(2):  # our own type checkers already say it in both
        zh, _, en = own.group(2).partition(" / ")
        return f"参数 {own.group(1)}：{zh}", f"argument {own.group(1)}: {en}"
    if own:
        return f"参数 {own.group(1)} 有误：{own.group(2)}", message
    if message.startswith("ambiguous option"):
        return "选项缩写有歧义，请写全", message
    return f"参数有误：{message}", message


def add_color_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help=HELP["--color"],
    )


def colour(choice: str | None, stream: IO[str]) -> bool:
    """Whether to colour what goes to ``stream``: ``always``; never with ``never`` or when
    ``NO_COLOR`` is set (https://no-color.org); otherwise only on a terminal."""
    if choice == "never":
        return False
    if choice == "always":
        return True
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


_RED, _YELLOW, _CYAN, _BOLD, _RESET = "\033[31m", "\033[33m", "\033[36m", "\033[1m", "\033[0m"
_LINE = re.compile(r"^(?P<where>\S+?:\d+(?::\d+)?: )?(?P<code>[A-Z][A-Z0-9-]+): ")
_WARN = re.compile(r"\[(?:警告|提示|warning|info)(?: warning| info)?\]")


def paint(text: str) -> str:
    """Report lines with the place in cyan, the code bold red (yellow for a warning)."""
    out = []
    for line in text.split("\n"):
        match = _LINE.match(line)
        if match is None:
            out.append(line)
            continue
        warning = _WARN.search(line) is not None
        colour_code = _YELLOW if warning else _RED
        where = match.group("where") or ""
        rest = line[match.end() :]
        rest = _WARN.sub(lambda m: f"{_YELLOW}{m.group()}{_RESET}", rest)
        out.append(
            f"{_CYAN}{where}{_RESET}{_BOLD}{colour_code}{match.group('code')}{_RESET}: {rest}"
        )
    return "\n".join(out)


def completion_script(parser: argparse.ArgumentParser, shell: str) -> str:
    """Shell completion for ``fyrules``, generated from ``parser`` (needs ``shtab``:
    ``pip install fyrules[completion]``)."""
    from ..engine.problems import UsageError

    try:
        import shtab
    except ImportError:
        raise UsageError(
            "生成补全脚本需要 shtab：pip install 'fyrules[completion]' / "
            "completion needs shtab: pip install 'fyrules[completion]'"
        ) from None
    return str(shtab.complete(parser, shell=shell))
