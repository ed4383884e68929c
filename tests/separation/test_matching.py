"""Capacitated bipartite matching: complete whenever any complete assignment exists."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from fyrules.separation.inspection.matching import assign


def _brute_force(adjacency, capacity) -> bool:
    """Whether some assignment gives every case an eligible inspector within capacity."""
    for choice in itertools.product(*adjacency):
        load = [0] * len(capacity)
        for j in choice:
            load[j] += 1
        if all(load[j] <= capacity[j] for j in range(len(capacity))):
            return True
    return False


@st.composite
def problems(draw):
    m = draw(st.integers(1, 4))
    k = draw(st.integers(0, 7))
    capacity = draw(st.lists(st.integers(0, 3), min_size=m, max_size=m))
    adjacency = [draw(st.lists(st.integers(0, m - 1), unique=True, max_size=m)) for _ in range(k)]
    return adjacency, capacity


@given(problems())
def test_assignment_is_complete_exactly_when_brute_force_finds_one(problem):
    """A complete assignment is found iff brute force finds one; when found, every case has
    an eligible inspector and no inspector is over capacity; when not, the Hall violator has
    more cases than the total capacity of every inspector eligible for any of them."""
    adjacency, capacity = problem
    result = assign(adjacency, capacity)
    assert result.complete == _brute_force(adjacency, capacity)
    load = [0] * len(capacity)
    for i, j in enumerate(result.owner):
        if j >= 0:
            assert j in adjacency[i]
            load[j] += 1
    assert all(load[j] <= capacity[j] for j in range(len(capacity)))
    if result.complete:
        assert all(j >= 0 for j in result.owner)
    else:
        cases = set(result.violator_cases)
        neighbours = {j for i in cases for j in adjacency[i]}
        assert neighbours == set(result.violator_inspectors)
        assert len(cases) > sum(capacity[j] for j in neighbours)


def test_a_long_alternating_path_is_found():
    """Greedy fills inspector 0 with case 0; case 1 can only go to 0: case 0 must move."""
    result = assign([[0, 1], [0]], [1, 1])
    assert result.complete and result.owner == (1, 0)


def test_the_violator_names_the_cases_that_compete_for_too_little_capacity():
    result = assign([[0], [0], [0, 1], [2]], [1, 1, 1])
    assert not result.complete
    assert set(result.violator_cases) == {0, 1}
    assert set(result.violator_inspectors) == {0}
