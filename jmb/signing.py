"""``jmb sign`` and ``jmb verify``'s core: a signature says who approved what, in which role and when.

Every signature made by jmb carries the digest of the record's canonical content
(:mod:`jmb.canonical`), so an edit after signing is caught. With a key it also carries an Ed25519
signature over the statement :func:`statement`, checked against the roster ``signatories.yaml``.
"""

from __future__ import annotations

import base64
import binascii
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from jmb.canonical import DIGEST_PATTERN, canonical_bytes, content_digest
from jmb.config import Config
from jmb.document import FieldPath
from jmb.errors import RefusedError, UsageError
from jmb.findings import Finding
from jmb.keys import (
    ROSTER_FILE,
    Roster,
    RosterKey,
    SigningKey,
    check_role,
    load_roster,
    load_signing_key,
)
from jmb.lifecycle import (
    Change,
    LoadedRecord,
    append_history,
    blank_signature_indexes,
    check_day,
    expected_data,
    find_record,
    last_history_date,
    submitted_level_errors,
    update_record,
)
from jmb.model import SIGNED_STATUSES, Status
from jmb.roundtrip import Scalar, YamlEdit
from jmb.rules.base import Problem, RecordContext, as_date, is_blank

#: The first field of every signed statement: what the bytes are, and the version of their layout.
STATEMENT_KIND = "jmb decision signature 1"


def statement(number: str, role: str, name: str, day: date, digest: str) -> bytes:
    """The bytes an Ed25519 signature signs: the RFC 8785 canonical JSON (UTF-8) of
    ``{"statement": "jmb decision signature 1", "number", "role", "name", "date", "digest"}``,
    text in NFC and the date as ``YYYY-MM-DD``."""
    return canonical_bytes(
        {
            "statement": STATEMENT_KIND,
            "number": _nfc(number),
            "role": _nfc(role),
            "name": _nfc(name),
            "date": day.isoformat(),
            "digest": digest,
        }
    )


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# -- what a signature proves ---------------------------------------------------------------------


@dataclass
class SignatureCheck:
    """What checking one signature found."""

    index: int
    role: str
    name: str
    day: date | None
    #: ``True`` when the signed digest is the content's, ``False`` when not, ``None`` without one.
    digest_matches: bool | None
    key_id: str | None
    #: ``True`` for a good Ed25519 signature, ``False`` for a bad one, ``None`` without a key.
    signature_good: bool | None = None
    #: Each problem, with the code of the rule that reports it.
    problems: list[tuple[str, Problem]] = field(default_factory=list)

    def verdict(self) -> str:
        """One line saying what was checked and what was found."""
        if self.problems:
            codes = ", ".join(sorted({code for code, _ in self.problems}))
            return f"FAILED ({codes})"
        if self.digest_matches is None:
            return "no digest: nothing records what was signed, so nothing could be checked"
        if self.key_id is None:
            return "content unchanged since signing; no key, so checked for its digest only"
        return f"content unchanged since signing; signature good (key {self.key_id})"


def signature_checks(context: RecordContext) -> list[SignatureCheck]:
    """Every made signature of the record checked: its digest against the content, its key against
    the roster, its Ed25519 signature. Computed once a record; the JMB406-JMB410 rules share it."""
    cached = context.memo.get("signature_checks")
    if cached is not None:
        return list(cached)
    checks: list[SignatureCheck] = []
    blank = set(blank_signature_indexes(context.data))
    for index, item in context.mappings("signatures"):
        if index in blank:
            continue  # a line waiting to be signed
        checks.append(_check_one(context, index, item))
    context.memo["signature_checks"] = checks
    return list(checks)


def _check_one(context: RecordContext, index: int, item: dict[str, Any]) -> SignatureCheck:
    role = item.get("role") if isinstance(item.get("role"), str) else f"signature {index + 1}"
    name = item.get("name") if isinstance(item.get("name"), str) else ""
    day = as_date(item.get("date"))
    digest = item.get("digest")
    key_id = item.get("key_id")
    check = SignatureCheck(
        index=index,
        role=str(role),
        name=str(name),
        day=day,
        digest_matches=None,
        key_id=key_id if isinstance(key_id, str) and key_id else None,
    )
    base: FieldPath = ("signatures", index)
    when = f" of {day.isoformat()}" if day is not None else ""
    if not is_blank(digest):
        if not isinstance(digest, str) or not DIGEST_PATTERN.match(digest):
            check.problems.append(
                (
                    "JMB406",
                    Problem(
                        (*base, "digest"),
                        f"the {role}'s digest is not sha256: and 64 hex digits, so what was "
                        "signed cannot be told",
                    ),
                )
            )
            check.digest_matches = False
        else:
            current = _content_digest(context)
            check.digest_matches = digest == current
            if not check.digest_matches:
                check.problems.append(
                    (
                        "JMB406",
                        Problem(
                            (*base, "digest"),
                            f"the content was edited after the {role}'s signature{when}: the text "
                            f"signed had digest {_short(digest)}, the text now has {_short(current)}",
                        ),
                    )
                )
    elif context.status in SIGNED_STATUSES:
        # Approved content must be checkable: a digest deleted (or never written) would hide any
        # edit made since.
        check.problems.append(
            (
                "JMB406",
                Problem(
                    base,
                    f"the {role}'s signature{when} has no digest, so nothing shows what was "
                    "approved; sign again with jmb sign",
                ),
            )
        )
    _check_key(context, check, item, base)
    return check


def _check_key(
    context: RecordContext, check: SignatureCheck, item: dict[str, Any], base: FieldPath
) -> None:
    signature = item.get("signature")
    has_signature = not is_blank(signature)
    if check.key_id is None:
        if has_signature:
            check.problems.append(
                ("JMB410", Problem((*base, "signature"), "a signature without a key_id to check"))
            )
        return
    if not has_signature:
        check.problems.append(
            ("JMB410", Problem((*base, "key_id"), f"a key_id ({check.key_id}) without a signature"))
        )
        return
    roster = _roster(context)
    key = roster.keys.get(check.key_id)
    if key is None:
        why = roster.error or (
            f"not in {ROSTER_FILE}" if roster.exists else f"there is no {ROSTER_FILE}"
        )
        check.problems.append(
            (
                "JMB407",
                Problem(
                    (*base, "key_id"), f"the {check.role} signed with the key {check.key_id}: {why}"
                ),
            )
        )
        return
    if key.role != check.role:
        check.problems.append(
            (
                "JMB409",
                Problem(
                    (*base, "key_id"),
                    f"the key {key.key_id} is the {key.role}'s in {ROSTER_FILE}, "
                    f"not the {check.role}'s",
                ),
            )
        )
    if _nfc(key.name) != _nfc(check.name):
        check.problems.append(
            (
                "JMB409",
                Problem(
                    (*base, "key_id"),
                    f"the key {key.key_id} is {key.name}'s in {ROSTER_FILE}, "
                    f"not {check.name or 'the unnamed signatory'}'s",
                ),
            )
        )
    if check.day is not None and not key.valid_on(check.day):
        check.problems.append(
            (
                "JMB408",
                Problem(
                    (*base, "date"),
                    f"the key {key.key_id} was used on {check.day.isoformat()}, outside its "
                    f"validity ({key.validity()})",
                ),
            )
        )
    check.signature_good = _signature_verifies(context, check, item, key)
    if not check.signature_good:
        check.problems.append(
            (
                "JMB410",
                Problem(
                    (*base, "signature"),
                    f"the {check.role}'s signature does not match the key {key.key_id}: the "
                    "number, role, name, date or digest changed after signing, or another key made it",
                ),
            )
        )


def _signature_verifies(
    context: RecordContext, check: SignatureCheck, item: dict[str, Any], key: RosterKey
) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    number = context.data.get("number")
    digest = item.get("digest")
    signature = item.get("signature")
    if not (isinstance(number, str) and isinstance(digest, str) and isinstance(signature, str)):
        return False
    if check.day is None or not check.name:
        return False
    try:
        raw = base64.b64decode(signature, validate=True)
        Ed25519PublicKey.from_public_bytes(key.public_key).verify(
            raw, statement(number, check.role, check.name, check.day, digest)
        )
    except (binascii.Error, ValueError, InvalidSignature):
        return False
    return True


def _content_digest(context: RecordContext) -> str:
    digest = context.memo.get("content_digest")
    if digest is None:
        digest = context.memo["content_digest"] = content_digest(context.data)
    return str(digest)


def _roster(context: RecordContext) -> Roster:
    return load_roster(context.config.root)


def _short(digest: str) -> str:
    return digest[: len("sha256:") + 12] + "…"


def problems_of(context: RecordContext, code: str) -> list[Problem]:
    """The problems of rule ``code`` among the record's signature checks."""
    return [
        problem
        for check in signature_checks(context)
        for found, problem in check.problems
        if found == code
    ]


# -- jmb sign ------------------------------------------------------------------------------------


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
    that already signed, a record that is withdrawn or rejected or has errors at submitted level, a
    sign-off out of the configured order, a date before the decision or in the future, and a key
    that the roster does not give to ``name`` in ``role`` on ``day``."""
    role = check_role(config, role)
    name = " ".join(name.split())
    if not name:
        raise UsageError("--name is empty")
    today = today if today is not None else date.today()
    day = day if day is not None else today
    path = find_record(config, ref)
    key = load_signing_key(key_file, passphrase) if key_file is not None else None

    def apply(record: LoadedRecord) -> tuple[Change, SignResult]:
        data = record.data
        status = data.get("status")
        if status in (Status.WITHDRAWN, Status.REJECTED):
            raise RefusedError(f"{record.display} is {status}: a {status} decision is not signed")
        edit = record.editor()  # one round-trip parse, for checking the list and for the change
        entries = _entries(record, edit)
        target = _line_to_fill(entries, role, record.display)
        blank = _blank(data)
        signed = {item.get("role") for index, item in entries if index not in blank}
        _check_order(config, role, signed)
        check_day(day, today, as_date(data.get("date")), what="signature")
        last = last_history_date(data.get("history"))
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
        if key is not None:
            _check_key_for(config, key, role, name, day)
        digest = content_digest(data)
        values: dict[str, Scalar] = {"name": name, "date": day, "digest": digest}
        if key is not None:
            number = str(data.get("number"))
            signature = key.sign(statement(number, role, name, day, digest))
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
        approved = set(config.roles) <= {*signed, role} and status not in (
            Status.APPROVED,
            Status.PUBLISHED,
        )
        if approved:
            # Approved when the last of the signatures was made, whichever order they came in.
            made = [as_date(item.get("date")) for _, item in entries]
            approved_on = max([day, *(found for found in made if found is not None)])
            append_history(edit, expected, Status.APPROVED, approved_on, _approval_note(config))
        key_id = key.key_id if key is not None else None
        result = SignResult(path, role, name, day, digest, key_id, approved)
        return Change(edit, expected), result

    return update_record(path, apply)


def _entries(record: LoadedRecord, editor: YamlEdit) -> list[tuple[int, dict[str, Any]]]:
    """The signature entries, refusing a ``signatures`` that jmb cannot add to."""
    signatures = record.data.get("signatures")
    if signatures is None:
        return []
    if not isinstance(signatures, list) or not all(isinstance(item, dict) for item in signatures):
        raise RefusedError(f"{record.display}: signatures is not a list of signatures")
    found = editor.get(editor.root, "signatures")
    if found is not None and len(editor.items(found[1])) != len(signatures):
        raise RefusedError(f"{record.display}: signatures cannot be edited in place")
    return list(enumerate(signatures))


def _blank(data: dict[str, Any]) -> set[int]:
    return set(blank_signature_indexes(data))


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


def _check_key_for(config: Config, key: SigningKey, role: str, name: str, day: date) -> None:
    """Refuse to sign with a key that ``jmb verify`` would then reject."""
    roster = load_roster(config.root)
    if roster.error:
        raise RefusedError(f"cannot check the key: {roster.error}")
    entry = roster.keys.get(key.key_id)
    if entry is None:
        raise RefusedError(
            f"the key {key.key_id} is not in {ROSTER_FILE}; jmb keys new adds a key there"
        )
    if entry.role != role:
        raise RefusedError(f"the key {key.key_id} is the {entry.role}'s, not the {role}'s")
    if _nfc(entry.name) != _nfc(name):
        raise RefusedError(f"the key {key.key_id} is {entry.name}'s, not {name}'s")
    if not entry.valid_on(day):
        raise RefusedError(
            f"the key {key.key_id} is not valid on {day.isoformat()} ({entry.validity()})"
        )


def _approval_note(config: Config) -> str:
    roles = [f"the {role}" for role in config.roles]
    listed = ", ".join(roles[:-1]) + " and " + roles[-1] if len(roles) > 1 else roles[0]
    return f"signed by {listed}"


# -- jmb verify ----------------------------------------------------------------------------------

#: The rules ``jmb verify`` runs.
VERIFY_CODES = ("JMB406", "JMB407", "JMB408", "JMB409", "JMB410")


@dataclass(frozen=True)
class VerifiedSignature:
    """One signature as ``jmb verify`` reports it."""

    path: str
    line: int
    column: int
    role: str
    name: str
    day: date | None
    verdict: str


@dataclass
class VerifyResult:
    """What :func:`verify_records` found."""

    files: int = 0
    signatures: list[VerifiedSignature] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """True when any finding was made."""
        return bool(self.findings)


def verify_records(
    config: Config, refs: Sequence[str] = (), *, today: date | None = None
) -> VerifyResult:
    """Recompute every signature's digest and check every cryptographic signature of the records
    ``refs`` (numbers or paths; default: every record). Suppression comments do not apply: a
    comment is not part of the signed content, so it cannot excuse a change to it."""
    from jmb.checker import collect_files, display_path
    from jmb.document import read_document
    from jmb.rules import RULES

    today = today if today is not None else date.today()
    if refs:
        paths = [find_record(config, ref) for ref in refs]
        files, missing = collect_files(paths, config)
    else:
        files, missing = collect_files((), config)
    result = VerifyResult(files=len(files), findings=list(missing))
    for path in files:
        document = read_document(path, display_path(path))
        result.findings.extend(document.findings)
        if not isinstance(document.data, dict):
            continue
        context = RecordContext(document=document, config=config, today=today, file=path)
        for check in signature_checks(context):
            line, column = document.position(("signatures", check.index))
            result.signatures.append(
                VerifiedSignature(
                    document.path, line, column, check.role, check.name, check.day, check.verdict()
                )
            )
        for code in VERIFY_CODES:
            for problem in problems_of(context, code):
                result.findings.append(context.to_finding(RULES[code], problem))
    result.findings.sort()
    return result


def verify_report(result: VerifyResult) -> str:
    """The text of ``jmb verify``: a line a signature, the findings, a summary."""
    from jmb.reporters import finding_text

    lines = []
    for signature in result.signatures:
        when = signature.day.isoformat() if signature.day is not None else "undated"
        who = f"{signature.role}, {signature.name or 'unnamed'}, {when}"
        lines.append(
            f"{signature.path}:{signature.line}:{signature.column}: {who}: {signature.verdict}"
        )
    lines.extend(finding_text(finding) for finding in result.findings)
    records = "record" if result.files == 1 else "records"
    signatures = len(result.signatures)
    problems = len(result.findings)
    lines.append(
        f"{signatures} signature{'' if signatures == 1 else 's'} in {result.files} {records} "
        f"verified: {problems} problem{'' if problems == 1 else 's'}"
    )
    return "\n".join(lines) + "\n"
