"""The canonical content of a record and its digest: what a signature says was approved.

The rule, which another tool can follow to get the same digest:

1. Take every top-level field of the record except ``status``, ``signatures`` and ``history`` (those
   change as the record moves through its life; the content a signatory approved does not).
2. Turn the values into plain JSON types: mappings into objects, lists into arrays, text into strings
   normalised to Unicode NFC (keys too), dates into ``YYYY-MM-DD`` strings, dates with a time into
   ISO 8601 strings, ``null``, ``true``/``false`` and numbers as they are. A number JSON cannot carry
   exactly (not finite, or an integer beyond 2**53 - 1) becomes its decimal text. Anything else (bytes,
   a set, a mapping with keys that are not text) has no canonical form: the content cannot be
   digested, and so cannot be signed, rather than be digested as something it is not.
3. Serialise that object by RFC 8785, the JSON Canonicalization Scheme (keys sorted by their UTF-16
   code units, no insignificant white space, ECMAScript number form), as UTF-8.
4. The digest is ``sha256:`` followed by the lower-case hex SHA-256 of those bytes.

A comment, the indentation, the quoting style or the order of the keys in the file changes nothing;
one character of any value does.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

#: The fields that are not part of what a signature approves.
EXCLUDED_FIELDS = frozenset({"status", "signatures", "history"})

DIGEST_PREFIX = "sha256:"
DIGEST_PATTERN = re.compile(r"^sha256:[0-9a-f]{64}$")

#: The largest integer an RFC 8785 number carries exactly.
_MAX_SAFE_INTEGER = 2**53 - 1


def canonical_content(record: Mapping[str, Any]) -> dict[str, Any]:
    """The record's signed content as plain JSON types (step 1 and 2 of the module's rule).

    Raises :class:`TypeError` for a value that is not plain data (see the module's rule)."""
    return {_key(key): _plain(value) for key, value in record.items() if key not in EXCLUDED_FIELDS}


def canonical_bytes(value: Any) -> bytes:
    """``value`` (plain JSON types) serialised by RFC 8785."""
    import rfc8785

    return rfc8785.dumps(value)


def content_digest(record: Mapping[str, Any]) -> str:
    """``sha256:<hex>`` of the record's canonical content; :class:`TypeError` when the content is
    not plain data."""
    digest = hashlib.sha256(canonical_bytes(canonical_content(record))).hexdigest()
    return DIGEST_PREFIX + digest


def _text(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def _key(key: object) -> str:
    if not isinstance(key, str):
        raise TypeError(f"a key of the content is {type(key).__name__}, not text")
    return _text(key)


def _plain(value: Any) -> Any:
    """One value as a plain JSON type; every branch is part of the documented rule, and anything
    else is refused (a :class:`TypeError`): bytes are never turned into text, nor text into bytes."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, int):
        return value if abs(value) <= _MAX_SAFE_INTEGER else str(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {_key(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    raise TypeError(f"{type(value).__name__} is not plain data: it has no canonical form")


# -- the signed statement -------------------------------------------------------------------------

#: The first field of every signed statement: what the bytes are, and the version of their layout.
#: Version 1 binds the number, role, name, date and digest; version 2 (a declaration's signature,
#: whose entry stores the text declared) binds the declared text too.
STATEMENT_KIND = "jmb decision signature 1"
STATEMENT_KIND_2 = "jmb decision signature 2"


def statement(
    number: str, role: str, name: str, day: date, digest: str, declaration: str | None = None
) -> bytes:
    """The bytes an Ed25519 signature signs: the RFC 8785 canonical JSON (UTF-8) of
    ``{"statement": "jmb decision signature 1", "number", "role", "name", "date", "digest"}``,
    text in NFC and the date as ``YYYY-MM-DD``. With a ``declaration`` (the text a declaration's
    signatory declared, stored in the signature entry) the statement is version 2:
    ``"jmb decision signature 2"`` and a ``declaration`` member holding that text, in NFC."""
    signed = {
        "statement": STATEMENT_KIND,
        "number": _text(number),
        "role": _text(role),
        "name": _text(name),
        "date": day.isoformat(),
        "digest": digest,
    }
    if declaration is not None:
        signed["statement"] = STATEMENT_KIND_2
        signed["declaration"] = _text(declaration)
    return canonical_bytes(signed)


def text_digest(text: str) -> str:
    """``sha256:<hex>`` of ``text`` in NFC, as UTF-8: how a declaration's stored statement and the
    configured wording at approval are fingerprinted."""
    return DIGEST_PREFIX + hashlib.sha256(_text(text).encode("utf-8")).hexdigest()
