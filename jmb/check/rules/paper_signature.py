"""A signature on paper where a digest is due, or one that claims both paper and jmb.

A decision archived from before jmb was signed in ink, and its record says so: the signature entry
has ``method: paper`` (``wet-ink`` means the same) and, optionally, ``evidence``, the file or URL of
the signed original. It still names its role, signatory and date (JMB402, JMB403 and JMB404 apply),
but it has no digest, so nothing in the record shows what was signed: ``jmb verify`` lists it as
"signed on paper, not proven", never as proven, and an edit to such a record goes unnoticed. The
signed original is the proof.

This rule reports:

- a signature on paper dated on or after ``[signing] digests_from`` in ``jmb.toml`` (or undated, or
  dated where no date can be right), so that a new decision cannot dodge the digest by being marked
  as signed on paper;
- a signature on paper that carries a ``digest``, ``key_id``, ``signature`` or ``statement_digest``:
  it claims to be made both in ink and by ``jmb sign``, and one of the two is untrue;
- ``evidence`` on a signature that is not on paper.

``jmb sign`` never writes a signature on paper; ``jmb import`` does, for the forms it reads. Once the
roster holds a key of the role valid on the signature's date, a signature on paper needs a key like
any other (JMB412); with ``[signing] require_keys = true`` it is accepted only when dated before
``digests_from``.
"""

from collections.abc import Iterator

from jmb.check.rules import signature_checks
from jmb.check.rules.base import Problem, RecordContext
from jmb.core.findings import Severity

ID = signature_checks.PAPER_SIGNATURE
NAME = "paper-signature"
SEVERITY = Severity.ERROR
SINCE = "0.2.0"
SCOPE = "record"
SUPPRESSIBLE = False


def check(context: RecordContext) -> Iterator[Problem]:
    """Report each signature on paper that is not allowed, or claims what paper cannot."""
    yield from signature_checks.problems_of(context, ID)
