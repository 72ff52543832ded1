"""What Part 1 and Part 2 views share: the header of the form, sections of text (read by
:mod:`jmb.render.blocks`), signature lines, and the text helpers that turn record text into what a
page shows.

The views themselves are apart, each in its own module: :mod:`jmb.render.part1` (the public Part 1,
which has no field that can hold Part 2 content) and :mod:`jmb.render.part2`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from jmb.record.model import SIGNED_STATUSES, Record, Signature
from jmb.repo.config import Config

if TYPE_CHECKING:
    from jmb.render.blocks import Block


def line(text: str | None) -> str:
    """``text`` as one line: a field shown inline (a title, a name, a lead) cannot start a new
    paragraph, list or table row in the output, whatever line breaks it holds."""
    return " ".join((text or "").split())


def long_date(day: date | None) -> str:
    """``12 June 2019``: the form's way of writing a date (empty for none)."""
    return f"{day.day} {day:%B %Y}" if day is not None else ""


class Heading(str):
    """A heading as printed: text that a format puts after its heading marker (``### ``), never at
    the start of a line of its own, so that it is escaped as inline text."""

    __slots__ = ()


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
    """A section of text under its heading as printed, number included, with its subsections
    (the parts of section 4). Its text is blocks (paragraphs, lists, tables), never markup."""

    heading: Heading
    blocks: tuple[Block, ...]
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
    #: The reference as a link, when it is a web or mail address (see :func:`link_target`).
    url: str = ""


#: What a link made from record text may be: a web page or a mail address, in one piece. Anything
#: else (``javascript:``, ``data:``, a file on the reader's machine) stays text.
_LINK = re.compile(r"(?:https?://[^\s/?#]+(?:[/?#]\S*)?|mailto:[^\s@:/]+@[^\s@/]+)", re.IGNORECASE)


def link_target(reference: str) -> str:
    """``reference`` when it is an ``http``, ``https`` or ``mailto`` address with nothing around it
    and no character that could break out of an attribute; empty otherwise."""
    if len(reference) > 2000 or not _LINK.fullmatch(reference):
        return ""
    if any(char in reference for char in "<>\"'`\\") or not reference.isprintable():
        return ""
    return reference


def header(record: Record, config: Config) -> Header:
    """The head of the form for ``record``."""
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


def is_draft(record: Record, draft: bool) -> bool:
    """A banner is due when asked for, and on anything not yet approved."""
    return draft or record.status not in SIGNED_STATUSES


def signature_lines(record: Record, config: Config, kind: str) -> tuple[SignatureLine, ...]:
    """The signature block of the roles of ``kind`` (decision-makers or declarations), in the
    configured order, each filled from the record's signature when there is one. A declaration
    signed with its statement stored shows that statement, what was declared; one not yet signed
    (or signed before jmb stored statements) shows the statement configured now."""
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
                statement=line(
                    found.statement if found and found.statement is not None else role.statement
                ),
            )
        )
    return tuple(lines)


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
    if isinstance(value, Mapping):
        return MappingProxyType({key: _map(item, change) for key, item in value.items()})
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(
            value,
            **{
                field.name: _map(getattr(value, field.name), change)
                for field in dataclasses.fields(value)
            },
        )
    return value
