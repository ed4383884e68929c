"""The live service's "now": the one place the web adapter reads the wall clock.

It answers requests that give no ``as_of`` (the supervision list) and the applicant's query,
which show a case as of the moment they are asked. Everything else takes its moment from the
request or from the events, so no answer to a request that names its moment depends on the day
the server runs. A host passes its own clock to :class:`~.service.CaseService` (tests do).
"""

from __future__ import annotations

import datetime as dt


def system_clock() -> dt.datetime:
    """Now, with its time zone (UTC)."""
    return dt.datetime.now(dt.UTC)
