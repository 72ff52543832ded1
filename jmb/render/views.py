"""What the templates see: a Part 1 view and a Part 2 view of a record, built from the record.

Part 2 content never reaching a Part 1 output is made structural here: :class:`Part1View` has no field
that can hold Part 2 content. The only thing Part 1 says of a Part 2 is that it exists and which
exemption it relies on, as the form requires (:attr:`Part1View.exemption`). Templates, writers and
metadata for Part 1 are given a :class:`Part1View` and nothing else.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from jmb.record.model import SIGNED_STATUSES, Implications, Record, Signature
from jmb.repo.config import Config

_BLANK_LINES = re.compile(r"\n[ \t]*\n")


def paragraphs(text: str | None) -> tuple[str, ...]:
    """``text`` as paragraphs: split at blank lines, each one's line breaks read as spaces (a YAML
    block keeps the writer's wrapping, which is not meant as a break)."""
    if not text:
        return ()
    return tuple(
        " ".join(chunk.split()) for chunk in _BLANK_LINES.split(text.strip()) if chunk.strip()
    )


def line(text: str | None) -> str:
    """``text`` as one line: a field shown inline (a title, a name, a lead) cannot start a new
    paragraph, list or table row in the output, whatever line breaks it holds."""
    return " ".join((text or "").split())


def long_date(day: date | None) -> str:
    """``12 June 2019``: the form's way of writing a date (empty for none)."""
    return f"{day.day} {day:%B %Y}" if day is not None else ""


@dataclass(frozen=True)
class Header:
    """The head of the form, the same on both parts."""

    organisation: str
    strapline: str
    board: str
    number: str
    date: str
    date_iso: str
    title: str
    report_by: str


@dataclass(frozen=True)
class Section:
    """A numbered section of the report, with its subsections (4 a-d)."""

    number: str
    heading: str
    paragraphs: tuple[str, ...]
    subsections: tuple[Section, ...] = ()


@dataclass(frozen=True)
class SignatureLine:
    """A line of the signature block: filled when signed, blank to sign on paper otherwise."""

    role: str
    name: str
    date: str
    #: The declaration's text, for declarations; empty for decision-makers.
    statement: str = ""

    @property
    def signed(self) -> bool:
        """Whether a name and a date are filled in."""
        return bool(self.name and self.date)


@dataclass(frozen=True)
class Paper:
    """A background paper or an appendix, as listed."""

    label: str
    title: str
    reference: str


@dataclass(frozen=True)
class Part1View:
    """The public Part 1 of a decision. It has no field for Part 2 content (see the module)."""

    header: Header
    draft: bool
    status: str
    executive_summary: tuple[str, ...]
    recommendation_lead: str
    recommendations: tuple[str, ...]
    signatures: tuple[SignatureLine, ...]
    sections: tuple[Section, ...]
    background_papers: tuple[Paper, ...]
    access_statement: tuple[str, ...]
    appendices: tuple[Paper, ...]
    declarations: tuple[SignatureLine, ...]
    #: The FOI exemption a Part 2 relies on, when the record has one: the one Part 2 fact that
    #: Part 1 states, as the form requires.
    exemption: str | None
    lang: str = "en-GB"
    part: int = 1


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


def _header(record: Record, config: Config) -> Header:
    return Header(
        organisation=config.organisation.name,
        strapline=config.organisation.strapline,
        board=line(record.board or config.board.name),
        number=line(record.number),
        date=long_date(record.date),
        date_iso=record.date.isoformat(),
        title=line(record.title),
        report_by=line(record.report_by),
    )


def _is_draft(record: Record, draft: bool) -> bool:
    """A banner is due when asked for, and on anything not yet approved."""
    return draft or record.status not in SIGNED_STATUSES


def _signature_lines(record: Record, config: Config, kind: str) -> tuple[SignatureLine, ...]:
    signed: dict[str, Signature] = {}
    for signature in record.signatures or ():
        signed.setdefault(signature.role, signature)
    lines = []
    for role in config.signatures:
        if role.kind != kind:
            continue
        found = signed.get(role.role)
        lines.append(
            SignatureLine(
                role=line(role.role),
                name=line(found.name) if found else "",
                date=long_date(found.date) if found else "",
                statement=line(role.statement),
            )
        )
    return tuple(lines)


def part1_view(record: Record, config: Config, *, draft: bool = False) -> Part1View:
    """The public Part 1 of ``record``."""
    implications = record.implications or Implications()
    recommendation = record.recommendation
    return Part1View(
        header=_header(record, config),
        draft=_is_draft(record, draft),
        status=str(record.status),
        executive_summary=paragraphs(record.executive_summary),
        recommendation_lead=line(recommendation.lead) if recommendation else "",
        recommendations=tuple(line(item) for item in (recommendation.items or ()) if item.strip())
        if recommendation
        else (),
        signatures=_signature_lines(record, config, "decision"),
        sections=(
            Section("1", "Background and Advice", paragraphs(record.background)),
            Section("2", "Links to the Police and Crime Plan", paragraphs(record.plan_links)),
            Section("3", "Consultation", paragraphs(record.consultation)),
            Section(
                "4",
                "Implications",
                (),
                (
                    Section("a", "Risks", paragraphs(implications.risks)),
                    Section("b", "Legal", paragraphs(implications.legal)),
                    Section("c", "Financial", paragraphs(implications.financial)),
                    Section(
                        "d",
                        "Equality considerations",
                        paragraphs(implications.equality),
                    ),
                ),
            ),
        ),
        background_papers=tuple(
            Paper("", line(paper.title), line(paper.reference))
            for paper in record.background_papers or ()
        ),
        access_statement=paragraphs(
            config.publication.access_statement.format(working_days=config.publication.working_days)
        ),
        appendices=tuple(
            Paper(appendix.label, line(appendix.title), line(appendix.file))
            for appendix in record.appendices or ()
        ),
        declarations=_signature_lines(record, config, "declaration"),
        exemption=line(record.part2.exemption) if record.part2 is not None else None,
    )


def part2_view(record: Record, config: Config, *, draft: bool = False) -> Part2View:
    """The confidential Part 2 of ``record``; the record must have one."""
    part2 = record.part2
    if part2 is None:
        raise ValueError(f"{record.number} has no Part 2")
    return Part2View(
        header=_header(record, config),
        draft=_is_draft(record, draft),
        status=str(record.status),
        marking=line(part2.marking),
        exemption=line(part2.exemption),
        review_on=long_date(part2.review_on),
        sections=tuple(
            Section(str(index), line(section.heading), paragraphs(section.text))
            for index, section in enumerate(part2.sections or (), start=1)
        ),
    )


View = TypeVar("View")


def map_text(view: View, change: Callable[[str], str]) -> View:
    """A copy of ``view`` with ``change`` applied to every string in it (for escaping a whole view
    for a format, so that no template can forget to)."""
    return _map(view, change)  # type: ignore[no-any-return]


def _map(value: Any, change: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return change(value)
    if isinstance(value, tuple):
        return tuple(_map(item, change) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(
            value,
            **{
                field.name: _map(getattr(value, field.name), change)
                for field in dataclasses.fields(value)
            },
        )
    return value
