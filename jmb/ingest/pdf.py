"""The PDF reader of ``jmb import``: the text layer of a published form as blocks.

The text is read with pypdf (pure Python, already what the tests read jmb's own PDFs with; it
reports where each piece of text is drawn and in which font, which is all this needs). The pieces
are put back into lines by where they stand on the page (a list's numbers, drawn apart from the
items, rejoin their lines), and lines into paragraphs by the space between them; the cells of a
table's rows, far apart on the page, get a tab between them, as in a form's text. A paragraph is a
heading when it is one short line in capitals, bold, larger than the body text, or a numbered
section line ("2. Scope of the review"); a list item when it starts with a marker ("1.", "•").

A PDF is only read: pypdf runs no JavaScript, follows no link and fetches nothing. A scan (pages
with no text) is an error, not an empty record; so is a PDF that needs a password.
"""

from __future__ import annotations

import logging
import re
import struct
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from jmb.core.errors import FormReadError
from jmb.ingest.blocks import Block, Kind
from jmb.ingest.lists import typed_list_item
from jmb.ingest.source import checked_size

#: The most a PDF form may be on disk, and the most pages it may have: an archived form is a few
#: pages; more is not a form, and would take minutes to read.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_PAGES = 500

#: A line longer than this is text, not a heading, however it is set.
MAX_HEADING_CHARS = 120
#: Lines further apart than this many times the text's size start a new paragraph.
_PARAGRAPH_GAP = 1.6
#: A line this much larger than the body text is a heading.
_LARGER = 1.15

# What pypdf raises, besides its own errors, on a file damaged past repair: a filter it does not
# know (NotImplementedError), an assert on a malformed table, bad numbers, a broken stream.
_DAMAGE: tuple[type[Exception], ...] = (
    ValueError,
    LookupError,
    TypeError,
    AttributeError,
    NotImplementedError,
    AssertionError,
    ArithmeticError,
    zlib.error,
    struct.error,
)

# "2. Scope of the review", "4.2 Costs": a section number and a capitalised title.
_SECTION_LINE = re.compile(r"^(?P<number>\d{1,2}(?:\.\d{1,2})*)\.?\s+(?P<title>[A-Z].*)$")


@dataclass
class _Line:
    """One line of a page: its text pieces left to right, and how it is set."""

    y: float
    size: float
    pieces: list[tuple[float, str, bool]] = field(default_factory=list)
    #: The line's number from the top of its page, and from the start of the document.
    on_page: int = 0
    number: int = 0
    #: The text with a tab between columns that stand apart (cells of a table), when the page's
    #: layout shows them.
    columns: str = ""

    @property
    def words(self) -> str:
        """The text, its pieces left to right, one space between words."""
        joined = " ".join(text for _, text, _ in sorted(self.pieces, key=lambda piece: piece[0]))
        return " ".join(joined.split())

    @property
    def text(self) -> str:
        return self.columns or self.words

    @property
    def bold(self) -> bool:
        return all(bold for _, _, bold in self.pieces)


def read_pdf(path: Path) -> list[Block]:
    """The blocks of the PDF form at ``path``, in reading order, from its text layer.

    ``where`` is "page 2, line 14" (lines counted from the top of the page); ``line`` counts the
    lines of text from the start of the document. Raises
    :class:`~jmb.core.errors.FormReadError` naming the file when it is not a PDF, is malformed,
    needs a password, is too large, or has no text at all (a scan).
    """
    pages = _read_lines(path)
    if not any(pages):
        raise FormReadError(path, "has no text layer: it is a scan; jmb cannot read it")
    body_size = _body_size(pages)
    blocks: list[Block] = []
    running = 0
    for page_number, lines in enumerate(pages, start=1):
        for on_page, line in enumerate(lines, start=1):
            running += 1
            line.on_page, line.number = on_page, running
        blocks.extend(_blocks_of_page(page_number, lines, body_size))
    return [_as_table(block) for block in blocks]


def _as_table(block: Block) -> Block:
    """A heading or paragraph whose every line has cells set apart by tabs (a table of the form,
    drawn as text) as a table block, each line a row: the mapping reads a table's rows ("DECISION
    2019/09 | DATE: 12 JUNE 2019", the signature block) as it reads a text form's; other blocks
    as they are."""
    if block.kind not in (Kind.HEADING, Kind.PARAGRAPH) or "\t" not in block.text:
        return block
    lines = block.text.split("\n")
    if not all("\t" in line for line in lines):
        return block
    rows = tuple(tuple(cell.strip() for cell in line.split("\t")) for line in lines)
    return Block(Kind.TABLE, "", block.where, block.line, rows=rows)


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs what it repairs in a damaged file; that is not for the user's terminal."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _read_lines(path: Path) -> list[list[_Line]]:
    """The lines of each page, top to bottom."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PyPdfError

    damage: tuple[type[Exception], ...] = (PyPdfError, *_DAMAGE)
    checked_size(path, MAX_FILE_BYTES, "a PDF form")
    try:
        with path.open("rb") as stream:
            head = stream.read(1024)
    except OSError as error:
        raise FormReadError(path, f"cannot be read: {error.strerror or error}") from None
    if b"%PDF-" not in head:
        raise FormReadError(path, "is not a PDF file")
    with _quiet_pypdf():
        try:
            reader = PdfReader(path)
            if reader.is_encrypted and not _opens_without_password(reader):
                raise FormReadError(
                    path,
                    "is password-protected (encrypted); save it without a password and import that",
                )
            if len(reader.pages) > MAX_PAGES:
                raise FormReadError(
                    path, f"has {len(reader.pages):,} pages, more than the {MAX_PAGES} a form may"
                )
            return [_lines_of(page) for page in reader.pages]
        except FileNotDecryptedError:
            raise FormReadError(
                path,
                "is password-protected (encrypted); save it without a password and import that",
            ) from None
        except damage as error:
            # pypdf raises these on damage it cannot repair; where it notices is an accident.
            detail = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise FormReadError(path, f"is a malformed PDF: {detail}") from None
        except RecursionError:
            raise FormReadError(path, "is a malformed PDF: its objects nest without end") from None


def _opens_without_password(reader: Any) -> bool:
    """Whether an encrypted PDF opens with the empty password, as any viewer opens it (a PDF
    that only restricts printing or copying); one that asks the reader for a password does not."""
    from pypdf.errors import PyPdfError

    try:
        return bool(reader.decrypt(""))
    except (PyPdfError, NotImplementedError, ValueError):
        return False


def _lines_of(page: Any) -> list[_Line]:
    """The lines of one page, top to bottom, from where pypdf says each piece of text is drawn."""
    pieces: list[tuple[float, float, str, float, bool]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, font_size: float) -> None:
        if not text.strip():
            return
        # The text matrix placed by the current transformation matrix: where on the page, and
        # how large, the piece is drawn.
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = abs(tm[3] * cm[3] + tm[2] * cm[1]) or abs(tm[0] * cm[0]) or 1.0
        size = abs(font_size) * scale
        name = str(font.get("/BaseFont", "")) if font else ""
        bold = any(mark in name.lower() for mark in ("bold", "black", "heavy", "semibold"))
        # A piece pypdf hands over with line breaks in it: its lines go one below the other.
        for index, part in enumerate(part for part in text.split("\n") if part.strip()):
            pieces.append((x, y - index * size * 1.2, part.strip(), size, bold))

    page.extract_text(visitor_text=visit)
    lines: list[_Line] = []
    # Top to bottom (PDF's y grows upwards): a piece level with the line above it joins that
    # line (its x puts it in place), so each piece is compared with one line only.
    for x, y, text, size, bold in sorted(pieces, key=lambda piece: (-piece[1], piece[0])):
        if lines and abs(lines[-1].y - y) <= max(lines[-1].size, size) * 0.4:
            lines[-1].pieces.append((x, text, bold))
            lines[-1].size = max(lines[-1].size, size)
        else:
            lines.append(_Line(y=y, size=size, pieces=[(x, text, bold)]))
    _mark_columns(page, lines)
    return lines


# A cell in pypdf's layout of a line: words one to three spaces apart. Four spaces or more are
# the gap between two cells (or a justified line's stretched gap between words).
_CELL = re.compile(r"\S+(?: {1,3}\S+)*")


def _mark_columns(page: Any, lines: list[_Line]) -> None:
    """Give each line whose words stand in columns (a header table's "DECISION 2019/09" and
    "DATE: 12 JUNE 2019") a tab between them, as the form's own text has.

    pypdf joins the pieces of a line before it reports them; its layout mode keeps the space
    between them. A layout line is matched to a line by its words, in order.
    """
    from pypdf.errors import PyPdfError

    damage: tuple[type[Exception], ...] = (PyPdfError, *_DAMAGE)
    try:
        layout = page.extract_text(extraction_mode="layout")
    except damage:
        return  # only the tabs are lost: the words are already read
    columns: dict[str, list[str]] = {}
    for row in layout.splitlines():
        cells = _CELL.findall(row)
        if len(cells) > 1:
            text = "\t".join(" ".join(cell.split()) for cell in cells)
            columns.setdefault(" ".join(row.split()), []).append(text)
    if not columns:
        return
    for line in lines:
        found = columns.get(line.words)
        if found:
            line.columns = found.pop(0)


def _body_size(pages: list[list[_Line]]) -> float:
    """The size most of the text is set in (by characters)."""
    sizes: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            sizes[round(line.size, 1)] += len(line.words)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _blocks_of_page(page: int, lines: list[_Line], body_size: float) -> Iterator[Block]:
    """Lines grouped into paragraphs, each paragraph made a heading, list item or paragraph."""
    group: list[_Line] = []
    for index, line in enumerate(lines):
        if group and _starts_block(group[-1], line, lines[index - 1], body_size):
            yield _block_of(page, group, body_size)
            group = []
        group.append(line)
        if _is_heading_line(line, body_size):
            # A heading is a block of its own: the text under it starts afresh.
            yield _block_of(page, group, body_size)
            group = []
    if group:
        yield _block_of(page, group, body_size)


def _starts_block(last: _Line, line: _Line, previous: _Line, body_size: float) -> bool:
    if previous.y - line.y > _PARAGRAPH_GAP * max(previous.size, line.size, 1.0):
        return True
    if _is_heading_line(line, body_size) or typed_list_item(line.text) is not None:
        return True
    return last.bold != line.bold or abs(last.size - line.size) > 0.5


def _is_heading_line(line: _Line, body_size: float) -> bool:
    text = line.text
    if not text or len(text) > MAX_HEADING_CHARS:
        return False
    letters = [char for char in text if char.isalpha()]
    if len(letters) >= 4 and all(char.isupper() for char in letters):
        return True
    if body_size and line.size >= body_size * _LARGER:
        return True
    section = _SECTION_LINE.match(text)
    if section and not text.endswith((".", ",", ";")) and len(text) <= 80:
        # A numbered line that reads as a title, not a numbered sentence of a recommendation.
        return True
    return line.bold and not text.endswith(".")


def _tabular(group: list[_Line]) -> bool:
    """Whether the group's wide gaps are a table's: every line but perhaps the last has them,
    and some cell holds words one space apart. Justified text stretches every gap of a line, so
    its "cells" are single words."""
    if any(not line.columns for line in group[:-1]):
        return False
    return any(" " in cell for line in group for cell in line.columns.split("\t"))


def _block_of(page: int, group: list[_Line], body_size: float) -> Block:
    first = group[0]
    where = f"page {page}, line {first.on_page}"
    # The lines of a paragraph run on; rows of columns (a signature table) stay rows, a tab
    # between their cells. (pypdf's layout does not place columns exactly enough to line rows up.)
    if not _tabular(group):
        for line in group:
            line.columns = ""
    text = group[0].text
    for before, line in pairwise(group):
        text += ("\n" if before.columns or line.columns else " ") + line.text
    bold = all(line.bold for line in group)
    if len(group) == 1 and _is_heading_line(first, body_size):
        section = _SECTION_LINE.match(text)
        level = section["number"].count(".") + 1 if section else 0
        return Block(Kind.HEADING, text, where, line=first.number, bold=bold, level=level)
    typed = typed_list_item(text)
    if typed is not None:
        rest, ordered, depth = typed
        return Block(
            Kind.LIST_ITEM, rest, where, line=first.number, bold=bold, level=depth, ordered=ordered
        )
    return Block(Kind.PARAGRAPH, text, where, line=first.number, bold=bold)
