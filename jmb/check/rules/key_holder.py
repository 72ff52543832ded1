"""A key whose holder in the roster is not the signatory: another role, or another name.

The roster ``signatories.yaml`` gives each key to one person in one role. A Chief Constable's
signature made with the Police and Crime Commissioner's key, or with a key issued to somebody else,
is not the signature it claims to be.
"""

from collections.abc import Iterator

from jmb.check.rules import signature_checks
from jmb.check.rules.base import Problem, RecordContext
from jmb.core.findings import Severity

ID = signature_checks.KEY_HOLDER
NAME = "key-holder"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "record"
SUPPRESSIBLE = False


def check(context: RecordContext) -> Iterator[Problem]:
    """Report each signature whose key the roster gives to another role or name."""
    yield from signature_checks.problems_of(context, ID)
