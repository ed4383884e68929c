"""Writing problems and test results for people and for CI: text, JSON, GitHub, SARIF, JUnit."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..._version import __version__
from ..codes import CODES
from ..problems import Lang, Problem
from .runner import TestReport

FORMATS = ("text", "json", "github", "sarif", "junit")


def problems_report(
    problems: Sequence[Problem], fmt: str, *, lang: Lang = "both", tool_target: str = ""
) -> str:
    """Problems of ``fyrules check`` in one of :data:`FORMATS`."""
    if fmt == "text":
        return _text(problems, lang)
    if fmt == "json":
        return json.dumps(
            {
                "target": tool_target,
                "errors": sum(p.severity == "error" for p in problems),
                "warnings": sum(p.severity == "warning" for p in problems),
                "problems": [p.to_dict() for p in problems],
            },
            ensure_ascii=False,
            indent=2,
        )
    if fmt == "github":
        return "\n".join(_github(p, lang) for p in problems)
    if fmt == "sarif":
        return json.dumps(_sarif(problems, lang, tool_target), ensure_ascii=False, indent=2)
    if fmt == "junit":
        return _junit_problems(problems, lang, tool_target)
    raise ValueError(f"unknown format {fmt!r}")


def tests_report(
    report: TestReport, fmt: str, *, lang: Lang = "both", coverage: bool = False
) -> str:
    """Results of ``fyrules test`` in one of :data:`FORMATS`."""
    problems = [r.problem() for r in report.failures]
    if fmt == "text":
        lines = []
        for r in report.results:
            lines.append(f"{_mark(r.passed, lang)} {r.id}")
            if not r.passed:
                lines.append(f"     {r.problem().format(lang)}")
        n_pass = sum(r.passed for r in report.results)
        n_fail = len(report.results) - n_pass
        lines.append(
            _both(f"{n_pass} 个通过，{n_fail} 个未通过", f"{n_pass} passed, {n_fail} failed", lang)
        )
        if coverage:
            lines.extend(_coverage_text(report, lang))
        return "\n".join(lines)
    if fmt == "json":
        doc: dict[str, Any] = {
            "passed": sum(r.passed for r in report.results),
            "failed": len(report.failures),
            "results": [
                {
                    "id": r.id,
                    "passed": r.passed,
                    "path": r.location.path,
                    "line": r.location.line,
                    "message_zh": r.message_zh,
                    "message_en": r.message_en,
                    "fired": list(r.fired),
                }
                for r in report.results
            ],
        }
        if coverage:
            doc["coverage"] = report.coverage.to_dict()
        return json.dumps(doc, ensure_ascii=False, indent=2)
    if fmt == "junit":
        return _junit_tests(report, lang)
    return problems_report(problems, fmt, lang=lang)


def _both(zh: str, en: str, lang: Lang) -> str:
    """One report line in the language asked for (``both``: Chinese, then English)."""
    if lang == "zh":
        return zh
    if lang == "en":
        return en
    return f"{zh} / {en}"


def _mark(passed: bool, lang: Lang) -> str:
    if lang == "zh":
        return "通过" if passed else "失败"
    return "PASS" if passed else "FAIL"


def _coverage_text(report: TestReport, lang: Lang = "both") -> list[str]:
    cov = report.coverage
    rules = f"{len(cov.rules_covered)}/{len(cov.rules_total)}"
    rows = f"{len(cov.table_rows_covered)}/{cov.table_rows_total}"
    provisions = f"{len(cov.provisions_covered)}/{len(cov.provisions_total)}"
    out = [
        _both(
            f"覆盖率：规则和决策表行的 {cov.percent:.1f}%（规则 {rules}，决策表行 {rows}）",
            f"coverage: {cov.percent:.1f}% of rules and decision-table rows "
            f"({rules} rules, {rows} table rows)",
            lang,
        ),
        _both(
            f"测试涉及的法律条文：{provisions}（{cov.provisions_percent:.1f}%）",
            f"legal provisions exercised: {provisions} ({cov.provisions_percent:.1f}%)",
            lang,
        ),
    ]
    uncovered = sorted(set(cov.rules_total) - set(cov.rules_covered))
    if uncovered:
        listed = ", ".join(uncovered)
        out.append(
            _both(f"没有测试触发的规则：{listed}", f"rules no test makes fire: {listed}", lang)
        )
    missing = sorted(set(cov.provisions_total) - set(cov.provisions_covered))
    for provision in missing:
        out.append("  " + _both(f"未涉及：{provision}", f"not exercised: {provision}", lang))
    return out


def _text(problems: Sequence[Problem], lang: Lang) -> str:
    lines = [p.format(lang) for p in problems]
    errors = sum(p.severity == "error" for p in problems)
    warnings = sum(p.severity == "warning" for p in problems)
    if lang == "en":
        lines.append(f"{errors} error(s), {warnings} warning(s)")
    elif lang == "zh":
        lines.append(f"{errors} 个错误，{warnings} 个警告")
    else:
        lines.append(
            f"{errors} 个错误，{warnings} 个警告 / {errors} error(s), {warnings} warning(s)"
        )
    return "\n".join(lines)


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def _github(p: Problem, lang: Lang) -> str:
    level = {"error": "error", "warning": "warning"}.get(p.severity, "notice")
    props = []
    if p.path:
        props.append(f"file={_gh_escape(p.path, True)}")
    if p.line:
        props.append(f"line={p.line}")
    if p.column:
        props.append(f"col={p.column}")
    props.append(f"title={_gh_escape(p.code + (' ' + p.rule if p.rule else ''), True)}")
    return f"::{level} {','.join(props)}::{_gh_escape(p.message(lang))}"


def _first_line(target: str) -> str:
    """Where a problem without a place is shown: the rulebook's manifest (or the file checked)."""
    if not target:
        return "rulebook.yaml"
    path = Path(target)
    return str(path / "rulebook.yaml") if path.is_dir() or not path.suffix else target


def _sarif(problems: Sequence[Problem], lang: Lang, target: str = "") -> dict[str, Any]:
    used = sorted({p.code for p in problems})
    rules = [
        {
            "id": code,
            "name": code,
            "shortDescription": {"text": f"{CODES[code].title_zh} / {CODES[code].title_en}"}
            if code in CODES
            else {"text": code},
            # not helpUri: code scanning refuses a SARIF whose helpUri is not an absolute URI
            "help": {
                "text": f"见 fyrules 文档 docs/error-codes.md#{code.lower()} / "
                f"see docs/error-codes.md#{code.lower()} in the fyrules docs"
            },
        }
        for code in used
    ]
    results = []
    for p in problems:
        result: dict[str, Any] = {
            "ruleId": p.code,
            "level": {"error": "error", "warning": "warning"}.get(p.severity, "note"),
            "message": {"text": (f"{p.rule}: " if p.rule else "") + p.message(lang)},
        }
        # every result has a place (code scanning drops those without): the file's first line
        path = p.path or _first_line(target)
        region: dict[str, int] = {"startLine": p.line or 1}
        if p.column:
            region["startColumn"] = p.column
        # a URI reference: file names in Chinese or with spaces are percent-encoded
        loc: dict[str, Any] = {"artifactLocation": {"uri": quote(path.replace("\\", "/"))}}
        loc["region"] = region
        result["locations"] = [{"physicalLocation": loc}]
        if p.rule:
            result["properties"] = {"ruleId": p.rule}
        results.append(result)
    driver: dict[str, Any] = {"name": "fyrules", "version": __version__}
    repository = _repository_url()
    if repository:
        driver["informationUri"] = repository
    driver["rules"] = rules
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "results": results,
            }
        ],
    }


def _repository_url() -> str | None:
    """The repository's address as the installed package declares it (``[project.urls]
    Repository`` in pyproject.toml), for SARIF's ``informationUri``; ``None`` when it declares
    none, and then the optional field is left out rather than pointing somewhere else."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        urls = metadata("fyrules").get_all("Project-URL") or []
    except PackageNotFoundError:
        return None
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() in {"repository", "source"} and url.strip().startswith("https://"):
            return url.strip()
    return None


# Characters XML 1.0 does not allow, even escaped: control characters, lone surrogates, U+FFFE/F
# (compiled when XML is first written: a few milliseconds every other report would pay).
_NOT_XML = "[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"


def xml_text(text: str) -> str:
    """``text`` with every character XML cannot hold shown as ``\\uXXXX`` (``sev\\u0001erity``)."""
    return re.sub(_NOT_XML, lambda m: f"\\u{ord(m.group()):04x}", text)


# xml.sax.saxutils is imported when XML is written: it imports urllib.request (and ssl with
# it): start-up time for every command that never writes XML.
def escape(text: str) -> str:
    from xml.sax.saxutils import escape as _escape

    return _escape(xml_text(text))


def quoteattr(text: str) -> str:
    from xml.sax.saxutils import quoteattr as _quoteattr

    return _quoteattr(xml_text(text))


def _junit_problems(problems: Sequence[Problem], lang: Lang, target: str) -> str:
    errors = [p for p in problems if p.severity == "error"]
    name = quoteattr(f"fyrules check {target}".strip())
    cases = []
    if not errors:
        cases.append(f'  <testcase classname="fyrules.check" name={name}/>')
    for p in errors:
        case_name = quoteattr(f"{p.location or ''} {p.code}")
        cases.append(
            f'  <testcase classname="fyrules.check" name={case_name}>'
            f"<failure message={quoteattr(p.code)}>{escape(p.format(lang))}</failure></testcase>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuite name={name} tests="{max(1, len(errors))}" failures="{len(errors)}">\n'
        + "\n".join(cases)
        + "\n</testsuite>"
    )


def _junit_tests(report: TestReport, lang: Lang) -> str:
    cases = []
    for r in report.results:
        name = quoteattr(r.id)
        time = f"{r.seconds:.6f}"
        if r.passed:
            cases.append(f'  <testcase classname="fyrules.test" name={name} time="{time}"/>')
        else:
            cases.append(
                f'  <testcase classname="fyrules.test" name={name} time="{time}">'
                f'<failure message="TEST-FAILED">{escape(r.problem().format(lang))}</failure>'
                "</testcase>"
            )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuite name="fyrules test" tests="{len(report.results)}" '
        f'failures="{len(report.failures)}">\n' + "\n".join(cases) + "\n</testsuite>"
    )
