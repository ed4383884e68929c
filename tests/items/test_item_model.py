"""The item model at the border: YAML round trips and the JSON Schema editors use."""

from __future__ import annotations

import yaml
from hypothesis import given
from hypothesis import strategies as st

from fyrules.engine.load.source import parse_yaml
from fyrules.engine.load.validation import validate
from fyrules.engine.load.yaml_pyyaml import CoreDumper
from fyrules.items import ItemSpec

text = st.text(
    alphabet=st.characters(
        categories=("L", "N", "P", "Zs"), exclude_characters="\x00\x85\u2028\u2029"
    ),
    min_size=1,
    max_size=15,
)
codes = st.from_regex(r"[A-Z]{2}-[A-Z]{2}-[0-9]{3}", fullmatch=True)
days = st.none() | st.integers(0, 60)

items = st.builds(
    dict,
    code=codes,
    name=st.builds(dict, zh=text, en=text),
    department=st.sampled_from(["SC", "ZJ"]),
    window=st.none() | st.sampled_from(["W01", "W02"]),
    type=st.sampled_from(["immediate", "commitment", "joint", "report_up"]),
    section=st.none() | text,
    legal_basis=st.none() | text,
    conditions=st.lists(text, max_size=3),
    procedure=st.lists(text, max_size=4),
    statutory_days=days,
    committed_days=days,
    committed_hours=st.none() | st.sampled_from([0.5, 1.5, 4.0]),
    special_procedures=st.lists(
        st.builds(
            dict,
            name=st.sampled_from(["inspection", "expert_review"]),
            max_days=days,
            counted=st.booleans(),
        ),
        max_size=2,
    ),
    materials=st.lists(
        st.builds(
            dict,
            name=text,
            required=st.booleans(),
            original=st.booleans(),
            copies=st.integers(0, 5),
            note=st.none() | text,
        ),
        max_size=4,
    ),
    fee=st.builds(dict, charged=st.booleans(), standard=st.none() | text, basis=st.none() | text),
    form=st.none()
    | st.builds(dict, name=text, url=st.none() | st.just("https://example.org/form.docx")),
    consult_phone=st.none() | st.from_regex(r"0558-[0-9]{7}", fullmatch=True),
    complaint_phone=st.none() | st.just("12345"),
    online=st.sampled_from(["none", "apply", "full"]),
    authorization=st.sampled_from(["window", "chief", "leader"]),
    one_review_one_approval=st.booleans(),
    centralized=st.booleans(),
    green_channel=st.booleans(),
    depends_on=st.lists(codes, max_size=2),
    parallel_group=st.none() | st.sampled_from(["P1", "P2"]),
)


@given(items)
def test_items_round_trip_through_yaml_and_the_model(data):
    """model → YAML text → the loader's reader → model gives back the same item."""
    item = ItemSpec.model_validate(data)
    dumped = yaml.dump(
        {"items": [item.model_dump(mode="json")]},
        Dumper=CoreDumper,
        allow_unicode=True,
        sort_keys=False,
    )
    doc, problems = parse_yaml(dumped, "items.yaml")
    assert problems == [] and doc is not None
    again, problems = validate(ItemSpec, doc.data["items"][0], doc.source, ("items", 0))
    assert problems == []
    assert again == item


def test_item_schema_documents_every_field_in_both_languages():
    schema = ItemSpec.model_json_schema()
    props = schema["properties"]
    assert {"code", "legal_basis", "materials", "fee", "consult_phone", "complaint_phone"} <= set(
        props
    )
    undocumented = [
        k
        for k, v in props.items()
        if "description" not in v
        and "$ref" not in v
        and k not in {"special_procedures", "materials", "name"}
    ]
    assert undocumented == []
