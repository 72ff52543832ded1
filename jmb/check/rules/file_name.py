"""The record's file name or folder does not match its number.

Records live at ``records/<year>/<number>-<slug>.yaml``: decision 2019/09 "Single Online Home" is
``records/2019/2019-09-single-online-home.yaml``. The number part of the name must match the number
(the slug may differ, so a retitled decision keeps its file), and a record under ``records/`` must sit in
the folder of its number's year (the date's year when the pattern has no ``{year}``).
"""

import os
from collections.abc import Iterator

from jmb.check.rules.base import Problem, RecordContext
from jmb.core.findings import Severity
from jmb.repo.numbering import decision_year, number_stem

ID = "JMB307"
NAME = "file-name"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "record"
SUPPRESSIBLE = True


def check(context: RecordContext) -> Iterator[Problem]:
    """Report a file name or folder that disagrees with the number."""
    number = context.data.get("number")
    if not isinstance(number, str) or not number.strip():
        return
    stem = number_stem(number)
    name = context.file.stem
    if name != stem and not name.startswith(f"{stem}-"):
        yield Problem(
            ("number",),
            f"the file name {context.file.name!r} does not match the number {number!r} "
            f"(jmb expects {stem}-<title>.yaml)",
        )
    year = expected_year(context, number)
    # Plain string paths, not resolve(): no system calls for each record, and symlinks are the
    # user's business.
    records = os.path.abspath(context.config.records_dir)  # noqa: PTH100
    folder = os.path.dirname(os.path.abspath(context.file))  # noqa: PTH100, PTH120
    in_records = records in (folder, os.path.dirname(folder))  # noqa: PTH120
    if year is not None and in_records and os.path.basename(folder) != str(year):  # noqa: PTH119
        yield Problem(
            ("number",),
            f"the record belongs in records/{year}/, the folder of its year",
        )


def expected_year(context: RecordContext, number: str) -> int | None:
    """The year folder for the record: the number's year, or its date's."""
    parsed = context.config.number_pattern.parse(number)
    if parsed is not None and parsed.year is not None:
        return parsed.year
    day = context.decision_date
    return decision_year(day, context.config.numbering.year) if day is not None else None
