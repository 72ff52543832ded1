"""Placeholder or template text left in the record.

Catches what drafting leaves behind: ``TBC``, ``TBD``, ``TBA``, ``XXX``, ``[insert ...]``, lorem ipsum,
Word's "Click here to enter text", unrendered template fields (``{{ name }}``), and template residue
such as "he/she", "his/her" or "(s)he" where the text should name the person or role. Each occurrence
is reported where it stands in the section.
"""

import re
from collections.abc import Iterator

from jmb.check.rules.base import Problem, RecordContext, quote
from jmb.core.findings import Severity

ID = "JMB201"
NAME = "placeholder-text"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "record"
SUPPRESSIBLE = True

_PLACEHOLDER = re.compile(
    r"(?P<marker>\b(?:TBC|TBD|TBA)\b|(?<![\w/])[Xx]{3,}(?![\w/]))"
    r"|(?P<insert>\[\s*insert\b[^\]\n]*\]?)"
    r"|(?P<lorem>\blorem\s+ipsum\b)"
    r"|(?P<word>\bclick\s+(?:or\s+tap\s+)?here\s+to\s+enter\b[^.\n]*\.?)"
    r"|(?P<field>\{\{[^}\n]*\}\}|\{%[^%\n]*%\})"
    r"|(?P<gender>\b(?:he/she|she/he|him/her|her/him|his/her|her/his|s/he|\(s\)he|himself/herself)\b"
    r"|\(s\)he\b)",
    re.IGNORECASE,
)

_WHY = {
    "marker": "placeholder {text} left in: write what it stands for",
    "insert": "template instruction {text} left in: replace it with the text",
    "lorem": "filler text {text} left in",
    "word": "Word placeholder {text} left in",
    "field": "unfilled template field {text} left in",
    "gender": "template residue {text}: name the person or role",
}


# Every placeholder contains one of these (lower case), or a slash beside a pronoun; a record without
# any is passed without running the full expression on each field, which is most of the cost of this
# rule on a clean record.
_TRIGGERS = ("tbc", "tbd", "tba", "xxx", "[", "lorem", "click", "{{", "{%", "(s)")
_SLASHED_PRONOUN = re.compile(r"(?:he|him|his|her|self)/|/(?:he|him|his|her)")


def _may_hold_placeholder(lowered: str) -> bool:
    if any(trigger in lowered for trigger in _TRIGGERS):
        return True
    # Slashes are common ("2020/21"): look only around each one.
    slash = lowered.find("/")
    while slash >= 0:
        if _SLASHED_PRONOUN.search(lowered, max(slash - 4, 0), slash + 4):
            return True
        slash = lowered.find("/", slash + 1)
    return False


def check(context: RecordContext) -> Iterator[Problem]:
    """Report each placeholder in every prose field."""
    if not _may_hold_placeholder(context.prose_lowered):
        return
    for path, text in context.prose:
        for match in _PLACEHOLDER.finditer(text):
            kind = match.lastgroup or "marker"
            yield Problem(path, _WHY[kind].format(text=quote(match.group())), offset=match.start())
