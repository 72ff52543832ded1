"""What a record said when it was signed, found in the repository's git history.

A signature stores the digest of the content signed, not the content; when the digest no longer
matches, the version signed is usually still in git. :func:`signed_content` walks the file's
committed versions, newest first, and returns the canonical content of the newest whose digest is
the signature's; :func:`changed_fields` names the fields that differ from it.

Git is asked only here, read-only, and only when a caller needs it (a record whose digest does not
match): ``git log`` and ``git cat-file`` run with a fixed argument list, no shell, a time limit, and
``--`` before the path. Without git, outside a repository, or when git fails or is slow, the answer
is "not found", never an error: the caller then says it cannot tell what changed.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from jmb.core.names import dotted
from jmb.record.canonical import canonical_content, content_digest
from jmb.record.confidential import part2_field
from jmb.record.document import BOM, MAX_BYTES, Document, FieldPath, parse_text

#: The longest the git commands for one file may take in all, in seconds.
GIT_TIMEOUT = 10.0
#: The most committed versions of one file looked at (newest first).
MAX_VERSIONS = 100

# Read-only, whatever the repository's configuration says: no optional locks (an index refresh
# writes), no file-system monitor (a command of the repository's choosing), no signature checks (gpg).
_GIT = ("git", "-c", "core.fsmonitor=false", "--no-pager", "--literal-pathspecs")
# Nor any network: a partial clone would fetch a missing blob from its remote (GIT_NO_LAZY_FETCH).
_ENV_OVERRIDES = {
    "GIT_OPTIONAL_LOCKS": "0",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_NO_LAZY_FETCH": "1",
    "LC_ALL": "C",
}


def in_git_work_tree(folder: Path) -> bool:
    """Whether ``folder`` or a folder above it holds ``.git``, stopping where git would (its
    ``GIT_CEILING_DIRECTORIES``): a look at the file system, so that a folder outside any repository
    costs no git process."""
    ceilings = {
        Path(entry).resolve()
        for entry in os.environ.get("GIT_CEILING_DIRECTORIES", "").split(os.pathsep)
        if entry and Path(entry).is_absolute()
    }
    try:
        current = folder.resolve()
    except OSError:
        return False
    for candidate in (current, *current.parents):
        if candidate in ceilings:
            return False
        if (candidate / ".git").exists():
            return True
    return False


def _git(root: Path, deadline: float, *arguments: str) -> bytes | None:
    """The output of one git command run in ``root``, or ``None`` when it fails in any way or
    would run past ``deadline`` (a :func:`time.monotonic` time)."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        return None
    try:
        completed = subprocess.run(  # a fixed argument list, no shell
            [*_GIT, *arguments],
            cwd=root,
            capture_output=True,
            timeout=remaining,
            check=False,
            env={**os.environ, **_ENV_OVERRIDES},
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError):
        return None  # no git binary, a folder that vanished, a time-out
    return completed.stdout if completed.returncode == 0 else None


def file_versions(root: Path, file: Path) -> Iterator[bytes]:
    """The committed contents of ``file`` (inside ``root``), newest first, at most
    :data:`MAX_VERSIONS` of them and for at most :data:`GIT_TIMEOUT` seconds in all; nothing when
    ``root`` is not in a git work tree or git cannot tell. A version larger than a record may be
    is passed over unread."""
    try:
        relative = Path(os.path.relpath(file.resolve(), root.resolve()))
    except (OSError, ValueError):
        return
    if relative.parts[:1] == ("..",) or not in_git_work_tree(root):
        return
    deadline = time.monotonic() + GIT_TIMEOUT
    log = _git(
        root,
        deadline,
        *("log", "--no-show-signature", "--format=%H", f"-n{MAX_VERSIONS}", "--", str(relative)),
    )
    if log is None:
        return
    for commit in log.decode("ascii", "replace").split():
        # ./ makes the path relative to root, wherever root is in the work tree.
        blob = f"{commit}:./{relative.as_posix()}"
        size = _git(root, deadline, "cat-file", "-s", blob)
        if size is None or not size.strip().isdigit() or int(size) > MAX_BYTES:
            continue
        content = _git(root, deadline, "cat-file", "blob", blob)
        if content is not None:
            yield content


class SignedVersions:
    """The committed versions of ``file`` (inside ``root``) by their content digest, read from
    git newest first as they are asked for, and read once: however many digests are asked about
    (a record may carry any number of signatures, each with its own), the history is walked once,
    within the one :data:`GIT_TIMEOUT` and :data:`MAX_VERSIONS` of :func:`file_versions`."""

    def __init__(self, root: Path, file: Path) -> None:
        self._file = file
        self._versions = file_versions(root, file)  # the time limit starts at the first version
        self._read: dict[str, dict[str, Any]] = {}
        self._walked = False

    def content(self, digest: str) -> dict[str, Any] | None:
        """The canonical content of the newest committed version whose content digest is
        ``digest``, or ``None`` when no version in the history has it."""
        found = self._read.get(digest)
        while found is None and not self._walked:
            raw = next(self._versions, None)
            if raw is None:
                self._walked = True
                break
            version = self._version(raw)
            if version is not None:
                self._read.setdefault(*version)  # newest first: a later one is older
                found = self._read.get(digest)
        return found

    def _version(self, raw: bytes) -> tuple[str, dict[str, Any]] | None:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return None
        document = Document(path=str(self._file), text=text.removeprefix(BOM))
        parse_text(document)
        if not isinstance(document.data, dict):
            return None
        try:
            return content_digest(document.data), canonical_content(document.data)
        except TypeError:
            return None  # content with no canonical form was never signed


def signed_content(root: Path, file: Path, digest: str) -> dict[str, Any] | None:
    """The canonical content of the newest committed version of ``file`` whose content digest is
    ``digest``, or ``None`` when no version in the history has it (see :class:`SignedVersions`,
    which answers for several digests at the cost of one)."""
    return SignedVersions(root, file).content(digest)


def changed_fields(signed: Mapping[str, Any], current: Mapping[str, Any]) -> list[str]:
    """The dotted paths of the fields whose canonical values differ, in the order of ``current``
    (fields removed since come last): ``["title", "implications.financial"]``. A list that changed
    length is named as a whole. Inside Part 2 a path stops at the first key the record format does
    not define (:func:`jmb.record.confidential.part2_field`): such a key may be Part 2 text."""
    found: list[FieldPath] = []
    _compare(signed, current, (), found)
    names: list[str] = []
    for path in found:
        name = dotted(path)
        name = part2_field(name) or name
        if name not in names:
            names.append(name)
    return names


def _compare(before: Any, after: Any, path: FieldPath, found: list[FieldPath]) -> None:
    if isinstance(before, dict) and isinstance(after, dict):
        for key in [*after, *(key for key in before if key not in after)]:
            if key not in before or key not in after:
                found.append((*path, key))
            else:
                _compare(before[key], after[key], (*path, key), found)
        return
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        for index, (old, new) in enumerate(zip(before, after, strict=True)):
            _compare(old, new, (*path, index), found)
        return
    # The canonical forms are plain JSON types: equal values of one type are the same content
    # (in Python 1 == 1.0 == True, in the digest they differ).
    if type(before) is not type(after) or before != after:
        found.append(path)
