"""A key used outside its validity dates.

Each key of the roster ``signatories.yaml`` is valid from ``valid_from`` to ``valid_to`` (open-ended
without one). A signature dated outside them was made before the key was issued or after it was
retired: when a signatory leaves office, their key's ``valid_to`` is set, and it signs no more.
"""

from collections.abc import Iterator

from jmb.findings import Severity
from jmb.rules.base import Problem, RecordContext

ID = "JMB408"
NAME = "key-validity"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "record"


def check(context: RecordContext) -> Iterator[Problem]:
    """Report each signature dated outside its key's validity."""
    from jmb.signing import problems_of

    yield from problems_of(context, ID)
