"""The roster ``signatories.yaml``: the public keys that may sign the decisions of a repository.

Each key is listed with its holder's name and role and the dates it is valid between. A key that is no
longer to be used gets a ``valid_to`` date and stays: the signatures it made are still checked against
it. The private halves never come near the repository (see :mod:`jmb.sign.keys`).
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from jmb.core.atomic import write_text_atomic
from jmb.core.errors import RecordError
from jmb.core.files import read_regular_file
from jmb.core.locks import held
from jmb.core.names import dotted, plain_message
from jmb.record.document import Document, parse_text
from jmb.record.model import RecordDate
from jmb.record.roundtrip import YamlEdit

#: The roster of signatories, at the root of the repository.
ROSTER_FILE = "signatories.yaml"
#: The largest roster read, in bytes: some thousands of keys.
MAX_ROSTER_BYTES = 2_000_000
_KEY_ID_PREFIX = "ed25519:"

_ROSTER_HEADER = (
    "# The keys that may sign the decisions of this repository: public keys only. `jmb keys new` adds\n"
    "# to it; a key no longer to be used gets a valid_to date, and stays, so that the signatures it\n"
    "# made can still be checked.\n"
)


def key_id_for(public_key: bytes) -> str:
    """The id of a public key: ``ed25519:`` and the first 16 hex digits of its SHA-256."""
    return _KEY_ID_PREFIX + hashlib.sha256(public_key).hexdigest()[:16]


def unb64(text: Any) -> bytes:
    """The bytes of base64 ``text``; :class:`ValueError` for anything else."""
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error:
        raise ValueError("not base64") from None


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
        # A regular file only, and no more than a roster can be: a FIFO must not hang every command.
        content = read_regular_file(path, MAX_ROSTER_BYTES)
    except FileNotFoundError:
        return Roster(path, {}, exists=False)
    except OSError as error:
        return Roster(path, {}, f"{ROSTER_FILE}: cannot be read: {error.strerror or error}")
    return _parse_roster(path, content)


@functools.lru_cache(maxsize=8)
def _parse_roster(path: Path, content: bytes) -> Roster:
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
            public = unb64(entry.public_key)
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
    # Strict as a record is: no number read as a date, nothing read as text that is not text.
    model_config = ConfigDict(extra="forbid", strict=True)

    key_id: str
    name: str = Field(pattern=r"\S")
    role: str = Field(pattern=r"\S")
    valid_from: RecordDate
    valid_to: RecordDate | None = None
    public_key: str


class _RosterFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    signatories: list[_RosterEntry] = Field(default_factory=list)


def add_to_roster(path: Path, entry: dict[str, str | date]) -> None:
    """Append ``entry`` to the roster, creating it if need be, under a lock so that two new keys at
    once both land."""
    try:
        with held("roster", path, busy="another jmb keys new"):
            try:
                text = read_regular_file(path, MAX_ROSTER_BYTES).decode("utf-8")
            except FileNotFoundError:
                text = ""
            if not text.strip():
                text = _ROSTER_HEADER + "signatories: []\n"
            edit = YamlEdit(text, source=ROSTER_FILE)
            edit.append_item(edit.root, "signatories", entry, blank_line=False)
            updated = edit.result()
            write_text_atomic(path, updated)
    except OSError as error:
        raise RecordError(f"cannot write {path}: {error.strerror or error}") from None
    roster = load_roster(path.parent)
    if roster.error or entry["key_id"] not in roster.keys:
        raise RecordError(f"{path} was written but does not read back: {roster.error}")
