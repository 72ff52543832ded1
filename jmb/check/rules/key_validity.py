"""A key used outside its validity dates.

Each key of the roster ``signatories.yaml`` is valid from ``valid_from`` to ``valid_to`` (open-ended
without one). A signature dated outside them was made before the key was issued or after it was
retired: when a signatory leaves office, their key's ``valid_to`` is set, and it signs no more.
"""

from collections.abc import Iterator

from jmb.check.rules import signature_checks
from jmb.check.rules.base import Problem, RecordContext
from jmb.core.findings import Severity

ID = signature_checks.KEY_VALIDITY
NAME = "key-validity"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "record"
SUPPRESSIBLE = False


def check(context: RecordContext) -> Iterator[Problem]:
    """Report each signature dated outside its key's validity."""
    yield from signature_checks.problems_of(context, ID)
