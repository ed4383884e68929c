"""fyrules' optional adapters: implementations of the core's ports over other systems.

Each module is one adapter and is installed with its extra (``pip install fyrules[sqlite]``).
The core never imports them; an adapter imports the core. ``sqlite``: the storage port
(:class:`fyrules.Store`) over a SQLite database file.
"""
