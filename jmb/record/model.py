"""Record format 1: the pydantic models of a decision record.

The models are the public contract of the YAML files (``schemas/decision.schema.json`` is generated from
them). Sections are optional in the models so that a draft can leave them empty; whether a section must
be filled is the completeness rules' business, driven by the configuration.
"""

from __future__ import annotations

import re
from datetime import date as Date
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from jmb.core.constants import FORMAT_VERSION
from jmb.record.form import REFERENCE_FORM

_describe = REFERENCE_FORM.description


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


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def record_date(value: object) -> Date | None:
    """``value`` as a record's date: a YAML date, or text that is exactly ``YYYY-MM-DD``; ``None``
    for anything else (a date and time, a number, ``2019-6-1``, a date that does not exist).

    Every date of a record (its own, a signature's, a history entry's, Part 2's ``review_on``) is
    read this way, by the schema and by the rules alike."""
    if isinstance(value, datetime):
        return None
    if isinstance(value, Date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return Date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _as_record_date(value: object) -> Date:
    day = record_date(value)
    if day is None:
        message = "should be a date, not a date and time" if isinstance(value, datetime) else ""
        raise PydanticCustomError("date_format", message or "should be a date")
    return day


_STATUSES = {status.value: status for status in Status}


def _as_status(value: object) -> Status:
    if isinstance(value, str) and value in _STATUSES:
        return _STATUSES[value]
    names = [repr(status.value) for status in Status]
    raise PydanticCustomError("enum", f"Input should be {', '.join(names[:-1])} or {names[-1]}")


#: A date of a record: a YAML date or a quoted ``YYYY-MM-DD`` (see :func:`record_date`).
RecordDate = Annotated[Date, BeforeValidator(_as_record_date)]
#: A status, written as text.
StatusText = Annotated[Status, BeforeValidator(_as_status)]

#: Statuses at which a record must be complete: everything after ``draft``.
SUBMITTED_OR_LATER = frozenset(Status) - {Status.DRAFT}

#: Statuses at which every configured signature must be present.
SIGNED_STATUSES = frozenset({Status.APPROVED, Status.PUBLISHED})


class _Strict(BaseModel):
    """Unknown keys are findings, never silently dropped; no value is coerced into another type
    (a number is never text, bytes are never text)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, strict=True)


Text = str | None
#: Text that must say something: blank is as good as missing.
NonBlank = Annotated[str, Field(pattern=r"\S")]


class Recommendation(_Strict):
    """What the decision-makers are asked to do."""

    lead: Text = Field(None, description=_describe("recommendation.lead"))
    items: list[str] | None = Field(None, description=_describe("recommendation.items"))


class Implications(_Strict):
    """Section 4 of the report."""

    risks: Text = Field(None, description=_describe("implications.risks"))
    legal: Text = Field(None, description=_describe("implications.legal"))
    financial: Text = Field(None, description=_describe("implications.financial"))
    equality: Text = Field(None, description=_describe("implications.equality"))


class BackgroundPaper(_Strict):
    """A document the report relied on (section 5)."""

    title: NonBlank
    reference: str | None = Field(None, description="A URL or a document id.")


#: The shape of an appendix's label: up to three capital letters or digits, as the text refers to
#: it ("Appendix B", "Appendix 12", "Appendix A1"). The rules that find mentions, the import of old
#: forms and the public site read labels with it too.
LABEL_SHAPE = "[A-Z0-9]{1,3}"
#: The model's pattern for a label: the shape, and nothing else.
APPENDIX_LABEL = f"^{LABEL_SHAPE}$"
_APPENDIX_WORD = re.compile(r"^\s*appendi(?:x|ces)\b\s*", re.IGNORECASE)


def meant_label(written: str) -> str | None:
    """The label that an appendix's ``label``, written otherwise, is meant to be: "Appendix B" or
    "b" is B. ``None`` when the text leaves no label of the right shape (a title, say), so that no
    message invents one."""
    label = _APPENDIX_WORD.sub("", written).strip().upper()
    return label if re.fullmatch(APPENDIX_LABEL, label) else None


class Appendix(_Strict):
    """A document attached to the decision and referred to as "Appendix <label>"."""

    label: str = Field(pattern=APPENDIX_LABEL, description='The letter, e.g. "A".')
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
    review_on: RecordDate | None = Field(None, description="When the exemption is to be reviewed.")
    sections: list[Part2Section] | None = None


#: The ways a signature can be made other than by jmb sign: in ink on the paper form. Both words
#: mean the same; neither is normalised away, so the record keeps what was written.
PaperMethod = Literal["paper", "wet-ink"]
PAPER_METHODS: tuple[str, ...] = get_args(PaperMethod)


class Signature(_Strict):
    """A sign-off by the holder of a configured role."""

    role: NonBlank
    name: str | None = None
    date: RecordDate | None = None
    method: PaperMethod | None = Field(
        None,
        description='"paper" (or "wet-ink", the same): signed in ink on the paper form, before '
        "jmb kept digests. Such a signature has no digest or key and proves nothing about the "
        "content; [signing] digests_from in jmb.toml ends them. Written by jmb import, never by "
        "jmb sign.",
    )
    evidence: str | None = Field(
        None,
        description="For a signature on paper: the file or URL of the signed original.",
    )
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
        "number, role, name, date and digest (and, for a declaration, its statement).",
    )
    statement: str | None = Field(
        None,
        description="For a declaration: the text declared, as configured when it was signed. "
        "Written by jmb sign; Part 1 shows it.",
    )
    statement_digest: str | None = Field(
        None,
        description='"sha256:" and the hex SHA-256 of the statement (NFC, UTF-8), so that an '
        "edit to it is caught. Written by jmb sign.",
    )


class Wording(_Strict):
    """The configured texts a record was approved under (``jmb.toml``), each as "sha256:" and the
    hex SHA-256 of its text (NFC, UTF-8): rendering it later with other wording is reported."""

    organisation: str | None = Field(None, description="The organisation's name.")
    board: str | None = Field(None, description="The default board name.")
    access_statement: str | None = Field(
        None, description="Section 6, public access, with the working days filled in."
    )
    declarations: dict[str, str] | None = Field(
        None, description="Each declaration's statement, by role."
    )


class HistoryEntry(_Strict):
    """One step of a decision's life: the status it moved to, when, and why."""

    status: StatusText
    date: RecordDate
    note: str | None = None
    wording: Wording | None = Field(
        None, description="On approval: the configured wording it was approved under (jmb sign)."
    )


class Record(_Strict):
    """One decision of the board: record format 1."""

    model_config = ConfigDict(extra="forbid", strict=True, title="jmb decision record")

    jmb: Literal[1] = Field(description="Record format version.")
    number: str = Field(pattern=r"\S", description='The decision reference, e.g. "2019/09".')
    title: NonBlank
    date: RecordDate = Field(description="Date of the decision or board meeting.")
    report_by: Text = Field(None, description=_describe("report_by"))
    status: StatusText
    board: str | None = Field(None, description="Defaults to the configured board name.")
    executive_summary: Text = Field(None, description=_describe("executive_summary"))
    recommendation: Recommendation | None = Field(None, description=_describe("recommendation"))
    background: Text = Field(None, description=_describe("background"))
    plan_links: Text = Field(None, description=_describe("plan_links"))
    consultation: Text = Field(None, description=_describe("consultation"))
    implications: Implications | None = Field(None, description=_describe("implications"))
    background_papers: list[BackgroundPaper] | None = Field(
        None, description=_describe("background_papers")
    )
    appendices: list[Appendix] | None = Field(None, description=_describe("appendices"))
    part2: Part2 | None = None
    signatures: list[Signature] | None = None
    history: list[HistoryEntry] | None = Field(
        None, description="The status changes, oldest first; jmb status and jmb sign append to it."
    )


assert FORMAT_VERSION == 1, "Record.jmb is Literal[1]; a new format needs a new model"

#: The top-level key of the confidential Part 2 (:mod:`jmb.record.confidential` names its fields).
PART2_KEY = "part2"
assert PART2_KEY in Record.model_fields
#: Every key record format 1 defines inside Part 2: a finding may name these; any other key found
#: there could be Part 2 text (a line of it mis-indented into a key), so it is not shown.
PART2_KEYS = frozenset(Part2.model_fields) | frozenset(Part2Section.model_fields)
