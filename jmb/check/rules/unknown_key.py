"""A signature made with a key that is not in the roster ``signatories.yaml``.

A cryptographic signature (``key_id`` and ``signature``) is only as good as the record of whose key
it is. The roster, committed in the repository, lists each key's holder, role and validity dates;
``jmb keys new`` adds to it. A key missing from it (or a roster that cannot be read) proves nothing
about who signed.
"""

from collections.abc import Iterator

from jmb.check.rules import signature_checks
from jmb.check.rules.base import Problem, RecordContext
from jmb.core.findings import Severity

ID = signature_checks.UNKNOWN_KEY
NAME = "unknown-key"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "record"
SUPPRESSIBLE = False


def check(context: RecordContext) -> Iterator[Problem]:
    """Report each signature whose key the roster does not list."""
    yield from signature_checks.problems_of(context, ID)
