"""The confidential Part 2 of a decision: the only module of jmb's outputs that reads Part 2 content.

It builds the :class:`Part2View` that the Part 2 templates and the Word writer render, and answers the
questions Part 1 may ask of a Part 2: whether there is one, which exemption it relies on
(:func:`exemption_notice`) and when that is to be reviewed (:func:`exemption_review`). Nothing else that renders or publishes reads ``record.part2``; a test of the
code's structure holds every module to that.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jmb.record.model import Record
from jmb.render.blocks import blocks
from jmb.render.views import Header, Heading, Section, header, is_draft, line, long_date
from jmb.repo.config import Config


@dataclass(frozen=True)
class Part2View:
    """The confidential Part 2: its marking, the exemption and its review date, the sections."""

    header: Header
    draft: bool
    status: str
    marking: str
    exemption: str
    review_on: str
    sections: tuple[Section, ...]
    lang: str = "en-GB"
    part: int = 2


def has_part2(record: Record) -> bool:
    """Whether ``record`` has a Part 2 at all."""
    return record.part2 is not None


def exemption_notice(record: Record) -> str | None:
    """What Part 1 states of a Part 2: ``None`` when there is none, else the exemption it relies
    on, on one line (empty when none is given)."""
    return line(record.part2.exemption) if record.part2 is not None else None


def exemption_review(record: Record) -> date | None:
    """When the exemption a Part 2 relies on is to be reviewed, if it says: a date the public
    register states beside the exemption, and an office must act on."""
    return record.part2.review_on if record.part2 is not None else None


def part2_view(record: Record, config: Config, *, draft: bool = False) -> Part2View:
    """The confidential Part 2 of ``record``; the record must have one."""
    part2 = record.part2
    if part2 is None:
        raise ValueError(f"{record.number} has no Part 2")
    return Part2View(
        header=header(record, config),
        draft=is_draft(record, draft),
        status=str(record.status),
        marking=line(part2.marking),
        exemption=line(part2.exemption),
        review_on=long_date(part2.review_on),
        sections=tuple(
            Section(Heading(f"{index}. {line(section.heading)}"), blocks(section.text))
            for index, section in enumerate(part2.sections or (), start=1)
        ),
    )
