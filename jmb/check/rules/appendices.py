"""Finding the appendices a record's text refers to, and where their files are: shared by the
appendix rules."""

from __future__ import annotations

import functools
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from jmb.check.rules.base import RecordContext
from jmb.core.constants import CONFIDENTIAL_DIR, CONFIG_FILE
from jmb.core.printable import printable
from jmb.record.document import FieldPath
from jmb.record.model import LABEL_SHAPE, meant_label

# The model's label ("A", "B2", "12"), in capitals even where the rest is read case-blind.
_LABEL = f"(?-i:{LABEL_SHAPE})"
_JOIN = r"\s*(?:,\s*(?:and\s+)?|and|&|to|-|\u2013)\s*"
# "Appendix A", "Appendices A and B", "Appendix D and E", "Appendices A to C", "Appendices 1-3".
_MENTION = re.compile(
    rf"\bappendi(?:x|ces)\s+(?P<labels>{_LABEL}(?:{_JOIN}{_LABEL})*)\b", re.IGNORECASE
)
_LABEL_OR_RANGE = re.compile(rf"(?P<first>{_LABEL})(?:\s*(?:to|-|\u2013)\s*(?P<last>{_LABEL}))?")


def _labels(listing: str) -> Iterator[str]:
    """The labels of "A, B and D to F": a range of single letters or of numbers is expanded."""
    for match in _LABEL_OR_RANGE.finditer(listing):
        first, last = match["first"], match["last"]
        if last is None:
            yield first
        elif first.isdigit() and last.isdigit() and int(first) <= int(last):
            yield from (str(number) for number in range(int(first), int(last) + 1))
        elif len(first) == len(last) == 1 and first.isalpha() and last.isalpha() and first <= last:
            yield from (chr(code) for code in range(ord(first), ord(last) + 1))
        else:
            yield from (first, last)


@dataclass(frozen=True, slots=True)
class Mention:
    """ "Appendix <label>" in the text of a field."""

    label: str
    path: FieldPath
    offset: int


def mentions(context: RecordContext) -> list[Mention]:
    """Every appendix mentioned in the record's prose, in file order (found once a record)."""
    found = context.memo.get("appendix-mentions")
    if found is None:
        found = context.memo["appendix-mentions"] = list(_find_mentions(context))
    return found


def _find_mentions(context: RecordContext) -> Iterator[Mention]:
    if "append" not in context.prose_lowered:
        return  # the expression is case-blind and slow; most records name no appendix
    for path, text in context.prose:
        if path[0] == "appendices":
            continue  # an appendix's own title does not refer to it
        if "ppend" not in text and "PPEND" not in text:
            continue  # and most sections of those that do, do not
        for match in _MENTION.finditer(text):
            for label in _labels(match["labels"]):
                yield Mention(label, path, match.start())


def listed(context: RecordContext) -> dict[str, int]:
    """The labels of the listed appendices, with their indexes. A label written otherwise than the
    text refers to it ("Appendix B", "b") is read as the label it is meant to be, and one that is
    no label at all (a title) is left out: JMB007 reports either, and the appendix rules do not add
    that it is never mentioned ("Appendix Appendix B is listed...") nor that the text's "Appendix
    B" is not listed."""
    labels: dict[str, int] = {}
    for index, item in context.mappings("appendices"):
        written = item.get("label")
        meant = meant_label(written) if isinstance(written, str) else None
        if meant is not None:
            labels[meant] = index
    return labels


def shown_label(written: str) -> str:
    """An appendix's label as the text refers to it (see :func:`listed`), else as written."""
    return meant_label(written) or written


@dataclass(frozen=True, slots=True)
class AppendixFile:
    """Where an appendix's ``file`` leads: ``path``, its real path, when it is a file name inside the
    repository (and whether a file is there), else ``None`` and why not (``outside``)."""

    path: Path | None
    outside: str = ""
    exists: bool = False


def appendix_files(context: RecordContext) -> Iterator[tuple[FieldPath, str, str, AppendixFile]]:
    """Each appendix that names a ``file``: the path of that field, the appendix's label (as the
    text shows it), the name as written and where it is (:func:`appendix_file`)."""
    for index, item in context.mappings("appendices"):
        name = item.get("file")
        if isinstance(name, str) and name.strip():
            label = shown_label(str(item.get("label", index + 1)))
            yield ("appendices", index, "file"), label, name, appendix_file(context, name)


def appendix_file(context: RecordContext, name: str) -> AppendixFile:
    """Where the appendix file ``name`` (relative to the record's own folder) is, if it is a relative
    path that stays inside the repository, symbolic links followed. Only then is it looked at: an
    answer about any other path would tell whoever writes records which files exist on the machine
    that checks them (``../../etc/shadow``). Found once a record and name."""
    found: dict[str, AppendixFile] = context.memo.setdefault("appendix-files", {})
    if name not in found:
        found[name] = _locate(context, name)
    return found[name]


def _locate(context: RecordContext, name: str) -> AppendixFile:
    return locate_appendix(context.file, name, context.config.root)


#: File kinds that are never a paper of a decision: records, configuration, keys, templates.
_NOT_PAPERS = (".yaml", ".yml", ".toml", ".key", ".pem", ".j2")


def locate_appendix(
    record: str | os.PathLike[str], name: str, configured_root: Path
) -> AppendixFile:
    """Where the appendix file ``name`` of the record in the file ``record`` is (see
    :func:`appendix_file`); ``None`` and why when it is not a paper jmb may look at or publish: not
    a relative path inside the repository, or a file the repository keeps for itself (a record, the
    configuration, a key, a template; anything in a hidden folder such as ``.git``, in a
    ``confidential/`` folder, where Part 2 is written, or in ``build/``, where outputs are)."""
    found = _locate_in_repository(record, name, configured_root)
    if found.path is None:
        return found
    root = _real(
        _repository_root(
            os.path.dirname(os.path.abspath(record)),  # noqa: PTH100, PTH120
            os.path.abspath(configured_root),  # noqa: PTH100
        )
    )
    parts = Path(os.path.relpath(found.path, root)).parts
    if any(part.startswith(".") for part in parts[:-1]) or parts[-1].startswith("."):
        return AppendixFile(None, "is a hidden file or in a hidden folder (such as .git)")
    if CONFIDENTIAL_DIR in parts[:-1]:
        return AppendixFile(None, "is in a confidential/ folder, where Part 2 is kept")
    if parts[0] == "build":
        return AppendixFile(None, "is in build/, where jmb writes what it makes")
    if found.path.suffix.lower() in _NOT_PAPERS:
        return AppendixFile(None, "is a record, configuration, key or template file, not a paper")
    return found


def _locate_in_repository(
    record: str | os.PathLike[str], name: str, configured_root: Path
) -> AppendixFile:
    if not name or printable(name) != name:
        return AppendixFile(None, "is not a file name (it holds control characters)")
    slashed = name.replace("\\", "/")  # a separator on Windows, where the repository may be used
    if slashed.startswith("/") or _DRIVE.match(slashed):
        return AppendixFile(None, "is an absolute path")
    # Strings, not Paths: this runs for every appendix of every record.
    folder = os.path.dirname(os.path.abspath(record))  # noqa: PTH100, PTH120
    root = _repository_root(folder, os.path.abspath(configured_root))  # noqa: PTH100
    joined = os.path.join(folder, slashed)  # noqa: PTH118
    if not _within(os.path.normpath(joined), root):
        return AppendixFile(None, "is outside the repository")
    # The path as the system follows it: "link/../x" is not "x" when link leads elsewhere. The real
    # folder is worked out once a folder (records share theirs); the name in it is looked at here.
    head, tail = os.path.split(joined)
    if tail in ("", ".", ".."):
        head, tail = joined, ""
    real = os.path.join(_real(head), tail) if tail else _real(head)  # noqa: PTH118
    try:
        status = os.lstat(real)
    except OSError:
        status = None
    if status is not None and stat.S_ISLNK(status.st_mode):
        real = os.path.realpath(real)
    if not _within(real, _real(root)):
        return AppendixFile(None, "leads outside the repository through a symbolic link")
    if status is not None and stat.S_ISLNK(status.st_mode):
        exists = os.path.isfile(real)  # noqa: PTH113
    else:
        exists = status is not None and stat.S_ISREG(status.st_mode)
    return AppendixFile(Path(real), exists=exists)


_DRIVE = re.compile(r"^[A-Za-z]:")


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


@functools.lru_cache(maxsize=1024)
def _real(folder: str) -> str:
    return os.path.realpath(folder)


@functools.lru_cache(maxsize=64)
def _repository_root(folder: str, configured: str) -> str:
    """The repository holding a record in ``folder``: the configured one when the record is in it;
    else the nearest folder above that holds a ``jmb.toml`` or a ``.git``; else the record's own."""
    if _within(folder, configured):
        return configured
    for candidate in (Path(folder), *Path(folder).parents):
        if (candidate / CONFIG_FILE).exists() or (candidate / ".git").exists():
            return str(candidate)
    return folder
