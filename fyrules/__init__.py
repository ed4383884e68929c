"""fyrules: declarative rules for administrative approval."""

__version__ = "0.1.0"
