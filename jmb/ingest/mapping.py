"""From the blocks of a form to the data of a record: which words go in which field.

Sections are found by their headings' words (:func:`~jmb.repo.config.heading_words`), whatever
their case, punctuation or number: the form's own headings (:data:`~jmb.record.form.SECTIONS`, as
the office renamed them in ``[form.headings]``), jmb's synonyms (:data:`SYNONYMS`) and the office's
(``[import] synonyms`` in ``jmb.toml``). The header's facts come from run-in labels (``DECISION
2019/09``, ``DATE: 12 JUNE 2019``) and from key/value rows of tables (``Decision number |
073/2013``); the signatures from the signature table and the declaration. Every block that fills no
field is kept as :class:`Unmapped`, with its first words and where it was: nothing is dropped
silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jmb.core.typed_dates import typed_date
from jmb.ingest.blocks import Block
from jmb.ingest.blocks import Kind as BlockKind
from jmb.record.form import SECTIONS, Kind
from jmb.record.model import LABEL_SHAPE, PART2_KEY, Signature
from jmb.repo.config import Config, heading_words

#: Headings forms use for the sections of the reference form, beyond the form's own (which always
#: count): offices add theirs in ``jmb.toml``, ``[import] synonyms``.
SYNONYMS: Mapping[str, tuple[str, ...]] = {
    "report_by": ("Report author", "Author", "Reported by"),
    "executive_summary": ("Summary", "Purpose of the report", "Purpose"),
    "recommendation": ("Recommendations", "Decision required"),
    "report": ("Part II", "Part 2 report"),
    "background": ("Background", "Supporting information", "Background information", "Advice"),
    "plan_links": (
        "Police and Crime Plan",
        "Link to the Police and Crime Plan",
        "Links to the Police, Fire and Crime Plan",
        "Police, Fire and Crime Plan",
    ),
    "consultation": ("Consultations", "Consultation undertaken"),
    "implications": ("Implications of the decision",),
    "implications.risks": ("Risk", "Risk management", "Risk implications", "Risks and mitigation"),
    "implications.legal": ("Legal implications", "Legal considerations"),
    "implications.financial": ("Financial implications", "Finance", "Financial considerations"),
    "implications.equality": (
        "Equality implications",
        "Equalities",
        "Equality",
        "Equality and diversity",
        "Equalities implications",
    ),
    "background_papers": ("Background documents", "List of background papers"),
    "appendices": ("Appendix", "Attachments", "Appendices attached"),
    "signature_block": ("Signature", "Signed"),
}

#: Run-in labels of the header and of key/value tables, by the field they give.
_LABELS: Mapping[str, str] = {
    **dict.fromkeys(
        (
            "decision",
            "decision number",
            "decision no",
            "decision ref",
            "decision reference",
            "decision ref no",
            "reference",
            "reference number",
            "ref",
        ),
        "number",
    ),
    **dict.fromkeys(
        ("date", "decision date", "date of decision", "date of meeting", "meeting date"), "date"
    ),
    **dict.fromkeys(("title", "subject", "decision title", "report title"), "title"),
    **dict.fromkeys(
        ("report by", "reported by", "report author", "author", "lead officer"), "report_by"
    ),
}
#: Labels whose value may follow without a colon (``DECISION 2019/09``), as it starts with a digit.
_BARE_LABELS = sorted(
    (label for label, key in _LABELS.items() if key in ("number", "date")), key=len, reverse=True
)
_RUN_IN = re.compile(r"^(?P<label>[A-Za-z][A-Za-z .]{0,40}?)\s*[:|]\s*(?P<value>.*)$")
_SEGMENTS = re.compile(r"\t|\s{2,}")

_SMALL_WORDS = frozenset(
    ("a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with")
)
#: A bold line of at most this many words is a heading (a longer one is an emphatic sentence).
_HEADING_WORDS = 8
#: Whether record format 1 has signatures on paper yet (``method``, issue 10, merged from another
#: branch): a signed form's signatures are written with it where it exists.
_PAPER = "method" in Signature.model_fields
#: How many words of an unmapped piece are quoted.
QUOTED_WORDS = 8


def parse_date(text: str) -> date | None:
    """The first date ``text`` holds as people type one (``12 JUNE 2019``, ``12th June 2019``,
    ``23/10/2013`` and ``23/10/13`` in UK order, ``2019-06-12``), or ``None``."""
    return typed_date(text, anywhere=True, short_years=True)


def title_case(text: str) -> str:
    """``SINGLE ONLINE HOME`` as ``Single Online Home``; text with any lower case letter is kept
    as it is (it was written that way on purpose)."""
    if any(char.islower() for char in text):
        return text
    words = text.lower().split()
    return " ".join(
        word if index and word in _SMALL_WORDS else _capitalise(word)
        for index, word in enumerate(words)
    )


def _capitalise(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))


@dataclass(frozen=True)
class Unmapped:
    """A piece of the form that fills no field: its first words and where it was."""

    words: str
    where: str
    line: int = 0


@dataclass
class Mapped:
    """What the mapping made of a form: the record's data and what it could not place."""

    #: The record's fields, in the order of the form (no ``status``: the import sets it).
    data: dict[str, Any]
    unmapped: list[Unmapped] = field(default_factory=list)


def first_words(text: str, count: int = QUOTED_WORDS) -> str:
    """The first ``count`` words of ``text`` on one line, with "..." when there were more."""
    words = text.split()
    return " ".join(words[:count]) + (" ..." if len(words) > count else "")


def section_names(config: Config) -> dict[str, str]:
    """The section each heading's words name: the office's synonyms first, then the office's
    renamed headings, the form's own and jmb's synonyms."""
    names: dict[str, str] = {}
    for key, headings in config.import_.synonyms.items():
        for heading in headings:
            names.setdefault(heading_words(heading), key)
    for key, heading in config.form.headings.items():
        names.setdefault(heading_words(heading), key)
    for key, row in SECTIONS.items():
        names.setdefault(heading_words(row.title), key)
    for key, headings in SYNONYMS.items():
        for heading in headings:
            names.setdefault(heading_words(heading), key)
    names.pop("", None)
    return names


class _Mapper:
    def __init__(self, config: Config, *, titles_in_case: bool) -> None:
        self.config = config
        self.titles_in_case = titles_in_case
        self.names = section_names(config)
        # What a form prints whatever the decision: the letterhead, the board, section 6's text.
        self.furniture = {
            heading_words(text)
            for text in (
                config.organisation.name,
                config.organisation.strapline,
                config.board.name,
                *config.publication.access_text().split("\n\n"),
            )
        } - {""}
        self.roles = {heading_words(role): role for role in config.roles}
        self.declarers = {
            heading_words(signature.role): signature.role
            for signature in config.signatures
            if signature.kind == "declaration"
        }
        self.facts: dict[str, Any] = {}
        self.texts: dict[str, list[str]] = {}
        self.lead: list[str] = []
        self.items: list[str] = []
        self.papers: list[dict[str, str]] = []
        self.appendices: list[dict[str, str]] = []
        self.signatures: dict[str, dict[str, Any]] = {}
        self.unmapped: list[Unmapped] = []
        #: The section being read: a key of SECTIONS, "" before the first heading (the header),
        #: or None under a heading that names no section.
        self.section: str | None = ""

    # -- reading -----------------------------------------------------------------------------

    def read(self, blocks: Iterable[Block]) -> None:
        for block in blocks:
            if block.kind is BlockKind.TABLE:
                self.table(block)
                continue
            key = self.heading_of(block)
            if key is not None:
                self.section = key
                continue
            if self.is_furniture(block.text):
                continue
            if self.is_heading(block) and not self.is_answer(block):
                # A run-in label set as a heading in the form's head ("TITLE : SINGLE ONLINE
                # HOME", in capitals: a PDF's text reads as a heading) is a fact of the header.
                if not self.section and self.header_facts(block.text):
                    continue
                self.section = None  # what follows belongs to a section the form does not have
                self.lose(block.text, block)
                continue
            self.content(block)

    def is_furniture(self, text: str) -> bool:
        """Whether ``text`` is only what the form prints on every decision (the letterhead, the
        board's name, section 6's statement), which the configuration says already."""
        words = f" {heading_words(text)} "
        for piece in self.furniture:
            words = words.replace(f" {piece} ", " ")
        return not words.strip()

    @staticmethod
    def is_heading(block: Block) -> bool:
        """Whether ``block`` heads what follows it: a heading, or a short bold line on its own
        (how many Word forms make their headings)."""
        return block.kind is BlockKind.HEADING or (
            block.bold
            and block.kind is BlockKind.PARAGRAPH
            and "\n" not in block.text
            and len(block.text.split()) <= _HEADING_WORDS
        )

    def is_answer(self, block: Block) -> bool:
        """Whether a line in capitals is the answer to the heading just above it (``N/A``,
        ``NONE``), not a heading of its own."""
        row = SECTIONS.get(self.section or "")
        return (
            row is not None and row.kind in (Kind.TEXT, Kind.FACT) and not self.texts.get(row.key)
        )

    def heading_of(self, block: Block) -> str | None:
        """The section ``block`` heads: a heading, or a line on its own that is a heading's words."""
        if block.kind is BlockKind.TABLE or "\n" in block.text:
            return None
        text = block.text.strip("*_ :")
        if block.kind is BlockKind.LIST_ITEM and block.ordered:
            return None  # "1. enter into ..." is an item; a numbered heading reads as a heading
        return self.names.get(heading_words(text))

    def content(self, block: Block) -> None:
        section = self.section
        text = " ".join(block.text.split())
        if section is None or section not in SECTIONS:
            # Before the first section, or under a heading the form does not have (a "DECISION
            # NOTICE" banner): the header's run-in facts, or a piece of no field.
            if not self.header_facts(block.text):
                self.lose(block.text, block)
            return
        row = SECTIONS[section]
        if section == "recommendation" or row.parent == "recommendation":
            if block.kind is BlockKind.LIST_ITEM:
                self.items.append(text)
            elif not self.items:
                self.lead.append(text)
            else:
                self.lose(block.text, block)
        elif section == "background_papers":
            self.papers.append(_paper(text))
        elif section == "appendices":
            appendix = _appendix(text)
            if appendix is None:
                self.lose(block.text, block)
            else:
                self.appendices.append(appendix)
        elif row.kind in (Kind.TEXT, Kind.FACT):
            if block.kind is BlockKind.LIST_ITEM:
                text = ("1. " if block.ordered else "- ") + text
            self.texts.setdefault(section, []).append(text)
        else:  # a heading over no field (section 6, the report's title, a parent's own text)
            self.lose(block.text, block)

    def header_facts(self, text: str) -> bool:
        """Take the facts of run-in labels in ``text``; whether every part of it was one."""
        found = False
        for line in text.splitlines():
            for segment in _SEGMENTS.split(line.strip()):
                if not segment.strip():
                    continue
                if not self.fact(segment.strip()):
                    return False
                found = True
        return found

    def fact(self, segment: str, value: str | None = None) -> bool:
        """Take ``segment`` as a labelled fact (``DATE: 12 JUNE 2019``, or the label of a
        key/value row with ``value``); whether it was one."""
        label, given = segment, value
        if given is None:
            run_in = _RUN_IN.match(segment)
            if run_in is not None and " ".join(run_in["label"].lower().split()) in _LABELS:
                label, given = run_in["label"], run_in["value"]
            else:
                lowered = segment.casefold()
                bare = next(
                    (
                        name
                        for name in _BARE_LABELS
                        if lowered.startswith(name + " ")
                        and segment[len(name) :].strip()[:1].isdigit()
                    ),
                    None,
                )
                if bare is None:
                    return False
                label, given = segment[: len(bare)], segment[len(bare) :]
        key = _LABELS.get(heading_words(label))
        if key is None:
            return False
        given = " ".join(given.split()).strip(" .:")
        if not given:
            return True  # a label left blank on the form: nothing to keep
        taken: object = given
        if key == "date":
            taken = parse_date(given)
            if taken is None:
                return False
        elif key in ("title", "report_by") and self.titles_in_case:
            taken = title_case(given)
        if key in self.facts:
            # The same fact twice (a header repeated on each page) is one; another value for it
            # is a piece the record has no place for.
            return bool(self.facts[key] == taken)
        self.facts[key] = taken
        return True

    def table(self, block: Block) -> None:
        if self.signature_table(block):
            return
        for index, row in enumerate(block.rows, 1):
            line = block.line + index - 1 if block.line else 0
            if block.line and block.where == f"line {block.line}":
                where = f"line {line}"  # a table of text: a row a line
            else:
                where = f"{block.where}, row {index}" if len(block.rows) > 1 else block.where
            cells = [cell for cell in row if cell.strip()]
            if not cells:
                continue
            if self.table_row(
                cells, Block(BlockKind.PARAGRAPH, "", where, line), keyed=len(row) > 1
            ):
                continue
            self.unmapped.append(Unmapped(first_words(" | ".join(cells)), where, line))

    def table_row(self, cells: list[str], place: Block, *, keyed: bool = False) -> bool:
        """Take one row of a table that is not a signature table (``place`` says where it is);
        whether it mapped. A row of a key/value table (``keyed``: more than one cell, even one
        left empty) that names a section holds that section's text itself: what follows the
        table belongs to no section the table says, so it is reported, never filed under the
        last row's section."""
        first = heading_words(cells[0])
        if len(cells) == 2 and first in _LABELS and self.fact(cells[0], cells[1]):
            return True  # Decision number | 073/2013
        key = self.names.get(first)
        if key is not None:
            # A section as a row: "Risks | The risks are ...", or a table's heading row.
            self.section = key
            rest = [cell for cell in cells[1:] if heading_words(cell) not in ("date", "")]
            for text in rest:
                self.content(Block(BlockKind.PARAGRAPH, text, place.where, place.line))
            if keyed:
                self.section = None
            return True
        if self.declaration(cells):
            return True
        return all(self.header_facts(cell) for cell in cells)

    def signature_table(self, block: Block) -> bool:
        """Take a table of signatures (a column a role, with its Signature and Date cells)."""
        width = max(len(row) for row in block.rows)
        columns = [[row[index] for row in block.rows if index < len(row)] for index in range(width)]
        roles = [
            next((self.roles[w] for c in column if (w := heading_words(c)) in self.roles), None)
            for column in columns
        ]
        if not any(roles) or not any(
            heading_words(cell).startswith(("signature", "signed"))
            for row in block.rows
            for cell in row
        ):
            return False
        for role, column in zip(roles, columns, strict=True):
            if role is None:
                continue
            entry = self.signatures.setdefault(role, {"role": role, "name": None, "date": None})
            for cell in column:
                self.signed(entry, cell)
        return True

    def declaration(self, cells: list[str]) -> bool:
        """Take a declaration row: a declaring role's words, its statement, Signature and Date."""
        text = " ".join(cells)
        words = f" {heading_words(text)} "
        role = next((role for w, role in self.declarers.items() if f" {w} " in words), None)
        if role is None:
            return False
        entry = self.signatures.setdefault(role, {"role": role, "name": None, "date": None})
        self.signed(entry, text)
        return True

    @staticmethod
    def signed(entry: dict[str, Any], cell: str) -> None:
        """Fill ``entry``'s name and date from a cell such as ``Signature: A Name`` or ``Date
        12/06/2019`` (dots and underscores are the blanks of an unsigned form)."""
        signature = re.search(
            r"\b(?:Signature|Signed|Name)\b(?P<name>.*?)(?:\bDate\b|$)", cell, re.I
        )
        if signature is not None and entry["name"] is None:
            # "Signature.....": the dots are where a name was to be written ("A. Clerk" keeps its).
            name = " ".join(re.sub(r"[._]{2,}", " ", signature["name"]).split()).strip(" .:_")
            entry["name"] = name or None
        dated = re.search(r"\bDate\b[\s.:_]*(?P<date>.*)$", cell, re.I)
        if dated is not None and entry["date"] is None:
            entry["date"] = parse_date(dated["date"])

    def lose(self, text: str, block: Block) -> None:
        self.unmapped.append(Unmapped(first_words(text), block.where, block.line))

    # -- the record --------------------------------------------------------------------------

    def data(self) -> dict[str, Any]:
        def text(key: str) -> str | None:
            paragraphs = self.texts.get(key)
            return "\n\n".join(paragraphs) if paragraphs else None

        report_by = self.facts.get("report_by") or text("report_by")
        if report_by is not None and self.titles_in_case:
            report_by = title_case(report_by)
        data: dict[str, Any] = {"jmb": 1}
        for key in ("number", "title", "date"):
            if key in self.facts:
                data[key] = self.facts[key]
        data["report_by"] = report_by
        data["executive_summary"] = text("executive_summary")
        data["recommendation"] = {
            "lead": "\n\n".join(self.lead) if self.lead else None,
            "items": self.items,
        }
        for key in ("background", "plan_links", "consultation"):
            data[key] = text(key)
        data["implications"] = {
            part: text(f"implications.{part}")
            for part in ("risks", "legal", "financial", "equality")
        }
        data["background_papers"] = self.papers
        data["appendices"] = self.appendices
        data[PART2_KEY] = None  # a form's confidential part is a form of its own
        for entry in self.signatures.values():
            if entry["name"] and entry["date"] and _PAPER:
                entry["method"] = "paper"  # signed in ink on the form: there is no digest to have
        order = {role: index for index, role in enumerate(self.config.roles)}
        data["signatures"] = sorted(
            self.signatures.values(), key=lambda entry: order.get(entry["role"], len(order))
        )
        return data


def _paper(text: str) -> dict[str, str]:
    """A background paper from its line: the title, and a URL in it as the reference."""
    url = re.search(r"https?://\S+", text)
    if url is None:
        return {"title": text}
    title = (text[: url.start()] + text[url.end() :]).strip(" -\u2013:()") or url.group()
    return {"title": title, "reference": url.group().rstrip(".,;)")}


_APPENDIX = re.compile(
    rf"^(?:Appendix\s+)?(?P<label>{LABEL_SHAPE})\s*[.:)\-\u2013]\s*(?P<title>\S.*)$", re.I
)


def _appendix(text: str) -> dict[str, str] | None:
    """An appendix from its line (``Appendix A - Clarification of national concerns``)."""
    match = _APPENDIX.match(text)
    if match is None:
        return None
    return {"label": match["label"].upper(), "title": match["title"].strip()}


def map_blocks(blocks: Iterable[Block], config: Config, *, titles_in_case: bool = False) -> Mapped:
    """The record data of a form's ``blocks`` (no ``status``), and the blocks that fit no field.

    ``titles_in_case`` gives a title and an author written in capitals in title case (``SINGLE
    ONLINE HOME`` as ``Single Online Home``); otherwise they are kept as written."""
    mapper = _Mapper(config, titles_in_case=titles_in_case)
    mapper.read(blocks)
    return Mapped(data=mapper.data(), unmapped=mapper.unmapped)
