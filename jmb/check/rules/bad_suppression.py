"""A ``# jmb: disable=...`` comment names an unknown rule or gives no reason.

Silencing a finding is a decision someone must be able to review, so the comment carries the reason
after the codes: ``# jmb: disable=JMB203 no consultation is needed for a contract novation``.
A suppression applies to findings on its own line, and to findings anywhere in the value of a field
whose key is on that line (so a comment after ``background: |`` covers the whole block).
"""

from jmb.core.findings import Severity

ID = "JMB010"
NAME = "bad-suppression"
SEVERITY = Severity.WARNING
SINCE = "0.1.0"
SCOPE = "load"
SUPPRESSIBLE = False
