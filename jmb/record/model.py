"""Record format 1: the pydantic models of a decision record, and the sections of the reference form.

The models are the public contract of the YAML files (``schemas/decision.schema.json`` is generated from
them). Sections are optional in the models so that a draft can leave them empty; whether a section must
be filled is the completeness rules' business, driven by the configuration.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as Date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from jmb.core.constants import FORMAT_VERSION


class Status(StrEnum):
    """Where a decision is in its life."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    DEFERRED = "deferred"
    WITHDRAWN = "withdrawn"
    PUBLISHED = "published"

    @classmethod
    def parse(cls, value: object) -> Status | None:
        """``value`` as a status, or ``None`` when it is not one (the schema reports it)."""
        try:
            return cls(value) if isinstance(value, str) else None
        except ValueError:
            return None


#: Statuses at which a record must be complete: everything after ``draft``.
SUBMITTED_OR_LATER = frozenset(Status) - {Status.DRAFT}

#: Statuses at which every configured signature must be present.
SIGNED_STATUSES = frozenset({Status.APPROVED, Status.PUBLISHED})


class _Strict(BaseModel):
    """Unknown keys are findings, never silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


Text = str | None
#: Text that must say something: blank is as good as missing.
NonBlank = Annotated[str, Field(pattern=r"\S")]


class Recommendation(_Strict):
    """What the decision-makers are asked to do."""

    lead: Text = Field(
        None,
        description='The opening words, e.g. "The Police and Crime Commissioner and Chief Constable '
        'are recommended to".',
    )
    items: list[str] | None = Field(None, description="The numbered recommendations; at least one.")


class Implications(_Strict):
    """Section 4 of the report."""

    risks: Text = Field(None, description="a. Risks")
    legal: Text = Field(None, description="b. Legal")
    financial: Text = Field(None, description="c. Financial")
    equality: Text = Field(None, description="d. Equality considerations")


class BackgroundPaper(_Strict):
    """A document the report relied on (section 5)."""

    title: NonBlank
    reference: str | None = Field(None, description="A URL or a document id.")


class Appendix(_Strict):
    """A document attached to the decision and referred to as "Appendix <label>"."""

    label: str = Field(pattern=r"^[A-Z0-9]{1,3}$", description='The letter, e.g. "A".')
    title: NonBlank
    file: str | None = Field(None, description="Path of the attached file, relative to the record.")


class Part2Section(_Strict):
    """One section of the confidential Part 2."""

    heading: NonBlank
    text: Text = None


class Part2(_Strict):
    """The confidential Part 2: information withheld from publication, and the legal basis for it."""

    marking: str | None = Field(None, description="Protective marking, e.g. OFFICIAL-SENSITIVE.")
    exemption: str | None = Field(
        None, description='The FOI Act exemption relied on, e.g. "s.43 commercial interests".'
    )
    review_on: Date | None = Field(None, description="When the exemption is to be reviewed.")
    sections: list[Part2Section] | None = None


class Signature(_Strict):
    """A sign-off by the holder of a configured role."""

    role: NonBlank
    name: str | None = None
    date: Date | None = None
    digest: str | None = Field(
        None,
        description='What was signed: "sha256:" and the hex SHA-256 of the record\'s canonical '
        "content (every field but status, signatures and history). Written by jmb sign.",
    )
    key_id: str | None = Field(
        None, description="The signatory's key in signatories.yaml, for a cryptographic signature."
    )
    signature: str | None = Field(
        None,
        description="Base64 of the Ed25519 signature over the statement binding the record's "
        "number, role, name, date and digest.",
    )


class HistoryEntry(_Strict):
    """One step of a decision's life: the status it moved to, when, and why."""

    status: Status
    date: Date
    note: str | None = None


class Record(_Strict):
    """One decision of the board: record format 1."""

    model_config = ConfigDict(
        extra="forbid",
        title="jmb decision record",
    )

    jmb: Literal[1] = Field(description="Record format version.")
    number: str = Field(pattern=r"\S", description='The decision reference, e.g. "2019/09".')
    title: NonBlank
    date: Date = Field(description="Date of the decision or board meeting.")
    report_by: Text = Field(None, description="Author of the report.")
    status: Status
    board: str | None = Field(None, description="Defaults to the configured board name.")
    executive_summary: Text = None
    recommendation: Recommendation | None = None
    background: Text = Field(None, description="1. Background and Advice")
    plan_links: Text = Field(None, description="2. Links to the Police and Crime Plan")
    consultation: Text = Field(None, description="3. Consultation")
    implications: Implications | None = None
    background_papers: list[BackgroundPaper] | None = None
    appendices: list[Appendix] | None = None
    part2: Part2 | None = None
    signatures: list[Signature] | None = None
    history: list[HistoryEntry] | None = Field(
        None, description="The status changes, oldest first; jmb status and jmb sign append to it."
    )


assert FORMAT_VERSION == 1, "Record.jmb is Literal[1]; a new format needs a new model"


@dataclass(frozen=True)
class Section:
    """A fillable section of the reference form: its dotted field, heading and guidance for drafters."""

    field: str
    heading: str
    guidance: str


#: Every section a record can be required to fill, in the order of the reference form.
SECTIONS: dict[str, Section] = {
    section.field: section
    for section in (
        Section("report_by", "Report by", "Who wrote the report."),
        Section(
            "executive_summary",
            "Executive Summary",
            "What the report asks for and why, in a few sentences a member of the public can follow.",
        ),
        Section(
            "recommendation.lead",
            "Recommendation",
            "Who is recommended to do what; each item one action the decision-makers approve.",
        ),
        Section("recommendation.items", "Recommendation items", "At least one recommendation."),
        Section(
            "background",
            "1. Background and Advice",
            "The facts, the options considered and the advice given.",
        ),
        Section(
            "plan_links",
            "2. Links to the Police and Crime Plan",
            "Which priorities of the Police and Crime Plan this serves, and how.",
        ),
        Section(
            "consultation",
            "3. Consultation",
            "Who was consulted and what they said; if nobody, say why none was needed.",
        ),
        Section("implications.risks", "4a. Risks", "The risks of deciding and of not deciding."),
        Section(
            "implications.legal",
            "4b. Legal",
            "The legal basis and legal advice; if none, say why there are no legal implications.",
        ),
        Section(
            "implications.financial",
            "4c. Financial",
            "Costs, budget and funding; if none, say why there are no financial implications.",
        ),
        Section(
            "implications.equality",
            "4d. Equality considerations",
            "How the public sector equality duty was considered; a bare None is not a reason.",
        ),
        Section(
            "background_papers",
            "5. Background Papers",
            "Documents relied on, each with a title and a reference (URL or document id).",
        ),
        Section(
            "appendices",
            "Appendices",
            'Documents attached and referred to in the text as "Appendix A", "Appendix B", ...',
        ),
    )
}

#: The sections a record must fill by default: every numbered section of the reference form, section 5
#: Background Papers included (the form leaves it blank, which is one of its defects). Appendices are
#: not a section of the form: a decision need not attach any.
DEFAULT_REQUIRED_SECTIONS: tuple[str, ...] = tuple(
    name for name in SECTIONS if name != "appendices"
)
