"""Compiling process entries: the transition graph, and the checks ``fyrules check`` reports
for it (unknown events, stages a process lacks, unreachable stages, no path from accept to
complete, overlapping versions)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping

from ..engine.load.sections import Entry, empty_validity
from ..engine.problems import Problem
from ..engine.suggest import hint
from .events import EVENT_KINDS
from .process import Process, ProcessSpec, Window


def fingerprint(spec: ProcessSpec) -> str:
    """A short hash of what a process allows (not of its title or basis): a case bound to a
    version notices when that version's transitions were edited in place."""
    starts = spec.starts or spec.stages[:1]
    shape = {
        "starts": sorted(starts),
        "stages": list(spec.stages),
        "after": {k: sorted(v) for k, v in spec.after.items()},
        "during": {k: [w.from_, w.until] for k, w in spec.during.items()},
        "anonymous": sorted(spec.anonymous),
    }
    text = json.dumps(shape, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def compile_process(entry: Entry) -> tuple[Process | None, list[Problem]]:
    """One process entry compiled; problems (positioned) for unknown events, references to
    stages the process does not have, unreachable stages and a missing accept → complete path."""
    spec: ProcessSpec = entry.spec
    problems: list[Problem] = []

    def unknown(name: str, *where: str | int) -> bool:
        if name in EVENT_KINDS:
            return False
        zh_hint, en_hint = hint(name, EVENT_KINDS)
        problems.append(
            Problem(
                "PROCESS-UNKNOWN-EVENT",
                f"流程 {spec.id} 中的 “{name}” 不是事件类型{zh_hint}",
                f"'{name}' in process {spec.id} is not an event kind{en_hint}",
                entry.locate(*where),
                spec.id,
            )
        )
        return True

    bad = False
    for i, name in enumerate(spec.stages):
        bad |= unknown(name, "stages", i)
    for name, before in spec.after.items():
        bad |= unknown(name, "after", name)
        for j, prev in enumerate(before):
            bad |= unknown(prev, "after", name, j)
    for name, window in spec.during.items():
        bad |= unknown(name, "during", name)
        bad |= unknown(window.from_, "during", name, "from")
        if window.until is not None:
            bad |= unknown(window.until, "during", name, "until")
    for i, name in enumerate(spec.anonymous):
        bad |= unknown(name, "anonymous", i)
    if spec.actors is not None:
        for i, name in enumerate(spec.actors.applicant):
            bad |= unknown(name, "actors", "applicant", i)
        for name in spec.actors.roles:
            bad |= unknown(name, "actors", "roles", name)
        for name in spec.actors.approved_by:
            bad |= unknown(name, "actors", "approved_by", name)
    if spec.requires is not None:
        for name in spec.requires.data:
            bad |= unknown(name, "requires", "data", name)
    if (empty := empty_validity(entry, spec.valid_from, spec.valid_to)) is not None:
        problems.append(empty)
        bad = True
    if bad:
        return None, problems

    nodes = list(dict.fromkeys([*spec.stages, *spec.after]))
    follows: dict[str, set[str]] = {n: set() for n in nodes}
    for prev, stage in zip(spec.stages, spec.stages[1:], strict=False):
        follows[stage].add(prev)
    starts = tuple(spec.starts or spec.stages[:1])

    def stage_ref(name: str, *where: str | int) -> bool:
        if name in follows:
            return True
        zh_hint, en_hint = hint(name, nodes)
        problems.append(
            Problem(
                "PROCESS-UNKNOWN-STAGE",
                f"流程 {spec.id} 没有环节 “{name}”（须列在 stages 或 after 中）{zh_hint}",
                f"process {spec.id} has no stage '{name}' (list it in stages or after){en_hint}",
                entry.locate(*where),
                spec.id,
            )
        )
        return False

    for name, before in spec.after.items():
        for j, prev in enumerate(before):
            if stage_ref(prev, "after", name, j):
                follows[name].add(prev)
    for i, name in enumerate(starts):
        stage_ref(name, "starts", i)
    windows: dict[str, Window] = {}
    for name, w in spec.during.items():
        ok = stage_ref(w.from_, "during", name, "from")
        ok = (w.until is None or stage_ref(w.until, "during", name, "until")) and ok
        if ok:
            windows[name] = Window(w.from_, w.until)
    if any(p.code == "PROCESS-UNKNOWN-STAGE" for p in problems):
        return None, problems

    reach = _reach(follows)
    opened = set().union(*(reach[s] for s in starts)) if starts else set()
    for name in nodes:
        if name not in opened:
            where = ("stages", spec.stages.index(name)) if name in spec.stages else ("after", name)
            problems.append(
                Problem(
                    "PROCESS-UNREACHABLE",
                    f"流程 {spec.id} 的环节 {name} 无法从开始（{', '.join(starts)}）到达",
                    f"stage {name} of process {spec.id} cannot be reached from its start "
                    f"({', '.join(starts)})",
                    entry.locate(*where),
                    spec.id,
                )
            )
    if "accept" not in follows or "complete" not in reach.get("accept", set()):
        problems.append(
            Problem(
                "PROCESS-NO-PATH",
                f"流程 {spec.id} 没有从受理（accept）到办结（complete）的路径",
                f"process {spec.id} has no path from accept to complete",
                entry.locate("stages"),
                spec.id,
            )
        )
    side_at = {
        stage: frozenset(
            e
            for e, w in windows.items()
            if stage in reach[w.start] and (w.end is None or stage not in reach[w.end])
        )
        for stage in nodes
    }
    process = Process(
        id=spec.id,
        version=spec.valid_from.isoformat() if spec.valid_from else None,
        title_zh=spec.title.zh,
        title_en=spec.title.en or spec.title.zh,
        basis=spec.basis,
        kinds=frozenset(spec.applies_to.kinds),
        items=frozenset(spec.applies_to.items),
        valid_from=spec.valid_from,
        valid_to=spec.valid_to,
        starts=starts,
        stages=tuple(nodes),
        follows={k: frozenset(v) for k, v in follows.items()},
        during=windows,
        side_at=side_at,
        anonymous=frozenset(spec.anonymous),
        fingerprint=fingerprint(spec),
        location=entry.location,
        layer=entry.layer,
        actors=spec.actors,
        requires=spec.requires,
    )
    return process, problems


def _reach(follows: Mapping[str, set[str]]) -> dict[str, set[str]]:
    """For each stage, the stages reachable from it (itself included)."""
    succ: dict[str, set[str]] = {n: set() for n in follows}
    for stage, before in follows.items():
        for prev in before:
            succ[prev].add(stage)
    out = {}
    for start in succ:
        seen = {start}
        todo = [start]
        while todo:
            for nxt in succ[todo.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        out[start] = seen
    return out


def overlaps(processes: Iterable[Process]) -> list[Problem]:
    """PROCESS-OVERLAP for every two versions in force on the same day for the same target
    (the same item, or the same case kind)."""
    targets: dict[tuple[str, str], list[Process]] = {}
    for p in processes:
        for item in sorted(p.items):
            targets.setdefault(("item", item), []).append(p)
        for kind in sorted(p.kinds):
            targets.setdefault(("kind", kind), []).append(p)
    problems = []
    for (what, name), procs in targets.items():
        ordered = sorted(procs, key=lambda p: (p.valid_from or dt.date.min, p.id))
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                if (b.valid_from or dt.date.min) > (a.valid_to or dt.date.max):
                    continue
                span_a = f"{a.valid_from or '…'}~{a.valid_to or '…'}"
                span_b = f"{b.valid_from or '…'}~{b.valid_to or '…'}"
                what_zh = "事项" if what == "item" else "类别"
                what_en = "item" if what == "item" else "case kind"
                problems.append(
                    Problem(
                        "PROCESS-OVERLAP",
                        f"{what_zh} {name} 同时有两个有效的流程：{a.id}（{span_a}，{a.location}）"
                        f"与 {b.id}（{span_b}）；替换上级流程请用相同编号，或让前一版本先失效",
                        f"{what_en} {name} has two processes in force at once: {a.id} "
                        f"({span_a}, {a.location}) and {b.id} ({span_b}); to replace a higher "
                        "rulebook's process use its id, or end the earlier version first",
                        b.location,
                        b.id,
                    )
                )
    return problems
