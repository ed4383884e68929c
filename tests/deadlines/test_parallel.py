"""Parallel approval: serial and critical-path totals of a project, slack, parallel groups as
stages, dependency cycles, and the Fuyang construction chain."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import fyrules
from fyrules.deadlines import WorkingCalendar
from fyrules.deadlines.dependencies import check_dependencies
from fyrules.deadlines.parallel import ProjectPathError, project_path
from fyrules.items import Catalog, ItemSpec
from tests.conftest import FUYANG, fuyang_rulebook
from tests.helpers import codes, write_rulebook

ROOT = Path(__file__).resolve().parents[2]
CHAIN = FUYANG / "items" / "construction-chain.yaml"
DOC = ROOT / "docs" / "parallel-approval.md"


def item(code: str, days: int | None = None, *deps: str, group: str | None = None, **more):
    return ItemSpec.model_validate(
        {
            "code": code,
            "name": f"事项{code}",
            "department": "D",
            "type": "commitment",
            "committed_days": days,
            "depends_on": list(deps),
            "parallel_group": group,
            **more,
        }
    )


def catalog(*items: ItemSpec) -> Catalog:
    return Catalog({i.code: i for i in items}, {}, {}, {}, {}, {})


def starts(path) -> dict[str, tuple[int, int, int]]:
    """code → (earliest start, earliest finish, slack)."""
    return {i.code: (i.earliest_start, i.earliest_finish, i.slack) for i in path.items}


# --- hand-worked projects -----------------------------------------------------------------


def test_a_chain_is_as_long_in_parallel_as_in_series():
    path = project_path(catalog(item("A", 5), item("B", 3, "A"), item("C", 2, "B")), "C")
    assert (path.serial_total, path.critical_total, path.saving_days) == (10, 10, 0)
    assert path.critical_path == ("A", "B", "C")
    assert starts(path) == {"A": (0, 5, 0), "B": (5, 8, 0), "C": (8, 10, 0)}
    assert path.saving_rate == 0.0


def test_a_diamond_runs_its_two_branches_side_by_side():
    # A 2 → {B 5, C 3} → D 4: serial 14, critical A + B + D = 11, C may slip 2 days.
    cat = catalog(item("A", 2), item("B", 5, "A"), item("C", 3, "A"), item("D", 4, "B", "C"))
    path = project_path(cat, "D")
    assert (path.serial_total, path.critical_total, path.saving_days) == (14, 11, 3)
    assert path.critical_path == ("A", "B", "D")
    assert starts(path) == {"A": (0, 2, 0), "B": (2, 7, 0), "C": (2, 5, 2), "D": (7, 11, 0)}
    c = path.item("C")
    assert (c.latest_start, c.latest_finish, c.critical) == (4, 7, False)
    assert path.item("D").starts_after == ("B",)
    assert path.saving_percent == pytest.approx(100 * 3 / 14)


def test_independent_branches_take_as_long_as_the_longer_one():
    path = project_path(catalog(item("A", 7), item("B", 4), item("T", 1, "A", "B")), "T")
    assert (path.serial_total, path.critical_total) == (12, 8)
    assert path.critical_path == ("A", "T")
    assert path.item("B").slack == 3


def test_items_outside_the_project_are_left_out():
    cat = catalog(item("A", 7), item("B", 4), item("OTHER", 30, "A"), item("T", 1, "A", "B"))
    assert [i.code for i in project_path(cat, "T").items] == ["A", "B", "T"]
    assert [i.code for i in project_path(cat, "A").items] == ["A"]


def test_a_parallel_group_starts_together_after_every_members_outside_prerequisites():
    # X needs nothing, but its stage-mate Y needs A: the stage starts on day 5, both with it.
    cat = catalog(
        item("A", 5),
        item("X", 10, group="S"),
        item("Y", 20, "A", group="S"),
        item("T", 3, "X", "Y"),
    )
    path = project_path(cat, "T")
    assert (path.serial_total, path.critical_total) == (38, 28)
    assert starts(path) == {"A": (0, 5, 0), "X": (5, 15, 10), "Y": (5, 25, 0), "T": (25, 28, 0)}
    assert path.item("X").starts_after == ("A",)  # through its group
    assert path.critical_path == ("A", "Y", "T")
    (stage,) = path.stages
    assert (stage.group, stage.items, stage.start, stage.finish) == ("S", ("X", "Y"), 5, 25)


def test_a_dependency_inside_a_parallel_group_still_counts():
    cat = catalog(item("A", 4, group="S"), item("B", 6, "A", group="S"), item("T", 1, "B"))
    path = project_path(cat, "T")
    assert starts(path) == {"A": (0, 4, 0), "B": (4, 10, 0), "T": (10, 11, 0)}


def test_only_the_projects_members_of_a_group_take_part():
    # OTHER is in the stage too but not a prerequisite of T: its prerequisite does not count.
    cat = catalog(
        item("SLOW", 40),
        item("OTHER", 1, "SLOW", group="S"),
        item("X", 2, group="S"),
        item("T", 1, "X"),
    )
    path = project_path(cat, "T")
    assert path.critical_total == 3 and [s.items for s in path.stages] == [("X",)]


def test_statutory_days_can_be_chosen():
    cat = catalog(item("A", 5, statutory_days=20), item("B", 3, "A", statutory_days=7))
    path = project_path(cat, "B", days="statutory")
    assert (path.days, path.serial_total, path.critical_total) == ("statutory", 27, 27)


def test_zero_day_items_are_allowed():
    path = project_path(catalog(item("A", 0), item("B", 0, "A"), item("T", 2, "B")), "T")
    assert path.critical_total == 2 and path.critical_path == ("A", "B", "T")


def test_to_dict_holds_the_totals_the_path_and_every_item():
    cat = catalog(item("A", 2), item("B", 5, "A"), item("C", 3, "A"), item("D", 4, "B", "C"))
    data = project_path(cat, "D").to_dict()
    assert data["serial_total"] == 14 and data["critical_total"] == 11
    assert data["saving_days"] == 3 and data["saving_percent"] == 21.43
    assert data["critical_path"] == ["A", "B", "D"]
    assert data["items"][2] == {
        "code": "C",
        "name": {"zh": "事项C", "en": None},
        "days": 3,
        "depends_on": ["A"],
        "parallel_group": None,
        "earliest_start": 2,
        "earliest_finish": 5,
        "latest_start": 4,
        "latest_finish": 7,
        "slack": 2,
        "critical": False,
        "starts_after": ["A"],
    }


def test_summary_shows_the_arithmetic():
    cat = catalog(item("A", 2), item("B", 5, "A"), item("C", 3, "A"), item("D", 4, "B", "C"))
    text = project_path(cat, "D").summary("en")
    assert "14 working days one after another, 11 on the critical path" in text
    assert "(A 2 → B 5 → D 4)" in text and "3 days saved (21.4%)" in text
    assert "串联合计 14 个工作日" in project_path(cat, "D").summary("zh")


# --- errors -------------------------------------------------------------------------------


def test_an_item_without_a_limit_is_a_problem_not_a_crash():
    cat = catalog(item("A"), item("B", None, "A", committed_hours=2.0), item("T", 1, "A", "B"))
    with pytest.raises(ProjectPathError) as caught:
        project_path(cat, "T")
    problems = caught.value.problems
    assert codes(problems) == ["PROJECT-LIMIT-MISSING", "PROJECT-LIMIT-MISSING"]
    assert {p.rule for p in problems} == {"A", "B"}
    assert "committed_days" in problems[1].message_en + problems[0].message_en


def test_an_unknown_target_is_named_with_a_suggestion():
    with pytest.raises(ProjectPathError) as caught:
        project_path(catalog(item("FY-ZJ-001", 4)), "FY-ZJ-01")
    (problem,) = caught.value.problems
    assert problem.code == "UNKNOWN-REFERENCE" and "FY-ZJ-001" in problem.message_en


def test_an_unknown_prerequisite_is_named():
    with pytest.raises(ProjectPathError) as caught:
        project_path(catalog(item("A", 1, "NOPE")), "A")
    assert codes(caught.value.problems) == ["UNKNOWN-REFERENCE"]


def test_an_unknown_kind_of_days_is_refused():
    with pytest.raises(ProjectPathError) as caught:
        project_path(catalog(item("A", 1)), "A", days="hours")  # type: ignore[arg-type]
    assert codes(caught.value.problems) == ["INVALID-VALUE"]


def test_a_cycle_is_named_in_the_order_it_runs():
    cat = catalog(item("A", 1, "C"), item("B", 1, "A"), item("C", 1, "B"), item("T", 1, "C"))
    with pytest.raises(ProjectPathError) as caught:
        project_path(cat, "T")
    (problem,) = caught.value.problems
    assert problem.code == "DEPENDENCY-CYCLE" and problem.rule == "A"
    assert "A depends on C, C depends on B, B depends on A" in problem.message_en
    assert "A 依赖 C，C 依赖 B，B 依赖 A" in problem.message_zh


def test_an_item_that_depends_on_itself_is_a_cycle():
    (problem,) = check_dependencies(catalog(item("A", 1, "A")))
    assert problem.code == "DEPENDENCY-CYCLE" and "A depends on A" in problem.message_en


def test_a_parallel_group_whose_member_waits_for_another_member_is_a_cycle():
    # X and Y are to start together, but Y needs P, and P needs X to be done.
    cat = catalog(item("X", 1, group="S"), item("P", 1, "X"), item("Y", 1, "P", group="S"))
    (problem,) = check_dependencies(cat)
    assert problem.code == "DEPENDENCY-CYCLE" and problem.rule == "Y"
    assert "parallel group S waits for P, a prerequisite of its member Y" in problem.message_en
    with pytest.raises(ProjectPathError):
        project_path(cat, "Y")


def test_a_cycle_through_many_items_lists_the_others_caught_in_it():
    # A ⇄ B, and C ⇄ B: one loop, shortest cycle A → B → A, C named as caught in it.
    cat = catalog(item("A", 1, "B"), item("B", 1, "A", "C"), item("C", 1, "B"))
    (problem,) = check_dependencies(cat)
    assert "A depends on B, B depends on A; C are caught in the same loop" in problem.message_en


def test_long_chains_and_long_cycles_need_no_recursion():
    n = 5000
    chain = [item("I0", 1), *(item(f"I{i}", 1, f"I{i - 1}") for i in range(1, n))]
    path = project_path(catalog(*chain), f"I{n - 1}")
    assert path.critical_total == n and len(path.critical_path) == n
    looped = [item("I0", 1, f"I{n - 1}"), *chain[1:]]
    (problem,) = check_dependencies(catalog(*looped))
    assert problem.code == "DEPENDENCY-CYCLE" and problem.message_en.count("depends on") == n


def test_a_catalog_without_cycles_has_no_problems():
    assert check_dependencies(catalog(item("A", 1), item("B", 1, "A", "MISSING"))) == []
    assert check_dependencies(None) == []


# --- fyrules check ------------------------------------------------------------------------

CYCLE_FILES = {
    "items/chain.yaml": """\
        item_types: [{id: commitment, kind: commitment, name: 承诺件}]
        departments: [{id: D, name: 部门}]
        items:
          - {code: A, name: 甲, department: D, type: commitment, committed_days: 1}
          - code: B
            name: 乙
            department: D
            type: commitment
            committed_days: 1
            depends_on: [A, C]
          - {code: C, name: 丙, department: D, type: commitment, committed_days: 1, depends_on: [B]}
        """
}


def test_check_reports_a_cycle_at_the_depends_on_that_closes_it(tmp_path):
    result = fyrules.check(write_rulebook(tmp_path, CYCLE_FILES))
    cycles = [p for p in result.problems if p.code == "DEPENDENCY-CYCLE"]
    assert len(cycles) == 1 and not result.ok
    (problem,) = cycles
    assert problem.path.endswith("items/chain.yaml")
    assert (problem.line, problem.rule) == (10, "B")
    assert problem.column == 21  # the C in [A, C]
    assert "B depends on C, C depends on B" in problem.message_en


def test_a_missing_prerequisite_stays_the_catalog_rules_business(tmp_path):
    files = {
        "items.yaml": """\
            departments: [{id: D, name: 部门}]
            items:
              - {code: A, name: 甲, department: D, type: commitment, depends_on: [NOPE]}
            """
    }
    result = fyrules.check(write_rulebook(tmp_path, files, extends="national"))
    found = codes(result.problems)
    assert "NAT-PREREQUISITE-EXISTS" in found and "DEPENDENCY-CYCLE" not in found


def test_project_path_errors_point_into_the_rule_files(tmp_path):
    rb = fyrules.load(write_rulebook(tmp_path, CYCLE_FILES))
    with pytest.raises(ProjectPathError) as caught:
        project_path(rb.items, "C")
    (problem,) = caught.value.problems
    assert problem.path.endswith("items/chain.yaml") and problem.line == 10


# --- on the calendar ----------------------------------------------------------------------


def test_plan_puts_each_day_on_the_working_calendar():
    cal = WorkingCalendar(2026)
    cat = catalog(item("A", 2), item("B", 5, "A"), item("C", 3, "A"), item("D", 4, "B", "C"))
    # Friday 26 September 2025; 1–8 October are the National Day holidays, 28 Sep and
    # 11 Oct are make-up workdays.
    plan = project_path(cat, "D").plan(cal, dt.date(2025, 9, 26))
    by_code = {s.code: s for s in plan.items}
    assert by_code["A"].start == dt.date(2025, 9, 26)
    assert by_code["A"].due == cal.add_working_days(dt.date(2025, 9, 26), 2) == dt.date(2025, 9, 29)
    assert by_code["C"].latest_due == cal.add_working_days(dt.date(2025, 9, 26), 7)
    assert plan.finish == cal.add_working_days(dt.date(2025, 9, 26), 11)
    assert plan.serial_finish == cal.add_working_days(dt.date(2025, 9, 26), 14)
    assert plan.to_dict()["finish"] == plan.finish.isoformat() and not plan.provisional
    moment = dt.datetime(2025, 9, 26, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert project_path(cat, "D").plan(cal, moment) == plan


# --- properties ---------------------------------------------------------------------------


@st.composite
def projects(draw, *, acyclic: bool = True):
    """A small catalog: items I0 … In-1 with limits, prerequisites (only earlier items when
    ``acyclic``), parallel groups, and a target."""
    n = draw(st.integers(1, 7))
    specs = []
    for i in range(n):
        pool = list(range(i)) if acyclic else list(range(n))
        deps = draw(st.lists(st.sampled_from(pool), max_size=3, unique=True)) if pool else []
        specs.append(
            item(
                f"I{i}",
                draw(st.integers(0, 20)),
                *(f"I{d}" for d in deps),
                group=draw(st.sampled_from([None, None, "P", "Q"])),
            )
        )
    return catalog(*specs), f"I{draw(st.integers(0, n - 1))}"


def waits_for(cat: Catalog, members: set[str]) -> dict[str, set[str]]:
    """The oracle's model: what each item of ``members`` waits for, by definition."""
    out = {}
    for code in members:
        spec = cat.items[code]
        wanted = set(spec.depends_on)
        if spec.parallel_group is not None:
            mates = {c for c in members if cat.items[c].parallel_group == spec.parallel_group}
            for mate in mates:
                wanted |= set(cat.items[mate].depends_on) - mates
        out[code] = wanted & members
    return out


def ancestors(cat: Catalog, target: str) -> set[str]:
    seen, todo = {target}, [target]
    while todo:
        for dep in cat.items[todo.pop()].depends_on:
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return seen


def all_paths(before: dict[str, set[str]]) -> list[list[str]]:
    """Every chain of items, each waiting for the one before it (brute force)."""
    paths = []

    def extend(path: list[str]) -> None:
        paths.append(path)
        for nxt in (c for c, wanted in before.items() if path[-1] in wanted):
            extend([*path, nxt])

    for code in before:
        extend([code])
    return paths


def has_cycle(before: dict[str, set[str]]) -> bool:
    state: dict[str, int] = {}

    def visit(code: str) -> bool:
        state[code] = 1
        for dep in before[code]:
            if state.get(dep) == 1 or (dep not in state and visit(dep)):
                return True
        state[code] = 2
        return False

    return any(code not in state and visit(code) for code in before)


@given(projects())
def test_the_critical_path_is_the_longest_chain_and_no_longer_than_the_serial_total(project):
    """The critical-path total equals the longest chain found by trying every chain, is at
    most the serial total, and the reported critical path is such a chain ending at the
    target."""
    cat, target = project
    members = ancestors(cat, target)
    before = waits_for(cat, members)
    if has_cycle(before):  # a parallel group contradicting the dependencies
        with pytest.raises(ProjectPathError):
            project_path(cat, target)
        return
    path = project_path(cat, target)
    days = {c: cat.items[c].committed_days for c in members}
    longest = max(sum(days[c] for c in chain) for chain in all_paths(before))
    assert path.critical_total == longest <= path.serial_total == sum(days.values())
    chain = path.critical_path
    assert chain[-1] == target and sum(days[c] for c in chain) == longest
    assert all(chain[k] in before[chain[k + 1]] for k in range(len(chain) - 1))


@given(projects())
def test_every_item_starts_when_what_it_waits_for_is_done(project):
    """Each item's earliest start is the latest finish of what it waits for (its
    prerequisites, and its group-mates' outside prerequisites), or day 0; items come in an
    order where each follows what it waits for."""
    cat, target = project
    before = waits_for(cat, ancestors(cat, target))
    if has_cycle(before):
        return
    path = project_path(cat, target)
    got = {i.code: i for i in path.items}
    for code, spec in got.items():
        assert spec.earliest_start == max((got[d].earliest_finish for d in before[code]), default=0)
        assert spec.earliest_finish == spec.earliest_start + spec.days
        for dep in spec.depends_on:
            assert spec.earliest_start >= got[dep].earliest_finish
    seen: set[str] = set()
    for spec in path.items:
        assert before[spec.code] <= seen
        seen.add(spec.code)


@given(projects())
def test_slack_is_never_negative_and_zero_exactly_on_a_critical_chain(project):
    """Slack ≥ 0; an item has none exactly when some longest chain passes through it."""
    cat, target = project
    members = ancestors(cat, target)
    before = waits_for(cat, members)
    if has_cycle(before):
        return
    path = project_path(cat, target)
    days = {c: cat.items[c].committed_days for c in members}
    chains = all_paths(before)
    longest = path.critical_total
    on_critical = {c for chain in chains if sum(days[x] for x in chain) == longest for c in chain}
    for spec in path.items:
        assert spec.slack >= 0 and spec.latest_finish <= longest
        assert (spec.slack == 0) == (spec.code in on_critical), spec.code


@given(projects(acyclic=False))
def test_cycles_are_reported_exactly_when_there_are_some(project):
    """Over any prerequisites and groups, the check reports a cycle exactly when the
    catalog's items (every group member counting) wait for themselves, and a project
    path fails with DEPENDENCY-CYCLE exactly when its own items do; never a RecursionError."""
    cat, target = project
    whole = has_cycle(waits_for(cat, set(cat.items)))
    problems = check_dependencies(cat)
    assert bool(problems) == whole
    assert all(p.code == "DEPENDENCY-CYCLE" and p.rule in cat.items for p in problems)
    mine = has_cycle(waits_for(cat, ancestors(cat, target)))
    try:
        project_path(cat, target)
        assert not mine
    except ProjectPathError as exc:
        assert mine and set(codes(exc.problems)) == {"DEPENDENCY-CYCLE"}


# --- the documentation's example and the Fuyang rulebook ----------------------------------


def test_the_documented_example_adds_up_as_the_docs_say(tmp_path):
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(.*?)```", text, flags=re.S).group(1)
    rb = fyrules.load(write_rulebook(tmp_path, {"items.yaml": block}, extends="national"))
    assert fyrules.check(tmp_path).ok
    path = project_path(rb.items, "EX-ZJ-01")
    assert (path.serial_total, path.critical_total, path.saving_days) == (90, 50, 40)
    assert path.critical_path == ("EX-FG-01", "EX-ZR-01", "EX-ZR-02", "EX-ZJ-01")
    assert [(s.group, s.start, s.finish) for s in path.stages] == [
        ("立项用地规划许可", 0, 25),
        ("工程建设许可", 25, 40),
        ("施工许可", 40, 50),
    ]
    assert path.item("EX-XF-01").slack == 5
    assert "= 90 个工作日" in text and "= 50 个工作日" in text and "90 − 50 = 40" in text
    assert f"40 ÷ 90 = {path.saving_percent:.1f}%" in text
    rows = re.findall(r"^\| [^|]+ \| (EX-[A-Z]+-\d+) \| (.+) \|$", text, flags=re.M)
    table = {code: [int(v) for v in rest.split(" | ")] for code, rest in rows}
    assert table == {
        i.code: [i.days, i.earliest_start, i.earliest_finish, i.slack] for i in path.items
    }


def construction_permit_target(rb) -> str:
    """The item the Fuyang construction chain leads to: a construction permit (施工许可)
    whose project takes in the items of construction-chain.yaml, the largest such."""
    data = yaml.safe_load(CHAIN.read_text(encoding="utf-8")) or {}
    chain = {entry["code"] for entry in data.get("items", [])}
    candidates = [
        code
        for code, spec in rb.items.items.items()
        if "施工许可" in spec.name.zh and ancestors(rb.items, code) & chain
    ]
    assert candidates, "no construction permit (施工许可) item needs the chain's items"
    return max(candidates, key=lambda code: len(ancestors(rb.items, code)))


def test_the_fuyang_projects_add_up_from_what_the_example_declares():
    """Whatever chain the example declares: the totals follow from its items' limits."""
    rb = fuyang_rulebook()
    assert check_dependencies(rb.items) == []
    for code in rb.items:
        members = ancestors(rb.items, code)
        if any(rb.items[c].committed_days is None for c in members):
            continue
        path = project_path(rb.items, code)
        assert path.serial_total == sum(rb.items[c].committed_days for c in members)
        assert path.critical_total <= path.serial_total
        assert rb.project_path(code).to_dict() == path.to_dict()


def test_the_fuyang_construction_chain_takes_50_days_instead_of_90():
    """Seed §1: from project establishment to the construction permit, 90 → 50 working days."""
    if not CHAIN.exists():
        pytest.skip("examples/fuyang/items/construction-chain.yaml is not written yet")
    rb = fuyang_rulebook()
    path = rb.project_path(construction_permit_target(rb))
    assert (path.serial_total, path.critical_total) == (90, 50), path.summary("en")
