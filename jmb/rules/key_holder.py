"""A key whose holder in the roster is not the signatory: another role, or another name.

The roster ``signatories.yaml`` gives each key to one person in one role. A Chief Constable's
signature made with the Police and Crime Commissioner's key, or with a key issued to somebody else,
is not the signature it claims to be.
"""

from collections.abc import Iterator

from jmb.findings import Severity
from jmb.rules.base import Problem, RecordContext

ID = "JMB409"
NAME = "key-holder"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "record"


def check(context: RecordContext) -> Iterator[Problem]:
    """Report each signature whose key the roster gives to another role or name."""
    from jmb.signing import problems_of

    yield from problems_of(context, ID)
