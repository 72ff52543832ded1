"""The history runs backwards or into the future.

``history`` lists a decision's status changes oldest first, each with its date; ``jmb status`` and the
last ``jmb sign`` append to it. An entry dated before the entry above it, or after today, is a slip or
a rewriting of the record's past that an auditor will ask about. ``jmb status`` refuses a change that
would break this rule.
"""

from collections.abc import Iterator
from datetime import date

from jmb.check.rules.base import Problem, RecordContext, as_date
from jmb.core.findings import Severity

ID = "JMB411"
NAME = "history-order"
SEVERITY = Severity.ERROR
SINCE = "0.2.0"
SCOPE = "record"
SUPPRESSIBLE = True


def check(context: RecordContext) -> Iterator[Problem]:
    """Report each history entry dated in the future or before an entry above it."""
    latest: date | None = None
    for index, entry in context.mappings("history"):
        day = as_date(entry.get("date"))
        if day is None:
            continue  # a date of the wrong type is the schema's to report
        status = entry.get("status") if isinstance(entry.get("status"), str) else "history"
        path = ("history", index, "date")
        if day > context.today:
            yield Problem(path, f"the {status} entry is dated {day.isoformat()}, in the future")
        elif latest is not None and day < latest:
            yield Problem(
                path,
                f"the {status} entry is dated {day.isoformat()}, before an earlier entry "
                f"({latest.isoformat()}); history runs forward",
            )
        latest = day if latest is None else max(latest, day)
