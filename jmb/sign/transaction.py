"""Changing a record file safely: a lock, one read, the change planned, checked as the record would be
after it, a check that nothing else changed, an atomic write.

``jmb sign`` and ``jmb status`` are both such a change. Neither repeats a rule of ``jmb validate``: each
refuses a change by running the rules on the record as it would be after the change
(:func:`check_change`), so every check exists once, in :mod:`jmb.check.rules`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from jmb.check.engine import Selection, check_document, check_record
from jmb.check.rules import not_signable, status_history
from jmb.core.atomic import write_text_atomic
from jmb.core.errors import RecordError, RefusedError
from jmb.core.findings import Finding, Severity
from jmb.core.locks import held
from jmb.core.paths import display_path
from jmb.record.document import Document, parse_text, read_document
from jmb.record.model import Status
from jmb.record.roundtrip import Entry, Scalar, YamlEdit
from jmb.repo.config import Config

T = TypeVar("T")


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
    _after: Document | None = None

    def after(self, display: str) -> Document:
        """The record as it would read after the change (positions in the changed text); read
        once, for the rules and for the check before writing alike."""
        if self._after is None:
            self._after = Document(path=display, text=self.edit.result())
            parse_text(self._after)
        return self._after


def update_record(path: Path, apply: Callable[[LoadedRecord], tuple[Change, T]]) -> T:
    """Lock the record, read it once, let ``apply`` plan a change (or refuse by raising), check that
    the edited text reads back as exactly the data ``apply`` expects, and write it atomically.

    The lock serialises jmb processes changing one record on this machine, so two signatures made
    at the same moment both land: the second reads the file the first wrote."""
    display = display_path(path)
    with held("record", path, busy=f"another jmb working on {display}"):
        record = _load(path, display)
        change, outcome = apply(record)
        _save(record, change)
        return outcome


def _load(path: Path, display: str) -> LoadedRecord:
    document = read_document(path, display)
    errors = [finding for finding in document.findings if finding.severity is Severity.ERROR]
    if errors or not isinstance(document.data, dict):
        raise RefusedError(f"{display} cannot be read as a record", errors)
    return LoadedRecord(path=path, display=display, document=document, bom=document.bom)


def _save(record: LoadedRecord, change: Change) -> None:
    reread = change.after(record.display)
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
        write_text_atomic(record.path, record.bom + reread.text)  # keeps the file's mode
    except OSError as error:
        raise RecordError(f"cannot write {record.display}: {error.strerror or error}") from None


def expected_data(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``data`` to apply a planned change to."""
    return copy.deepcopy(data)


def append_history(
    edit: YamlEdit,
    expected: dict[str, Any],
    status: Status,
    day: date,
    note: str | None,
    wording: Entry | None = None,
) -> None:
    """Move the status to ``status`` and append ``{status, date, note}`` (and, for an approval,
    the ``wording`` it was approved under) to ``history``, in the text and in the expected data
    alike."""
    edit.set_value(edit.root, "status", str(status))
    expected["status"] = str(status)
    entry: dict[str, Scalar | Entry] = {"status": str(status), "date": day}
    if note:
        entry["note"] = note
    if wording is not None:
        entry["wording"] = wording
    edit.append_item(edit.root, "history", entry)
    history = expected.get("history")
    expected["history"] = [*(history if isinstance(history, list) else []), entry]


# -- checks --------------------------------------------------------------------------------------


def submitted_level_errors(record: LoadedRecord, config: Config, today: date) -> list[Finding]:
    """The errors the record has if it is checked as ``submitted`` (a draft's completeness warnings
    become errors). Signature lines left blank for the signatories still to come are not errors:
    they are what a submitted record waits for (see JMB402). Whether the status agrees with the
    history (JMB413) is not asked of the pretended status: :func:`refuse_as_it_stands` asks it of
    the real one."""
    document = record.document
    if Status.parse(record.data.get("status")) is not None:
        document = copy.copy(document)
        document.data = {**record.data, "status": str(Status.SUBMITTED)}
    findings = check_record(document, record.path, config, today)
    return _errors([finding for finding in findings if finding.code != status_history.ID])


#: What must be put right before jmb changes a record: a file it cannot edit in place (a warning
#: for validate, a refusal here), and a status its history does not back.
AS_IT_STANDS = frozenset({not_signable.ID, status_history.ID})


def refuse_as_it_stands(record: LoadedRecord, config: Config, today: date, what: str) -> None:
    """Refuse (with the findings) a change to a record that jmb cannot edit in place (JMB414) or
    whose status is not the one its history records (JMB413), by those rules run on the record as
    it stands. ``what`` says what did not happen ("records/x.yaml not signed")."""
    selection = Selection(codes=AS_IT_STANDS)
    findings = check_document(record.document, record.path, config, today, selection).findings
    found = sorted({finding.code for finding in findings if finding.code in AS_IT_STANDS})
    if found:
        codes = " and ".join(found)
        raise RefusedError(
            f"{what}: put right what {codes} {'says' if len(found) == 1 else 'say'} first", findings
        )


def all_errors(record: LoadedRecord, config: Config, today: date) -> list[Finding]:
    """The errors ``jmb validate`` reports for the record as it stands."""
    return _errors(check_record(record.document, record.path, config, today))


def check_change(
    record: LoadedRecord,
    change: Change,
    config: Config,
    today: date,
    codes: Collection[str],
    *,
    as_status: Status | None = None,
) -> list[Finding]:
    """The errors the rules ``codes`` find in the record as it would be after ``change`` (checked
    as if at ``as_status``, when given, as a signature short of approval is checked as submitted)."""
    after = change.after(record.display)
    if as_status is not None and isinstance(after.data, dict):
        after = copy.copy(after)  # the change's own reading stays as it is, for the write
        after.data = {**after.data, "status": str(as_status)}
    selection = Selection(codes=frozenset(codes))
    return _errors(check_document(after, record.path, config, today, selection).findings)


def refuse_change(what: str, errors: list[Finding]) -> None:
    """Refuse a change whose after-state has ``errors``, saying each (the lines are those of the
    changed text, which is never written, so the message carries them, not the places)."""
    if errors:
        reasons = "; ".join(f"{error.message} ({error.code})" for error in errors)
        raise RefusedError(f"{what}: {reasons}")


def _errors(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.severity is Severity.ERROR]
