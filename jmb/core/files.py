"""Reading a file that a repository controls without being led astray by it.

A repository is written by whoever has commit access, so a file jmb reads there (a record,
``signatories.yaml``, ``jmb.toml``) can be a FIFO, which makes ``open`` wait for a writer forever, or a
link to ``/dev/zero``, which never ends. :func:`read_regular_file` reads regular files only: it looks
at the path before opening it (``lstat``, and ``stat`` through a link), opens it non-blocking so that
a FIFO swapped in at that moment cannot hang the open, checks the open file again (``fstat``), and
reads at most the limit and one byte more.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)

# O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer. O_NOCTTY:
# opening a terminal never makes it the process's controlling terminal. Both are POSIX only.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)

_CHUNK = 1 << 16


class NotRegularFileError(OSError):
    """The path is not a regular file (nor a link to one): a folder, a FIFO, a device, a socket.

    ``str(error)`` is the one-line reason, ``kind`` what the path is ("a FIFO (named pipe)")."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"not a regular file: {kind}")
        self.kind = kind


class FileTooLargeError(OSError):
    """The file holds more than the limit; ``size`` is its size in bytes when it is known."""

    def __init__(self, limit: int, size: int | None) -> None:
        shown = f"{size:,} bytes" if size is not None else f"more than {limit:,} bytes"
        super().__init__(f"{shown}; at most {limit:,} can be read")
        self.limit = limit
        self.size = size


class OutsideRootError(OSError):
    """The path is inside the folder it was looked for in, but a link takes it outside."""

    def __init__(self) -> None:
        super().__init__("a link to a file outside the repository")


def file_kind(mode: int) -> str | None:
    """What a file of ``mode`` is, in words, when it is not a regular file; ``None`` when it is."""
    if stat.S_ISREG(mode):
        return None
    for test, kind in _KINDS:
        if test(mode):
            return kind
    return "not a regular file"


def read_regular_file(path: Path, limit: int, *, root: Path | None = None) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them.

    Raises :class:`NotRegularFileError` for anything but a regular file (a link is followed: a link
    to a regular file is read), :class:`FileTooLargeError` beyond ``limit``, and the ``OSError`` of
    the system otherwise (no such file, permission denied). With ``root``, a link inside ``root``
    that leads out of it is refused with :class:`OutsideRootError`. Never blocks on a FIFO or a
    device, and never reads more than ``limit`` + 1 bytes.
    """
    return read_regular_file_and_status(path, limit, root=root)[0]


def read_regular_file_and_status(
    path: Path, limit: int, *, root: Path | None = None
) -> tuple[bytes, os.stat_result]:
    """As :func:`read_regular_file`, with the status of the file as it was open (for a cache that
    must know which version of the file it read)."""
    status = path.lstat()
    if stat.S_ISLNK(status.st_mode):
        status = path.stat()
        _refuse(status, limit)  # what it points at first: "a FIFO" says more than "outside"
        if root is not None and _leads_out(path, root):
            raise OutsideRootError()
    _refuse(status, limit)
    handle = os.open(path, _OPEN_FLAGS)
    try:
        # The path may have been swapped for something else between the look and the open.
        opened = os.fstat(handle)
        _refuse(opened, limit)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(handle, min(_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(handle)
    if size > limit:
        raise FileTooLargeError(limit, None)  # it grew while it was read
    return b"".join(chunks), opened


def _refuse(status: os.stat_result, limit: int) -> None:
    kind = file_kind(status.st_mode)
    if kind is not None:
        raise NotRegularFileError(kind)
    if status.st_size > limit:
        raise FileTooLargeError(limit, status.st_size)


def _leads_out(link: Path, root: Path) -> bool:
    """True when ``link`` stands inside ``root`` but what it points at does not."""
    real_root = os.path.realpath(root)
    where = Path(os.path.realpath(link.parent), link.name)
    return where.is_relative_to(real_root) and not Path(os.path.realpath(link)).is_relative_to(
        real_root
    )
