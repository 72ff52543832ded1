"""Writing files so that nothing is ever half-written: a temporary file beside the target, then a rename."""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import stat
import tempfile
from pathlib import Path


@functools.cache
def _umask() -> int:
    # The only portable way to read the umask is to set it; done once, and set straight back.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _temporary(
    target: Path, content: str | bytes, *, durable: bool = True, mode: int | None = None
) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        # mkstemp makes the file private (0600); the file it becomes keeps the mode of the file it
        # replaces, or gets an ordinary file's mode, as an editor would give it.
        if mode is None:
            try:
                mode = target.stat().st_mode & 0o777
            except OSError:
                mode = 0o666 & ~_umask()
        os.fchmod(handle, mode)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            if durable:
                os.fsync(stream.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            Path(name).unlink()
        raise
    return Path(name)


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
    temporary = _temporary(target, content, durable=durable, mode=mode)
    try:
        temporary.replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def create_text_exclusive(target: Path, text: str, *, mode: int | None = None) -> None:
    """Create ``target`` with ``text``, complete, or raise :class:`FileExistsError` and touch nothing.

    A hard link is both atomic and exclusive: the name appears with the whole content, and never
    replaces a file that is already there. Where the file system has no hard links, an exclusive
    create is used instead. ``mode`` is the file's mode from the first byte (0600 for a private
    key: never readable by others, not even for a moment); by default an ordinary file's.
    """
    temporary = _temporary(target, text, mode=mode)
    try:
        try:
            os.link(temporary, target)
        except FileExistsError:
            raise
        except OSError:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
            handle = os.open(target, flags, 0o666 & ~_umask() if mode is None else mode)
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()


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
