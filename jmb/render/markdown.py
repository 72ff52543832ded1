"""Record text made literal in Markdown, and section text written as Markdown's own structure: a
record cannot inject markup into a rendered page."""

from __future__ import annotations

import re
from collections.abc import Sequence

from jmb.render.blocks import (
    Block,
    BulletList,
    Cell,
    Emphasis,
    Inline,
    LineBreak,
    ListItem,
    Paragraph,
    Strong,
    Table,
    Text,
)
from jmb.render.views import Heading

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&!])")
_MARKDOWN_LINE_START = re.compile(r"^(\s*)(?:([-+=>])|(\d+)([.)]))", re.MULTILINE)


def markdown_escape(text: str) -> str:
    """``text`` made literal in CommonMark: every character that can start markup is escaped, and
    so is what would make a paragraph a heading, a list or a quote."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return _MARKDOWN_LINE_START.sub(_escape_line_start, escaped)


def markdown_escape_inline(text: str) -> str:
    """``text`` made literal where it follows a marker on its line (a heading's ``### ``): every
    character that can start markup is escaped; a line start needs no escape there."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def escape_for_markdown(text: str) -> str:
    """The escape a view's text needs in Markdown: inline for a heading, whole for the rest."""
    return markdown_escape_inline(text) if isinstance(text, Heading) else markdown_escape(text)


def _escape_line_start(match: re.Match[str]) -> str:
    if match[2]:  # "- item", "> quote", "= underline"
        return f"{match[1]}\\{match[2]}"
    return f"{match[1]}{match[3]}\\{match[4]}"  # "1. item" stays readable as "1\. item"


# -- section text ---------------------------------------------------------------------------------
# The blocks of a section (jmb.render.blocks) written as Markdown. Their text has been escaped
# already (the Markdown view is map_text(view, escape_for_markdown)): only structure is written here.


def markdown_blocks(content: Sequence[Block]) -> str:
    """``content`` as Markdown, each block followed by a blank line."""
    return "".join(f"{block}\n\n" for block in _blocks(content))


def markdown_inlines(pieces: Sequence[Inline]) -> str:
    """Inline text as Markdown on one line (a line break is written as a space)."""
    return _inline(pieces, line_break=" ")


def markdown_url(url: str) -> str:
    """An escaped address made safe as a link's destination: parentheses cannot end it early."""
    return url.replace("(", "\\(").replace(")", "\\)")


def _blocks(content: Sequence[Block]) -> list[str]:
    written: list[str] = []
    previous: Block | None = None
    for block in content:
        # Two lists of the same kind one after the other would read back as one: the second
        # takes the other marker.
        alternate = (
            previous is not None
            and previous.kind == block.kind
            and block.kind in ("bullets", "numbers")
            and not _alternated(written, previous)
        )
        written.append(_block(block, alternate))
        previous = block
    return written


def _alternated(written: list[str], previous: Block) -> bool:
    """Whether the last list written took the other marker."""
    first = written[-1]
    return first.startswith("* ") if previous.kind == "bullets" else bool(re.match(r"\d+\)", first))


def _block(block: Block, alternate: bool = False) -> str:
    if isinstance(block, Paragraph):
        return _inline(block.inlines)
    if isinstance(block, Table):
        width = len(block.header)

        def row(cells: Sequence[Cell]) -> str:
            padded = [*cells, *([()] * (width - len(cells)))][:width]
            return "| " + " | ".join(markdown_inlines(cell) for cell in padded) + " |"

        lines = [row(block.header), "| " + " | ".join(["---"] * width) + " |"]
        return "\n".join(lines + [row(cells) for cells in block.rows])
    items = []
    for number, item in enumerate(block.items, start=getattr(block, "start", 1)):
        if isinstance(block, BulletList):
            marker = "* " if alternate else "- "
        else:
            marker = f"{number}{')' if alternate else '.'} "
        items.append(_indented(marker, _item(item)))
    return "\n".join(items)


def _item(item: ListItem) -> str:
    """A list item's content: its first paragraph, then what follows it, a nested list right under
    it and anything else after a blank line."""
    written = _blocks(item.blocks)
    text = written[0] if written else ""
    for block, rendered in zip(item.blocks[1:], written[1:], strict=True):
        text += ("\n" if block.kind in ("bullets", "numbers") else "\n\n") + rendered
    return text


def _indented(marker: str, text: str) -> str:
    """``text`` after ``marker``, its further lines indented to stay inside the list item."""
    indent = " " * len(marker)
    return marker + "\n".join(
        (indent + line if line and index else line) for index, line in enumerate(text.split("\n"))
    )


def _inline(pieces: Sequence[Inline], line_break: str = "\\\n") -> str:
    """Inline text as Markdown; a line break as ``line_break`` (by default a backslash at the end
    of the line: a hard break that trailing spaces would hide)."""
    written = []
    for piece in pieces:
        if isinstance(piece, Text):
            written.append(piece.text)
        elif isinstance(piece, LineBreak):
            written.append(line_break)
        elif isinstance(piece, Strong | Emphasis):
            # Right after another bold or italic, the other delimiter: "*a**b*" would read as
            # one italic "a**b".
            mark = "_" if written and written[-1].endswith("*") else "*"
            mark *= 2 if isinstance(piece, Strong) else 1
            written.append(f"{mark}{_inline(piece.children, line_break)}{mark}")
        else:
            written.append(f"[{_inline(piece.children, line_break)}]({markdown_url(piece.url)})")
    return "".join(written)
