"""The result of a validation run: findings and counts, and the exit code they mean."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jmb.core.constants import RC
from jmb.core.findings import Finding, Severity


@dataclass
class ValidationResult:
    """What ``validate`` found in ``files`` record files, sorted by path and position."""

    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    #: Findings silenced by ``# jmb: disable=...`` comments.
    suppressed: int = 0
    #: What the run's observer returned for each record checked, in the order of the records.
    observed: list[Any] = field(default_factory=list)

    @property
    def errors(self) -> int:
        """How many findings are errors."""
        return sum(1 for finding in self.findings if finding.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        """How many findings are warnings."""
        return sum(1 for finding in self.findings if finding.severity is Severity.WARNING)

    def exit_code(self, *, strict: bool = False) -> RC:
        """:attr:`RC.FINDINGS` on any error (or, with ``strict``, any warning), else success."""
        if self.errors or (strict and self.warnings):
            return RC.FINDINGS
        return RC.SUCCESS

    def as_dict(self) -> dict[str, Any]:
        """The result as plain JSON types."""
        return {
            "findings": [finding.as_dict() for finding in self.findings],
            "counts": {
                "files": self.files,
                "errors": self.errors,
                "warnings": self.warnings,
                "suppressed": self.suppressed,
            },
        }
