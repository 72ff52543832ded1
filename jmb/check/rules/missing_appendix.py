"""The text refers to an appendix that is not listed in ``appendices``.

"Appendix A" mentioned in the background but never attached is a decision made on a paper nobody
can read. List it (``appendices: [{label: A, title: ..., file: ...}]``) or take out the reference.
Each mention is reported where it stands.
"""

from collections.abc import Iterator

from jmb.check.rules.appendices import listed, mentions
from jmb.check.rules.base import Problem, RecordContext
from jmb.core.findings import Severity

ID = "JMB301"
NAME = "missing-appendix"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "record"
SUPPRESSIBLE = True


def check(context: RecordContext) -> Iterator[Problem]:
    """Report each mention of an appendix that is not listed."""
    known = listed(context)
    for mention in mentions(context):
        if mention.label not in known:
            yield Problem(
                mention.path,
                f"Appendix {mention.label} is referred to but not listed in appendices",
                offset=mention.offset,
            )
