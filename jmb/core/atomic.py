"""Writing files so that nothing is ever half-written: a temporary file beside the target, then a rename.

A temporary file must not outlive its writer. On the way out of any error, Ctrl-C, or SIGTERM or
SIGHUP (which the command line turns into an exception like Ctrl-C), it is removed where it was made.
Nothing can run when a process is killed outright (SIGKILL, a power cut), so the writer also holds
an advisory lock (``flock``) on its temporary file for as long as the file exists, and every later
write into the same folder removes the temporaries whose lock nobody holds: their writer is gone,
whatever machine of a shared checkout it ran on. The names (``.<target>.jmb-<random>.tmp``) say
which files are jmb's; nothing else is touched.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no flock, so no sweeping (a crashed writer's file stays)
    fcntl = None  # type: ignore[assignment]

#: The names of jmb's temporary files: the target's name, a marker, mkstemp's eight characters.
_TEMPORARY_NAME = re.compile(r"^\..+\.jmb-[a-z0-9_]{8}\.tmp$")
_PREFIX_MARKER = ".jmb-"
#: A temporary file younger than this is left alone even when unlocked: its writer may be between
#: making it and locking it (microseconds apart; the margin is for clocks of a network file system).
_SETTLING_SECONDS = 2.0

#: The folders swept by this process already: once is enough (a run writing a thousand outputs into
#: one folder looks at the folder once).
_swept: set[str] = set()


@functools.cache
def _umask() -> int:
    # The only portable way to read the umask is to set it; done once, and set straight back.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def _temporary(
    target: Path, data: bytes, *, durable: bool = True, mode: int | None = None
) -> Iterator[Path]:
    """A complete temporary file holding ``data`` beside ``target``, locked while the block runs and
    removed after it (unless the block gave it another name)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    sweep_temporaries(target.parent)
    handle, name = tempfile.mkstemp(
        prefix=f".{target.name}{_PREFIX_MARKER}", suffix=".tmp", dir=target.parent
    )
    path = Path(name)
    try:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # nobody else has it yet
        # mkstemp makes the file private (0600); the file it becomes keeps the mode of the file it
        # replaces, or gets an ordinary file's mode, as an editor would give it.
        if mode is None:
            try:
                mode = target.stat().st_mode & 0o777
            except OSError:
                mode = 0o666 & ~_umask()
        os.fchmod(handle, mode)
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view) :]
        if durable:
            os.fsync(handle)
        yield path
    finally:
        # Remove the name only while it is still this file: after a rename it is gone, after a hard
        # link it is the other name of the target, and either way this inode is ours to let go.
        with contextlib.suppress(OSError):
            if os.path.samestat(path.lstat(), os.fstat(handle)):
                path.unlink()
        os.close(handle)  # which lets the lock go


def sweep_temporaries(folder: Path) -> None:
    """Remove the temporary files in ``folder`` that jmb writers killed outright left behind: those
    whose lock nobody holds. Once a folder per process; errors are ignored (it is tidying)."""
    key = str(folder.absolute())
    if fcntl is None or key in _swept:
        return
    _swept.add(key)
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    settled = time.time() - _SETTLING_SECONDS
    for entry in entries:
        if _PREFIX_MARKER in entry.name and _TEMPORARY_NAME.match(entry.name):
            with contextlib.suppress(OSError):
                # Only a regular file is opened: never a FIFO, a device or a link to one.
                if entry.is_file(follow_symlinks=False):
                    _remove_if_abandoned(Path(entry.path), settled)


def _remove_if_abandoned(path: Path, settled: float) -> None:
    flags = os.O_RDWR | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    handle = os.open(path, flags)
    try:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode) or status.st_mtime > settled:
            return
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return  # its writer is alive and still at work
        if os.path.samestat(path.lstat(), status):
            path.unlink()
    finally:
        os.close(handle)


def write_text_atomic(target: Path, text: str) -> None:
    """Replace ``target`` with ``text`` in one step: readers see the old file or the new, never half."""
    write_bytes_atomic(target, text.encode("utf-8"))


def write_bytes_atomic(
    target: Path, content: bytes, *, durable: bool = True, mode: int | None = None
) -> None:
    """Replace ``target`` with ``content`` in one step (see :func:`write_text_atomic`).

    ``durable`` flushes the file to disk before the rename, so a power cut cannot leave an empty
    file where the user's record was; files that can be made again (rendered output) skip it, which
    is most of the cost of writing a batch of them. ``mode`` is the file's mode from its first byte
    (0600 for a confidential file); by default that of the file it replaces, or an ordinary file's.
    """
    with _temporary(target, content, durable=durable, mode=mode) as temporary:
        temporary.replace(target)


def create_text_exclusive(target: Path, text: str, *, mode: int | None = None) -> None:
    """Create ``target`` with ``text``, complete, or raise :class:`FileExistsError` and touch nothing.

    A hard link is both atomic and exclusive: the name appears with the whole content, and never
    replaces a file that is already there. Where the file system has no hard links, an exclusive
    create is used instead. ``mode`` is the file's mode from the first byte (0600 for a private
    key: never readable by others, not even for a moment); by default an ordinary file's. Text that
    cannot be encoded raises before anything is made.
    """
    data = text.encode("utf-8")
    with _temporary(target, data, mode=mode) as temporary:
        try:
            os.link(temporary, target)
        except FileExistsError:
            raise
        except OSError:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
            handle = os.open(target, flags, 0o666 & ~_umask() if mode is None else mode)
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)


#: A private folder's mode: its owner's alone.
PRIVATE_FOLDER = 0o700
#: A private file's mode.
PRIVATE_FILE = 0o600


def private_folder(folder: Path) -> None:
    """Make ``folder`` a folder that only its owner can enter (0700): created with its parents if
    missing, its mode narrowed if it is wider.

    Raises :class:`OSError` when ``folder`` is a symbolic link (``ELOOP``: a link could lead the
    files anywhere, a public folder included), is not a folder (``ENOTDIR``), or cannot be changed.
    The folder is opened without following links and its mode set through that handle, so a link
    swapped in after a check cannot redirect the change."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=PRIVATE_FOLDER)
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
    handle = os.open(folder, flags)
    try:
        if not stat.S_ISDIR(os.fstat(handle).st_mode):  # where O_DIRECTORY is not known
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))
        os.fchmod(handle, PRIVATE_FOLDER)
    finally:
        os.close(handle)
