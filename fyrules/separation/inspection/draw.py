"""The monthly random inspection draw (双随机：随机抽取检查对象，随机选派检查人员).

1. **Candidates**: the cases closed in the month (``closed_at`` in the rulebook's time zone,
   closed the ways ``sampling.closed_by`` lists), one stratum per licensing department, each
   sorted by case number, so the same cases give the same candidates on any machine.
2. **Seed**: SHA-256 of the canonical JSON of ``[public value, month, rulebook id]``; its 256
   bits seed a ``random.Random``. The public value is one no one knows before the month's
   cases are closed (the rulebook says which: ``inspection.public_value``).
3. **Sample**: in department order, ``sample_size`` cases of each stratum by a partial
   Fisher–Yates shuffle. Only ``Random.random()`` is used, whose sequence for a seed Python
   guarantees across versions, so a draw can be re-run anywhere.
4. **Inspectors**: everyone holding the inspection role on the first day after the month.
   Each drawn case, in sample order, shuffles its eligible inspectors (sorted by id) with the
   same generator and tries them in that order, and
   :func:`fyrules.separation.inspection.matching.assign` finds a complete assignment within capacities
   whenever one exists. When none exists,
   nothing is assigned and the draw names a Hall violator: cases whose only eligible
   inspectors have too little capacity, and why every other inspector is excluded. No
   constraint is ever relaxed.

The draw is recorded in the trail as a ``draw`` entry (:func:`record_draw`); re-running the
same events, month and public value gives the same record, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from ...cases.canonical import canonical_json
from ...engine.problems import UsageError
from .eligibility import CaseFacts, Eligibility, Exclusion
from .extension import InspectionPolicy
from .matching import assign

NO_DEPARTMENT = "-"


@attrs.frozen(slots=True)
class Stratum:
    """One department's closed cases and the ones drawn."""

    department: str
    candidates: tuple[str, ...]
    rate: Fraction
    minimum: int
    drawn: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "department": self.department,
            "closed": len(self.candidates),
            "rate": rate_text(self.rate),
            "minimum": self.minimum,
            "sample_size": len(self.drawn),
            "candidates": list(self.candidates),
            "candidates_sha256": hashlib.sha256(canonical_json(list(self.candidates))).hexdigest(),
            "drawn": list(self.drawn),
        }


@attrs.frozen(slots=True)
class Infeasibility:
    """Why no complete assignment exists: ``cases`` can only be inspected by ``inspectors``,
    whose total ``capacity`` is smaller than their number; ``exclusions`` say why each other
    inspector may not take them."""

    cases: tuple[str, ...]
    inspectors: tuple[str, ...]
    capacity: int
    exclusions: tuple[Exclusion, ...]

    def grouped(self) -> list[dict[str, Any]]:
        """Exclusions by (person, rule): the cases and one reason, for reports."""
        groups: dict[tuple[str, str], list[Exclusion]] = defaultdict(list)
        for e in self.exclusions:
            groups[(e.person, e.rule)].append(e)
        return [
            {
                "person": person,
                "rule": rule,
                "cases": [e.case for e in found],
                "reason_zh": found[0].reason_zh,
                "reason_en": found[0].reason_en,
                "basis": found[0].basis,
            }
            for (person, rule), found in sorted(groups.items())
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "cases": list(self.cases),
            "inspectors": list(self.inspectors),
            "capacity": self.capacity,
            "excluded": self.grouped(),
        }


@attrs.frozen(slots=True)
class Draw:
    """A month's draw: the seed, the strata, and an assignment or why there is none."""

    rulebook: str
    version: str
    policy: str
    month: str
    public_value: str
    seed: str
    drawn_on: dt.date
    strata: tuple[Stratum, ...]
    inspectors: tuple[tuple[str, int], ...]  # (person, capacity), by id
    assignment: Mapping[str, str] | None  # case → inspector
    infeasible: Infeasibility | None

    @property
    def feasible(self) -> bool:
        """Whether every drawn case has an inspector (else ``infeasible`` says why)."""
        return self.infeasible is None

    @property
    def sample(self) -> tuple[str, ...]:
        """The drawn cases, department by department, in the order drawn."""
        return tuple(case for s in self.strata for case in s.drawn)

    def record(self) -> dict[str, Any]:
        """The draw as a JSON object (what the trail keeps)."""
        department = {case: s.department for s in self.strata for case in s.drawn}
        return {
            "rulebook": self.rulebook,
            "version": self.version,
            "policy": self.policy,
            "month": self.month,
            "public_value": self.public_value,
            "seed": self.seed,
            "drawn_on": self.drawn_on.isoformat(),
            "strata": [s.to_dict() for s in self.strata],
            "inspectors": [{"person": p, "capacity": c} for p, c in self.inspectors],
            "assignment": None
            if self.assignment is None
            else [
                {"case": case, "department": department[case], "inspector": self.assignment[case]}
                for case in self.sample
            ],
            "infeasible": None if self.infeasible is None else self.infeasible.to_dict(),
        }

    def digest(self) -> str:
        """SHA-256 of the record's canonical JSON: compare it with a re-run's."""
        return hashlib.sha256(canonical_json(self.record())).hexdigest()


def rate_text(rate: Fraction) -> str:
    """A rate as decimal text (``0.05``), exact for the rates policy staff write."""
    value = Decimal(rate.numerator) / Decimal(rate.denominator)
    return format(value.normalize(), "f")


def seed_of(public_value: str, month: str, rulebook: str) -> str:
    """The draw's seed: SHA-256 (hex) of the canonical JSON ``[public value, month, rulebook]``."""
    return hashlib.sha256(canonical_json([public_value, month, rulebook])).hexdigest()


def policy_of(rulebook: Any) -> InspectionPolicy:
    policy = rulebook.part("inspection")
    if policy is None:
        raise UsageError(
            f"规则集 {rulebook.id} 没有 inspection: 抽查制度 / rulebook {rulebook.id} declares no "
            "inspection: policy"
        )
    return policy


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """The first day of ``YYYY-MM`` and the first day after it; UsageError when malformed."""
    from ...engine.months import Month

    try:
        parsed = Month.parse(month)  # ASCII digits only: the text is part of the seed
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return parsed.first_day, parsed.next_first_day


def closed_in_month(rulebook: Any, store: Any, month: str) -> list[CaseFacts]:
    """The cases of ``store`` closed in ``month`` (finished, or settled and awaiting delivery)."""
    first, after = month_bounds(month)
    zone = ZoneInfo(rulebook.timezone)
    catalog = rulebook.items
    out = []
    summaries = [s for _, s in store.closed_cases()]
    summaries += [s for _, s in store.open_cases() if s.get("closed")]
    for summary in summaries:
        at = summary.get("closed_at")
        if not at:
            continue
        day = dt.datetime.fromisoformat(at).astimezone(zone).date()
        if first <= day < after:
            out.append(CaseFacts.from_summary(summary, catalog))
    return out


def draw(rulebook: Any, cases: Iterable[CaseFacts], *, month: str, public_value: str) -> Draw:
    """The draw of ``month`` among ``cases`` (those closed in the month), seeded from
    ``public_value``."""
    if not public_value.strip():
        raise UsageError("公开值不能为空 / the public value cannot be empty")
    policy = policy_of(rulebook)
    _, drawn_on = month_bounds(month)
    seed = seed_of(public_value, month, rulebook.id)
    rng = random.Random(int(seed, 16))
    by_department: dict[str, list[CaseFacts]] = defaultdict(list)
    seen: set[str] = set()
    for case in cases:
        if case.case in seen:  # a case is one candidate, however often it is passed
            continue
        seen.add(case.case)
        if case.closed_by is None or case.closed_by in policy.closed_by:
            by_department[case.department or NO_DEPARTMENT].append(case)
    strata, sample = [], []
    for department in sorted(by_department):
        facts = sorted(by_department[department], key=lambda c: c.case)
        size = policy.sample_size(department, len(facts))
        chosen = _sample(rng, facts, size)
        sample.extend(chosen)
        strata.append(
            Stratum(
                department,
                tuple(c.case for c in facts),
                policy.rate_of(department),
                policy.minimum_of(department),
                tuple(c.case for c in chosen),
            )
        )
    eligibility = Eligibility(rulebook, policy, drawn_on)
    order = list(eligibility.inspectors)  # by id
    capacity = [policy.capacity_of(p) for p in order]
    assignment, infeasible = _assign(rng, sample, order, capacity, eligibility)
    return Draw(
        rulebook=rulebook.id,
        version=rulebook.manifest.version,
        policy=policy.id,
        month=month,
        public_value=public_value,
        seed=seed,
        drawn_on=drawn_on,
        strata=tuple(strata),
        inspectors=tuple(zip(order, capacity, strict=True)),
        assignment=assignment,
        infeasible=infeasible,
    )


def draw_month(
    rulebook: Any,
    events: Iterable[Any] | str | Path,
    *,
    month: str,
    public_value: str,
    store: Any = None,
) -> Draw:
    """Replay ``events`` (a JSON Lines file or events) through a monitor into ``store`` (a new
    :class:`~fyrules.cases.store.MemoryStore` by default), draw ``month`` among the cases
    closed in it, and record the draw in the store's trail (:func:`record_draw`)."""
    monitor = rulebook.monitor(store)
    if isinstance(events, str | Path):
        try:
            monitor.replay_file(events)
        except OSError as exc:
            raise UsageError(f"{events}: {exc.strerror}") from None
    else:
        monitor.feed_all(events)
    cases = closed_in_month(rulebook, monitor.store, month)
    result = draw(rulebook, cases, month=month, public_value=public_value)
    record_draw(monitor.store, result)
    return result


def draw_partitions(
    rulebook: Any,
    events: str | Path,
    *,
    month: str,
    public_value: str,
    stores: Sequence[Any],
) -> tuple[Draw, dict[str, Any]]:
    """:func:`draw_month` on a store written in ``len(stores)`` partitions (``stores[k]`` is
    partition ``k``): each event of the JSON Lines file ``events`` replayed into the partition
    that owns its case, the draw made among the cases every partition closed in ``month``
    (the same draw as one replay of every event) and recorded on partition 0's trail chain.
    Returns the draw and its trail entry."""
    from ...cases.events import read_events
    from ...cases.partition import events_of

    cases: list[CaseFacts] = []
    for k, store in enumerate(stores):
        try:
            rulebook.monitor(store).feed_all(events_of(read_events(events), k, len(stores)))
        except OSError as exc:
            raise UsageError(f"{events}: {exc.strerror}") from None
        cases.extend(closed_in_month(rulebook, store, month))
    result = draw(rulebook, cases, month=month, public_value=public_value)
    return result, record_draw(stores[0], result)


def record_draw(store: Any, result: Draw) -> dict[str, Any]:
    """Append the draw to the trail kept in ``store`` (kind ``draw``), naming the trail head
    it was drawn after (the events it was drawn from); returns the entry. Each stratum keeps
    its candidates and their SHA-256; in a month too large for one trail entry, only the
    SHA-256."""
    from ...cases.trail import MAX_ENTRY_BYTES, Trail

    trail = Trail(store)
    head = trail.head()
    record = {"after": {"index": head.index, "hash": head.hash}, **result.record()}
    if len(canonical_json(record)) > MAX_ENTRY_BYTES - 1024:
        # a month too large for one entry keeps each stratum's candidates as their digest
        for stratum in record["strata"]:
            stratum["candidates"] = None
    return trail.append("draw", record)


def _sample(rng: random.Random, population: Sequence[Any], size: int) -> list[Any]:
    """``size`` elements by a partial Fisher–Yates shuffle driven by ``rng.random()`` alone."""
    pool = list(population)
    n = len(pool)
    for t in range(size):
        r = t + int(rng.random() * (n - t))
        pool[t], pool[r] = pool[r], pool[t]
    return pool[:size]


def _assign(
    rng: random.Random,
    sample: Sequence[CaseFacts],
    order: Sequence[str],
    capacity: Sequence[int],
    eligibility: Eligibility,
) -> tuple[dict[str, str] | None, Infeasibility | None]:
    position = {person: i for i, person in enumerate(order)}
    indexed: dict[tuple[str, ...], list[int]] = {}
    adjacency = []
    for case in sample:
        eligible = tuple(eligibility.eligible(case))
        indices = indexed.get(eligible)
        if indices is None:
            indices = indexed[eligible] = [position[p] for p in eligible]
        # each case tries its eligible inspectors in its own random order
        adjacency.append(_sample(rng, indices, len(indices)))
    result = assign(adjacency, capacity)
    if result.complete:
        return {c.case: order[j] for c, j in zip(sample, result.owner, strict=True)}, None
    cases = [sample[i] for i in result.violator_cases]
    inside = {order[j] for j in result.violator_inspectors}
    exclusions = tuple(
        e
        for person in order
        if person not in inside
        for case in cases
        for e in eligibility.exclusions(person, case)
    )
    return None, Infeasibility(
        cases=tuple(c.case for c in cases),
        inspectors=tuple(sorted(inside)),
        capacity=sum(capacity[j] for j in result.violator_inspectors),
        exclusions=exclusions,
    )
