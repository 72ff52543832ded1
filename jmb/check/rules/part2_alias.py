"""Part 2 content reused outside Part 2 through a YAML alias.

An anchor in Part 2 (``text: &terms ...``) and an alias elsewhere (``consultation: *terms``) would copy
confidential text into the public Part 1 while each place looks innocent. Anchors and aliases are
fine within Part 2 and within Part 1; between them they are an error at any status.
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
    """Report each field outside Part 2 whose value is a node of Part 2."""
    inside = {
        id(node) for path, node in context.document.value_nodes.items() if path[:1] == ("part2",)
    }
    if not inside:
        return
    for path, node in context.document.value_nodes.items():
        if path[:1] != ("part2",) and id(node) in inside:
            # At the key: the value's own position is the anchor's, inside Part 2.
            yield Problem(
                path,
                "this is Part 2 content, reached through a YAML alias: Part 1 would publish it",
                at_key=True,
            )
