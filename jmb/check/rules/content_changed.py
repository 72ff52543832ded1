"""The content was edited after a signature: what was signed is not what the record now says.

``jmb sign`` stores with each signature the digest of the record's canonical content: every field
except ``status``, ``signatures`` and ``history``, so moving a record through its life changes
nothing. If one character of any other field changes after signing, the digest no longer matches
and the signature no longer vouches for the text. A comment, the indentation or the quoting style
changes nothing. A digest that is not ``sha256:`` and 64 hex digits is reported too, as is a
signature of an approved or published record with no digest at all, unless it was made in ink
(``method: paper``: see JMB415), since then nothing shows what was approved.

A declaration's signature also stores the statement declared, with ``statement_digest``, its own
digest: a statement edited after signing (or removed, its digest left behind) is reported the same
way, since Part 1 prints the stored statement as what was declared.

The finding names the fields changed since the signature (``changed since signing: title,
implications.financial``) when the version signed is in the repository's git history: jmb walks the
file's committed versions, newest first, for the one whose digest is the signature's, and compares
the two field by field. It names fields only, never their text. Without git, outside a git
repository, or when no committed version has the signed digest, it says it cannot tell. Git is asked
only about a record whose digest does not match, so checking a repository stays fast.

To approve the new text, the signatories sign again: remove the old signatures (git keeps them) and
run ``jmb sign``.
"""

from collections.abc import Iterator

from jmb.check.rules import signature_checks
from jmb.check.rules.base import Problem, RecordContext
from jmb.core.findings import Severity

ID = signature_checks.CONTENT_CHANGED
NAME = "content-changed"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "record"
SUPPRESSIBLE = False


def check(context: RecordContext) -> Iterator[Problem]:
    """Report each signature whose digest is not the content's."""
    yield from signature_checks.problems_of(context, ID)
