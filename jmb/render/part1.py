"""The public Part 1 of a decision, as the templates and the Word writer see it.

Part 2 content never reaching a Part 1 output is made structural here: :class:`Part1View` has no field
that can hold Part 2 content. The only thing Part 1 says of a Part 2 is that it exists and which
exemption it relies on, as the form requires; that one fact is asked of :mod:`jmb.render.part2`, the
only module that reads Part 2. Templates, writers and metadata for Part 1 are given a
:class:`Part1View` and nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any

from jmb.record.form import SECTIONS, Form, Kind
from jmb.record.model import Record
from jmb.render.blocks import Block, Inline, blocks, inlines
from jmb.render.part2 import exemption_notice, exemption_review
from jmb.render.views import (
    Header,
    Heading,
    Paper,
    Section,
    SignatureLine,
    header,
    is_draft,
    line,
    link_target,
    signature_lines,
)
from jmb.repo.config import Config


@dataclass(frozen=True)
class Part1View:
    """The public Part 1 of a decision. It has no field for Part 2 content (see the module)."""

    header: Header
    draft: bool
    status: str
    #: Every heading of the form as this office prints it, by its key in the form
    #: (``view.headings.executive_summary``); the report's numbered sections carry their own.
    headings: Mapping[str, str]
    executive_summary: tuple[Block, ...]
    recommendation_lead: str
    #: Each item on one line: bold, italic and links at most (see :func:`~jmb.render.blocks.inlines`).
    recommendations: tuple[tuple[Inline, ...], ...]
    signatures: tuple[SignatureLine, ...]
    #: The numbered sections of the report with text (1 to 4), in the form's order.
    sections: tuple[Section, ...]
    background_papers: tuple[Paper, ...]
    access_statement: tuple[Block, ...]
    appendices: tuple[Paper, ...]
    declarations: tuple[SignatureLine, ...]
    #: The FOI exemption a Part 2 relies on, when the record has one: the one Part 2 fact that
    #: Part 1 states, as the form requires.
    exemption: str | None
    #: When that exemption is to be reviewed, when the Part 2 says (the register states it too).
    exemption_review_on: date | None
    lang: str = "en-GB"
    part: int = 1

    @property
    def exempt_under(self) -> str:
        """The law the Part 2 is exempt from publication under, naming the Act once (see
        :func:`exempt_under`); empty when there is no Part 2."""
        return exempt_under(self.exemption) if self.exemption is not None else ""


def part1_view(record: Record, config: Config, *, draft: bool) -> Part1View:
    """The public Part 1 of ``record``, with a draft's banner when ``draft`` or not yet approved
    (see :func:`~jmb.render.views.is_draft`). Every caller says which: the site never wants the
    banner, a preview or ``render --draft`` does."""
    form = config.printed_form
    data = record.model_dump(include=set(_REPORT_TEXT))
    recommendation = record.recommendation
    return Part1View(
        header=header(record, config),
        draft=is_draft(record, draft),
        status=str(record.status),
        headings=MappingProxyType({key: Heading(form.heading(key)) for key in SECTIONS}),
        executive_summary=blocks(record.executive_summary),
        recommendation_lead=line(recommendation.lead) if recommendation else "",
        recommendations=tuple(
            inlines(item) for item in (recommendation.items or ()) if item.strip()
        )
        if recommendation
        else (),
        signatures=signature_lines(record, config, "decision"),
        sections=tuple(_report_section(key, data, form) for key in _REPORT_TEXT),
        background_papers=tuple(
            Paper("", line(paper.title), line(paper.reference), link_target(line(paper.reference)))
            for paper in record.background_papers or ()
        ),
        access_statement=blocks(config.publication.access_text()),
        appendices=tuple(
            Paper(appendix.label, line(appendix.title), line(appendix.file))
            for appendix in record.appendices or ()
        ),
        declarations=signature_lines(record, config, "declaration"),
        exemption=exemption_notice(record),
        exemption_review_on=exemption_review(record),
    )


#: The Act a Part 2 is exempt under when its exemption names none: the form's.
FOI_ACT = "the Freedom of Information Act 2000"
#: An exemption that names a law ("Freedom of Information Act 2000, section 43", "FOIA s.43",
#: "Environmental Information Regulations 2004, regulation 12(5)(e)") is stated as written.
_NAMES_A_LAW = re.compile(r"\b(?:FOIA?|EIR|Act|Regulations?)\b")
_NAMES_FOI = re.compile(r"freedom\s+of\s+information", re.IGNORECASE)
#: An exemption that starts with the law's name ("Freedom of Information Act 2000, s.43") reads
#: after "under" with "the"; "section 43 of the Act" or "FOIA s.43" does not.
_STARTS_WITH_LAW = re.compile(r"(?!The\b)[A-Z](?:(?!\bthe\b)[^,;:()])*?\b(?:Act|Regulations)\b")


def exempt_under(exemption: str) -> str:
    """What Part 1 says a Part 2 is exempt from publication under, naming the Act once: the
    form's Act with the exemption after it (``the Freedom of Information Act 2000: s.43
    commercial interests``), or the exemption alone when it names a law itself
    (``the Freedom of Information Act 2000, section 43``), or the Act alone when none is given."""
    if not exemption:
        return FOI_ACT
    if not (_NAMES_A_LAW.search(exemption) or _NAMES_FOI.search(exemption)):
        return f"{FOI_ACT}: {exemption}"
    return f"the {exemption}" if _STARTS_WITH_LAW.match(exemption) else exemption


#: The report's sections of text, in the form's order: 1 to 4, with 4's parts under it.
_REPORT_TEXT = tuple(
    row.key
    for row in SECTIONS.values()
    if row.in_report and row.parent is None and row.kind in (Kind.TEXT, Kind.PARTS)
)


def _report_section(key: str, data: dict[str, Any], form: Form) -> Section:
    row = SECTIONS[key]
    if row.kind is Kind.PARTS:
        parts = data.get(key) or {}
        return Section(
            Heading(form.heading(key)),
            (),
            tuple(
                Section(
                    Heading(form.subheading(part.key)),
                    blocks(parts.get(part.key.split(".")[-1])),
                )
                for part in SECTIONS.values()
                if part.parent == key
            ),
        )
    return Section(Heading(form.heading(key)), blocks(data.get(key)))
