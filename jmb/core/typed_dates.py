"""Dates as people type them in an office, read day first as UK offices write them.

Two places read such dates: the schema rule, which turns ``date: 12/06/2026`` into the advice
"e.g. 2026-06-12", and ``jmb import``, which finds the date on an archived form ("12th June 2019",
"23/10/2013"). One reader serves both, so that they never disagree on what a typed date means.
"""

from __future__ import annotations

import re
from datetime import date

#: Month names and their usual short forms, lower case.
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}

_MONTH = r"(?P<month>[a-z]{3,9})\.?"
_DAY = r"(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>[0-9]{4}|[0-9]{2})"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
# The year first with short parts (2026-6-12) comes first: searched for inside a line, the day-first
# form would otherwise read 2019-06-12 as 19 June 2012. Then day first (12/06/2026, 12-06-2026,
# 12.06.2026, 12 June 2026, 12th of June 2026), and the month named first (June 12, 2026), which
# cannot be misread. No digit may run on either side: 123/06/2019 is no date.
_TYPED = tuple(
    re.compile(rf"(?<![0-9]){pattern}(?![0-9])", re.IGNORECASE)
    for pattern in (
        r"(?P<year>[0-9]{4})(?P<sep>[/.-])(?P<number>[0-9]{1,2})(?P=sep)" + _DAY,
        _DAY + r"(?P<sep>[/.-])(?P<number>[0-9]{1,2})(?P=sep)" + _YEAR,
        rf"{_WEEKDAY}{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}",
        rf"{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}",
    )
)


def typed_date(text: str, *, anywhere: bool = False, short_years: bool = False) -> date | None:
    """The date ``text`` was typed as (``12/06/2026``, ``12 June 2026``, ``2026-6-12``), day first;
    ``None`` when it holds none, or names a day that does not exist (31/02/2026).

    The whole of ``text`` must be the date, but for quotes and spaces around it, unless
    ``anywhere``, which finds the first date in a line of text. A two-digit year is read as this
    century's only with ``short_years`` (an archived form's ``23/10/13``); otherwise such a text is
    no date, so that no century is guessed."""
    typed = text if anywhere else text.strip().strip("\"'\u201c\u201d\u2018\u2019").strip()
    for pattern in _TYPED:
        match = pattern.search(typed) if anywhere else pattern.fullmatch(typed)
        if match is None:
            continue
        parts = match.groupdict()
        month = int(parts["number"]) if parts.get("number") else MONTHS.get(parts["month"].lower())
        year = int(parts["year"])
        if month is None or (len(parts["year"]) == 2 and not short_years):
            return None
        try:
            return date(year + 2000 if year < 100 else year, month, int(parts["day"]))
        except ValueError:
            return None
    return None
