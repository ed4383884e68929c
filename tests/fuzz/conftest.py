"""The fuzzing suite's budget: a fixed number of examples per target, the same in CI on every
run (the ``ci`` profile is derandomized), so a red run can be replayed. ``FYRULES_FUZZ_EXAMPLES``
raises it for a longer search on a developer's machine; inputs that ever crashed are kept as
``@example``s beside each target and in ``tests/fuzz/regressions/``."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

FUZZ_EXAMPLES = int(os.environ.get("FYRULES_FUZZ_EXAMPLES", "100"))

fuzz_settings = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
