"""A decision's life: moving its status through ``jmb status``, each move appended to its ``history``.

``approved`` is reached only by signing (:mod:`jmb.sign.signing`); ``jmb status`` makes every other
move. Which moves make sense is the state machine of :func:`transition_refusal`; whether the record is
fit for the move is the rules' to say, run on the record as it would be after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jmb.check.rules import history_order
from jmb.core.errors import RefusedError, UsageError
from jmb.core.findings import Finding
from jmb.record.model import Status
from jmb.repo.config import Config
from jmb.repo.records import find_record
from jmb.sign.transaction import (
    Change,
    LoadedRecord,
    all_errors,
    append_history,
    check_change,
    expected_data,
    refuse_as_it_stands,
    refuse_change,
    submitted_level_errors,
    update_record,
)

#: The statuses ``jmb status`` moves a record to.
STATUS_TARGETS = (
    Status.SUBMITTED,
    Status.DEFERRED,
    Status.REJECTED,
    Status.WITHDRAWN,
    Status.PUBLISHED,
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
    move makes no sense, or with the findings when the record is not fit for it (its status not the
    one its history records, a file jmb cannot edit in place, errors at the new status)."""
    wanted = parse_target(target)
    today = today if today is not None else date.today()
    day = day if day is not None else today
    note = " ".join(note.split()) if note else None
    path = find_record(config.records_dir, ref)

    def apply(record: LoadedRecord) -> tuple[Change, StatusChange]:
        current = Status.parse(record.data.get("status"))
        if current is None:
            errors = all_errors(record, config, today)
            raise RefusedError(f"{record.display} has no valid status to move from", errors)
        reason = transition_refusal(current, wanted)
        if reason:
            raise RefusedError(f"{record.display} stays {current}: {reason}")
        # A move starts from the status the history records, in a file jmb can edit in place.
        refuse_as_it_stands(record, config, today, f"{record.display} stays {current}")
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
        change = Change(edit, expected)
        after = check_change(record, change, config, today, [history_order.ID])
        refuse_change(f"{record.display} stays {current}", after)
        return change, StatusChange(path, current, wanted, day)

    return update_record(path, apply)


def _count(findings: list[Finding]) -> str:
    return f"{len(findings)} error{'' if len(findings) == 1 else 's'}"
