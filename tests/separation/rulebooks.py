"""Rule-file text the separation tests share."""

from __future__ import annotations

# Two departments, one commitment item each: the smallest catalog a separation policy can
# name a licensing department and another department in.
CATALOG = """\
departments:
  - {id: SC, name: 市场监管局}
  - {id: ZJ, name: 住建局}
items:
  - {code: SC-1, name: 食品经营许可, department: SC, type: CN}
  - {code: ZJ-1, name: 施工许可, department: ZJ, type: CN}
item_types:
  - {id: CN, kind: commitment, name: 承诺件}
"""
