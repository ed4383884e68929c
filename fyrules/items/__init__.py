"""The item catalog: approval items (审批事项), their public facts, and catalog rules."""

from .catalog import EXTENSION, Catalog, item_context
from .model import DepartmentSpec, Fee, ItemSpec, Material, SpecialProcedure, WindowSpec
from .scope import ITEM_SCOPE

__all__ = [
    "EXTENSION",
    "ITEM_SCOPE",
    "Catalog",
    "DepartmentSpec",
    "Fee",
    "ItemSpec",
    "Material",
    "SpecialProcedure",
    "WindowSpec",
    "item_context",
]
