"""The digest rule and the signed statement are a contract with every signature already made: these
golden values were computed before jmb's modules were reorganised (0.1.0) and must never change, or
existing signatures would stop verifying."""

from __future__ import annotations

import base64
from datetime import date
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from jmb.record.canonical import content_digest, statement
from jmb.record.document import read_document

FIXTURE = Path(__file__).parent / "fixtures" / "approved-with-part2.yaml"
DIGEST = "sha256:95aaeb405b38388162e0043271e912032d674cdfd917a0105c4f3900893555ac"
STATEMENT = (
    '{"date":"2019-06-21","digest":"' + DIGEST + '","name":"Andy Rhodes","number":"2019/09",'
    '"role":"Chief Constable","statement":"jmb decision signature 1"}'
)
#: Ed25519 is deterministic: the key with seed bytes 0..31 signs the statement as this, always.
SIGNATURE = (
    "PJ0Tdu4vwnNuOqkV0Ms8I1oYOMR5x6lmEa897AyNeQha+Y2WrsHBP08Bzay1RIoZqCJ8momvlWo6HTEfH9iyCg=="
)


def test_the_digest_of_a_known_record_is_fixed() -> None:
    document = read_document(FIXTURE)
    assert content_digest(document.data) == DIGEST


def test_the_signed_statement_and_its_signature_are_fixed() -> None:
    signed = statement("2019/09", "Chief Constable", "Andy Rhodes", date(2019, 6, 21), DIGEST)
    assert signed == STATEMENT.encode("utf-8")
    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    assert base64.b64encode(key.sign(signed)).decode("ascii") == SIGNATURE
