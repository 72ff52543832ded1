"""The decision number does not fit the configured pattern.

The pattern is ``[numbering] pattern`` in ``jmb.toml``, by default ``{year}/{seq:02d}`` (``2019/09``).
Numbers that drift in form ("2019-9", "JMB 2019/09") break ordering, look-ups and file names.
"""

from collections.abc import Iterator

from jmb.check.rules.base import Problem, RecordContext
from jmb.core.findings import Severity

ID = "JMB304"
NAME = "number-pattern"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "record"
SUPPRESSIBLE = True


def check(context: RecordContext) -> Iterator[Problem]:
    """Report a number that the pattern cannot parse."""
    number = context.data.get("number")
    if isinstance(number, str) and context.config.number_pattern.parse(number) is None:
        pattern = context.config.number_pattern
        yield Problem(
            ("number",),
            f"{number!r} does not fit the numbering pattern {pattern.pattern!r} "
            f"(e.g. {pattern.format(2019, 9)!r})",
        )
