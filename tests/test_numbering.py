from __future__ import annotations

import re
from datetime import date

import pytest

from jmb.repo.numbering import NumberPattern, ParsedNumber, decision_year, number_stem, slugify


@pytest.mark.parametrize(
    ("pattern", "year", "seq", "number"),
    [
        ("{year}/{seq:02d}", 2019, 9, "2019/09"),
        ("{year}/{seq:02d}", 2019, 123, "2019/123"),
        ("{seq:03d}/{year}", 2020, 7, "007/2020"),
        ("WPCC3-{seq:04d}", 2020, 15, "WPCC3-0015"),
        ("JMB {year}-{seq}", 2021, 4, "JMB 2021-4"),
        # Braces doubled are literal braces, read before the fields that follow them.
        ("{{{year}}}/{seq:02d}", 2019, 9, "{2019}/09"),
    ],
)
def test_pattern_formats_and_parses_back(pattern: str, year: int, seq: int, number: str) -> None:
    compiled = NumberPattern(pattern)
    assert compiled.format(year, seq) == number
    expected_year = year if "{year}" in pattern else None
    assert compiled.parse(number) == ParsedNumber(year=expected_year, seq=seq)


@pytest.mark.parametrize(
    "number",
    [
        "2019-09",
        "2019/9",
        "19/09",
        "2019/09 ",
        "x2019/09",
        "2019/ab",
        "2019/09\n",  # "$" would take it: a second spelling of 2019/09
        "\uff12\uff10\uff11\uff19/\uff10\uff19",  # fullwidth digits
        "\u0662\u0660\u0661\u0669/\u0660\u0669",  # Arabic-Indic digits
        "2019/\u0660\u0669",
        "\u09e8\u09e6\u09e7\u09ef/09",  # Bengali digits in the year
        "2019/" + "9" * 5000,  # int() would refuse it with a ValueError
    ],
)
def test_numbers_off_the_default_pattern_do_not_parse(number: str) -> None:
    assert NumberPattern("{year}/{seq:02d}").parse(number) is None


@pytest.mark.parametrize("pattern", ["{year}/{seq:02d}", "{seq:03d}/{year}", "WPCC3-{seq:04d}"])
def test_every_number_a_pattern_makes_reads_back_as_what_made_it(pattern: str) -> None:
    compiled = NumberPattern(pattern)
    for year in (1000, 2019, 9999):
        for seq in (1, 9, 10, 99, 100, 12345):
            parsed = compiled.parse(compiled.format(year, seq))
            assert parsed == ParsedNumber(year if compiled.has_year else None, seq)


def test_one_decision_has_one_identity_however_its_sequence_is_padded() -> None:
    pattern = NumberPattern("{year}/{seq:02d}")
    assert pattern.identity("2019/009") == pattern.identity("2019/09") == ParsedNumber(2019, 9)
    assert pattern.identity("2019/090") != pattern.identity("2019/09")
    assert pattern.identity("2019-09") == "2019-09"  # off the pattern: its text


@pytest.mark.parametrize(
    ("pattern", "complaint"),
    [
        ("{year}", "no {seq}"),
        ("{seq}/{seq}", "more than once"),
        ("{year}/{month}/{seq}", "{month}"),
        ("{seq:4d}", "integer spec"),
        ("{seq:.2f}", "integer spec"),
        ("{seq!r}", "conversion"),
        ("{seq", "not a valid pattern"),
        ("{year:05d}/{seq:02d}", "does not read back"),
        ("{year}/{seq:0\u0662d}", "integer spec"),  # Python's format takes this for 02d
    ],
)
def test_bad_patterns_say_what_is_wrong(pattern: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=re.escape(complaint)):
        NumberPattern(pattern)


@pytest.mark.parametrize(
    ("day", "calendar", "financial"),
    [
        (date(2019, 6, 12), 2019, 2019),
        (date(2020, 3, 31), 2020, 2019),
        (date(2020, 4, 1), 2020, 2020),
        (date(2020, 1, 1), 2020, 2019),
    ],
)
def test_decision_year(day: date, calendar: int, financial: int) -> None:
    assert decision_year(day, "calendar") == calendar
    assert decision_year(day, "financial") == financial


def test_file_name_forms() -> None:
    assert number_stem("2019/09") == "2019-09"
    assert number_stem("WPCC3-0015") == "wpcc3-0015"
    # A stem is ASCII letters, digits and hyphens, whatever the number: it names files.
    assert number_stem("\uff12\uff10\uff11\uff19/\uff10\uff19") == "2019-09"  # fullwidth
    assert number_stem("\u0662\u0660\u0661\u0669/\u0660\u0669") == "2019-09"  # Arabic-Indic
    assert number_stem("D\u00e9cision 2019/09") == "d-cision-2019-09"
    assert number_stem("//") == "decision"  # nothing to keep
    assert number_stem("../../etc/passwd") == "etc-passwd"
    assert number_stem("\u212a-01") == "k-01"  # the Kelvin sign folds to K
    assert number_stem("\u0130-01") == "01"  # a dotted capital I is not an ASCII letter
    assert slugify("Single Online Home") == "single-online-home"
    assert slugify("Café & Co: the £5m question?") == "cafe-co-the-5m-question"
    assert slugify("!!!") == "decision"
    long_slug = slugify("word " * 40)
    assert len(long_slug) <= 60 and not long_slug.endswith("-")
    # At most 60 characters, cut at a word: a slug of exactly 60 is kept whole, one of 61 loses its
    # last word, and a single word longer than that is cut.
    assert slugify("abcdef" + " abcde" * 9) == "abcdef" + "-abcde" * 9
    assert slugify("abcdefg" + " abcde" * 9) == "abcdefg" + "-abcde" * 8
    assert slugify("a" * 70) == "a" * 60
