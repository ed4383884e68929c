"""fyrules' build backend: setuptools', with mypy added to a wheel's build requirements.

A wheel is built with its hot modules compiled by mypyc (``setup.py``), so ``pip install
fyrules`` gives the fast build; mypyc ships inside mypy, which a wheel build therefore needs.
An editable install (``make``) runs the source as it is edited, so it compiles nothing. Set
``FYRULES_COMPILE=0`` to build a pure-Python wheel.
"""

from __future__ import annotations

import os
from typing import Any

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F403 (every hook setuptools defines)

MYPY = "mypy>=1.10"


def compiling() -> bool:
    """Whether wheels are compiled (the default; ``FYRULES_COMPILE=0`` turns it off)."""
    return os.environ.get("FYRULES_COMPILE", "1") != "0"


def get_requires_for_build_wheel(config_settings: Any = None) -> list[str]:
    requires = list(_setuptools.get_requires_for_build_wheel(config_settings))
    return [*requires, MYPY] if compiling() else requires


def build_editable(
    wheel_directory: str, config_settings: Any = None, metadata_directory: str | None = None
) -> str:
    os.environ["FYRULES_COMPILE"] = "0"  # a compiled module would hide its edited source
    return _setuptools.build_editable(wheel_directory, config_settings, metadata_directory)
