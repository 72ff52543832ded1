"""Suppression comments: ``# jmb: disable=CODE[,CODE] reason`` silences a finding on its line, or on
the whole value of a field whose key is on that line. Without a reason it does not take effect; a rule
whose module says ``SUPPRESSIBLE = False`` cannot be silenced at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from jmb.check.rules import RULES, UNSUPPRESSIBLE, bad_suppression
from jmb.check.rules.base import Rule
from jmb.core.findings import Finding
from jmb.core.names import dotted
from jmb.record.document import Document, Suppression


def apply_suppressions(document: Document, findings: list[Finding]) -> tuple[list[Finding], int]:
    """``findings`` less those the document's suppression comments silence, with a finding for each
    comment that cannot take effect; and how many were silenced."""
    suppressions = document.suppressions()
    if not suppressions:
        return findings, 0
    findings = list(findings)
    by_line: dict[int, set[str]] = {}
    for suppression in suppressions:
        problem = _suppression_problem(suppression)
        if problem:
            findings.append(
                _suppression_finding(document, suppression.line, suppression.column, problem)
            )
        if suppression.reason and not suppression.malformed:
            # Without a reason a suppression does not take effect: silencing is a decision that
            # must be reviewable.
            by_line.setdefault(suppression.line, set()).update(suppression.codes)
    if not by_line:
        return findings, 0
    key_lines = {
        dotted(path): node.start_mark.line + 1 for path, node in document.key_nodes.items()
    }
    present = set(key_lines) | {dotted(path) for path in document.value_nodes}
    kept: list[Finding] = []
    silenced = 0
    for finding in findings:
        if finding.code not in UNSUPPRESSIBLE and finding.code in _codes_for(
            finding, by_line, key_lines, present
        ):
            silenced += 1
        else:
            kept.append(finding)
    return kept, silenced


def _suppression_problem(suppression: Suppression) -> str:
    if suppression.malformed:
        return "cannot read this suppression: write # jmb: disable=CODE[,CODE] reason"
    unknown = [code for code in suppression.codes if code not in RULES]
    if unknown:
        return f"unknown rule {', '.join(unknown)} in the suppression"
    fixed = [code for code in suppression.codes if code in UNSUPPRESSIBLE]
    if fixed:
        return (
            f"{', '.join(fixed)} cannot be silenced: what protects Part 2 or proves a signature "
            "is not a matter of opinion"
        )
    if not suppression.reason:
        return "the suppression gives no reason, so it does not apply: say why after the codes"
    return ""


def _codes_for(
    finding: Finding, by_line: dict[int, set[str]], key_lines: dict[str, int], present: set[str]
) -> set[str]:
    """The codes suppressed for ``finding``: on its line, or on the key line of its field or of a
    parent. A field that is missing has no line of its own (it is placed at its parent, or at
    1:1), so only its parents' key lines count for it; a comment on line 1 is no file-wide switch."""
    codes: set[str] = set()
    if not finding.field or finding.field in present:
        codes |= by_line.get(finding.line, set())
    for prefix in _field_prefixes(finding.field):
        line = key_lines.get(prefix)
        if line:
            codes |= by_line.get(line, set())
    return codes


def _field_prefixes(name: str) -> Iterable[str]:
    for match in re.finditer(r"(?=[.\[])|$", name):
        if match.start():
            yield name[: match.start()]


def _suppression_finding(document: Document, line: int, column: int, message: str) -> Finding:
    rule: Rule = bad_suppression
    return document.finding_at(line, column, rule.ID, rule.SEVERITY, "", message)
