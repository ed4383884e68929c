"""Run the examples of the docs: the rule files they show load, the commands they show print
what they say.

A code block in ``docs/*.md`` or the README is checked when an HTML comment (invisible once
rendered) stands on the line before it:

``<!-- doc-test: file PATH -->``
    the block is the whole content of ``PATH`` (relative to the workspace);
``<!-- doc-test: section PATH -->``
    the block's top-level sections replace the same sections of ``PATH`` (others are kept),
    as a policy officer edits one section of a file;
``<!-- doc-test: run -->``
    a ``console`` block: each ``$ command`` runs in the workspace and must print the lines
    under it (a line ``...`` stands for any number of lines, ``...`` inside a line for any
    text) and exit 0, or the code that a trailing ``# exit N`` names;
``<!-- doc-test: include PATH -->``
    the block shows the file ``PATH`` of the repository, which it must equal;
``<!-- doc-test: excerpt -->``
    the block is part of a file, shown to explain it: it is not checked as a whole file;
``<!-- doc-test: python -->``
    a ``python`` block, run in the workspace (its own ``assert`` lines check it); the Python
    blocks of one document share their names, as one session would.

Each document gets one workspace: a temporary folder holding a copy of ``examples/``, where
its blocks run in order, so a file written by one block is what the next command reads.
``fyrules`` commands run in-process (``fyrules.cli.main``) with ``FYRULES_TODAY`` set to
:data:`DOCS_TODAY`, as docs/policy-guide.md tells readers to set it, so 1 December's calendar
warning never changes an example's output. Other commands: ``cp -r``, ``mkdir -p``, ``python SCRIPT``.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import runpy
import shlex
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
DOCS_TODAY = "2025-10-15"
MARKER = re.compile(r"^<!-- doc-test: (\w+)(?: (\S+))? -->$")
FENCE = re.compile(r"^(`{3,})(\w*)")
EXIT = re.compile(r"\s+#\s*exit (\d+)\s*$")


@dataclass(frozen=True)
class Block:
    """One fenced code block of a document, with the marker before it (if any)."""

    doc: str
    line: int  # line number of the fence, 1-based
    lang: str
    text: str
    action: str | None = None
    target: str | None = None

    @property
    def where(self) -> str:
        return f"{self.doc}:{self.line}"


def blocks(path: Path) -> list[Block]:
    """Every fenced code block of ``path``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out: list[Block] = []
    i = 0
    while i < len(lines):
        fence = FENCE.match(lines[i])
        if not fence:
            i += 1
            continue
        ticks, lang = fence.group(1), fence.group(2)
        start = i
        i += 1
        body: list[str] = []
        while i < len(lines) and not lines[i].startswith(ticks):
            body.append(lines[i])
            i += 1
        marker = MARKER.match(lines[start - 1]) if start > 0 else None
        out.append(
            Block(
                doc=path.relative_to(ROOT).as_posix(),
                line=start + 1,
                lang=lang,
                text="\n".join(body) + "\n",
                action=marker.group(1) if marker else None,
                target=marker.group(2) if marker else None,
            )
        )
        i += 1
    return out


def marked_documents() -> list[Path]:
    """The documents (the docs and the README) with at least one checked block."""
    pages = [*DOCS.rglob("*.md"), ROOT / "README.md"]
    return sorted(p for p in pages if any(b.action for b in blocks(p)))


def command_lines(block: Block) -> list[str]:
    """The ``fyrules …`` command lines of a shell or console block (``$ `` prompts removed,
    comments and continuation lines joined)."""
    out: list[str] = []
    pending = ""
    for raw in block.text.splitlines():
        line = raw[2:] if raw.startswith("$ ") else raw
        if block.lang == "console" and not raw.startswith("$ ") and not pending:
            continue
        line = pending + line
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        pending = ""
        if line.startswith("fyrules "):
            out.append(line)
    return out


def argv_of(command: str) -> list[str]:
    """A command line as the argument list ``fyrules.cli.main`` takes (the shell comment and
    a trailing redirection dropped)."""
    words = shlex.split(EXIT.sub("", command), comments=True)
    if ">" in words:
        words = words[: words.index(">")]
    return words


# --- the workspace ---------------------------------------------------------------------------


@contextlib.contextmanager
def workspace(tmp: Path) -> Iterator[Path]:
    """A copy of ``examples/`` in ``tmp``, the current directory while inside."""
    shutil.copytree(
        ROOT / "examples",
        tmp / "examples",
        ignore=shutil.ignore_patterns("__pycache__"),
        dirs_exist_ok=True,
    )
    before = Path.cwd()
    os.chdir(tmp)
    try:
        yield tmp
    finally:
        os.chdir(before)


def write_file(block: Block, root: Path) -> None:
    path = root / str(block.target)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(block.text, encoding="utf-8")


def replace_sections(block: Block, root: Path) -> None:
    """Replace the top-level sections ``block`` defines in its target file, where the first of
    them stood; keep the rest."""
    path = root / str(block.target)
    keys = set(yaml.safe_load(block.text) or {})
    kept: list[str] = []
    dropping = False
    at = None  # where the first replaced section stood: the new text goes there
    for line in path.read_text(encoding="utf-8").splitlines():
        top = re.match(r"^([A-Za-z_][\w-]*):", line)
        if top:
            dropping = top.group(1) in keys
            if dropping and at is None:
                at = len(kept)
        if not dropping:
            kept.append(line)
    at = len(kept) if at is None else at
    kept[at:at] = [*block.text.rstrip("\n").splitlines(), ""]
    path.write_text("\n".join(kept).rstrip("\n") + "\n", encoding="utf-8")


@contextlib.contextmanager
def _pinned_today() -> Iterator[None]:
    """``FYRULES_TODAY=DOCS_TODAY`` while a documented command runs."""
    before = os.environ.get("FYRULES_TODAY")
    os.environ["FYRULES_TODAY"] = DOCS_TODAY
    try:
        yield
    finally:
        if before is None:
            del os.environ["FYRULES_TODAY"]
        else:
            os.environ["FYRULES_TODAY"] = before


def run_command(command: str) -> tuple[int, str]:
    """Run one documented command in the current directory: its exit code and what it printed
    (standard output, then standard error)."""
    argv = argv_of(command)
    redirect = command.split(" > ", 1)[1].split()[0] if " > " in command else None
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        if argv[0] == "fyrules":
            from fyrules.cli import main

            with _pinned_today():
                code = main(argv[1:])
        elif argv[:2] == ["cp", "-r"]:
            shutil.copytree(argv[2], argv[3])
            code = 0
        elif argv[:2] == ["mkdir", "-p"]:
            Path(argv[2]).mkdir(parents=True, exist_ok=True)
            code = 0
        elif argv[0] == "python":
            code = run_script(argv[1], argv[2:])
        else:
            raise AssertionError(f"the doc runner cannot run: {command}")
    if redirect:
        Path(redirect).write_text(out.getvalue(), encoding="utf-8")
        return code, err.getvalue()
    return code, out.getvalue() + err.getvalue()


def run_script(script: str, args: list[str]) -> int:
    saved = sys.argv
    sys.argv = [script, *args]
    try:
        runpy.run_path(str(ROOT / script), run_name="__main__")
    except SystemExit as exc:
        return int(exc.code or 0)
    finally:
        sys.argv = saved
    return 0


def console_steps(block: Block) -> list[tuple[str, int, list[str]]]:
    """(command, expected exit code, expected output lines) for each ``$`` line."""
    steps: list[tuple[str, int, list[str]]] = []
    for line in block.text.splitlines():
        if line.startswith("$ "):
            command = line[2:]
            code = EXIT.search(command)
            steps.append((command, int(code.group(1)) if code else 0, []))
        elif steps:
            steps[-1][2].append(line)
    return steps


def matches(expected: list[str], actual: list[str]) -> bool:
    """Whether ``actual`` reads as ``expected``, where a line ``...`` stands for any lines and
    ``...`` inside a line for any text."""
    while expected and not expected[-1].strip():
        expected = expected[:-1]
    exp = [e.rstrip() for e in expected]
    act = [a.rstrip() for a in actual]
    pattern = [re.compile(".*".join(map(re.escape, e.split("...")))) for e in exp]

    def at(i: int, j: int) -> bool:
        if i == len(exp):
            return j == len(act)
        if exp[i] == "...":
            return any(at(i + 1, k) for k in range(j, len(act) + 1))
        return j < len(act) and pattern[i].fullmatch(act[j]) is not None and at(i + 1, j + 1)

    return at(0, 0)


def run_block(block: Block, root: Path, namespace: dict[str, Any] | None = None) -> None:
    """Carry out one marked block; an AssertionError names the block and what differed.
    The Python blocks of one document share ``namespace``, as a reader's session would."""
    if block.action == "file":
        write_file(block, root)
    elif block.action == "section":
        replace_sections(block, root)
    elif block.action == "excerpt":
        pass
    elif block.action == "include":
        shown = (ROOT / str(block.target)).read_text(encoding="utf-8")
        assert block.text == shown, f"{block.where}: the block differs from {block.target}"
    elif block.action == "python":
        scope = namespace if namespace is not None else {}
        scope.setdefault("__name__", "__doc_example__")
        exec(compile(block.text, block.where, "exec"), scope)
    elif block.action == "run":
        for command, code, expected in console_steps(block):
            got, printed = run_command(command)
            lines = printed.rstrip("\n").splitlines()
            assert got == code, f"{block.where}: `{command}` exited {got}, not {code}:\n{printed}"
            assert matches(expected, lines), (
                f"{block.where}: `{command}` printed\n{printed}\nnot\n" + "\n".join(expected)
            )
    else:
        raise AssertionError(f"{block.where}: unknown doc-test action {block.action!r}")
