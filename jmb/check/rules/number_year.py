"""The year in the decision number is not the year of the decision's date.

With ``[numbering] year = "calendar"`` (the default) decision 2019/09 must be dated in 2019; with
``"financial"``, in the April-to-March year that starts in 2019 (1 April 2019 to 31 March 2020).
Patterns without ``{year}`` are not checked.
"""

from collections.abc import Iterator

from jmb.check.rules.base import Problem, RecordContext
from jmb.core.findings import Severity
from jmb.repo.numbering import decision_year

ID = "JMB305"
NAME = "number-year"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "record"
SUPPRESSIBLE = True


def check(context: RecordContext) -> Iterator[Problem]:
    """Report a number whose year disagrees with the date."""
    number = context.data.get("number")
    day = context.decision_date
    if not isinstance(number, str) or day is None:
        return
    parsed = context.config.number_pattern.parse(number)
    if parsed is None or parsed.year is None:
        return
    kind = context.config.numbering.year
    year = decision_year(day, kind)
    if parsed.year != year:
        which = "calendar year" if kind == "calendar" else "financial year starting in"
        yield Problem(
            ("number",),
            f"{number!r} is numbered in {parsed.year} but dated {day.isoformat()}, "
            f"in the {which} {year}",
        )
