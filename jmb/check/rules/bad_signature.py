"""A cryptographic signature that does not verify.

With ``jmb sign --key`` a signature carries ``key_id`` and ``signature``: base64 of an Ed25519
signature over a statement binding the record's number, the role, the name, the date and the digest,
and for a declaration the statement declared (stored in the entry). It fails when any of those
changed after signing (a stored statement removed included), when another key made it, when it is
not base64 of an Ed25519 signature, or when one of ``key_id`` and ``signature`` is there without the
other. A stored value that is no signature (cut short, retyped, or wrapped onto two lines by an
editor) proves nothing about the record, and the message says so rather than that it changed; a
wrapped one that verifies once its line breaks are taken out is still reported, to be written on
one line, since the stored value is what every reader checks.
"""

from collections.abc import Iterator

from jmb.check.rules import signature_checks
from jmb.check.rules.base import Problem, RecordContext
from jmb.core.findings import Severity

ID = signature_checks.BAD_SIGNATURE
NAME = "bad-signature"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "record"
SUPPRESSIBLE = False


def check(context: RecordContext) -> Iterator[Problem]:
    """Report each signature that does not verify against its key."""
    yield from signature_checks.problems_of(context, ID)
