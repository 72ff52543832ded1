"""A signature without a name or without a date.

A signature records who signed, in which role, and when. A blank signature line copied from the paper
form, or a name with no date, proves nothing; ``jmb sign`` fills in all three.
"""

from collections.abc import Iterator

from jmb.findings import Severity
from jmb.rules.base import Problem, RecordContext, is_blank

ID = "JMB402"
NAME = "incomplete-signature"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "record"


def check(context: RecordContext) -> Iterator[Problem]:
    """Report each signature missing its name or its date, once, at the first thing missing."""
    for index, item in context.mappings("signatures"):
        role = item.get("role") or f"signature {index + 1}"
        missing = [key for key in ("name", "date") if is_blank(item.get(key))]
        if missing:
            yield Problem(
                ("signatures", index, missing[0]),
                f"the {role}'s signature has no {' and no '.join(missing)}",
            )
