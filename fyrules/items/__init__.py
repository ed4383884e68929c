"""The item catalog: approval items (审批事项), their public facts, and catalog rules."""

from .catalog import EXTENSION, Catalog, item_context
from .model import (
    DepartmentSpec,
    Fee,
    Form,
    ItemSpec,
    ItemTypeSpec,
    Material,
    ProcedureSpec,
    SpecialProcedure,
    WindowSpec,
)
from .scope import ITEM_SCOPE
from .statistics import CatalogStatistics, Share, catalog_statistics

__all__ = [
    "EXTENSION",
    "ITEM_SCOPE",
    "Catalog",
    "CatalogStatistics",
    "DepartmentSpec",
    "Fee",
    "Form",
    "ItemSpec",
    "ItemTypeSpec",
    "Material",
    "ProcedureSpec",
    "Share",
    "SpecialProcedure",
    "WindowSpec",
    "catalog_statistics",
    "item_context",
]
