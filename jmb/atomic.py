"""Writing files so that nothing is ever half-written: a temporary file beside the target, then a rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def _temporary(target: Path, text: str) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            Path(name).unlink()
        raise
    return Path(name)


def write_text_atomic(target: Path, text: str) -> None:
    """Replace ``target`` with ``text`` in one step: readers see the old file or the new, never half."""
    temporary = _temporary(target, text)
    try:
        temporary.replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def create_text_exclusive(target: Path, text: str) -> None:
    """Create ``target`` with ``text``, complete, or raise :class:`FileExistsError` and touch nothing.

    A hard link is both atomic and exclusive: the name appears with the whole content, and never
    replaces a file that is already there. Where the file system has no hard links, an exclusive
    create is used instead.
    """
    temporary = _temporary(target, text)
    try:
        try:
            os.link(temporary, target)
        except FileExistsError:
            raise
        except OSError:
            with target.open("x", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()
