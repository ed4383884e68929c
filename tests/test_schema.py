"""The JSON Schema editors use accepts every rule file we ship and refuses typos."""

from __future__ import annotations

from pathlib import Path

import pytest

from fyrules.engine.load.loader import ASSESSMENTS_FOLDER
from fyrules.engine.load.yaml_pyyaml import CoreLoader
from fyrules.schema import rule_file_schema

jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is in the test extra")

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(
    p
    for folder in (ROOT / "examples" / "fuyang", ROOT / "fyrules" / "baseline")
    for p in folder.rglob("*.yaml")
    if ASSESSMENTS_FOLDER not in p.relative_to(folder).parts[:1]  # data, not rule files
)


@pytest.fixture(scope="module")
def validator():
    schema = rule_file_schema()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _load(path: Path):
    import yaml

    return yaml.load(path.read_text(encoding="utf-8"), Loader=CoreLoader)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_shipped_rule_file_is_valid_against_the_schema(validator, path):
    errors = sorted(validator.iter_errors(_load(path)), key=lambda e: list(e.path))
    assert [f"{list(e.path)}: {e.message}" for e in errors[:5]] == []


def test_the_schema_refuses_a_misspelled_key(validator):
    document = {
        "rules": [
            {
                "id": "R",
                "title": "t",
                "basis": "b",
                "scope": "item",
                "condition": "True",
                "message": {"zh": "a", "en": "b"},
                "severty": "error",
            }
        ]
    }
    assert any("severty" in e.message for e in validator.iter_errors(document))
