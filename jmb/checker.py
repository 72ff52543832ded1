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
from jmb.document import Document, Suppression, read_document
from jmb.findings import Finding, Severity
from jmb.pydantic_paths import dotted
from jmb.repository import RECORD_SUFFIXES, number_lines, record_files
from jmb.result import ValidationResult
from jmb.rules import RECORD_RULES, RULES, bad_suppression, format_version
from jmb.rules.base import RecordContext, Rule
from jmb.rules.duplicate_number import NumberUse
from jmb.rules.duplicate_number import check_repository as duplicate_numbers
from jmb.rules.schema import schema_problems

#: What proves a decision was approved cannot be silenced by a comment in the file it proves (a
#: missing signature, content or keys that do not match the signatures), nor can Part 2 content
#: aliased into Part 1.
UNSUPPRESSIBLE = frozenset(
    {bad_suppression.ID, "JMB105", "JMB401", "JMB406", "JMB407", "JMB408", "JMB409", "JMB410"}
)

#: Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 200


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
    number of processes (default: one per core, for large runs). Numbers are compared with every
    record of the repository, even when only some are checked (as a pre-commit hook does).
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
    findings.extend(duplicate_numbers(uses, _unchecked_numbers(paths, files, config, cwd)))
    findings.sort()
    return ValidationResult(
        findings=findings, files=len(files) + len(missing), suppressed=suppressed
    )


def _unchecked_numbers(
    paths: Sequence[Path], files: list[Path], config: Config, cwd: Path
) -> list[NumberUse]:
    """The numbers of the repository's records that this run does not check."""
    if not paths:
        return []  # every record is checked
    checked = {os.path.realpath(path) for path in files}
    return [
        NumberUse(found.number, display_path(found.path, cwd), found.line, found.column)
        for found in number_lines(config.records_dir)
        if os.path.realpath(found.path) not in checked
    ]


def collect_files(paths: Sequence[Path], config: Config) -> tuple[list[Path], list[Finding]]:
    """The record files named by ``paths``, folders expanded, and a finding for each path that is
    not there (or, for the default, a ``records`` that is not a folder)."""
    if not paths:
        records = config.records_dir
        if records.is_dir():
            return list(record_files(records)), []
        if records.exists():
            return [], [_not_found(records, "records is not a folder; jmb keeps records in one")]
        return [], []
    files: list[Path] = []
    missing: list[Finding] = []
    for path in paths:
        if path.is_dir() and path.suffix not in RECORD_SUFFIXES:
            files.extend(record_files(path))
        elif path.exists() or path.is_symlink():
            files.append(path)  # a folder named like a record is reported by read_document
        else:
            missing.append(_not_found(path, "no such file or folder"))
    if len(paths) == 1:
        return files, missing  # one folder or file: each record found once already
    # The same file named twice (or by two spellings of its path) is checked once, where first named.
    seen: set[str] = set()
    unique = []
    for path in files:
        real = os.path.realpath(path)
        if real not in seen:
            seen.add(real)
            unique.append(path)
    return unique, missing


def _not_found(path: Path, message: str) -> Finding:
    return Finding(display_path(path), 1, 1, "JMB002", Severity.ERROR, "", message)


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
    return check_document(document, path, config, today)


def check_record(document: Document, path: Path, config: Config, today: date) -> list[Finding]:
    """What ``jmb validate PATH`` reports for the record read as ``document`` (which a caller may
    have adjusted, say to check a draft as if submitted): its findings, and its number compared
    with every other record of the repository."""
    result = check_document(document, path, config, today)
    uses = [result.number] if result.number is not None else []
    others = _unchecked_numbers([path], [path], config, Path.cwd())
    return sorted([*result.findings, *duplicate_numbers(uses, others)])


def check_document(document: Document, path: Path, config: Config, today: date) -> FileResult:
    """Every finding for one record already read as ``document``."""
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
    by_line: dict[int, set[str]] = {}
    for suppression in suppressions:
        problem = _suppression_problem(suppression)
        if problem:
            result.findings.append(
                _suppression_finding(document, suppression.line, suppression.column, problem)
            )
        if suppression.reason and not suppression.malformed:
            # Without a reason a suppression does not take effect: silencing is a decision that
            # must be reviewable.
            by_line.setdefault(suppression.line, set()).update(suppression.codes)
    if not by_line:
        return
    key_lines = {
        dotted(path): node.start_mark.line + 1 for path, node in document.key_nodes.items()
    }
    present = set(key_lines) | {dotted(path) for path in document.value_nodes}
    kept: list[Finding] = []
    for finding in result.findings:
        if finding.code not in UNSUPPRESSIBLE and finding.code in _codes_for(
            finding, by_line, key_lines, present
        ):
            result.suppressed += 1
        else:
            kept.append(finding)
    result.findings = kept


def _suppression_problem(suppression: Suppression) -> str:
    if suppression.malformed:
        return "cannot read this suppression: write # jmb: disable=CODE[,CODE] reason"
    unknown = [code for code in suppression.codes if code not in RULES]
    if unknown:
        return f"unknown rule {', '.join(unknown)} in the suppression"
    fixed = [code for code in suppression.codes if code in UNSUPPRESSIBLE]
    if fixed:
        return (
            f"{', '.join(fixed)} cannot be silenced: a signature's proof is not a matter of opinion"
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
