"""Stage budgets: how many working days each stage of a case may take (``stage_budgets:``)."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import Field, field_validator

from ..engine.model import Identifier, Title, as_title
from ..engine.validation import Strict
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
    stages: dict[str, int] = Field(description="各环节的工作日 / working days per stage")

    _title = field_validator("title", mode="before")(as_title)

    @field_validator("stages")
    @classmethod
    def _known_stages(cls, value: dict[str, int]) -> dict[str, int]:
        for name, days in value.items():
            if name not in STAGE_ORDER[1:]:
                raise ValueError(
                    f"未知的环节 “{name}”，可用：{', '.join(STAGE_ORDER[1:])} / "
                    f"unknown stage '{name}'; known: {', '.join(STAGE_ORDER[1:])}"
                )
            if days < 0:
                raise ValueError(
                    f"环节 {name} 的工作日不能为负 / stage {name} cannot have negative days"
                )
        return value


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
