"""The supervision board (电子监察): every open case's light as of a moment, counted per
department and window, the stages over their budget with who is responsible, and one case's
view for a supervisor. Run on the store's thread (:meth:`CaseService.run`).

A case's light is the most severe finding its case rules give as of the moment, with the
findings recorded for it (a recusal …): ``info`` is a prompt (提示), ``warning`` a yellow
light (黄灯), ``error`` a red light (红灯); a case with none is green. The rules and their
severities are the rulebook's (for Fuyang: FY-PROMPT, FY-YELLOW-CARD, FY-RED-CARD).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from .service import CaseService

LIGHTS = ("green", "prompt", "yellow", "red")
_BY_SEVERITY = {"info": "prompt", "warning": "yellow", "error": "red"}


def light_of(findings: Iterable[Mapping[str, Any]]) -> str:
    """The most severe light of ``findings`` (``green`` for none)."""
    found = [LIGHTS.index(_BY_SEVERITY.get(str(f.get("severity")), "green")) for f in findings]
    return LIGHTS[max(found, default=0)]


def responsible(
    stage: Mapping[str, Any], actors: Mapping[str, Any], order: list[str]
) -> dict[str, Any]:
    """Who answers for ``stage``: the people recorded acting at it; for a stage nobody has
    acted at yet, the people of the stage before it, who handed the case on."""
    acted = list(actors.get(stage["name"]) or ())
    if acted:
        return {"people": acted, "handed_over": False}
    position = order.index(stage["name"]) if stage["name"] in order else 0
    before = list(actors.get(order[position - 1]) or ()) if position > 0 else []
    return {"people": before, "handed_over": True}


def _case_view(
    service: CaseService, state: Mapping[str, Any], as_of: dt.datetime
) -> dict[str, Any]:
    case = str(state.get("case"))
    clock = service.monitor_of(case).case_clock(state, as_of)
    findings = list(service.store_of(case).findings(case))
    timing: dict[str, Any] = {}
    stages: list[dict[str, Any]] = []
    if clock is not None:
        timing = clock.to_dict()
        findings.extend(
            f.to_dict()
            for f in service.rulebook.evaluate(
                "case", clock.to_context(), on=clock.accepted_on, at=clock.as_of
            )
        )
        stages = timing.pop("stages")
        timing.pop("pauses", None)
    actors = state.get("actors") or {}
    order = [s["name"] for s in stages]
    for stage in stages:
        stage["responsible"] = responsible(stage, actors, order)
    item = service.rulebook.items.items.get(str(state.get("item")))
    return {
        "case": case,
        "item": state.get("item"),
        "item_name": None if item is None else {"zh": item.name.zh, "en": item.name.en},
        "dept": state.get("dept"),
        "window": state.get("window"),
        "stage": state.get("stage"),
        "paused": bool(state.get("paused")),
        "accepted_at": state.get("accepted_at"),
        "clock": timing,
        "stages": stages,
        "findings": findings,
        "light": light_of(findings),
    }


def supervision_board(
    service: CaseService, as_of: dt.datetime, allowed: tuple[str, ...]
) -> dict[str, Any]:
    """Open cases (of the ``allowed`` departments, all when empty) as of ``as_of``: the
    counts per department and window by light, the lit cases (red first), and the stages
    over their budget with who is responsible."""
    counts: dict[tuple[str, str], dict[str, int]] = {}
    lit: list[dict[str, Any]] = []
    late: list[dict[str, Any]] = []
    for _case, state in service.open_cases():  # every partition: the whole center
        dept = str(state.get("dept") or "")
        if allowed and dept not in allowed:
            continue
        view = _case_view(service, state, as_of)
        row = counts.setdefault(
            (dept, str(view["window"] or "")), dict.fromkeys(("open", *LIGHTS), 0)
        )
        row["open"] += 1
        row[view["light"]] += 1
        if view["light"] != "green":
            lit.append(view)
        late.extend({"case": view, "stage": s} for s in view["stages"] if s.get("over"))
    lit.sort(key=lambda v: (-LIGHTS.index(v["light"]), v["case"]))
    late.sort(key=lambda x: (-x["stage"]["over"], x["case"]["case"]))
    catalog = service.rulebook.items
    rows: list[dict[str, Any]] = [
        {
            "dept": d,
            "window": w,
            "dept_name": _name(catalog.departments.get(d)),
            "window_name": _name(catalog.windows.get(w)),
            **c,
        }
        for (d, w), c in sorted(counts.items())
    ]
    total = {k: sum(c[k] for c in counts.values()) for k in ("open", *LIGHTS)}
    return {"as_of": as_of, "rows": rows, "total": total, "lit": lit, "late": late}


def _name(spec: Any) -> dict[str, Any] | None:
    return None if spec is None else {"zh": spec.name.zh, "en": spec.name.en}


def case_view(service: CaseService, case: str, as_of: dt.datetime) -> dict[str, Any] | None:
    """One open case as the board sees it (``None`` when it is not open)."""
    state = service.store_of(case).get_case(case)
    return None if state is None else _case_view(service, state, as_of)
