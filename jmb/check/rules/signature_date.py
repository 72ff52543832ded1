"""A signature dated before the decision's date, or in the future.

A decision cannot be approved before the meeting that took it, and a date still to come is a typing
slip or a backdating that an auditor will ask about.
"""

from collections.abc import Iterator

from jmb.check.rules.base import Problem, RecordContext, as_date, signatory
from jmb.core.findings import Severity

ID = "JMB403"
NAME = "signature-date"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "record"
SUPPRESSIBLE = True


def check(context: RecordContext) -> Iterator[Problem]:
    """Report each signature dated before the decision or after today."""
    decided = context.decision_date
    for index, item in context.mappings("signatures"):
        signed = as_date(item.get("date"))
        if signed is None:
            continue
        role = signatory(item.get("role"), index)
        path = ("signatures", index, "date")
        if decided is not None and signed < decided:
            yield Problem(
                path,
                f"the {role} signed on {signed.isoformat()}, before the decision's date "
                f"{decided.isoformat()}",
            )
        elif signed > context.today:
            yield Problem(
                path, f"the {role}'s signature is dated {signed.isoformat()}, in the future"
            )
