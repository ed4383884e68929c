"""fyrules' web adapter (extra ``web``: FastAPI and uvicorn): an HTTP service for case
systems, supervisors and applicants. ``fyrules serve RULEBOOK`` runs it; docs/web.md says how.

- :mod:`.app`: :func:`~.app.create_app` (the whole service) and :func:`~.app.api_router`
  (the ``/api`` routes, for a host application to mount);
- :mod:`.service`: what the endpoints ask of fyrules, on the store's own thread;
- :mod:`.tokens`: bearer tokens kept as hashes (no web framework needed);
- :mod:`.codes`: applicants' query codes kept as scrypt hashes;
- :mod:`.stores`: opening the ``--store`` a server runs on.

This package imports no web framework itself, so ``fyrules token add`` works without one.
"""
