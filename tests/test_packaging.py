"""The wheel is the product.

Built from this checkout without a warning, the wheel is installed into a clean virtual
environment outside the repository, as a user installs it. There it runs ``fyrules demo`` and
``fyrules check`` on the rulebook it ships, an adapter author's test file runs the storage-port
contract suite with pytest, and mypy sees fyrules' types in a user's script. The editable
install that ``make`` does shows the same types. The sdist carries what its own tests need.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import venv
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.optional, pytest.mark.packaging]

USER_SCRIPT = """\
import fyrules

rulebook = fyrules.load("mycity")
deadline_days: int = rulebook   # deliberate: a Rulebook is not an int
"""

ADAPTER_TEST = """\
from fyrules import MemoryStore
from fyrules.store_contract import StoreContract


class TestMyStore(StoreContract):
    def make_store(self):
        return MemoryStore()
"""


def _env() -> dict[str, str]:
    """The environment of a user's shell: nothing from this checkout on the path, and byte code
    written as usual (``PYTHONDONTWRITEBYTECODE`` makes setuptools print a warning of its own)."""
    env = {
        k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONDONTWRITEBYTECODE"}
    }
    env.pop("VIRTUAL_ENV", None)
    return env


def _run(args: list[str | Path], cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _clean_copy(target: Path) -> Path:
    """The checkout as a fresh clone has it: the files git tracks or would track (committed or
    not), without what a test run leaves behind (byte code, caches, virtual environments)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source, copy = ROOT / name, target / name
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the work tree, not yet committed
        copy.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            copy.symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, copy)
    return target


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """The sdist and the wheel, built from a clean copy of the checkout as ``python -m build``
    builds a release, and what it printed."""
    out = tmp_path_factory.mktemp("dist")
    source = _clean_copy(tmp_path_factory.mktemp("checkout"))
    done = _run([sys.executable, "-m", "build", "--outdir", out, source], cwd=out)
    assert done.returncode == 0, done.stdout + done.stderr
    (sdist,) = out.glob("fyrules-*.tar.gz")
    (wheel,) = out.glob("fyrules-*.whl")
    return sdist, wheel, done.stdout + done.stderr


@pytest.fixture(scope="module")
def installed(built: tuple[Path, Path, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment outside the repository with the wheel, pytest and mypy."""
    home = tmp_path_factory.mktemp("user")
    venv.create(home / "venv", with_pip=True)
    python = home / "venv" / "bin" / "python"
    done = _run([python, "-m", "pip", "install", "--quiet", built[1], "pytest", "mypy"], cwd=home)
    assert done.returncode == 0, done.stdout + done.stderr
    return home


def test_building_prints_no_warning(built):
    # (a compiler's command line names its warning flags: -Wall, -Wno-unused-function …)
    said = [line for line in built[2].splitlines() if not _is_compiler_command(line)]
    printed = "\n".join(said).lower()
    assert "warning" not in printed and "deprecat" not in printed, built[2]


def _is_compiler_command(line: str) -> bool:
    program = line.split(" ", 1)[0].rsplit("/", 1)[-1]
    return program.endswith(("gcc", "cc", "clang", "g++", "c++"))


def test_the_sdist_carries_what_its_tests_need(built):
    with tarfile.open(built[0]) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    for needed in (
        "LICENSE",
        "Makefile",
        "README.md",
        "examples/fuyang/rulebook.yaml",
        "docs/README.md",
        "tests/conftest.py",
        "tests/test_packaging.py",
        "adapters/fyrules_adapters/sqlite.py",
        "fyrules/examples/fuyang/rulebook.yaml",
    ):
        assert needed in names
    assert not any("__pycache__" in name for name in names)


def test_the_wheel_names_its_licence_and_ships_the_rulebook_types_and_contract(built):
    with zipfile.ZipFile(built[1]) as wheel:
        names = set(wheel.namelist())
        (meta,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        metadata = Parser().parsestr(wheel.read(meta).decode())
    assert metadata["License-Expression"] == "Apache-2.0"
    assert metadata["License-File"] == "LICENSE"
    assert "Typing :: Typed" in metadata.get_all("Classifier")
    assert metadata["Keywords"]
    for needed in (
        "fyrules/py.typed",
        "fyrules/store_contract.py",
        "fyrules/examples/fuyang/rulebook.yaml",
        "fyrules/examples/fuyang/tables/satisfaction-band.csv",
        "fyrules/baseline/national/rulebook.yaml",
        "fyrules_adapters/sqlite.py",
        "fyrules/site.py",  # the pages, for the web adapter
        "fyrules_adapters/web/templates/board.html",
    ):
        assert needed in names, needed


def test_the_installed_wheel_runs_the_demo_on_the_rulebook_it_ships(installed):
    fyrules = installed / "venv" / "bin" / "fyrules"
    done = _run([fyrules, "demo", "--out", "out", "--cases", "200", "--no-progress"], cwd=installed)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "79" in done.stdout  # the Fuyang catalog's items
    assert (installed / "out" / "index.html").is_file() or any((installed / "out").rglob("*.html"))
    where = _run(
        [installed / "venv" / "bin" / "python", "-c", "import fyrules; print(fyrules.__file__)"],
        cwd=installed,
    )
    assert str(installed / "venv") in where.stdout and str(ROOT) not in where.stdout


def test_the_installed_wheel_copies_checks_and_tests_its_example(installed):
    fyrules = installed / "venv" / "bin" / "fyrules"
    copied = _run([fyrules, "example", "mycity"], cwd=installed)
    assert copied.returncode == 0, copied.stderr
    assert (installed / "mycity" / "rulebook.yaml").is_file()
    again = _run([fyrules, "example", "mycity"], cwd=installed)
    assert again.returncode == 2 and "Traceback" not in again.stderr
    checked = _run([fyrules, "check", "mycity"], cwd=installed)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    tested = _run([fyrules, "test", "mycity"], cwd=installed)
    assert tested.returncode == 0, tested.stdout + tested.stderr


def test_the_installed_wheel_copies_the_township_beside_fuyang_and_it_checks(installed):
    fyrules = installed / "venv" / "bin" / "fyrules"
    copied = _run([fyrules, "example", "mytown", "--name", "township"], cwd=installed)
    assert copied.returncode == 0, copied.stderr
    assert (installed / "mytown" / "fuyang" / "rulebook.yaml").is_file()
    checked = _run([fyrules, "check", "mytown/township"], cwd=installed)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_an_adapter_author_runs_the_contract_suite_from_the_installed_package(installed):
    (installed / "test_my_store.py").write_text(ADAPTER_TEST, encoding="utf-8")
    done = _run(
        [
            installed / "venv" / "bin" / "python",
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "test_my_store.py",
        ],
        cwd=installed,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert " passed" in done.stdout and "failed" not in done.stdout


def _mypy_finds_the_deliberate_error(python: Path | str, where: Path) -> str:
    (where / "user_script.py").write_text(USER_SCRIPT, encoding="utf-8")
    done = _run([python, "-m", "mypy", "--no-incremental", "user_script.py"], cwd=where)
    assert done.returncode == 1, done.stdout + done.stderr
    return done.stdout


def test_mypy_sees_fyrules_types_from_the_wheel(installed):
    out = _mypy_finds_the_deliberate_error(installed / "venv" / "bin" / "python", installed)
    assert 'expression has type "Rulebook", variable has type "int"' in out


def test_mypy_sees_fyrules_types_after_the_editable_install_make_does(tmp_path):
    """``make`` installs this checkout in strict editable mode; in the default mode setuptools'
    import hook hides the package from type checkers and every fyrules type is ``Any``."""
    out = _mypy_finds_the_deliberate_error(sys.executable, tmp_path)
    assert 'expression has type "Rulebook", variable has type "int"' in out


FOLD_AGREES = r"""
import dataclasses, importlib.util, pickle, random, sys
from pathlib import Path

import fyrules.scoring._fold as compiled
from fyrules.scoring.statistics import _ACC

assert not compiled.__file__.endswith(".py"), compiled.__file__
path = Path(compiled.__file__).with_name("_fold.py")
spec = importlib.util.spec_from_file_location("fold_source", path)
source = importlib.util.module_from_spec(spec)
sys.modules["fold_source"] = source
spec.loader.exec_module(source)

def records(module, rng, n):
    out = []
    for k in range(n):
        status = rng.choice(("closed", "closed", "in_progress", "withdrawn"))
        out.append(module.CaseRecord(
            case=f"C-{k}", month=rng.choice(("2025-10", "2025-10", "2025-09")),
            window=rng.choice(("W01", "W02", "", None)), dept=rng.choice(("SC", "ZJ", None)),
            kind=rng.choice(("immediate", "commitment", None)), status=status,
            settlement=rng.choice(("early", "on_time", "overdue", None)),
            used_days=rng.choice((None, 0, 3, rng.random() * 20, 2.5)),
            committed_limit=rng.choice((None, 0, 5, 7.5, 12)),
            online=rng.random() < 0.5, rating=rng.choice((None, 5, 4, 3.5, 1)),
            complaints=rng.choice((0, 0, 1, 2)), breaches=rng.choice((0, 1)),
            item=f"FY-{k % 7}", substantiated=rng.choice((0, 1)),
        ))
    return out

for seed in range(40):
    a, b = records(compiled, random.Random(seed), 500), records(source, random.Random(seed), 500)
    for unit in (True, False):
        for at in (4, 3.5):
            got = {k: v.as_list(_ACC) for k, v in compiled.fold_units(a, "2025-10", unit, at).items()}
            want = {k: v.as_list(_ACC) for k, v in source.fold_units(b, "2025-10", unit, at).items()}
            assert repr(got) == repr(want), (seed, unit, at)
    for x, y in zip(a[:50], b[:50]):
        assert repr(x) == repr(y) and hash(x) == hash(dataclasses.replace(x))
        assert pickle.loads(pickle.dumps(x)) == x and dataclasses.replace(x, complaints=9).complaints == 9
        try:
            x.month = "2025-11"
        except dataclasses.FrozenInstanceError:
            pass
        else:
            raise AssertionError("a compiled CaseRecord can be changed")

for bad in ({"status": "lost"}, {"status": "closed", "settlement": "never", "used_days": 1, "committed_limit": 5}):
    errors = []
    for module in (compiled, source):
        record = module.CaseRecord(case="C", month="2025-10", window="W01", dept="SC", kind=None, **bad)
        try:
            module.fold_units([record], "2025-10", True, 4)
        except KeyError as exc:
            errors.append(repr(exc))
    assert len(errors) == 2 and errors[0] == errors[1], errors
print("the compiled fold agrees")
"""


def test_the_wheel_compiles_the_fold_and_it_agrees_with_its_source(built, installed):
    """The wheel compiles setup.py's modules with mypyc (``pip install fyrules`` is the fast
    build); the compiled fold gives, to the last bit and type, what its Python source gives."""
    if shutil.which("cc") is None and shutil.which("gcc") is None:
        pytest.skip("no C compiler: the wheel is pure Python here (apt-get install gcc to test)")
    with zipfile.ZipFile(built[1]) as wheel:
        names = wheel.namelist()
    assert any(n.startswith("fyrules/scoring/_fold.") and n.endswith(".so") for n in names), names
    assert "fyrules/scoring/_fold.py" in names  # the source, the fallback
    done = _run([installed / "venv" / "bin" / "python", "-c", FOLD_AGREES], cwd=installed)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "the compiled fold agrees" in done.stdout


def test_a_wheel_built_with_fyrules_compile_0_is_pure_python(tmp_path):
    source = _clean_copy(tmp_path / "checkout")
    env = {**_env(), "FYRULES_COMPILE": "0"}
    done = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", tmp_path / "dist", source],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (wheel,) = (tmp_path / "dist").glob("fyrules-*.whl")
    assert wheel.name.endswith("-py3-none-any.whl"), wheel.name
    with zipfile.ZipFile(wheel) as archive:
        assert not any(n.endswith(".so") for n in archive.namelist())


def test_the_editable_install_runs_the_fold_from_its_source():
    """``make`` installs in editable mode, which compiles nothing: a compiled module would be
    imported before its source, and edits to the source would not take effect."""
    from fyrules.scoring import _fold

    assert _fold.__file__ is not None and _fold.__file__.endswith(".py"), _fold.__file__
