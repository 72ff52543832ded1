"""Issue 11: the dates and quotes Word users type, read as they meant them.

The acceptance cases (tests/cases/JMB001, JMB007, JMB014) show the findings in a record; these pin
the readings themselves: a date is read day first, as UK offices write, and text that is no date
gives no example; a value is in curly quotes only when the quotes wrap the whole of it.
"""

from __future__ import annotations

from datetime import date

import pytest

from jmb.check.rules.curly_quotes import in_curly_quotes
from jmb.check.rules.schema import meant_date


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("12/06/2026", date(2026, 6, 12)),
        ("12-06-2026", date(2026, 6, 12)),
        ("12.06.2026", date(2026, 6, 12)),
        ("1/6/2026", date(2026, 6, 1)),
        ("12 June 2026", date(2026, 6, 12)),
        ("12th June 2026", date(2026, 6, 12)),
        ("1st of June 2026", date(2026, 6, 1)),
        ("Friday 12 June 2026", date(2026, 6, 12)),
        ("Fri, 12 Jun. 2026", date(2026, 6, 12)),
        ("12 Sept 2026", date(2026, 9, 12)),
        ("June 12, 2026", date(2026, 6, 12)),
        ("2026-6-12", date(2026, 6, 12)),
        ("2026/06/12", date(2026, 6, 12)),
        ("\u201c12/06/2026\u201d", date(2026, 6, 12)),
        (" 12 JUNE 2026 ", date(2026, 6, 12)),
    ],
)
def test_a_typed_date_is_read_day_first(typed: str, meant: date) -> None:
    assert meant_date(typed) == meant


@pytest.mark.parametrize(
    "typed",
    [
        "31/06/2026",  # no such day
        "12/13/2026",  # no thirteenth month: not read month first either
        "12/06/26",  # which century is not for jmb to guess
        "12/06-2026",
        "12 Junk 2026",
        "next Tuesday",
        "TBC",
        "",
        "12/06/2026 and 13/06/2026",
        "1" * 100,
    ],
)
def test_text_that_is_no_date_gives_no_example(typed: str) -> None:
    assert meant_date(typed) is None


def test_only_text_is_read_as_a_typed_date() -> None:
    assert meant_date(20260612) is None
    assert meant_date(None) is None


@pytest.mark.parametrize(
    "value",
    [
        "\u201cSingle Online Home\u201d",
        "\u2018Single Online Home\u2019",
        "\u2018Officer\u2019s report\u2019",  # an apostrophe inside single quotes
        "\u201eEinzige Online-Startseite\u201c",
        "\u201e\u201d",
    ],
)
def test_a_value_wholly_in_curly_quotes(value: str) -> None:
    assert in_curly_quotes(value)


@pytest.mark.parametrize(
    "value",
    [
        "\u201cYes,\u201d said the board, \u201cwe agree\u201d",  # two quotations in a sentence
        "\u201cThe report\u201d is the paper",  # a quotation that the sentence goes on after
        "the \u201csingle online home\u201d paper",
        "\u2018a\u2018 b\u2019",
        "\u201cunclosed",
        "\u201c",
        '"straight quotes"',
        "\u201cmismatched\u2019",
    ],
)
def test_prose_with_quotations_is_not_in_curly_quotes(value: str) -> None:
    assert not in_curly_quotes(value)
