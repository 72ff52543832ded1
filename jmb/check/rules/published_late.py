"""A decision was published later than it was due.

The form promises that Part 1 "will be made available on the PCC website within 3 working days of
approval". A record that says when it was approved (its ``approved`` history entry, else its latest
signature) and when it was published (its ``published`` entry) is checked against that promise:
``[publication] working_days`` working days of ``[publication] region`` (weekends, that nation's
bank holidays and the office's ``[publication] closed`` dates do not count). A warning, saying by how
many working days: the publication happened, and the record must say truly when. It depends only on
the record's own dates, never on today's, so every run of CI says the same.
"""

from collections.abc import Iterator

from jmb.check.rules.base import Problem, RecordContext
from jmb.core.findings import Severity
from jmb.record.milestones import approval_date, publication_date

ID = "JMB501"
NAME = "published-late"
SEVERITY = Severity.WARNING
SINCE = "0.2.0"
SCOPE = "record"
SUPPRESSIBLE = True


def check(context: RecordContext) -> Iterator[Problem]:
    """Report a publication later than the working days allowed after approval."""
    published = publication_date(context.data)
    approved = approval_date(context.data) if published is not None else None
    if published is None or approved is None:
        return
    publication = context.config.publication
    due = publication.due(approved)
    # Late by working days: a publication on the Saturday after a Friday deadline is not late.
    late = publication.calendar().between(due, published)
    if late <= 0:
        return
    days = f"{late} working day{'' if late == 1 else 's'}"
    index = max(
        index for index, entry in context.mappings("history") if entry.get("status") == "published"
    )
    yield Problem(
        ("history", index, "date"),
        f"published on {published.isoformat()}, {days} late: approved on {approved.isoformat()}, "
        f"it was due by {due.isoformat()} ({publication.working_days} working days in "
        f"{publication.region})",
    )
