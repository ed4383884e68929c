"""The ``notifications`` extension: the ``notifications:`` section compiled into a
:class:`NotificationPolicy`, its references (rules, roles) checked by ``fyrules check``.

``rulebook.part("notifications")`` is the policy, or ``None`` when the rulebook declares none.
The monitor's ``track_findings`` hook reports the approvals not told to the supervising
department in time (:func:`fyrules.notifications.inform.inform_watch`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from ..engine.extension import BuildContext, BuildResult, Extension
from ..engine.load.sections import Section
from ..engine.problems import Problem
from ..separation.extension import _unknown
from .model import PERSON_WORDS, NotificationsSpec


@attrs.frozen(slots=True)
class Trigger:
    """One trigger, compiled: what fires it, who is told, and why."""

    on: str
    rules: tuple[str, ...]
    to: tuple[str, ...]
    basis: str


@attrs.frozen(slots=True)
class InformLimit:
    """How soon an approval is told to the supervising department (``inform`` events)."""

    working_days: int
    rule: str
    severity: str
    basis: str


@attrs.frozen(slots=True)
class NotificationPolicy:
    """The ``notifications:`` section of a rulebook, compiled. Immutable."""

    id: str
    title_zh: str
    title_en: str
    basis: str
    triggers: Mapping[str, Trigger]  # by ``on``
    inform: InformLimit | None

    def rule_triggers(self) -> dict[str, str]:
        """Rule id → the trigger (prompt, yellow, red) its finding fires."""
        return {rule: t.on for t in self.triggers.values() for rule in t.rules}


def _build(ctx: BuildContext) -> BuildResult:
    entries = ctx.sources.section("notifications")
    if not entries:
        return BuildResult(None)
    entry = entries[-1]  # the most local wins
    spec: NotificationsSpec = entry.spec
    separation = ctx.built.get("separation")
    roles = dict(separation.roles) if separation is not None else {}
    problems = [
        _unknown("角色", "role", name, roles, entry, "triggers", i, "to", j)
        for i, trigger in enumerate(spec.triggers)
        for j, name in enumerate(trigger.to)
        if name not in PERSON_WORDS and name not in roles
    ]
    inform = spec.inform
    policy = NotificationPolicy(
        id=spec.id,
        title_zh=spec.title.zh,
        title_en=spec.title.en or spec.title.zh,
        basis=spec.basis,
        triggers={t.on: Trigger(t.on, tuple(t.rules), tuple(t.to), t.basis) for t in spec.triggers},
        inform=None
        if inform is None
        else InformLimit(inform.working_days, inform.rule, inform.severity, inform.basis),
    )
    return BuildResult(policy, tuple(problems))


def _check(rulebook: Any, *, today: dt.date) -> list[Problem]:
    """UNKNOWN-REFERENCE for a trigger naming a rule the rulebook does not have, and
    NOTIFY-RULE-SCOPE for one naming a rule that is not a ``case`` rule."""
    policy: NotificationPolicy | None = rulebook.part("notifications")
    if policy is None:
        return []
    entry = rulebook.sources.section("notifications")[-1]
    known = {rule.id: rule for rule in rulebook.rules}
    out = []
    for i, trigger in enumerate(policy.triggers.values()):
        for j, rule_id in enumerate(trigger.rules):
            rule = known.get(rule_id)
            if rule is None:
                out.append(
                    _unknown("规则", "rule", rule_id, known, entry, "triggers", i, "rules", j)
                )
            elif rule.scope != "case":
                out.append(
                    Problem(
                        "NOTIFY-RULE-SCOPE",
                        f"规则 {rule_id} 的作用域是 {rule.scope}，预警通知只能读 case 规则",
                        f"rule {rule_id} is in scope {rule.scope}: a notification trigger reads "
                        "case rules only",
                        entry.locate("triggers", i, "rules", j),
                        policy.id,
                    )
                )
    return out


def _inform_watch(rulebook: Any) -> Any:
    """The monitor's ``track_findings`` hook: approvals not told to the supervisors in time."""
    from .inform import inform_watch

    return inform_watch(rulebook)


SECTIONS = (Section("notifications", NotificationsSpec, "预警通知", "notifications", many=False),)

EXTENSION = Extension(
    name="notifications",
    sections=SECTIONS,
    build=_build,
    check=_check,
    track_findings=_inform_watch,
)
