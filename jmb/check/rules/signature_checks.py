"""What each signature of a record proves: the checks behind rules JMB406-JMB410, made once a record.

Every signature made by jmb carries the digest of the record's canonical content
(:mod:`jmb.record.canonical`), so an edit after signing is caught. With a key it also carries an Ed25519
signature over the signed statement, checked against the roster ``signatories.yaml``. The five rules
each report their share of what :func:`signature_checks` finds; ``jmb verify`` lists the checks
themselves, a line a signature.
"""

from __future__ import annotations

import base64
import binascii
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from jmb.check.rules.base import Problem, RecordContext, as_date, awaiting_signature, is_blank
from jmb.record.canonical import DIGEST_PATTERN, content_digest, statement
from jmb.record.document import FieldPath
from jmb.record.model import SIGNED_STATUSES
from jmb.repo.roster import ROSTER_FILE, Roster, RosterKey, load_roster

#: The codes of the rules that report what the checks find, defined here, where the checks are.
CONTENT_CHANGED = "JMB406"
UNKNOWN_KEY = "JMB407"
KEY_VALIDITY = "JMB408"
KEY_HOLDER = "JMB409"
BAD_SIGNATURE = "JMB410"
#: All five, in code order: ``jmb verify`` runs these.
CODES = (CONTENT_CHANGED, UNKNOWN_KEY, KEY_VALIDITY, KEY_HOLDER, BAD_SIGNATURE)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


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
    for index, item in context.mappings("signatures"):
        if awaiting_signature(item):
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
                    CONTENT_CHANGED,
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
                        CONTENT_CHANGED,
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
                CONTENT_CHANGED,
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
                (
                    BAD_SIGNATURE,
                    Problem((*base, "signature"), "a signature without a key_id to check"),
                )
            )
        return
    if not has_signature:
        check.problems.append(
            (
                BAD_SIGNATURE,
                Problem((*base, "key_id"), f"a key_id ({check.key_id}) without a signature"),
            )
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
                UNKNOWN_KEY,
                Problem(
                    (*base, "key_id"), f"the {check.role} signed with the key {check.key_id}: {why}"
                ),
            )
        )
        return
    if key.role != check.role:
        check.problems.append(
            (
                KEY_HOLDER,
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
                KEY_HOLDER,
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
                KEY_VALIDITY,
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
                BAD_SIGNATURE,
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
