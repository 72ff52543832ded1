"""Signing keys: Ed25519 key pairs, the private key file, and the roster ``signatories.yaml``.

The private key never enters the repository. It is written to the user's configuration folder (or a
path given with ``--out``, which must be outside the repository), mode 0600, encrypted: the passphrase
is stretched with scrypt and the 32-byte key sealed with AES-256-GCM. The file is JSON and names its
own parameters, so it can be read without jmb.

The public half goes to the roster committed in the repository, with the holder's name and role and
the dates the key is valid between. A key that is no longer to be used gets a ``valid_to`` date and
stays in the roster: the signatures it made are still checked against it.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import functools
import hashlib
import json
import os
import secrets
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from jmb.atomic import create_text_exclusive, write_text_atomic
from jmb.errors import KeyFileError, RecordError, UsageError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from jmb.config import Config

#: The roster of signatories, at the root of the repository.
ROSTER_FILE = "signatories.yaml"
#: Where the passphrase of a private key may be given instead of at a prompt.
PASSPHRASE_VARIABLE = "JMB_KEY_PASSPHRASE"
#: The shortest passphrase accepted for a new key.
MIN_PASSPHRASE = 8

KEY_FILE_FORMAT = "jmb-ed25519-private-key"
_SCRYPT = {"n": 2**15, "r": 8, "p": 1}
_KEY_ID_PREFIX = "ed25519:"

_ROSTER_HEADER = (
    "# The keys that may sign the decisions of this repository: public keys only. `jmb keys new` adds\n"
    "# to it; a key no longer to be used gets a valid_to date, and stays, so that the signatures it\n"
    "# made can still be checked.\n"
)


def key_id_for(public_key: bytes) -> str:
    """The id of a public key: ``ed25519:`` and the first 16 hex digits of its SHA-256."""
    return _KEY_ID_PREFIX + hashlib.sha256(public_key).hexdigest()[:16]


def user_key_dir() -> Path:
    """Where private keys are kept by default: the user's configuration folder, ``jmb/keys``."""
    if sys.platform == "win32" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "jmb" / "keys"
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "jmb" / "keys"


# -- private keys --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SigningKey:
    """A private key opened with its passphrase, ready to sign."""

    key_id: str
    path: Path
    _private: Ed25519PrivateKey

    def sign(self, message: bytes) -> bytes:
        """The Ed25519 signature of ``message``."""
        return self._private.sign(message)

    def __repr__(self) -> str:  # never the key itself, in a log or a traceback
        return f"SigningKey({self.key_id}, {self.path})"


def _stretch(passphrase: str, salt: bytes, params: dict[str, int]) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    kdf = Scrypt(salt=salt, length=32, n=params["n"], r=params["r"], p=params["p"])
    return kdf.derive(passphrase.encode("utf-8"))


def seal_private_key(private: Ed25519PrivateKey, passphrase: str) -> str:
    """The text of a private key file: the key encrypted under the passphrase."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        PublicFormat,
    )

    raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    key_id = key_id_for(private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    sealed = AESGCM(_stretch(passphrase, salt, _SCRYPT)).encrypt(nonce, raw, key_id.encode())
    document = {
        "format": KEY_FILE_FORMAT,
        "key_id": key_id,
        "kdf": {"name": "scrypt", "salt": _b64(salt), **_SCRYPT},
        "cipher": {"name": "AES-256-GCM", "nonce": _b64(nonce), "associated_data": "key_id"},
        "encrypted_key": _b64(sealed),
    }
    return json.dumps(document, indent=2) + "\n"


def load_signing_key(path: Path, passphrase: str) -> SigningKey:
    """Open the private key file at ``path``. Raises :class:`KeyFileError` when it cannot be read,
    is not a jmb key, or the passphrase is wrong (never saying what the passphrase was)."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not text"
        raise KeyFileError(f"cannot read the key {path}: {reason or error}") from None
    try:
        document = json.loads(text)
        if document.get("format") != KEY_FILE_FORMAT:
            raise ValueError
        kdf, cipher = document["kdf"], document["cipher"]
        if kdf["name"] != "scrypt" or cipher["name"] != "AES-256-GCM":
            raise ValueError
        params = {name: int(kdf[name]) for name in ("n", "r", "p")}
        salt, nonce = _unb64(kdf["salt"]), _unb64(cipher["nonce"])
        sealed, key_id = _unb64(document["encrypted_key"]), str(document["key_id"])
    except (ValueError, KeyError, TypeError, AttributeError):
        raise KeyFileError(f"{path} is not a jmb private key (jmb keys new makes one)") from None
    try:
        raw = AESGCM(_stretch(passphrase, salt, params)).decrypt(nonce, sealed, key_id.encode())
    except InvalidTag:
        raise KeyFileError(f"cannot open the key {path}: wrong passphrase") from None
    except ValueError:  # impossible scrypt parameters
        raise KeyFileError(f"{path} is not a jmb private key (jmb keys new makes one)") from None
    private = Ed25519PrivateKey.from_private_bytes(raw)
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    if key_id_for(public) != key_id:
        raise KeyFileError(f"{path} is damaged: its key is not {key_id}")
    return SigningKey(key_id=key_id, path=path, _private=private)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error:
        raise ValueError("not base64") from None


# -- the roster ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterKey:
    """One key of the roster."""

    key_id: str
    name: str
    role: str
    public_key: bytes
    valid_from: date
    valid_to: date | None
    #: The 1-based line of the entry in the roster file.
    line: int

    def valid_on(self, day: date) -> bool:
        """True when ``day`` lies within the key's validity dates."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def validity(self) -> str:
        """The validity dates, in words."""
        until = self.valid_to.isoformat() if self.valid_to is not None else "no end date"
        return f"valid {self.valid_from.isoformat()} to {until}"


@dataclass(frozen=True)
class Roster:
    """The keys of ``signatories.yaml`` by id; ``error`` says why the file could not be read."""

    path: Path
    keys: dict[str, RosterKey]
    error: str = ""
    exists: bool = True


def load_roster(root: Path) -> Roster:
    """The roster of the repository at ``root``. Never raises: a roster that cannot be read has
    no keys and says why in ``error``. Parsed once a process for each content it has had."""
    path = root / ROSTER_FILE
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        return Roster(path, {}, exists=False)
    except OSError as error:
        return Roster(path, {}, f"{ROSTER_FILE}: cannot be read: {error.strerror or error}")
    return _parse_roster(path, content)


@functools.lru_cache(maxsize=8)
def _parse_roster(path: Path, content: bytes) -> Roster:
    from pydantic import ValidationError

    from jmb.document import Document, parse_text
    from jmb.pydantic_paths import dotted, plain_message

    document = Document(path=ROSTER_FILE)
    try:
        document.text = content.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return Roster(path, {}, f"{ROSTER_FILE}: not UTF-8 text")
    parse_text(document)
    if document.findings:
        first = document.findings[0]
        return Roster(path, {}, f"{ROSTER_FILE}:{first.line}: {first.message}")
    data = document.data if document.data is not None else {"signatories": []}
    try:
        parsed = _RosterFile.model_validate(data)
    except ValidationError as error:
        detail = error.errors(include_url=False)[0]
        loc = tuple(detail["loc"])
        line, _ = document.position(loc)
        message = plain_message(detail["msg"], mapping="a mapping of fields")
        where = dotted(loc) + ": " if loc else ""
        return Roster(path, {}, f"{ROSTER_FILE}:{line}: {where}{message}")
    keys: dict[str, RosterKey] = {}
    for index, entry in enumerate(parsed.signatories):
        line, _ = document.position(("signatories", index))
        problem = ""
        try:
            public = _unb64(entry.public_key)
        except ValueError:
            public = b""
        if len(public) != 32:
            problem = "public_key is not the base64 of a 32-byte Ed25519 public key"
        elif key_id_for(public) != entry.key_id:
            problem = (
                f"key_id {entry.key_id} is not the id of its public_key ({key_id_for(public)})"
            )
        elif entry.key_id in keys:
            problem = f"the key {entry.key_id} is listed twice"
        elif entry.valid_to is not None and entry.valid_to < entry.valid_from:
            problem = "valid_to is before valid_from"
        if problem:
            return Roster(path, {}, f"{ROSTER_FILE}:{line}: signatories[{index}]: {problem}")
        keys[entry.key_id] = RosterKey(
            entry.key_id, entry.name, entry.role, public, entry.valid_from, entry.valid_to, line
        )
    return Roster(path, keys)


class _RosterEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key_id: str
    name: str = Field(pattern=r"\S")
    role: str = Field(pattern=r"\S")
    valid_from: date
    valid_to: date | None = None
    public_key: str


class _RosterFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    signatories: list[_RosterEntry] = Field(default_factory=list)


@dataclass(frozen=True)
class NewKey:
    """What :func:`new_key` made."""

    key_id: str
    #: Where the private key was written.
    private_key: Path
    roster: Path


def new_key(
    config: Config,
    *,
    role: str,
    name: str,
    passphrase: str,
    out: Path | None = None,
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> NewKey:
    """Make an Ed25519 key pair for ``name`` in ``role``: the private key, encrypted under
    ``passphrase``, to ``out`` (default: :func:`user_key_dir`), outside the repository; the public
    key to the roster. Nothing is written when anything is wrong."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    role = check_role(config, role)
    name = " ".join(name.split())
    if not name:
        raise UsageError("--name is empty")
    if len(passphrase) < MIN_PASSPHRASE:
        raise UsageError(f"the passphrase is shorter than {MIN_PASSPHRASE} characters")
    valid_from = valid_from or date.today()
    if valid_to is not None and valid_to < valid_from:
        raise UsageError(f"--valid-to {valid_to} is before --valid-from {valid_from}")
    roster = load_roster(config.root)
    if roster.error:
        raise RecordError(f"cannot add the key: {roster.error}")

    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    key_id = key_id_for(public)
    target = _key_path(config, out, key_id)
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        create_text_exclusive(target, seal_private_key(private, passphrase), mode=0o600)
    except FileExistsError:
        raise UsageError(f"{target} exists; jmb never overwrites a key") from None
    except OSError as error:
        raise RecordError(f"cannot write the key {target}: {error.strerror or error}") from None
    entry: dict[str, str | date] = {
        "key_id": key_id,
        "name": name,
        "role": role,
        "valid_from": valid_from,
        **({"valid_to": valid_to} if valid_to is not None else {}),
        "public_key": _b64(public),
    }
    try:
        _add_to_roster(config.root / ROSTER_FILE, entry)
    except BaseException:
        # A private key whose public half is in no roster signs nothing that verifies: take it back.
        with contextlib.suppress(OSError):
            target.unlink()
        raise
    return NewKey(key_id=key_id, private_key=target, roster=config.root / ROSTER_FILE)


def check_role(config: Config, role: str) -> str:
    """``role`` when it is a configured signing role; else a usage error naming the roles."""
    from jmb.pydantic_paths import did_you_mean

    role = " ".join(role.split())
    if role not in config.roles:
        hint = did_you_mean(role, list(config.roles), listing="configured roles")
        raise UsageError(f"--role {role!r} is not a signing role{hint}")
    return role


def _key_path(config: Config, out: Path | None, key_id: str) -> Path:
    """Where the new private key goes; refused when that is inside the repository."""
    file_name = key_id.replace(":", "-") + ".key"
    target = (out if out is not None else user_key_dir()).expanduser()
    if out is None or target.is_dir():
        target = target / file_name
    resolved = target.parent.resolve() / target.name
    # The decision repository, and any git work tree around it (a repository without jmb.toml
    # has its root wherever jmb was started, which may be a folder inside the work tree).
    roots = {config.root.resolve(), *_work_trees(config.root.resolve()), *_work_trees(resolved)}
    for root in roots:
        if resolved == root or root in resolved.parents:
            raise UsageError(
                f"{target} is inside the repository; a private key is kept outside it (--out)"
            )
    return resolved


def _work_trees(start: Path) -> list[Path]:
    """The git work trees containing ``start``: folders at or above it holding a ``.git``."""
    return [folder for folder in (start, *start.parents) if (folder / ".git").exists()]


def _add_to_roster(path: Path, entry: dict[str, str | date]) -> None:
    """Append ``entry`` to the roster, creating it if need be, under a lock so that two new keys at
    once both land."""
    from filelock import FileLock, Timeout

    from jmb.roundtrip import YamlEdit

    lock = FileLock(lock_path("roster", path), timeout=60)
    try:
        with lock:
            try:
                text = path.read_text(encoding="utf-8")
            except FileNotFoundError:
                text = ""
            if not text.strip():
                text = _ROSTER_HEADER + "signatories: []\n"
            edit = YamlEdit(text, source=ROSTER_FILE)
            edit.append_item(edit.root, "signatories", entry, blank_line=False)
            updated = edit.result()
            write_text_atomic(path, updated)
    except Timeout:
        raise RecordError(f"another jmb has held the lock on {path} for 60 s") from None
    except OSError as error:
        raise RecordError(f"cannot write {path}: {error.strerror or error}") from None
    roster = load_roster(path.parent)
    if roster.error or entry["key_id"] not in roster.keys:
        raise RecordError(f"{path} was written but does not read back: {roster.error}")


def lock_path(kind: str, target: Path) -> Path:
    """A lock file outside the repository, one for each ``target``, so jmb leaves nothing behind
    for git to see."""
    digest = hashlib.sha256(str(target.resolve()).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"jmb-{kind}-{digest}.lock"


def read_passphrase(environ: dict[str, str] | None, ask: Callable[[], str] | None) -> str:
    """The passphrase from :data:`PASSPHRASE_VARIABLE`, else from ``ask`` (a prompt)."""
    environ = dict(os.environ) if environ is None else environ
    given = environ.get(PASSPHRASE_VARIABLE)
    if given:
        return given
    if ask is None:
        raise UsageError(f"no passphrase: set {PASSPHRASE_VARIABLE} or run jmb at a terminal")
    return ask()
