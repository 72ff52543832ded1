"""``jmb validate``'s core: check records against the rules and return a :class:`ValidationResult`.

One record is read once (libyaml), checked by the schema pass and every record rule, and has its
suppression comments applied. Numbers are then compared across records. Large runs are spread over the
machine's cores, one batch of files per process.

A run can select rules (``jmb verify`` is a run of the signature rules alone, and ``jmb sign`` checks a
planned change with them) and can observe each record checked, with a function that is given the
record's context once its rules have run (``jmb verify`` lists each signature that way).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from jmb.check.result import ValidationResult
from jmb.check.rules import RECORD_RULES, RULES, SCHEMA_CODES, format_version
from jmb.check.rules.base import RecordContext, summary
from jmb.check.rules.duplicate_number import NumberUse
from jmb.check.rules.duplicate_number import check_repository as duplicate_numbers
from jmb.check.rules.schema import schema_problems
from jmb.check.suppressions import apply_suppressions
from jmb.core.findings import Finding, Severity
from jmb.core.paths import display_path
from jmb.core.processes import map_in_processes
from jmb.record.confidential import withhold
from jmb.record.document import Document, LoadCode, read_document
from jmb.record.model import PART2_KEY
from jmb.repo.config import Config, load_config
from jmb.repo.records import RECORD_SUFFIXES, number_lines, scan_records

#: Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 200

#: What a run may be given to observe each record checked (see the module).
Observer = Callable[[RecordContext], list[Any]]


@dataclass
class FileResult:
    """What checking one file gives: its findings, and its number for the cross-record checks."""

    findings: list[Finding] = field(default_factory=list)
    number: NumberUse | None = None
    suppressed: int = 0
    observed: list[Any] = field(default_factory=list)


@dataclass(frozen=True)
class Selection:
    """Which rules a run reports (``None``: all) and who observes each record (``None``: nobody)."""

    codes: frozenset[str] | None = None
    observe: Observer | None = None

    def wants(self, code: str) -> bool:
        """Whether findings of ``code`` are reported."""
        return self.codes is None or code in self.codes


EVERY_RULE = Selection()


def validate(
    paths: Sequence[Path] = (),
    *,
    config: Config | None = None,
    today: date | None = None,
    jobs: int | None = None,
    select: Collection[str] | None = None,
    observe: Observer | None = None,
) -> ValidationResult:
    """Check the records at ``paths`` (files or folders; default: every record of the repository).

    ``today`` is the date signatures must not be after (default: the system date). ``jobs`` is the
    number of processes (default: one per core, for large runs). Numbers are compared with every
    record of the repository, even when only some are checked (as a pre-commit hook does).
    ``select`` limits the findings to those rule codes (a file that cannot be read is reported
    whatever is selected); ``observe`` is called with each record's context once its rules ran, and
    what it returns is gathered in :attr:`ValidationResult.observed`.
    """
    config = config if config is not None else load_config()
    today = today if today is not None else date.today()
    selection = Selection(frozenset(select) if select is not None else None, observe)
    files, missing = collect_files(paths, config)
    cwd = Path.cwd()
    named = [(path, display_path(path, cwd)) for path in files]
    results = _check_all(named, config, today, jobs, selection)
    findings = list(missing)
    uses: list[NumberUse] = []
    observed: list[Any] = []
    suppressed = 0
    for result in results:
        findings.extend(result.findings)
        suppressed += result.suppressed
        observed.extend(result.observed)
        if result.number is not None:
            uses.append(result.number)
    findings.extend(
        finding
        for finding in duplicate_numbers(
            uses, _unchecked_numbers(paths, files, config, cwd), config.number_pattern
        )
        if selection.wants(finding.code)
    )
    findings.sort()
    return ValidationResult(
        findings=findings, files=len(files) + len(missing), suppressed=suppressed, observed=observed
    )


def _unchecked_numbers(
    paths: Sequence[Path], files: list[Path], config: Config, cwd: Path
) -> list[NumberUse]:
    """The numbers of the repository's records that this run does not check."""
    if not paths:
        return []  # every record is checked
    # The checked files are read already: not read again, and not compared with themselves.
    return [
        NumberUse(found.number, display_path(found.path, cwd), found.line, found.column)
        for found in number_lines(config.records_dir, skip=files)
    ]


def collect_files(paths: Sequence[Path], config: Config) -> tuple[list[Path], list[Finding]]:
    """The record files named by ``paths``, folders expanded, and a finding for each path that is
    not there (or, for the default, a ``records`` that is not a folder) and for each folder whose
    records cannot be listed."""
    if not paths:
        records = config.records_dir
        if records.is_dir():
            return _records_in(records)
        if records.exists():
            return [], [_not_found(records, "records is not a folder; jmb keeps records in one")]
        return [], []
    files: list[Path] = []
    missing: list[Finding] = []
    for path in paths:
        try:
            path.lstat()
        except (FileNotFoundError, NotADirectoryError):
            missing.append(_not_found(path, "no such file or folder"))
            continue
        except OSError as error:  # in a folder that cannot be searched: unreadable, as JMB002 says
            missing.append(_not_found(path, f"cannot be read: {error.strerror or error}"))
            continue
        # os.path.isdir says no for what it cannot look into; Path.is_dir raises (Python 3.11).
        if os.path.isdir(path) and path.suffix not in RECORD_SUFFIXES:  # noqa: PTH112
            found, unreadable = _records_in(path)
            files.extend(found)
            missing.extend(unreadable)
        else:
            files.append(path)  # a folder named like a record is reported by read_document
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


def _records_in(folder: Path) -> tuple[list[Path], list[Finding]]:
    """The record files under ``folder``, and a finding for each folder under it that cannot be
    listed: its records would otherwise be skipped without a word."""
    scan = scan_records(folder)
    return scan.files, [
        _not_found(
            unreadable,
            f"a folder that cannot be read ({error.strerror or error}): its records are not checked",
        )
        for unreadable, error in scan.unreadable
    ]


def _not_found(path: Path, message: str) -> Finding:
    return Finding(display_path(path), 1, 1, LoadCode.UNREADABLE, Severity.ERROR, "", message)


def _check_all(
    files: list[tuple[Path, str]],
    config: Config,
    today: date,
    jobs: int | None,
    selection: Selection,
) -> list[FileResult]:
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(files) < PARALLEL_THRESHOLD:
        return _check_batch(files, config, today, selection)
    # Four batches a worker, each taking every count-th file, so that the batches cost alike (a
    # folder of long records is shared out); the results are put back in the order of the files.
    # The workers are jmb's own (jmb.core.processes): Ctrl-C stops giving out batches, a worker's
    # error is raised as itself, and the workers end with a caller killed outright.
    count = workers * 4
    batches = [(files[start::count], config, today, selection) for start in range(count)]
    batch_results = map_in_processes(_check_packed_batch, batches, jobs=workers)
    ordered: list[FileResult] = [FileResult()] * len(files)
    for start, batch in enumerate(batch_results):
        ordered[start::count] = batch
    return ordered


def _check_packed_batch(
    batch: tuple[list[tuple[Path, str]], Config, date, Selection],
) -> list[FileResult]:
    return _check_batch(*batch)


def _check_batch(
    files: list[tuple[Path, str]], config: Config, today: date, selection: Selection
) -> list[FileResult]:
    return [check_file(path, config, today, display, selection) for path, display in files]


def check_file(
    path: Path,
    config: Config,
    today: date,
    display: str | None = None,
    selection: Selection = EVERY_RULE,
) -> FileResult:
    """Every finding for one record file; ``display`` is how its path is shown."""
    shown = display if display is not None else display_path(path)
    # Within the repository, a link that leads out of it is refused: findings quote a record's text.
    document = read_document(path, shown, root=config.root)
    return check_document(document, path, config, today, selection)


def check_record(document: Document, path: Path, config: Config, today: date) -> list[Finding]:
    """What ``jmb validate PATH`` reports for the record read as ``document`` (which a caller may
    have adjusted, say to check a draft as if submitted): its findings, and its number compared
    with every other record of the repository."""
    result = check_document(document, path, config, today)
    uses = [result.number] if result.number is not None else []
    others = _unchecked_numbers([path], [path], config, Path.cwd())
    return sorted([*result.findings, *duplicate_numbers(uses, others, config.number_pattern)])


def check_document(
    document: Document,
    path: Path,
    config: Config,
    today: date,
    selection: Selection = EVERY_RULE,
) -> FileResult:
    """Every finding (of the selected rules) for one record already read as ``document``."""
    result = FileResult(findings=list(document.findings))
    if isinstance(document.data, dict):
        context = RecordContext(document=document, config=config, today=today, file=path)
        _run_rules(context, result.findings, selection)
        if selection.observe is not None:
            result.observed = selection.observe(context)
        number = document.data.get("number")
        if isinstance(number, str) and number.strip():
            line, column = document.position(("number",))
            result.number = NumberUse(number, document.path, line, column)
    result.findings, result.suppressed = apply_suppressions(document, result.findings)
    result.findings = _withhold_part2_lines(document, result.findings)
    if selection.codes is not None:
        # What could not be read is reported whatever the selection: nothing else could be checked.
        loaded = {code.value for code in LoadCode}
        result.findings = [
            finding
            for finding in result.findings
            if finding.code in selection.codes or finding.code in loaded
        ]
    return result


def _withhold_part2_lines(document: Document, findings: list[Finding]) -> list[Finding]:
    """Findings without a field (a suppression comment's, say) on a line of Part 2 say what they
    are and nothing of the line: a comment in Part 2 is as confidential as its text. Findings with a
    field were withheld as they were made (:mod:`jmb.record.confidential`)."""
    node = document.value_nodes.get((PART2_KEY,))
    if node is None or all(finding.field for finding in findings):
        return findings
    key = document.key_nodes.get((PART2_KEY,), node)
    first = key.start_mark.line + 1
    # A block mapping ends where the next key starts, at its column 0.
    last = node.end_mark.line + (1 if node.end_mark.column else 0)
    return [
        withhold(finding, _what(finding.code), in_part2_anyway=True)
        if not finding.field and first <= finding.line <= last
        else finding
        for finding in findings
    ]


def _what(code: str) -> str:
    rule = RULES.get(code)
    return summary(rule) if rule is not None else "a problem"


def _run_rules(context: RecordContext, findings: list[Finding], selection: Selection) -> None:
    for problem in format_version.check(context):
        findings.append(context.to_finding(format_version, problem))
    if not format_version.supported(context):
        return  # a format this jmb does not know: nothing more can be said of it
    if selection.codes is None or selection.codes & SCHEMA_CODES:
        for rule, problem in schema_problems(context):
            findings.append(context.to_finding(rule, problem))
    for record_rule in RECORD_RULES:
        if not selection.wants(record_rule.ID):
            continue
        for problem in record_rule.check(context):
            findings.append(context.to_finding(record_rule, problem))
