"""Separation of duties (职责分离): who may hold which roles where, and who may act on a case.

The static side: persons, roles held for a scope (the whole center, a department, an item),
and constraints in the RBAC (role set, n) form, checked at every assignment and in full
audits. The history side (:mod:`.history`): who already acted on a case decides who may act
next (一审一核, no one inspects a case they handled), and declared recusals (回避); checked as
each event arrives and in audits; :func:`conflicts` answers it for one person and one case.
See ``docs/separation.md``.
"""

from __future__ import annotations

from .extension import EXTENSION, Separation
from .history import Conflict, HistoryPolicy, conflicts
from .history.audit import audit_history
from .policy import Accepted, Assignment, Constraint, Refused, Roster, SeparationPolicy, Violation
from .scopes import Directory, Scope

__all__ = [
    "EXTENSION",
    "Accepted",
    "Assignment",
    "Conflict",
    "Constraint",
    "Directory",
    "HistoryPolicy",
    "Refused",
    "Roster",
    "Scope",
    "Separation",
    "SeparationPolicy",
    "Violation",
    "audit_history",
    "conflicts",
]
