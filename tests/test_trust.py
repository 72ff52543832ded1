"""Issue 8, items 2 and 3: what a signature proves.

- a signature stripped of its key, to edit the text and write a new digest in, is caught (JMB412);
- what a declaration's signatory declared is kept in the record and signed with it, and Part 1
  shows it whatever ``jmb.toml`` says later; wording of ``jmb.toml`` changed since approval is a
  warning of ``jmb render``.
"""

from __future__ import annotations

import base64
import hashlib
import unicodedata
from datetime import date
from pathlib import Path

import pytest
import yaml
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from jmb.record.canonical import canonical_bytes, content_digest, statement
from jmb.render.renderer import load_record
from jmb.repo.config import MONITORING_OFFICER_STATEMENT, Config
from jmb.repo.wording import wording_changes
from jmb.sign.keys import load_signing_key
from tests.signing_support import (
    CC,
    MO,
    PASSPHRASE,
    PCC,
    RECORD,
    invoke,
)

WITH_PASSPHRASE = {"JMB_KEY_PASSPHRASE": PASSPHRASE}
NAMES = {PCC: "Clive Grunshaw", CC: "Andy Rhodes", MO: "Abigail Leech"}


@pytest.fixture
def repo(keyed_repo: Path) -> Path:
    """The clean example as the current folder, keys kept outside it (signing_support)."""
    return keyed_repo


def new_key(role: str) -> Path:
    code, out, err = invoke(
        "keys", "new", "--role", role, "--name", NAMES[role], "--valid-from", "2019-01-01",
        env=WITH_PASSPHRASE,
    )  # fmt: skip
    assert code == 0, err
    return Path(out.splitlines()[1].removeprefix("private key: "))


def sign(role: str, key: Path | None = None, day: str = "2019-06-20") -> tuple[int, str, str]:
    with_key = ["--key", str(key)] if key is not None else []
    return invoke(
        "sign", "2019/09", "--role", role, "--name", NAMES[role], "--date", day, *with_key,
        env=WITH_PASSPHRASE,
    )  # fmt: skip


def sha256(text: str) -> str:
    normalised = unicodedata.normalize("NFC", text).encode("utf-8")
    return "sha256:" + hashlib.sha256(normalised).hexdigest()


# -- item 2: a key cannot be stripped to hide an edit --------------------------------------------


def test_a_signature_stripped_of_its_key_to_hide_an_edit_is_caught(repo: Path) -> None:
    """The attack exactly: keys in the roster for every role, every signature keyed; delete the
    key_id and signature lines, edit the title, recompute the digest and write it in."""
    for role in (PCC, CC, MO):
        assert sign(role, new_key(role))[0] == 0
    assert invoke("verify")[0] == 0
    path = repo / RECORD
    lines = path.read_text().splitlines(keepends=True)
    text = "".join(
        line for line in lines if not line.lstrip().startswith(("key_id:", "signature:"))
    )
    text = text.replace("title: Single Online Home", "title: Single Online Home and Annex")
    old = yaml.safe_load(text)["signatures"][0]["digest"]
    text = text.replace(old, content_digest(yaml.safe_load(text)))
    path.write_text(text)
    code, out, _ = invoke("verify")
    assert code == 1
    for role in (PCC, CC, MO):
        assert f"{role}, {NAMES[role]}, 2019-06-20: FAILED (JMB412)" in out
    assert (
        f"error JMB412 signatures[1]: the {CC}'s signature of 2019-06-20 has no key, but "
        f"signatories.yaml holds a key of the {CC} valid on that date (ed25519:"
    ) in out
    assert out.endswith("3 signatures in 1 record verified: 3 problems\n")
    assert invoke("validate")[0] == 1


def test_dating_a_stripped_signature_back_before_its_key_does_not_excuse_it(repo: Path) -> None:
    """Backdated before the key's validity (and the decision), with JMB403 silenced."""
    assert sign(CC, new_key(CC))[0] == 0
    path = repo / RECORD
    lines = path.read_text().splitlines(keepends=True)
    text = "".join(
        line for line in lines if not line.lstrip().startswith(("key_id:", "signature:"))
    )
    text = text.replace(
        "    date: 2019-06-20\n", "    date: 2018-12-31  # jmb: disable=JMB403 as on the paper\n"
    )
    path.write_text(text)
    code, out, _ = invoke("verify")
    assert code == 1
    assert (
        f"error JMB412 signatures[1]: the {CC}'s signature of 2018-12-31 has no key, but "
        f"signatories.yaml holds a key of the {CC} valid at some time (ed25519:"
    ) in out


def test_without_a_key_sign_refuses_where_the_roster_holds_one(repo: Path) -> None:
    new_key(CC)
    before = (repo / RECORD).read_text()
    code, out, err = sign(CC)
    assert (code, out) == (1, "")
    assert err.startswith(
        f"jmb: {RECORD} not signed: the {CC}'s signature of 2019-06-20 has no key, but "
        f"signatories.yaml holds a key of the {CC} valid on that date (ed25519:"
    )
    assert err.endswith("sign with jmb sign --key (JMB412)\n")
    assert (repo / RECORD).read_text() == before
    # Roles the roster holds no key for still sign without one; the key signs for its own role.
    assert sign(PCC)[0] == 0


def test_a_signature_made_before_the_key_was_valid_needs_none(repo: Path) -> None:
    assert sign(CC, day="2019-06-20")[0] == 0
    code, _, err = invoke(
        "keys", "new", "--role", CC, "--name", NAMES[CC], "--valid-from", "2019-07-01",
        env=WITH_PASSPHRASE,
    )  # fmt: skip
    assert code == 0, err
    code, out, _ = invoke("verify")
    assert code == 0
    assert f"{CC}, Andy Rhodes, 2019-06-20: checked for its digest only (no key)" in out


def test_require_keys_makes_every_signature_need_one(repo: Path) -> None:
    (repo / "jmb.toml").write_text("[signing]\nrequire_keys = true\n")
    code, _, err = sign(PCC)
    assert code == 1
    assert err == (
        f"jmb: {RECORD} not signed: the {PCC}'s signature of 2019-06-20 has no key, and "
        "[signing] require_keys = true in jmb.toml: every signature needs one (jmb sign --key) "
        "(JMB412)\n"
    )
    assert sign(PCC, new_key(PCC))[0] == 0


def test_a_roster_that_cannot_be_read_leaves_no_signature_unproven(repo: Path) -> None:
    """Breaking the roster must not be a way to strip keys unnoticed."""
    assert sign(PCC)[0] == 0
    (repo / "signatories.yaml").write_text("signatories:\n  - key_id: x\n")
    code, out, _ = invoke("verify")
    assert code == 1
    assert (
        f"error JMB412 signatures[0]: the {PCC}'s signature of 2019-06-20 has no key, and "
        "whether it needs one cannot be told: signatories.yaml:2: signatories[0]"
    ) in out


def test_verify_says_what_proves_each_signature(repo: Path) -> None:
    assert sign(CC, new_key(CC))[0] == 0
    assert sign(PCC)[0] == 0
    code, out, _ = invoke("verify")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].endswith(
        f"{PCC}, Clive Grunshaw, 2019-06-20: checked for its digest only (no key): the content is "
        "unchanged since signing"
    )
    assert f"{CC}, Andy Rhodes, 2019-06-20: proven by key ed25519:" in lines[1]
    assert lines[1].endswith(": the signature is good and the content unchanged since signing")


# -- item 3: what was declared is kept and signed --------------------------------------------------


def test_a_declaration_keeps_its_statement_and_a_key_signs_it(repo: Path) -> None:
    assert sign(MO, new_key(MO))[0] == 0
    entry = yaml.safe_load((repo / RECORD).read_text())["signatures"][2]
    assert entry["statement"] == MONITORING_OFFICER_STATEMENT
    assert entry["statement_digest"] == sha256(MONITORING_OFFICER_STATEMENT)
    # The signed bytes are version 2: version 1's members and the declared text (README).
    signed = canonical_bytes(
        {
            "statement": "jmb decision signature 2",
            "number": "2019/09",
            "role": MO,
            "name": NAMES[MO],
            "date": "2019-06-20",
            "digest": entry["digest"],
            "declaration": MONITORING_OFFICER_STATEMENT,
        }
    )
    roster = yaml.safe_load((repo / "signatories.yaml").read_text())["signatories"][0]
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(roster["public_key"]))
    public.verify(base64.b64decode(entry["signature"]), signed)  # raises if not
    assert invoke("verify")[0] == 0


@pytest.mark.parametrize("keyed", [True, False], ids=["keyed", "digest-only"])
@pytest.mark.parametrize("digest_too", [True, False], ids=["digest-rewritten", "digest-kept"])
def test_an_edited_declaration_is_caught(repo: Path, keyed: bool, digest_too: bool) -> None:
    assert sign(MO, new_key(MO) if keyed else None)[0] == 0
    path = repo / RECORD
    text = path.read_text()
    assert f"    statement: {MONITORING_OFFICER_STATEMENT}\n" in text
    edited = MONITORING_OFFICER_STATEMENT.replace("I am satisfied", "I am not satisfied")
    text = text.replace(MONITORING_OFFICER_STATEMENT, edited)
    if digest_too:
        text = text.replace(sha256(MONITORING_OFFICER_STATEMENT), sha256(edited))
    path.write_text(text)
    code, out, _ = invoke("verify")
    codes = {"JMB406"} if not digest_too else set()
    codes |= {"JMB410"} if keyed else set()
    if not codes:
        # A digest anyone can recompute proves nothing against a deliberate edit: only a key does.
        assert code == 0
        return
    assert code == 1
    assert f"FAILED ({', '.join(sorted(codes))})" in out
    if "JMB406" in codes:
        assert (
            f"error JMB406 signatures[2].statement: the {MO}'s declared statement was edited after "
            "the signature of 2019-06-20: the text declared had digest sha256:"
        ) in out
    if keyed:
        assert "number, role, name, date, declared statement or digest changed" in out


def test_a_declaration_signed_before_statements_were_kept_still_verifies(repo: Path) -> None:
    """A version-1 signature of a declaration (no statement in its entry) is valid as it was."""
    assert sign(MO, new_key(MO))[0] == 0
    # What jmb 0.1 wrote: version 1 bytes, no statement. Re-sign the entry that way by hand.
    path = repo / RECORD
    data = yaml.safe_load(path.read_text())
    entry = data["signatures"][2]
    text = path.read_text()
    text = text.replace(f"    statement: {entry['statement']}\n", "")
    text = text.replace(f"    statement_digest: {entry['statement_digest']}\n", "")
    path.write_text(text)
    assert invoke("verify")[0] == 1  # signed as version 2: the statement cannot just go
    # tests/test_signed_bytes.py pins version 1; here the verifier is shown to accept it.
    key_file = next((path.parents[3] / "home").rglob("*.key"))
    key = load_signing_key(key_file, PASSPHRASE)
    v1 = key.sign(statement("2019/09", MO, NAMES[MO], date(2019, 6, 20), entry["digest"]))
    path.write_text(text.replace(entry["signature"], base64.b64encode(v1).decode()))
    code, out, _ = invoke("verify")
    assert code == 0, out
    assert "proven by key" in out


def sign_everything(repo: Path) -> None:
    for role in (MO, CC, PCC):
        code, _, err = sign(role)
        assert code == 0, err


def test_an_approved_record_keeps_what_was_declared_and_render_names_what_changed(
    repo: Path,
) -> None:
    sign_everything(repo)
    (repo / "jmb.toml").write_text(
        '[organisation]\nname = "Lancashire Police"\n\n'
        '[[signatures]]\nrole = "Police and Crime Commissioner"\n'
        '[[signatures]]\nrole = "Chief Constable"\n'
        '[[signatures]]\nrole = "Monitoring Officer"\nkind = "declaration"\n'
        'statement = "I have looked at it."\n'
    )
    code, out, err = invoke("render", "2019/09", "--format", "md")
    assert (code, out) == (0, "build/2019-09-part1.md\n")
    assert err == (
        f"jmb: warning: {RECORD}: the wording in jmb.toml has changed since decision 2019/09 was "
        f"approved on 2019-06-20: the organisation name; the {MO}'s declaration statement (Part 1 "
        "shows the statement signed)\n"
    )
    markdown = (repo / "build" / "2019-09-part1.md").read_text()
    assert f"**{MO}:** {MONITORING_OFFICER_STATEMENT}" in markdown
    assert "I have looked at it." not in markdown
    assert markdown.startswith("Lancashire Police,")  # the header is as configured, with a warning


def test_render_names_the_board_and_access_statement_changes(repo: Path) -> None:
    sign_everything(repo)
    (repo / "jmb.toml").write_text(
        '[board]\nname = "Joint Board"\n\n[publication]\nworking_days = 5\n'
    )
    code, _, err = invoke("render", "2019/09", "--format", "md")
    assert code == 0
    assert err.endswith(
        "approved on 2019-06-20: the board name; the public access statement (section 6)\n"
    )


def test_part2_and_a_record_naming_its_board_are_told_only_what_they_print(repo: Path) -> None:
    sign_everything(repo)
    record = load_record(repo / RECORD)
    changed = Config.model_validate(
        {"organisation": {"name": "Lancashire Police"}, "board": {"name": "Joint Board"},
         "publication": {"working_days": 5}, "root": repo}
    )  # fmt: skip
    assert wording_changes(record, changed, part=2) == ["the organisation name", "the board name"]
    named = record.model_copy(update={"board": "Joint Management Board"})
    assert wording_changes(named, changed, part=2) == ["the organisation name"]
    assert wording_changes(named, changed, part=1) == [
        "the organisation name",
        "the public access statement (section 6)",
    ]


def test_nothing_is_said_when_the_wording_is_unchanged_or_the_record_not_approved(
    repo: Path,
) -> None:
    assert sign(MO)[0] == 0
    (repo / "jmb.toml").write_text('[organisation]\nname = "Lancashire Police"\n')
    assert invoke("render", "2019/09", "--format", "md")[2] == ""
    (repo / "jmb.toml").unlink()
    for role in (CC, PCC):
        assert sign(role)[0] == 0
    assert invoke("render", "2019/09", "--format", "md")[2] == ""


def test_a_declaration_signed_without_a_stored_statement_shows_the_configured_one(
    repo: Path,
) -> None:
    sign_everything(repo)
    path = repo / RECORD
    entry = yaml.safe_load(path.read_text())["signatures"][2]
    text = path.read_text()
    for field in ("statement", "statement_digest"):
        text = text.replace(f"    {field}: {entry[field]}\n", "")
    path.write_text(text)
    (repo / "jmb.toml").write_text(
        '[[signatures]]\nrole = "Police and Crime Commissioner"\n'
        '[[signatures]]\nrole = "Chief Constable"\n'
        '[[signatures]]\nrole = "Monitoring Officer"\nkind = "declaration"\n'
        'statement = "I have looked at it."\n'
    )
    code, _, err = invoke("render", "2019/09", "--format", "md")
    assert code == 0
    assert err.endswith(
        f"the {MO}'s declaration statement (Part 1 shows the one configured now, which is not "
        "what was declared)\n"
    )
    assert f"**{MO}:** I have looked at it." in (repo / "build" / "2019-09-part1.md").read_text()
