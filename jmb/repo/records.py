"""The records of a decision repository, found fast: files under ``records/`` and their number lines.

Reading a record's ``number:`` line with an expression, without parsing the YAML, keeps ``jmb new`` and
the cross-record checks fast on a repository of thousands of records.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from jmb.core.errors import RecordError
from jmb.core.paths import display_path

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


def number_index(folder: Path) -> dict[str, list[Path]]:
    """The record files under ``folder`` by their number."""
    index: dict[str, list[Path]] = {}
    for found in number_lines(folder):
        index.setdefault(found.number, []).append(found.path)
    return index


def find_record(folder: Path, ref: str, index: dict[str, list[Path]] | None = None) -> Path:
    """The record file ``ref`` names: a path to a file, or a decision number (``2019/09``) looked up
    under ``folder`` (in ``index``, when a caller resolving many numbers has built one)."""
    as_path = Path(ref)
    try:
        is_file = as_path.is_file()
    except OSError as error:  # in a folder that cannot be searched
        raise RecordError(f"{ref}: cannot be read: {error.strerror or error}") from None
    if is_file:
        return as_path
    if as_path.suffix in RECORD_SUFFIXES or as_path.exists():
        raise RecordError(f"{ref}: no such record file")
    matches = (index if index is not None else number_index(folder)).get(ref, [])
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise RecordError(f"no record is numbered {ref!r} under {display_path(folder)}")
    named = ", ".join(display_path(path) for path in matches)
    raise RecordError(f"{len(matches)} records are numbered {ref!r} ({named}); name the file")


def find_records(folder: Path, refs: Sequence[str]) -> list[Path]:
    """The record files ``refs`` name (see :func:`find_record`), each once, in the order named; the
    numbers of the repository are read once, and only when a ref is not a file."""
    # os.path.isfile says no for what it cannot look into; Path.is_file raises (Python 3.11).
    unnamed = any(not os.path.isfile(ref) for ref in refs)  # noqa: PTH113
    index = number_index(folder) if unnamed else {}
    return list(dict.fromkeys(find_record(folder, ref, index) for ref in refs))
