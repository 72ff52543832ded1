"""The one reader of dates as typed in an office, which the schema rule's advice and jmb import share."""

from __future__ import annotations

from datetime import date

import pytest

from jmb.core.typed_dates import typed_date


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("12/06/2026", date(2026, 6, 12)),
        ("12-06-2026", date(2026, 6, 12)),
        ("12.06.2026", date(2026, 6, 12)),
        ("2026-6-12", date(2026, 6, 12)),
        ("12th of June 2026", date(2026, 6, 12)),
        ("Friday 12 Jun. 2026", date(2026, 6, 12)),
        ("June 12, 2026", date(2026, 6, 12)),
        ("\u201c12 June 2026\u201d", date(2026, 6, 12)),
        ("12/06/26", None),  # no century is guessed for a record's date
        ("31/02/2026", None),
        ("12/06-2026", None),
        ("12 Junk 2026", None),
        ("on 12/06/2026", None),  # the whole value must be the date
    ],
)
def test_a_whole_value(typed: str, meant: date | None) -> None:
    assert typed_date(typed) == meant


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ("Date of decision: 2019-06-12 (JMB)", date(2019, 6, 12)),  # not 19 June 2012
        ("Signed 23/10/13 by the PCC", date(2013, 10, 23)),
        ("Date: 12 JUNE 2019", date(2019, 6, 12)),
        ("Reference 123/06/2019", None),
        ("No date here", None),
    ],
)
def test_a_date_in_a_line_of_an_archived_form(line: str, found: date | None) -> None:
    assert typed_date(line, anywhere=True, short_years=True) == found
