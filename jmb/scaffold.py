"""``jmb new``'s core: allocate the next free number and write a record with every section empty."""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jmb._resources import builtin_dir
from jmb.atomic import create_text_exclusive, write_text_atomic
from jmb.config import Config
from jmb.errors import RecordError, UsageError
from jmb.model import SECTIONS
from jmb.numbering import decision_year, number_stem, slugify
from jmb.schema import SCHEMA_FILE, schema_text

TEMPLATE = "record.yaml.j2"

# The number line of a record, read without parsing the YAML so that allocating stays fast on a
# repository of thousands of records.
_NUMBER_LINE = re.compile(
    r"""^number:[ \t]*(?:"(?P<dq>[^"\n]*)"|'(?P<sq>[^'\n]*)'|(?P<plain>[^#\n]*?))[ \t]*(?:#.*)?$""",
    re.MULTILINE,
)

#: How many numbers ``new_record`` tries past one whose file turns out to exist already.
_ATTEMPTS = 50


@dataclass(frozen=True)
class NewRecord:
    """What ``new_record`` wrote."""

    path: Path
    number: str
    #: The JSON Schema file written (or refreshed) for editors, if it was.
    schema: Path | None = None


def new_record(
    config: Config, title: str, *, day: date | None = None, report_by: str | None = None
) -> NewRecord:
    """Create the record of a new decision titled ``title`` and dated ``day`` (default: today).

    The number is the next free one of the date's numbering year. A lock serialises concurrent calls,
    and the file is created exclusively, so no two calls get the same number and no file is replaced.
    """
    from filelock import FileLock, Timeout

    title = " ".join(title.split())
    if not title:
        raise UsageError("the title is empty")
    day = day or date.today()
    year = decision_year(day, config.numbering.year)
    records = config.records_dir
    lock = FileLock(_lock_path(records), timeout=60)
    try:
        with lock:
            seq = next_sequence(config, year)
            for attempt in range(_ATTEMPTS):
                number = config.number_pattern.format(year, seq + attempt)
                path = record_path(config, number, title, year)
                text = _render(config, path, number, title, day, report_by)
                try:
                    create_text_exclusive(path, text)
                except FileExistsError:
                    continue
                return NewRecord(path=path, number=number, schema=_ensure_schema(config))
    except Timeout:
        raise RecordError(
            f"another jmb new has held the lock for 60 s ({lock.lock_file})"
        ) from None
    raise RecordError(f"no free number found after {_ATTEMPTS} tries under {records}")


def next_sequence(config: Config, year: int) -> int:
    """One more than the highest sequence number used in ``year`` (or anywhere, for patterns
    without a year)."""
    pattern = config.number_pattern
    highest = 0
    for number in existing_numbers(config):
        parsed = pattern.parse(number)
        if parsed is not None and (parsed.year is None or parsed.year == year):
            highest = max(highest, parsed.seq)
    return highest + 1


def existing_numbers(config: Config) -> list[str]:
    """The numbers of the records under ``records/``, read from their ``number:`` lines."""
    numbers: list[str] = []
    if not config.records_dir.is_dir():
        return numbers
    for path in config.records_dir.rglob("*.y*ml"):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        match = _NUMBER_LINE.search(text)
        if match:
            numbers.append(
                next(value for value in match.group("dq", "sq", "plain") if value is not None)
            )
    return numbers


def record_path(config: Config, number: str, title: str, year: int) -> Path:
    """Where the record of ``number`` lives: ``records/<year>/<number>-<slug>.yaml``."""
    parsed = config.number_pattern.parse(number)
    folder_year = parsed.year if parsed is not None and parsed.year is not None else year
    return config.records_dir / str(folder_year) / f"{number_stem(number)}-{slugify(title)}.yaml"


def _render(
    config: Config, path: Path, number: str, title: str, day: date, report_by: str | None
) -> str:
    import jinja2

    folders = [config.root / "templates", builtin_dir("templates")]
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in folders]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # YAML, not HTML: values go through the yaml filter instead
    )
    environment.filters["yaml"] = _yaml_string
    deciders = [signature.role for signature in config.signatures if signature.kind == "decision"]
    lead = (
        f"The {' and '.join(deciders)} are recommended to"
        if len(deciders) > 1
        else (f"The {deciders[0]} is recommended to")
    )
    schema = config.root / "schemas" / SCHEMA_FILE
    return environment.get_template(TEMPLATE).render(
        number=number,
        title=title,
        date=day.isoformat(),
        report_by=report_by,
        lead=lead,
        guidance={name: section.guidance for name, section in SECTIONS.items()},
        schema_path=Path(os.path.relpath(schema, path.parent)).as_posix(),
    )


def _yaml_string(value: object) -> str:
    """``value`` as a double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(str(value), ensure_ascii=False)


def _ensure_schema(config: Config) -> Path | None:
    """Write ``schemas/decision.schema.json`` for editors when it is missing or stale."""
    target = config.root / "schemas" / SCHEMA_FILE
    text = schema_text()
    try:
        if target.read_text(encoding="utf-8") == text:
            return None
    except OSError:
        pass
    write_text_atomic(target, text)
    return target


def _lock_path(records: Path) -> Path:
    """A lock file outside the repository, one for each records folder, so jmb leaves nothing behind
    for git to see."""
    digest = hashlib.sha256(str(records.resolve()).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"jmb-new-{digest}.lock"
