"""``jmb validate``'s core: check records against the rules and return a :class:`ValidationResult`.

One record is read once (libyaml), checked by the schema pass and every record rule, and has its
suppression comments applied. Numbers are then compared across records. Large runs are spread over the
machine's cores, one batch of files per process.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from jmb.config import Config, load_config
from jmb.document import Document, dotted, read_document
from jmb.findings import Finding, Severity
from jmb.result import ValidationResult
from jmb.rules import RECORD_RULES, RULES, bad_suppression, format_version
from jmb.rules.base import RecordContext, Rule
from jmb.rules.duplicate_number import NumberUse
from jmb.rules.duplicate_number import check_repository as duplicate_numbers
from jmb.rules.schema import schema_problems

#: Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 200

_RECORD_SUFFIXES = (".yaml", ".yml")


@dataclass
class FileResult:
    """What checking one file gives: its findings, and its number for the cross-record checks."""

    findings: list[Finding] = field(default_factory=list)
    number: NumberUse | None = None
    suppressed: int = 0


def validate(
    paths: Sequence[Path] = (),
    *,
    config: Config | None = None,
    today: date | None = None,
    jobs: int | None = None,
) -> ValidationResult:
    """Check the records at ``paths`` (files or folders; default: every record of the repository).

    ``today`` is the date signatures must not be after (default: the system date). ``jobs`` is the
    number of processes (default: one per core, for large runs).
    """
    config = config if config is not None else load_config()
    today = today if today is not None else date.today()
    files, missing = collect_files(paths, config)
    cwd = Path.cwd()
    named = [(path, display_path(path, cwd)) for path in files]
    results = _check_all(named, config, today, jobs)
    findings = list(missing)
    uses: list[NumberUse] = []
    suppressed = 0
    for result in results:
        findings.extend(result.findings)
        suppressed += result.suppressed
        if result.number is not None:
            uses.append(result.number)
    findings.extend(duplicate_numbers(uses))
    findings.sort()
    return ValidationResult(
        findings=findings, files=len(files) + len(missing), suppressed=suppressed
    )


def collect_files(paths: Sequence[Path], config: Config) -> tuple[list[Path], list[Finding]]:
    """The record files named by ``paths``, folders expanded, and a finding for each that is not there."""
    if not paths:
        paths = [config.records_dir]
        if not config.records_dir.is_dir():
            return [], []
    files: list[Path] = []
    missing: list[Finding] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    found
                    for found in path.rglob("*")
                    if found.suffix in _RECORD_SUFFIXES
                    and found.is_file()
                    and not any(part.startswith(".") for part in found.relative_to(path).parts)
                )
            )
        elif path.exists() or path.is_symlink():
            files.append(path)
        else:
            missing.append(
                Finding(
                    display_path(path), 1, 1, "JMB002", Severity.ERROR, "", "no such file or folder"
                )
            )
    return list(dict.fromkeys(files)), missing


def display_path(path: Path, cwd: Path | None = None) -> str:
    """``path`` as the user would type it: relative to the current folder when inside it."""
    if not path.is_absolute():
        return os.path.normpath(path)
    relative = os.path.relpath(path, cwd if cwd is not None else Path.cwd())
    return path.as_posix() if relative.startswith("..") else relative


def _check_all(
    files: list[tuple[Path, str]], config: Config, today: date, jobs: int | None
) -> list[FileResult]:
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(files) < PARALLEL_THRESHOLD:
        return _check_batch(files, config, today)
    batches = [files[start :: workers * 4] for start in range(workers * 4)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        batch_results = list(
            pool.map(_check_batch, batches, [config] * len(batches), [today] * len(batches))
        )
    return [result for batch in batch_results for result in batch]


def _check_batch(files: list[tuple[Path, str]], config: Config, today: date) -> list[FileResult]:
    return [check_file(path, config, today, display) for path, display in files]


def check_file(path: Path, config: Config, today: date, display: str | None = None) -> FileResult:
    """Every finding for one record file; ``display`` is how its path is shown."""
    document = read_document(path, display if display is not None else display_path(path))
    result = FileResult(findings=list(document.findings))
    if isinstance(document.data, dict):
        context = RecordContext(document=document, config=config, today=today, file=path)
        _run_rules(context, result.findings)
        number = document.data.get("number")
        if isinstance(number, str) and number.strip():
            line, column = document.position(("number",))
            result.number = NumberUse(number, document.path, line, column)
    _apply_suppressions(document, result)
    return result


def _run_rules(context: RecordContext, findings: list[Finding]) -> None:
    for problem in format_version.check(context):
        findings.append(context.to_finding(format_version, problem))
    if not format_version.supported(context):
        return  # a format this jmb does not know: nothing more can be said of it
    for rule, problem in schema_problems(context):
        findings.append(context.to_finding(rule, problem))
    for record_rule in RECORD_RULES:
        for problem in record_rule.check(context):
            findings.append(context.to_finding(record_rule, problem))


def _apply_suppressions(document: Document, result: FileResult) -> None:
    suppressions = document.suppressions()
    if not suppressions:
        return
    key_lines = {
        dotted(path): node.start_mark.line + 1 for path, node in document.key_nodes.items()
    }
    by_line: dict[int, set[str]] = {}
    for suppression in suppressions:
        unknown = [code for code in suppression.codes if code not in RULES]
        if unknown or not suppression.codes:
            result.findings.append(
                _suppression_finding(
                    document,
                    suppression.line,
                    suppression.column,
                    f"unknown rule {', '.join(unknown)} in the suppression"
                    if unknown
                    else "the suppression names no rule: write # jmb: disable=CODE reason",
                )
            )
        if not suppression.reason:
            result.findings.append(
                _suppression_finding(
                    document,
                    suppression.line,
                    suppression.column,
                    "the suppression gives no reason: say why after the codes",
                )
            )
        by_line.setdefault(suppression.line, set()).update(suppression.codes)
    kept: list[Finding] = []
    for finding in result.findings:
        if finding.code != bad_suppression.ID and finding.code in _codes_for(
            finding, by_line, key_lines
        ):
            result.suppressed += 1
        else:
            kept.append(finding)
    result.findings = kept


def _codes_for(
    finding: Finding, by_line: dict[int, set[str]], key_lines: dict[str, int]
) -> set[str]:
    """The codes suppressed for ``finding``: on its line, or on the key line of its field or a parent."""
    codes = set(by_line.get(finding.line, ()))
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
