"""The public website's search: a Pagefind index of the decision pages, in the site's ``pagefind/``.

Pagefind (PyPI ``pagefind-bin``: its binary ships inside the wheel, nothing is downloaded) reads the
built pages and writes a static index that its own JavaScript searches in the reader's browser, so
no search request leaves the site. :func:`index_site` runs it over a site that is already built.

What is indexed, and what the templates must carry
--------------------------------------------------
Only the decision pages, ``decisions/<stem>/index.html``, and of each only what the page itself
shows: Pagefind is given those files' bytes and nothing else (no record, no other page, no file of
the repository), so the index can hold nothing the site does not already publish.

- A decision page marks its Part 1 text with ``data-pagefind-body`` (on its ``<main>``). A page
  without one is refused (:class:`SearchError`): Pagefind would otherwise drop it silently, because
  once one page of a site has the mark, pages without it are skipped. (The layout may put the mark
  on every page's ``<main>``: only the decision pages are given to Pagefind.)
- Its two filters, ``year`` and ``status``, each on an element inside that ``<main>`` (the
  ``<main>`` itself will do): ``<dd data-pagefind-filter="year">2019</dd>`` takes the element's
  text, ``data-pagefind-filter="status:Published"`` gives the value. One filter an attribute:
  Pagefind 1.5 reads ``year:2019, status:Published`` as the year ``2019, status:Published``. (One
  element can carry both as ``data-pagefind-filter="year[data-year], status[data-status]"``, with
  the values in those two attributes.) The values must be jmb's own words (the year, the status as
  the register shows it), never text from a record: Pagefind's interface shows filter names and
  values as HTML. The interface lists each filter's values in order (jmb sorts them).
- Its title: Pagefind takes the first ``<h1>``; ``data-pagefind-meta="title"`` on it says so
  outright. Other facts shown in a result can be added with ``data-pagefind-meta="number:2019/09"``.
- Parts of the text that should not be searched (the list of documents to download, say) carry
  ``data-pagefind-ignore``.
- ``<html lang="en">``: Pagefind keeps one index a language, chosen by that attribute.

The search page (``site/search.html.j2``) loads ``pagefind/pagefind-ui.css``, ``pagefind/pagefind-ui.js``
and ``assets/search.js`` by relative addresses. Pagefind searches in WebAssembly: in a worker where
it can (the page's policy does not govern a worker), and in the page where it cannot, which only
``'wasm-unsafe-eval'`` permits; hence that page's Content-Security-Policy, :data:`SEARCH_PAGE_CSP`.

The same site gives the same bytes
----------------------------------
Pagefind 1.5 is not deterministic on its own. Its page numbers follow the order in which it finds the
files, which is the file system's order (on ext4 a hash of the names with a seed of each file system,
on tmpfs the order of creation), and its filter indexes are written from hash maps whose order
changes with every run; both change the names and bytes of the filter files, of the metadata file and
of ``pagefind-entry.json`` that names it. So jmb does not point Pagefind at the folder: it runs the
binary as a service (``pagefind --service``), gives it the pages in the order of their paths, takes
the files back in memory, and writes the filter indexes and the metadata again with their entries in
sorted order (uncompressed: Pagefind's reader accepts a file that starts with its signature
``pagefind_dcd`` as it is, and no zlib of one machine or another changes the bytes), named by their
contents' SHA-1 as Pagefind names them. Every other file is Pagefind's own bytes. A file whose bytes
are already on disk is left untouched, and a file of an earlier index that no longer belongs is
removed.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import gzip
import hashlib
import json
import os
import re
import stat
import subprocess
import tempfile
import threading
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any
from urllib.parse import quote

from jmb.core.atomic import write_bytes_atomic
from jmb.core.errors import JmbError
from jmb.core.files import read_regular_file
from jmb.core.paths import display_path

#: Pagefind's folder in the site, where its scripts look for the index.
BUNDLE_DIR = "pagefind"

#: The folder of the site whose pages (``<stem>/index.html``) are indexed.
DECISIONS_DIR = "decisions"

#: The search page's Content-Security-Policy: beyond ``default-src 'self'``, Pagefind may compile its
#: WebAssembly in the page, where its worker cannot run (``'wasm-unsafe-eval'`` permits WebAssembly
#: only, not JavaScript's ``eval``), and its style sheet draws the search box's magnifying glass from
#: a ``data:`` image (which makes no request). The search page's template says the same.
SEARCH_PAGE_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self' "
    "'wasm-unsafe-eval'; base-uri 'none'; form-action 'self'; object-src 'none'"
)

#: How long Pagefind may take before it is stopped: it indexes 10,000 pages of 1,200 words in two
#: to three minutes (with 5 GB of memory), so this only stops a Pagefind that hangs.
TIMEOUT_SECONDS = 3600.0

#: The largest decision page read.
MAX_PAGE_BYTES = 50_000_000

#: The mark a decision page's text carries (see the module's documentation).
BODY_MARK = b"data-pagefind-body"

#: Pagefind's signature at the start of each of its binary index files, once uncompressed.
_SIGNATURE = b"pagefind_dcd"
_META = re.compile(r"pagefind\.(?P<hash>(?P<language>[^/_]+)_[0-9a-f]+)\.pf_meta")
_FILTER = re.compile(r"filter/(?P<hash>(?P<language>[^/_]+)_[0-9a-f]+)\.pf_filter")
_ENTRY = "pagefind-entry.json"
#: The file names Pagefind writes: plain words in at most two levels.
_BUNDLE_NAME = re.compile(r"(?:[A-Za-z0-9_-][A-Za-z0-9_.-]*/)?[A-Za-z0-9_-][A-Za-z0-9_.-]*")


class SearchError(JmbError):
    """The search index cannot be made: Pagefind is missing or failed, a decision page cannot be
    indexed, or Pagefind wrote an index that jmb does not know."""


@dataclass(frozen=True)
class SearchIndex:
    """What :func:`index_site` did: how many pages it indexed, every file of the index (paths in the
    site, sorted), and which of them it wrote (the others were already as they are) or removed."""

    pages: int
    files: tuple[str, ...]
    written: tuple[str, ...]
    removed: tuple[str, ...]


def index_site(
    site: Path, *, only: Collection[str] | None = None, timeout: float = TIMEOUT_SECONDS
) -> SearchIndex:
    """Index the decision pages of the built site ``site`` into ``site/pagefind/``: with ``only``,
    the pages of those folders of ``decisions/`` alone (the ones the site carries: a page left by
    someone else, or by a build that failed, is not searched). A page that is a symbolic link is
    never read.

    The same pages give the same files, byte for byte (see the module's documentation). Raises
    :class:`SearchError`, naming what failed, when Pagefind is not installed, cannot run, fails or
    takes longer than ``timeout`` seconds, or when a decision page cannot be indexed.
    """
    pages = _decision_pages(site, only)
    made = _run_pagefind(pagefind_executable(), pages, timeout)
    files = canonical_bundle(made)
    written, removed = _write_bundle(site / BUNDLE_DIR, files)
    return SearchIndex(
        len(pages),
        tuple(f"{BUNDLE_DIR}/{name}" for name in sorted(files)),
        tuple(f"{BUNDLE_DIR}/{name}" for name in written),
        tuple(f"{BUNDLE_DIR}/{name}" for name in removed),
    )


def remove_index(site: Path) -> tuple[str, ...]:
    """Remove ``site/pagefind/`` (for a site built without search); the files removed, as paths in
    the site."""
    bundle = site / BUNDLE_DIR
    if not os.path.lexists(bundle):
        return ()
    _check_bundle_folder(bundle)
    removed = _remove_except(bundle, frozenset())
    with contextlib.suppress(OSError):
        bundle.rmdir()
    return tuple(f"{BUNDLE_DIR}/{name}" for name in removed)


def pagefind_executable() -> Path:
    """The Pagefind binary of the installed ``pagefind-bin`` package (:class:`SearchError` when
    there is none)."""
    advice = "install it (pip install pagefind-bin), or publish with --no-search"
    try:
        from pagefind_bin import get_executable
    except ImportError:
        raise SearchError(
            "search: Pagefind is not installed (the pagefind-bin package, which has builds for "
            f"Linux on x86_64 and aarch64, macOS and Windows on x86_64); {advice}"
        ) from None
    try:
        found = Path(get_executable())
    except OSError as error:
        raise SearchError(f"search: the Pagefind binary is missing ({error}); {advice}") from None
    return found


# -- the pages ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Page:
    path: Path
    url: str


def _decision_pages(site: Path, only: Collection[str] | None = None) -> list[_Page]:
    """The decision pages of the site (of the folders ``only``, when given), in the order of their
    paths; each checked for the mark."""
    folder = site / DECISIONS_DIR
    if folder.is_symlink() or not folder.is_dir():
        return []
    pages = []
    for entry in sorted(folder.iterdir(), key=lambda entry: entry.name):
        page = entry / "index.html"
        if only is not None and entry.name not in only:
            continue
        if entry.is_symlink() or not entry.is_dir() or page.is_symlink() or not page.exists():
            continue
        pages.append(_Page(page, f"/{DECISIONS_DIR}/{quote(entry.name)}/"))
    return pages


def _page_text(page: _Page) -> str:
    try:
        content = read_regular_file(page.path, MAX_PAGE_BYTES)
    except OSError as error:
        reason = getattr(error, "strerror", None) or error
        raise SearchError(f"{display_path(page.path)}: cannot be indexed: {reason}") from None
    if BODY_MARK not in content:
        raise SearchError(
            f"{display_path(page.path)}: a decision page must mark its text with "
            "data-pagefind-body (on its <main>); without it Pagefind leaves the page out"
        )
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SearchError(
            f"{display_path(page.path)}: cannot be indexed: not UTF-8 (byte {error.start})"
        ) from None


# -- Pagefind as a service --------------------------------------------------------------------------


def _run_pagefind(executable: Path, pages: list[_Page], timeout: float) -> dict[str, bytes]:
    """The files of the index Pagefind makes of ``pages`` (names relative to ``pagefind/``).

    Pagefind's service reads requests and answers them in order, one line each (base64 of JSON, then
    a comma). Each page is sent and its answer read before the next, so neither pipe can fill.
    """
    with (
        tempfile.TemporaryDirectory(prefix="jmb-pagefind-") as work,
        tempfile.TemporaryFile() as log,
    ):
        # Pagefind reads pagefind.json, .yml, .yaml or .toml in its working folder before anything
        # else, even as a service, and stops at a malformed one or at two of them: it works in an
        # empty folder of its own, so that nothing of the caller's folder decides. (Its PAGEFIND_*
        # variables, by contrast, do nothing to a service.)
        try:
            process = subprocess.Popen(
                [str(executable), "--service"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                cwd=work,
            )
        except OSError as error:
            raise SearchError(
                f"search: cannot run Pagefind ({executable}): {error.strerror or error}"
            ) from None
        timed_out = threading.Event()

        def stop() -> None:
            timed_out.set()
            process.kill()

        watchdog = threading.Timer(timeout, stop)
        watchdog.start()
        try:
            return _Service(process, log).index(pages)
        except _ServiceStopped as stopped:
            if timed_out.is_set():
                raise SearchError(
                    f"search: Pagefind did not finish within {timeout:g} seconds"
                ) from None
            raise SearchError(f"search: Pagefind stopped {stopped}") from None
        finally:
            watchdog.cancel()
            for pipe in (process.stdin, process.stdout):
                with contextlib.suppress(OSError):
                    if pipe is not None:
                        pipe.close()
            with contextlib.suppress(OSError):
                process.kill()
            process.wait()


class _ServiceStopped(Exception):
    """Pagefind's service ended, or broke its protocol, before it answered."""


class _Service:
    def __init__(self, process: subprocess.Popen[bytes], log: IO[bytes]) -> None:
        assert process.stdin is not None and process.stdout is not None
        self.process = process
        self.stdin = process.stdin
        self.stdout = process.stdout
        self.log = log
        self.buffer = b""
        self.message_id = 0

    def index(self, pages: list[_Page]) -> dict[str, bytes]:
        try:
            index_id = self.ask({"type": "NewIndex", "config": None}, "NewIndex").get("index_id")
        except _Refused as refused:
            raise SearchError(f"search: Pagefind cannot start an index: {refused}") from None
        if not isinstance(index_id, int):
            raise _ServiceStopped("with an answer jmb does not understand")
        for page in pages:
            request = {
                "type": "AddFile",
                "index_id": index_id,
                "file_path": None,
                "url": page.url,
                "file_contents": _page_text(page),
            }
            try:
                self.ask(request, "IndexedFile")
            except _Refused as refused:
                raise SearchError(
                    f"{display_path(page.path)}: Pagefind cannot index it: {refused}"
                ) from None
        try:
            files = self.ask({"type": "GetFiles", "index_id": index_id}, "GetFiles").get("files")
        except _Refused as refused:
            raise SearchError(f"search: Pagefind cannot write the index: {refused}") from None
        return _decoded_files(files)

    def ask(self, payload: dict[str, Any], answer: str) -> dict[str, Any]:
        """Send one request; its answer, which must be of type ``answer``."""
        self.message_id += 1
        message = json.dumps({"message_id": self.message_id, "payload": payload})
        try:
            self.stdin.write(base64.b64encode(message.encode("utf-8")) + b",")
            self.stdin.flush()
        except OSError:
            raise _ServiceStopped(self._why()) from None
        while True:
            response = self._receive()
            answered = response.get("payload")
            if not isinstance(answered, dict):
                raise _ServiceStopped("with an answer jmb does not understand")
            if answered.get("type") == "Error":
                raise _Refused(_one_line(str(answered.get("message", ""))))
            if response.get("message_id") == self.message_id and answered.get("type") == answer:
                return answered
            if response.get("message_id") == self.message_id:
                raise _ServiceStopped(f"with an answer of type {answered.get('type')!r}")

    def _receive(self) -> dict[str, Any]:
        # The index comes back as one answer of hundreds of megabytes for a large site: gather the
        # pieces in a list and look for the comma in each new piece only, never in all of them.
        pieces = [self.buffer]
        end = self.buffer.find(b",")
        while end < 0:
            # Straight from the pipe: whatever has come, at most a megabyte (the buffered reader
            # of the pipe would wait for the whole megabyte).
            chunk = os.read(self.stdout.fileno(), 1 << 20)
            if not chunk:
                raise _ServiceStopped(self._why())
            pieces.append(chunk)
            end = chunk.find(b",")
        if len(pieces) > 1:
            end += sum(len(piece) for piece in pieces[:-1])
        data = b"".join(pieces)
        line, self.buffer = data[:end], data[end + 1 :]
        try:
            response = json.loads(base64.b64decode(line, validate=True))
        except (binascii.Error, ValueError):
            raise _ServiceStopped("with an answer jmb does not understand") from None
        if not isinstance(response, dict):
            raise _ServiceStopped("with an answer jmb does not understand")
        return response

    def _why(self) -> str:
        """Why the service went away: its exit code and the last thing it said."""
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = None
        self.log.seek(0)
        said = [
            line.strip() for line in self.log.read()[-4000:].decode("utf-8", "replace").splitlines()
        ]
        last = next((line for line in reversed(said) if line), "")
        ended = "before it finished" if code is None else f"(exit code {code}) before it finished"
        return f"{ended}: {_one_line(last)}" if last else ended


class _Refused(Exception):
    """Pagefind answered a request with an error (the message is its own)."""


def _one_line(text: str) -> str:
    return " ".join(text.split())[:500]


def _decoded_files(files: object) -> dict[str, bytes]:
    if not isinstance(files, list):
        raise SearchError("search: Pagefind gave back no list of files")
    decoded: dict[str, bytes] = {}
    for file in files:
        name = file.get("path") if isinstance(file, dict) else None
        content = file.get("content") if isinstance(file, dict) else None
        if not isinstance(name, str) or not isinstance(content, str):
            raise SearchError("search: Pagefind gave back a file without a name or content")
        name = name.replace("\\", "/")  # Windows
        if not _BUNDLE_NAME.fullmatch(name) or ".." in name.split("/"):
            raise SearchError(f"search: Pagefind gave back a file named {name!r}")
        try:
            decoded[name] = base64.b64decode(content, validate=True)
        except binascii.Error:
            raise SearchError(f"search: Pagefind gave back {name} garbled") from None
    return decoded


# -- one index for one site ---------------------------------------------------------------------------


def canonical_bundle(files: dict[str, bytes]) -> dict[str, bytes]:
    """Pagefind's files with its filter indexes and metadata written again in sorted order, and the
    names that depend on them made again (see the module's documentation)."""
    out = {
        name: content
        for name, content in files.items()
        if not (_FILTER.fullmatch(name) or _META.fullmatch(name) or name == _ENTRY)
    }
    filters: dict[str, str] = {}  # Pagefind's name of a filter index -> jmb's
    for name in sorted(files):
        found = _FILTER.fullmatch(name)
        if found is None:
            continue
        index = _Cbor(_unpacked(files[name], name), name).value()
        if not _is_filter_index(index):
            raise _unknown(name)
        key, values = index
        data = _cbor([key, sorted(values, key=lambda value: value[0])])
        new = _free_name(found["language"], data, lambda hash: f"filter/{hash}.pf_filter" in out)
        out[f"filter/{new}.pf_filter"] = _SIGNATURE + data
        filters[found["hash"]] = new
    metas: dict[str, str] = {}  # Pagefind's name of a language's metadata -> jmb's
    for name in sorted(files):
        found = _META.fullmatch(name)
        if found is None:
            continue
        meta = _Cbor(_unpacked(files[name], name), name).value()
        if not _is_meta(meta) or any(hash not in filters for _, hash in meta[3]):
            raise _unknown(name)
        meta[3] = sorted([key, filters[hash]] for key, hash in meta[3])
        meta[4] = sorted(meta[4], key=lambda sort: sort[0])
        data = _cbor(meta)
        language = found["language"]
        # Pagefind names the metadata after the first characters of its SHA-1.
        new = f"{language}_{_sha1_name(data)[: len(language) + 8]}"
        out[f"pagefind.{new}.pf_meta"] = _SIGNATURE + data
        metas[found["hash"]] = new
    if _ENTRY not in files:
        raise SearchError(f"search: Pagefind wrote no {_ENTRY}")
    out[_ENTRY] = _entry(files[_ENTRY], metas)
    return out


def _entry(content: bytes, metas: dict[str, str]) -> bytes:
    """``pagefind-entry.json`` naming jmb's metadata files, its languages in order."""
    try:
        entry = json.loads(content)
        languages = entry["languages"]
        for about in languages.values():
            about["hash"] = metas[about["hash"]]
        entry["languages"] = dict(sorted(languages.items()))
    except (ValueError, KeyError, TypeError, AttributeError):
        raise _unknown(_ENTRY) from None
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _unknown(name: str) -> SearchError:
    return SearchError(
        f"search: Pagefind wrote {BUNDLE_DIR}/{name} in a form this jmb does not know (it knows "
        "Pagefind 1.5); install the pagefind-bin version jmb asks for"
    )


def _unpacked(content: bytes, name: str) -> bytes:
    """An index file's contents after Pagefind's signature (gzip first, if it is compressed)."""
    if not content.startswith(_SIGNATURE):
        try:
            content = gzip.decompress(content)
        except (OSError, EOFError, gzip.BadGzipFile):
            raise _unknown(name) from None
    if not content.startswith(_SIGNATURE):
        raise _unknown(name)
    return content[len(_SIGNATURE) :]


def _sha1_name(data: bytes) -> str:
    # Pagefind writes each byte of the digest in hex without its leading zero ("{:x}"); jmb names
    # its files the same way.
    return "".join(f"{byte:x}" for byte in hashlib.sha1(data).digest())


def _free_name(language: str, data: bytes, taken: Any) -> str:
    """``<language>_<hash>``: seven characters of the hash, more while the name is taken."""
    full = _sha1_name(data)
    for length in range(7, len(full) + 1):
        name = f"{language}_{full[:length]}"
        if not taken(name):
            return name
    raise SearchError("search: two filter indexes of Pagefind have the same contents")


def _is_text_list(value: object, length: int) -> bool:
    return (
        isinstance(value, list)
        and len(value) == length
        and all(isinstance(item, str) for item in value)
    )


def _is_numbers(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, int) for item in value)


def _is_filter_index(value: object) -> bool:
    """``[filter, [[value, [page, ...]], ...]]``"""
    return (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], str)
        and isinstance(value[1], list)
        and all(
            isinstance(item, list)
            and len(item) == 2
            and isinstance(item[0], str)
            and _is_numbers(item[1])
            for item in value[1]
        )
    )


def _is_meta(value: object) -> bool:
    """``[version, [[page, words], ...], [[from, to, hash], ...], [[filter, hash], ...],
    [[sort, [page, ...]], ...], [meta field, ...]]`` (the fields sorted already)"""
    return (
        isinstance(value, list)
        and len(value) == 6
        and isinstance(value[0], str)
        and all(isinstance(part, list) for part in value[1:])
        and all(_is_text_list(chunk, 3) for chunk in value[2])
        and all(_is_text_list(item, 2) for item in value[3])
        and all(
            isinstance(sort, list)
            and len(sort) == 2
            and isinstance(sort[0], str)
            and _is_numbers(sort[1])
            for sort in value[4]
        )
        and _is_text_list(value[5], len(value[5]))
        and value[5] == sorted(value[5])
    )


# -- CBOR, the part Pagefind's index files use: integers, text and arrays --------------------------


class _Cbor:
    """A reader of CBOR (RFC 8949) integers, text strings and arrays of definite length."""

    def __init__(self, data: bytes, name: str) -> None:
        self.data = data
        self.name = name
        self.at = 0

    def value(self) -> Any:
        found = self._item()
        if self.at != len(self.data):
            raise _unknown(self.name)
        return found

    def _item(self) -> Any:
        major, argument = self._head()
        if major == 0:
            return argument
        if major == 1:
            return -1 - argument
        if major == 3:
            end = self.at + argument
            if end > len(self.data):
                raise _unknown(self.name)
            try:
                text = self.data[self.at : end].decode("utf-8")
            except UnicodeDecodeError:
                raise _unknown(self.name) from None
            self.at = end
            return text
        if major == 4:
            if argument > len(self.data) - self.at:  # each item takes a byte at least
                raise _unknown(self.name)
            return [self._item() for _ in range(argument)]
        raise _unknown(self.name)

    def _head(self) -> tuple[int, int]:
        if self.at >= len(self.data):
            raise _unknown(self.name)
        first = self.data[self.at]
        self.at += 1
        major, short = first >> 5, first & 0x1F
        if short < 24:
            return major, short
        if short > 27:
            raise _unknown(self.name)  # indefinite lengths and reserved values: not Pagefind's
        size = 1 << (short - 24)
        if self.at + size > len(self.data):
            raise _unknown(self.name)
        argument = int.from_bytes(self.data[self.at : self.at + size], "big")
        self.at += size
        return major, argument


def _cbor(value: Any) -> bytes:
    """``value`` (integers, text, lists of them) in CBOR's shortest form, as Pagefind writes it."""
    return b"".join(_cbor_parts(value))


def _cbor_parts(value: Any) -> Iterator[bytes]:
    if isinstance(value, bool) or not isinstance(value, int | str | list):
        raise TypeError(f"not CBOR that Pagefind writes: {type(value).__name__}")
    if isinstance(value, int):
        yield _cbor_head(0, value) if value >= 0 else _cbor_head(1, -1 - value)
    elif isinstance(value, str):
        data = value.encode("utf-8")
        yield _cbor_head(3, len(data))
        yield data
    else:
        yield _cbor_head(4, len(value))
        for item in value:
            yield from _cbor_parts(item)


def _cbor_head(major: int, argument: int) -> bytes:
    if argument < 24:
        return bytes([major << 5 | argument])
    for short, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * size):
            return bytes([major << 5 | short]) + argument.to_bytes(size, "big")
    raise ValueError("an integer too large for CBOR")


# -- writing the index ------------------------------------------------------------------------------


def _check_bundle_folder(bundle: Path) -> None:
    if bundle.is_symlink() or (os.path.lexists(bundle) and not bundle.is_dir()):
        raise SearchError(
            f"{display_path(bundle)} is not a folder; the search index is written only into a "
            "real folder of that name"
        )


def _write_bundle(bundle: Path, files: dict[str, bytes]) -> tuple[list[str], list[str]]:
    """Write ``files`` into ``bundle``, leaving alone each that is already as it should be, and
    remove whatever else is there. The names written and removed."""
    _check_bundle_folder(bundle)
    written = []
    checked: set[Path] = set()
    try:
        for name in sorted(files):
            target = bundle.joinpath(*PurePosixPath(name).parts)
            if target.parent not in checked:
                target.parent.mkdir(parents=True, exist_ok=True)
                if target.parent.is_symlink():
                    raise SearchError(
                        f"{display_path(target.parent)} is a symbolic link; the search index is "
                        "written only into real folders"
                    )
                checked.add(target.parent)
            if _holds(target, files[name]):
                continue
            write_bytes_atomic(target, files[name], durable=False)
            written.append(name)
        removed = _remove_except(bundle, frozenset(files))
    except OSError as error:
        where = display_path(Path(error.filename)) if error.filename else display_path(bundle)
        raise SearchError(
            f"cannot write the search index: {where}: {error.strerror or error}"
        ) from None
    return written, removed


def _holds(target: Path, content: bytes) -> bool:
    """Whether ``target`` is a regular file (not a link) holding exactly ``content``."""
    try:
        status = target.lstat()
    except FileNotFoundError:
        return False
    if not stat.S_ISREG(status.st_mode) or status.st_size != len(content):
        return False
    return target.read_bytes() == content


def _remove_except(bundle: Path, keep: frozenset[str]) -> list[str]:
    """Remove every file and link in ``bundle`` not named in ``keep``, and the folders left empty;
    the names removed. Links are removed, never followed."""
    removed = []
    for folder, folders, names in os.walk(bundle, topdown=False):
        here = Path(folder)
        for name in sorted(names):
            relative = (here / name).relative_to(bundle).as_posix()
            if relative not in keep:
                (here / name).unlink()
                removed.append(relative)
        for name in folders:
            path = here / name
            if path.is_symlink():
                path.unlink()
                removed.append(path.relative_to(bundle).as_posix())
            elif not any(path.iterdir()):
                path.rmdir()
    return sorted(removed)
