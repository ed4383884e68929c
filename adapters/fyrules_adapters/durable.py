"""The durable_rules adapter (extra ``durable``): a rulebook's separation of duties run on
durable_rules' Rete engine.

:func:`compile_rulebook` reads the rulebook's compiled rules (never a second, hand-written
copy) and turns into one durable_rules ruleset:

- each history constraint (``history_constraints:``; ``same: person``, ``department`` or
  ``licensing_department``) into rules that join the arriving event with the case's earlier
  events (one rule per pair of conflicting stages),
- each recusal (``recusals:``) into a rule on the arriving event, joined with the case's
  submission for a recusal from an applicant's cases,
- each ``event``-scope rule whose condition is made of comparisons of the event's and the
  case's fields with literals or with each other, joined by ``and``/``or``, into a rule;
- each ``case``-scope rule (deadlines and warnings: the red card, the statutory limit) whose
  condition is made of such comparisons of the case clock's values, into a rule on a case
  fact: :meth:`DurableSession.case_findings` asserts a case's clock (the working days fyrules'
  calendar counts, which durable_rules has no notion of) and durable_rules decides which
  rules hold;

with the validity dates of each. Whatever it cannot express (an ``event`` rule reading the
actor's roles, a function, a negation) is listed in :attr:`DurableRulebook.unexpressed` with
the rule's id, file and line, never dropped in silence.

A :class:`DurableSession` is one stream of cases (its own durable_rules ``sid``):
:meth:`~DurableSession.check` asks, before an event is recorded, which of those rules object
to it, and :meth:`~DurableSession.record` asserts an event the host accepted as a fact, so
later events join with it. The process itself (which event may follow which), the roster
and the clocks stay with the host: durable_rules decides only separation of duties. Each
compiled rulebook has its own ruleset name and each session its own ``sid``: two rulebooks
or two sessions in one process never share state. durable_rules keeps at most about a
thousand sessions per ruleset, and a session keeps a fact per recorded event until
:meth:`~DurableSession.forget` drops a finished case's facts.

durable_rules' last release (2.0.28, 2020) builds and imports on Python up to 3.12; on 3.13
and wherever it does not import, :func:`compile_rulebook` raises :class:`DurableUnavailable`
saying what to do. See docs/embedding.md, section 7.
"""

from __future__ import annotations

import datetime as dt
import itertools
import sys
from collections.abc import Iterable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from fyrules import FyrulesError, Problem

# every ruleset and session gets a name no other one in the process has
_NAMES = itertools.count(1)
# the fields of an ``event``-scope context a durable_rules message carries, by dotted path
_EVENT_FIELDS = {
    "event.kind": "kind",
    "event.actor": "actor",
    "event.dept": "dept",
    "event.window": "window",
    "case.item": "item",
    "case.dept": "case_dept",
    "case.department": "item_dept",
    "case.stage": "case_stage",
}
_DATA = "event.data."
_ORDER = {"==": "__eq__", "<": "__lt__", "<=": "__le__", ">": "__gt__", ">=": "__ge__"}


class DurableUnavailable(FyrulesError):
    """durable_rules cannot run here (``DURABLE-UNAVAILABLE``); ``problem`` says what to do."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.format())


def _durable() -> tuple[Any, Any]:
    """durable_rules' ``lang`` and ``engine`` modules, or :class:`DurableUnavailable`."""
    here = f"{sys.version_info.major}.{sys.version_info.minor}"
    if sys.version_info >= (3, 13):
        raise DurableUnavailable(
            Problem(
                "DURABLE-UNAVAILABLE",
                f"durable_rules（最后版本 2.0.28，2020 年）不支持 Python {here}；请在 Python 3.11 "
                "或 3.12 上运行本适配器（pip install 'fyrules[durable]'），或改用 fyrules 自身的"
                "监控器（rulebook.monitor()），它检查同样的规则",
                f"durable_rules (last release 2.0.28, 2020) does not support Python {here}; run "
                "this adapter on Python 3.11 or 3.12 (pip install 'fyrules[durable]'), or use "
                "fyrules' own monitor (rulebook.monitor()), which checks the same rules",
            )
        )
    try:
        from durable import engine, lang
    except Exception as exc:  # not installed, or its compiled engine does not load
        raise DurableUnavailable(
            Problem(
                "DURABLE-UNAVAILABLE",
                f"无法导入 durable_rules（{type(exc).__name__}: {exc}）；请在 Python 3.11 或 "
                "3.12 上安装：pip install 'fyrules[durable]'",
                f"durable_rules does not import ({type(exc).__name__}: {exc}); install it on "
                "Python 3.11 or 3.12: pip install 'fyrules[durable]'",
            )
        ) from None
    return lang, engine


@attrs.frozen(slots=True)
class Unexpressed:
    """A rule durable_rules cannot run, and why."""

    rule: str
    reason_zh: str
    reason_en: str
    location: Any = None

    def problem(self) -> Problem:
        """As a warning ``DURABLE-UNEXPRESSED`` at the rule's file and line."""
        return Problem(
            "DURABLE-UNEXPRESSED",
            f"规则 {self.rule} 无法在 durable_rules 中表达（{self.reason_zh}），由 fyrules 自身的"
            "监控器检查",
            f"rule {self.rule} cannot be expressed in durable_rules ({self.reason_en}); "
            "fyrules' own monitor checks it",
            self.location,
            self.rule,
            "warning",
        )


@attrs.frozen(slots=True)
class Objection:
    """One rule that objects to an event: an ``error`` refuses it, a ``warning`` is a finding."""

    rule: str
    kind: str  # "history", "recusal", "event" or "case"
    severity: str
    case: str
    person: str | None
    stage: str
    earlier_stage: str | None = None


@attrs.frozen(slots=True)
class Verdict:
    """What the durable_rules rules say about one arriving event."""

    objections: tuple[Objection, ...]

    @property
    def refused(self) -> bool:
        return any(o.severity == "error" for o in self.objections)

    @property
    def warnings(self) -> tuple[Objection, ...]:
        return tuple(o for o in self.objections if o.severity != "error")


class DurableRulebook:
    """A rulebook's separation of duties and expressible ``event`` and ``case`` rules,
    compiled into one durable_rules ruleset (``compiled``: the ids; ``unexpressed``: the
    rules left to fyrules' monitor, and why)."""

    def __init__(self, rulebook: Any):
        lang, _engine = _durable()
        self.ruleset = f"fyrules_{next(_NAMES)}"
        self._zone = ZoneInfo(rulebook.timezone)
        separation = rulebook.part("separation")
        history = separation.history if separation is not None else None
        self._person_department: Mapping[str, str | None] = (
            history.person_department if history is not None else {}
        )
        self._item_department: Mapping[str, str] = (
            history.item_department if history is not None else {}
        )
        # objections of the arriving event now being checked, by session
        self._heard: dict[str, list[Objection]] = {}
        compiled: list[str] = []
        unexpressed: list[Unexpressed] = []
        with lang.ruleset(self.ruleset):
            for constraint in history.constraints if history is not None else ():
                self._history_rules(lang, constraint)
                compiled.append(constraint.id)
            for recusal in history.recusals if history is not None else ():
                self._recusal_rule(lang, recusal)
                compiled.append(recusal.id)
            for rule in rulebook.rules:
                if rule.scope not in ("event", "case"):
                    continue
                tree = getattr(rule.condition, "_tree", None)
                try:
                    condition = _condition(lang.m, tree, rule.scope)
                except _Inexpressible as why:
                    unexpressed.append(Unexpressed(rule.id, why.zh, why.en, rule.location))
                    continue
                kind = "arriving" if rule.scope == "event" else "case"
                fact = (lang.m.t == kind) & _dated(lang.m, rule)
                self._when(lang, [fact & condition], rule, rule.scope)
                compiled.append(rule.id)
            lang.when_all(+lang.m.t)(_nothing)  # every fact is handled: no rule need match it
        self.compiled: tuple[str, ...] = tuple(compiled)
        self.unexpressed: tuple[Unexpressed, ...] = tuple(unexpressed)

    def session(self) -> DurableSession:
        """A new stream of cases, sharing nothing with any other session."""
        return DurableSession(self, f"s{next(_NAMES)}")

    # --- compiling ----------------------------------------------------------------------

    def _when(self, lang: Any, conditions: list[Any], rule: Any, kind: str) -> None:
        severity = rule.severity
        heard = self._heard

        def action(c: Any) -> None:
            now = c.now if len(conditions) > 1 else c.m
            earlier = c.done.kind if len(conditions) > 1 and kind == "history" else None
            person = now.actor if kind != "case" else None
            heard.setdefault(now.sid, []).append(
                Objection(rule.id, kind, severity, now.case, person, now.kind, earlier)
            )

        if len(conditions) == 1:
            lang.when_all(conditions[0])(action)
        else:
            done, now = conditions
            lang.when_all(lang.c.done << done, lang.c.now << now)(action)

    def _history_rules(self, lang: Any, constraint: Any) -> None:
        m, c = lang.m, lang.c
        dated = _dated(m, constraint)
        if constraint.same == "licensing_department":
            for stage in sorted(constraint.groups[0]):
                now = _arriving(m) & (m.kind == stage) & (m.actor_dept == m.item_dept) & dated
                self._when(lang, [now], constraint, "history")
            return
        key = "person_key" if constraint.same == "person" else "dept_key"
        for later_group in constraint.groups:
            others = sorted(s for g in constraint.groups if g is not later_group for s in g)
            for later in sorted(later_group):
                for earlier in others:
                    # one rule per pair: durable_rules loses a join written inside an ``or``
                    done = (m.t == "acted") & (m.kind == earlier)
                    now = _arriving(m) & (m.kind == later) & dated
                    now = now & (getattr(m, key) == getattr(c.done, key))
                    self._when(lang, [done, now], constraint, "history")

    def _recusal_rule(self, lang: Any, recusal: Any) -> None:
        m, c = lang.m, lang.c
        now = _arriving(m) & (m.actor == recusal.person) & _dated(m, recusal)
        field = {"case": "case", "item": "item", "department": "item_dept"}.get(recusal.target_kind)
        if field is not None:
            self._when(lang, [now & (getattr(m, field) == recusal.target)], recusal, "recusal")
            return
        submitted = (m.t == "acted") & (m.kind == "submit") & (m.actor == recusal.target)
        self._when(lang, [submitted, now & (m.case == c.done.case)], recusal, "recusal")


class DurableSession:
    """One stream of cases on a :class:`DurableRulebook` (its own durable_rules ``sid``)."""

    def __init__(self, compiled: DurableRulebook, sid: str):
        self._compiled = compiled
        self.sid = sid
        self._facts: dict[str, list[dict[str, Any]]] = {}
        self._ids = itertools.count(1)

    def check(self, event: Any) -> Verdict:
        """What the compiled rules say about ``event`` arriving now (nothing is recorded)."""
        compiled = self._compiled
        fact = self._fact(event, "arriving")
        compiled._heard[self.sid] = []
        _assert(compiled, fact)
        _retract(compiled, fact)
        heard = compiled._heard.pop(self.sid, [])
        seen: set[str] = set()
        out = []
        for objection in heard:  # one objection per rule, as fyrules reports it
            if objection.rule not in seen:
                seen.add(objection.rule)
                out.append(objection)
        return Verdict(tuple(out))

    def case_findings(self, clock: Any) -> Verdict:
        """What the compiled ``case`` rules say about a case's clock (a
        :class:`fyrules.deadlines.CaseClock`, from ``rulebook.case_clock(events, as_of)``):
        its working-day values come from fyrules' calendar, which durable_rules lacks; the
        rules' conditions run on durable_rules, in force on the acceptance date."""
        compiled = self._compiled
        day = clock.accepted_on or clock.as_of.astimezone(compiled._zone).date()
        fact: dict[str, Any] = {
            "sid": self.sid,
            "id": f"case-{next(self._ids)}",
            "t": "case",
            "case": clock.case,
            "kind": "case",
            "day": day.toordinal(),
        }
        for key, value in clock.to_context().items():
            if isinstance(value, str | int | float):  # booleans too; None is absent
                fact[f"v_{key}"] = value
        compiled._heard[self.sid] = []
        _assert(compiled, fact)
        _retract(compiled, fact)
        return Verdict(tuple(compiled._heard.pop(self.sid, [])))

    def record(self, event: Any) -> None:
        """Assert ``event``, which the host accepted, as a fact of its case."""
        fact = self._fact(event, "acted")
        _assert(self._compiled, fact)
        self._facts.setdefault(fact["case"], []).append(fact)

    def forget(self, case: str) -> None:
        """Retract the facts of ``case`` (a finished case whose later events do not matter)."""
        for fact in self._facts.pop(case, []):
            _retract(self._compiled, fact)

    def _fact(self, event: Any, t: str) -> dict[str, Any]:
        compiled = self._compiled
        actor = event.actor
        item = event.item
        mine = compiled._person_department.get(actor or "")
        licensing = compiled._item_department.get(item) or event.dept
        day = event.at.astimezone(compiled._zone).date()
        fact: dict[str, Any] = {
            "sid": self.sid,
            "id": f"{t}-{next(self._ids)}",
            "t": t,
            "case": event.case,
            "kind": event.event,
            "item": item,
            "case_dept": event.dept,
            "day": day.toordinal(),
        }
        optional = {
            "actor": actor,
            "dept": event.dept,
            "window": event.window,
            "item_dept": licensing,
            "actor_dept": mine,
            "person_key": f"{event.case}\x1f{actor}" if actor else None,
            "dept_key": f"{event.case}\x1f{mine}" if mine else None,
        }
        fact.update({k: v for k, v in optional.items() if v is not None})
        for key, value in event.data.items():
            if isinstance(value, str | int | float) and not isinstance(value, bool):
                fact[f"data_{key}"] = value
        return fact


def compile_rulebook(rulebook: Any) -> DurableRulebook:
    """``rulebook``'s separation of duties as a durable_rules ruleset (see the module's doc);
    :class:`DurableUnavailable` where durable_rules does not run."""
    return DurableRulebook(rulebook)


# --- helpers ------------------------------------------------------------------------------


def _nothing(c: Any) -> None:
    """The catch-all rule's action: a fact no other rule matches needs nothing done."""


def _assert(compiled: DurableRulebook, fact: dict[str, Any]) -> None:
    from durable.lang import assert_fact

    assert_fact(compiled.ruleset, fact)


def _retract(compiled: DurableRulebook, fact: dict[str, Any]) -> None:
    from durable.lang import retract_fact

    retract_fact(compiled.ruleset, fact)


def _arriving(m: Any) -> Any:
    return m.t == "arriving"


def _dated(m: Any, rule: Any) -> Any:
    """The condition that ``rule`` is in force on the event's local day."""
    condition = m.day >= dt.date.min.toordinal()
    if rule.valid_from is not None:
        condition = condition & (m.day >= rule.valid_from.toordinal())
    if rule.valid_to is not None:
        condition = condition & (m.day <= rule.valid_to.toordinal())
    return condition


class _Inexpressible(Exception):
    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


def _condition(m: Any, node: Any, scope: str) -> Any:
    """An ``event`` or ``case`` rule's checked expression as a durable_rules condition."""
    if _node(node) == "Logic":
        parts = [_condition(m, o, scope) for o in node.operands]
        joined = parts[0]
        for part in parts[1:]:
            joined = (joined & part) if node.op == "and" else (joined | part)
        return joined
    if _node(node) == "Compare" and len(node.ops) == 1:
        op = node.ops[0]
        left, right = node.operands
        if op in ("is", "is not") and _node(right) == "Const" and right.value is None:
            field = _field(m, left, scope)  # a field absent from the message is None
            return -field if op == "is" else +field
        if op == "in" and _node(right) == "ListLit" and right.items:
            field = _field(m, left, scope)
            values = [_literal(i) for i in right.items]
            return _any_of(field.__eq__(v) for v in values)
        if op in _ORDER:
            if _node(left) == "Const":  # a literal on the left: turn it round
                left, right = right, left
                op = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}.get(op, op)
            field = _field(m, left, scope)
            other = _field(m, right, scope) if _node(right) != "Const" else _literal(right)
            return getattr(field, _ORDER[op])(other)
        raise _Inexpressible(
            f"比较 “{op}” 在字段缺失时的含义与 durable_rules 不同",
            f"the comparison '{op}' means something else in durable_rules when a field is absent",
        )
    raise _Inexpressible(
        "条件中有 durable_rules 无法表达的部分（函数、取反、列表推导或角色）",
        "its condition has a part durable_rules cannot express (a function, a negation, a "
        "comprehension or the actor's roles)",
    )


def _node(node: Any) -> str:
    """The kind of a node of a checked expression (``fyrules.engine.expr.ir``), by its class's
    name: an adapter imports only the public ``fyrules``."""
    return type(node).__name__


def _field(m: Any, node: Any, scope: str) -> Any:
    if _node(node) == "Call":
        name = node.function.name
        raise _Inexpressible(f"它调用函数 {name}()", f"it calls the function {name}()")
    path = node.path if _node(node) in ("Member", "Root") else None
    if scope == "case" and path is not None and "." not in path:
        return getattr(m, f"v_{path}")  # a value of the case's clock
    if scope == "event" and path in _EVENT_FIELDS:
        return getattr(m, _EVENT_FIELDS[path])
    if (
        scope == "event"
        and path is not None
        and path.startswith(_DATA)
        and "." not in path[len(_DATA) :]
    ):
        return getattr(m, f"data_{path[len(_DATA) :]}")
    raise _Inexpressible(
        f"它读取的 {path or '值'} 不在 durable_rules 的消息中",
        f"it reads {path or 'a value'}, which durable_rules' messages do not carry",
    )


def _literal(node: Any) -> Any:
    if _node(node) == "Const" and isinstance(node.value, str | int | float):
        return node.value
    raise _Inexpressible(
        "只能与文字或数字比较", "it compares with something other than text or a number"
    )


def _any_of(tests: Iterable[Any]) -> Any:
    out = None
    for test in tests:
        out = test if out is None else out | test
    return out


__all__: list[str] = [
    "DurableRulebook",
    "DurableSession",
    "DurableUnavailable",
    "Objection",
    "Unexpressed",
    "Verdict",
    "compile_rulebook",
]
