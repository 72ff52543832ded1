"""Decision numbers: the configured pattern, parsing a number back into year and sequence, years of dates."""

from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Literal

YearKind = Literal["calendar", "financial"]

# Only zero-padded integer specs: "4d" would pad with spaces, which no number should contain. Digits
# are ASCII throughout: Python's \d, int() and format specs also take the digits of other scripts
# (Arabic-Indic, fullwidth), which would make a second spelling of a number already taken.
_SPEC = re.compile(r"(?:0(?P<width>[1-9][0-9]?))?d?", re.ASCII)
#: The most digits a sequence number may have (a spec's width is at most 99).
_MOST_DIGITS = 100


def decision_year(day: date, kind: YearKind) -> int:
    """The numbering year of ``day``: the calendar year, or the year its April-to-March financial year starts."""
    if kind == "financial" and day.month < 4:
        return day.year - 1
    return day.year


@dataclass(frozen=True)
class ParsedNumber:
    """A decision number taken apart by its pattern."""

    year: int | None
    seq: int


class NumberPattern:
    """A numbering pattern such as ``{year}/{seq:02d}`` or ``WPCC3-{seq:04d}``.

    ``{seq}`` must appear once and ``{year}`` at most once; each may carry an integer format spec
    (``d``, ``02d``, ``04d``). Everything else is literal text.
    """

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        regex: list[str] = []
        seen: list[str] = []
        try:
            parts = list(string.Formatter().parse(pattern))
        except ValueError as error:
            raise ValueError(f"{pattern!r} is not a valid pattern: {error}") from None
        for literal, name, spec, conversion in parts:
            regex.append(re.escape(literal))
            if name is None:
                continue
            if name not in ("year", "seq"):
                raise ValueError(
                    f"{pattern!r} uses {{{name}}}; only {{year}} and {{seq}} are known"
                )
            if name in seen:
                raise ValueError(f"{pattern!r} uses {{{name}}} more than once")
            if conversion:
                raise ValueError(
                    f"{pattern!r} uses a conversion (!{conversion}); give a format spec"
                )
            spec_match = _SPEC.fullmatch(spec or "")
            if spec_match is None:
                raise ValueError(
                    f"{pattern!r} gives {{{name}}} the spec {spec!r}; use an integer spec such as 02d"
                )
            seen.append(name)
            width = int(spec_match["width"] or 0)
            if name == "year":
                regex.append(r"(?P<year>[0-9]{4})")
            else:
                # At most _MOST_DIGITS: int() refuses strings of thousands of digits (with a
                # ValueError), and no decision is numbered beyond any width a spec can give.
                least = max(width, 1)
                regex.append(rf"(?P<seq>[0-9]{{{least},{_MOST_DIGITS}}})")
        if "seq" not in seen:
            raise ValueError(f"{pattern!r} has no {{seq}}; every number needs a sequence")
        self.has_year = "year" in seen
        # Matched whole (fullmatch, not "$", which also matches before a final newline).
        self._regex = re.compile("".join(regex), re.ASCII)
        # A number must read back as what it was made from, or jmb new would allocate the same
        # number twice; check now, not at the first jmb new.
        for year, seq in ((2019, 9), (2020, 123)):
            if self.parse(self.format(year, seq)) != ParsedNumber(
                year if self.has_year else None, seq
            ):
                raise ValueError(
                    f"{pattern!r} makes {self.format(year, seq)!r}, which does not read back as "
                    f"year {year}, number {seq}; give {{year}} no spec (it is always four digits)"
                )

    def format(self, year: int, seq: int) -> str:
        """The number for ``year`` and ``seq``."""
        return self.pattern.format(year=year, seq=seq)

    def parse(self, number: str) -> ParsedNumber | None:
        """The year and sequence of ``number``, or ``None`` when it does not fit the pattern."""
        match = self._regex.fullmatch(number)
        if match is None:
            return None
        year = int(match["year"]) if self.has_year else None
        return ParsedNumber(year=year, seq=int(match["seq"]))

    def identity(self, number: str) -> ParsedNumber | str:
        """What makes two numbers one decision: the year and sequence of a number that fits the
        pattern (so ``2019/009`` is ``2019/09``), else the number's text."""
        parsed = self.parse(number)
        return parsed if parsed is not None else number


def number_stem(number: str) -> str:
    """The file-name form of a number: ``2019/09`` becomes ``2019-09``.

    The stem names the record's file and its rendered outputs, so it is plain ASCII (letters, digits
    and hyphens) whatever the number holds: compatibility forms are folded and the digits of every
    script read as ASCII digits first (``2019/09`` in fullwidth or Arabic-Indic digits makes
    ``2019-09`` too, and the duplicate-number check reports the pair), anything else becomes a
    hyphen, and a number with no letter or digit to keep makes ``decision``.
    """
    folded = unicodedata.normalize("NFKC", number)
    if not folded.isascii():
        folded = "".join(_ascii_digit(char) for char in folded)
    lowered = re.sub(r"[A-Z]+", lambda capitals: capitals.group().lower(), folded)
    return re.sub(r"[^a-z0-9]+", "-", lowered).strip("-") or "decision"


def _ascii_digit(char: str) -> str:
    """``char`` as an ASCII digit when it is a decimal digit of any script, else as it is."""
    value = unicodedata.decimal(char, None)
    return str(value) if value is not None else char


def slugify(title: str, *, limit: int = 60) -> str:
    """A lower-case, hyphenated, ASCII slug of a title, cut at a word boundary near ``limit``."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit and slug:
            break
        slug = candidate
    return slug[:limit] or "decision"
