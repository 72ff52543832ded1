"""Findings: the small, sortable values every check produces."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How bad a finding is. Errors fail ``jmb validate``; warnings fail it only under ``--strict``."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True, slots=True)
class Finding:
    """One problem in one file, at a 1-based line and column.

    Findings sort by path, then position, then code, which is the order they are reported in.
    """

    path: str
    line: int
    column: int
    code: str
    severity: Severity
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        """The finding as plain JSON types."""
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "severity": str(self.severity),
            "field": self.field,
            "message": self.message,
        }
