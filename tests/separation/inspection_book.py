"""A small rulebook with an inspection policy, for the inspection tests."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import write_rulebook
from tests.separation.rulebooks import CATALOG

PEOPLE = """\
roles:
  - {id: inspector, name: 抽查}
persons:
  - {id: i-sc, name: 甲, department: SC}
  - {id: i-zj, name: 乙, department: ZJ}
  - {id: i-c, name: 丙}
  - {id: i-old, name: 丁}
assignments:
  - {person: i-sc, role: inspector, scope: {center: true}}
  - {person: i-zj, role: inspector, scope: {center: true}}
  - {person: i-c, role: inspector, scope: {center: true}}
  - {person: i-old, role: inspector, scope: {center: true}, valid_to: 2025-06-30}
history_constraints:
  - id: T-HANDLER-NO-INSPECT
    title: 经办人不得抽查
    stages: [handling, inspect]
    same: person
    basis: 审管分离制度
  - id: T-LICENSING-DEPT-NO-INSPECT
    title: 许可部门不抽查本部门事项
    stages: [inspect]
    same: licensing_department
    basis: 许可部门不监管
"""

INSPECTION = """\
inspection:
  id: T-INSPECTION
  title: 抽查
  basis: 双随机
  public_value: {{name: 公开数值, basis: 抽查方案}}
  sampling:
    rate: {rate}
    minimum: {minimum}
    basis: 抽查方案
  capacity:
    default: {capacity}
    basis: 抽查方案
    persons:
      - {{person: i-c, cases: {central}, basis: 兼职}}
  rectification: {{working_days: 5, basis: 通报制度}}
  categories:
    - {{id: quality, name: {{zh: 质量, en: Quality}}, basis: 审管分离制度}}
    - {{id: legality, name: {{zh: 合法性, en: Legality}}, basis: 审管分离制度}}
"""


def small_rulebook(
    root: Path, *, rate: str = "0.5", minimum: int = 1, capacity: int = 2, central: int = 1
) -> Path:
    """SC and ZJ license one item each; i-sc (SC), i-zj (ZJ) and i-c (the center) inspect the
    whole center, i-c taking ``central`` cases a month, the others ``capacity``; i-old's
    inspector role ended in June 2025. No one inspects a case they handled, nor a case of
    their own department."""
    return write_rulebook(
        root,
        {
            "catalog.yaml": CATALOG,
            "people.yaml": PEOPLE,
            "inspection.yaml": INSPECTION.format(
                rate=rate, minimum=minimum, capacity=capacity, central=central
            ),
        },
    )
