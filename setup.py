"""The compiled part of the wheel; everything else is declared in pyproject.toml.

The modules in :data:`COMPILED` are compiled to C extensions by mypyc when a wheel is built
(``pip install fyrules``, ``python -m build``). The pure-Python source is installed beside them
and is what runs where nothing was compiled: an editable install, ``FYRULES_COMPILE=0``, an
interpreter other than CPython, or a machine without a C compiler (the build then says so and
goes on). Tests compare the two builds' results.
"""

from __future__ import annotations

import os
import platform
import shutil
import sys
from pathlib import Path
from typing import Any

from setuptools import setup
from setuptools.command.build_ext import build_ext

# the loops that run once per record or per event, kept to code mypyc compiles natively
COMPILED = ["fyrules/scoring/_fold.py"]


def _ext_modules() -> list[Any]:
    if os.environ.get("FYRULES_COMPILE", "1") == "0":
        return []
    if platform.python_implementation() != "CPython":
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:  # no mypy in this build environment: a pure-Python wheel
        return []
    # the compiled modules import only the standard library: mypy need not follow the
    # package's other imports (whose dependencies a build environment does not have)
    return mypycify(["--follow-imports=skip", *COMPILED], opt_level="3")


class _OptionalBuildExt(build_ext):
    """Compiling is an optimisation: without a working C compiler the wheel is pure Python."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # no compiler, no Python headers: ship the source alone
            for built in self.get_outputs():
                path = Path(built)
                if path.is_file():
                    path.unlink()
                elif path.is_dir():
                    shutil.rmtree(path)
            sys.stderr.write(
                f"fyrules: not compiled ({type(exc).__name__}: {exc}); "
                "installing the pure-Python build\n"
            )


setup(ext_modules=_ext_modules(), cmdclass={"build_ext": _OptionalBuildExt})
