"""A realistic, reproducible month of case events, for demos, tests and benchmarks.

``generate(rulebook, month="2025-10", cases=2000, seed=7)`` yields events (sorted by time)
for cases accepted in that month on its working days and in office hours, following each
case kind's usual path — submission, corrections, acceptance or refusal, undertaking, review,
approval or denial, completion, delivery — with the things supervision exists to catch:
pauses for special procedures (some too long), extensions (a few without enough approval or
beyond the law), late stages and overdue cases, withdrawals, complaints and ratings, and a
few cases where one person both reviews and approves; complaints answered and ruled,
accountability records after red cards, and approvals told to the supervising department
(a few late or never). The same rulebook, month, count and
seed always give the same events, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator, Sequence
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from ..cases.events import Event, EventKind
from ..engine.months import Month
from .outcomes_inform import inform_events
from .outcomes_workflows import workflow_events

# Shares of the situations a month holds (of all cases).
REFUSED = 0.02
WITHDRAWN = 0.015
CORRECTED = 0.08
PAUSED = 0.07
EXTENDED = 0.03
LATE = 0.05
SAME_REVIEWER = 0.006
COMPLAINT = 0.01
RATED = 0.6
UNFINISHED = 0.03
# Facts monthly scoring reads (docs/scoring.md), drawn from a stream of their own so the
# events above stay as they were: the channel of each application, discipline breaches.
ONLINE = 0.45
BREACH = 0.004
# Delivery faults, only with ``faults=True``: case systems deliver at least once (the same event
# again) and the odd front end sends an event its process does not allow.
REDELIVERED = 0.004  # of events
IMPOSSIBLE = 0.003  # of cases


@attrs.frozen(slots=True)
class _Staff:
    acceptors: tuple[str, ...]
    reviewers: tuple[str, ...]
    approvers: tuple[str, ...]
    # who may inspect the item's cases (supervisor or inspector roles), for discipline checks
    inspectors: tuple[str, ...] = ()
    # the rulebook refuses a reviewer's approval (一审一核, or the reviewer holds no role that
    # may decide): a case where the reviewer tries to approve then gets an approver's decision
    refuses_self_approval: bool = False
    # who may decide the item at its authorization level, and who may approve an extension
    # (the roster's, by the process's ``actors``; empty: the approvers, made-up heads)
    deciders: tuple[str, ...] = ()
    heads: tuple[str, ...] = ()
    # complaint handling and accountability (outcomes_workflows.py): who rules a complaint
    # substantiated, who asks for an explanation, who decides
    supervisors: tuple[str, ...] = ()
    record_keepers: tuple[str, ...] = ()
    leaders: tuple[str, ...] = ()

    def decider(self, approver: str) -> str:
        """The person who decides in ``approver``'s place when the item's authorization level
        is beyond them (chosen without drawing: the random stream stays as it was)."""
        if not self.deciders or approver in self.deciders:
            return approver
        index = self.approvers.index(approver) if approver in self.approvers else 0
        return self.deciders[index % len(self.deciders)]

    def head(self, dept: str, actor: str) -> str:
        """Who approves an extension asked for by ``actor``: a head other than them."""
        return next((h for h in self.heads if h != actor), f"head-{dept}")


def _staff(dept: str, rulebook: Any = None, item: Any = None, month: Any = None) -> _Staff:
    """Who accepts, reviews and approves ``item``'s cases: the persons of the rulebook's
    roster holding those roles for the item during ``month`` (first, last day), else
    made-up ids of the department."""
    made_up = _Staff(
        tuple(f"u-{dept}-a{i}" for i in range(1, 4)),
        tuple(f"u-{dept}-r{i}" for i in range(1, 4)),
        tuple(f"u-{dept}-p{i}" for i in range(1, 3)),
    )
    separation = rulebook.part("separation") if rulebook is not None else None
    if separation is None or item is None:
        return made_up
    from ..separation.history import conflicts
    from ..separation.scopes import Scope, periods_overlap

    target, (first, last) = Scope.of_item(item.code), month
    held: dict[str, set[str]] = {
        "acceptor": set(),
        "reviewer": set(),
        "approver": set(),
        "supervisor": set(),
        "inspector": set(),
        "leader": set(),
    }
    for a in separation.assignments:
        if (
            a.role in held
            and separation.policy.directory.contains(a.scope, target)
            and periods_overlap(a.valid_from, a.valid_to, first, last)
        ):
            held[a.role].add(a.person)
    staff = _Staff(
        tuple(sorted(held["acceptor"])) or made_up.acceptors,
        tuple(sorted(held["reviewer"])) or made_up.reviewers,
        tuple(sorted(held["approver"])) or made_up.approvers,
        tuple(sorted(held["supervisor"] | held["inspector"])),
    )
    deciders, heads = _authorized(rulebook, item, first)
    reviewer = staff.reviewers[0]
    case = {"case": "", "item": item.code, "dept": dept, "actors": {"review": [reviewer]}}
    refused = any(
        c.severity == "error" for c in conflicts(rulebook, reviewer, case, stage="approve")
    ) or bool(deciders and reviewer not in deciders)
    return attrs.evolve(
        staff,
        refuses_self_approval=refused,
        deciders=deciders,
        heads=heads,
        supervisors=tuple(sorted(held["supervisor"])),
        record_keepers=tuple(
            p
            for p in sorted(held["inspector"])
            if not any(
                c.severity == "error"
                for c in conflicts(rulebook, p, case, stage="explanation_requested")
            )
        ),
        leaders=tuple(sorted(held["leader"])),
    )


def _authorized(rulebook: Any, item: Any, day: dt.date) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Who may decide ``item``'s cases on ``day`` and who may approve their extensions, as the
    process's ``actors`` and the roster say (both empty when the rulebook checks no roster)."""
    from ..separation.acting import ActingCheck

    acting = ActingCheck(rulebook)
    book = rulebook.part("cases")
    if acting.idle or book is None:
        return (), ()
    process = book.resolve(item.code, rulebook.items.kind(item), day)
    return (
        acting.eligible(process, "approve", item.code, day),
        acting.approvers(process, "extend", item.code, day),
    )


def parse_month(text: str) -> tuple[int, int]:
    """``YYYY-MM`` → (year, month); raises ValueError with a clear message
    (:meth:`fyrules.engine.months.Month.parse`)."""
    month = Month.parse(text)
    return month.year, month.month


def generate(
    rulebook: Any, *, month: str, cases: int, seed: int, faults: bool = False
) -> Iterator[Event]:
    """Events of ``cases`` cases accepted in ``month``, in time order.

    With ``faults``, the stream also holds what real deliveries hold: a few events delivered
    twice (the same ``id``, right after the first delivery) and a few a process refuses (an
    approval right after submission, an event for a case that does not exist), so a replay
    shows duplicates and rejected events. The faults come from their own random stream: the
    cases themselves are the same with or without them."""
    if cases < 0:
        raise ValueError("cases must be >= 0")
    year, mon = parse_month(month)
    rng = random.Random(f"{seed}:{month}:{cases}")
    side = random.Random(f"{seed}:{month}:{cases}:scoring")
    after = random.Random(f"{seed}:{month}:{cases}:workflows")  # complaints, accountability
    told = random.Random(f"{seed}:{month}:{cases}:inform")  # supervision after approval
    zone = ZoneInfo(rulebook.timezone)
    calendar = rulebook.calendar
    catalog = rulebook.items
    items = [i for i in catalog.items.values() if i.centralized]
    if not items:
        raise ValueError("the rulebook's catalog has no centralized items to generate cases for")
    weights = [_weight(catalog.kind(i)) for i in items]
    first = dt.date(year, mon, 1)
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    workdays = [d for d in days if calendar.is_working_day(d)] or days
    budgets = [e.spec for e in rulebook.sources.section("stage_budgets")]
    staff: dict[str, _Staff] = {}
    events: list[Event] = []
    counter = 0
    for n in range(cases):
        item = rng.choices(items, weights)[0]
        kind = catalog.kind(item) or "commitment"
        who = staff.get(item.code) or staff.setdefault(
            item.code, _staff(item.department, rulebook, item, (first, last))
        )
        day = rng.choice(workdays)
        start = dt.datetime.combine(day, _office_time(rng), zone)
        case = f"FY-{year}{mon:02d}-{n + 1:06d}"
        path = _case_events(rng, calendar, zone, item, kind, who, start, budgets)
        path = _scoring_facts(side, path, item.department, who.inspectors)
        path = workflow_events(after, rulebook, item, path, who, zone)
        path = inform_events(told, rulebook, path, who.supervisors, zone)
        for kind_name, at, actor, data in path:
            counter += 1
            events.append(
                Event(
                    id=f"e-{year}{mon:02d}-{counter:07d}",
                    case=case,
                    item=item.code,
                    event=kind_name,
                    at=at,
                    actor=actor,
                    dept=item.department,
                    window=item.window,
                    data=data,
                )
            )
    events.sort(key=lambda e: (e.at, e.id))
    if faults:
        events = _with_faults(events, random.Random(f"{seed}:{month}:{cases}:faults"))
    return iter(events)


def _with_faults(events: list[Event], rng: random.Random) -> list[Event]:
    """Redeliveries and impossible events mixed into a time-ordered stream (order kept)."""
    out: list[Event] = []
    extra = 0
    for event in events:
        out.append(event)
        if event.event == "submit" and rng.random() < IMPOSSIBLE:
            extra += 1
            if rng.random() < 0.7:  # a front end skipping the whole process
                update = {"id": f"{event.id}-x{extra}", "event": "approve", "data": {}}
            else:  # a case number mistyped into one no case has
                update = {
                    "id": f"{event.id}-x{extra}",
                    "case": f"{event.case}-X",
                    "event": "review",
                    "data": {},
                }
            out.append(event.model_copy(update=update))
        elif rng.random() < REDELIVERED:
            out.append(event)
    return out


def _weight(kind: str | None) -> float:
    return {"immediate": 3.0, "commitment": 4.0, "joint": 1.0, "report_up": 0.5}.get(
        kind or "", 1.0
    )


def _office_time(rng: random.Random) -> dt.time:
    """A time in office hours; a few acceptances come after 17:00 (past Fuyang's cut-off)."""
    if rng.random() < 0.55:
        return dt.time(rng.randint(9, 11), rng.randrange(60))
    if rng.random() < 0.97:
        return dt.time(rng.randint(13, 16), rng.randrange(60))
    return dt.time(17, rng.randint(1, 29))


def _later(
    calendar: Any, zone: ZoneInfo, at: dt.datetime, working_days: int, rng: random.Random
) -> dt.datetime:
    """A moment ``working_days`` working days after ``at``, in office hours."""
    if working_days <= 0:
        return at + dt.timedelta(minutes=rng.randint(5, 90))
    day = calendar.add_working_days(at.astimezone(zone).date(), working_days)
    return dt.datetime.combine(day, _office_time(rng), zone)


def _stage_budgets(budgets: Sequence[Any], item: Any, kind: str) -> dict[str, int]:
    from ..deadlines.stages import budget_for

    spec = budget_for(budgets, item.code, kind)
    return spec.budgets(item.committed_days) if spec is not None else {}


def _case_events(
    rng: random.Random,
    calendar: Any,
    zone: ZoneInfo,
    item: Any,
    kind: str,
    who: _Staff,
    start: dt.datetime,
    rulebook_budgets: Sequence[Any] = (),
) -> list[tuple[EventKind, dt.datetime, str, dict[str, Any]]]:
    out: list[tuple[EventKind, dt.datetime, str, dict[str, Any]]] = []
    acceptor = rng.choice(who.acceptors)
    reviewer = rng.choice(who.reviewers)
    approver = rng.choice(who.approvers)
    at = start - dt.timedelta(minutes=rng.randint(10, 120))
    out.append(("submit", at, f"applicant-{rng.randint(1, 99999):05d}", {}))
    if rng.random() < CORRECTED:
        out.append(
            (
                "correction_requested",
                at + dt.timedelta(minutes=5),
                acceptor,
                {"items": rng.randint(1, 3)},
            )
        )
        at = _later(calendar, zone, at, rng.randint(0, 2), rng)
        out.append(("corrected", at, out[0][2], {}))
    if rng.random() < REFUSED:
        out.append(
            ("reject", at + dt.timedelta(minutes=10), acceptor, {"reason": "不符合受理条件"})
        )
        return out
    accepted = max(start, at + dt.timedelta(minutes=10))
    out.append(("accept", accepted, acceptor, {}))
    limit = item.committed_days if item.committed_days is not None else 5
    late = rng.random() < LATE
    budget = limit + (rng.randint(1, 4) if late else 0)
    used = rng.randint(0, budget) if not late else budget
    if kind == "immediate":
        at = accepted + dt.timedelta(minutes=rng.randint(10, 60))
        out.append(("approve", at, who.decider(approver), {}))
        at += dt.timedelta(minutes=rng.randint(5, 30)) if not late else dt.timedelta(days=1)
        if late:
            at = _later(calendar, zone, accepted, rng.randint(1, 2), rng)
        out.append(("complete", at, acceptor, {}))
        out.append(("deliver", at + dt.timedelta(minutes=5), acceptor, {}))
        return _extras(rng, out, at)
    # The stages keep to the rulebook's stage budgets, except where a case is slow overall or
    # one stage drags (a few cases): then a stage runs late, as supervision should notice.
    budgets = _stage_budgets(rulebook_budgets, item, kind)
    review_budget = budgets.get("review", used)
    review_day = min(review_budget + budgets.get("undertake", 0), max(0, used - 3))
    if late or rng.random() < 0.04:
        review_day = max(review_day, used - 1)
    approve_day = max(review_day, min(used - 1, review_day + budgets.get("approve", 2)))
    complete_day = used
    marks = [review_day, approve_day, complete_day]
    at = accepted + dt.timedelta(minutes=rng.randint(20, 120))
    out.append(("undertake", at, reviewer, {}))
    if rng.random() < PAUSED and item.special_procedures:
        proc = rng.choice(item.special_procedures)
        pause_at = _later(calendar, zone, at, 1, rng)
        length = proc.max_days or 5
        length = (
            length + rng.randint(1, 3) if rng.random() < 0.2 else rng.randint(1, max(1, length))
        )
        notice = f"已书面告知申请人：{proc.name} 所需时间不计入办理时限"
        out.append(("pause", pause_at, reviewer, {"reason": proc.name, "notice": notice}))
        at = _later(calendar, zone, pause_at, length, rng)
        out.append(("resume", at, reviewer, {}))
        if rng.random() < 0.15:
            return out  # still open at the month's end: an unfinished, paused case
    if rng.random() < EXTENDED:
        beyond = rng.random() < 0.2
        out.append(
            (
                "extend",
                at + dt.timedelta(minutes=30),
                approver,
                {
                    "days": 12 if beyond else rng.randint(3, 10),
                    "approved_by": who.head(item.department, approver),
                    "reason": "情况复杂，需进一步核查，已告知申请人",
                },
            )
        )
    if rng.random() < UNFINISHED:
        return out
    at = max(at, _later(calendar, zone, accepted, marks[0], rng))
    before_review = len(out)
    out.append(("review", at, reviewer, {}))
    decider = reviewer if rng.random() < SAME_REVIEWER else who.decider(approver)
    at = max(at + dt.timedelta(minutes=30), _later(calendar, zone, accepted, marks[1], rng))
    verdict: EventKind = "approve" if rng.random() > 0.02 else "deny"
    if decider == reviewer and who.refuses_self_approval and reviewer != approver:
        out.append((verdict, at, reviewer, {}))  # refused by one review, one approval
        at += dt.timedelta(minutes=30)
        decider = who.decider(approver)
    out.append((verdict, at, decider, {}))
    at = max(at + dt.timedelta(minutes=30), _later(calendar, zone, accepted, marks[2], rng))
    out.append(("complete", at, acceptor, {}))
    if rng.random() < WITHDRAWN:
        withdrawn: tuple[EventKind, dt.datetime, str, dict[str, Any]] = (
            "withdraw",
            at,
            out[0][2],
            {"reason": "申请人撤回"},
        )
        return [*out[:before_review], withdrawn]
    delivery = rng.choice([0, 0, 0, 1, 1, 2]) if rng.random() > 0.03 else rng.randint(3, 5)
    out.append(("deliver", _later(calendar, zone, at, delivery, rng), acceptor, {}))
    return _extras(rng, out, at)


def _extras(rng: random.Random, out: list[Any], at: dt.datetime) -> list[Any]:
    applicant = out[0][2]
    if rng.random() < RATED:
        score = rng.choices([5, 4, 3, 2, 1], [70, 20, 6, 3, 1])[0]
        out.append(
            (
                "rate",
                out[-1][1] + dt.timedelta(minutes=rng.randint(1, 600)),
                applicant,
                {"score": score},
            )
        )
    if rng.random() < COMPLAINT:
        out.append(
            (
                "complaint",
                out[-1][1] + dt.timedelta(hours=rng.randint(1, 48)),
                applicant,
                {"topic": rng.choice(["态度", "时限", "收费", "材料"])},
            )
        )
    return out


def _scoring_facts(
    rng: random.Random, out: list[Any], dept: str, inspectors: Sequence[str] = ()
) -> list[Any]:
    """``data.channel`` on the submission (online or at the window) and, now and then, an
    inspection that finds a discipline breach (``data.breach``), by one of the persons who may
    inspect the item (made up for the department when the roster names none)."""
    kind, at, actor, data = out[0]
    channel = "online" if rng.random() < ONLINE else "window"
    out = [(kind, at, actor, {**data, "channel": channel}), *out[1:]]
    accepted = next((e for e in out if e[0] == "accept"), None)
    if accepted is not None and rng.random() < BREACH:
        inspected = accepted[1] + dt.timedelta(hours=rng.randint(1, 6))
        inspector = rng.choice(inspectors) if inspectors else f"inspector-{dept}"
        out.append(("inspect", inspected, inspector, {"breach": True}))
    return out


def write_jsonl(events: Sequence[Event] | Iterator[Event], stream: Any) -> int:
    """Write events as JSON Lines (keys in contract order); returns how many were written."""
    n = 0
    for e in events:
        stream.write(
            json.dumps(e.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":")) + "\n"
        )
        n += 1
    return n
