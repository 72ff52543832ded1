"""The numbers of a repository's records as last read, kept between commands in the user's cache.

Reading the number of every record with libyaml costs about 0.1 ms a record: a second on a repository
of 10,000, at every ``jmb new`` (which reads them twice) and every look-up by number. What was read is
kept by file, and used again while the file's stamp (size, modification and change times in
nanoseconds, inode) is the same; any edit changes the change time, even one that keeps the size and
puts the modification time back.

The cache is a JSON file in ``$XDG_CACHE_HOME/jmb/`` (``~/.cache/jmb/`` by default), one for each
repository, named by a digest of the records folder's resolved path, never inside the repository. It
is written atomically, only when something changed, and is only ever an aid: a cache that cannot be
read, is of another version or another folder, or holds anything unexpected is ignored and written
again; one that cannot be written is not written. It holds numbers and file names, nothing else.
The cache of a repository not seen for a month is removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jmb.core.atomic import write_bytes_atomic
from jmb.core.constants import VERSION as JMB_VERSION
from jmb.core.files import read_regular_file

#: The cache's format; a cache of any other version, or written by another version of jmb (which
#: may read numbers otherwise), is rebuilt.
VERSION = 1
#: The cache of a very large repository is a few megabytes; anything far larger is not ours.
MAX_CACHE_BYTES = 256 * 2**20
#: A repository's cache not written for this many days is removed when another cache is written.
UNUSED_DAYS = 30

#: A number as read from a record: its text, line and column (``None``: the file has none).
Found = tuple[str, int, int] | None


@dataclass(frozen=True, slots=True)
class Stamp:
    """What changes when a file changes: its size, modification and change times, and inode."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int

    @classmethod
    def of(cls, status: os.stat_result) -> Stamp:
        """The stamp of a file from its ``stat``."""
        return cls(status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)

    def older_than(self, limit_ns: int) -> bool:
        """Whether the file was last modified and changed before ``limit_ns`` (nanoseconds since
        the epoch). A file system that gives no times (zero) never has old files: a stamp that
        does not change when the file does is no stamp."""
        return 0 < self.mtime_ns < limit_ns and 0 < self.ctime_ns < limit_ns


def cache_home() -> Path | None:
    """The user's cache folder: ``$XDG_CACHE_HOME`` when set to an absolute path, else
    ``~/.cache``; ``None`` when there is no home to put it in."""
    configured = os.environ.get("XDG_CACHE_HOME", "")
    if configured and Path(configured).is_absolute():
        return Path(configured)
    try:
        return Path.home() / ".cache"
    except RuntimeError:  # no HOME and no password entry
        return None


class NumberCache:
    """The numbers of one records folder's files, as read before, by path relative to the folder.

    :meth:`lookup` answers from the cache when a file's stamp is unchanged; :meth:`store` records a
    file just read; :meth:`save` writes what was looked up or stored this time (so files that are
    gone are forgotten), if that differs from what was loaded.
    """

    def __init__(self, file: Path | None, records: str, entries: dict[str, tuple[Stamp, Found]]):
        self.file = file
        self.records = records
        self.loaded = entries
        self.current: dict[str, tuple[Stamp, Found]] = {}

    @classmethod
    def load(cls, folder: Path) -> NumberCache:
        """The cache of the records in ``folder``; empty when there is none that can be used."""
        try:
            records = str(folder.resolve())
        except (OSError, RuntimeError):
            return cls(None, "", {})
        home = cache_home()
        if home is None:
            return cls(None, records, {})
        digest = hashlib.sha256(records.encode("utf-8", "surrogateescape")).hexdigest()[:32]
        file = home / "jmb" / f"numbers-{digest}.json"
        return cls(file, records, _entries(_read(file), records))

    def lookup(self, name: str, stamp: Stamp) -> tuple[bool, Found]:
        """Whether the file ``name`` is in the cache with this stamp, and what it holds if so."""
        entry = self.loaded.get(name)
        if entry is None or entry[0] != stamp:
            return False, None
        self.current[name] = entry
        return True, entry[1]

    def store(self, name: str, stamp: Stamp, found: Found) -> None:
        """Record what the file ``name`` held when it had this stamp."""
        self.current[name] = (stamp, found)

    def save(self) -> None:
        """Write the cache if it changed; a cache that cannot be written is left unwritten."""
        if self.file is None or self.current == self.loaded:
            return
        files = {
            name: [
                stamp.size,
                stamp.mtime_ns,
                stamp.ctime_ns,
                stamp.inode,
                *(found if found is not None else (None, 0, 0)),
            ]
            for name, (stamp, found) in sorted(self.current.items())
        }
        content = {
            "jmb": "numbers",
            "version": VERSION,
            "written_by": JMB_VERSION,
            "records": self.records,
            "files": files,
        }
        with contextlib.suppress(OSError):
            self.file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            write_bytes_atomic(self.file, json.dumps(content).encode("ascii"), durable=False)
            _prune(self.file.parent, keep=self.file)


def _prune(folder: Path, *, keep: Path) -> None:
    """Remove the caches of repositories not seen for :data:`UNUSED_DAYS` (a checkout in a new
    temporary folder at every run would otherwise leave a cache at every run), and temporary
    files left by a write that was killed."""
    limit = time.time() - UNUSED_DAYS * 86_400
    with os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            ours = name.startswith("numbers-") and name.endswith(".json")
            left = name.startswith(".numbers-") and name.endswith(".tmp")
            if (ours or left) and entry.path != str(keep):
                with contextlib.suppress(OSError):
                    if entry.stat(follow_symlinks=False).st_mtime < limit:
                        Path(entry.path).unlink()


def _read(file: Path) -> bytes | None:
    """The cache file's bytes, if it is a regular file within its size limit (read without
    blocking, :func:`jmb.core.files.read_regular_file`); ``None`` otherwise: the cache is rebuilt."""
    try:
        return read_regular_file(file, MAX_CACHE_BYTES)
    except OSError:
        return None


def _entries(raw: bytes | None, records: str) -> dict[str, tuple[Stamp, Found]]:
    """The entries of a cache file's content; none unless every part of it is as written."""
    if raw is None or len(raw) > MAX_CACHE_BYTES:
        return {}
    try:
        content = json.loads(raw)
    except (ValueError, RecursionError):
        return {}
    if not (
        isinstance(content, dict)
        and content.get("jmb") == "numbers"
        and content.get("version") == VERSION
        and content.get("written_by") == JMB_VERSION
        and content.get("records") == records
        and isinstance(content.get("files"), dict)
    ):
        return {}
    entries: dict[str, tuple[Stamp, Found]] = {}
    for name, entry in content["files"].items():
        parsed = _entry(entry)
        if parsed is None:
            return {}
        entries[name] = parsed
    return entries


def _entry(entry: Any) -> tuple[Stamp, Found] | None:
    if not isinstance(entry, list) or len(entry) != 7:
        return None
    size, mtime_ns, ctime_ns, inode, number, line, column = entry
    if not all(_is_int(value) for value in (size, mtime_ns, ctime_ns, inode, line, column)):
        return None
    stamp = Stamp(size, mtime_ns, ctime_ns, inode)
    if number is None:
        return stamp, None
    if not isinstance(number, str) or not number.strip() or line < 1 or column < 1:
        return None
    return stamp, (number, line, column)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
