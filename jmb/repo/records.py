"""The records of a decision repository, found fast: files under ``records/`` and their number lines.

Reading a record's ``number:`` line with an expression, without parsing the YAML, keeps ``jmb new`` and
the cross-record checks fast on a repository of thousands of records.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from jmb.core.errors import RecordError
from jmb.core.files import read_regular_file
from jmb.core.paths import display_path
from jmb.record.document import MAX_BYTES

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


@dataclass
class RecordScan:
    """What a walk of a records folder found: the record files, and the folders it could not read."""

    files: list[Path] = field(default_factory=list)
    unreadable: list[tuple[Path, OSError]] = field(default_factory=list)


def scan_records(folder: Path) -> RecordScan:
    """Every record file under ``folder`` in a stable order, hidden folders and files skipped, and
    each folder under it that cannot be listed (with why), so that its records are not skipped
    without a word.

    Broken symbolic links, special files and folders named like records are included: reading them
    gives the user a finding, where skipping them would hide the problem. Links to folders are not
    followed (a link cannot make a folder's records count twice, or lead out of the repository).
    """
    scan = RecordScan()
    pending = [(folder, False)]
    while pending:
        current, in_record_folder = pending.pop()
        try:
            with os.scandir(current) as entries:
                listed = list(entries)
        except OSError as error:
            scan.unreadable.append((current, error))
            continue
        for entry in listed:
            if entry.name.startswith("."):
                continue
            path = current / entry.name
            named_like_record = path.suffix in RECORD_SUFFIXES
            try:
                is_folder = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_folder = False
            if is_folder:
                pending.append((path, in_record_folder or named_like_record))
                if named_like_record and not in_record_folder:
                    scan.files.append(path)  # reported as a folder, not a record file
            elif named_like_record:
                scan.files.append(path)
    scan.files.sort()
    scan.unreadable.sort(key=lambda found: found[0])
    return scan


def record_files(folder: Path) -> Iterator[Path]:
    """Every record file under ``folder``, in a stable order (see :func:`scan_records`)."""
    return iter(scan_records(folder).files)


def number_lines(folder: Path) -> list[NumberLine]:
    """The number of every record under ``folder``, from its ``number:`` line."""
    found: list[NumberLine] = []
    if not folder.is_dir():
        return found
    for path in record_files(folder):
        try:
            # A regular file only, and no more of it than a record can be: a FIFO or a link to
            # /dev/zero named like a record must not hang every command (jmb validate reports it).
            text = read_regular_file(path, MAX_BYTES).decode("utf-8", errors="replace")
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
    if as_path.is_file():
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
    index = number_index(folder) if any(not Path(ref).is_file() for ref in refs) else {}
    return list(dict.fromkeys(find_record(folder, ref, index) for ref in refs))
