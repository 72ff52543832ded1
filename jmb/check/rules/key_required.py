"""A signature without a key where one is required: it may be a keyed signature whose key was removed.

A digest alone proves little against someone who can edit the file: they can change the text and
write the new digest in. A key proves who signed, so once the roster ``signatories.yaml`` holds a key
of a role, valid on the date of a signature in that role, that signature must carry its ``key_id``
and ``signature``; one without them may be a keyed signature stripped of its key to hide an edit.
A signature with no date, or a date that cannot be right (before the decision, in the future), needs
a key if the roster holds any key of its role.
With ``[signing] require_keys = true`` in ``jmb.toml`` every signature needs a key, whatever the
roster holds. A roster that cannot be read is reported too: whether a key was needed cannot be told.

``jmb sign`` without ``--key`` refuses to make such a signature. A key's ``valid_from`` should be the
day it was made (``jmb keys new``'s default): a key dated back makes the signatures made before it
need one too.
"""

from collections.abc import Iterator

from jmb.check.rules import signature_checks
from jmb.check.rules.base import Problem, RecordContext
from jmb.core.findings import Severity

ID = signature_checks.KEY_REQUIRED
NAME = "key-required"
SEVERITY = Severity.ERROR
SINCE = "0.2.0"
SCOPE = "record"
SUPPRESSIBLE = False


def check(context: RecordContext) -> Iterator[Problem]:
    """Report each signature that has no key where a key is required."""
    yield from signature_checks.problems_of(context, ID)
