"""The compiled ``complaints:`` and ``accountability:`` sections (immutable values)."""

from __future__ import annotations

from collections.abc import Mapping

import attrs


@attrs.frozen(slots=True)
class ComplaintPolicy:
    """How a complaint is handled: its answer deadline and the finding when it is missed."""

    id: str
    title_zh: str
    title_en: str
    basis: str
    answer_days: int
    answer_basis: str
    rule: str
    severity: str


@attrs.frozen(slots=True)
class Decision:
    id: str
    name_zh: str
    name_en: str
    basis: str
    fault: bool
    published: bool


@attrs.frozen(slots=True)
class AccountabilityPolicy:
    """Which findings open an accountability record (rule → the deadline it ran over) and the
    decisions a record may end in."""

    id: str
    title_zh: str
    title_en: str
    basis: str
    triggers: Mapping[str, str]
    decisions: Mapping[str, Decision]
    unknown_decision_rule: str


@attrs.frozen(slots=True)
class Workflows:
    """``rulebook.part("workflows")``: either part may be ``None`` (not declared)."""

    complaints: ComplaintPolicy | None
    accountability: AccountabilityPolicy | None
