"""Paths as the user sees them."""

from __future__ import annotations

import os
from pathlib import Path


def display_path(path: Path, cwd: Path | None = None) -> str:
    """``path`` as the user would type it: relative to the current folder when inside it."""
    if not path.is_absolute():
        return os.path.normpath(path)
    relative = os.path.relpath(path, cwd if cwd is not None else Path.cwd())
    return path.as_posix() if relative.startswith("..") else relative
