"""The reader of forms exported as plain text or Markdown (``.txt``, ``.md``).

A form saved as text keeps its words and its line breaks, and little else: a heading is a Markdown
``# ...`` line, a short line in capitals (``PART II``) or a short numbered line (``7. Staffing``,
``e. Estates``); paragraphs are separated by blank lines; list items start with ``1.``,
``-``, ``*`` or ``•``; a table is a run of lines with ``|`` between cells (Markdown) or with tabs
between them (what a Word table becomes when it is saved as text). A line such as ``Executive
Summary`` reads as a paragraph here; the mapping knows the form's headings and takes it for one.
"""

from __future__ import annotations

import re

from jmb.ingest.blocks import Block, Kind

_MARKDOWN_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*#*\s*$")
# "1. Costs", "4e. Staffing", "e. Staffing", "iv) Estates": a marker, then the words.
_NUMBERED = re.compile(r"^(?P<marker>[0-9]{1,3}[a-z]?|[a-z]|[ivx]{1,4})[.)]\s+(?P<text>\S.*)$")
_BULLET = re.compile(r"^(?P<marker>[-*\u2022\u2023\u25e6\u25cf\u25aa\u2013])\s+(?P<text>\S.*)$")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")
#: A numbered line this short, that does not end as a sentence does, is a section heading.
_HEADING_WORDS = 8


def read_text(text: str) -> list[Block]:
    """The blocks of a form saved as text or Markdown, in reading order, each with its line."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    paragraph_line = 0
    rows: list[tuple[str, ...]] = []
    table_line = 0

    def end_paragraph() -> None:
        nonlocal paragraph
        if paragraph:
            joined = "\n".join(paragraph)
            blocks.append(Block(Kind.PARAGRAPH, joined, f"line {paragraph_line}", paragraph_line))
            paragraph = []

    def end_table() -> None:
        nonlocal rows
        if rows:
            blocks.append(Block(Kind.TABLE, "", f"line {table_line}", table_line, rows=tuple(rows)))
            rows = []

    # Lines as an editor numbers them: at line feeds (splitlines would also end a line at a form
    # feed or a U+2028, which an editor shows within one).
    for number, raw in enumerate(text.split("\n"), 1):
        # A tab at the end is kept: it makes a line a row of a table saved from Word.
        line = raw.rstrip(" \r")
        stripped = line.strip()
        cells = _table_cells(line)
        if cells is not None:
            end_paragraph()
            if not rows:
                table_line = number
            if not _TABLE_RULE.match(stripped):
                rows.append(cells)
            continue
        end_table()
        if not stripped:
            end_paragraph()
            continue
        block = _line_block(stripped, number)
        if block is not None:
            end_paragraph()
            blocks.append(block)
            continue
        if not paragraph:
            paragraph_line = number
        paragraph.append(stripped)
    end_paragraph()
    end_table()
    return blocks


def _table_cells(line: str) -> tuple[str, ...] | None:
    """The cells of a table row (``| a | b |`` or ``a<TAB>b``), or ``None`` for any other line."""
    stripped = line.strip()
    if stripped.startswith("|") or " | " in stripped:
        cells = [cell.strip() for cell in stripped.strip("|").split("|")]
    elif "\t" in line.strip(" "):
        cells = [cell.strip() for cell in line.split("\t")]
    else:
        return None
    while len(cells) > 1 and not cells[-1]:
        cells.pop()  # a row saved with a tab after its last cell
    while len(cells) > 1 and not cells[0]:
        cells.pop(0)  # a row indented with tabs
    return tuple(cells)


def _line_block(line: str, number: int) -> Block | None:
    """The block a line is on its own (a heading or a list item), or ``None`` for a line of a
    paragraph."""
    where = f"line {number}"
    heading = _MARKDOWN_HEADING.match(line)
    if heading:
        text = heading["text"].strip("*_ ")
        return Block(Kind.HEADING, text, where, number, level=len(heading["hashes"]))
    numbered = _NUMBERED.match(line)
    if numbered:
        text = numbered["text"].strip()
        marker = numbered["marker"]
        if _reads_as_heading(text):
            level = 1 if marker[0].isdigit() and not marker[-1].isalpha() else 2
            return Block(Kind.HEADING, f"{marker}. {text}", where, number, level=level)
        return Block(Kind.LIST_ITEM, text, where, number, ordered=True)
    bullet = _BULLET.match(line)
    if bullet:
        return Block(Kind.LIST_ITEM, bullet["text"].strip(), where, number)
    if _in_capitals(line):
        return Block(Kind.HEADING, line.strip("*_ "), where, number, level=1)
    return None


def _reads_as_heading(text: str) -> bool:
    """Whether the words after a number are a section's title (``Background and Advice``) rather
    than an item of a list (``enter into a collaborative agreement ...``)."""
    words = text.split()
    return (
        len(words) <= _HEADING_WORDS
        and text[0].isupper()
        and not text.endswith((".", ";", ",", ":"))
    )


def _in_capitals(line: str) -> bool:
    """Whether ``line`` is a short line in capitals (``PART II``), which forms use as headings.
    A line with a colon or a digit is a run-in label with its value (``DATE: 12 JUNE 2019``)."""
    letters = [char for char in line if char.isalpha()]
    return (
        len(letters) >= 2
        and all(char.isupper() for char in letters)
        and len(line.split()) <= _HEADING_WORDS
        and not any(char in line for char in ":0123456789")
    )
