"""A signature with a name but no date, or a date but no name.

A signature records who signed, in which role, and when; half of one proves nothing. A line that names
only its role (the paper form's blank line, left for the signatory) is not reported: it is what a
record waits for until it is signed, and ``jmb sign`` fills it in. Once a record is ``approved`` or
``published``, a line still blank is a missing signature (JMB401).
"""

from collections.abc import Iterator

from jmb.check.rules.base import (
    Problem,
    RecordContext,
    awaiting_signature,
    is_blank,
    signatory,
)
from jmb.core.findings import Severity

ID = "JMB402"
NAME = "incomplete-signature"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "record"
SUPPRESSIBLE = True


def check(context: RecordContext) -> Iterator[Problem]:
    """Report each signature missing its name or its date, once, at the first thing missing."""
    for index, item in context.mappings("signatures"):
        if awaiting_signature(item):
            continue
        role = signatory(item.get("role"), index)
        missing = [key for key in ("name", "date") if is_blank(item.get(key))]
        if missing:
            yield Problem(
                ("signatures", index, missing[0]),
                f"the {role}'s signature has no {' and no '.join(missing)}",
            )
