"""Turning a :class:`ValidationResult` into text for people and machines.

Every format is a :class:`Reporter` listed in :data:`REPORTERS`; the format is chosen in one place,
:func:`choose_format`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any, Protocol
from urllib.parse import quote

from jmb.check.result import ValidationResult
from jmb.check.rules import RULES
from jmb.check.rules.base import documentation, headline
from jmb.core.constants import VERSION
from jmb.core.findings import Finding, Severity
from jmb.core.printable import json_safe, printable, visible_name


class Reporter(Protocol):
    """Turns a result into the text of one output format; ``color`` matters to text only."""

    def __call__(self, result: ValidationResult, *, color: bool = False) -> str: ...


_RESET = "\033[0m"
_STYLE = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m"}
_DIM = "\033[2m"
_BOLD = "\033[1m"


def _line(finding: Finding, color: bool) -> str:
    # Every finding printed as text passes here: what came from a record or a file name is escaped,
    # so it can neither steer the terminal nor start a line of its own.
    where = f"{printable(finding.path)}:{finding.line}:{finding.column}:"
    message = printable(_message(finding))
    if not color:
        return f"{where} {finding.severity} {finding.code} {message}"
    style = _STYLE[finding.severity]
    return (
        f"{_BOLD}{where}{_RESET} {style}{finding.severity}{_RESET} "
        f"{_DIM}{finding.code}{_RESET} {message}"
    )


def _message(finding: Finding) -> str:
    return f"{visible_name(finding.field)}: {finding.message}" if finding.field else finding.message


def finding_text(finding: Finding, *, color: bool = False) -> str:
    """One finding as ``path:line:col: severity CODE field: message``, on one line, with control
    characters escaped."""
    return _line(finding, color)


def _summary(result: ValidationResult) -> str:
    records = "record" if result.files == 1 else "records"
    parts = [f"{result.files} {records} checked", _count(result.errors, "error")]
    parts.append(_count(result.warnings, "warning"))
    if result.suppressed:
        parts.append(f"{result.suppressed} suppressed")
    return ": ".join(parts[:1]) + ": " + ", ".join(parts[1:])


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def text_report(result: ValidationResult, *, color: bool = False) -> str:
    """``path:line:col: severity CODE field: message``, one a line, then a summary line."""
    lines = [_line(finding, color) for finding in result.findings]
    lines.append(_summary(result))
    return "\n".join(lines) + "\n"


def json_report(result: ValidationResult, *, color: bool = False) -> str:
    """An object with ``findings`` (each with every field of a finding) and ``counts``.

    One finding a line: readable, and each line goes through the C encoder (an indented dump is
    encoded in pure Python, slow for tens of thousands of findings)."""
    data = result.as_dict()
    findings = ",\n".join(
        f"    {json.dumps(finding, ensure_ascii=False)}" for finding in data["findings"]
    )
    counts = json.dumps(data["counts"])
    body = f"[\n{findings}\n  ]" if findings else "[]"
    return json_safe(f'{{\n  "findings": {body},\n  "counts": {counts}\n}}\n')


def _escape_github(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def github_report(result: ValidationResult, *, color: bool = False) -> str:
    """GitHub Actions workflow commands: an annotation on the line of each finding."""
    lines = []
    for finding in result.findings:
        kind = "error" if finding.severity is Severity.ERROR else "warning"
        # The log shows annotations as text and obeys colour codes: escape like the text format.
        message, path = printable(_message(finding)), printable(finding.path)
        lines.append(
            f"::{kind} file={_escape_github(path, prop=True)},line={finding.line},"
            f"col={finding.column},title={finding.code}::{_escape_github(message)}"
        )
    lines.append(_summary(result))
    return "\n".join(lines) + "\n"


def sarif_report(result: ValidationResult, *, color: bool = False) -> str:
    """SARIF 2.1.0, for code-scanning dashboards."""
    used = sorted({finding.code for finding in result.findings})
    rules = [
        {
            "id": code,
            "name": RULES[code].NAME,
            "shortDescription": {"text": headline(RULES[code])},
            "fullDescription": {"text": documentation(RULES[code])},
            "defaultConfiguration": {"level": str(RULES[code].SEVERITY)},
        }
        for code in used
    ]
    results: list[dict[str, Any]] = [
        {
            "ruleId": finding.code,
            "level": str(finding.severity),
            "message": {"text": _message(finding)},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(finding.path)},
                        "region": {"startLine": finding.line, "startColumn": finding.column},
                    }
                }
            ],
        }
        for finding in result.findings
    ]
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "jmb",
                        "version": VERSION,
                        "informationUri": "https://pypi.org/project/jmb/",
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json_safe(json.dumps(sarif, indent=2, ensure_ascii=False)) + "\n"


def _uri(path: str) -> str:
    """A finding's path as the relative URI reference SARIF asks for: percent-encoded from the
    file name's own bytes, so a name that is not UTF-8 is still exact."""
    return quote(os.fsencode(path.replace(os.sep, "/")), safe="/")


#: Every output format by name.
REPORTERS: Mapping[str, Reporter] = {
    "text": text_report,
    "json": json_report,
    "github": github_report,
    "sarif": sarif_report,
}


def choose_format(requested: str | None, *, environ: Mapping[str, str]) -> str:
    """The output format: as requested, else GitHub annotations under Actions, else text."""
    if requested and requested != "auto":
        return requested
    return "github" if environ.get("GITHUB_ACTIONS") == "true" else "text"


def use_color(choice: str, *, environ: Mapping[str, str], isatty: bool) -> bool:
    """Whether to colour the text: always, never, or (auto) at a terminal that is not dumb and
    when ``NO_COLOR`` is not set (https://no-color.org)."""
    if choice != "auto":
        return choice == "always"
    return isatty and not environ.get("NO_COLOR") and environ.get("TERM") != "dumb"
