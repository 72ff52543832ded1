"""``jmb sign``'s core: a signature says who approved what, in which role and when.

Every signature made by jmb carries the digest of the record's canonical content
(:mod:`jmb.record.canonical`), so an edit after signing is caught; with a key it also carries an
Ed25519 signature over the signed statement. A declaration's signature stores the statement declared,
with its digest, and a key signs it too. The last signature, which approves the record, stores in the
history a fingerprint of the configured wording it was approved under (:mod:`jmb.repo.wording`).
Before anything is written the signature is checked as it would stand, by the same rules
``jmb verify`` runs (:data:`SIGNING_CODES`).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jmb.check.rules import (
    history_order,
    missing_signature,
    signature_checks,
    signature_date,
)
from jmb.check.rules.base import as_date, awaiting_signature, is_blank
from jmb.core.errors import RefusedError, UsageError
from jmb.record.canonical import content_digest, statement, text_digest
from jmb.record.model import Status
from jmb.record.roundtrip import Scalar
from jmb.repo.config import Config
from jmb.repo.records import find_record
from jmb.repo.wording import approval_wording
from jmb.sign.keys import load_signing_key
from jmb.sign.transaction import (
    Change,
    LoadedRecord,
    append_history,
    check_change,
    expected_data,
    refuse_as_it_stands,
    refuse_change,
    submitted_level_errors,
    update_record,
)

#: The rules a signature must pass as it would stand before ``jmb sign`` writes it: its date, the
#: signatures an approval needs, what the digest and the key prove (and whether a key was needed),
#: and the history it extends.
SIGNING_CODES = (
    missing_signature.ID,
    signature_date.ID,
    *signature_checks.CODES,
    history_order.ID,
)


@dataclass(frozen=True)
class SignResult:
    """What :func:`sign_record` wrote."""

    path: Path
    role: str
    name: str
    day: date
    digest: str
    key_id: str | None
    #: True when this was the last signature and the record moved to ``approved``.
    approved: bool


def sign_record(
    config: Config,
    ref: str,
    *,
    role: str,
    name: str,
    day: date | None = None,
    key_file: Path | None = None,
    passphrase: str = "",
    today: date | None = None,
) -> SignResult:
    """Sign the record ``ref`` (a number or a path) as ``name`` in ``role`` on ``day`` (default:
    today), with the private key in ``key_file`` (opened with ``passphrase``) when given.

    Fills the blank signature line of the role, or adds one; the last configured signature moves the
    record to ``approved`` and records it in ``history``. Refuses (:class:`RefusedError`) a role
    that already signed, a record that is not ``submitted`` (or a ``draft``, with ``[signing] from =
    "draft"``), has errors at submitted level or cannot be edited in place, a status its history
    does not back, a sign-off out of the configured order, a date before the decision or in the
    future, a key that the roster does not give to ``name`` in ``role`` on ``day``, and no key
    where one is required."""
    role = config.signing_role(role)
    name = " ".join(name.split())
    if not name:
        raise UsageError("--name is empty")
    today = today if today is not None else date.today()
    day = day if day is not None else today
    path = find_record(config.records_dir, ref)
    key = load_signing_key(key_file, passphrase) if key_file is not None else None

    def apply(record: LoadedRecord) -> tuple[Change, SignResult]:
        data = record.data
        entries = _entries(record)
        target = _line_to_fill(entries, role, record.display)
        status = Status.parse(data.get("status"))
        if status is not None:
            _check_status(config, record.display, data.get("number"), status)
        refuse_as_it_stands(record, config, today, f"{record.display} not signed")
        edit = record.editor()  # one round-trip parse, for checking the list and for the change
        found = edit.get(edit.root, "signatures")
        if found is not None and len(edit.items(found[1])) != len(entries):
            raise RefusedError(f"{record.display}: signatures cannot be edited in place")
        blank = _blank(data)
        signed = {item.get("role") for index, item in entries if index not in blank}
        _check_order(config, role, signed)
        last = _latest_history_date(data.get("history"))
        if last is not None and day < last:
            raise RefusedError(
                f"the signature date {day.isoformat()} is before the last change in the history "
                f"({last.isoformat()}); history runs forward"
            )
        errors = submitted_level_errors(record, config, today)
        if errors:
            count = f"{len(errors)} error{'' if len(errors) == 1 else 's'}"
            raise RefusedError(
                f"{record.display} is not fit to sign: {count} at submitted level", errors
            )
        try:
            digest = content_digest(data)
        except TypeError as error:  # content that has no canonical form cannot be signed
            raise RefusedError(f"{record.display} cannot be signed: {error}") from None
        values: dict[str, Scalar] = {"name": name, "date": day, "digest": digest}
        declared = _declared(config, role)
        if declared is not None:
            # What the signatory declares is part of what they sign: kept in the record with the
            # signature, so that editing jmb.toml later cannot change it.
            values["statement"] = declared
            values["statement_digest"] = text_digest(declared)
        if key is not None:
            number = str(data.get("number"))
            signature = key.sign(statement(number, role, name, day, digest, declared))
            values["key_id"] = key.key_id
            values["signature"] = base64.b64encode(signature).decode("ascii")
        expected = expected_data(data)
        listed_node = edit.get(edit.root, "signatures")
        if target is not None and listed_node is not None:
            node = edit.items(listed_node[1])[target]
            for field_name, value in values.items():
                edit.set_value(node, field_name, value)
            expected["signatures"][target].update(values)
        else:
            entry: dict[str, Scalar] = {"role": role, **values}
            edit.append_item(edit.root, "signatures", entry)
            listed = expected.get("signatures")
            expected["signatures"] = [*(listed if isinstance(listed, list) else []), entry]
        approved = set(config.roles) <= {*signed, role}
        if approved:
            # Approved when the last of the signatures was made, whichever order they came in.
            made = [as_date(item.get("date")) for _, item in entries]
            approved_on = max([day, *(found for found in made if found is not None)])
            append_history(
                edit,
                expected,
                Status.APPROVED,
                approved_on,
                _approval_note(config),
                approval_wording(config),
            )
        change = Change(edit, expected)
        # The signature as it would stand, checked by the rules that jmb verify runs: its date,
        # its key in the roster, the Ed25519 signature itself.
        # Short of approval the record is checked as submitted, as it was before the change.
        level = None if approved else Status.SUBMITTED
        after = check_change(record, change, config, today, SIGNING_CODES, as_status=level)
        refuse_change(f"{record.display} not signed", after)
        key_id = key.key_id if key is not None else None
        return change, SignResult(path, role, name, day, digest, key_id, approved)

    return update_record(path, apply)


def _check_status(config: Config, shown: str, number: Any, status: Status) -> None:
    """Refuse to sign a record whose status is not the one signing starts from: ``submitted``, or
    ``draft`` too with ``[signing] from = "draft"``."""
    if status is Status.SUBMITTED or (status is Status.DRAFT and config.signing.from_ == "draft"):
        return
    ref = number if isinstance(number, str) and number.strip() else shown
    if status is Status.DRAFT:
        raise RefusedError(
            f"{shown} is a draft: a decision is signed once it is submitted; run "
            f'jmb status {ref} submitted first (or set [signing] from = "draft" in jmb.toml to '
            "sign drafts)"
        )
    if status is Status.DEFERRED:
        raise RefusedError(
            f"{shown} is deferred: a deferred decision is signed once it is submitted again; run "
            f"jmb status {ref} submitted first"
        )
    if status in (Status.WITHDRAWN, Status.REJECTED):
        raise RefusedError(f"{shown} is {status}: a {status} decision is not signed")
    raise RefusedError(f"{shown} is {status}: only a submitted decision is signed")


def _declared(config: Config, role: str) -> str | None:
    """The statement a declaration in ``role`` declares, as configured; ``None`` for a decision."""
    for configured in config.signatures:
        if configured.role == role and configured.kind == "declaration":
            return configured.statement
    return None


def _entries(record: LoadedRecord) -> list[tuple[int, dict[str, Any]]]:
    """The signature entries, refusing a ``signatures`` that is not a list of them."""
    signatures = record.data.get("signatures")
    if signatures is None:
        return []
    if not isinstance(signatures, list) or not all(isinstance(item, dict) for item in signatures):
        raise RefusedError(f"{record.display}: signatures is not a list of signatures")
    return list(enumerate(signatures))


def _blank(data: dict[str, Any]) -> set[int]:
    """The indexes of the signature lines waiting to be signed."""
    signatures = data.get("signatures")
    return {
        index
        for index, item in enumerate(signatures if isinstance(signatures, list) else ())
        if isinstance(item, dict) and awaiting_signature(item)
    }


def _latest_history_date(history: Any) -> date | None:
    """The latest date in a record's history, if it has one: a signature made after a change of
    status cannot be dated before it."""
    dates = [
        as_date(entry.get("date"))
        for entry in (history if isinstance(history, list) else ())
        if isinstance(entry, dict)
    ]
    known = [found for found in dates if found is not None]
    return max(known) if known else None


def _line_to_fill(entries: list[tuple[int, dict[str, Any]]], role: str, shown: str) -> int | None:
    """The index of the role's blank signature line, or ``None`` to add one; refused when the role
    has signed already."""
    blank: int | None = None
    for index, item in entries:
        if item.get("role") != role:
            continue
        if all(is_blank(value) for key, value in item.items() if key != "role"):
            blank = index if blank is None else blank
            continue
        when = as_date(item.get("date"))
        on = f" on {when.isoformat()}" if when is not None else ""
        raise RefusedError(
            f"the {role} already signed {shown}{on} (signatures[{index}]); a role signs once"
        )
    return blank


def required_before(config: Config, role: str) -> list[str]:
    """The roles that must have signed before ``role`` may, by ``[signing] order``."""
    order = config.signing.order
    kinds = {signature.role: signature.kind for signature in config.signatures}
    if order == "declarations-first" and kinds[role] == "decision":
        return [other for other in config.roles if kinds[other] == "declaration"]
    if order == "decisions-first" and kinds[role] == "declaration":
        return [other for other in config.roles if kinds[other] == "decision"]
    if isinstance(order, tuple) and role in order:
        return list(order[: order.index(role)])
    return []


def _check_order(config: Config, role: str, signed: set[Any]) -> None:
    missing = [other for other in required_before(config, role) if other not in signed]
    if missing:
        order = config.signing.order
        shown = f'"{order}"' if isinstance(order, str) else "[" + ", ".join(order) + "]"
        raise RefusedError(
            f"the {' and the '.join(missing)} must sign before the {role} "
            f"([signing] order = {shown} in jmb.toml)"
        )


def _approval_note(config: Config) -> str:
    roles = [f"the {role}" for role in config.roles]
    listed = ", ".join(roles[:-1]) + " and " + roles[-1] if len(roles) > 1 else roles[0]
    return f"signed by {listed}"
