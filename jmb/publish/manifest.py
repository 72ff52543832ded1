"""The publish manifest: what each file of a built site was made from, so that the next build rewrites
only what changed and removes only what it wrote before.

The manifest holds, for each file jmb wrote, a digest of its inputs (``from``) and of its bytes
(``sha256``); and, for each record, the digest of the record file with the public facts read from
it, so that an unchanged record is neither read nor checked again.

It is written **beside** the site, never in it (``build/site`` has ``build/site.jmb-manifest.json``):
a record file holds its Part 2, and a digest of the whole file, published, would let anyone test
guesses at a short Part 2 (a price, a name) against it. Nothing in the site is made from more than
the Part 1 view.

A manifest is trusted only if this user's jmb wrote it: it carries an HMAC made with a key kept in
the user's private cache folder (``$XDG_CACHE_HOME/jmb/publish/``, 0700, the key 0600). A manifest
without a good one (edited, copied from another machine or a CI cache, of another jmb version, or
naming a path outside the site) is ignored whole and the build is a full one: otherwise whoever could
write it could make jmb skip checking a record edited after signing, keep a forged page, or remove a
file jmb did not write. A file is kept as the last build made it when its size and modification time
are those recorded.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from jmb.core.atomic import PRIVATE_FILE, create_text_exclusive, private_folder, write_bytes_atomic
from jmb.core.constants import VERSION
from jmb.core.files import read_regular_file, read_regular_file_and_status
from jmb.repo.number_cache import cache_home

#: The manifest's name is the site folder's with this after it, in the same parent folder.
MANIFEST_SUFFIX = ".jmb-manifest.json"

#: The largest manifest read: a few hundred bytes a file, for a site of a hundred thousand files.
MAX_MANIFEST_BYTES = 500_000_000


def digest(*parts: bytes | str) -> str:
    """One SHA-256 over ``parts``, each length-prefixed so that no two lists of parts collide."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


@dataclass(frozen=True)
class Made:
    """What a file of the site was made from, what it holds, and its size and modification time
    as written."""

    source: str
    sha256: str
    size: int
    mtime_ns: int = 0


@dataclass
class Manifest:
    """The files of a built site (by their path in it, ``/``-separated) and its records' facts."""

    files: dict[str, Made] = field(default_factory=dict)
    #: By record file (relative to the repository): its digest and the facts read from it.
    records: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    #: What every record's facts depend on besides the record (configuration, jmb version).
    context: str = ""

    def to_bytes(self, key: bytes) -> bytes:
        """The manifest as the file stores it, sealed with ``key``'s HMAC."""
        data = {
            "jmb": VERSION,
            "context": self.context,
            "files": {
                name: {
                    "from": made.source,
                    "sha256": made.sha256,
                    "size": made.size,
                    "mtime_ns": made.mtime_ns,
                }
                for name, made in sorted(self.files.items())
            },
            "records": {
                name: {"sha256": sha, "facts": facts}
                for name, (sha, facts) in sorted(self.records.items())
            },
        }
        body = json.dumps(data, indent=1, sort_keys=True, ensure_ascii=True)
        return (json.dumps({"mac": _mac(key, body), "manifest": body}) + "\n").encode()


def _mac(key: bytes, body: str) -> str:
    return hmac.new(key, body.encode("utf-8"), hashlib.sha256).hexdigest()


#: The user's key for the manifests' HMACs, in their private cache folder.
KEY_FILE = "manifest.key"


def manifest_key() -> bytes | None:
    """This user's key for sealing manifests, made on first use; ``None`` where there is no private
    place for one (no home, a folder or file open to others, or not the user's): then no manifest
    is trusted, and every build is a full one."""
    home = cache_home()
    if home is None:
        return None
    folder = home / "jmb" / "publish"
    path = folder / KEY_FILE
    try:
        private_folder(folder)
        with contextlib.suppress(FileExistsError):
            create_text_exclusive(path, secrets.token_hex(32) + "\n", mode=PRIVATE_FILE)
        content, status = read_regular_file_and_status(path, 1000)
    except (OSError, ValueError):
        return None
    if hasattr(os, "geteuid") and (status.st_uid != os.geteuid() or status.st_mode & 0o077):
        return None
    key = content.strip()
    return key if len(key) >= 32 else None


def site_path(name: str) -> PurePosixPath | None:
    """``name`` as a path inside the site, or ``None`` when it could lead anywhere else (absolute,
    with ``..``, empty parts, a backslash or a control character)."""
    if not name or "\\" in name or not name.isprintable():
        return None
    path = PurePosixPath(name)
    if path.is_absolute() or any(part in ("", ".", "..") for part in name.split("/")):
        return None
    return path


def manifest_path(site: Path) -> Path:
    """Where the manifest of the site folder ``site`` is: beside it (see the module)."""
    folder = site.resolve()
    return folder.parent / f"{folder.name}{MANIFEST_SUFFIX}"


def read_manifest(site: Path) -> Manifest:
    """The manifest of the site at ``site``; an empty one when there is none or it cannot be used
    (see the module)."""
    key = manifest_key()
    if key is None:
        return Manifest()
    try:
        sealed = json.loads(read_regular_file(manifest_path(site), MAX_MANIFEST_BYTES))
        body = sealed["manifest"]
        if not isinstance(body, str) or not hmac.compare_digest(
            str(sealed["mac"]), _mac(key, body)
        ):
            return Manifest()
        data = json.loads(body)
        if data["jmb"] != VERSION:
            return Manifest()
        files = {
            str(name): Made(
                str(made["from"]), str(made["sha256"]), int(made["size"]), int(made["mtime_ns"])
            )
            for name, made in data["files"].items()
        }
        records = {
            str(name): (str(entry["sha256"]), dict(entry["facts"]))
            for name, entry in data["records"].items()
        }
        context = str(data["context"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return Manifest()
    if any(site_path(name) is None for name in files):
        return Manifest()
    return Manifest(files, records, context)


def write_manifest(site: Path, manifest: Manifest) -> None:
    """Write the manifest of ``site`` beside it, whole or not at all (:class:`OSError` when it
    cannot be); nothing where the user has no key (see :func:`manifest_key`)."""
    key = manifest_key()
    if key is not None:
        write_bytes_atomic(manifest_path(site), manifest.to_bytes(key), durable=False)


def unchanged(site: Path, name: str, source: str, before: Manifest) -> Made | None:
    """What the manifest says of ``name`` when it was made from ``source`` and is still there as it
    was written: a regular file of the size and modification time recorded (a file changed since is
    made again)."""
    made = before.files.get(name)
    if made is None or made.source != source:
        return None
    try:
        status = (site / name).lstat()
    except OSError:
        return None
    if not stat.S_ISREG(status.st_mode) or (status.st_size, status.st_mtime_ns) != (
        made.size,
        made.mtime_ns,
    ):
        return None
    return made


def stale(before: Manifest, now: Iterable[str]) -> list[str]:
    """The files the last build wrote that this one does not: to be removed."""
    keep = set(now)
    return sorted(name for name in before.files if name not in keep)
