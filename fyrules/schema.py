"""JSON Schema of rule files, for editors (VS Code's YAML extension and others).

One schema covers every YAML file of a rulebook: the manifest keys of ``rulebook.yaml`` and
every section the composed extensions read. Point an editor at it with a modeline::

    # yaml-language-server: $schema=./fyrules.schema.json
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ConfigDict, Field, create_model

from ._version import __version__
from .engine.extension import Extension
from .engine.load.model import Manifest


def rule_file_schema(extensions: Sequence[Extension] | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a rule file of the composed extensions."""
    from .engine.compile import ENGINE_SECTIONS
    from .rulebook import default_extensions

    exts = default_extensions() if extensions is None else extensions
    sections = [*ENGINE_SECTIONS, *(s for e in exts for s in e.sections)]
    fields: dict[str, Any] = {}
    for name, info in Manifest.model_fields.items():
        annotation: Any = info.annotation  # a type: every manifest field is annotated
        fields[name] = (
            annotation | None,
            Field(default=None, description=info.description),
        )
    for section in sections:
        shape: Any = list[section.model] if section.many else section.model  # type: ignore[name-defined]
        fields[section.key] = (
            shape | None,
            Field(default=None, description=f"{section.title_zh} / {section.title_en}"),
        )
    model = create_model(  # type: ignore[call-overload]
        "RuleFile",
        __config__=ConfigDict(extra="forbid", title="fyrules rule file"),
        **fields,
    )
    schema = model.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://fyrules.invalid/schema/{__version__}/rule-file.json"
    schema["description"] = (
        "fyrules 规则文件：规则集清单与各节（rules、tables、items…） / "
        "fyrules rule file: the rulebook manifest and its sections"
    )
    return schema
