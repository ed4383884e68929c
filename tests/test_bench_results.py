"""benchmarks/RESULTS.md's format: what `make bench` writes (nothing here times anything)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

RUN = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"


def _run_module():
    spec = importlib.util.spec_from_file_location("bench_run", RUN)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_results_list_the_machine_every_verdict_and_each_output():
    run = _run_module()
    about = {"cpu": "Example CPU", "cores": "2", "load average (1, 5, 15 min) before": "1 2 3"}
    outputs = [
        ("bench_a", "rate 10/s\n  ratio 4.5x (target at least 3x): meets\n", 1.25),
        ("bench_b", "a: 1.2 s\nlinear: yes (target < 10 s: MISSES)\nother: meetsx\n", 2.0),
        ("bench_c", "figures without a target\n", 0.5),
        ("bench_d", "peak 961 MB (bar 500 MB: MISSED)\n", 3.0),
    ]
    text = run.render(about, outputs)
    lines = text.splitlines()
    assert lines[0] == "# Benchmark results"
    assert "| cpu | Example CPU |" in lines
    assert "| load average (1, 5, 15 min) before | 1 2 3 |" in lines
    verdicts = lines[lines.index("## Verdicts") :]
    assert "| bench_a | ratio 4.5x (target at least 3x): meets |" in verdicts
    assert "| bench_b | linear: yes (target < 10 s: MISSES) |" in verdicts
    assert "| bench_c | (no target) |" in verdicts
    assert "| bench_d | peak 961 MB (bar 500 MB: MISSED) |" in verdicts
    assert not any("meetsx" in line for line in verdicts[: verdicts.index("## bench_a (1.2 s)")])
    start = lines.index("## bench_b (2.0 s)")
    assert lines[start + 1 : start + 7] == [
        "",
        "```",
        "a: 1.2 s",
        "linear: yes (target < 10 s: MISSES)",
        "other: meetsx",
        "```",
    ]


def test_every_benchmark_module_listed_exists_and_has_a_main():
    run = _run_module()
    for name in run.BENCHMARKS:
        source = (RUN.parent / f"{name}.py").read_text(encoding="utf-8")
        assert "\ndef main(" in source, name
