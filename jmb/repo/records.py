"""The records of a decision repository, found fast: files under ``records/`` and their numbers.

A record's number is the one ``jmb validate`` reads: the value of the last top-level ``number`` key,
whatever the key's quoting or the mapping's style, read by libyaml. ``jmb new`` and the look-up of a
record by its number read the number of every record, so the reading is kept cheap: libyaml's events
are walked without building the document, the rare record with aliases or merge keys is read in
full, and what was read is kept in a cache outside the repository (:mod:`jmb.repo.number_cache`), by
file, so that a repository of thousands of records is parsed once, not at every command.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode

from jmb.core.errors import RecordError
from jmb.core.files import read_regular_file_and_status
from jmb.core.paths import display_path
from jmb.record.document import (
    BOM,
    MAX_BYTES,
    MAX_DEPTH,
    MAX_NODES,
    Document,
    YamlLoader,
    parse_text,
)
from jmb.repo.number_cache import Found, NumberCache, Stamp

RECORD_SUFFIXES = (".yaml", ".yml")

_STR = "tag:yaml.org,2002:str"

#: A file changed this recently is read but not cached: a second edit within the file system's
#: timestamp granularity (2 s on FAT, a clock tick elsewhere) that kept the size would not be seen.
RECENT_NS = 5_000_000_000


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


def number_lines(folder: Path, *, skip: Sequence[Path] = ()) -> list[NumberLine]:
    """The number of every record under ``folder``, as ``jmb validate`` reads it, but for the files
    in ``skip`` (which a caller has read already; by identity, so another path to one counts too).

    A file that cannot be read as a record (not a regular file, too large, not UTF-8, not YAML, not a
    mapping) has no number here; ``jmb validate`` reports it.
    """
    found: list[NumberLine] = []
    if not folder.is_dir():
        return found
    skipped = set()
    for path in skip:
        with contextlib.suppress(OSError):
            status = path.stat()
            skipped.add((status.st_dev, status.st_ino))
    cache = NumberCache.load(folder)
    prefix = f"{folder}{os.sep}"
    for path in record_files(folder):
        text = str(path)  # paths under folder: the cache's name for one is the rest of it
        name = (
            text[len(prefix) :] if text.startswith(prefix) else path.relative_to(folder).as_posix()
        )
        try:
            status = os.stat(path)  # noqa: PTH116 - the Path method costs more, 10,000 times
        except OSError:
            continue  # gone, a broken link, or in a folder that cannot be read
        if skipped and (status.st_dev, status.st_ino) in skipped:
            continue
        stamp = Stamp.of(status)
        cached, known = cache.lookup(name, stamp)
        if not cached:
            read_stamp, known = read_number(path)
            if read_stamp is not None and read_stamp.older_than(time.time_ns() - RECENT_NS):
                cache.store(name, read_stamp, known)
        if known is not None:
            number, line, column = known
            found.append(NumberLine(path, number, line, column))
    cache.save()
    return found


def read_number(path: Path) -> tuple[Stamp | None, Found]:
    """The file's stamp as read, and the number, line and column ``jmb validate`` finds in it (the
    number ``None`` when the file has none, or cannot be read as a record)."""
    read = _read_record_text(path)
    if read is None:
        return None, None
    stamp, text = read
    if text is None:
        return stamp, None
    try:
        return stamp, _scan_number(text)
    except yaml.YAMLError:
        return stamp, None  # not YAML: no record, no number
    except _ReadInFull:
        pass
    try:
        return stamp, _read_number_in_full(text)
    except (yaml.YAMLError, ValueError, TypeError, KeyError, AttributeError, OverflowError):
        # PyYAML's constructors fail so on some tagged values ("!!bool maybe"), which the reader
        # is meant to turn into findings. Should it raise, the file has no number for the scan,
        # and jmb new and the look-up by number go on: jmb validate shows the file's problem.
        return stamp, None


def _read_record_text(path: Path) -> tuple[Stamp, str | None] | None:
    """The text of a record file as :func:`jmb.record.document.read_document` takes it (``None``
    for the text when it would not), and the stamp of the file read; ``None`` when it cannot be
    read at all. Only a regular file is read, without blocking and never past a record's size limit
    (:func:`jmb.core.files.read_regular_file`): a FIFO or a link to ``/dev/zero`` named ``*.yaml``
    cannot stall a command."""
    try:
        raw, status = read_regular_file_and_status(path, MAX_BYTES)
    except OSError:
        return None  # not a regular file, too large, gone: jmb validate says which
    stamp = Stamp.of(status)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return stamp, None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return stamp, None
    if "\0" in text:
        return stamp, None
    return stamp, text.removeprefix(BOM)


class _ReadInFull(Exception):
    """The record uses YAML that only the full reader takes exactly as ``jmb validate`` does."""


def _scan_number(text: str) -> Found:
    """The number in a record's text, from libyaml's events, without building the document.

    It follows the reader's rules (:mod:`jmb.record.document`): one document with a mapping at the
    top; the last ``number`` key of that mapping wins, and its value counts only as text. What the
    events alone cannot settle exactly raises :class:`_ReadInFull`: an alias or a merge key (which
    may bring a number in), a key that is a list or a mapping, a record near the reader's limits of
    depth and size. Only the top-level mapping is looked into: a value broken deeper down is the
    record's finding, not a reason to hide its number from ``jmb new``.
    """
    loader = YamlLoader(text)
    try:
        next_event = loader.get_event
        depth = nodes = documents = items = 0  # items: keys and values of the top-level mapping
        number_key = False
        value: ScalarEvent | None = None
        while True:
            # One pass over every event of the file: the common cases are tested first.
            event: Any = next_event()
            kind = event.__class__
            if kind is ScalarEvent:
                nodes += 1
                if depth == 1:
                    if not items & 1:
                        if event.value == "<<":
                            raise _ReadInFull
                        number_key = event.value == "number"
                    elif number_key:
                        value = event
                    items += 1
                elif depth == 0:
                    return None  # the document is a single value, not a record
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                depth -= 1
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                nodes += 1
                if depth == 0 and kind is not MappingStartEvent:
                    return None  # the document is a list, not a record
                if depth == 1:
                    if not items & 1:
                        raise _ReadInFull  # a list or mapping as a key
                    if number_key:
                        value = None  # a list or mapping, not a number
                    items += 1
                depth += 1
                if depth > MAX_DEPTH:
                    raise _ReadInFull
            elif kind is AliasEvent:
                raise _ReadInFull
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    return None  # a second document: not a record
            elif kind is StreamEndEvent:
                break
        if nodes > MAX_NODES:
            raise _ReadInFull
        if value is None or not value.value.strip():
            return None
        tag = value.tag
        if tag is None or tag == "!":
            # As libyaml's composer does for the reader: the implicit type of a plain value.
            tag = loader.resolve(ScalarNode, value.value, value.implicit)  # type: ignore[no-untyped-call]
        elif tag != _STR:
            raise _ReadInFull  # an explicit tag: the reader decides what the value reads as
        if tag != _STR:
            return None  # a date, a number or another type: not a decision number
        mark = value.start_mark
        return value.value, (mark.line + 1 if mark else 1), (mark.column + 1 if mark else 1)
    finally:
        loader.dispose()


def _read_number_in_full(text: str) -> Found:
    """The number in a record's text as the full reader finds it (aliases and merge keys expanded)."""
    document = Document(path="", text=text)
    parse_text(document)
    data = document.data
    number = data.get("number") if isinstance(data, dict) else None
    if not isinstance(number, str) or not number.strip():
        return None
    line, column = document.position(("number",))
    return number, line, column


def number_index(folder: Path, in_use: Sequence[NumberLine] | None = None) -> dict[str, list[Path]]:
    """The record files under ``folder`` by their number (the numbers ``in_use``, when a caller has
    read them already)."""
    index: dict[str, list[Path]] = {}
    for found in in_use if in_use is not None else number_lines(folder):
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
    index = index if index is not None else number_index(folder)
    matches = index.get(ref, [])
    if len(matches) == 1:
        return matches[0]
    if not matches:
        close = closest_numbers(ref, index)
        hint = f"; did you mean {_either(close)}?" if close else ""
        raise RecordError(f"no record is numbered {ref!r} under {display_path(folder)}{hint}")
    named = ", ".join(display_path(path) for path in matches)
    raise RecordError(f"{len(matches)} records are numbered {ref!r} ({named}); name the file")


_DIGITS = re.compile(r"[0-9]+")


def _digit_groups(text: str) -> tuple[int, ...]:
    return tuple(int(group) for group in _DIGITS.findall(text))


def closest_numbers(ref: str, numbers: Iterable[str], count: int = 3) -> list[str]:
    """The numbers in use that ``ref`` most likely meant, at most ``count``, closest first.

    First the same decision written another way: the same figures, with or without the padding
    zeros and the text around them (``2026/001`` or ``PFCC/2026/1`` for ``PFCC/2026/001``); then
    a number one keystroke away (``2019/99`` or ``2019/90`` for ``2019/09``)."""
    known = sorted(set(numbers))
    wanted = _digit_groups(ref)

    def likeness(number: str) -> float:
        return difflib.SequenceMatcher(None, ref, number).ratio()

    same = [
        number
        for number in known
        if wanted and number != ref and _digit_groups(number)[-len(wanted) :] == wanted
    ]
    same.sort(key=likeness, reverse=True)
    near = [number for number in known if _one_keystroke(ref, number)]
    near.sort(key=likeness, reverse=True)
    return list(dict.fromkeys([*same, *near]))[:count]


def _one_keystroke(typed: str, number: str) -> bool:
    """Whether ``typed`` is ``number`` with one character wrong, missing, extra, or two neighbours
    swapped."""
    if typed == number or abs(len(typed) - len(number)) > 1:
        return False
    if len(typed) == len(number):
        wrong = [index for index, (a, b) in enumerate(zip(typed, number, strict=True)) if a != b]
        if len(wrong) == 1:
            return True
        first = wrong[0]
        return (
            wrong == [first, first + 1]
            and typed[first] == number[first + 1]
            and (typed[first + 1] == number[first])
        )
    shorter, longer = sorted((typed, number), key=len)
    return any(longer[:index] + longer[index + 1 :] == shorter for index in range(len(longer)))


def _either(numbers: list[str]) -> str:
    """``'a'``, ``'a' or 'b'``, ``'a', 'b' or 'c'``."""
    quoted = [repr(number) for number in numbers]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def find_records(
    folder: Path, refs: Sequence[str], in_use: Sequence[NumberLine] | None = None
) -> list[Path]:
    """The record files ``refs`` name (see :func:`find_record`), each once, in the order named; the
    numbers of the repository (``in_use``, when a caller has read them already) are read once, and
    only when a ref is not a file."""
    # os.path.isfile says no for what it cannot look into; Path.is_file raises (Python 3.11).
    unnamed = any(not os.path.isfile(ref) for ref in refs)  # noqa: PTH113
    index = number_index(folder, in_use) if unnamed else {}
    return list(dict.fromkeys(find_record(folder, ref, index) for ref in refs))
