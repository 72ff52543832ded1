"""Where jmb's own files are: the default templates and the JSON Schema.

In a wheel they are inside the package (``jmb/templates``, ``jmb/schemas``); in a source checkout or an
editable install, at the top of the project.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def builtin_dir(name: str) -> Path:
    """The folder ``name`` (``templates`` or ``schemas``) shipped with jmb."""
    packaged = _PACKAGE / name
    return packaged if packaged.is_dir() else _PACKAGE.parent / name
