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
    printed = built[2].lower()
    assert "warning" not in printed and "deprecat" not in printed, built[2]


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
