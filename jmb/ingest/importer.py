"""``jmb import``'s core: read forms, map them to records, write each as ``jmb new`` would, check it.

Every form is read and mapped before anything is written, so a malformed file or a number already
in the repository stops the import with nothing half-done. A record is written through
:func:`jmb.repo.scaffold.write_numbered` (``jmb new``'s lock, naming and exclusive create; the number
comes from the form), and then checked by ``jmb validate``'s own code. What fills no field is listed
in a comment at the head of the written record, one line a piece, which rule JMB013 reports until a
clerk has placed the piece and deleted its line: nothing is dropped silently, nor forgotten once the
import's output has scrolled away.
"""

from __future__ import annotations

import json
import os
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from jmb.check.engine import check_record
from jmb.check.rules.import_unmapped import MARK
from jmb.core.errors import RecordError, UsageError
from jmb.core.files import FileTooLargeError, NotRegularFileError, read_regular_file
from jmb.core.findings import Finding
from jmb.core.paths import display_path
from jmb.core.printable import printable
from jmb.ingest.blocks import Block
from jmb.ingest.mapping import Unmapped, map_blocks
from jmb.ingest.readers import READERS as FILE_READERS
from jmb.ingest.text import read_text
from jmb.record.document import MAX_BYTES, Document, YamlLoader, parse_text
from jmb.record.model import Status
from jmb.record.schema import SCHEMA_FILE
from jmb.repo.config import Config
from jmb.repo.numbering import decision_year
from jmb.repo.scaffold import planned_path, write_numbered

#: The largest form read, in bytes: a long form saved as text is some tens of kilobytes.
MAX_FORM_BYTES = 20_000_000


class FormError(RecordError):
    """A form cannot be read (malformed, not text, too large): one line naming the file."""


#: A reader: the bytes of a form and its name as shown (for messages), to its blocks in reading
#: order. It raises :class:`FormError` for a file it cannot read.
Reader = Callable[[bytes, str], list[Block]]


def _read_text_form(data: bytes, shown: str) -> list[Block]:
    """A form saved as text or Markdown, in UTF-8 (a byte-order mark is read past)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FormError(f"{shown}: UTF-16 text; save the form as UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise FormError(f"{shown}:{line}: not UTF-8 text; save the form as UTF-8") from None
    if "\x00" in text:
        raise FormError(f"{shown}: a binary file, not a form saved as text")
    return read_text(text)


#: The reader of each kind of form read whole into memory, by its suffix (lower case). Word and PDF
#: forms are read by :data:`jmb.ingest.readers.READERS`, which open the file themselves (with their
#: own limits: a .docx is a zip, checked before any part of it is inflated).
READERS: dict[str, Reader] = {".txt": _read_text_form, ".md": _read_text_form}

#: Every suffix jmb imports.
SUFFIXES = tuple(sorted({*READERS, *FILE_READERS}))


@dataclass(frozen=True)
class Planned:
    """A form read and mapped: the record to write, not yet written."""

    source: Path
    path: Path
    number: str
    title: str
    year: int
    text: str
    unmapped: tuple[Unmapped, ...]


@dataclass(frozen=True)
class Imported:
    """One form imported: where its record is (or would be, on a dry run) and what was found."""

    source: Path
    path: Path
    number: str
    #: The findings of ``jmb validate`` on the record, JMB013 for each piece that fills no field.
    findings: list[Finding]
    unmapped: tuple[Unmapped, ...]
    written: bool
    #: Why the editors' JSON Schema could not be written, if it could not.
    schema_error: str = ""


def import_forms(
    sources: Sequence[Path],
    config: Config,
    *,
    status: Status = Status.SUBMITTED,
    title_case: bool = False,
    dry_run: bool = False,
    today: date | None = None,
    each: Callable[[Imported], None] | None = None,
) -> list[Imported]:
    """Import each form of ``sources`` as a record with ``status``; with ``dry_run``, write
    nothing and check each record as it would be written. Every form is read, mapped and given a
    free place before any is written: an unreadable form or a number in use (in the repository or
    twice among ``sources``) raises with nothing written. ``each`` is given each record as soon as
    it is written, so a caller can say what was written even if a later one fails (another jmb
    took its number meanwhile)."""
    today = today if today is not None else date.today()
    plans = [
        plan_import(source, config, status=status, title_case=title_case) for source in sources
    ]
    seen: dict[object, Path] = {}
    for plan in plans:
        identity = config.number_pattern.identity(plan.number)
        if identity in seen:
            raise RecordError(
                f"{display_path(plan.source)} and {display_path(seen[identity])} are both "
                f"decision {plan.number}; nothing was written"
            )
        seen[identity] = plan.source
    done: list[Imported] = []
    for plan in plans:
        done.append(_carry_out(plan, config, today, dry_run=dry_run))
        if each is not None:
            each(done[-1])
    return done


def plan_import(
    source: Path, config: Config, *, status: Status = Status.SUBMITTED, title_case: bool = False
) -> Planned:
    """Read and map the form at ``source`` into the text of its record, and where it would go."""
    shown = display_path(source)
    suffix = source.suffix.lower()
    reader = READERS.get(suffix)
    file_reader = FILE_READERS.get(suffix)
    if reader is None and file_reader is None:
        known = ", ".join(SUFFIXES)
        raise UsageError(
            f"{shown}: jmb imports forms saved as {known}, not {source.suffix or 'a file without a suffix'}"
        )
    if file_reader is not None:
        blocks = file_reader(source)
    else:
        assert reader is not None  # one of the two is there
        blocks = _read_whole(source, shown, reader)
    mapped = map_blocks(blocks, config, titles_in_case=title_case)
    record = mapped.data
    number, title, day = record.get("number"), record.get("title"), record.get("date")
    if not isinstance(number, str):
        raise FormError(
            f'{shown}: no decision number found (a "Decision 2019/09" line or a "Decision '
            'number" row)'
        )
    if not isinstance(title, str):
        raise FormError(f'{shown}: no title found (a "Title: ..." line or row)')
    parsed = config.number_pattern.parse(number)
    if parsed is not None and parsed.year is not None:
        year = parsed.year
    elif isinstance(day, date):
        year = decision_year(day, config.numbering.year)
    else:
        raise FormError(f"{shown}: no date found, and the number {number!r} has no year")
    record = {**_before_status(record), "status": status.value, **_after_status(record)}
    path = planned_path(config, number, title, year)
    text = record_text(record, mapped.unmapped, source, path, config)
    return Planned(source, path, number, title, year, text, tuple(mapped.unmapped))


_HEADER_KEYS = ("jmb", "number", "title", "date", "report_by")


def _before_status(record: Mapping[str, Any]) -> dict[str, Any]:
    return {key: record[key] for key in _HEADER_KEYS if key in record}


def _after_status(record: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if key not in _HEADER_KEYS}


def _carry_out(plan: Planned, config: Config, today: date, *, dry_run: bool) -> Imported:
    schema_error = ""
    if not dry_run:
        written = write_numbered(config, plan.number, plan.title, plan.year, plan.text)
        schema_error = written.schema_error
    document = Document(path=display_path(plan.path), text=plan.text)
    parse_text(document)
    findings = check_record(document, plan.path, config, today)
    return Imported(
        source=plan.source,
        path=plan.path,
        number=plan.number,
        findings=findings,
        unmapped=plan.unmapped,
        written=not dry_run,
        schema_error=schema_error,
    )


class _Dumper(yaml.SafeDumper):
    """Prose of several lines as a literal block, as a person writes a record."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def record_text(
    record: Mapping[str, Any],
    unmapped: Sequence[Unmapped],
    source: Path,
    path: Path,
    config: Config,
) -> str:
    """The YAML of ``record``, under a comment naming its source and listing what of the form
    fills no field (one line a piece, which JMB013 reports). It is read back and compared with
    ``record`` before it is returned, so what is written is what was mapped."""
    schema = config.root / "schemas" / SCHEMA_FILE
    schema_path = Path(os.path.relpath(schema, path.parent)).as_posix()
    lines = [
        f"# yaml-language-server: $schema={schema_path}",
        f"# Imported by `jmb import` from {_comment_safe(source.name)}.",
    ]
    if unmapped:
        lines.append(
            "# These pieces of the form fill no field: put each where it belongs (or decide it is not"
        )
        lines.append(
            "# needed), then delete its line. `jmb validate` reports each until then (JMB013)."
        )
        lines += [
            f"{MARK}{_comment_safe(piece.where)}: {json.dumps(_comment_safe(piece.words), ensure_ascii=False)}"
            for piece in unmapped
        ]
    body = yaml.dump(
        dict(record), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2
    )
    text = "\n".join(lines) + "\n" + body
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise FormError(
            f"{display_path(source)}: makes a record of more than {MAX_BYTES:,} bytes, more than "
            "jmb reads as one; is it one decision?"
        )
    if yaml.load(text, Loader=YamlLoader) != dict(record):
        raise RecordError(
            f"{display_path(source)}: the record made of it does not read back as mapped"
        )
    return text


def _comment_safe(text: str) -> str:
    """``text`` on one line with nothing a comment should not hold: control, format and
    invisible characters are dropped (JMB012 would report them), line breaks become spaces."""
    kept = "".join(
        char
        for char in " ".join(text.split())
        if unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
    )
    return printable(kept)


def _read_whole(source: Path, shown: str, reader: Reader) -> list[Block]:
    """The blocks of a form read whole into memory first (text and Markdown)."""
    try:
        data = read_regular_file(source, MAX_FORM_BYTES)
    except NotRegularFileError as error:
        raise FormError(f"{shown}: {error.kind}, not a form") from None
    except FileTooLargeError:
        raise FormError(f"{shown}: larger than {MAX_FORM_BYTES:,} bytes; not a form") from None
    except OSError as error:
        raise FormError(f"{shown}: cannot be read: {error.strerror or error}") from None
    return reader(data, shown)
