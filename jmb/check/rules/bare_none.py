"""An implication or the consultation answered with a bare "None" or "N/A".

A reader, an auditor or a court needs the reason there are no legal, financial or equality implications,
or why nobody was consulted; the public sector equality duty in particular is met by showing the
consideration, not by a dash. Write the reason: "None: the agreement continues an existing service on
the same terms." A warning, since the answer may be true.
"""

import re
from collections.abc import Iterator

from jmb.check.rules.base import Problem, RecordContext, quote
from jmb.core.findings import Severity

ID = "JMB203"
NAME = "bare-none"
SEVERITY = Severity.WARNING
SINCE = "0.1.0"
SCOPE = "record"
SUPPRESSIBLE = True

_FIELDS = {
    ("consultation",): "why nobody was consulted",
    ("implications", "risks"): "why there are no risks",
    ("implications", "legal"): "why there are no legal implications",
    ("implications", "financial"): "why there are no financial implications",
    ("implications", "equality"): "how equality was considered and why there is no impact",
}

_BARE = re.compile(
    r"^\s*(?:none|nil|n\s*/\s*a|n\.\s*a\.?|na|not\s+applicable|no|nothing|-+|\u2013|\u2014)\s*[.!]?\s*$",
    re.IGNORECASE,
)


def check(context: RecordContext) -> Iterator[Problem]:
    """Report each of those fields whose whole text is a bare none."""
    for path, reason in _FIELDS.items():
        text = context.text(path)
        if text is not None and _BARE.match(text):
            yield Problem(path, f"bare {quote(text.strip())}: say {reason}", offset=0)
