"""`fyrules check` on a generated rulebook of 10,000 items and 200 rules (target: under 2 s).

Run: ``python benchmarks/bench_check.py [--items N] [--rules N]``. The rulebook is written to a
temporary folder; the figure is the wall time of :func:`fyrules.check`, which is what the
command does after start-up, best of three runs.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path
from typing import Any

TYPES = ["immediate", "commitment", "joint", "report_up"]
CONDITIONS = [
    "committed_days is not None and committed_days > {n}",
    'type == "{t}" and statutory_days is not None and statutory_days > {n}',
    "fee.charged and fee.basis is None",
    "len(materials) > {n}",
    "any(m.copies > {n} for m in materials)",
    "consult_phone is None or complaint_phone is None",
    "one_review_one_approval and count(p for p in special_procedures if not p.counted) > {n}",
    'online == "none" and authorization == "leader" and {n} > 3',
]


def generate(root: Path, n_items: int, n_rules: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    (root / "rulebook.yaml").write_text(
        'rulebook: bench\nname: {zh: 基准, en: Benchmark}\njurisdiction: 测试\nversion: "1"\n'
        "extends: national\n",
        encoding="utf-8",
    )
    depts = [f"D{i:02d}" for i in range(40)]
    lines = ["departments:"]
    lines += [f"  - {{id: {d}, name: 部门{d}}}" for d in depts]
    lines.append("windows:")
    lines += [f"  - {{id: W{d}, name: 窗口{d}, department: {d}}}" for d in depts]
    (root / "departments.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    items_dir = root / "items"
    items_dir.mkdir(exist_ok=True)
    per_file = 500
    for start in range(0, n_items, per_file):
        out = ["items:"]
        for i in range(start, min(n_items, start + per_file)):
            d = rng.choice(depts)
            t = rng.choice(TYPES)
            statutory = rng.choice([5, 10, 15, 20])
            committed = 0 if t == "immediate" else rng.randint(1, statutory)
            out += [
                f"  - code: B-{i:05d}",
                f"    name: {{zh: 基准事项{i}, en: Benchmark item {i}}}",
                f"    department: {d}",
                f"    window: W{d}",
                f"    type: {t}",
                f"    statutory_days: {statutory}",
                f"    committed_days: {committed}",
                "    materials:",
                "      - {name: 申请书, required: true, original: true, copies: 1}",
                "      - {name: 身份证明, required: true, original: false, copies: 1}",
                "    special_procedures:",
                "      - {name: inspection, max_days: 5, counted: false}",
                "    fee: {charged: false}",
                "    consult_phone: 0558-1",
                "    complaint_phone: 0558-2",
                f"    online: {rng.choice(['none', 'apply', 'full'])}",
                f"    authorization: {rng.choice(['window', 'chief', 'leader'])}",
            ]
            if t == "joint":
                out.append(f"    lead_window: W{d}")
        (items_dir / f"items-{start // per_file:03d}.yaml").write_text(
            "\n".join(out) + "\n", encoding="utf-8"
        )
    rules = ["rules:"]
    for r in range(n_rules):
        cond = CONDITIONS[r % len(CONDITIONS)].format(n=rng.randint(20, 40), t=rng.choice(TYPES))
        rules += [
            f"  - id: BENCH-{r:03d}",
            f"    title: 基准规则{r}",
            f"    basis: 基准依据第{r}条",
            "    severity: warning",
            "    scope: item",
            f"    condition: '{cond}'",
            "    message: {zh: 基准, en: benchmark}",
        ]
    (root / "rules.yaml").write_text("\n".join(rules) + "\n", encoding="utf-8")
    return root


def run(n_items: int = 10_000, n_rules: int = 200, repeat: int = 3) -> dict[str, Any]:
    import fyrules

    with tempfile.TemporaryDirectory() as tmp:
        root = generate(Path(tmp) / "bench", n_items, n_rules)
        best = float("inf")
        result = None
        for _ in range(repeat):
            started = time.perf_counter()
            result = fyrules.check(root)
            best = min(best, time.perf_counter() - started)
        assert result is not None
        errors = [p for p in result.problems if p.severity == "error"]
        if errors:
            raise SystemExit(f"generated rulebook has errors: {errors[:3]}")
    return {
        "items": n_items,
        "rules": n_rules,
        "seconds": best,
        "target_seconds": 2.0,
        "findings": len(result.problems),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--rules", type=int, default=200)
    args = parser.parse_args(argv)
    figures = run(args.items, args.rules)
    verdict = "meets" if figures["seconds"] < figures["target_seconds"] else "MISSES"
    print(
        f"fyrules check: {figures['items']} items, {figures['rules']} rules in "
        f"{figures['seconds']:.2f} s (best of 3; target < {figures['target_seconds']:.0f} s: {verdict})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
