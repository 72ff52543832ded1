"""The pieces of a form as every reader gives them: what the mapping to a record works on.

Each reader (Word, PDF, text) turns its file into a list of :class:`Block` values, in reading
order; the mapping (:mod:`jmb.ingest.mapping`) never looks at the file itself. So a new format is a
new reader, and every format is mapped the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """What a block is."""

    #: A heading: a Word Heading style, a bold paragraph on its own, a line in capitals, "# ..."
    HEADING = "heading"
    #: A paragraph of text (one paragraph: a reader joins the lines of one).
    PARAGRAPH = "paragraph"
    #: An item of a list, numbered or bulleted (its marker removed; ``ordered`` says which).
    LIST_ITEM = "list-item"
    #: A table: ``rows`` of cells, each cell's text with its paragraphs joined by blank lines.
    TABLE = "table"


@dataclass(frozen=True)
class Block:
    """One piece of a form, with where it was (for the findings on what could not be mapped)."""

    kind: Kind
    #: The text of a heading, paragraph or list item (empty for a table), stripped, with
    #: line breaks inside it kept as ``\n``.
    text: str
    #: Where it was, for people: "paragraph 12", "table 2, row 3", "page 2, line 14", "line 40".
    where: str
    #: The 1-based line of the input where it starts, when the input has lines (text, PDF text).
    line: int = 0
    #: Whether the whole text is bold (a bold paragraph is often a heading in Word forms).
    bold: bool = False
    #: A heading's level (1 the highest), or a list item's depth (0 the outermost).
    level: int = 0
    #: Whether a list item is numbered.
    ordered: bool = False
    #: A table's rows of cells.
    rows: tuple[tuple[str, ...], ...] = ()
