"""The compile pipeline, the engine's last stage: a rulebook folder read (:mod:`.load`), its
parameters, decision tables and rules compiled, each extension's part built in order, and the
engine's static checks (decision-table overlaps and gaps, test entries).

:func:`fyrules.load` and :func:`fyrules.check` wrap what this returns into a ``Rulebook``;
the composition of domain extensions stays in ``fyrules/rulebook.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from .expr import DEFAULT_FUNCTIONS, FunctionLibrary
from .extension import BuildContext, Extension
from .functions import lookup_function, param_function
from .load.loader import Layer, Sources, read_sources
from .load.model import Manifest, ParameterSpec, RuleSpec
from .load.sections import Entry, Section
from .parameters import Parameter, compile_parameters, tighten_parameter
from .problems import Problem
from .rules import RuleSet, compile_rules, tighten_rule
from .scopes import ScopeRegistry, with_field_values
from .tables import TableSpec, check_table, table_from_csv, table_from_spec_data
from .testing import TestSpec, check_tests

ENGINE_SECTIONS: tuple[Section, ...] = (
    Section("parameters", ParameterSpec, "参数", "parameters", tighten=tighten_parameter),
    Section("rules", RuleSpec, "规则", "rules", versioned=True, tighten=tighten_rule),
    Section("tables", TableSpec, "决策表", "decision tables", build=table_from_spec_data),
    Section("tests", TestSpec, "测试用例", "rulebook tests"),
)


@attrs.frozen(slots=True)
class Compiled:
    """Everything a rulebook folder compiles to (the fields of ``fyrules.Rulebook``)."""

    manifest: Manifest
    layers: tuple[Layer, ...]
    rules: RuleSet
    tables: Mapping[str, Any]
    parameters: Mapping[str, Parameter]
    scopes: ScopeRegistry
    functions: FunctionLibrary
    sources: Sources
    parts: Mapping[str, Any]
    warnings: tuple[Problem, ...] = ()
    extensions: tuple[Extension, ...] = ()


def compile_rulebook(
    path: Path, extensions: Sequence[Extension]
) -> tuple[Compiled | None, list[Problem]]:
    """The rulebook at ``path`` compiled with ``extensions`` (in build order), and every
    problem found; ``None`` when nothing could be read."""
    exts = tuple(extensions)
    sections = [*ENGINE_SECTIONS, *(s for e in exts for s in e.sections)]
    sources = read_sources(path, sections, csv_tables=table_from_csv)
    problems = list(sources.problems)
    if not sources.layers:
        return None, problems
    scopes = ScopeRegistry.of(s for e in exts for s in e.scopes)
    parameters = compile_parameters(sources.section("parameters"))
    tables = _tables(sources.section("tables"))
    parts: dict[str, Any] = {}
    functions = DEFAULT_FUNCTIONS.extend(param_function(parameters), lookup_function(tables))
    for ext in exts:
        if ext.build is None:
            continue
        result = ext.build(BuildContext(sources, parameters, dict(parts), functions, scopes))
        problems.extend(result.problems)
        parts[ext.name] = result.value
        if result.functions:
            functions = functions.extend(*result.functions)
        scopes = with_field_values(scopes, result.field_values)
    rules, rule_problems = compile_rules(sources.section("rules"), scopes, functions)
    problems.extend(rule_problems)
    compiled = Compiled(
        manifest=sources.top.manifest,
        layers=sources.layers,
        rules=rules,
        tables=tables,
        parameters=parameters,
        scopes=scopes,
        functions=functions,
        sources=sources,
        parts=parts,
        warnings=tuple(p for p in problems if p.severity != "error"),
        extensions=exts,
    )
    return compiled, problems


def engine_checks(compiled: Any) -> list[Problem]:
    """The engine's static checks of a compiled rulebook: decision-table overlaps and gaps,
    and the test entries (unknown scopes, tables, rules, contexts)."""
    problems: list[Problem] = []
    for table in compiled.tables.values():
        problems.extend(check_table(table))
    problems.extend(
        check_tests(
            compiled.sources.section("tests"),
            rules=with_invariants(compiled),
            tables=compiled.tables,
            scopes=compiled.scopes,
        )
    )
    return problems


def with_invariants(compiled: Any) -> RuleSet:
    """The rules and the invariants (``invariants:``), as rulebook tests see them: a test of
    the ``case_history`` or ``person_month`` scope expects the invariants it breaks."""
    invariants = compiled.parts.get("invariants")
    if not invariants:
        return compiled.rules
    return RuleSet({**compiled.rules.versions, **invariants.versions})


def _tables(entries: Iterable[Entry]) -> dict[str, Any]:
    return {e.id: e.spec for e in entries if e.id is not None}
