"""What every reader checks of a form's file before it opens it."""

from __future__ import annotations

import stat
from pathlib import Path

from jmb.core.errors import FormReadError


def checked_size(path: Path, cap: int, what: str) -> int:
    """The size of the form at ``path``, which must be a regular file of at most ``cap`` bytes.

    A FIFO or a device named like a form (``form.docx`` -> ``/dev/zero``) is refused before it is
    opened: opening a FIFO waits for a writer, and a device never ends. ``what`` names the kind of
    form in the message ("a Word form").
    """
    try:
        status = path.stat()
    except OSError as error:
        raise FormReadError(path, f"cannot be read: {error.strerror or error}") from None
    if not stat.S_ISREG(status.st_mode):
        raise FormReadError(path, "is not a regular file")
    if status.st_size > cap:
        raise FormReadError(
            path, f"is {status.st_size:,} bytes, more than the {cap:,} {what} may be"
        )
    return status.st_size
