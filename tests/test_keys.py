"""``jmb keys new``, ``jmb sign --key`` and ``jmb verify`` of cryptographic signatures; and that no
private key or passphrase ever shows up in a record, an output, an error message or the repository."""

from __future__ import annotations

import base64
import contextlib
import os
import pty
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from jmb.core.errors import KeyFileError
from jmb.sign.keys import load_signing_key
from tests.signing_support import (
    CC,
    PASSPHRASE,
    PCC,
    RECORD,
    invoke,
    tree_bytes,
)

WITH_PASSPHRASE = {"JMB_KEY_PASSPHRASE": PASSPHRASE}


@pytest.fixture
def repo(keyed_repo: Path) -> Path:
    """The clean example as the current folder, keys kept outside it (signing_support)."""
    return keyed_repo


def new_key(*extra: str, role: str = CC, name: str = "Andy Rhodes") -> tuple[str, Path]:
    code, out, err = invoke(
        "keys", "new", "--role", role, "--name", name, "--valid-from", "2019-01-01", *extra,
        env=WITH_PASSPHRASE,
    )  # fmt: skip
    assert code == 0, err
    key_line, path_line = out.splitlines()
    return key_line.removeprefix("key id: "), Path(path_line.removeprefix("private key: "))


def test_keys_new_keeps_the_private_key_outside_and_lists_the_public_key(
    repo: Path, tmp_path: Path
) -> None:
    code, out, err = invoke(
        "keys", "new", "--role", CC, "--name", "Andy Rhodes", "--valid-from", "2019-01-01",
        "--valid-to", "2027-03-31", env=WITH_PASSPHRASE,
    )  # fmt: skip
    assert code == 0
    key_id = out.splitlines()[0].removeprefix("key id: ")
    assert key_id.startswith("ed25519:") and len(key_id) == len("ed25519:") + 16
    private = tmp_path / "home" / "jmb" / "keys" / f"{key_id.replace(':', '-')}.key"
    assert out == f"key id: {key_id}\nprivate key: {private}\n"
    assert err == "jmb: added the public key to signatories.yaml; commit it\n"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert stat.S_IMODE(private.parent.stat().st_mode) == 0o700
    roster = yaml.safe_load((repo / "signatories.yaml").read_text())
    (entry,) = roster["signatories"]
    assert entry.pop("public_key")
    assert entry == {
        "key_id": key_id,
        "name": "Andy Rhodes",
        "role": CC,
        "valid_from": date(2019, 1, 1),
        "valid_to": date(2027, 3, 31),
    }
    assert load_signing_key(private, PASSPHRASE).key_id == key_id
    with pytest.raises(KeyFileError, match=r"cannot open the key .*: wrong passphrase$"):
        load_signing_key(private, PASSPHRASE + "x")


def test_keys_are_appended_to_the_roster_keeping_its_comments(repo: Path) -> None:
    first, _ = new_key()
    roster = repo / "signatories.yaml"
    roster.write_text(
        roster.read_text().replace(
            "    name: Andy Rhodes\n", "    name: Andy Rhodes  # sworn in 2019\n"
        )
    )
    second, _ = new_key(role=PCC, name="Clive Grunshaw")
    text = roster.read_text()
    assert text.startswith("# The keys that may sign the decisions of this repository")
    assert "    name: Andy Rhodes  # sworn in 2019\n" in text
    assert [entry["key_id"] for entry in yaml.safe_load(text)["signatories"]] == [first, second]


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (
            ["--role", "Chief", "--name", "A"],
            WITH_PASSPHRASE,
            "jmb: --role 'Chief' is not a signing role; configured roles: Police and Crime "
            "Commissioner, Chief Constable, Monitoring Officer\n",
        ),
        (
            ["--role", CC, "--name", "A"],
            {"JMB_KEY_PASSPHRASE": "short"},
            "jmb: the passphrase is shorter than 8 characters\n",
        ),
        (
            ["--role", CC, "--name", "A"],
            {},
            "jmb: no passphrase: set JMB_KEY_PASSPHRASE or run jmb at a terminal\n",
        ),
        (
            ["--role", CC, "--name", "A", "--valid-from", "2020-01-01", "--valid-to", "2019-01-01"],
            WITH_PASSPHRASE,
            "jmb: --valid-to 2019-01-01 is before --valid-from 2020-01-01\n",
        ),
        (["--role", CC, "--name", " "], WITH_PASSPHRASE, "jmb: --name is empty\n"),
    ],
)
def test_keys_new_refusals_write_nothing(
    repo: Path, tmp_path: Path, args: list[str], env: dict[str, str], message: str
) -> None:
    assert invoke("keys", "new", *args, env=env) == (2, "", message)
    assert not (repo / "signatories.yaml").exists()
    assert not (tmp_path / "home").exists()


def test_a_private_key_is_never_written_inside_the_repository(repo: Path) -> None:
    code, _, err = invoke(
        "keys", "new", "--role", CC, "--name", "A", "--out", "records", env=WITH_PASSPHRASE
    )
    assert code == 2
    assert err.startswith("jmb: records/ed25519-") and err.endswith(
        ".key is inside the repository; a private key is kept outside it (--out)\n"
    )
    assert not (repo / "signatories.yaml").exists()
    assert list(repo.rglob("*.key")) == []


def test_an_existing_key_file_is_never_overwritten(repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "mine.key"
    target.write_text("somebody's key")
    code, _, err = invoke(
        "keys", "new", "--role", CC, "--name", "A", "--out", str(target), env=WITH_PASSPHRASE
    )
    assert (code, err) == (2, f"jmb: {target} exists; jmb never overwrites a key\n")
    assert target.read_text() == "somebody's key"
    assert not (repo / "signatories.yaml").exists()


def test_a_malformed_roster_stops_keys_new(repo: Path, tmp_path: Path) -> None:
    (repo / "signatories.yaml").write_text("signatories:\n  - key_id: x\n    nam: A\n")
    code, _, err = invoke("keys", "new", "--role", CC, "--name", "A", env=WITH_PASSPHRASE)
    assert code == 1
    assert err.startswith("jmb: cannot add the key: signatories.yaml:2: signatories[0]")
    assert not (tmp_path / "home").exists()


# -- signing with a key --------------------------------------------------------------------------


def sign_with(key: Path, *extra: str, role: str = CC, name: str = "Andy Rhodes",
              env: dict[str, str] | None = None) -> tuple[int, str, str]:  # fmt: skip
    return invoke(
        "sign", "2019/09", "--role", role, "--name", name, "--date", "2019-06-21",
        "--key", str(key), *extra, env=WITH_PASSPHRASE if env is None else env,
    )  # fmt: skip


def test_a_keyed_signature_verifies(repo: Path) -> None:
    key_id, private = new_key()
    code, out, _ = sign_with(private)
    assert code == 0
    assert out.endswith(f", key {key_id})\n")
    entry = yaml.safe_load((repo / RECORD).read_text())["signatures"][1]
    assert entry["key_id"] == key_id
    assert len(base64.b64decode(entry["signature"], validate=True)) == 64
    code, out, _ = invoke("verify")
    assert code == 0
    assert out == (
        f"{RECORD}:59:5: {CC}, Andy Rhodes, 2019-06-21: proven by key {key_id}: the signature "
        "is good and the content unchanged since signing\n"
        "1 signature in 1 record verified: 0 problems\n"
    )


@pytest.mark.parametrize(
    ("change", "code", "message"),
    [
        ("wrong-passphrase", 1, "jmb: cannot open the key {private}: wrong passphrase\n"),
        ("no-passphrase", 2, "jmb: no passphrase: set JMB_KEY_PASSPHRASE or run jmb at a terminal\n"),
        ("not-a-key", 1, "jmb: {record} is not a jmb private key (jmb keys new makes one)\n"),
        ("other-role", 1, f"jmb: {{record}} not signed: the key {{key_id}} is the {CC}'s in "
         f"signatories.yaml, not the {PCC}'s (JMB409)\n"),
        ("other-name", 1, "jmb: {record} not signed: the key {key_id} is Andy Rhodes's in "
         "signatories.yaml, not A. N. Other's (JMB409)\n"),
        ("not-in-roster", 1, f"jmb: {{record}} not signed: the {CC} signed with the key {{key_id}}: "
         "not in signatories.yaml (JMB407)\n"),
        ("retired", 1, "jmb: {record} not signed: the key {key_id} was used on 2019-06-21, outside "
         "its validity (valid 2019-01-01 to 2019-03-31) (JMB408)\n"),
    ],
)  # fmt: skip
def test_sign_with_a_key_refuses(repo: Path, change: str, code: int, message: str) -> None:
    key_id, private = new_key()
    roster = repo / "signatories.yaml"
    key, role, name, env = private, CC, "Andy Rhodes", WITH_PASSPHRASE
    if change == "wrong-passphrase":
        env = {"JMB_KEY_PASSPHRASE": "not the passphrase"}
    elif change == "no-passphrase":
        env = {}
    elif change == "not-a-key":
        key = RECORD
    elif change == "other-role":
        role = PCC
    elif change == "other-name":
        name = "A. N. Other"
    elif change == "not-in-roster":
        roster.write_text("signatories: []\n")
    elif change == "retired":
        roster.write_text(roster.read_text() + "    valid_to: 2019-03-31\n")
    before = (repo / RECORD).read_text()
    result = sign_with(key, role=role, name=name, env=env)
    shown = message.format(private=private, record=RECORD, key_id=key_id)
    assert result == (code, "", shown)
    assert (repo / RECORD).read_text() == before


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("signature", "JMB410 signatures[1].signature: the Chief Constable's signature does not "
         "match the key {key_id}"),
        ("name", "JMB410 signatures[1].signature: "),
        ("roster-removed", "JMB407 signatures[1].key_id: the Chief Constable signed with the key "
         "{key_id}: there is no signatories.yaml"),
        ("roster-forged", "JMB407 signatures[1].key_id: the Chief Constable signed with the key "
         "{key_id}: signatories.yaml:5: signatories[0]: key_id {key_id} is not the id of its "
         "public_key"),
        ("roster-role", "JMB409 signatures[1].key_id: the key {key_id} is the Police and Crime "
         "Commissioner's in signatories.yaml, not the Chief Constable's"),
        ("roster-name", "JMB409 signatures[1].key_id: the key {key_id} is Someone Else's in "
         "signatories.yaml, not Andy Rhodes's"),
        ("roster-dates", "JMB408 signatures[1].date: the key {key_id} was used on 2019-06-21, "
         "outside its validity (valid 2019-07-01 to no end date)"),
    ],
)  # fmt: skip
def test_verify_catches_what_changed_after_a_keyed_signature(
    repo: Path, change: str, expected: str
) -> None:
    key_id, private = new_key()
    assert sign_with(private)[0] == 0
    record, roster = repo / RECORD, repo / "signatories.yaml"
    text, listed = record.read_text(), roster.read_text()
    if change == "signature":
        signature = yaml.safe_load(text)["signatures"][1]["signature"]
        text = text.replace(signature, ("A" if signature[0] != "A" else "B") + signature[1:])
    elif change == "name":
        text = text.replace("name: Andy Rhodes", "name: Andy  Rhodes")
        listed = listed.replace("name: Andy Rhodes", "name: Andy  Rhodes")
    elif change == "roster-removed":
        roster.unlink()
    elif change == "roster-forged":
        other = base64.b64encode(bytes(32)).decode()
        public = yaml.safe_load(listed)["signatories"][0]["public_key"]
        listed = listed.replace(public, other)
    elif change == "roster-role":
        listed = listed.replace(f"role: {CC}", f"role: {PCC}")
    elif change == "roster-name":
        listed = listed.replace("name: Andy Rhodes", "name: Someone Else")
    elif change == "roster-dates":
        listed = listed.replace("valid_from: 2019-01-01", "valid_from: 2019-07-01")
    record.write_text(text)
    if roster.exists():
        roster.write_text(listed)
    code, out, _ = invoke("verify")
    assert code == 1
    assert f"{RECORD}:59:5: {CC}, Andy" in out.splitlines()[0]
    assert "FAILED (JMB4" in out.splitlines()[0]
    assert f"error {expected.format(key_id=key_id)}" in out


# -- secrets -------------------------------------------------------------------------------------


def test_no_private_key_or_passphrase_anywhere(repo: Path, tmp_path: Path) -> None:
    outputs: list[str] = []

    def run(*args: str, env: dict[str, str] | None = None) -> int:
        code, out, err = invoke(*args, env=WITH_PASSPHRASE if env is None else env)
        outputs.extend((out, err))
        return code

    assert (
        run("keys", "new", "--role", CC, "--name", "Andy Rhodes", "--valid-from", "2019-01-01") == 0
    )
    private = Path(outputs[0].splitlines()[1].removeprefix("private key: "))
    assert run("keys", "new", "--role", CC, "--name", "A", "--out", "records") == 2
    assert run("sign", "2019/09", "--role", CC, "--name", "Andy Rhodes", "--date", "2019-06-21",
               "--key", str(private), env={"JMB_KEY_PASSPHRASE": PASSPHRASE[::-1]}) == 1  # fmt: skip
    assert run("sign", "2019/09", "--role", CC, "--name", "Andy Rhodes", "--date", "2019-06-21",
               "--key", str(private)) == 0  # fmt: skip
    assert run("verify") == 0
    assert run("validate") == 0  # the other two lines await their signatories: not errors
    secret_key = load_signing_key(private, PASSPHRASE)._private.private_bytes(
        Encoding.Raw, PrivateFormat.Raw, NoEncryption()
    )
    secrets = [
        PASSPHRASE.encode(),
        PASSPHRASE[::-1].encode(),
        secret_key,
        secret_key.hex().encode(),
        base64.b64encode(secret_key),
    ]
    text = "".join(outputs).encode()
    places = {"outputs": text, "repository": tree_bytes(repo), "key file": private.read_bytes()}
    for where, content in places.items():
        for secret in secrets:
            assert secret not in content, f"a secret in the {where}"
    assert repr(load_signing_key(private, PASSPHRASE)).startswith("SigningKey(ed25519:")


def test_at_a_terminal_the_passphrase_is_asked_for_twice_and_not_echoed(
    repo: Path, tmp_path: Path
) -> None:
    """The real command in a pseudo-terminal, answering its prompts."""
    controller, terminal = pty.openpty()
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("CI", "JMB_KEY_PASSPHRASE", "XDG_CONFIG_HOME")
    }
    target = tmp_path / "asked.key"
    process = subprocess.Popen(
        [sys.executable, "-m", "jmb", "keys", "new", "--role", CC, "--name", "A", "--out", str(target)],
        stdin=terminal, stdout=terminal, stderr=terminal, cwd=repo, env=environment,
    )  # fmt: skip
    os.close(terminal)
    output = b""
    for prompt in (b"Passphrase: ", b"Repeat for confirmation: "):
        while prompt not in output:
            output += os.read(controller, 1024)
        output = output.replace(prompt, b"<asked>", 1)
        os.write(controller, PASSPHRASE.encode() + b"\n")
    assert process.wait(timeout=60) == 0
    with contextlib.suppress(OSError):  # the terminal closes when the process ends
        while chunk := os.read(controller, 1024):
            output += chunk
    os.close(controller)
    assert PASSPHRASE.encode() not in output
    assert f"private key: {target}".encode() in output
    assert load_signing_key(target, PASSPHRASE).key_id in output.decode()


def test_a_key_is_never_written_inside_a_git_work_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no jmb.toml the repository is wherever jmb runs; the git work tree still counts."""
    from typer.testing import CliRunner

    from jmb.cli import app

    (tmp_path / ".git").mkdir()
    (tmp_path / "records").mkdir()
    monkeypatch.chdir(tmp_path / "records")
    monkeypatch.setenv("JMB_KEY_PASSPHRASE", "correct horse battery")
    result = CliRunner().invoke(
        app, ["keys", "new", "--role", "Chief Constable", "--name", "X", "--out", "../cc.key"]
    )
    assert result.exit_code == 2
    assert "is inside the repository" in result.stderr
    assert not (tmp_path / "cc.key").exists()
