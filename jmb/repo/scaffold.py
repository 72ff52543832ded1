"""``jmb new``'s core: allocate the next free number and write a record with every section empty."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jmb.core.atomic import create_text_exclusive, write_text_atomic
from jmb.core.errors import RecordError, UsageError
from jmb.core.files import read_regular_file
from jmb.core.locks import held
from jmb.core.templating import Templates
from jmb.record.form import SECTIONS
from jmb.record.schema import SCHEMA_FILE, schema_text
from jmb.repo.config import Config
from jmb.repo.numbering import ParsedNumber, decision_year, number_stem, slugify
from jmb.repo.records import NumberLine, number_lines

TEMPLATE = "record.yaml.j2"

#: How many numbers ``new_record`` tries past one whose file turns out to exist already.
_ATTEMPTS = 50


@dataclass(frozen=True)
class NewRecord:
    """What ``new_record`` wrote."""

    path: Path
    number: str
    #: The JSON Schema file written (or refreshed) for editors, if it was.
    schema: Path | None = None
    #: Why the schema could not be written, if it could not (the record was written all the same).
    schema_error: str = ""


def new_record(
    config: Config, title: str, *, day: date | None = None, report_by: str | None = None
) -> NewRecord:
    """Create the record of a new decision titled ``title`` and dated ``day`` (default: today).

    The number is the next free one of the date's numbering year. A lock serialises concurrent calls
    on this machine, the file is created exclusively, and the numbers are read again once it exists,
    so no two calls get the same number and no file is replaced.
    """
    title = " ".join(title.split())
    if not title:
        raise UsageError("the title is empty")
    for what, text in (("the title", title), ("the report's author", report_by or "")):
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # bytes that were not UTF-8, carried as lone surrogates
            raise UsageError(f"{what} is not UTF-8 text") from None
    day = day or date.today()
    year = decision_year(day, config.numbering.year)
    records = config.records_dir
    if records.exists() and not records.is_dir():
        raise RecordError(f"{records} is a file; jmb keeps records in a folder of that name")
    try:
        with held("new", records, busy="another jmb new"):
            return _create(config, title, day, year, report_by)
    except OSError as error:
        raise RecordError(f"cannot write the record: {error}") from None


def _create(config: Config, title: str, day: date, year: int, report_by: str | None) -> NewRecord:
    pattern = config.number_pattern
    in_use = number_lines(config.records_dir)
    seq = next_sequence(config, year, in_use)
    for attempt in range(_ATTEMPTS):
        number = pattern.format(year, seq + attempt)
        if pattern.parse(number) != ParsedNumber(year if pattern.has_year else None, seq + attempt):
            # A year before 1000 makes "999/01", which no number of four-digit years reads as.
            raise UsageError(
                f"{day.isoformat()} would be numbered {number!r}, which does not fit the numbering "
                f"pattern {pattern.pattern!r}: numbered years have four digits"
            )
        if _clashes(config, number, in_use, None):
            continue  # one spelling of a number in use (2019/010), or the same file name
        path = record_path(config, number, title, year)
        text = _render(config, path, number, title, day, report_by)
        try:
            create_text_exclusive(path, text)
        except FileExistsError:
            continue
        in_use = number_lines(config.records_dir)
        if _clashes(config, number, in_use, path):
            # Another machine sharing this checkout (the lock is per machine) took the number
            # between our reading and our writing: give ours up and take the next.
            path.unlink()
            continue
        schema, schema_error = _ensure_schema(config)
        return NewRecord(path=path, number=number, schema=schema, schema_error=schema_error)
    raise RecordError(f"no free number found after {_ATTEMPTS} tries under {config.records_dir}")


def planned_path(config: Config, number: str, title: str, year: int) -> Path:
    """Where the record of ``number`` titled ``title`` would be written; :class:`RecordError` when a
    record of the repository has that number already (in any spelling, or the same file name)."""
    path = record_path(config, number, title, year)
    if _clashes(config, number, number_lines(config.records_dir), None):
        raise RecordError(f"decision {number} is already in the repository; nothing was written")
    return path


def write_numbered(config: Config, number: str, title: str, year: int, text: str) -> NewRecord:
    """Write ``text`` as the record of ``number`` (given, not allocated: an archived decision keeps
    its number), where ``jmb new`` would put it. Under ``jmb new``'s lock; a number in use, in any
    spelling, is refused and nothing is replaced; the file appears whole or not at all."""
    records = config.records_dir
    if records.exists() and not records.is_dir():
        raise RecordError(f"{records} is a file; jmb keeps records in a folder of that name")
    try:
        with held("new", records, busy="another jmb new"):
            path = planned_path(config, number, title, year)
            try:
                create_text_exclusive(path, text)
            except FileExistsError:
                raise RecordError(f"{path} exists already; nothing was written") from None
            if _clashes(config, number, number_lines(records), path):
                path.unlink()  # another machine sharing the checkout took the number meanwhile
                raise RecordError(
                    f"decision {number} is already in the repository; nothing was written"
                )
    except OSError as error:
        raise RecordError(f"cannot write the record: {error}") from None
    schema, schema_error = _ensure_schema(config)
    return NewRecord(path=path, number=number, schema=schema, schema_error=schema_error)


def next_sequence(config: Config, year: int, in_use: list[NumberLine] | None = None) -> int:
    """One more than the highest sequence number used in ``year`` (or anywhere, for patterns
    without a year), among the numbers ``in_use`` (default: those of the repository's records)."""
    pattern = config.number_pattern
    highest = 0
    for found in in_use if in_use is not None else number_lines(config.records_dir):
        parsed = pattern.parse(found.number)
        if parsed is not None and (parsed.year is None or parsed.year == year):
            highest = max(highest, parsed.seq)
    return highest + 1


def _clashes(config: Config, number: str, in_use: list[NumberLine], mine: Path | None) -> bool:
    """Whether a record other than ``mine`` has ``number``, in any spelling of it, or a number
    whose file name is the same (its outputs would overwrite each other)."""
    pattern = config.number_pattern
    identity = pattern.identity(number)
    stem = number_stem(number)
    return any(
        found.path != mine
        and (pattern.identity(found.number) == identity or number_stem(found.number) == stem)
        for found in in_use
    )


def record_path(config: Config, number: str, title: str, year: int) -> Path:
    """Where the record of ``number`` lives: ``records/<year>/<number>-<slug>.yaml``."""
    parsed = config.number_pattern.parse(number)
    folder_year = parsed.year if parsed is not None and parsed.year is not None else year
    return config.records_dir / str(folder_year) / f"{number_stem(number)}-{slugify(title)}.yaml"


def _render(
    config: Config, path: Path, number: str, title: str, day: date, report_by: str | None
) -> str:
    templates = Templates(config.template_dirs)  # YAML, not HTML: values go through the yaml filter
    templates.environment.filters["yaml"] = _yaml_string
    deciders = [signature.role for signature in config.signatures if signature.kind == "decision"]
    lead = (
        f"The {' and '.join(deciders)} are recommended to"
        if len(deciders) > 1
        else (f"The {deciders[0]} is recommended to")
    )
    schema = config.root / "schemas" / SCHEMA_FILE
    form = config.printed_form
    # A part is printed under its parent without the number they share, as the form prints it.
    heading = {
        key: form.subheading(key) if row.parent else form.heading(key)
        for key, row in SECTIONS.items()
    }
    return templates.render(
        TEMPLATE,
        number=number,
        title=title,
        date=day.isoformat(),
        report_by=report_by,
        lead=lead,
        heading=heading,
        guidance={key: row.guidance for key, row in SECTIONS.items()},
        comment={
            key: f"{heading[key]}: {row.guidance}" if row.guidance else heading[key]
            for key, row in SECTIONS.items()
        },
        schema_path=Path(os.path.relpath(schema, path.parent)).as_posix(),
    )


def _yaml_string(value: object) -> str:
    """``value`` as a double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(str(value), ensure_ascii=False)


def _ensure_schema(config: Config) -> tuple[Path | None, str]:
    """Write ``schemas/decision.schema.json`` for editors when it is missing or stale.

    The record is already written by then, so a failure here is reported, not raised."""
    target = config.root / "schemas" / SCHEMA_FILE
    text = schema_text()
    try:
        # A regular file only: a FIFO in its place must not hang jmb new (it is replaced).
        if read_regular_file(target, len(text.encode("utf-8"))).decode("utf-8") == text:
            return None, ""
    except (OSError, UnicodeDecodeError):
        pass
    try:
        write_text_atomic(target, text)
    except OSError as error:
        return None, f"cannot write {target} for editor completion: {error.strerror or error}"
    return target, ""
