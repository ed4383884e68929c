"""The ``cases`` extension: the ``processes:`` section, compiled into a :class:`ProcessBook`,
and the check that every catalog item has a process in force.

``rulebook.part("cases")`` is the :class:`~fyrules.cases.process.ProcessBook`; the monitor
resolves each event's process through it and feeds :func:`fyrules.cases.state.apply`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..engine.extension import BuildContext, BuildResult, Extension
from ..engine.load.sections import Section
from ..engine.problems import Problem
from ..engine.suggest import hint
from .process import ProcessBook, ProcessSpec, resolve_process
from .process_compile import compile_process, overlaps


def _build(ctx: BuildContext) -> BuildResult:
    problems: list[Problem] = []
    processes = []
    for entry in ctx.sources.section("processes"):
        process, found = compile_process(entry)
        problems.extend(found)
        if process is not None:
            processes.append(process)
    problems.extend(overlaps(processes))
    catalog = ctx.built.get("items")
    item_kinds: dict[str, str | None] = {}
    if catalog is not None:
        item_kinds = {code: catalog.kind(item) for code, item in catalog.items.items()}
        for process in processes:
            for code in sorted(process.items - set(item_kinds)):
                zh_hint, en_hint = hint(code, item_kinds)
                problems.append(
                    Problem(
                        "UNKNOWN-REFERENCE",
                        f"流程 {process.id} 适用的事项 {code} 不在事项目录中{zh_hint}",
                        f"process {process.id} applies to item {code}, which is not in the "
                        f"catalog{en_hint}",
                        process.location,
                        process.id,
                    )
                )
    book = ProcessBook(
        tuple(processes), item_kinds=item_kinds, timezone=ctx.sources.top.manifest.timezone
    )
    return BuildResult(book, tuple(problems))


def _check(rulebook: Any, *, today: dt.date) -> list[Problem]:
    """PROCESS-MISSING for each catalog item of a known kind with no process in force today.

    A rulebook that defines no process at all does not use case monitoring; it is not checked."""
    from .identity import pattern_problems

    book: ProcessBook | None = rulebook.part("cases")
    catalog = rulebook.part("items")
    problems = pattern_problems(rulebook)
    if not book or catalog is None:
        return problems
    for code, item in catalog.items.items():
        kind = catalog.kind(item)
        if kind is None or resolve_process(book, code, kind, today) is not None:
            continue
        entry = catalog.entries.get(code)
        problems.append(
            Problem(
                "PROCESS-MISSING",
                f"事项 {code}（{kind}）在 {today} 没有有效的办理流程，其案件无法受理",
                f"item {code} ({kind}) has no process in force on {today}: its cases "
                "would be rejected",
                entry.location if entry is not None else None,
                code,
            )
        )
    return problems


SECTIONS = (Section("processes", ProcessSpec, "办理流程", "processes", versioned=True),)

EXTENSION = Extension(name="cases", sections=SECTIONS, build=_build, check=_check)
