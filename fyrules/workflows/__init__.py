"""Complaints and accountability (投诉办理与问责): the center's workflows after a case runs over
or an applicant complains. See ``docs/complaints-accountability.md``."""

from .accountability import accountability_records, by_holder, records_of_month
from .extension import EXTENSION
from .findings import workflow_findings
from .policy import AccountabilityPolicy, ComplaintPolicy, Workflows

__all__ = [
    "EXTENSION",
    "AccountabilityPolicy",
    "ComplaintPolicy",
    "Workflows",
    "accountability_records",
    "by_holder",
    "records_of_month",
    "workflow_findings",
]
