"""The publish manifest: what each file of a built site was made from, so that the next build rewrites
only what changed and removes only what it wrote before.

The manifest holds, for each file jmb wrote, a digest of its inputs (``from``) and of its bytes
(``sha256``); and, for each record, the digest of the record file with the public facts read from
it, so that an unchanged record is neither read nor checked again.

It is written **beside** the site, never in it (``build/site`` has ``build/site.jmb-manifest.json``):
a record file holds its Part 2, and a digest of the whole file, published, would let anyone test
guesses at a short Part 2 (a price, a name) against it. Nothing in the site is made from more than
the Part 1 view.

It is read as untrusted input: a manifest that cannot be read, is of another jmb version, or names
a path outside the site is ignored whole (the build is then a full one), so it can neither make jmb
delete a file outside the site nor skip work it should do.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from jmb.core.atomic import write_bytes_atomic
from jmb.core.constants import VERSION
from jmb.core.files import read_regular_file

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
    """What a file of the site was made from, and what it holds."""

    source: str
    sha256: str
    size: int


@dataclass
class Manifest:
    """The files of a built site (by their path in it, ``/``-separated) and its records' facts."""

    files: dict[str, Made] = field(default_factory=dict)
    #: By record file (relative to the repository): its digest and the facts read from it.
    records: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    #: What every record's facts depend on besides the record (configuration, jmb version).
    context: str = ""

    def to_bytes(self) -> bytes:
        """The manifest as the file stores it: sorted, so that the same site gives the same bytes."""
        data = {
            "jmb": VERSION,
            "context": self.context,
            "files": {
                name: {"from": made.source, "sha256": made.sha256, "size": made.size}
                for name, made in sorted(self.files.items())
            },
            "records": {
                name: {"sha256": sha, "facts": facts}
                for name, (sha, facts) in sorted(self.records.items())
            },
        }
        return (json.dumps(data, indent=1, sort_keys=True, ensure_ascii=True) + "\n").encode()


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
    try:
        data = json.loads(read_regular_file(manifest_path(site), MAX_MANIFEST_BYTES))
        if data["jmb"] != VERSION:
            return Manifest()
        files = {
            str(name): Made(str(made["from"]), str(made["sha256"]), int(made["size"]))
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
    cannot be)."""
    write_bytes_atomic(manifest_path(site), manifest.to_bytes(), durable=False)


def unchanged(site: Path, name: str, source: str, before: Manifest) -> Made | None:
    """What the manifest says of ``name`` when it was made from ``source`` and is still there, the
    size it was written with (a file changed or truncated since is made again)."""
    made = before.files.get(name)
    if made is None or made.source != source:
        return None
    try:
        if (site / name).lstat().st_size != made.size or (site / name).is_symlink():
            return None
    except OSError:
        return None
    return made


def stale(before: Manifest, now: Iterable[str]) -> list[str]:
    """The files the last build wrote that this one does not: to be removed."""
    keep = set(now)
    return sorted(name for name in before.files if name not in keep)
