"""The loader: files, YAML safety, structure errors at their positions, extends and layering."""

from __future__ import annotations

from pathlib import Path

from fyrules.engine.compile import ENGINE_SECTIONS
from fyrules.engine.load.loader import read_sources
from fyrules.rulebook import default_extensions
from tests.helpers import codes, write_rulebook

SECTIONS = (*ENGINE_SECTIONS, *(s for e in default_extensions() for s in e.sections))

RULE = """\
rules:
  - id: R-1
    title: 测试
    basis: 第一条
    scope: item
    condition: "true"
    message: {zh: 甲, en: a}
"""


def read(root: Path):
    return read_sources(root, SECTIONS)


def test_a_valid_rulebook_reads_without_problems(tmp_path):
    sources = read(write_rulebook(tmp_path, {"rules/a.yaml": RULE}))
    assert sources.problems == ()
    assert [e.id for e in sources.section("rules")] == ["R-1"]
    assert sources.section("rules")[0].location.line == 2


def test_missing_folder_is_file_not_found(tmp_path):
    sources = read(tmp_path / "nowhere")
    assert codes(sources.problems) == ["FILE-NOT-FOUND"]
    assert sources.layers == ()


def test_folder_without_manifest_is_file_not_found(tmp_path):
    (tmp_path / "rules.yaml").write_text(RULE, encoding="utf-8")
    assert codes(read(tmp_path).problems) == ["FILE-NOT-FOUND"]


def test_yaml_syntax_error_names_line_and_column(tmp_path):
    sources = read(write_rulebook(tmp_path, {"rules/a.yaml": "rules:\n  - id: [R-1\n"}))
    (problem,) = sources.problems
    assert problem.code == "YAML-SYNTAX"
    assert problem.path.endswith("rules/a.yaml")
    # at the bracket never closed, not at the end of the file where libyaml notices
    assert (problem.line, problem.column) == (2, 9)
    assert "没有用 “]” 闭合" in problem.message_zh


def test_unknown_key_suggests_the_right_one(tmp_path):
    text = RULE.replace("    basis:", "    severty: error\n    basis:")
    (problem,) = read(write_rulebook(tmp_path, {"a.yaml": text})).problems
    assert problem.code == "UNKNOWN-KEY"
    assert "severity" in problem.message_en and "severity" in problem.message_zh
    assert (problem.line, problem.column) == (4, 5)
    assert problem.rule == "R-1"


def test_unknown_top_level_key_suggests_a_section(tmp_path):
    (problem,) = read(
        write_rulebook(tmp_path, {"a.yaml": RULE.replace("rules:", "rulez:")})
    ).problems
    assert problem.code == "UNKNOWN-KEY"
    assert "'rules'" in problem.message_en


def test_wrong_type_is_reported_at_the_value(tmp_path):
    text = RULE.replace("message: {zh: 甲, en: a}", "message: 42")
    (problem,) = read(write_rulebook(tmp_path, {"a.yaml": text})).problems
    assert problem.code == "WRONG-TYPE"
    assert problem.line == 7 and problem.column == 14


def test_rule_without_basis_is_missing_basis(tmp_path):
    text = RULE.replace("    basis: 第一条\n", "")
    (problem,) = read(write_rulebook(tmp_path, {"a.yaml": text})).problems
    assert problem.code == "MISSING-BASIS"
    assert problem.rule == "R-1"


def test_duplicate_parameter_ids_in_one_rulebook(tmp_path):
    params = """\
    parameters:
      - {id: p, title: 甲, value: 1, basis: 一}
      - {id: p, title: 乙, value: 2, basis: 二}
    """
    (problem,) = read(write_rulebook(tmp_path, {"p.yaml": params})).problems
    assert problem.code == "DUPLICATE-ID"
    assert problem.line == 3


def test_duplicate_yaml_key(tmp_path):
    text = RULE.replace("    scope: item\n", "    scope: item\n    scope: case\n")
    assert "YAML-DUPLICATE-KEY" in codes(read(write_rulebook(tmp_path, {"a.yaml": text})).problems)


def test_aliases_and_python_tags_are_refused(tmp_path):
    bomb = 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: [*b,*b]\n'
    tag = "rules: !!python/object/apply:os.system ['echo hacked']\n"
    problems = read(write_rulebook(tmp_path, {"bomb.yaml": bomb, "tag.yaml": tag})).problems
    assert sorted(codes(problems)) == ["YAML-ALIAS", "YAML-TAG"]


def test_file_that_is_not_utf8_is_unreadable(tmp_path):
    write_rulebook(tmp_path, {})
    (tmp_path / "bad.yaml").write_bytes("rules: []\n# 注释".encode("gbk"))
    (problem,) = read(tmp_path).problems
    assert problem.code == "FILE-UNREADABLE"
    assert problem.line == 2


def test_extends_cycle_is_reported(tmp_path):
    write_rulebook(tmp_path / "a", {}, rulebook_id="a", extends="../b")
    write_rulebook(tmp_path / "b", {}, rulebook_id="b", extends="../a")
    problems = read(tmp_path / "a").problems
    assert codes(problems) == ["EXTENDS-CYCLE"]
    assert "→" in problems[0].message_zh


def test_extends_unknown_builtin_suggests_one(tmp_path):
    (problem,) = read(write_rulebook(tmp_path, {}, extends="nationl")).problems
    assert problem.code == "EXTENDS-NOT-FOUND"
    assert "'national'" in problem.message_en


def test_extends_builtin_national_brings_its_parameters(tmp_path):
    sources = read(write_rulebook(tmp_path, {}, extends="national"))
    assert sources.problems == ()
    assert [layer.id for layer in sources.layers] == ["national", "t"]
    assert "decision_days" in {e.id for e in sources.section("parameters")}


def test_a_local_parameter_may_tighten(tmp_path):
    params = "parameters:\n  - {id: decision_days, title: 决定期限, value: 15, tighten: lower, basis: 本市规定}\n"
    sources = read(write_rulebook(tmp_path, {"p.yaml": params}, extends="national"))
    assert sources.problems == ()
    (entry,) = [e for e in sources.section("parameters") if e.id == "decision_days"]
    assert entry.spec.value == 15 and entry.layer == "t"


def test_loosening_a_parameter_names_both_files(tmp_path):
    params = "parameters:\n  - {id: decision_days, title: 决定期限, value: 25, tighten: lower, basis: 本市规定}\n"
    (problem,) = read(write_rulebook(tmp_path, {"p.yaml": params}, extends="national")).problems
    assert problem.code == "LOOSENED"
    assert problem.path.endswith("p.yaml")
    assert "baseline/national/rulebook.yaml" in problem.message_en


def test_lowering_a_rule_severity_is_loosening(tmp_path):
    write_rulebook(tmp_path / "city", {"r.yaml": RULE}, rulebook_id="city")
    lowered = RULE.replace("    scope: item", "    severity: warning\n    scope: item")
    problems = read(
        write_rulebook(
            tmp_path / "town", {"r.yaml": lowered}, rulebook_id="town", extends="../city"
        )
    ).problems
    assert codes(problems) == ["LOOSENED"]
    assert "city/r.yaml" in problems[0].message_en


def test_three_layers_stack_in_order(tmp_path):
    write_rulebook(tmp_path / "city", {}, rulebook_id="city", extends="national")
    sources = read(write_rulebook(tmp_path / "town", {}, rulebook_id="town", extends="../city"))
    assert [layer.id for layer in sources.layers] == ["national", "city", "town"]


def test_rule_versions_may_share_an_id(tmp_path):
    two = RULE + RULE.replace("rules:\n", "").replace(
        "    title: 测试", "    title: 测试\n    valid_from: 2026-01-01"
    )
    sources = read(write_rulebook(tmp_path, {"a.yaml": two}))
    assert sources.problems == ()
    assert len(sources.section("rules")) == 2


def test_rule_without_condition_is_missing_key(tmp_path):
    text = RULE.replace('    condition: "true"\n', "")
    (problem,) = read(write_rulebook(tmp_path, {"a.yaml": text})).problems
    assert problem.code == "MISSING-KEY"
    assert "condition" in problem.message_en


def test_csv_outside_tables_is_a_warning(tmp_path):
    root = write_rulebook(tmp_path, {})
    (root / "limits.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (problem,) = read(root).problems
    assert (problem.code, problem.severity) == ("UNKNOWN-FILE-KIND", "warning")
