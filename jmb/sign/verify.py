"""``jmb verify``'s core: ``jmb validate`` run with the signature rules alone (JMB406-JMB410 and
JMB412, JMB415, and JMB403 for the signatures' dates), listing what each signature proves as it
goes: proven by a key, checked for its digest only, or signed on paper and not proven at all. A
record whose signatures are all on paper is named in the summary: nothing proves its content, and
"0 problems" must not read as if it did.

Suppression comments cannot excuse what JMB406-JMB410 find (none of them can be silenced): a comment
is not part of the signed content, so it cannot excuse a change to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jmb.check.engine import validate
from jmb.check.reporters import finding_text
from jmb.check.rules import signature_checks, signature_date
from jmb.check.rules.base import RecordContext
from jmb.core.findings import Finding
from jmb.core.printable import printable
from jmb.repo.config import Config
from jmb.repo.records import find_records

#: The rules ``jmb verify`` runs: what each signature proves, and its date (a signature dated in the
#: future or before the decision proves nothing of when it was made).
VERIFY_CODES = (*signature_checks.CODES, signature_date.ID)


@dataclass(frozen=True)
class VerifiedSignature:
    """One signature as ``jmb verify`` reports it."""

    path: str
    line: int
    column: int
    role: str
    name: str
    day: date | None
    verdict: str
    #: Signed in ink: nothing in the record proves the content it approved.
    paper: bool = False


@dataclass
class VerifyResult:
    """What :func:`verify_records` found."""

    files: int = 0
    signatures: list[VerifiedSignature] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """True when any finding was made."""
        return bool(self.findings)


def verify_records(
    config: Config, refs: Sequence[str] = (), *, today: date | None = None
) -> VerifyResult:
    """Recompute every signature's digest and check every cryptographic signature of the records
    ``refs`` (numbers or paths; default: every record)."""
    paths = find_records(config.records_dir, refs)
    result = validate(
        paths, config=config, today=today, select=VERIFY_CODES, observe=signature_lines
    )
    return VerifyResult(files=result.files, signatures=result.observed, findings=result.findings)


def signature_lines(context: RecordContext) -> list[Any]:
    """Each made signature of the record and what checking it found (the rules have run, so the
    checks are made already)."""
    document = context.document
    lines = []
    for check in signature_checks.signature_checks(context):
        line, column = document.position(("signatures", check.index))
        lines.append(
            VerifiedSignature(
                document.path,
                line,
                column,
                check.role,
                check.name,
                check.day,
                check.verdict(),
                paper=check.paper,
            )
        )
    return lines


def verify_report(result: VerifyResult) -> str:
    """The text of ``jmb verify``: a line a signature, the findings, a summary."""
    lines = []
    for signature in result.signatures:
        when = signature.day.isoformat() if signature.day is not None else "undated"
        who = f"{signature.role}, {signature.name or 'unnamed'}, {when}"
        # Names and paths are the record's words: escaped, so that none can steer the terminal.
        lines.append(
            printable(
                f"{signature.path}:{signature.line}:{signature.column}: {who}: {signature.verdict}"
            )
        )
    lines.extend(finding_text(finding) for finding in result.findings)
    unproven = paper_only(result)
    for path in unproven:
        lines.append(
            printable(
                f"{path}: signed on paper only: nothing proves its content, which could be edited "
                "unnoticed; compare it with the signed original"
            )
        )
    records = "record" if result.files == 1 else "records"
    signatures = len(result.signatures)
    problems = len(result.findings)
    summary = (
        f"{signatures} signature{'' if signatures == 1 else 's'} in {result.files} {records} "
        f"verified: {problems} problem{'' if problems == 1 else 's'}"
    )
    if unproven:
        many = len(unproven) != 1
        summary += (
            f"; {len(unproven)} record{'s' if many else ''} signed on paper only, "
            f"{'their' if many else 'its'} content not proven"
        )
    lines.append(summary)
    return "\n".join(lines) + "\n"


def paper_only(result: VerifyResult) -> list[str]:
    """The records (paths, in the order verified) whose every signature was made on paper: no
    digest proves what any signatory approved."""
    paper: dict[str, bool] = {}
    for signature in result.signatures:
        paper[signature.path] = paper.get(signature.path, True) and signature.paper
    return [path for path, only in paper.items() if only]
