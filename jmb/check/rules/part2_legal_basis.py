"""A Part 2 without a protective marking or without the exemption relied on.

Part 2 withholds information from the public. The law requires a basis for that: the Freedom of
Information Act exemption relied on (for example "s.43 commercial interests"), and the marking tells
readers how to handle the paper (for example ``OFFICIAL-SENSITIVE``). An error at any status, drafts
included, because a draft is where the decision to withhold is made.
"""

from collections.abc import Iterator

from jmb.check.rules.base import Problem, RecordContext, is_blank
from jmb.core.findings import Severity

ID = "JMB103"
NAME = "part2-legal-basis"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "record"
SUPPRESSIBLE = True

_WHAT = {
    "marking": "no protective marking (e.g. OFFICIAL-SENSITIVE)",
    "exemption": 'no exemption: name the FOI Act exemption relied on, e.g. "s.43 commercial interests"',
}


def check(context: RecordContext) -> Iterator[Problem]:
    """Report a Part 2 lacking its marking or its exemption."""
    part2 = context.data.get("part2")
    if not isinstance(part2, dict):
        return
    for key, message in _WHAT.items():
        if is_blank(part2.get(key)):
            yield Problem(("part2", key), f"Part 2 has {message}")
