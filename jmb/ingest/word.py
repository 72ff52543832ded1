"""The Word reader of ``jmb import``: a ``.docx`` form as :class:`~jmb.ingest.blocks.Block` values.

The body is read in the order Word shows it, paragraphs and tables interleaved (content controls
and text boxes opened in place). A paragraph is a heading when its style is a Heading style (or
has an outline level), or when it is short and every run of it is bold (how most forms mark their
headings); a list item when Word numbers it or it starts with a typed marker ("1.", "a)", "•").
A table is one block of rows of cell texts, a merged cell given once.

Only the document's own XML is read: macros are never run, and no relationship is followed (an
image or link that points outside the file, ``TargetMode="External"``, stays an address). Before
anything is parsed the file must be a zip whose parts add up to at most
:data:`MAX_UNCOMPRESSED_BYTES`, so a zip bomb is refused without being inflated.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jmb.core.errors import FormReadError
from jmb.ingest.blocks import Block, Kind
from jmb.ingest.lists import typed_list_item
from jmb.ingest.source import checked_size

#: The most the parts of a ``.docx`` may hold once inflated (a real form holds a few MB at most,
#: its images included).
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
#: The most a ``.docx`` file itself may be on disk.
MAX_FILE_BYTES = MAX_UNCOMPRESSED_BYTES

#: A bold paragraph longer than this is emphasis in the text, not a heading.
MAX_BOLD_HEADING_CHARS = 120

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The stream an encrypted Office file keeps its key data in (names in OLE are UTF-16).
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


def read_docx(path: Path) -> list[Block]:
    """The blocks of the Word form at ``path``, in reading order.

    Raises :class:`~jmb.core.errors.FormReadError` naming the file when it is not a ``.docx``
    (an old ``.doc``, any other file), is password-protected, malformed, or too large.
    """
    _check_container(path)
    import docx
    from docx.exceptions import PythonDocxError
    from docx.opc.exceptions import OpcError
    from docx.oxml.exceptions import XmlchemyError

    try:
        document = docx.Document(str(path))
        reader = _BodyReader(document)
        reader.read(document.element.body)
    except (
        KeyError,
        ValueError,
        TypeError,
        AttributeError,
        IndexError,
        zipfile.BadZipFile,
        SyntaxError,  # lxml's XMLSyntaxError: a part that is not well-formed XML
        OpcError,
        PythonDocxError,
        XmlchemyError,  # an element without an attribute the schema requires
        NotImplementedError,
    ) as error:
        # python-docx raises these on a package it cannot make sense of (a missing part, a part
        # of the wrong type, bad XML, a style of no known type), whether it opens the package or
        # reads the body; which one is an accident of where the damage is.
        detail = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise FormReadError(path, f"is a malformed Word document: {detail}") from None
    return reader.blocks


def _check_container(path: Path) -> None:
    """Refuse, before parsing, a file that is not a zip of sane size: OLE files, zip bombs."""
    checked_size(path, MAX_FILE_BYTES, "a Word form")
    try:
        with path.open("rb") as stream:
            head = stream.read(len(_OLE_MAGIC))
    except OSError as error:
        raise FormReadError(path, f"cannot be read: {error.strerror or error}") from None
    if head == _OLE_MAGIC:
        # Word keeps a password-protected .docx in an OLE container with the package encrypted
        # inside it; an old Word 97-2003 .doc is an OLE container too, without that stream.
        if _ENCRYPTION_STREAM in path.read_bytes():
            raise FormReadError(
                path,
                "is password-protected (encrypted); save it without a password and import that",
            )
        raise FormReadError(
            path, "is an old Word 97-2003 document, not a .docx; save it as .docx and import that"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise FormReadError(
            path, "is not a Word document (.docx): it is not a zip package"
        ) from None
    # zipfile never inflates a member past the size its header declares, so the declared sizes
    # are what reading the parts can cost.
    inflated = sum(member.file_size for member in members)
    if inflated > MAX_UNCOMPRESSED_BYTES:
        raise FormReadError(
            path,
            f"would inflate to {inflated:,} bytes, more than the {MAX_UNCOMPRESSED_BYTES:,} "
            "a Word form may hold (a zip bomb?)",
        )
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or not any(
        name.startswith("word/") and name.endswith(".xml") for name in names
    ):
        raise FormReadError(path, "is a zip file but not a Word document (.docx)")


class _BodyReader:
    """Walks the body of one document, numbering paragraphs and tables as it goes."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.blocks: list[Block] = []
        self.paragraphs = 0
        self.tables = 0
        self._numbering = _Numbering(document)

    def read(self, container: Any) -> None:
        """Read the paragraphs and tables of ``container`` (the body, a content control) in order."""
        for child in container.iterchildren():
            if child.tag == _w("p"):
                self._paragraph(child)
            elif child.tag == _w("tbl"):
                self._table(child)
            elif child.tag == _w("sdt"):
                # A content control (a form field of a template) holds paragraphs or tables.
                for content in child.iterchildren(_w("sdtContent")):
                    self.read(content)

    def _paragraph(self, p: Any) -> None:
        from docx.text.paragraph import Paragraph

        text = _text_of(p).strip()
        boxes = list(_text_boxes(p))
        if text:
            self.paragraphs += 1
            paragraph = Paragraph(p, self.document)
            self.blocks.append(self._block_of(paragraph, text, f"paragraph {self.paragraphs}"))
        # A text box anchored in the paragraph comes after it: its own paragraphs and tables.
        for box in boxes:
            self.read(box)

    def _block_of(self, paragraph: Any, text: str, where: str) -> Block:
        bold = _all_bold(paragraph)
        heading_level = _heading_level(paragraph)
        if heading_level:
            return Block(Kind.HEADING, text, where, bold=bold, level=heading_level)
        if bold and len(text) <= MAX_BOLD_HEADING_CHARS and "\n" not in text:
            # Forms mark most headings by bold type alone; their level is not stated (0).
            return Block(Kind.HEADING, text, where, bold=True)
        numbered = self._numbering.of(paragraph)
        if numbered is not None:
            ordered, depth = numbered
            return Block(Kind.LIST_ITEM, text, where, bold=bold, level=depth, ordered=ordered)
        typed = typed_list_item(text)
        if typed is not None:
            rest, ordered, depth = typed
            return Block(Kind.LIST_ITEM, rest, where, bold=bold, level=depth, ordered=ordered)
        return Block(Kind.PARAGRAPH, text, where, bold=bold)

    def _table(self, tbl: Any) -> None:
        self.tables += 1
        rows = tuple(
            row for row in (_row_texts(tr) for tr in tbl.iterchildren(_w("tr"))) if any(row)
        )
        if rows:
            self.blocks.append(Block(Kind.TABLE, "", f"table {self.tables}", rows=rows))


def _row_texts(tr: Any) -> tuple[str, ...]:
    """The texts of one row's cells: a cell spanning columns once, a vertically merged cell only
    in its first row (the rows below it give an empty cell)."""
    cells: list[str] = []
    for tc in tr.iterchildren(_w("tc")):
        merge = tc.find(f"{_w('tcPr')}/{_w('vMerge')}")
        if merge is not None and merge.get(_w("val"), "continue") == "continue":
            cells.append("")
            continue
        cells.append(_cell_text(tc))
    return tuple(cells)


def _cell_text(tc: Any) -> str:
    """A cell's paragraphs joined by blank lines; a table inside the cell row by row."""
    parts: list[str] = []
    for child in tc.iterchildren():
        if child.tag == _w("p"):
            text = _text_of(child).strip()
            if text:
                parts.append(text)
        elif child.tag == _w("tbl"):
            for tr in child.iterchildren(_w("tr")):
                row = " | ".join(cell for cell in _row_texts(tr) if cell)
                if row:
                    parts.append(row)
        elif child.tag == _w("sdt"):
            for content in child.iterchildren(_w("sdtContent")):
                text = _cell_text(content)
                if text:
                    parts.append(text)
    return "\n\n".join(parts)


# Elements whose text is not the paragraph's: deleted or moved-away text (tracked changes), the
# fallback copy of a drawing, text boxes (read on their own), field instructions, footnote marks.
_SKIPPED = frozenset(
    {_w("del"), _w("moveFrom"), _w("txbxContent"), f"{{{_MC}}}Fallback", _w("instrText")}
)


def _text_of(element: Any) -> str:
    """The text a reader sees in a paragraph: runs, hyperlinks and inserted text, tabs and breaks."""
    parts: list[str] = []
    _collect_text(element, parts)
    return "".join(parts)


def _collect_text(element: Any, parts: list[str]) -> None:
    for child in element.iterchildren():
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            continue
        if tag == _w("t"):
            parts.append(child.text or "")
        elif tag == _w("tab"):
            parts.append("\t")
        elif tag in (_w("br"), _w("cr")):
            parts.append("\n")
        elif tag == _w("noBreakHyphen"):
            parts.append("-")
        else:
            _collect_text(child, parts)


def _text_boxes(p: Any) -> Iterator[Any]:
    """The text boxes anchored in a paragraph (the drawing's own copy, not its fallback)."""
    for box in p.iter(_w("txbxContent")):
        if not any(ancestor.tag == f"{{{_MC}}}Fallback" for ancestor in box.iterancestors()):
            yield box


def _all_bold(paragraph: Any) -> bool:
    """Whether every run of the paragraph that shows text is bold (directly or by its styles)."""
    style_bold = _style_flag(paragraph.style, "bold")
    seen = False
    for run in paragraph.runs:
        if not run.text.strip():
            continue
        seen = True
        bold = run.bold
        if bold is None and run.style is not None and run.style.type is not None:
            bold = _style_flag(run.style, "bold")
        if bold is None:
            bold = style_bold
        if not bold:
            return False
    return seen


def _style_flag(style: Any, name: str) -> bool | None:
    """A font flag a style sets, itself or through the styles it is based on."""
    seen: set[int] = set()
    while style is not None and id(style) not in seen:
        seen.add(id(style))
        value = getattr(style.font, name, None)
        if value is not None:
            return bool(value)
        style = style.base_style
    return None


_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)


def _heading_level(paragraph: Any) -> int:
    """The level of a heading paragraph (1 the highest), 0 when it is not one.

    A Heading or Title style says so, and so does an outline level (set on the paragraph or its
    style), which is how a heading style in another language or an office's own style is marked.
    """
    outline = paragraph._p.find(f"{_w('pPr')}/{_w('outlineLvl')}")
    if outline is not None:
        return _outline_level(outline)
    style = paragraph.style
    seen: set[int] = set()
    while style is not None and id(style) not in seen:
        seen.add(id(style))
        name = (style.name or "").strip()
        match = _HEADING_STYLE.match(name) or _HEADING_STYLE.match(style.style_id or "")
        if match:
            return max(1, int(match[1]))
        if name.lower() == "title":
            return 1
        outline = style.element.find(f"{_w('pPr')}/{_w('outlineLvl')}")
        if outline is not None:
            return _outline_level(outline)
        style = style.base_style
    return 0


def _outline_level(element: Any) -> int:
    # Word counts outline levels from 0; 9 is body text.
    try:
        value = int(element.get(_w("val"), "9"))
    except ValueError:
        return 0
    return value + 1 if 0 <= value < 9 else 0


_LIST_STYLE = re.compile(r"^list(?: bullet| number| continue)?\s+(\d)$", re.IGNORECASE)


class _Numbering:
    """Word's list numbering: whether a paragraph is numbered, bulleted, and how deep."""

    def __init__(self, document: Any) -> None:
        self._formats: dict[tuple[str, int], str] = {}
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract_formats: dict[str, dict[int, str]] = {}
        for abstract in numbering.iterchildren(_w("abstractNum")):
            levels: dict[int, str] = {}
            for lvl in abstract.iterchildren(_w("lvl")):
                fmt = lvl.find(_w("numFmt"))
                levels[_int(lvl.get(_w("ilvl")))] = (
                    fmt.get(_w("val"), "decimal") if fmt is not None else "decimal"
                )
            abstract_formats[abstract.get(_w("abstractNumId"), "")] = levels
        for num in numbering.iterchildren(_w("num")):
            ref = num.find(_w("abstractNumId"))
            if ref is None:
                continue
            for ilvl, fmt in abstract_formats.get(ref.get(_w("val"), ""), {}).items():
                self._formats[(num.get(_w("numId"), ""), ilvl)] = fmt

    def of(self, paragraph: Any) -> tuple[bool, int] | None:
        """(numbered, depth) when Word numbers the paragraph or its style, else None."""
        num_pr = paragraph._p.find(f"{_w('pPr')}/{_w('numPr')}")
        style = paragraph.style
        seen: set[int] = set()
        while num_pr is None and style is not None and id(style) not in seen:
            seen.add(id(style))
            num_pr = style.element.find(f"{_w('pPr')}/{_w('numPr')}")
            style = style.base_style
        if num_pr is None:
            return None
        num_id_el = num_pr.find(_w("numId"))
        num_id = num_id_el.get(_w("val"), "0") if num_id_el is not None else "0"
        if num_id == "0":
            # numId 0 switches numbering off (a style's list turned off on this paragraph).
            return None
        ilvl_el = num_pr.find(_w("ilvl"))
        ilvl = _int(ilvl_el.get(_w("val")) if ilvl_el is not None else "0")
        fmt = self._formats.get((num_id, ilvl), "decimal")
        # Word's "List Bullet 2" and "List Number 3" styles nest by a list of their own at its
        # first level: the style's number is the depth.
        styled = _LIST_STYLE.match((paragraph.style.name or "") if paragraph.style else "")
        depth = max(ilvl, int(styled[1]) - 1) if styled else ilvl
        return fmt not in ("bullet", "none"), depth


def _int(value: str | None) -> int:
    try:
        return max(0, int(value or "0"))
    except ValueError:
        return 0
