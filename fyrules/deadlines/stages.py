"""Stage budgets: how many working days each stage of a case may take (``stage_budgets:``)."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import Field, field_validator

from ..engine.load.model import Identifier, Title, as_title
from ..engine.load.validation import Strict
from .clock import STAGE_ORDER


class StageBudgetSpec(Strict):
    """Budgets of the stages of cases of some kinds or items.

    A stage is named after the event that ends it: ``accept`` (submission → acceptance),
    ``undertake``, ``review``, ``approve``, ``complete``, ``deliver``."""

    id: Identifier
    title: Title
    basis: str = Field(min_length=1, description="依据 / basis")
    kinds: tuple[str, ...] = Field(
        default=(), description="适用的办件类别 / case kinds it applies to"
    )
    items: tuple[str, ...] = Field(
        default=(), description="适用的事项（优先） / items it applies to (first)"
    )
    stages: dict[str, int | str] = Field(
        description='各环节的工作日，或承诺时限的百分比（如 "60%"） / working days per stage, '
        'or a share of the committed limit (e.g. "60%")'
    )

    _title = field_validator("title", mode="before")(as_title)

    @field_validator("stages")
    @classmethod
    def _known_stages(cls, value: dict[str, int | str]) -> dict[str, int | str]:
        for name, budget in value.items():
            if name not in STAGE_ORDER[1:]:
                raise ValueError(
                    f"未知的环节 “{name}”，可用：{', '.join(STAGE_ORDER[1:])} / "
                    f"unknown stage '{name}'; known: {', '.join(STAGE_ORDER[1:])}"
                )
            if isinstance(budget, str):
                if _percent(budget) is None:
                    raise ValueError(
                        f"环节 {name} 的时限应为工作日数或百分比（如 60%），不是 {budget!r} / "
                        f"stage {name} takes working days or a percentage such as 60%, not {budget!r}"
                    )
            elif budget < 0:
                raise ValueError(
                    f"环节 {name} 的工作日不能为负 / stage {name} cannot have negative days"
                )
        return value

    def budgets(self, committed_limit: int | None) -> dict[str, int]:
        """Working days per stage for a case with this committed limit: a percentage is that
        share of the limit, rounded up to whole working days."""
        out: dict[str, int] = {}
        for name, budget in self.stages.items():
            if isinstance(budget, int):
                out[name] = budget
            elif committed_limit is not None:
                share = _percent(budget) or 0
                out[name] = -(-committed_limit * share // 100)  # ceiling, in whole numbers
        return out


def _percent(text: str) -> int | None:
    text = text.strip()
    if text.endswith("%") and text[:-1].strip().isdigit():
        value = int(text[:-1])
        return value if 0 <= value <= 100 else None
    return None


def budget_for(
    budgets: Iterable[StageBudgetSpec], item: str, kind: str | None
) -> StageBudgetSpec | None:
    """The budget that applies to a case: one naming its item first, else one naming its kind."""
    budgets = list(budgets)
    for spec in budgets:
        if item in spec.items:
            return spec
    for spec in budgets:
        if kind is not None and kind in spec.kinds:
            return spec
    return None
