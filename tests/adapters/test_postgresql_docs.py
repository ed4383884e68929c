"""The PostgreSQL examples of docs/embedding.md run as shown, against a real server: the
Python block (a month continued by a second store) and the partitioned replay's commands
(four writers, then ``trail verify --store`` over their chains and root, the merged ranking,
the diff of what was delivered, and the HTTP service over every partition)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import fyrules
from fyrules.simulation.cases import generate
from tests import doc_blocks

pytestmark = pytest.mark.optional
ROOT = Path(__file__).resolve().parents[2]
EMBEDDING = ROOT / "docs" / "embedding.md"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _block(lang: str, text: str) -> doc_blocks.Block:
    return next(b for b in doc_blocks.blocks(EMBEDDING) if b.lang == lang and text in b.text)


def test_the_python_example_continues_a_month_in_postgresql(pg_url, monkeypatch):
    block = _block("python", "PostgresStore(url)")
    monkeypatch.setenv("FYRULES_STORE", pg_url)
    namespace: dict[str, Any] = {
        "__name__": "docs_embedding",
        "rb": fyrules.load(ROOT / "examples" / "fuyang"),
        "generate": generate,
    }
    exec(compile(block.text, block.where, "exec"), namespace)


def test_the_partitioned_replay_commands_run_as_shown(pg_server, tmp_path):
    from tests.adapters.postgres import create_database, drop_database

    block = _block("bash", "--partition $k/4")
    name, url = create_database(pg_server)  # empty: the block runs db upgrade itself
    try:
        shutil.copytree(ROOT / "examples", tmp_path / "examples")
        bin_dir = str(Path(sys.executable).parent)
        env = {
            **os.environ,
            "FYRULES_STORE": url,
            "PATH": f"{bin_dir}:{os.environ['PATH']}",
        }
        done = subprocess.run(
            # the server's port as shown, unless another run holds it
            ["bash", "-euo", "pipefail", "-c", block.text.replace("8741", str(free_port()))],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert done.returncode == 0, done.stderr
        chains = [line for line in done.stdout.splitlines() if line.startswith("chain ")]
        assert len(chains) == 4 and all("intact" in line for line in chains)
        assert "root: " in done.stdout
        parts = [json.loads((tmp_path / f"part-{k}.json").read_text()) for k in range(4)]
        total = {key: sum(p["summary"][key] for p in parts) for key in parts[0]["summary"]}
        lines = (tmp_path / "month.jsonl").read_text().splitlines()
        assert total["events"] == len(lines) and total["accepted"] > 0
        merged = json.loads((tmp_path / "month.json").read_text())  # the month's one report
        root = next(line for line in done.stdout.splitlines() if "root: " in line)
        assert merged["trail_root"] == root.rsplit("root: ", 1)[1].strip()
        assert merged["summary"]["cases_finished"] == total["cases_finished"]
        # the ranking of the four partitions is that of one replay of the month
        ranking = json.loads((tmp_path / "ranking.json").read_text())
        one = fyrules.load(ROOT / "examples" / "fuyang").score(
            tmp_path / "month.jsonl", month="2025-10"
        )
        assert ranking["rows"] == one.to_dict()["rows"] and ranking["rows"]
        # the diff replayed every event the writers decided
        impact = json.loads((tmp_path / "impact.json").read_text())["impact"]
        assert impact["old"]["counts"]["accepted"] == total["accepted"]
        assert impact["old"]["counts"]["rejected"] == total["rejected"]
        # the server ranks the whole center, as score --store does
        served = json.loads((tmp_path / "served-ranking.json").read_text())
        assert served["rows"] == ranking["rows"]
    finally:
        drop_database(pg_server, name)
