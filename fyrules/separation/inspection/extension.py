"""The ``inspection`` extension: the ``inspection:`` section compiled into an
:class:`InspectionPolicy`, its references (departments, persons, the role) checked.

``rulebook.part("inspection")`` is the policy, or ``None`` when the rulebook declares none.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import attrs

from ...engine.extension import BuildContext, BuildResult, Extension
from ...engine.load.sections import Section
from ...engine.problems import Problem
from ..extension import _unknown
from .model import InspectionSpec


@attrs.frozen(slots=True)
class Category:
    id: str
    name_zh: str
    name_en: str
    basis: str


@attrs.frozen(slots=True)
class InspectionPolicy:
    """The monthly random inspection of a rulebook, compiled. Immutable."""

    id: str
    title_zh: str
    title_en: str
    basis: str
    role: str
    public_value_zh: str
    public_value_en: str
    public_value_basis: str
    rate: Fraction
    minimum: int
    closed_by: frozenset[str]
    sampling_basis: str
    department_rates: Mapping[str, tuple[Fraction | None, int | None, str]]
    default_capacity: int
    capacity_basis: str
    person_capacity: Mapping[str, tuple[int, str]]
    rectify_days: int
    rectify_severities: frozenset[str]
    rectify_rule: str
    rectify_severity: str
    rectify_basis: str
    categories: Mapping[str, Category]

    def rate_of(self, department: str) -> Fraction:
        own = self.department_rates.get(department)
        return own[0] if own is not None and own[0] is not None else self.rate

    def minimum_of(self, department: str) -> int:
        own = self.department_rates.get(department)
        return own[1] if own is not None and own[1] is not None else self.minimum

    def sample_size(self, department: str, closed: int) -> int:
        """How many of ``closed`` cases of ``department`` are drawn: ``ceil(rate × closed)``,
        at least the minimum, at most ``closed`` (exact: the rate is a fraction)."""
        wanted = max(math.ceil(self.rate_of(department) * closed), self.minimum_of(department))
        return min(closed, wanted)

    def sampling_basis_of(self, department: str) -> str:
        own = self.department_rates.get(department)
        return own[2] if own is not None else self.sampling_basis

    def capacity_of(self, person: str) -> int:
        own = self.person_capacity.get(person)
        return own[0] if own is not None else self.default_capacity


def _fraction(value: float | None) -> Fraction | None:
    # the rate as written (0.05 is 1/20, not the nearest binary float)
    return None if value is None else Fraction(repr(value))


def _build(ctx: BuildContext) -> BuildResult:
    entries = ctx.sources.section("inspection")
    if not entries:
        return BuildResult(None)
    entry = entries[-1]  # the most local wins
    spec: InspectionSpec = entry.spec
    catalog = ctx.built.get("items")
    separation = ctx.built.get("separation")
    departments = dict(catalog.departments) if catalog is not None else {}
    persons = dict(separation.persons) if separation is not None else {}
    roles = dict(separation.roles) if separation is not None else {}
    problems: list[Problem] = []
    if spec.role not in roles:
        problems.append(_unknown("角色", "role", spec.role, roles, entry, "role"))
    for i, d in enumerate(spec.sampling.departments):
        if d.department not in departments:
            problems.append(
                _unknown(
                    "部门",
                    "department",
                    d.department,
                    departments,
                    entry,
                    "sampling",
                    "departments",
                    i,
                    "department",
                )
            )
    for i, p in enumerate(spec.capacity.persons):
        if p.person not in persons:
            problems.append(
                _unknown(
                    "人员", "person", p.person, persons, entry, "capacity", "persons", i, "person"
                )
            )
    policy = InspectionPolicy(
        id=spec.id,
        title_zh=spec.title.zh,
        title_en=spec.title.en or spec.title.zh,
        basis=spec.basis,
        role=spec.role,
        public_value_zh=spec.public_value.name.zh,
        public_value_en=spec.public_value.name.en or spec.public_value.name.zh,
        public_value_basis=spec.public_value.basis,
        rate=_fraction(spec.sampling.rate) or Fraction(0),
        minimum=spec.sampling.minimum,
        closed_by=frozenset(spec.sampling.closed_by),
        sampling_basis=spec.sampling.basis,
        department_rates={
            d.department: (_fraction(d.rate), d.minimum, d.basis) for d in spec.sampling.departments
        },
        default_capacity=spec.capacity.default,
        capacity_basis=spec.capacity.basis,
        person_capacity={p.person: (p.cases, p.basis) for p in spec.capacity.persons},
        rectify_days=spec.rectification.working_days,
        rectify_severities=frozenset(spec.rectification.severities),
        rectify_rule=spec.rectification.rule,
        rectify_severity=spec.rectification.severity,
        rectify_basis=spec.rectification.basis,
        categories={
            c.id: Category(c.id, c.name.zh, c.name.en or c.name.zh, c.basis)
            for c in spec.categories
        },
    )
    return BuildResult(policy, tuple(problems))


def _check(rulebook: Any, *, today: dt.date) -> list[Problem]:
    """INSPECTION-NO-INSPECTORS (a warning) when no one holds the inspection role today, or
    those who do can take no case: every draw would be infeasible."""
    policy: InspectionPolicy | None = rulebook.part("inspection")
    separation = rulebook.part("separation")
    if policy is None or separation is None:
        return []
    holders = {
        a.person
        for a in separation.assignments
        if a.role == policy.role
        and (a.valid_from is None or a.valid_from <= today)
        and (a.valid_to is None or today <= a.valid_to)
    }
    if any(policy.capacity_of(p) > 0 for p in holders):
        return []
    entry = rulebook.sources.section("inspection")[-1]
    return [
        Problem(
            "INSPECTION-NO-INSPECTORS",
            f"{today} 没有人担任抽查角色 {policy.role}（或其上限均为 0），每月抽查都将无法指派",
            f"on {today} no one holds the {policy.role} role with a capacity above 0: every "
            "monthly draw would be infeasible",
            entry.location,
            policy.id,
            severity="warning",
        )
    ]


SECTIONS = (Section("inspection", InspectionSpec, "随机抽查", "random inspection", many=False),)

EXTENSION = Extension(name="inspection", sections=SECTIONS, build=_build, check=_check)
