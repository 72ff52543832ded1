"""The recommendation has no items.

A decision record exists to ask the decision-makers to approve something; ``recommendation.items`` lists
those actions, numbered in the published form. An error once the record is ``submitted`` or later; a
warning while it is a ``draft``.
"""

from collections.abc import Iterator

from jmb.check.rules.base import Problem, RecordContext, is_blank
from jmb.check.rules.schema import is_misspelt
from jmb.core.findings import Severity

ID = "JMB102"
NAME = "no-recommendation"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "record"
SUPPRESSIBLE = True


def check(context: RecordContext) -> Iterator[Problem]:
    """Report a missing or empty list of recommendations, and blank items in it."""
    recommendation = context.data.get("recommendation")
    if recommendation is not None and not isinstance(recommendation, dict):
        return
    items = context.get(("recommendation", "items"))
    if items is not None and not isinstance(items, list):
        return
    if not items:
        if is_misspelt(context, ("recommendation", "items")):
            return  # the misspelt key is reported (JMB006), with "did you mean" this field
        yield Problem(
            ("recommendation", "items"),
            "no recommendations: list at least one action for the decision-makers to approve",
            severity=context.completeness_severity,
        )
        return
    for index, item in enumerate(items):
        if is_blank(item):
            yield Problem(
                ("recommendation", "items", index),
                f"recommendation {index + 1} is empty",
                severity=context.completeness_severity,
            )
