"""Signing keys: Ed25519 key pairs and the private key file; the public half goes to the roster.

The private key never enters the repository. It is written to the user's configuration folder (or a
path given with ``--out``, which must be outside the repository), mode 0600, encrypted: the passphrase
is stretched with scrypt and the 32-byte key sealed with AES-256-GCM. The file is JSON and names its
own parameters, so it can be read without jmb.

The public half goes to the roster committed in the repository (:mod:`jmb.repo.roster`), with the
holder's name and role and the dates the key is valid between.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import secrets
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from jmb.core.atomic import create_text_exclusive
from jmb.core.errors import KeyFileError, RecordError, UsageError
from jmb.core.files import FileTooLargeError, NotRegularFileError, read_regular_file
from jmb.repo.config import Config
from jmb.repo.roster import ROSTER_FILE, add_to_roster, key_id_for, load_roster, unb64

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

#: Where the passphrase of a private key may be given instead of at a prompt.
PASSPHRASE_VARIABLE = "JMB_KEY_PASSPHRASE"
#: The shortest passphrase accepted for a new key.
MIN_PASSPHRASE = 8

KEY_FILE_FORMAT = "jmb-ed25519-private-key"
_SCRYPT = {"n": 2**15, "r": 8, "p": 1}
#: The scrypt parameters a key file may name, checked before any work is done: what jmb writes
#: (and a little room to grow). A file naming n = 2**40 would otherwise ask for a terabyte of memory
#: or hours of work before the passphrase is even tried. The cost is 128 * n * r bytes and n * r * p.
_SCRYPT_LIMITS = {"n": (2**14, 2**17), "r": (1, 8), "p": (1, 4)}
#: A key file is some 400 bytes; anything much larger is not one, and is not read further.
MAX_KEY_FILE = 64 * 1024


def user_key_dir() -> Path:
    """Where private keys are kept by default: the user's configuration folder, ``jmb/keys``."""
    if sys.platform == "win32" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "jmb" / "keys"
    base = os.environ.get("XDG_CONFIG_HOME", "")
    if not Path(base).is_absolute():  # the XDG rule: a relative value is ignored
        try:
            base = str(Path.home() / ".config")
        except RuntimeError:  # no HOME, and no entry for this user in the password database
            raise UsageError(
                "no folder for private keys: set HOME or XDG_CONFIG_HOME, or give --out"
            ) from None
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

    text = _read_key_file(path)
    not_a_key = KeyFileError(f"{path} is not a jmb private key (jmb keys new makes one)")
    try:
        document = json.loads(text)
        if document.get("format") != KEY_FILE_FORMAT:
            raise ValueError
        kdf, cipher = document["kdf"], document["cipher"]
        if kdf["name"] != "scrypt" or cipher["name"] != "AES-256-GCM":
            raise ValueError
        params = {name: kdf[name] for name in ("n", "r", "p")}
        salt, nonce = unb64(kdf["salt"]), unb64(cipher["nonce"])
        sealed, key_id = unb64(document["encrypted_key"]), str(document["key_id"])
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise not_a_key from None
    for name, (least, most) in _SCRYPT_LIMITS.items():
        value = params[name]
        if type(value) is not int or not least <= value <= most:
            raise KeyFileError(
                f"{path} asks for scrypt {name} = {str(value)[:20]}, outside what jmb uses "
                f"({least} to {most}); it is not a key jmb made"
            )
    if params["n"] & (params["n"] - 1):
        raise KeyFileError(f"{path} asks for scrypt n = {params['n']}, not a power of two")
    try:
        raw = AESGCM(_stretch(passphrase, salt, params)).decrypt(nonce, sealed, key_id.encode())
    except InvalidTag:
        raise KeyFileError(f"cannot open the key {path}: wrong passphrase") from None
    except ValueError:  # a nonce or salt of an impossible length
        raise not_a_key from None
    try:
        private = Ed25519PrivateKey.from_private_bytes(raw)
    except ValueError:  # sealed with the passphrase, but not 32 bytes of a key
        raise not_a_key from None
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    if key_id_for(public) != key_id:
        raise KeyFileError(f"{path} is damaged: its key is not {key_id}")
    return SigningKey(key_id=key_id, path=path, _private=private)


def _read_key_file(path: Path) -> str:
    """The text of the key file at ``path``, read safely (:func:`jmb.core.files.read_regular_file`):
    only a regular file (a device such as ``/dev/zero`` never ends, a FIFO may never answer: both
    are refused without waiting), and at most :data:`MAX_KEY_FILE` bytes."""
    try:
        data = read_regular_file(path, MAX_KEY_FILE)
    except NotRegularFileError:
        raise KeyFileError(f"cannot read the key {path}: not a regular file") from None
    except FileTooLargeError:
        raise KeyFileError(
            f"{path} is not a jmb private key: it is larger than {MAX_KEY_FILE} bytes"
        ) from None
    except OSError as error:
        raise KeyFileError(f"cannot read the key {path}: {error.strerror or error}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise KeyFileError(f"cannot read the key {path}: not text") from None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


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
    out_is_folder: bool = False,
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> NewKey:
    """Make an Ed25519 key pair for ``name`` in ``role``: the private key, encrypted under
    ``passphrase``, to ``out`` (default: :func:`user_key_dir`), outside the repository; the public
    key to the roster. ``out`` is a folder when it is one, or when ``out_is_folder`` (``--out
    DIR/``: the folder is made); else the file to write. Nothing is written when anything is
    wrong."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    role = config.signing_role(role)
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
    target = _key_path(config, out, key_id, out_is_folder=out_is_folder)
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
        add_to_roster(config.root / ROSTER_FILE, entry)
    except BaseException:
        # A private key whose public half is in no roster signs nothing that verifies: take it back.
        with contextlib.suppress(OSError):
            target.unlink()
        raise
    return NewKey(key_id=key_id, private_key=target, roster=config.root / ROSTER_FILE)


def _key_path(config: Config, out: Path | None, key_id: str, *, out_is_folder: bool) -> Path:
    """Where the new private key goes; refused when that is inside the repository."""
    file_name = key_id.replace(":", "-") + ".key"
    try:
        target = (out if out is not None else user_key_dir()).expanduser()
    except RuntimeError:  # "~" with no home to expand it to
        raise UsageError(f"--out {out}: no home folder to expand ~ to") from None
    # os.path.isdir says no for what it cannot look into; Path.is_dir raises (Python 3.11).
    if out is None or out_is_folder or os.path.isdir(target):  # noqa: PTH112
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
    # os.path.exists says no for what it cannot look into (a name too long, say); Path.exists
    # raises for all but a few errors (Python 3.11).
    folders = (start, *start.parents)
    return [folder for folder in folders if os.path.exists(folder / ".git")]  # noqa: PTH110


def read_passphrase(environ: dict[str, str] | None, ask: Callable[[], str] | None) -> str:
    """The passphrase from :data:`PASSPHRASE_VARIABLE`, else from ``ask`` (a prompt)."""
    environ = dict(os.environ) if environ is None else environ
    given = environ.get(PASSPHRASE_VARIABLE)
    if given:
        return given
    if ask is None:
        raise UsageError(f"no passphrase: set {PASSPHRASE_VARIABLE} or run jmb at a terminal")
    return ask()
