"""Section text as every format renders it: a small, safe subset of Markdown, read into a typed model.

What a section may hold (the README's "Text in sections" says the same to officers):

- paragraphs, separated by a blank line; a line break inside a paragraph is kept where it was typed
  (the text as YAML gives it: a ``|`` block keeps every line break, a ``>`` block joins its lines);
- bulleted lists (``-``, ``*`` or ``+``) and numbered lists (``1.`` or ``1)``), nested by indenting;
- tables written with pipes: a header row, a ``---`` row under it, then rows;
- ``**bold**``, ``*italic*`` (or underscores), and links ``[text](address)`` whose address is an
  ``http``, ``https`` or ``mailto`` one (see :func:`~jmb.render.views.link_target`); a backslash
  makes the character after it literal (``\\*``).

Anything else is shown as the text it is, never as markup and never dropped: raw HTML, headings
(``#``), quotes (``>``), code, rules, images, reference links, a link to any other kind of address.
Lists nested deeper than :data:`MAX_NESTING` allows are shown as plain text (every line as typed),
rather than cut short as the parser would.

:func:`blocks` parses with ``markdown-it-py``, raw HTML off, and turns its tokens into frozen
dataclasses. No format is given record text as markup: each walks this model and escapes the text
itself (HTML through Jinja's autoescape, Markdown and Word in :mod:`jmb.render.markdown` and
:mod:`jmb.render.docx`). The digest of a record and the rules read the text as written; this module
only decides how it is shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from markdown_it import MarkdownIt
from markdown_it.common.utils import mdTrim
from markdown_it.rules_block.table import escapedSplit
from markdown_it.token import Token

from jmb.render.views import link_target

# -- the model ------------------------------------------------------------------------------------
# Each class names its ``kind`` (a class attribute, not a field): what a template tests to choose
# its markup, as a template cannot test a Python type.


@dataclass(frozen=True)
class Text:
    """Text as it is shown, with nothing in it read as markup."""

    text: str
    kind: ClassVar[str] = "text"


@dataclass(frozen=True)
class LineBreak:
    """A line break kept inside a paragraph, a list item or a table cell."""

    kind: ClassVar[str] = "break"


@dataclass(frozen=True)
class Strong:
    """Bold text."""

    children: tuple[Inline, ...]
    kind: ClassVar[str] = "strong"


@dataclass(frozen=True)
class Emphasis:
    """Italic text."""

    children: tuple[Inline, ...]
    kind: ClassVar[str] = "emphasis"


@dataclass(frozen=True)
class Link:
    """A link: ``url`` is an ``http``, ``https`` or ``mailto`` address (see
    :func:`~jmb.render.views.link_target`), never anything else."""

    url: str
    children: tuple[Inline, ...]
    kind: ClassVar[str] = "link"


Inline = Text | LineBreak | Strong | Emphasis | Link


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of inline text."""

    inlines: tuple[Inline, ...]
    kind: ClassVar[str] = "paragraph"

    def __str__(self) -> str:
        return plain_text(self)


@dataclass(frozen=True)
class ListItem:
    """An item of a list: its paragraphs and the lists nested in it."""

    blocks: tuple[Block, ...]
    kind: ClassVar[str] = "item"


@dataclass(frozen=True)
class BulletList:
    """A bulleted list."""

    items: tuple[ListItem, ...]
    kind: ClassVar[str] = "bullets"

    def __str__(self) -> str:
        return plain_text(self)


@dataclass(frozen=True)
class OrderedList:
    """A numbered list, numbered from ``start``."""

    start: int
    items: tuple[ListItem, ...]
    kind: ClassVar[str] = "numbers"

    def __str__(self) -> str:
        return plain_text(self)


#: A table cell's content.
Cell = tuple[Inline, ...]


@dataclass(frozen=True)
class Table:
    """A table: a header row of column headings, then its rows (each as wide as the header)."""

    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    kind: ClassVar[str] = "table"

    def __str__(self) -> str:
        return plain_text(self)


Block = Paragraph | BulletList | OrderedList | Table

# -- reading text ---------------------------------------------------------------------------------

#: How deep markdown-it's tokens may nest. Past it markdown-it silently drops the rest of the text;
#: :func:`blocks` shows such a text as plain lines instead. Each level of list takes two (the list
#: and its item), so about eight levels of list fit.
MAX_NESTING = 20


class _Subset(MarkdownIt):
    """markdown-it with only the subset's rules: the "zero" preset (paragraphs and text only, raw
    HTML off) and lists, tables, emphasis, links, line breaks and backslash escapes; images are
    read only so that they can be shown as the text they are (see :func:`_inlines`)."""

    def __init__(self) -> None:
        super().__init__("zero", {"maxNesting": MAX_NESTING})
        self.enable(["list", "table", "emphasis", "link", "image", "newline", "escape"])

    def validateLink(self, url: str) -> bool:  # markdown-it names it so
        # A link to any other address is not a link at all: markdown-it leaves it as its text.
        return bool(link_target(url))


_PARSER = _Subset()
_BLANK_LINES = re.compile(r"\n[ \t]*\n")
#: Spacing that is neither a space, a tab nor a new line, as Markdown knows them: a form feed or
#: vertical tab pasted from Word is a space; a next-line, line or paragraph separator a new line.
_ODD_SPACING = str.maketrans(
    dict.fromkeys("\v\f\x1c\x1d\x1e\x1f", " ") | dict.fromkeys("\x85\u2028\u2029", "\n")
)
_ANY_ODD_SPACING = re.compile(
    "[\v\f\x1c-\x1f\x85\u2028\u2029]"
)  # translate is slow: only if needed


#: What can start markup of the subset: emphasis, links, images, tables, escapes, a list item at
#: the start of a line (and NUL, which markdown-it replaces). Text without any is paragraphs of
#: lines, read without the parser (see :func:`_paragraphs`).
_MARKUP = re.compile(r"[*_\[\]!|\\\x00]|^[ \t]*(?:[-+]|\d{1,9}[.)])", re.MULTILINE)
_INLINE_MARKUP = re.compile(r"[*_\[\]!\\\x00]")
_PARAGRAPH_BREAK = re.compile(r"\n(?:[ \t]*\n)+")


def blocks(text: str | None) -> tuple[Block, ...]:
    """``text`` (section text as written) as blocks: see the module for what is read as what."""
    if not text or not text.strip():
        return ()
    # One kind of new line, as markdown-it counts lines (the table check below reads them).
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _ANY_ODD_SPACING.search(text):
        text = text.translate(_ODD_SPACING)
    if _MARKUP.search(text) is None:  # most sections are prose, read ten times faster so
        return _paragraphs(text)
    return _parsed(text)


def _parsed(text: str) -> tuple[Block, ...]:
    """``text`` read by markdown-it."""
    tokens = _PARSER.parse(text)
    if any(token.level >= MAX_NESTING - 1 for token in tokens):
        return _plain(text)  # markdown-it has stopped reading somewhere: nothing may be lost
    try:
        read, _ = _blocks(tokens, 0, "", text.split("\n"))
    except _Lost:
        return _plain(text)
    made = tuple(read)
    # What markdown-it reads and what it drops is its business; that nothing is dropped is jmb's
    # promise, so it is checked: every letter written must be shown, in order, or the text is
    # shown as its plain lines. (A link's title, say, which no format shows.)
    if _letters(text) != "".join(_shown_letters(made)):
        return _plain(text)
    return made


def _paragraphs(text: str) -> tuple[Block, ...]:
    """Text without markup (see :data:`_MARKUP`) as markdown-it reads it, without it: paragraphs
    at blank lines, each trimmed, its lines broken, each line after the first without its leading
    spaces and tabs, each before the last without its trailing spaces. (A test holds the two
    the same.)"""
    made = []
    for chunk in _PARAGRAPH_BREAK.split(text):
        content = mdTrim(chunk)
        if not content:
            continue
        lines = content.split("\n")
        pieces: list[Inline] = []
        for index, line in enumerate(lines):
            if index:
                pieces.append(LineBreak())
                line = line.lstrip(" \t")
            if index < len(lines) - 1:
                line = line.rstrip(" ")
            if line:
                pieces.append(Text(line))
        made.append(Paragraph(tuple(pieces)))
    return tuple(made)


def inlines(text: str | None) -> tuple[Inline, ...]:
    """``text`` as inline text only (a recommendation item: bold, italic and links at most, on
    one line): whatever else it holds is its text."""
    if not text:
        return ()
    text = " ".join(text.split())  # every kind of spacing: one space
    if _INLINE_MARKUP.search(text) is None:
        return (Text(text),) if text else ()
    (token,) = _PARSER.parseInline(text)
    made = _inline_token(token)
    if _letters(text) != "".join(_shown_letters(made)):  # as in blocks: nothing is dropped
        return (Text(text),)
    return made


def _plain(text: str) -> tuple[Block, ...]:
    """``text`` as paragraphs of lines, nothing read as markup."""
    return tuple(
        Paragraph(_lines(chunk)) for chunk in _BLANK_LINES.split(text.strip()) if chunk.strip()
    )


def _lines(text: str) -> tuple[Inline, ...]:
    """``text`` as its lines (each stripped), with a line break between each two."""
    pieces: list[Inline] = []
    for line in text.splitlines():
        if line.strip():
            if pieces:
                pieces.append(LineBreak())
            pieces.append(Text(line.strip()))
    return tuple(pieces)


class _Lost(Exception):
    """markdown-it has dropped some of the text."""


def _blocks(
    tokens: list[Token], index: int, until: str, lines: list[str]
) -> tuple[list[Block], int]:
    """The blocks of ``tokens`` from ``index`` to the token of type ``until`` (or the end), and
    the index after it; ``lines`` are the lines of the text they were read from."""
    read: list[Block] = []
    while index < len(tokens):
        token = tokens[index]
        if token.type == until:
            return read, index + 1
        if token.type == "paragraph_open":
            pieces = _inline_token(tokens[index + 1])
            if pieces:  # a paragraph of spacing alone (a no-break space, say) shows nothing
                read.append(Paragraph(pieces))
            index += 3  # paragraph_open, inline, paragraph_close
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            close = token.type.replace("_open", "_close")
            items = []
            index += 1
            while tokens[index].type == "list_item_open":
                content, index = _blocks(tokens, index + 1, "list_item_close", lines)
                items.append(ListItem(tuple(content)))
            if tokens[index].type != close:
                raise AssertionError(f"markdown-it list without its end: {tokens[index].type}")
            index += 1
            if token.type == "bullet_list_open":
                read.append(BulletList(tuple(items)))
            else:
                start = token.attrGet("start")
                read.append(OrderedList(int(start) if start is not None else 1, tuple(items)))
        elif token.type == "table_open":
            table, index = _table(tokens, index + 1, lines)
            read.append(table)
        else:  # the subset's rules make no other block token
            raise AssertionError(f"markdown-it token outside jmb's subset: {token.type}")
    return read, index


def _table(tokens: list[Token], index: int, lines: list[str]) -> tuple[Table, int]:
    """The table whose tokens start at ``index`` (after ``table_open``), and the index after it;
    :class:`_Lost` when a row has more cells than the header, which markdown-it drops."""
    rows: list[tuple[Cell, ...]] = []
    header: tuple[Cell, ...] = ()
    row: list[Cell] = []
    while tokens[index].type != "table_close":
        kind = tokens[index].type
        if kind == "tr_open":
            row = []
            where = tokens[index].map
            if where is not None and where[0] < len(lines):
                cells = escapedSplit(lines[where[0]].strip())
                cells = cells[1:] if cells and not cells[0].strip() else cells
                cells = cells[:-1] if cells and not cells[-1].strip() else cells
                if header and len(cells) > len(header):
                    raise _Lost
        elif kind in ("th_open", "td_open"):
            row.append(_inline_token(tokens[index + 1]))
            index += 2  # the cell's inline token and its close
        elif kind == "tr_close":
            if not header and not rows and tokens[index - 1].type == "th_close":
                header = tuple(row)
            else:
                rows.append(tuple(row))
        index += 1
    return Table(header, tuple(rows)), index + 1


#: How deep bold, italic and links may nest in one another. markdown-it pairs any number of ``*``
#: (a thousand make five hundred levels of bold); text nested deeper is shown as it was written.
MAX_INLINE_NESTING = 8


class _TooDeep(Exception):
    """Inline text nested deeper than :data:`MAX_INLINE_NESTING`."""


def _inline_token(token: Token) -> tuple[Inline, ...]:
    """An ``inline`` token's text as the model's inlines; as its text as written, line by line,
    when it nests too deep."""
    try:
        return _inlines(token.children or [])
    except _TooDeep:
        return _lines(token.content)


_CLOSES = {"strong_close": "strong_open", "em_close": "em_open", "link_close": "link_open"}


def _inlines(children: list[Token]) -> tuple[Inline, ...]:
    """markdown-it's inline tokens as the model's: text, line breaks, bold, italic and links; an
    image is shown as the text it was written as."""
    stack: list[tuple[Token | None, list[Inline]]] = [(None, [])]
    for child in children:
        kind = child.type
        into = stack[-1][1]
        if kind in ("softbreak", "hardbreak"):
            into.append(LineBreak())
        elif kind in ("strong_open", "em_open", "link_open"):
            if len(stack) > MAX_INLINE_NESTING:
                raise _TooDeep
            stack.append((child, []))
        elif kind in _CLOSES:
            opener, content = stack.pop()
            made = tuple(_joined(content))
            into = stack[-1][1]
            if opener is None or opener.type != _CLOSES[kind]:
                raise AssertionError(f"markdown-it inline tokens out of order at {kind}")
            if kind == "strong_close":
                into.append(Strong(made))
            elif kind == "em_close":
                into.append(Emphasis(made))
            else:
                into.append(Link(str(opener.attrGet("href") or ""), made))
        elif kind == "image":
            source = _PARSER.normalizeLinkText(str(child.attrGet("src") or ""))
            into.append(Text(f"![{child.content}]({source})"))
        else:  # text, and anything else markdown-it makes of the subset's rules: its text
            into.append(Text(child.content))
    if len(stack) != 1:
        raise AssertionError("markdown-it inline tokens left open")
    return tuple(_joined(stack[0][1]))


def _joined(pieces: list[Inline]) -> list[Inline]:
    """``pieces`` with neighbouring texts made one."""
    joined: list[Inline] = []
    for piece in pieces:
        if isinstance(piece, Text) and joined and isinstance(joined[-1], Text):
            joined[-1] = Text(joined[-1].text + piece.text)
        elif not (isinstance(piece, Text) and not piece.text):
            joined.append(piece)
    return joined


#: What is not a letter (nor a mark of one): all the check of what is shown compares.
_NOT_LETTERS = re.compile(r"[\W\d_]+")


def _letters(text: str) -> str:
    return _NOT_LETTERS.sub("", text)


def _shown_letters(content: tuple[Block, ...] | tuple[Inline, ...]) -> list[str]:
    """The letters ``content`` shows, in order (a link's address after its text, as written)."""
    shown = []
    for piece in content:
        if isinstance(piece, Text):
            shown.append(_letters(piece.text))
        elif isinstance(piece, Strong | Emphasis):
            shown += _shown_letters(piece.children)
        elif isinstance(piece, Link):
            shown += [*_shown_letters(piece.children), _letters(piece.url)]
        elif isinstance(piece, Paragraph):
            shown += _shown_letters(piece.inlines)
        elif isinstance(piece, BulletList | OrderedList):
            for item in piece.items:
                shown += _shown_letters(item.blocks)
        elif isinstance(piece, Table):
            for row in (piece.header, *piece.rows):
                for cell in row:
                    shown += _shown_letters(cell)
    return shown


# -- as plain text ----------------------------------------------------------------------------------


def plain_text(block: Block) -> str:
    """``block`` as plain text, line breaks as new lines (for open data and search, which carry
    text, not layout): a list item a line, a table row a line with its cells between ``|``."""
    if isinstance(block, Paragraph):
        return inline_text(block.inlines)
    if isinstance(block, Table):
        return "\n".join(
            " | ".join(inline_text(cell) for cell in row) for row in (block.header, *block.rows)
        )
    lines = []
    for number, item in enumerate(block.items, start=getattr(block, "start", 1)):
        marker = "-" if isinstance(block, BulletList) else f"{number}."
        text = "\n".join(plain_text(inner) for inner in item.blocks)
        lines.append(f"{marker} {text}".rstrip())
    return "\n".join(lines)


def inline_text(pieces: tuple[Inline, ...]) -> str:
    """Inline text as plain text, line breaks as new lines."""
    out = []
    for piece in pieces:
        if isinstance(piece, Text):
            out.append(piece.text)
        elif isinstance(piece, LineBreak):
            out.append("\n")
        else:
            out.append(inline_text(piece.children))
    return "".join(out)
