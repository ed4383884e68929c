"""History-based separation of duties and recusals (基于办件历史的职责分离与回避).

Who already acted on a case decides who may act next: the reviewer does not approve (一审一核),
no one who handled a case inspects it, the department that licenses an item does not inspect
its cases, and a person with a declared conflict of interest (回避) does not act on the cases
it covers. :class:`HistoryPolicy` holds these, compiled into dictionaries keyed by stage and
by person, so a check is a few lookups per event.

:func:`conflicts` is the entry point for other parts (the monthly inspection draw asks which
inspectors are eligible for a case); :func:`~fyrules.separation.history.audit.audit_history`
replays events and reports every conflict as a finding. ``docs/separation.md`` explains both.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from ...engine.problems import Location

# Chinese names of the stages, for messages.
STAGE_NAMES: Mapping[str, str] = {
    "submit": "申请",
    "correction_requested": "补正告知",
    "corrected": "补正",
    "accept": "受理",
    "reject": "不予受理",
    "undertake": "承办",
    "review": "审核",
    "approve": "审批",
    "deny": "不予许可",
    "pause": "暂停",
    "resume": "恢复",
    "extend": "延长",
    "complete": "办结",
    "deliver": "送达",
    "withdraw": "撤回",
    "inspect": "抽查",
    "rectify": "整改",
    "complaint": "投诉",
    "rate": "评价",
    "inform": "告知监管",
}
_NO_ACTORS: Mapping[str, Sequence[str]] = {}


def _stage_zh(stage: str) -> str:
    name = STAGE_NAMES.get(stage)
    return f"{name}（{stage}）" if name else stage


@attrs.frozen(slots=True)
class HistoryConstraint:
    """On one case, whoever acted at one group of stages does not act at another (``same``:
    ``person`` or ``department``); or no one of the item's licensing department acts at the
    one group (``licensing_department``)."""

    id: str
    title_zh: str
    title_en: str
    groups: tuple[frozenset[str], ...]
    basis: str
    same: str = "person"
    severity: str = "error"
    message_zh: str | None = None
    message_en: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    location: Location | None = attrs.field(default=None, eq=False)

    def in_force(self, on: dt.date | None) -> bool:
        return _in_force(self.valid_from, self.valid_to, on)


@attrs.frozen(slots=True)
class Recusal:
    """``person`` does not act on the cases of ``target`` (``target_kind``: applicant, case,
    item or department)."""

    id: str
    person: str
    target_kind: str
    target: str
    reason_zh: str
    reason_en: str
    basis: str
    severity: str = "error"
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    location: Location | None = attrs.field(default=None, eq=False)

    def in_force(self, on: dt.date | None) -> bool:
        return _in_force(self.valid_from, self.valid_to, on)

    def covers(self, case: Mapping[str, Any], licensing: str | None) -> bool:
        kind, target = self.target_kind, self.target
        if kind == "case":
            return case.get("case") == target
        if kind == "item":
            return case.get("item") == target
        if kind == "department":
            return licensing == target
        return target in _applicants(case)


def _in_force(start: dt.date | None, end: dt.date | None, on: dt.date | None) -> bool:
    if on is None:
        return True
    return not ((start is not None and on < start) or (end is not None and on > end))


@attrs.frozen(slots=True)
class Conflict:
    """Why ``person`` may not act at ``stage`` on a case: the rule (a history constraint or a
    recusal), its severity, a reason in Chinese and English, and its basis. For a history
    constraint, ``earlier_stage`` and ``earlier_actor`` name the event that conflicts."""

    rule: str
    kind: str  # "history" or "recusal"
    severity: str
    person: str
    stage: str
    reason_zh: str
    reason_en: str
    basis: str
    earlier_stage: str | None = None
    earlier_actor: str | None = None

    def message(self) -> str:
        return f"{self.reason_zh} / {self.reason_en}"

    # the finding's keys follow fyrules.engine.findings.Finding.to_dict
    def to_finding(self, case: str | None, at: dt.datetime | str | None) -> dict[str, Any]:
        """The finding (docs/architecture.md's contract) this conflict reports on ``case`` at ``at``."""
        trace: list[dict[str, Any]] = [{"person": self.person, "stage": self.stage}]
        if self.earlier_stage is not None:
            trace.append({"earlier_stage": self.earlier_stage, "earlier_actor": self.earlier_actor})
        return {
            "rule": self.rule,
            "severity": self.severity,
            "case": case,
            "at": at.isoformat() if isinstance(at, dt.datetime) else at,
            "message": self.reason_zh,
            "message_en": self.reason_en,
            "basis": self.basis,
            "trace": trace,
        }


@attrs.frozen(slots=True)
class HistoryPolicy:
    """History constraints and recusals, with the directory they are read against. Immutable;
    the indexes are built once."""

    constraints: tuple[HistoryConstraint, ...] = ()
    recusals: tuple[Recusal, ...] = ()
    person_department: Mapping[str, str | None] = attrs.field(factory=dict)
    item_department: Mapping[str, str] = attrs.field(factory=dict)
    # stage → ((constraint, the stages that conflict with it, whether it has a validity), …)
    # for person/department constraints
    _by_stage: Mapping[str, tuple[tuple[HistoryConstraint, tuple[str, ...], bool], ...]] = (
        attrs.field(init=False, repr=False, eq=False)
    )
    # stage → constraints that keep the licensing department out of it
    _licensing: Mapping[str, tuple[HistoryConstraint, ...]] = attrs.field(
        init=False, repr=False, eq=False
    )
    _by_person: Mapping[str, tuple[Recusal, ...]] = attrs.field(init=False, repr=False, eq=False)
    _dated: bool = attrs.field(init=False, repr=False, eq=False)  # some constraint has a validity

    def __attrs_post_init__(self) -> None:
        by_stage: dict[str, list[tuple[HistoryConstraint, tuple[str, ...], bool]]]
        by_stage = defaultdict(list)
        licensing: dict[str, list[HistoryConstraint]] = defaultdict(list)
        for c in self.constraints:
            if c.same == "licensing_department":
                for stage in sorted(c.groups[0]):
                    licensing[stage].append(c)
                continue
            for group in c.groups:
                others = tuple(sorted(s for g in c.groups if g is not group for s in g))
                dated = c.valid_from is not None or c.valid_to is not None
                for stage in sorted(group):
                    by_stage[stage].append((c, others, dated))
        by_person: dict[str, list[Recusal]] = defaultdict(list)
        for r in self.recusals:
            by_person[r.person].append(r)
        object.__setattr__(self, "_by_stage", {k: tuple(v) for k, v in by_stage.items()})
        object.__setattr__(self, "_licensing", {k: tuple(v) for k, v in licensing.items()})
        object.__setattr__(self, "_by_person", {k: tuple(v) for k, v in by_person.items()})
        dated = any(c.valid_from is not None or c.valid_to is not None for c in self.constraints)
        object.__setattr__(self, "_dated", dated)

    @property
    def empty(self) -> bool:
        return not self.constraints and not self.recusals

    def needs_day(self, person: str | None) -> bool:
        """Whether a check for ``person`` reads its date (some constraint or one of the
        person's recusals has a validity); if not, ``check`` may be given ``on=None``."""
        if self._dated:
            return True
        recusals = self._by_person.get(person or "")
        return recusals is not None and any(
            r.valid_from is not None or r.valid_to is not None for r in recusals
        )

    def concerns(self, stage: str, person: str | None) -> bool:
        """Whether any constraint or recusal could object to ``person`` acting at ``stage``
        (two dictionary lookups: the common answer is no)."""
        return stage in self._by_stage or stage in self._licensing or person in self._by_person

    def check(
        self, stage: str, person: str | None, case: Mapping[str, Any], on: dt.date | None = None
    ) -> list[Conflict]:
        """Every conflict of ``person`` acting at ``stage`` on ``case`` (a mapping with
        ``case``, ``item``, ``dept`` and ``actors``: {stage: [person ids]} of the events so
        far; ``applicant`` if known), under the rules in force on ``on`` (None: all)."""
        if not person:
            return []
        out: list[Conflict] = []
        entries = self._by_stage.get(stage)
        if entries:
            actors = case.get("actors") or _NO_ACTORS
            for constraint, others, dated in entries:
                if dated and not constraint.in_force(on):
                    continue
                if constraint.same == "person":  # the common case, inline
                    for earlier in others:
                        if person in actors.get(earlier, ()):
                            out.append(self._history(constraint, person, stage, earlier, person))
                            break
                    continue
                hit = self._earlier(constraint, person, others, actors)
                if hit is not None:
                    out.append(self._history(constraint, person, stage, *hit))
        licensing_rules = self._licensing.get(stage)
        recusals = self._by_person.get(person)
        if licensing_rules or recusals:
            licensing = self.item_department.get(case.get("item") or "") or case.get("dept")
            mine = self.person_department.get(person)
            for constraint in licensing_rules or ():
                if constraint.in_force(on) and mine is not None and mine == licensing:
                    out.append(self._licensed(constraint, person, stage, case, mine))
            for recusal in recusals or ():
                if recusal.in_force(on) and recusal.covers(case, licensing):
                    out.append(_recused(recusal, stage))
        return out

    def _earlier(
        self,
        constraint: HistoryConstraint,
        person: str,
        others: tuple[str, ...],
        actors: Mapping[str, Sequence[str]],
    ) -> tuple[str, str] | None:
        """The first (stage, actor) among the case's earlier actors that conflicts."""
        if constraint.same == "person":
            for stage in others:
                if person in actors.get(stage, ()):
                    return stage, person
            return None
        mine = self.person_department.get(person)
        if mine is None:
            return None
        for stage in others:
            for actor in actors.get(stage, ()):
                if self.person_department.get(actor) == mine:
                    return stage, actor
        return None

    def _history(
        self, c: HistoryConstraint, person: str, stage: str, earlier: str, actor: str
    ) -> Conflict:
        lead_zh = f"{c.message_zh}：" if c.message_zh else f"{c.title_zh}："
        lead_en = f"{c.message_en}: " if c.message_en else f"{c.title_en}: "
        if actor == person:
            zh = f"{person} 已在本案办理 {_stage_zh(earlier)}，不得再办理 {_stage_zh(stage)}"
            en = f"{person} acted on this case at {earlier} and may not act at {stage}"
        else:
            dept = self.person_department.get(person)
            zh = (
                f"{person} 与本案 {_stage_zh(earlier)} 的经办人 {actor} 同属部门 {dept}，"
                f"不得办理 {_stage_zh(stage)}"
            )
            en = (
                f"{person} is of department {dept}, like {actor} who acted on this case at "
                f"{earlier}, and may not act at {stage}"
            )
        return Conflict(
            rule=c.id,
            kind="history",
            severity=c.severity,
            person=person,
            stage=stage,
            reason_zh=lead_zh + zh,
            reason_en=lead_en + en,
            basis=c.basis,
            earlier_stage=earlier,
            earlier_actor=actor,
        )

    def _licensed(
        self, c: HistoryConstraint, person: str, stage: str, case: Mapping[str, Any], dept: str
    ) -> Conflict:
        item = case.get("item")
        lead_zh = f"{c.message_zh}：" if c.message_zh else f"{c.title_zh}："
        lead_en = f"{c.message_en}: " if c.message_en else f"{c.title_en}: "
        return Conflict(
            rule=c.id,
            kind="history",
            severity=c.severity,
            person=person,
            stage=stage,
            reason_zh=f"{lead_zh}{person} 属于实施事项 {item} 的部门 {dept}，不得办理 {_stage_zh(stage)}",
            reason_en=f"{lead_en}{person} belongs to {dept}, the department that licenses item "
            f"{item}, and may not act at {stage}",
            basis=c.basis,
        )


def _recused(r: Recusal, stage: str) -> Conflict:
    what_zh = {"applicant": "申请人", "case": "案件", "item": "事项", "department": "部门"}
    return Conflict(
        rule=r.id,
        kind="recusal",
        severity=r.severity,
        person=r.person,
        stage=stage,
        reason_zh=f"{r.person} 须回避{what_zh[r.target_kind]} {r.target}（{r.reason_zh}），"
        f"不得办理 {_stage_zh(stage)}",
        reason_en=f"{r.person} is recused from {r.target_kind} {r.target} ({r.reason_en}) and "
        f"may not act at {stage}",
        basis=r.basis,
    )


def _applicants(case: Mapping[str, Any]) -> tuple[str, ...]:
    """The case's applicant: its ``applicant`` if given, else whoever submitted it."""
    applicant = case.get("applicant")
    if applicant:
        return (applicant,)
    actors = case.get("actors") or _NO_ACTORS
    return tuple(actors.get("submit", ()))


def history_policy(policy_or_rulebook: Any) -> HistoryPolicy:
    """The :class:`HistoryPolicy` of a rulebook, of its ``separation`` part, or itself."""
    if isinstance(policy_or_rulebook, HistoryPolicy):
        return policy_or_rulebook
    part = policy_or_rulebook
    if hasattr(part, "part"):  # a Rulebook
        part = part.part("separation")
    history = getattr(part, "history", None)
    return history if isinstance(history, HistoryPolicy) else HistoryPolicy()


def conflicts(
    policy_or_rulebook: Any,
    person: str,
    case: Mapping[str, Any],
    *,
    stage: str = "inspect",
    on: dt.date | None = None,
) -> list[Conflict]:
    """Why ``person`` may not act at ``stage`` (by default ``inspect``) on ``case``: every
    history constraint the case's earlier actors bring in, every recusal of ``person`` that
    covers the case, and the rule that the item's licensing department does not inspect it.

    ``policy_or_rulebook``: a :class:`~fyrules.rulebook.Rulebook`, its ``separation`` part or
    a :class:`HistoryPolicy`. ``case``: a mapping with ``case`` (id), ``item``, ``dept`` (the
    item's department, used when the catalog does not say), ``actors`` ({stage: [person ids]},
    as the case state keeps it) and optionally ``applicant`` (default: who submitted it).
    ``on``: only rules in force on that date count (default: every rule, whatever its
    validity). An empty list means no objection; warnings are included, with their
    ``severity``, for the caller to weigh."""
    return history_policy(policy_or_rulebook).check(stage, person, case, on)
