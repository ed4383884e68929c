"""Catalog statistics: how concentrated, how authorized and how online a center's items are.

The seed's figures are the test vectors: 609 centralized items of 728 is a concentration rate
of 83.65%; 66.7% of window items are decided by the chief of the licensing department.
Rates are fractions of 1; the counts they come from are kept beside them, so a published
figure can always be checked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from .model import ItemSpec

UNCLASSIFIED = "unclassified"  # the class counted for an item that writes no ``category``


@attrs.frozen(slots=True)
class Share:
    """A count out of a total, and its rate (``None`` when the total is 0)."""

    count: int
    total: int

    @property
    def rate(self) -> float | None:
        return None if self.total == 0 else self.count / self.total

    def percent(self, digits: int = 2) -> str:
        """The rate as a percentage, rounded half up: ``83.65%`` (``—`` when undefined)."""
        if self.total == 0:
            return "—"
        scaled = self.count * 100 * 10**digits
        value = (2 * scaled + self.total) // (2 * self.total)  # round half up, exactly
        whole, frac = divmod(value, 10**digits)
        return f"{whole}.{frac:0{digits}d}%" if digits else f"{whole}%"

    def to_dict(self) -> dict[str, Any]:
        return {"count": self.count, "total": self.total, "rate": self.rate}


@attrs.frozen(slots=True)
class CatalogStatistics:
    """Figures of one catalog. ``by_kind`` counts case kinds (immediate, commitment …);
    ``by_authorization`` counts who decides (window, chief, leader)."""

    total: int
    concentration: Share
    window_authorized: Share
    online: Share
    fully_online: Share
    one_review_one_approval: Share
    by_kind: Mapping[str, int]
    by_type: Mapping[str, int]
    by_department: Mapping[str, int]
    by_authorization: Mapping[str, int]
    # items by class (approval, public_service, management; "unclassified" when not written)
    by_class: Mapping[str, int] = attrs.field(factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "concentration": self.concentration.to_dict(),
            "window_authorized": self.window_authorized.to_dict(),
            "online": self.online.to_dict(),
            "fully_online": self.fully_online.to_dict(),
            "one_review_one_approval": self.one_review_one_approval.to_dict(),
            "by_kind": dict(self.by_kind),
            "by_type": dict(self.by_type),
            "by_department": dict(self.by_department),
            "by_authorization": dict(self.by_authorization),
            "by_class": dict(self.by_class),
        }


def catalog_statistics(
    items: Iterable[ItemSpec], kinds: Mapping[str, str] | None = None
) -> CatalogStatistics:
    """Statistics of ``items``; ``kinds`` maps case-type codes to kinds (default: the code).

    - concentration rate (进驻率): centralized items ÷ all items;
    - window authorization (窗口授权): items decided at the window or by the department
      chief there ÷ centralized items;
    - online share (网上办理): items that can at least be applied for online ÷ all items;
      ``fully_online`` counts those handled fully online.
    """
    items = list(items)
    kinds = kinds or {}
    centralized = [i for i in items if i.centralized]
    by_auth = Counter(i.authorization for i in centralized)
    return CatalogStatistics(
        total=len(items),
        concentration=Share(len(centralized), len(items)),
        window_authorized=Share(by_auth["window"] + by_auth["chief"], len(centralized)),
        online=Share(sum(i.online != "none" for i in items), len(items)),
        fully_online=Share(sum(i.online == "full" for i in items), len(items)),
        one_review_one_approval=Share(sum(i.one_review_one_approval for i in items), len(items)),
        by_kind=dict(Counter(kinds.get(i.type, i.type) for i in items)),
        by_type=dict(Counter(i.type for i in items)),
        by_department=dict(Counter(i.department for i in items)),
        by_authorization=dict(Counter(i.authorization for i in items)),
        by_class=dict(Counter(i.category or UNCLASSIFIED for i in items)),
    )
