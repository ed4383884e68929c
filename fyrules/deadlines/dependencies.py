"""The dependency graph of approval items: prerequisites (前置事项) and parallel groups
(并联审批组), and the cycles that would keep a project from ever finishing.

An item waits for the items its ``depends_on`` names. Items of one ``parallel_group`` are a
stage of parallel approval (并联审批): they are accepted together and run side by side, so
every member waits for the prerequisites, outside the group, of *any* member. The graph
gives each group a *group start* node of no length: the group's outside prerequisites come
before it, every member after it. Dependencies between members of one group still count.

Everything here is iterative (no recursion), so a long chain or a large catalog never hits
Python's recursion limit. ``fyrules check`` reports each cycle as ``DEPENDENCY-CYCLE``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping

import attrs

from ..engine.load.sections import Entry
from ..engine.problems import Location, Problem
from ..items import Catalog, ItemSpec

# Most items a cycle message lists besides the cycle itself.
_MAX_LISTED = 10


@attrs.frozen(slots=True)
class Link:
    """``before`` must finish before ``after`` starts (both node numbers of the graph).

    ``item`` and ``index`` say which ``depends_on`` entry made the link; ``group`` names the
    parallel group for links into and out of a group start."""

    before: int
    after: int
    item: str | None = None
    index: int | None = None
    group: str | None = None


@attrs.frozen(slots=True)
class DependencyGraph:
    """Items (nodes ``0 … len(codes) - 1``) and group starts (the nodes after them)."""

    codes: tuple[str, ...]
    groups: tuple[str, ...]
    groups_members: tuple[tuple[int, ...], ...]
    before: tuple[tuple[Link, ...], ...]  # node → links from what it waits for
    after: tuple[tuple[Link, ...], ...]  # node → links to what waits for it

    @property
    def size(self) -> int:
        return len(self.before)

    def is_item(self, node: int) -> bool:
        return node < len(self.codes)

    def label(self, node: int) -> str:
        return self.codes[node] if self.is_item(node) else self.groups[node - len(self.codes)]

    def topological_order(self) -> tuple[list[int], list[int]]:
        """Nodes in an order where each comes after everything it waits for (Kahn's
        algorithm, ties in declaration order), and the nodes left out because they lie on a
        cycle or wait for one."""
        waiting = [len(links) for links in self.before]
        ready = deque(node for node, count in enumerate(waiting) if count == 0)
        order: list[int] = []
        while ready:
            node = ready.popleft()
            order.append(node)
            for link in self.after[node]:
                waiting[link.after] -= 1
                if waiting[link.after] == 0:
                    ready.append(link.after)
        done = set(order)
        return order, [node for node in range(self.size) if node not in done]

    def cycles(self, nodes: list[int]) -> list[tuple[list[Link], list[int]]]:
        """One cycle per strongly connected part of ``nodes`` that has one, with the part:
        the cycle as links followed from a waiting item to its prerequisite, starting at the
        part's first item, through ``depends_on`` alone when it can."""
        out = []
        for part in _strongly_connected(self, nodes):
            cycle = _shortest_cycle(self, part, items_only=True) or _shortest_cycle(
                self, part, items_only=False
            )
            if cycle:
                out.append((cycle, part))
        return out


def dependency_graph(items: Mapping[str, ItemSpec]) -> DependencyGraph:
    """The graph of ``items`` (in declaration order). Prerequisites that are not among
    ``items`` are left out: a missing one is the catalog rule NAT-PREREQUISITE-EXISTS."""
    codes = tuple(items)
    index = {code: i for i, code in enumerate(codes)}
    links: list[Link] = []
    members: dict[str, list[int]] = {}
    for i, (code, item) in enumerate(items.items()):
        seen: set[int] = set()
        for k, dep in enumerate(item.depends_on):
            j = index.get(dep)
            if j is not None and j not in seen:
                seen.add(j)
                links.append(Link(j, i, code, k))
        if item.parallel_group is not None:
            members.setdefault(item.parallel_group, []).append(i)
    groups = tuple(members)
    for g, group in enumerate(groups):
        start = len(codes) + g
        inside = set(members[group])
        outside: set[int] = set()
        for m in members[group]:
            links.append(Link(start, m, group=group))
            for k, dep in enumerate(items[codes[m]].depends_on):
                j = index.get(dep)
                if j is not None and j not in inside and j not in outside:
                    outside.add(j)
                    links.append(Link(j, start, codes[m], k, group))
    size = len(codes) + len(groups)
    before: list[list[Link]] = [[] for _ in range(size)]
    after: list[list[Link]] = [[] for _ in range(size)]
    for link in links:
        before[link.after].append(link)
        after[link.before].append(link)
    return DependencyGraph(
        codes,
        groups,
        tuple(tuple(members[g]) for g in groups),
        tuple(map(tuple, before)),
        tuple(map(tuple, after)),
    )


def cycle_problems(graph: DependencyGraph, entries: Mapping[str, Entry]) -> list[Problem]:
    """A ``DEPENDENCY-CYCLE`` error for each cycle of ``graph``, at the ``depends_on`` entry
    of the first item of the cycle that names the next one."""
    _, blocked = graph.topological_order()
    if not blocked:
        return []
    return [_cycle_problem(graph, cycle, part, entries) for cycle, part in graph.cycles(blocked)]


def check_dependencies(catalog: Catalog | None) -> list[Problem]:
    """What ``fyrules check`` reports about the catalog's prerequisites and parallel groups:
    every cycle among them (every member of a group counts)."""
    if catalog is None:
        return []
    return cycle_problems(dependency_graph(catalog.items), catalog.entries)


# --- cycles -------------------------------------------------------------------------------


def _strongly_connected(graph: DependencyGraph, nodes: list[int]) -> list[list[int]]:
    """Tarjan's algorithm without recursion, over ``nodes`` only: the parts with a cycle
    (more than one node, or one that waits for itself), each sorted."""
    allowed = set(nodes)
    number: dict[int, int] = {}
    low: dict[int, int] = {}
    stack: list[int] = []
    on_stack: set[int] = set()
    parts: list[list[int]] = []
    counter = 0
    for root in nodes:
        if root in number:
            continue
        work = [(root, 0)]
        while work:
            node, pos = work.pop()
            if pos == 0:
                number[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            links = graph.before[node]
            while pos < len(links):
                nxt = links[pos].before
                pos += 1
                if nxt not in allowed:
                    continue
                if nxt not in number:
                    work.append((node, pos))
                    work.append((nxt, 0))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], number[nxt])
            else:
                if low[node] == number[node]:
                    part = []
                    while True:
                        top = stack.pop()
                        on_stack.discard(top)
                        part.append(top)
                        if top == node:
                            break
                    looped = len(part) > 1 or any(
                        link.before == node for link in graph.before[node]
                    )
                    if looped:
                        parts.append(sorted(part))
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
    parts.sort()
    return parts


def _shortest_cycle(
    graph: DependencyGraph, part: list[int], *, items_only: bool
) -> list[Link] | None:
    """The shortest cycle through the first item of ``part`` (breadth first), following
    links from an item to what it waits for; with ``items_only``, ``depends_on`` links only."""
    inside = set(part)
    items = [node for node in part if graph.is_item(node)]
    if not items:
        return None
    start = items[0]
    came_by: dict[int, Link] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for link in graph.before[node]:
            nxt = link.before
            if nxt not in inside or (items_only and link.group is not None):
                continue
            if nxt == start:
                cycle = [link]
                while node != start:
                    step = came_by[node]
                    cycle.append(step)
                    node = step.after
                cycle.reverse()
                return cycle
            if nxt not in came_by:
                came_by[nxt] = link
                queue.append(nxt)
    return None


def _cycle_problem(
    graph: DependencyGraph, cycle: list[Link], part: list[int], entries: Mapping[str, Entry]
) -> Problem:
    steps_zh, steps_en = [], []
    for link in cycle:
        waiting, prerequisite = graph.label(link.after), graph.label(link.before)
        if link.group is None:
            steps_zh.append(f"{waiting} 依赖 {prerequisite}")
            steps_en.append(f"{waiting} depends on {prerequisite}")
        elif graph.is_item(link.after):
            steps_zh.append(f"{waiting} 与并联审批组 {link.group} 一同开始")
            steps_en.append(f"{waiting} starts with its parallel group {link.group}")
        else:
            steps_zh.append(
                f"并联审批组 {link.group} 须等组内 {link.item} 的前置事项 {prerequisite}"
            )
            steps_en.append(
                f"parallel group {link.group} waits for {prerequisite}, "
                f"a prerequisite of its member {link.item}"
            )
    in_cycle = {link.after for link in cycle}
    others = [graph.label(n) for n in part if graph.is_item(n) and n not in in_cycle]
    more_zh = more_en = ""
    if others:
        listed = "、".join(others[:_MAX_LISTED]) + ("等" if len(others) > _MAX_LISTED else "")
        listed_en = ", ".join(others[:_MAX_LISTED]) + (" …" if len(others) > _MAX_LISTED else "")
        more_zh = f"；{listed} 也卷入同一循环"
        more_en = f"; {listed_en} are caught in the same loop"
    named = next(link for link in cycle if link.item is not None)
    entry = entries.get(named.item) if named.item is not None else None
    location: Location | None = None
    if entry is not None:
        location = entry.locate("depends_on", named.index if named.index is not None else 0)
    return Problem(
        "DEPENDENCY-CYCLE",
        f"前置事项形成循环：{'，'.join(steps_zh)}{more_zh}；这些事项永远无法开始",
        f"prerequisites form a cycle: {', '.join(steps_en)}{more_en}; none of them can ever start",
        location,
        named.item,
    )
