"""The form: every section of a decision as the reference form prints it, in one table.

:data:`SECTIONS` is the only place that knows the form's headings, numbers, order and guidance. The
renderers (HTML, Markdown, Word), the scaffold's guidance comments, the JSON Schema's descriptions, the
completeness rule's messages and ``jmb rules`` all read it; none spells a heading itself. An office
whose form differs renames headings in ``jmb.toml`` (``[form.headings]``, keyed by the names below),
and every output honours it through :class:`Form`.

A row is a section a record fills (``background``), the parent of sections it fills
(``implications``: 4 a-d), or a heading the form prints over text that does not come from a record
field (``public_access``: section 6, whose wording is configured).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType


class Kind(StrEnum):
    """What a row of the form holds, which decides how it is checked and printed."""

    #: A line of the header (``Report by``).
    FACT = "fact"
    #: Prose: paragraphs of text.
    TEXT = "text"
    #: A list of entries (recommendation items, background papers, appendices).
    LIST = "list"
    #: A parent whose parts are the rows named ``<key>.<part>``.
    PARTS = "parts"
    #: A heading over content that is not a record field (the signature block, section 6).
    HEADING = "heading"


@dataclass(frozen=True)
class FormSection:
    """One row of the form."""

    #: The dotted field of the record (``implications.risks``), or for a heading that no field
    #: fills, its name (``public_access``).
    key: str
    #: The number as printed (``4a``), empty for an unnumbered section.
    number: str
    #: The heading's words (``Risks``).
    title: str
    kind: Kind
    #: What the section needs, for drafters: the scaffold's comments, the schema, the findings.
    guidance: str = ""
    #: Whether ``[sections] required`` includes it by default.
    required: bool = False
    #: Whether it is one of the numbered sections of the report (Part II of the form).
    in_report: bool = False

    @property
    def heading(self) -> str:
        """The heading as printed on its own: ``4a. Risks``, ``Executive Summary``."""
        return f"{self.number}. {self.title}" if self.number else self.title

    @property
    def parent(self) -> str | None:
        """The key of the row this one is a part of, if any."""
        parent, _, _ = self.key.rpartition(".")
        return parent or None

    @property
    def is_field(self) -> bool:
        """Whether a record field holds it (every kind but a bare heading)."""
        return self.kind is not Kind.HEADING


def _rows(*rows: FormSection) -> Mapping[str, FormSection]:
    return MappingProxyType({row.key: row for row in rows})


#: The reference form, in the order it is printed.
SECTIONS: Mapping[str, FormSection] = _rows(
    FormSection("report_by", "", "Report by", Kind.FACT, "Who wrote the report.", True),
    FormSection(
        "executive_summary",
        "",
        "Executive Summary",
        Kind.TEXT,
        "What the report asks for and why, in a few sentences a member of the public can follow.",
        True,
    ),
    FormSection(
        "recommendation",
        "",
        "Recommendation",
        Kind.PARTS,
        "Who is recommended to do what, and the actions they approve.",
    ),
    FormSection(
        "recommendation.lead",
        "",
        "Recommendation",
        Kind.TEXT,
        "Who is recommended to do what; each item one action the decision-makers approve.",
        True,
    ),
    FormSection(
        "recommendation.items",
        "",
        "Recommendation items",
        Kind.LIST,
        "At least one recommendation.",
        True,
    ),
    FormSection("signature_block", "", "Signatures", Kind.HEADING),
    FormSection("report", "", "Report", Kind.HEADING),
    FormSection(
        "background",
        "1",
        "Background and Advice",
        Kind.TEXT,
        "The facts, the options considered and the advice given.",
        True,
        True,
    ),
    FormSection(
        "plan_links",
        "2",
        "Links to the Police and Crime Plan",
        Kind.TEXT,
        "Which priorities of the Police and Crime Plan this serves, and how.",
        True,
        True,
    ),
    FormSection(
        "consultation",
        "3",
        "Consultation",
        Kind.TEXT,
        "Who was consulted and what they said; if nobody, say why none was needed.",
        True,
        True,
    ),
    FormSection(
        "implications",
        "4",
        "Implications",
        Kind.PARTS,
        "What deciding means for risk, the law, money and equality.",
        in_report=True,
    ),
    FormSection(
        "implications.risks",
        "4a",
        "Risks",
        Kind.TEXT,
        "The risks of deciding and of not deciding.",
        True,
        True,
    ),
    FormSection(
        "implications.legal",
        "4b",
        "Legal",
        Kind.TEXT,
        "The legal basis and legal advice; if none, say why there are no legal implications.",
        True,
        True,
    ),
    FormSection(
        "implications.financial",
        "4c",
        "Financial",
        Kind.TEXT,
        "Costs, budget and funding; if none, say why there are no financial implications.",
        True,
        True,
    ),
    FormSection(
        "implications.equality",
        "4d",
        "Equality considerations",
        Kind.TEXT,
        "How the public sector equality duty was considered; a bare None is not a reason.",
        True,
        True,
    ),
    FormSection(
        "background_papers",
        "5",
        "Background Papers",
        Kind.LIST,
        "Documents relied on, each with a title and a reference (URL or document id).",
        True,
        True,
    ),
    FormSection("public_access", "6", "Public access to information", Kind.HEADING),
    FormSection("exempt_information", "", "Exempt information", Kind.HEADING),
    FormSection(
        "appendices",
        "",
        "Appendices",
        Kind.LIST,
        'Documents attached and referred to in the text as "Appendix A", "Appendix B", ...',
    ),
    FormSection("officer_declaration", "", "Officer declaration", Kind.HEADING),
    FormSection("declaration_block", "", "Declarations", Kind.HEADING),
)


def parts_of(key: str) -> tuple[str, ...]:
    """The fillable sections ``key`` names: itself, or for a parent (``implications``) its parts."""
    section = SECTIONS[key]
    if section.kind is not Kind.PARTS:
        return (key,)
    return tuple(row.key for row in SECTIONS.values() if row.parent == key)


#: The sections a record can be required to fill: the record's fields, parents and parts alike.
FILLABLE: tuple[str, ...] = tuple(row.key for row in SECTIONS.values() if row.is_field)

#: The sections a record must fill by default: every numbered section of the reference form, section 5
#: Background Papers included (the form leaves it blank, which is one of its defects). Appendices are
#: not a section of the form: a decision need not attach any.
DEFAULT_REQUIRED_SECTIONS: tuple[str, ...] = tuple(
    row.key for row in SECTIONS.values() if row.required
)

_NUMBERED = re.compile(r"^(?P<number>[0-9]+[a-z]?|[A-Z]|[ivx]+)\.\s+(?P<title>\S.*)$")


@dataclass(frozen=True)
class Form:
    """The form as one office prints it: the reference form's headings, with the office's own."""

    #: Headings the office renamed, by key, as printed (``"2. Links to the Police, Fire and
    #: Crime Plan"``).
    renamed: dict[str, str] = field(default_factory=dict)

    def heading(self, key: str) -> str:
        """The heading of ``key`` as printed on its own (in a finding, a comment, a title)."""
        return self.renamed.get(key) or SECTIONS[key].heading

    def subheading(self, key: str) -> str:
        """The heading of ``key`` as printed under its parent: ``a. Risks`` under
        ``4. Implications``, as the form does (the parent's number is not repeated)."""
        heading = self.heading(key)
        parent = SECTIONS[key].parent
        numbered = _NUMBERED.match(heading)
        if parent is None or numbered is None:
            return heading
        parent_number = SECTIONS[parent].number
        number = numbered["number"]
        if parent_number and number.startswith(parent_number) and number != parent_number:
            return f"{number[len(parent_number) :]}. {numbered['title']}"
        return heading

    def description(self, key: str) -> str:
        """The heading and what the section needs, for editors and the JSON Schema."""
        section = SECTIONS[key]
        return f"{self.heading(key)}: {section.guidance}" if section.guidance else self.heading(key)


#: The reference form, with no heading renamed.
REFERENCE_FORM = Form()
