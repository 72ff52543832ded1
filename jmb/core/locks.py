"""Locks that serialise jmb processes on one machine: one lock file for each thing changed.

Lock files are named by a digest of what they guard and live in a folder of the user's own, so jmb
leaves nothing in the repository for git to see, and nobody else can get in the way: not
``$XDG_RUNTIME_DIR/jmb`` or ``<temp>/jmb-<uid>``, made 0700 and used only while it is a real folder
(not a symbolic link), owned by the user and closed to everyone else. A lock file in a shared temporary
folder under a name anyone can predict could be made first by another user (a folder, or a file
nobody else can open), and every jmb of everyone would then fail or wait.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from jmb.core.errors import RecordError

#: How long a jmb command waits for another to finish with the same thing.
LOCK_TIMEOUT = 60


def lock_dir() -> Path:
    """The user's private folder of lock files, made if missing; :class:`RecordError` when what is
    there is not private to the user (a symbolic link, another owner, open to others)."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and Path(runtime).is_absolute() and _is_own_folder(Path(runtime)):
        folder = Path(runtime) / "jmb"
    else:
        owner = str(os.geteuid()) if hasattr(os, "geteuid") else getpass.getuser()
        folder = Path(tempfile.gettempdir()) / f"jmb-{owner}"
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        pass
    except OSError as error:
        raise RecordError(
            f"cannot make the folder for jmb's locks {folder}: {error.strerror or error}"
        ) from None
    _check_private(folder)
    return folder


def _is_own_folder(path: Path) -> bool:
    """Whether ``path`` is a folder of this user's (a runtime folder inherited from another
    user, through ``su`` say, is not used)."""
    try:
        status = path.stat()
    except OSError:
        return False
    owner = os.geteuid() if hasattr(os, "geteuid") else status.st_uid
    return stat.S_ISDIR(status.st_mode) and status.st_uid == owner


def _check_private(folder: Path) -> None:
    try:
        status = folder.lstat()
    except OSError as error:
        raise RecordError(
            f"cannot use {folder} for jmb's locks: {error.strerror or error}"
        ) from None
    if not stat.S_ISDIR(status.st_mode):
        what = "a symbolic link" if stat.S_ISLNK(status.st_mode) else "not a folder"
        raise RecordError(f"{folder} is {what}; jmb keeps its locks in a folder of yours there")
    if not hasattr(os, "geteuid"):
        return  # Windows: the temporary folder is the user's own already
    if status.st_uid != os.geteuid():
        raise RecordError(
            f"{folder} belongs to another user (uid {status.st_uid}); jmb keeps its locks in a "
            "folder of yours there: remove it"
        )
    if status.st_mode & 0o077:
        raise RecordError(
            f"{folder} is open to other users (mode {stat.S_IMODE(status.st_mode):04o}); jmb keeps "
            "its locks in a private folder: chmod 700 it"
        )


def lock_path(kind: str, target: Path) -> Path:
    """The lock file for ``target`` (a record, a records folder, a roster) of ``kind``."""
    digest = hashlib.sha256(str(target.resolve()).encode(errors="surrogateescape")).hexdigest()[:16]
    return lock_dir() / f"{kind}-{digest}.lock"


@contextmanager
def held(kind: str, target: Path, *, busy: str) -> Iterator[None]:
    """Hold the lock of ``target`` while the block runs; :class:`RecordError` with ``busy`` (what
    the other process is doing) when another jmb has held it for :data:`LOCK_TIMEOUT` seconds, or
    when the lock file cannot be used."""
    path = lock_path(kind, target)
    lock = FileLock(path, timeout=LOCK_TIMEOUT)
    try:
        lock.acquire()
    except Timeout:
        raise RecordError(f"{busy} has held the lock for {LOCK_TIMEOUT} s ({path})") from None
    except OSError as error:  # a folder in its place, say
        raise RecordError(f"cannot take the lock {path}: {error.strerror or error}") from None
    try:
        yield
    finally:
        lock.release()
