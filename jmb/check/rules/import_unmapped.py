"""A piece of an imported form fills no field of the record: place it, then delete its line.

``jmb import`` maps a decision form (Word, PDF or text) to a record by its headings and labels; a
piece it cannot place (a paragraph under a heading the form does not have, a row of a table that is
no fact of the record) is never dropped: it is listed in a comment at the head of the written
record, one line a piece, with its first words and where it was in the form::

    # jmb-import unmapped: line 79: "LEGAL IMPLICATIONS - As above"

This warning reports each such line, so the piece is seen to after the import's output has gone.
Put the text where it belongs (or decide it is not needed), then delete the line.
"""

from __future__ import annotations

from collections.abc import Iterator

from jmb.check.rules.base import Problem, RecordContext
from jmb.core.findings import Severity

ID = "JMB013"
NAME = "import-unmapped"
SEVERITY = Severity.WARNING
SINCE = "0.2.0"
SCOPE = "record"
SUPPRESSIBLE = True

#: What starts each comment line, at the start of a line, that lists a piece of an imported form.
MARK = "# jmb-import unmapped: "


def check(context: RecordContext) -> Iterator[Problem]:
    """Report each line of the record that lists a piece of the form left unmapped."""
    text = context.document.text
    if MARK not in text:  # nearly every record: one search of its text
        return
    for number, line in enumerate(text.split("\n"), 1):
        if line.startswith(MARK):
            piece = line[len(MARK) :].strip()
            yield Problem(
                (),
                f"not imported from the form, {piece}: put it in its field (or decide it is not "
                "needed), then delete this line",
                at=(number, 1),
            )
