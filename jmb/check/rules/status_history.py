"""The status disagrees with the history: it was edited by hand, not moved by jmb.

``jmb status`` and ``jmb sign`` change a record's ``status`` and append the move to its ``history``
together, so the status is always the one the history's last entry moved the record to. A record
with no history yet (a ``draft``, or one written as ``submitted``) may have only one of those two
statuses. Anything else, ``approved`` without a history, ``approved`` while the last entry says
``submitted``, is a status typed in by hand: it claims a step that nothing records.

Put the status back, and move the record with ``jmb status`` (or sign it with ``jmb sign``).
"""

from collections.abc import Iterator

from jmb.check.rules.base import Problem, RecordContext, as_date
from jmb.core.findings import Severity
from jmb.record.model import Status

ID = "JMB413"
NAME = "status-history"
SEVERITY = Severity.ERROR
SINCE = "0.2.0"
SCOPE = "record"
SUPPRESSIBLE = False

#: The statuses a record may have before anything is recorded in its history.
WITHOUT_HISTORY = (Status.DRAFT, Status.SUBMITTED)


def check(context: RecordContext) -> Iterator[Problem]:
    """Report a status that is not the one the history's last entry moved the record to."""
    status = context.status
    if status is None:
        return  # a status of the wrong type or unknown is the schema's to report
    history = context.data.get("history")
    if history is None or history == []:
        if status not in WITHOUT_HISTORY:
            yield Problem(
                ("status",),
                f"the record is {status}, but has no history showing how it got there: only a "
                "draft or submitted record has none (jmb status and jmb sign record each move)",
            )
        return
    if not isinstance(history, list) or not isinstance(history[-1], dict):
        return  # the schema's to report
    last = Status.parse(history[-1].get("status"))
    if last is None or last is status:
        return
    day = as_date(history[-1].get("date"))
    on = f" on {day.isoformat()}" if day is not None else ""
    yield Problem(
        ("status",),
        f"the record is {status}, but the last entry of its history moved it to {last}{on}: a "
        "status changes with jmb status or jmb sign, which record each move",
    )
