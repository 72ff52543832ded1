"""A decision's life: finding a record by its number, moving its status, and changing a record file
safely (a lock, one read, the change, a check that nothing else changed, an atomic write).

``approved`` is reached only by signing (:mod:`jmb.signing`); ``jmb status`` makes every other move.
Each move is appended to the record's ``history``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from jmb.config import Config
from jmb.document import Document, parse_text, read_document
from jmb.errors import RecordError, RefusedError, UsageError
from jmb.findings import Finding, Severity
from jmb.model import Status
from jmb.roundtrip import Scalar, YamlEdit

T = TypeVar("T")


#: The statuses ``jmb status`` moves a record to.
STATUS_TARGETS = (
    Status.SUBMITTED,
    Status.DEFERRED,
    Status.REJECTED,
    Status.WITHDRAWN,
    Status.PUBLISHED,
)


# -- finding a record ----------------------------------------------------------------------------


def find_record(config: Config, ref: str) -> Path:
    """The record file ``ref`` names: a path to a file, or a decision number such as ``2019/09``."""
    from jmb import repository

    return repository.find_record(config.records_dir, ref)


def _shown(path: Path) -> str:
    from jmb.checker import display_path

    return display_path(path)


# -- changing a record safely --------------------------------------------------------------------


@dataclass
class LoadedRecord:
    """A record read under the lock, for one change."""

    path: Path
    display: str
    document: Document
    #: The byte-order mark the file starts with, if any, kept on writing.
    bom: str

    @property
    def data(self) -> dict[str, Any]:
        """The record's plain data."""
        return self.document.data if isinstance(self.document.data, dict) else {}

    def editor(self) -> YamlEdit:
        """An in-place editor of the record's text."""
        return YamlEdit(self.document.text, source=self.display)


@dataclass
class Change:
    """What a caller of :func:`update_record` wants written: the edits, and the data they must give."""

    edit: YamlEdit
    expected: dict[str, Any]


def update_record(path: Path, apply: Callable[[LoadedRecord], tuple[Change, T]]) -> T:
    """Lock the record, read it once, let ``apply`` plan a change (or refuse by raising), check that
    the edited text reads back as exactly the data ``apply`` expects, and write it atomically.

    The lock serialises jmb processes changing one record on this machine, so two signatures made
    at the same moment both land: the second reads the file the first wrote."""
    from filelock import FileLock, Timeout

    from jmb.keys import lock_path

    display = _shown(path)
    lock = FileLock(lock_path("record", path), timeout=60)
    try:
        with lock:
            record = _load(path, display)
            change, outcome = apply(record)
            _save(record, change)
            return outcome
    except Timeout:
        raise RecordError(f"another jmb has held the lock on {display} for 60 s") from None


def _load(path: Path, display: str) -> LoadedRecord:
    document = read_document(path, display)
    errors = [finding for finding in document.findings if finding.severity is Severity.ERROR]
    if errors or not isinstance(document.data, dict):
        raise RefusedError(f"{display} cannot be read as a record", errors)
    return LoadedRecord(path=path, display=display, document=document, bom=document.bom)


def _save(record: LoadedRecord, change: Change) -> None:
    from jmb.atomic import write_text_atomic

    text = change.edit.result()
    reread = Document(path=record.display, text=text)
    parse_text(reread)
    if reread.findings or reread.data != change.expected:
        # The in-place edit would change something besides what was meant: write nothing.
        raise RecordError(
            f"cannot change {record.display} in place without touching something else; "
            "nothing was written (is the signature block hand-formatted in an unusual way?)"
        )
    try:
        # The lock keeps other jmb processes out, not an editor: if the file changed since it was
        # read, writing would lose that change.
        on_disk = record.path.read_bytes().decode("utf-8", "replace")
        if on_disk != record.bom + record.document.text:
            raise RecordError(
                f"{record.display} changed while jmb was working on it; nothing was written: "
                "run the command again"
            )
        write_text_atomic(record.path, record.bom + text)  # keeps the file's mode
    except OSError as error:
        raise RecordError(f"cannot write {record.display}: {error.strerror or error}") from None


def expected_data(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``data`` to apply a planned change to."""
    return copy.deepcopy(data)


def append_history(
    edit: YamlEdit, expected: dict[str, Any], status: Status, day: date, note: str | None
) -> None:
    """Move the status to ``status`` and append ``{status, date, note}`` to ``history``, in the
    text and in the expected data alike."""
    edit.set_value(edit.root, "status", str(status))
    expected["status"] = str(status)
    entry: dict[str, Scalar] = {"status": str(status), "date": day}
    if note:
        entry["note"] = note
    edit.append_item(edit.root, "history", entry)
    history = expected.get("history")
    expected["history"] = [*(history if isinstance(history, list) else []), entry]


# -- checks --------------------------------------------------------------------------------------


def submitted_level_errors(record: LoadedRecord, config: Config, today: date) -> list[Finding]:
    """The errors the record has if it is checked as ``submitted`` (a draft's completeness warnings
    become errors). Signature lines left blank for the signatories still to come are not errors:
    they are what a submitted record waits for (see JMB402)."""
    document = record.document
    if _status(record.data) is not None:
        document = copy.copy(document)
        document.data = {**record.data, "status": str(Status.SUBMITTED)}
    return _errors(document, record, config, today)


def all_errors(record: LoadedRecord, config: Config, today: date) -> list[Finding]:
    """The errors ``jmb validate`` reports for the record as it stands."""
    return _errors(record.document, record, config, today)


def _errors(document: Document, record: LoadedRecord, config: Config, today: date) -> list[Finding]:
    from jmb.checker import check_record

    findings = check_record(document, record.path, config, today)
    return [finding for finding in findings if finding.severity is Severity.ERROR]


def blank_signature_indexes(data: dict[str, Any]) -> list[int]:
    """The signature entries that name a role and nothing else: lines waiting to be signed."""
    from jmb.rules.base import awaiting_signature

    signatures = data.get("signatures")
    return [
        index
        for index, item in enumerate(signatures if isinstance(signatures, list) else ())
        if isinstance(item, dict) and awaiting_signature(item)
    ]


def _status(data: dict[str, Any]) -> Status | None:
    value = data.get("status")
    try:
        return Status(value) if isinstance(value, str) else None
    except ValueError:
        return None


def check_day(day: date, today: date, decided: date | None, *, what: str) -> None:
    """Refuse a date in the future, or (when ``decided`` is given) before the decision's date."""
    if day > today:
        raise RefusedError(f"the {what} date {day.isoformat()} is in the future")
    if decided is not None and day < decided:
        raise RefusedError(
            f"the {what} date {day.isoformat()} is before the decision's date {decided.isoformat()}"
        )


# -- jmb status ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusChange:
    """What :func:`change_status` did."""

    path: Path
    before: Status
    after: Status
    day: date


def transition_refusal(current: Status, target: Status) -> str:
    """Why a record cannot move from ``current`` to ``target``; empty when it can."""
    if target is Status.APPROVED:
        return "approved is reached only by signing: jmb sign adds the signatures"
    if target is Status.DRAFT:
        return "nothing goes back to draft: the history of a decision is kept"
    if current is target:
        return f"the record is already {current}"
    if current is Status.WITHDRAWN:
        return "nothing leaves withdrawn: a withdrawn decision comes back as a new record"
    if current is Status.REJECTED:
        return "a rejected decision is final: it comes back as a new record"
    if current is Status.PUBLISHED:
        return "a published decision is final: a change to it is a new decision"
    allowed = {
        Status.SUBMITTED: ({Status.DRAFT, Status.DEFERRED}, "a draft or a deferred decision"),
        Status.DEFERRED: ({Status.SUBMITTED}, "a submitted decision"),
        Status.REJECTED: ({Status.SUBMITTED, Status.DEFERRED}, "a submitted or deferred decision"),
        Status.WITHDRAWN: (
            {Status.DRAFT, Status.SUBMITTED, Status.DEFERRED},
            "a decision not yet approved",
        ),
        Status.PUBLISHED: ({Status.APPROVED}, "an approved decision"),
    }
    sources, described = allowed[target]
    if current not in sources:
        return f"only {described} can be {target}; this one is {current}"
    return ""


def parse_target(value: str) -> Status:
    """The status ``jmb status`` was asked for (a usage error for a word that is no status)."""
    try:
        return Status(value.strip().lower())
    except ValueError:
        choices = ", ".join(str(status) for status in STATUS_TARGETS)
        raise UsageError(
            f"{value!r} is not a status; jmb status moves a record to {choices}"
        ) from None


def change_status(
    config: Config,
    ref: str,
    target: str,
    *,
    day: date | None = None,
    note: str | None = None,
    today: date | None = None,
) -> StatusChange:
    """Move the record ``ref`` to the status ``target`` on ``day`` (default: today), appending
    ``{status, date, note}`` to its history. Raises :class:`RefusedError` with the reason when the
    move makes no sense, or with the findings when the record is not fit for it."""
    wanted = parse_target(target)
    today = today if today is not None else date.today()
    day = day if day is not None else today
    note = " ".join(note.split()) if note else None
    path = find_record(config, ref)

    def apply(record: LoadedRecord) -> tuple[Change, StatusChange]:
        current = _status(record.data)
        if current is None:
            errors = all_errors(record, config, today)
            raise RefusedError(f"{record.display} has no valid status to move from", errors)
        reason = transition_refusal(current, wanted)
        if reason:
            raise RefusedError(f"{record.display} stays {current}: {reason}")
        check_day(day, today, None, what=str(wanted))
        history = record.data.get("history")
        last = last_history_date(history)
        if last is not None and day < last:
            raise RefusedError(
                f"the {wanted} date {day.isoformat()} is before the last change in the history "
                f"({last.isoformat()}); history runs forward"
            )
        if wanted is Status.SUBMITTED:
            errors = submitted_level_errors(record, config, today)
            if errors:
                raise RefusedError(
                    f"{record.display} is not fit to submit: {_count(errors)} at submitted level",
                    errors,
                )
        if wanted is Status.PUBLISHED:
            errors = all_errors(record, config, today)
            if errors:
                raise RefusedError(
                    f"{record.display} is not fit to publish: {_count(errors)}", errors
                )
        edit = record.editor()
        expected = expected_data(record.data)
        append_history(edit, expected, wanted, day, note)
        return Change(edit, expected), StatusChange(path, current, wanted, day)

    return update_record(path, apply)


def last_history_date(history: Any) -> date | None:
    """The latest date in a record's history, if it has one."""
    from jmb.rules.base import as_date

    dates = [
        as_date(entry.get("date"))
        for entry in (history if isinstance(history, list) else ())
        if isinstance(entry, dict)
    ]
    known = [found for found in dates if found is not None]
    return max(known) if known else None


def _count(findings: list[Finding]) -> str:
    return f"{len(findings)} error{'' if len(findings) == 1 else 's'}"
