"""Which decisions the public site carries, and the Part 1 facts it states of each.

A decision is public once it is approved: ``approved`` and ``published`` records are on the site, and
so is a record that was published and later withdrawn (shown as withdrawn: a public record never
silently disappears). Drafts, submitted and deferred records never are; rejected ones only when the
office asks for them (``[publication] include_rejected``). Everything a :class:`PublicDecision` holds
comes from the record's Part 1 view and its own dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jmb.record.milestones import approval_date, publication_date
from jmb.record.model import SIGNED_STATUSES, Record, Status
from jmb.render.blocks import plain_text
from jmb.render.part1 import Part1View, part1_view
from jmb.repo.config import Config
from jmb.repo.numbering import number_stem


def is_public(record: Record, config: Config) -> bool:
    """Whether ``record`` belongs on the public site (see the module)."""
    if record.status in SIGNED_STATUSES:
        return True
    if record.status == Status.WITHDRAWN:
        return publication_date(record.model_dump(include={"history"})) is not None
    if record.status == Status.REJECTED:
        return config.publication.include_rejected
    return False


@dataclass(frozen=True)
class PublicDecision:
    """A decision as the register, the open data and the feed state it: Part 1 facts only."""

    number: str
    #: The file-name form of the number: the decision's permanent address is ``decisions/<stem>/``.
    stem: str
    title: str
    summary: tuple[str, ...]
    #: Who made the decision: the signed decision-makers, "Name (Role)", in the configured order.
    decision_makers: tuple[str, ...]
    board: str
    decided: date
    approved: date | None
    due: date | None
    published: date | None
    status: str
    #: Whether the decision has a Part 2; never anything of its content.
    has_part2: bool
    exemption: str
    review_on: date | None

    @property
    def year(self) -> int:
        """The year the register files the decision under: the year it was decided."""
        return self.decided.year

    @property
    def latest(self) -> date:
        """The last day anything happened to the decision: the feed's ``updated``."""
        return max(day for day in (self.decided, self.approved, self.published) if day)

    def as_row(self) -> dict[str, Any]:
        """The decision as plain JSON types (dates as ``YYYY-MM-DD``), for the publish manifest."""
        return {
            "number": self.number,
            "stem": self.stem,
            "title": self.title,
            "summary": list(self.summary),
            "decision_makers": list(self.decision_makers),
            "board": self.board,
            "decided": self.decided.isoformat(),
            "approved": _iso(self.approved),
            "due": _iso(self.due),
            "published": _iso(self.published),
            "status": self.status,
            "has_part2": self.has_part2,
            "exemption": self.exemption,
            "review_on": _iso(self.review_on),
        }

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> PublicDecision:
        """The decision :meth:`as_row` wrote (``KeyError``/``TypeError``/``ValueError`` when the
        row is not one)."""
        return cls(
            number=_text(row["number"]),
            stem=_text(row["stem"]),
            title=_text(row["title"]),
            summary=tuple(_text(item) for item in row["summary"]),
            decision_makers=tuple(_text(item) for item in row["decision_makers"]),
            board=_text(row["board"]),
            decided=date.fromisoformat(row["decided"]),
            approved=_day(row["approved"]),
            due=_day(row["due"]),
            published=_day(row["published"]),
            status=_text(row["status"]),
            has_part2=bool(row["has_part2"]),
            exemption=_text(row["exemption"]),
            review_on=_day(row["review_on"]),
        )


def public_decision(record: Record, view: Part1View, config: Config) -> PublicDecision:
    """The public facts of ``record``, whose Part 1 view is ``view``."""
    dates = record.model_dump(include={"history", "signatures"})
    approved = approval_date(dates) if record.status in SIGNED_STATUSES else None
    return PublicDecision(
        number=view.header.number,
        stem=number_stem(record.number),
        title=view.header.title,
        # Open data and the feed carry a paragraph (or list, or table) a line, as they always have.
        summary=tuple(" ".join(plain_text(block).split()) for block in view.executive_summary),
        decision_makers=tuple(
            f"{line.name} ({line.role})" for line in view.signatures if line.signed
        ),
        board=view.header.board,
        decided=record.date,
        approved=approved,
        due=config.publication.due(approved) if approved is not None else None,
        published=publication_date(dates),
        status=view.status,
        has_part2=view.exemption is not None,
        exemption=view.exemption or "",
        review_on=view.exemption_review_on,
    )


def public_view(record: Record, config: Config) -> Part1View:
    """The Part 1 view the site shows: never a draft (the site carries none)."""
    return part1_view(record, config, draft=False)


def decision_path(decision: PublicDecision | str) -> Path:
    """Where a decision's page lives in the site: ``decisions/<stem>/``."""
    stem = decision if isinstance(decision, str) else decision.stem
    return Path("decisions") / stem


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _day(value: object) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError("a date is text")
    return date.fromisoformat(value)


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text")
    return value
