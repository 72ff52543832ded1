"""The same role signs twice.

Each configured role signs a decision once. A second entry is a copy-and-paste slip, or a second
person signing in a role that someone already signed in.
"""

from collections.abc import Iterator

from jmb.check.rules.base import Problem, RecordContext
from jmb.core.findings import Severity

ID = "JMB405"
NAME = "repeated-role"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "record"
SUPPRESSIBLE = True


def check(context: RecordContext) -> Iterator[Problem]:
    """Report each signature after the first in the same role."""
    first: dict[str, int] = {}
    for index, item in context.mappings("signatures"):
        role = item.get("role")
        if not isinstance(role, str):
            continue
        if role in first:
            yield Problem(
                ("signatures", index, "role"),
                f"the {role} already signed in signatures[{first[role]}]",
            )
        else:
            first[role] = index
