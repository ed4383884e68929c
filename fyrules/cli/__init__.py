"""The ``fyrules`` command line: the only code that knows about flags.

:func:`main` is the entry point (``fyrules = "fyrules.cli:main"``).
"""

from .main import main

__all__ = ["main"]
