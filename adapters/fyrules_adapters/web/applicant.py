"""The applicant's query, shared by the JSON path (``POST /api/public/progress``) and the
progress page (``POST /progress``): the same code check, the same answer for a wrong code and
an unknown case, and the same failure counts, so a page cannot be used to guess codes faster
than the API."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool

from .codes import matches
from .limits import FailureLimiter, Limit
from .service import CaseService


class TooManyFailures(Exception):
    """Too many failed queries from this client or for this case: retry after ``wait`` s."""

    def __init__(self, wait: int):
        super().__init__(wait)
        self.wait = wait


class NotFound(Exception):
    """The case number or the code is wrong (which of them is not told)."""


class ApplicantDesk:
    """Answers applicants' queries, counting failures per client and per case."""

    def __init__(self, service: CaseService, per_client: Limit, per_case: Limit):
        self.service = service
        self.per_client = FailureLimiter(per_client)
        self.per_case = FailureLimiter(per_case)

    async def progress(self, client: str, case: str, code: str) -> dict[str, Any]:
        """The progress of ``case`` if ``code`` is its code; raises :class:`TooManyFailures`
        or :class:`NotFound` (one scrypt either way, known case or not)."""
        client_key, case_key = f"client:{client}", f"case:{case}"
        wait = max(self.per_client.retry_after(client_key), self.per_case.retry_after(case_key))
        if wait:
            raise TooManyFailures(wait)
        record, real = await self.service.run(self.service.code_record, case)
        if await run_in_threadpool(matches, record, code, real):
            answer = await self.service.run(self.service.progress, case)
            if answer is not None:
                return answer
        self.per_client.fail(client_key)
        self.per_case.fail(case_key)
        raise NotFound
