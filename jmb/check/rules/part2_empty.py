"""A Part 2 with no sections.

A ``part2`` tells the public that exempt information exists; with nothing in it, the Part 1 claims an
exemption for nothing. Remove ``part2`` or add the withheld sections.
"""

from collections.abc import Iterator

from jmb.check.rules.base import Problem, RecordContext
from jmb.core.findings import Severity

ID = "JMB104"
NAME = "part2-empty"
SEVERITY = Severity.WARNING
SINCE = "0.1.0"
SCOPE = "record"
SUPPRESSIBLE = True


def check(context: RecordContext) -> Iterator[Problem]:
    """Report a Part 2 whose sections are missing or empty."""
    part2 = context.data.get("part2")
    if not isinstance(part2, dict):
        return
    sections = part2.get("sections")
    if sections is None or sections == []:
        yield Problem(
            ("part2", "sections"), "Part 2 has no sections: remove part2 or add what is withheld"
        )
