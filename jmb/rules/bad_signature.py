"""A cryptographic signature that does not verify.

With ``jmb sign --key`` a signature carries ``key_id`` and ``signature``: base64 of an Ed25519
signature over a statement binding the record's number, the role, the name, the date and the digest.
It fails when any of those changed after signing, when another key made it, when it is not base64,
or when one of ``key_id`` and ``signature`` is there without the other.
"""

from collections.abc import Iterator

from jmb.findings import Severity
from jmb.rules.base import Problem, RecordContext

ID = "JMB410"
NAME = "bad-signature"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "record"


def check(context: RecordContext) -> Iterator[Problem]:
    """Report each signature that does not verify against its key."""
    from jmb.signing import problems_of

    yield from problems_of(context, ID)
