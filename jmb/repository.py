"""The records of a decision repository, found fast: files under ``records/`` and their number lines.

Reading a record's ``number:`` line with an expression, without parsing the YAML, keeps ``jmb new`` and
the cross-record checks fast on a repository of thousands of records.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

RECORD_SUFFIXES = (".yaml", ".yml")

_NUMBER_LINE = re.compile(
    r"""^number:[ \t]*(?:"(?P<dq>[^"\n]*)"|'(?P<sq>[^'\n]*)'|(?P<plain>[^#\n]*?))[ \t]*(?:#.*)?$""",
    re.MULTILINE,
)


@dataclass(frozen=True, slots=True)
class NumberLine:
    """Where a record file states its number: 1-based line and column of the value."""

    path: Path
    number: str
    line: int
    column: int


def record_files(folder: Path) -> Iterator[Path]:
    """Every record file under ``folder``, in a stable order, hidden folders and files skipped.

    Broken symbolic links and folders named like records are included: reading them gives the
    user a finding, where skipping them would hide the problem.
    """
    found = []
    for path in folder.rglob("*"):
        if path.suffix not in RECORD_SUFFIXES:
            continue
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        if path.is_dir() and any(parent.suffix in RECORD_SUFFIXES for parent in path.parents):
            continue  # inside a folder already reported as one
        found.append(path)
    return iter(sorted(found))


def number_lines(folder: Path) -> list[NumberLine]:
    """The number of every record under ``folder``, from its ``number:`` line."""
    found: list[NumberLine] = []
    if not folder.is_dir():
        return found
    for path in record_files(folder):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        match = _NUMBER_LINE.search(text)
        if match is None:
            continue
        group = next(name for name in ("dq", "sq", "plain") if match.group(name) is not None)
        number = match.group(group)
        line = text.count("\n", 0, match.start()) + 1
        column = match.start(group) - match.start() + 1 - (0 if group == "plain" else 1)
        if number:
            found.append(NumberLine(path, number, line, column))
    return found
