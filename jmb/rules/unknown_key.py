"""A signature made with a key that is not in the roster ``signatories.yaml``.

A cryptographic signature (``key_id`` and ``signature``) is only as good as the record of whose key
it is. The roster, committed in the repository, lists each key's holder, role and validity dates;
``jmb keys new`` adds to it. A key missing from it (or a roster that cannot be read) proves nothing
about who signed.
"""

from collections.abc import Iterator

from jmb.findings import Severity
from jmb.rules.base import Problem, RecordContext

ID = "JMB407"
NAME = "unknown-key"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "record"


def check(context: RecordContext) -> Iterator[Problem]:
    """Report each signature whose key the roster does not list."""
    from jmb.signing import problems_of

    yield from problems_of(context, ID)
