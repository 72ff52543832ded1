"""The wording a decision is printed with that comes from ``jmb.toml``, not from the record: the
organisation's name, the default board name, section 6 (public access) and each declaration's
statement. Editing ``jmb.toml`` would silently change what every past decision says, so the last
``jmb sign`` stores a fingerprint of each of these texts in the approval's history entry
(:func:`approval_wording`), and ``jmb render`` names what changed since (:func:`wording_changes`).

A declaration's statement is also stored in full with its signature (what the signatory declared is
part of what was signed), and Part 1 shows the stored text; the fingerprint here only says that the
configured one moved on.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from jmb.record.canonical import text_digest
from jmb.record.model import SIGNED_STATUSES, HistoryEntry, Record, Status
from jmb.repo.config import Config


def approval_wording(config: Config) -> dict[str, Any]:
    """The fingerprints (``sha256:...`` of each text, NFC, UTF-8) of the configured wording, as
    stored in an approval's history entry under ``wording``."""
    return {
        "organisation": text_digest(config.organisation.name),
        "board": text_digest(config.board.name),
        "access_statement": text_digest(config.publication.access_text()),
        "declarations": {
            role.role: text_digest(role.statement or "")
            for role in config.signatures
            if role.kind == "declaration"
        },
    }


def approval_entry(record: Record) -> HistoryEntry | None:
    """The history entry of the record's (last) approval that stores its wording, if any."""
    for entry in reversed(record.history or ()):
        if entry.status is Status.APPROVED and entry.wording is not None:
            return entry
    return None


def wording_changes(record: Record, config: Config, *, part: int) -> list[str]:
    """What of the configured wording printed in Part ``part`` of an approved (or published)
    record has changed since its approval, in words; empty when nothing has, when the record is
    not approved, or when its approval stored no wording (approved before jmb kept it)."""
    if record.status not in SIGNED_STATUSES:
        return []
    entry = approval_entry(record)
    if entry is None or entry.wording is None:
        return []
    then = entry.wording
    now = approval_wording(config)
    changed: list[str] = []
    if then.organisation is not None and then.organisation != now["organisation"]:
        changed.append("the organisation name")
    if record.board is None and then.board is not None and then.board != now["board"]:
        changed.append("the board name")
    if part != 1:
        return changed  # Part 2 prints the header only
    if then.access_statement is not None and then.access_statement != now["access_statement"]:
        changed.append("the public access statement (section 6)")
    stored = {
        signature.role: signature.statement
        for signature in record.signatures or ()
        if signature.statement is not None
    }
    for role, digest in (then.declarations or {}).items():
        if role in now["declarations"] and digest != now["declarations"][role]:
            shown = (
                "Part 1 shows the statement signed"
                if role in stored
                else "Part 1 shows the one configured now, which is not what was declared"
            )
            changed.append(f"the {role}'s declaration statement ({shown})")
    return changed


def approved_on(record: Record) -> date | None:
    """The date of the record's approval that stored its wording, if any."""
    entry = approval_entry(record)
    return entry.date if entry is not None else None
