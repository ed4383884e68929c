"""The storage port's contract (fyrules/store_contract.py), run for MemoryStore and for
the minimal adapter that docs/embedding.md shows, taken from the page itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fyrules import MemoryStore
from fyrules.store_contract import StoreContract
from tests import doc_blocks

EMBEDDING = Path(__file__).resolve().parents[2] / "docs" / "embedding.md"


def documented_adapter() -> type:
    """The ``JsonDictStore`` class of docs/embedding.md, compiled from its code block."""
    block = next(b for b in doc_blocks.blocks(EMBEDDING) if "class JsonDictStore" in b.text)
    assert block.action == "python"  # the doc runner runs it too
    namespace: dict[str, Any] = {"__name__": "docs_embedding"}
    exec(compile(block.text, block.where, "exec"), namespace)
    return namespace["JsonDictStore"]


class TestMemoryStore(StoreContract):
    def make_store(self) -> Any:
        return MemoryStore()


class TestTheDocumentedJsonDictStore(StoreContract):
    adapter = documented_adapter()

    def make_store(self) -> Any:
        return self.adapter()
