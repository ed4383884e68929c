"""Projects and the green channel (issue 22.4): the cases of one investment project, linked by
``data.project``, run on one clock along the project's critical path; a stage that runs past
the day it may finish without delaying the project is a finding at the track's severity; the
green channel runs on the committed limits (the seed's 50 working days) at a higher priority."""

from __future__ import annotations

import datetime as dt
import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fyrules
from fyrules.cases.state import Accepted
from fyrules.cli import main
from fyrules.deadlines.project_clock import ProjectClockError, project_clocks
from fyrules.simulation.projects import project_events

FUYANG = Path(__file__).resolve().parents[2] / "examples" / "fuyang"
CST = dt.timezone(dt.timedelta(hours=8))
START = dt.date(2025, 10, 9)
LATER = dt.datetime(2026, 6, 30, 18, 0, tzinfo=CST)


@pytest.fixture(scope="module")
def fuyang():
    return fyrules.load(FUYANG)


def _accepted(rb, events):
    monitor = rb.monitor(trail=False)
    out = [e for e in events if isinstance(monitor.feed(e), Accepted)]
    assert len(out) == len(events)  # the generated project keeps to the roster and processes
    return out


def _clock(rb, *, late=None, green=True, until=None, as_of=LATER, project="P-1"):
    events = list(
        project_events(
            rb,
            project=project,
            target="FY-ZJ-001",
            start=START,
            late=late,
            green_channel=green,
            until=until,
        )
    )
    [clock] = project_clocks(rb, _accepted(rb, events), as_of)
    return clock


def test_a_green_channel_project_on_time_takes_the_seeds_50_working_days(fuyang):
    clock = _clock(fuyang)
    assert clock.green_channel and clock.track.id == "FY-PROJECT-GREEN-CHANNEL"
    assert clock.target == "FY-ZJ-001"
    assert (clock.path.serial_total, clock.path.critical_total) == (90, 50)
    assert clock.due == fuyang.calendar.add_working_days(START, 50)
    assert clock.projected_finish == clock.due and not clock.late
    assert clock.findings == ()
    assert all(s.state == "done" and s.late_days == 0 for s in clock.stages)


def test_a_late_stage_on_the_critical_path_delays_the_project_and_is_an_error(fuyang):
    clock = _clock(fuyang, late={"FY-ZR-004": 3})
    [finding] = clock.findings
    assert finding["code"] == "PROJECT-STAGE-LATE" and finding["item"] == "FY-ZR-004"
    assert finding["severity"] == "error" and finding["critical"] is True
    assert finding["rule"] == "FY-PROJECT-GREEN-CHANNEL" and "绿色通道" in finding["basis"]
    assert finding["message"].startswith("项目 P-1 关键路径上的环节 FY-ZR-004")
    assert clock.projected_finish == fuyang.calendar.add_working_days(clock.due, 3)
    assert clock.late
    # the stages after it start late and keep to their limits: late, but not by their doing
    after = next(s for s in clock.stages if s.item == "FY-ZJ-001")
    assert (after.late_days, after.own_late_days) == (3, 0)


def test_a_stage_off_the_critical_path_may_use_its_slack(fuyang):
    """The EIA (FY-ST-001) has 5 working days of slack: 3 days late delays nothing."""
    assert _clock(fuyang, late={"FY-ST-001": 3}).findings == ()
    clock = _clock(fuyang, late={"FY-ST-001": 7})
    [finding] = clock.findings
    assert finding["item"] == "FY-ST-001" and finding["critical"] is False
    assert clock.projected_finish == fuyang.calendar.add_working_days(clock.due, 2)


def test_an_open_stage_past_its_latest_due_date_is_late_before_it_finishes(fuyang):
    until = dt.datetime(2025, 11, 20, 18, 0, tzinfo=CST)
    clock = _clock(fuyang, late={"FY-ZR-004": 30}, until=until, as_of=until)
    stage = next(s for s in clock.stages if s.item == "FY-ZR-004")
    assert stage.state == "open" and stage.completed_on is None
    assert stage.late_days == fuyang.calendar.count_working_days(
        stage.latest_due + dt.timedelta(days=1), until.date()
    )
    assert [f["item"] for f in clock.findings] == ["FY-ZR-004"]
    later = next(s for s in clock.stages if s.item == "FY-ZR-002")
    assert later.state == "not_started"  # waits for FY-ZR-004


def test_a_standard_project_runs_on_the_statutory_limits_and_warns(fuyang):
    # the earlier stages keep to their committed limits, 20 days ahead of the statutory plan
    assert _clock(fuyang, green=False, late={"FY-ZR-004": 30}).findings == ()
    clock = _clock(fuyang, green=False, late={"FY-ZR-004": 45})
    assert clock.track.id == "FY-PROJECT-STANDARD" and clock.track.days == "statutory"
    assert clock.path.critical_total == fuyang.project_path("FY-ZJ-001", "statutory").critical_total
    assert {f["severity"] for f in clock.findings} == {"warning"}


def test_green_channel_projects_come_first(fuyang):
    standard = list(
        project_events(fuyang, project="A-1", target="FY-ZJ-001", start=START, green_channel=False)
    )
    green = list(
        project_events(fuyang, project="Z-9", target="FY-ZJ-001", start=START, green_channel=True)
    )
    monitor = fuyang.monitor(trail=False)
    events = sorted([*standard, *green], key=lambda e: e.at)
    accepted = [e for e in events if isinstance(monitor.feed(e), Accepted)]
    assert [c.project for c in project_clocks(fuyang, accepted, LATER)] == ["Z-9", "A-1"]


def test_a_rulebook_without_a_projects_section_cannot_run_a_project_clock():
    national = fyrules.load(Path(fyrules.__file__).parent / "baseline" / "national")
    with pytest.raises(ProjectClockError) as err:
        project_clocks(national, [], LATER)
    assert "projects:" in str(err.value)


def test_the_link_fields_are_validated_at_the_border():
    from fyrules.cases.events import EventError, parse_event

    base = {"case": "C", "item": "FY-SC-001", "event": "submit", "at": "2025-10-09T09:00+08:00"}
    with pytest.raises(EventError, match=r"data\.project"):
        parse_event({**base, "data": {"project": ""}})
    with pytest.raises(EventError, match="green_channel"):
        parse_event({**base, "data": {"project": "P", "green_channel": "yes"}})


@settings(max_examples=15, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["FY-FG-001", "FY-ZR-001", "FY-ST-001", "FY-ZR-004", "FY-ZJ-004"]),
        st.integers(0, 8),
        max_size=3,
    )
)
def test_the_projected_finish_moves_by_the_latest_stage(fuyang, late):
    """Invariant: the project is projected to finish as many working days after its due date
    as its latest stage is past its own latest due date; only stages past that date are
    findings, and every stage on the critical path has no slack to lose."""
    clock = _clock(fuyang, late=late)
    delay = max((s.late_days for s in clock.stages), default=0)
    assert fuyang.calendar.count_working_days(clock.due, clock.projected_finish) - 1 == delay
    assert {f["item"] for f in clock.findings} == {s.item for s in clock.stages if s.own_late_days}
    assert {f["item"] for f in clock.findings} <= set(late)
    for stage in clock.stages:
        if stage.critical:
            assert stage.latest_due == stage.planned_due


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def _write(rb, path: Path, **kwargs) -> Path:
    events = project_events(rb, project="P-CLI", target="FY-ZJ-001", start=START, **kwargs)
    path.write_text("".join(e.model_dump_json() + "\n" for e in events), encoding="utf-8")
    return path


def test_the_cli_lists_a_projects_critical_path_clock(fuyang, tmp_path):
    events = _write(fuyang, tmp_path / "p.jsonl", green_channel=True)
    code, out, _ = run("project", str(FUYANG), str(events))
    assert code == 0
    assert "项目 / project P-CLI  [绿色通道 / green channel, FY-PROJECT-GREEN-CHANNEL" in out
    assert "串联合计 90 个工作日，关键路径 50 个工作日" in out
    starred = [x.split()[0] for x in out.splitlines() if x.rstrip().endswith("★")]
    assert starred[0] == "FY-FG-001" and starred[-1] == "FY-ZJ-001"


def test_the_cli_exits_1_for_a_late_green_channel_stage(fuyang, tmp_path):
    events = _write(fuyang, tmp_path / "p.jsonl", green_channel=True, late={"FY-ZJ-003": 2})
    code, out, _ = run("project", str(FUYANG), str(events), "--format", "json")
    assert code == 1
    [project] = json.loads(out)["projects"]
    assert [f["item"] for f in project["findings"]] == ["FY-ZJ-003"]
    assert project["late"] is True


def test_the_cli_names_an_unknown_project_and_exits_2(fuyang, tmp_path):
    events = _write(fuyang, tmp_path / "p.jsonl")
    code, out, err = run("project", str(FUYANG), str(events), "--project", "P-NONE")
    assert code == 2 and out == "" and "P-NONE" in err


def test_an_item_not_eligible_for_the_green_channel_is_named(fuyang):
    """FY-WJ-001 → FY-WJ-002 (medical institutions) is not a green-channel chain."""
    events = list(
        project_events(fuyang, project="P-WJ", target="FY-WJ-002", start=START, green_channel=True)
    )
    [clock] = project_clocks(fuyang, _accepted(fuyang, events), LATER)
    found = [(f["code"], f["item"], f["severity"]) for f in clock.findings]
    assert found == [
        ("PROJECT-GREEN-NOT-ELIGIBLE", "FY-WJ-001", "warning"),
        ("PROJECT-GREEN-NOT-ELIGIBLE", "FY-WJ-002", "warning"),
    ]


def test_a_green_channel_slower_than_a_standard_project_is_refused(tmp_path):
    import os

    root = tmp_path / "local"
    root.mkdir()
    (root / "rulebook.yaml").write_text(
        "rulebook: local\nname: 本地\njurisdiction: 本地\nversion: '1'\n"
        f"extends: {os.path.relpath(FUYANG, root)}\n",
        encoding="utf-8",
    )
    text = (FUYANG / "projects.yaml").read_text(encoding="utf-8")
    text = text.replace("    days: committed\n", "    days: statutory\n").replace(
        "    days: statutory\n    late_severity: warning\n    priority: 2",
        "    days: committed\n    late_severity: warning\n    priority: 2",
    )
    text = text.replace("priority: 1", "priority: 3")
    (root / "projects.yaml").write_text(text, encoding="utf-8")
    problems = fyrules.check(root, today=dt.date(2025, 10, 15)).problems
    slower = [p for p in problems if p.code == "PROJECT-GREEN-SLOWER"]
    assert len(slower) == 2 and all(p.path.endswith("projects.yaml") for p in slower)
    assert {p.line for p in slower} == {
        n
        for n, line in enumerate(text.splitlines(), start=1)
        if line in ("    priority: 3", "    days: statutory")
    }
