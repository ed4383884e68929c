"""Capacitated bipartite matching: every drawn case to one eligible inspector, no inspector
over capacity (容量约束下的二部图匹配).

:func:`assign` is Hopcroft–Karp generalized to capacities (a max flow on the network source →
case (1) → inspector (1 per eligible pair) → sink (capacity), run as layered augmenting
phases): a greedy pass in the given order, then phases of breadth-first layers from the
unassigned cases and depth-first augmenting paths along them, until every case is assigned
or no augmenting path is left.

When some case stays unassigned, the matching is maximum, and :class:`Matching` carries a
*Hall violator*: the cases reachable from an unassigned case by alternating paths, and the
inspectors eligible for any of them. Every such inspector is full, and every case it holds is
in the set, so the set has one case more than its inspectors' total capacity: no assignment
of all cases exists, whatever the order (Hall's condition for capacities).

Deterministic: the same adjacency (each case's eligible inspectors, in preference order) and
capacities give the same assignment.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

_DEAD = -2


@attrs.frozen(slots=True)
class Matching:
    """``owner[i]`` is case ``i``'s inspector (``-1``: none). When not ``complete``,
    ``violator_cases`` and ``violator_inspectors`` are a Hall violator: more cases than the
    total capacity of the only inspectors eligible for them."""

    owner: tuple[int, ...]
    complete: bool
    violator_cases: tuple[int, ...] = ()
    violator_inspectors: tuple[int, ...] = ()


def assign(adjacency: Sequence[Sequence[int]], capacity: Sequence[int]) -> Matching:
    """A complete assignment of cases to inspectors when one exists, else a maximum one with a
    Hall violator. ``adjacency[i]`` lists case ``i``'s eligible inspectors (indices into
    ``capacity``) in the order to try them."""
    k = len(adjacency)
    owner = [-1] * k
    load = [0] * len(capacity)
    holders: list[dict[int, None]] = [{} for _ in capacity]  # ordered sets
    for i, adj in enumerate(adjacency):
        for j in adj:
            if load[j] < capacity[j]:
                owner[i] = j
                load[j] += 1
                holders[j][i] = None
                break
    state = _State(adjacency, capacity, owner, load, holders)
    while True:
        free = [i for i in range(k) if owner[i] < 0]
        if not free or not state.layers(free):
            break
        ptr = [0] * k
        progressed = False
        for root in free:
            progressed |= state.augment(root, ptr)
        if not progressed:  # cannot happen after layers() found a path; never loop forever
            break
    free = [i for i in range(k) if owner[i] < 0]
    if not free:
        return Matching(tuple(owner), True)
    cases, inspectors = state.reachable(free[0])
    return Matching(tuple(owner), False, tuple(sorted(cases)), tuple(sorted(inspectors)))


class _State:
    __slots__ = ("adjacency", "capacity", "dist", "holders", "ilayer", "load", "owner")

    def __init__(
        self,
        adjacency: Sequence[Sequence[int]],
        capacity: Sequence[int],
        owner: list[int],
        load: list[int],
        holders: list[dict[int, None]],
    ):
        self.adjacency = adjacency
        self.capacity = capacity
        self.owner = owner
        self.load = load
        self.holders = holders
        self.dist: list[int] = []
        self.ilayer: list[int] = []

    def layers(self, free: list[int]) -> bool:
        """Breadth-first layers from the unassigned cases; whether an inspector with room is
        reachable (an augmenting path exists)."""
        adjacency, capacity, load, holders = self.adjacency, self.capacity, self.load, self.holders
        dist = [-1] * len(adjacency)
        ilayer = [-1] * len(capacity)
        for i in free:
            dist[i] = 0
        queue = list(free)
        limit = -1
        head = 0
        while head < len(queue):
            i = queue[head]
            head += 1
            d = dist[i]
            if limit >= 0 and d > limit:
                break
            for j in adjacency[i]:
                if ilayer[j] >= 0:
                    continue
                ilayer[j] = d
                if load[j] < capacity[j]:
                    limit = d
                elif limit < 0:
                    for i2 in holders[j]:
                        if dist[i2] < 0:
                            dist[i2] = d + 1
                            queue.append(i2)
        self.dist, self.ilayer = dist, ilayer
        return limit >= 0

    def augment(self, root: int, ptr: list[int]) -> bool:
        """One augmenting path from ``root`` along the layers (iterative depth-first search),
        applied; ``False`` when there is none (dead ends are marked, so a phase is linear)."""
        adjacency, capacity, load, holders = self.adjacency, self.capacity, self.load, self.holders
        dist, ilayer, owner = self.dist, self.ilayer, self.owner
        stack = [root]
        via: list[int] = []  # via[s]: the inspector between stack[s] and stack[s + 1]
        while stack:
            i = stack[-1]
            d = dist[i]
            adj = adjacency[i]
            p = ptr[i]
            pushed = False
            while p < len(adj):
                j = adj[p]
                if ilayer[j] != d:
                    p += 1
                    continue
                if load[j] < capacity[j]:
                    ptr[i] = p
                    via.append(j)
                    load[j] += 1
                    for s in range(len(stack) - 1, -1, -1):
                        case, inspector = stack[s], via[s]
                        if s + 1 < len(stack):
                            del holders[inspector][stack[s + 1]]
                        holders[inspector][case] = None
                        owner[case] = inspector
                    return True
                nxt = next((i2 for i2 in holders[j] if dist[i2] == d + 1), -1)
                if nxt < 0:
                    ilayer[j] = _DEAD
                    p += 1
                    continue
                ptr[i] = p
                via.append(j)
                stack.append(nxt)
                pushed = True
                break
            if not pushed:
                ptr[i] = p
                dist[i] = _DEAD
                stack.pop()
                if via:
                    via.pop()
        return False

    def reachable(self, root: int) -> tuple[set[int], set[int]]:
        """Cases and inspectors reachable from ``root`` by alternating paths."""
        cases, inspectors = {root}, set()
        queue = [root]
        for i in queue:
            for j in self.adjacency[i]:
                if j in inspectors:
                    continue
                inspectors.add(j)
                for i2 in self.holders[j]:
                    if i2 not in cases:
                        cases.add(i2)
                        queue.append(i2)
        return cases, inspectors
