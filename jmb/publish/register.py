"""The register: each decision of the repository with the dates that decide its publication.

``jmb list`` prints it; ``jmb due`` picks from it what an office must act on: approved decisions not
yet published, with the day each is due (``[publication] working_days`` working days after approval,
:mod:`jmb.repo.calendar`) and the working days left or overdue, and Part 2 exemptions whose review date
has come. Everything here is read from the Part 1 view of a record and from its own dates.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from jmb.core.errors import RecordError
from jmb.core.paths import display_path
from jmb.core.printable import json_safe, printable
from jmb.record.milestones import approval_date, publication_date
from jmb.record.model import SIGNED_STATUSES, Status
from jmb.render.part1 import part1_view
from jmb.render.renderer import load_record
from jmb.repo.config import Config
from jmb.repo.records import record_files


@dataclass(frozen=True)
class RegisterEntry:
    """One decision as the register shows it."""

    path: Path
    number: str
    title: str
    decided: date
    status: str
    approved: date | None
    #: The day it must be published by, for a decision that has been approved.
    due: date | None
    published: date | None
    #: When the exemption its Part 2 relies on is to be reviewed, if it has one that says.
    review_on: date | None

    def as_dict(self) -> dict[str, Any]:
        """The entry as plain JSON types, dates as ``YYYY-MM-DD``."""
        return {
            "number": self.number,
            "title": self.title,
            "date": self.decided.isoformat(),
            "status": self.status,
            "approved": _iso(self.approved),
            "due": _iso(self.due),
            "published": _iso(self.published),
            "path": self.path.as_posix(),
        }


@dataclass(frozen=True)
class Register:
    """Every decision that could be read, in number order, and the files that could not be."""

    entries: list[RegisterEntry]
    #: Record files that cannot be read as records (``jmb validate`` says why).
    unreadable: list[str] = field(default_factory=list)


def read_register(config: Config) -> Register:
    """The register of the repository: every record, in number order."""
    entries: list[RegisterEntry] = []
    unreadable: list[str] = []
    folder = config.records_dir
    for path in record_files(folder) if folder.is_dir() else ():
        try:
            record = load_record(path)
        except RecordError:
            unreadable.append(display_path(path))
            continue
        view = part1_view(record, config, draft=False)
        data = record.model_dump(include={"history", "signatures"})
        # Only an approved or published decision has been approved; the signatures of a record
        # that was rejected or withdrawn approve nothing.
        approved = approval_date(data) if record.status in SIGNED_STATUSES else None
        entries.append(
            RegisterEntry(
                path=Path(display_path(path)),
                number=view.header.number,
                title=view.header.title,
                decided=record.date,
                status=str(record.status),
                approved=approved,
                due=config.publication.due(approved) if approved is not None else None,
                published=publication_date(data),
                review_on=view.exemption_review_on,
            )
        )
    entries.sort(key=lambda entry: _number_order(config, entry.number))
    return Register(entries, unreadable)


def _number_order(config: Config, number: str) -> tuple[int, int, int, str]:
    """Numbers by year and sequence where the pattern reads them, else as text, after those."""
    parsed = config.number_pattern.parse(number)
    if parsed is None:
        return (1, 0, 0, number)
    return (0, parsed.year or 0, parsed.seq, number)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


# -- jmb list ------------------------------------------------------------------------------------


def select(
    register: Register,
    config: Config,
    *,
    status: str | None = None,
    year: int | None = None,
    overdue_on: date | None = None,
) -> list[RegisterEntry]:
    """The entries of ``status``, decided in ``year``, and (with ``overdue_on``) only those
    approved, not published, and due before that day."""
    chosen = []
    for entry in register.entries:
        if status is not None and entry.status != status:
            continue
        if year is not None and entry.decided.year != year:
            continue
        if overdue_on is not None and not _overdue(entry, overdue_on):
            continue
        chosen.append(entry)
    return chosen


def _overdue(entry: RegisterEntry, today: date) -> bool:
    return (
        entry.status == Status.APPROVED
        and entry.published is None
        and entry.due is not None
        and entry.due < today
    )


_COLUMNS = ("number", "date", "status", "due", "title")


def list_text(entries: Sequence[RegisterEntry]) -> str:
    """One aligned line a decision: number, date, status, due, title."""
    rows = [("NUMBER", "DATE", "STATUS", "DUE", "TITLE")]
    rows += [
        (
            printable(entry.number),
            entry.decided.isoformat(),
            entry.status,
            _iso(entry.due) or "-",
            printable(entry.title),
        )
        for entry in entries
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    lines = ["  ".join([*(row[i].ljust(widths[i]) for i in range(4)), row[4]]) for row in rows]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def list_json(entries: Sequence[RegisterEntry]) -> str:
    """The entries as a JSON array of objects."""
    data = [entry.as_dict() for entry in entries]
    return json_safe(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


def list_csv(entries: Sequence[RegisterEntry]) -> str:
    """The entries as CSV: a header row, fields quoted where they must be, one line a decision
    (ended by a newline, as a terminal and a pipe expect; CSV readers take it)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_COLUMNS)
    for entry in entries:
        writer.writerow(
            (
                entry.number,
                entry.decided.isoformat(),
                entry.status,
                _iso(entry.due) or "",
                entry.title,
            )
        )
    return buffer.getvalue()


LIST_FORMATS = {"text": list_text, "json": list_json, "csv": list_csv}


# -- jmb due -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueItem:
    """Something an office must do by a day: publish a decision, or review an exemption."""

    number: str
    title: str
    what: str
    due: date
    #: Working days from today to the due day: negative when overdue, 0 on the day itself.
    working_days_left: int
    #: Whether the due day is past.
    overdue: bool

    def as_dict(self) -> dict[str, Any]:
        """The item as plain JSON types."""
        return {
            "number": self.number,
            "title": self.title,
            "what": self.what,
            "due": self.due.isoformat(),
            "working_days_left": self.working_days_left,
            "overdue": self.overdue,
        }


@dataclass(frozen=True)
class DueReport:
    """What ``jmb due`` found: publications due and reviews come, soonest first."""

    today: date
    items: list[DueItem]
    unreadable: list[str]

    @property
    def overdue(self) -> bool:
        """Whether anything is overdue (``jmb due`` then exits 1)."""
        return any(item.overdue for item in self.items)


def due_report(config: Config, today: date | None = None) -> DueReport:
    """Approved decisions not yet published, each with its due day and the working days left or
    overdue on ``today``; and exemptions whose review date has come."""
    today = today if today is not None else date.today()
    register = read_register(config)
    calendar = config.publication.calendar()
    items: list[DueItem] = []

    def add(entry: RegisterEntry, what: str, day: date) -> None:
        items.append(
            DueItem(
                entry.number,
                entry.title,
                what,
                day,
                calendar.between(today, day),
                overdue=day < today,
            )
        )

    for entry in register.entries:
        if entry.status == Status.APPROVED and entry.published is None and entry.due is not None:
            add(entry, "publish Part 1", entry.due)
        if entry.review_on is not None and entry.review_on <= today:
            add(entry, "review the Part 2 exemption", entry.review_on)
    items.sort(key=lambda item: (item.due, item.number))
    return DueReport(today, items, register.unreadable)


def due_text(report: DueReport) -> str:
    """A line an item, then a summary."""
    lines = []
    for item in report.items:
        if item.overdue:
            days = -item.working_days_left
            when = f"OVERDUE by {days} working day{'' if days == 1 else 's'}" if days else "OVERDUE"
        elif item.due == report.today:
            when = "due today"
        else:
            days = item.working_days_left
            when = f"{days} working day{'' if days == 1 else 's'} left"
        lines.append(
            f"{item.number}  {item.what} by {item.due.isoformat()}: {when}  ({item.title})"
        )
    overdue = sum(item.overdue for item in report.items)
    lines.append(
        f"{len(report.items)} due on {report.today.isoformat()}: {overdue} overdue"
        if report.items
        else f"nothing due on {report.today.isoformat()}"
    )
    return "\n".join(lines) + "\n"


def due_json(report: DueReport) -> str:
    """The report as JSON: ``today``, ``items`` and ``overdue``."""
    data = {
        "today": report.today.isoformat(),
        "items": [item.as_dict() for item in report.items],
        "overdue": report.overdue,
    }
    return json_safe(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


DUE_FORMATS = {"text": due_text, "json": due_json}
