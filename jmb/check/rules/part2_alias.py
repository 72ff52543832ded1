"""Part 2 content reused outside Part 2 through a YAML alias.

An anchor in Part 2 (``text: &terms ...``) and an alias elsewhere (``consultation: *terms``) would copy
confidential text into the public Part 1 while each place looks innocent. jmb refuses anchors and
aliases everywhere (JMB011) and reads an alias as empty, so nothing is copied; this rule says, as
well, that the alias points into Part 2. It is an error at any status.
"""

from collections.abc import Iterator

from jmb.check.rules.base import Problem, RecordContext
from jmb.core.findings import Severity

ID = "JMB105"
NAME = "part2-alias"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "record"
SUPPRESSIBLE = False


def check(context: RecordContext) -> Iterator[Problem]:
    """Report each alias outside Part 2 whose anchor is in Part 2."""
    for path, anchored in context.document.aliases.items():
        if path[:1] != ("part2",) and anchored[:1] == ("part2",):
            # At the key: the value's own position is the anchor's, inside Part 2.
            yield Problem(
                path,
                "an alias of Part 2 content, which Part 1 would publish: write Part 1's own text",
                at_key=True,
            )
