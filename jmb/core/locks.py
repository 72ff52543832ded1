"""Locks that serialise jmb processes on one machine: one lock file for each thing changed.

Lock files live in the system's temporary folder, named by a digest of what they guard, so jmb leaves
nothing in the repository for git to see.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from jmb.core.errors import RecordError

#: How long a jmb command waits for another to finish with the same thing.
LOCK_TIMEOUT = 60


def lock_path(kind: str, target: Path) -> Path:
    """The lock file for ``target`` (a record, a records folder, a roster) of ``kind``."""
    digest = hashlib.sha256(str(target.resolve()).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"jmb-{kind}-{digest}.lock"


@contextmanager
def held(kind: str, target: Path, *, busy: str) -> Iterator[None]:
    """Hold the lock of ``target`` while the block runs; :class:`RecordError` with ``busy`` (what
    the other process is doing) when another jmb has held it for :data:`LOCK_TIMEOUT` seconds."""
    lock = FileLock(lock_path(kind, target), timeout=LOCK_TIMEOUT)
    try:
        lock.acquire()
    except Timeout:
        raise RecordError(
            f"{busy} has held the lock for {LOCK_TIMEOUT} s ({lock.lock_file})"
        ) from None
    try:
        yield
    finally:
        lock.release()
