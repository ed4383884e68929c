"""The PostgreSQL storage adapter (extra ``postgresql``: SQLAlchemy 2 Core, psycopg 3, Alembic).

:class:`PostgresStore` is the storage port over a database that :func:`upgrade` (``fyrules db
upgrade --store URL``) has prepared; :func:`partition_of` is the stable hash that gives each
case its partition when several writers share the database. docs/embedding.md shows both.
"""

from fyrules_adapters.errors import StoreError

from .migrate import HEAD, upgrade
from .store import PostgresStore, partition_of

__all__ = ["HEAD", "PostgresStore", "StoreError", "partition_of", "upgrade"]
