"""A listed appendix that the text never refers to.

Each appendix should be introduced where the report relies on it ("as set out in Appendix B"), so a
reader knows why it is there. A warning: the attachment may be right and only the reference missing.
"""

from collections.abc import Iterator

from jmb.check.rules.appendices import listed, mentions
from jmb.check.rules.base import Problem, RecordContext
from jmb.core.findings import Severity

ID = "JMB303"
NAME = "unused-appendix"
SEVERITY = Severity.WARNING
SINCE = "0.1.0"
SCOPE = "record"
SUPPRESSIBLE = True


def check(context: RecordContext) -> Iterator[Problem]:
    """Report each listed appendix that no text mentions."""
    mentioned = {mention.label for mention in mentions(context)}
    for label, index in listed(context).items():
        if label not in mentioned:
            yield Problem(
                ("appendices", index, "label"),
                f"Appendix {label} is listed but the text never refers to it",
            )
