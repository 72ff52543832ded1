"""What a finding may say of Part 2: the field and the rule, never the text.

Part 2 is confidential, and findings are printed to terminals, CI logs, code-scanning dashboards and
the refusals of ``jmb sign``, ``jmb status`` and ``jmb render``: none of them is a place for Part 2
text. A finding on a field inside Part 2 therefore names the field (only the keys the format defines:
any other key could be a line of Part 2 text mis-indented into a key) and says what kind of problem
it is, and its message never quotes the value. The places that make findings (the reader's load
findings, :meth:`jmb.check.rules.base.RecordContext.to_finding`, the engine) pass them through
:func:`withhold`, so no rule and no output format has to remember to.
"""

from __future__ import annotations

import dataclasses
import re

from jmb.core.findings import Finding
from jmb.record.model import PART2_KEY, PART2_KEYS

#: What a withheld finding says in place of the text.
WITHHELD = "the text of this Part 2 field is withheld: Part 2 is confidential"
#: Shown in place of a key inside Part 2 that the record format does not define.
HIDDEN_KEY = "(key not shown)"

# One step of a dotted field after ``part2``: a list index or a key.
_STEP = re.compile(r"\[\d+\]|\.([^.\[]*)")


def part2_field(field: str) -> str | None:
    """``field`` (dotted, as findings name fields) as it may be shown, when it is inside Part 2:
    the keys Part 2 defines kept, the rest from the first other key on withheld; ``None`` for a
    field outside Part 2."""
    if field != PART2_KEY and not field.startswith((f"{PART2_KEY}.", f"{PART2_KEY}[")):
        return None
    index = len(PART2_KEY)
    while index < len(field):
        step = _STEP.match(field, index)
        if step is None or (step.group(1) is not None and step.group(1) not in PART2_KEYS):
            return f"{field[:index]}.{HIDDEN_KEY}"
        index = step.end()
    return field


def in_part2(field: str) -> bool:
    """Whether a finding's ``field`` is inside Part 2."""
    return part2_field(field) is not None


def withhold(finding: Finding, what: str, *, in_part2_anyway: bool = False) -> Finding:
    """``finding`` as it may be shown: unchanged outside Part 2; inside it (or anywhere, with
    ``in_part2_anyway``, for a finding placed on a line of Part 2 without a field), its field as
    :func:`part2_field` shows it and, for a message, ``what`` was found and that the text is
    withheld."""
    shown = part2_field(finding.field)
    if shown is None:
        if not in_part2_anyway:
            return finding
        shown = PART2_KEY
    return dataclasses.replace(finding, field=shown, message=f"{what} ({WITHHELD})")


__all__ = ["HIDDEN_KEY", "WITHHELD", "in_part2", "part2_field", "withhold"]
