"""What each signature of a record proves: the checks behind rules JMB406-JMB410 and JMB412, made
once a record.

Every signature made by jmb carries the digest of the record's canonical content
(:mod:`jmb.record.canonical`), so an edit after signing is caught; a declaration's signature also
stores the statement declared, with its digest. With a key a signature also carries an Ed25519
signature over the signed statement, checked against the roster ``signatories.yaml``; once the roster
holds a key that could have made a signature (or ``[signing] require_keys`` is set), a signature
without one is an error, so that stripping the key cannot turn a proven signature into an unproven
one. The seven rules each report their share of what :func:`signature_checks` finds; ``jmb verify``
lists the checks themselves, a line a signature.

A decision archived from the years before jmb was signed in ink: its signature entries say
``method: paper`` (or ``wet-ink``) and have no digest, so nothing checks their content. They are
reported as what they are, never as proven; ``[signing] digests_from`` ends them from a date, and
one that also carries a digest or a key contradicts itself (JMB415).
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

from jmb.check.rules.base import (
    Problem,
    RecordContext,
    as_date,
    awaiting_signature,
    is_blank,
    signatory,
)
from jmb.record.canonical import (
    DIGEST_PATTERN,
    canonical_content,
    content_digest,
    statement,
    text_digest,
)
from jmb.record.document import FieldPath
from jmb.record.model import PAPER_METHODS, SIGNED_STATUSES
from jmb.repo.git_history import SignedVersions, changed_fields
from jmb.repo.roster import ROSTER_FILE, Roster, RosterKey, load_roster

#: The codes of the rules that report what the checks find, defined here, where the checks are.
CONTENT_CHANGED = "JMB406"
UNKNOWN_KEY = "JMB407"
KEY_VALIDITY = "JMB408"
KEY_HOLDER = "JMB409"
BAD_SIGNATURE = "JMB410"
KEY_REQUIRED = "JMB412"
PAPER_SIGNATURE = "JMB415"
#: All seven, in code order: ``jmb verify`` runs these, and ``jmb sign`` checks a signature with them.
CODES = (
    CONTENT_CHANGED,
    UNKNOWN_KEY,
    KEY_VALIDITY,
    KEY_HOLDER,
    BAD_SIGNATURE,
    KEY_REQUIRED,
    PAPER_SIGNATURE,
)

#: What a signature made by jmb carries and one made on paper cannot: each is a claim that jmb
#: computed or signed something, which a signature in ink never did.
MADE_BY_JMB = ("digest", "key_id", "signature", "statement_digest")


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
    #: Signed in ink (``method: paper`` or ``wet-ink``): nothing in the record proves the content.
    paper: bool = False
    #: For a signature on paper: the file or URL of the signed original, if the record names one.
    evidence: str | None = None
    #: Each problem, with the code of the rule that reports it.
    problems: list[tuple[str, Problem]] = field(default_factory=list)

    def verdict(self) -> str:
        """One line saying what was checked and what was found."""
        if self.problems:
            codes = ", ".join(sorted({code for code, _ in self.problems}))
            return f"FAILED ({codes})"
        if self.paper:
            original = (
                f"the signed original is {self.evidence}"
                if self.evidence
                else "no signed original is named (evidence)"
            )
            return (
                f"signed on paper, not proven: no digest records what was signed, so an edit "
                f"would go unnoticed; {original}"
            )
        if self.digest_matches is None:
            return "no digest: nothing records what was signed, so nothing could be checked"
        if self.key_id is None:
            return "checked for its digest only (no key): the content is unchanged since signing"
        return (
            f"proven by key {self.key_id}: the signature is good and the content unchanged "
            "since signing"
        )


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
    role = signatory(item.get("role"), index)
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
    if item.get("method") in PAPER_METHODS:
        # Signed in ink: there is no digest or key to check, only what the entry claims.
        check.paper = True
        evidence = item.get("evidence")
        check.evidence = evidence if isinstance(evidence, str) and evidence.strip() else None
        _check_paper(context, check, item, base, when)
        _check_key_required(context, check, item, base, when)
        return check
    if not is_blank(item.get("evidence")):
        check.problems.append(
            (
                PAPER_SIGNATURE,
                Problem(
                    (*base, "evidence"),
                    f"the {role}'s signature names the evidence of a signed paper original but "
                    "is not method: paper: say how it was signed, or remove the evidence",
                ),
            )
        )
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
                            f"the content was edited after the {role}'s signature{when}: "
                            f"{_what_changed(context, digest)}; the text signed had digest "
                            f"{_short(digest)}, the text now has {_short(current)}",
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
    _check_statement(check, item, base, when)
    _check_key(context, check, item, base)
    _check_key_required(context, check, item, base, when)
    return check


def _check_paper(
    context: RecordContext, check: SignatureCheck, item: dict[str, Any], base: FieldPath, when: str
) -> None:
    """A signature on paper: it claims nothing jmb made, and is dated before digests were due."""
    role = check.role
    method = item.get("method")
    claimed = [key for key in MADE_BY_JMB if not is_blank(item.get(key))]
    if claimed:
        check.problems.append(
            (
                PAPER_SIGNATURE,
                Problem(
                    (*base, claimed[0]),
                    f"the {role}'s signature is method: {method} but has "
                    f"{' and '.join(claimed)}: a signature is made on paper or by jmb sign, not "
                    "both; remove whichever is not true",
                ),
            )
        )
    digests_from = context.config.signing.digests_from
    if digests_from is None:
        return
    day = _credible_day(context, check.day)
    if day is not None and day < digests_from:
        return
    why = (
        f"is dated {day.isoformat()}, on or after"
        if day is not None
        else "has no date that can be trusted, so it cannot be shown to precede"
    )
    check.problems.append(
        (
            PAPER_SIGNATURE,
            Problem(
                (*base, "method"),
                f"the {role}'s signature is on paper and {why} [signing] digests_from = "
                f"{digests_from.isoformat()} in jmb.toml: from then every signature needs a "
                "digest; sign with jmb sign",
            ),
        )
    )


def _credible_day(context: RecordContext, day: date | None) -> date | None:
    """The signature's date, or ``None`` when it cannot be right (before the decision or after
    today: JMB403), so that a date moved back cannot excuse what its true date would not."""
    decided = context.decision_date
    if day is not None and ((decided is not None and day < decided) or day > context.today):
        return None
    return day


def _check_statement(
    check: SignatureCheck, item: dict[str, Any], base: FieldPath, when: str
) -> None:
    """A declaration's stored statement against the digest recorded with it when it was signed."""
    stored = item.get("statement")
    recorded = item.get("statement_digest")
    if stored is None and is_blank(recorded):
        return  # no stored statement: a decision-maker's signature, or one made before jmb kept it
    role = check.role
    if not isinstance(stored, str):
        problem = Problem(
            (*base, "statement_digest"),
            f"the {role}'s signature{when} records the digest of a declared statement, but not "
            "the statement: the text declared was removed",
        )
    elif not isinstance(recorded, str) or not DIGEST_PATTERN.match(recorded):
        problem = Problem(
            (*base, "statement"),
            f"the {role}'s declared statement has no statement_digest (sha256: and 64 hex "
            "digits), so an edit to it cannot be told",
        )
    elif text_digest(stored) != recorded:
        problem = Problem(
            (*base, "statement"),
            f"the {role}'s declared statement was edited after the signature{when}: the text "
            f"declared had digest {_short(recorded)}, the text now has {_short(text_digest(stored))}",
        )
    else:
        return
    check.problems.append((CONTENT_CHANGED, problem))


def _check_key_required(
    context: RecordContext, check: SignatureCheck, item: dict[str, Any], base: FieldPath, when: str
) -> None:
    """A signature without a key where one is required: by ``[signing] require_keys``, or because
    the roster holds a key of the role valid on the signature's date (or at any time, for a
    signature undated or dated before the decision or after today), so that the signature could
    have been made with it."""
    if check.key_id is not None or not is_blank(item.get("signature")):
        return  # a keyed signature (or half of one: JMB410)
    role = check.role
    day = _credible_day(context, check.day)
    signing = context.config.signing
    # A signature on paper dated before digests_from is from before jmb, when no key could exist.
    archived = (
        check.paper
        and signing.digests_from is not None
        and day is not None
        and day < signing.digests_from
    )
    if signing.require_keys and not archived:
        paper = (
            "; a signature on paper is accepted only when dated before [signing] digests_from"
            if check.paper
            else ""
        )
        check.problems.append(
            (
                KEY_REQUIRED,
                Problem(
                    base,
                    f"the {role}'s signature{when} has no key, and [signing] require_keys = true "
                    f"in jmb.toml: every signature needs one (jmb sign --key){paper}",
                ),
            )
        )
        return
    roster = _roster(context)
    if roster.error:
        check.problems.append(
            (
                KEY_REQUIRED,
                Problem(
                    base,
                    f"the {role}'s signature{when} has no key, and whether it needs one cannot be "
                    f"told: {roster.error}",
                ),
            )
        )
        return
    # A date that cannot be right (JMB403) says nothing of which keys applied: dating a stripped
    # signature back before its key's validity must not excuse it (``_credible_day``).
    wanted = _nfc(role)
    usable = sorted(
        key.key_id
        for key in roster.keys.values()
        if _nfc(key.role) == wanted and (day is None or key.valid_on(day))
    )
    if usable:
        on = "on that date" if day is not None else "at some time"
        check.problems.append(
            (
                KEY_REQUIRED,
                Problem(
                    base,
                    f"the {role}'s signature{when} has no key, but {ROSTER_FILE} holds a key of the "
                    f"{role} valid {on} ({', '.join(usable)}): a signature that could be made with a "
                    "key must be, or removing its key would hide an edit; sign with jmb sign --key",
                ),
            )
        )


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
    signature = item.get("signature")
    check.signature_good = _signature_verifies(context, check, item, key, signature)
    if not check.signature_good:
        check.problems.append(
            (BAD_SIGNATURE, Problem((*base, "signature"), _why_not(context, check, item, key)))
        )


def _why_not(
    context: RecordContext, check: SignatureCheck, item: dict[str, Any], key: RosterKey
) -> str:
    """Why the entry's signature does not verify with ``key``, as the user can mend it: a value
    that is no Ed25519 signature at all was damaged (an editor's wrapping, a cut, a retyping),
    which is not proof that the record changed."""
    signature = item.get("signature")
    declared = ", declared statement" if item.get("statement") is not None else ""
    changed = (
        f"the number, role, name, date{declared} or digest changed after signing, or another "
        "key made it"
    )
    if not isinstance(signature, str) or _signature_bytes(signature) is not None:
        return f"the {check.role}'s signature does not match the key {key.key_id}: {changed}"
    joined = "".join(signature.split())
    if joined == signature or _signature_bytes(joined) is None:
        return (
            f"the {check.role}'s signature is not an Ed25519 signature (88 characters of "
            f"base64, {len(joined)} here): it was cut short or retyped; sign again with jmb sign"
        )
    if _signature_verifies(context, check, item, key, joined):
        return (
            f"the {check.role}'s signature has spaces or line breaks in it (an editor may "
            f"have wrapped it): without them it matches the key {key.key_id}; write it on "
            "one line, as jmb sign does"
        )
    return (
        f"the {check.role}'s signature has spaces or line breaks in it, and without them it "
        f"does not match the key {key.key_id} either: {changed}"
    )


def _signature_bytes(signature: str) -> bytes | None:
    """The 64 bytes of an Ed25519 signature written in base64, or ``None`` when it is not one."""
    try:
        raw = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == 64 else None


def _signature_verifies(
    context: RecordContext,
    check: SignatureCheck,
    item: dict[str, Any],
    key: RosterKey,
    signature: object,
) -> bool:
    """Whether ``signature`` (the entry's, or it mended) is ``key``'s over the entry's statement."""
    number = context.data.get("number")
    digest = item.get("digest")
    if not (isinstance(number, str) and isinstance(digest, str) and isinstance(signature, str)):
        return False
    if check.day is None or not check.name:
        return False
    # An entry that stores a declared statement was signed as version 2, which binds that text.
    declaration = item.get("statement")
    if declaration is not None and not isinstance(declaration, str):
        return False
    raw = _signature_bytes(signature)
    if raw is None:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(key.public_key).verify(
            raw, statement(number, check.role, check.name, check.day, digest, declaration)
        )
    except (ValueError, InvalidSignature):
        return False
    return True


def _content_digest(context: RecordContext) -> str:
    digest = context.memo.get("content_digest")
    if digest is None:
        digest = context.memo["content_digest"] = content_digest(context.data)
    return str(digest)


def _roster(context: RecordContext) -> Roster:
    """The roster, read once a record (the file is read again for the next record, so that a
    long-running process sees a roster changed meanwhile)."""
    roster = context.memo.get("roster")
    if not isinstance(roster, Roster):
        roster = context.memo["roster"] = load_roster(context.config.root)
    return roster


#: The most changed fields one finding names; the rest are counted.
_FIELDS_NAMED = 10


def _what_changed(context: RecordContext, digest: str) -> str:
    """Which fields changed since the version whose content had ``digest``, when git has that
    version; else that it cannot be told. Asked only of a record whose digest does not match, so
    git costs nothing to a record that checks out. Names fields, never their values."""
    memo: dict[str, str] = context.memo.setdefault("what_changed", {})
    said = memo.get(digest)
    if said is None:
        history = context.memo.get("signed_versions")
        if not isinstance(history, SignedVersions):
            # One walk of the history for all the record's signatures, whatever their number.
            history = SignedVersions(context.config.root, context.file)
            context.memo["signed_versions"] = history
        signed = history.content(digest)
        try:
            changed = (
                changed_fields(signed, canonical_content(context.data))
                if signed is not None
                else []
            )
        except TypeError:  # content with no canonical form: there is nothing to compare
            changed = []
        if not changed:
            said = (
                "jmb cannot tell which fields changed (the signed version is not in the "
                "repository's git history)"
            )
        else:
            more = len(changed) - _FIELDS_NAMED
            said = "changed since signing: " + ", ".join(changed[:_FIELDS_NAMED])
            said += f" and {more} more" if more > 0 else ""
        memo[digest] = said
    return said


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
