"""Word (.docx) output: real Heading styles, numbered lists, the signature block as a table.

Offices still edit and circulate Word, so the document is built from named styles (a reader's
navigation pane and a screen reader see the headings, and an office restyles the whole document by
changing a style) rather than from formatted text: Word's own (Heading, List, Header, Footer,
Strong) and jmb's (:data:`JMB_STYLES`). It is printed on A4 with the office's margins, with the
organisation and the decision's number in the header and "Page X of Y" in the footer, as fields
that Word fills in. The file is deterministic: its dates come from the record, and the zip entries
carry the record's date too.
"""

from __future__ import annotations

import io
import re
import weakref
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from jmb.core.errors import RecordError
from jmb.render.blocks import (
    Block,
    BulletList,
    Emphasis,
    Inline,
    LineBreak,
    Link,
    OrderedList,
    Paragraph,
    Strong,
    Table,
    Text,
)
from jmb.render.part1 import Part1View
from jmb.render.part2 import Part2View
from jmb.render.views import Paper, Section, SignatureLine, map_text
from jmb.repo.config import Margins

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Word's limit on a core property such as the title.
_PROPERTY_LIMIT = 255


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)


def _property(text: str) -> str:
    return text if len(text) <= _PROPERTY_LIMIT else text[: _PROPERTY_LIMIT - 1] + "…"


#: What the officer declaration confirms, as the form lists it.
_DECLARED = (
    "Legal implications: as above",
    "Financial implications: as above",
    "Equalities implications: as above",
    "Consultation: as above",
)
_SIGN_HERE = "Signature: ______________"
_DATE_HERE = "Date: ________"


#: The file in a repository's template folder that Word output starts from, when there is one: an
#: office's own Word document, whose styles (headings, lists, tables, and jmb's own when it defines
#: them), page set-up (paper and margins: [render] margins does not apply), headers and footers the
#: output takes. Its body text is not kept, nor any other text of its own (comments, notes,
#: properties, thumbnail: :data:`_BASE_CONTENT`). A header or footer of its own (any text, field
#: or picture) is kept as it is, without jmb's organisation and number or "Page X of Y"; an empty
#: one gets jmb's. Part 2's marking and a draft's banner are added to every header (and the marking to
#: every footer) whatever it holds.
WORD_BASE = "reference.docx"

#: jmb's own paragraph styles, by name: what each one is for, and how jmb's default document sets it
#: (a reference document that defines a style of the same name keeps its own).
JMB_STYLES = {
    "Organisation": "the organisation's name at the head of the form",
    "Strapline": "the organisation's strapline under its name",
    "Board": "the board's name under them",
    "Table Caption": "the caption above a signature table, kept with the table",
    "Protective Marking": "Part 2's protective marking, in the header and footer of every page",
    "Draft Banner": 'the "DRAFT - not approved" line in the header of every page of a draft',
}

#: The start of the relationship types of Office Open XML's parts.
_OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

#: A4, in millimetres.
_A4 = (210, 297)


def build_docx(
    view: Part1View | Part2View, base: Path | None = None, margins: Margins | None = None
) -> bytes:
    """The .docx bytes of a Part 1 or Part 2 view, styled by the Word document ``base`` if given;
    on A4 with ``margins`` (the defaults of :class:`~jmb.repo.config.Margins` if none) unless
    ``base`` has its own page set-up."""
    from docx import Document
    from docx.oxml.ns import qn

    # XML 1.0 cannot carry most control characters (a form feed pasted from Word, say): they go.
    view = map_text(view, _xml_safe)
    try:
        document = Document(str(base)) if base is not None else Document()
    except Exception as error:  # python-docx raises many kinds for a file that is no Word document
        raise RecordError(f"{base}: not a Word document to start from ({error})") from None
    if base is not None:
        body = document.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):  # the page set-up and its headers and footers stay
                body.remove(child)
        _without_base_content(document)
    _properties(document, view)
    margins = margins or Margins()
    _styles(document, None if base is not None else _A4[0] - margins.left - margins.right)
    if base is None:
        _page(document, margins)
    _running(document, view)
    if isinstance(view, Part2View):
        _part2(document, view)
    else:
        _part1(document, view)
    buffer = io.BytesIO()
    document.save(buffer)
    return _deterministic_zip(buffer.getvalue(), view.header.date_iso)


#: What a reference document holds besides its styles, page set-up, headers and footers, by
#: relationship type: its comments and who wrote them, its footnotes and endnotes, its building
#: blocks, its custom XML (SharePoint metadata, bibliography), and on the package its custom and
#: application properties (company, the titles of its parts) and the picture of its first page.
#: All of it is the text of the document the office saved, which may have been a real decision with
#: a Part 2: none of it goes into the output, which for Part 1 is published.
_BASE_CONTENT = frozenset(
    {
        f"{_OFFICE_RELS}/comments",
        f"{_OFFICE_RELS}/commentAuthors",
        "http://schemas.microsoft.com/office/2011/relationships/commentsExtended",
        "http://schemas.microsoft.com/office/2016/09/relationships/commentsIds",
        "http://schemas.microsoft.com/office/2018/08/relationships/commentsExtensible",
        "http://schemas.microsoft.com/office/2011/relationships/people",
        f"{_OFFICE_RELS}/footnotes",
        f"{_OFFICE_RELS}/endnotes",
        f"{_OFFICE_RELS}/glossaryDocument",
        f"{_OFFICE_RELS}/customXml",
        f"{_OFFICE_RELS}/custom-properties",
        f"{_OFFICE_RELS}/extended-properties",
        "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail",
    }
)


def _without_base_content(document: Any) -> None:
    """Take out of a reference ``document`` (its body already gone) every part that holds its own
    text (:data:`_BASE_CONTENT`) and its document variables, and empty the core properties jmb
    does not set. A footnote or endnote setting that names a separator is taken out with the
    notes, so that nothing points at a part that is no longer there."""
    from docx.oxml.ns import qn

    for owner in (document.part.package, document.part):
        for r_id, relationship in list(owner.rels.items()):
            if relationship.reltype in _BASE_CONTENT:
                del owner.rels[r_id]
    settings = document.settings.element
    # Document variables: what add-ins and document management systems keep of the document.
    for name in ("w:footnotePr", "w:endnotePr", "w:docVars"):
        for element in settings.findall(qn(name)):
            settings.remove(element)
    properties = document.core_properties
    for name in ("keywords", "category", "content_status", "identifier", "version"):
        setattr(properties, name, "")
    core = properties._element
    for element in core.findall(qn("cp:lastPrinted")):
        core.remove(element)


def _properties(document: Any, view: Part1View | Part2View) -> None:
    moment = datetime.fromisoformat(f"{view.header.date_iso}T00:00:00")
    properties = document.core_properties
    suffix = "Part 1" if isinstance(view, Part1View) else f"Part 2, {view.marking}"
    properties.title = _property(f"Decision {view.header.number}: {view.header.title} ({suffix})")
    properties.author = _property(view.header.organisation)
    properties.last_modified_by = "jmb"
    properties.created = moment
    properties.modified = moment
    properties.revision = 1
    properties.language = view.lang
    properties.comments = ""
    properties.subject = _property(view.header.board)
    # The document's language, for spelling and screen readers: on the default run properties.
    from docx.oxml.ns import qn

    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    language = run_properties.find(qn("w:lang"))
    if language is None:
        language = run_properties.makeelement(qn("w:lang"), {})
        run_properties.append(language)
    language.set(qn("w:val"), view.lang)


def _styles(document: Any, text_width: float | None) -> None:
    """Add jmb's paragraph styles that the document lacks; in jmb's own document (given the width
    of its text, in millimetres), also set Word's Header and Footer styles' tab stops to it."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.shared import Pt, RGBColor

    styles = document.styles
    names = {style.name for style in styles}

    def add(name: str, base: str = "Normal") -> Any:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base] if base in names else styles["Normal"]
        style.quick_style = True
        return style

    if "Organisation" not in names:
        style = add("Organisation")
        style.font.bold = True
        style.font.size = Pt(16)
        style.font.color.rgb = RGBColor(0x00, 0x3B, 0x6F)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.keep_with_next = True
    if "Strapline" not in names:
        style = add("Strapline")
        style.font.italic = True
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.keep_with_next = True
    if "Board" not in names:
        style = add("Board")
        style.font.bold = True
        style.font.all_caps = True
    if "Table Caption" not in names:
        style = add("Table Caption", "Caption")
        style.font.bold = True
        style.font.italic = False
        style.font.size = Pt(11)
        style.font.color.rgb = RGBColor(0x00, 0x00, 0x00)
        style.paragraph_format.keep_with_next = True
    if "Protective Marking" not in names:
        style = add("Protective Marking", "Header")
        style.font.bold = True
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if "Draft Banner" not in names:
        style = add("Draft Banner", "Header")
        style.font.bold = True
        style.font.color.rgb = RGBColor(0x8B, 0x00, 0x00)
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if text_width is not None:
        # Word's template sets them for US Letter's text: a centre and a right stop on A4's.
        for name in ("Header", "Footer"):
            stops = styles[name].paragraph_format.tab_stops
            stops.clear_all()
            stops.add_tab_stop(_mm(text_width / 2), WD_TAB_ALIGNMENT.CENTER)
            stops.add_tab_stop(_mm(text_width), WD_TAB_ALIGNMENT.RIGHT)


def _mm(millimetres: float) -> Any:
    from docx.shared import Emu

    return Emu(round(millimetres * 36000))  # an EMU is 1/36,000 of a millimetre


def _page(document: Any, margins: Margins) -> None:
    """A4 with ``margins``; the header and footer halfway into the top and bottom margins."""
    from docx.enum.section import WD_ORIENT

    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = _mm(_A4[0]), _mm(_A4[1])
    section.top_margin, section.bottom_margin = _mm(margins.top), _mm(margins.bottom)
    section.left_margin, section.right_margin = _mm(margins.left), _mm(margins.right)
    section.header_distance, section.footer_distance = _mm(margins.top / 2), _mm(margins.bottom / 2)
    section.gutter = 0


def _has_content(part: Any) -> bool:
    """Whether a header or footer holds anything: text, a field, a picture or a table."""
    from docx.oxml.ns import qn

    element = part._element
    return any(
        element.find(f".//{qn(tag)}") is not None
        for tag in ("w:t", "w:fldSimple", "w:instrText", "w:drawing", "w:pict", "w:tbl")
    )


def _line(part: Any, text: str, style: str) -> Any:
    """A paragraph of ``style`` in a header or footer: its first, when that is empty, else a new
    one."""
    paragraphs = part.paragraphs
    if len(paragraphs) == 1 and not _has_content(part):
        paragraph = paragraphs[0]
        paragraph.text = text
        paragraph.style = style
        return paragraph
    return part.add_paragraph(text, style=style)


def _headers_and_footers(document: Any) -> tuple[list[Any], list[Any]]:
    """Every header and every footer that a page of the document shows: the default ones, the
    first page's when the document has its own, and the even pages' when it has those."""
    section = document.sections[0]
    headers, footers = [section.header], [section.footer]
    if section.different_first_page_header_footer:
        headers.append(section.first_page_header)
        footers.append(section.first_page_footer)
    if document.settings.odd_and_even_pages_header_footer:
        headers.append(section.even_page_header)
        footers.append(section.even_page_footer)
    return headers, footers


def _running(document: Any, view: Part1View | Part2View) -> None:
    """What every page shows: in the header, Part 2's marking, a draft's banner, the organisation
    and the decision's number; in the footer, "Page X of Y" and Part 2's marking. A header or
    footer of the office's own (from its reference document) is kept instead of jmb's lines, but
    never instead of the marking or the banner."""
    part = "" if isinstance(view, Part1View) else ", Part 2"
    headers, footers = _headers_and_footers(document)
    for header in headers:
        own = _has_content(header)
        if isinstance(view, Part2View):
            _line(header, view.marking, "Protective Marking")
        if view.draft:
            _line(header, "DRAFT - not approved", "Draft Banner")
        if not own:
            _line(
                header,
                f"{view.header.organisation}\t\tDecision {view.header.number}{part}",
                "Header",
            )
    for footer in footers:
        if not _has_content(footer):
            _page_numbers(_line(footer, "\t\tPage ", "Footer"))
        if isinstance(view, Part2View):
            _line(footer, view.marking, "Protective Marking")


def _page_numbers(paragraph: Any) -> None:
    """ "Page X of Y" after ``paragraph``'s text: Word's PAGE and NUMPAGES fields, which Word (and
    LibreOffice) fill in as it lays the pages out."""
    paragraph._p.append(_field("PAGE"))
    paragraph.add_run(" of ")
    paragraph._p.append(_field("NUMPAGES"))


def _field(instruction: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"  # shown until the field is updated, as Word writes it
    run.append(text)
    field.append(run)
    return field


def _masthead(document: Any, view: Part1View | Part2View) -> None:
    document.add_paragraph(view.header.organisation, style="Organisation")
    if view.header.strapline:  # an office without one (jmb init writes it empty) has no line
        document.add_paragraph(view.header.strapline, style="Strapline")
    document.add_paragraph(view.header.board, style="Board")


def _facts(document: Any, facts: list[tuple[str, str]]) -> None:
    for label, value in facts:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ", style="Strong")
        paragraph.add_run(value)


def _texts(document: Any, content: tuple[Block, ...]) -> None:
    """A section's text in Word's own terms: paragraphs, List Bullet and List Number paragraphs
    (``… 2`` and ``… 3`` nested), tables with a repeating header row; bold, italic, line breaks
    and links as runs."""
    if not content:
        document.add_paragraph().add_run("Not given.").italic = True
    for block in content:
        _block(document, block, 0)


#: How deep Word's own list styles go (List Bullet, List Bullet 2, List Bullet 3).
_LIST_DEPTH = 3


def _block(document: Any, block: Block, depth: int, style: Any = None) -> None:
    """Add ``block``; ``depth`` is how many lists it is inside, ``style`` its paragraph style."""
    if isinstance(block, Paragraph):
        _inlines(_paragraph(document, style), block.inlines)
    elif isinstance(block, Table):
        _table(document, block)
    else:
        level = min(depth + 1, _LIST_DEPTH)
        kind = "List Bullet" if isinstance(block, BulletList) else "List Number"
        item_style = _style(document, kind, level)
        further = _style(document, "List Continue", level)
        numbering = (
            _restarted(document, item_style, block.start)
            if isinstance(block, OrderedList)
            else None
        )
        for item in block.items:
            for index, inner in enumerate(item.blocks):
                if index == 0 and isinstance(inner, Paragraph):
                    paragraph = _paragraph(document, item_style)
                    if numbering is not None:
                        _number(paragraph, numbering)
                    _inlines(paragraph, inner.inlines)
                else:  # a further paragraph of the item, or a list in it
                    _block(document, inner, depth + 1, further)


def _paragraph(document: Any, style: Any) -> Any:
    """A new paragraph at the end of the body, in ``style`` (a style object, or ``None`` for
    Normal). python-docx's own way is slow for a long section, twice over: it looks a style up by
    reading every style (a few milliseconds a paragraph), and finds where the body ends by reading
    all of it (quadratic time). So the style is looked up once a list, and the paragraph is put
    straight before the body's closing section properties."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    body = document.element.body
    try:
        last = body[-1]  # counting the children (len) would read them all
    except IndexError:
        last = None
    if last is None or last.tag != qn("w:sectPr"):
        paragraph = document.add_paragraph()
    else:
        element = OxmlElement("w:p")
        last.addprevious(element)
        paragraph = Paragraph(element, document._body)
    if style is not None:
        paragraph._p.style = style.style_id
    return paragraph


def _style(document: Any, name: str, level: int) -> Any:
    """The style ``name`` at ``level`` (``List Bullet 2``) when the document has it, else the
    nearest shallower one it has; ``None`` (Normal) when it has none."""
    styles = document.styles
    for at in range(level, 0, -1):
        candidate = name if at == 1 else f"{name} {at}"
        try:
            return styles[candidate]
        except KeyError:
            continue
    return None


def _restarted(document: Any, style: Any, start: int) -> str | None:
    """A new numbering (its id) of the list style ``style`` that starts at ``start``: each numbered
    list counts from its own first number, rather than on from the last list of the document."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    if style is None:
        return None
    properties = style.element.pPr
    numbered = properties.numPr if properties is not None else None
    if numbered is None or numbered.numId is None:
        return None
    numbering = document.part.numbering_part.element
    abstract = next(
        (num.abstractNumId.val for num in numbering.num_lst if num.numId == numbered.numId.val),
        None,
    )
    if abstract is None:
        return None
    number = numbering.add_num(abstract)
    override = OxmlElement("w:lvlOverride")
    override.set(qn("w:ilvl"), "0")
    start_at = OxmlElement("w:startOverride")
    start_at.set(qn("w:val"), str(start))
    override.append(start_at)
    number.append(override)
    return str(number.numId)


def _number(paragraph: Any, numbering: str) -> None:
    """Number ``paragraph`` by the numbering ``numbering`` (see :func:`_restarted`)."""
    properties = paragraph._p.get_or_add_pPr()
    numbered = properties.get_or_add_numPr()
    numbered.get_or_add_ilvl().val = 0
    numbered.get_or_add_numId().val = int(numbering)


def _inlines(
    paragraph: Any, pieces: tuple[Inline, ...], bold: bool = False, italic: bool = False
) -> None:
    """Add ``pieces`` to ``paragraph`` as runs (a link as a real hyperlink)."""
    for piece in pieces:
        if isinstance(piece, Text):
            run = paragraph.add_run(piece.text)
            run.bold = bold or None
            run.italic = italic or None
        elif isinstance(piece, LineBreak):
            paragraph.add_run().add_break()
        elif isinstance(piece, Strong):
            _inlines(paragraph, piece.children, True, italic)
        elif isinstance(piece, Emphasis):
            _inlines(paragraph, piece.children, bold, True)
        elif isinstance(piece, Link):
            _hyperlink(paragraph, piece.url, piece.children, bold, italic)


def _hyperlink(
    paragraph: Any, url: str, pieces: tuple[Inline, ...], bold: bool = False, italic: bool = False
) -> None:
    """A hyperlink to ``url`` (an http, https or mailto address: see
    :func:`~jmb.render.views.link_target`) around ``pieces``, in the Hyperlink style when the
    document has one, blue and underlined otherwise."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    link = OxmlElement("w:hyperlink")
    relations = _Relations.of(paragraph.part)
    link.set(qn("r:id"), relations.hyperlink(url))
    paragraph._p.append(link)
    # The runs are made in a paragraph of their own, then moved into the link: in the paragraph
    # itself, finding them again would read all its runs each time.
    holder = Paragraph(OxmlElement("w:p"), paragraph._parent)
    _inlines(holder, pieces, bold, italic)
    for run in holder._p.r_lst:
        properties = run.get_or_add_rPr()
        if relations.hyperlink_style is not None:
            properties.style = relations.hyperlink_style
        else:
            color = OxmlElement("w:color")
            color.set(qn("w:val"), "0563C1")
            underline = OxmlElement("w:u")
            underline.set(qn("w:val"), "single")
            properties.append(color)
            properties.append(underline)
        link.append(run)


class _Relations:
    """The hyperlinks of a document part, one relationship an address. python-docx's own
    ``relate_to`` reads every relationship of the part for each link, which makes thousands of
    links take quadratic time."""

    _of: ClassVar[weakref.WeakKeyDictionary[Any, _Relations]] = weakref.WeakKeyDictionary()

    def __init__(self, part: Any) -> None:
        from docx.enum.style import WD_STYLE_TYPE

        self.part = part
        self.ids: dict[str, str] = {}
        numbers = [int(rid[3:]) for rid in part.rels if rid.startswith("rId") and rid[3:].isdigit()]
        self.next = max(numbers, default=0) + 1
        #: The id of the document's Hyperlink character style, if it has one.
        self.hyperlink_style: str | None = next(
            (
                style.style_id
                for style in part.document.styles
                if style.name == "Hyperlink" and style.type == WD_STYLE_TYPE.CHARACTER
            ),
            None,
        )

    @classmethod
    def of(cls, part: Any) -> _Relations:
        """The hyperlinks of ``part``."""
        known = cls._of.get(part)
        if known is None:
            known = cls._of[part] = cls(part)
        return known

    def hyperlink(self, url: str) -> str:
        """The id of the relationship to ``url``, made when it is the first link there."""
        from docx.opc.constants import RELATIONSHIP_TYPE

        rid = self.ids.get(url)
        if rid is None:
            rid = self.ids[url] = f"rId{self.next}"
            self.next += 1
            self.part.rels.add_relationship(RELATIONSHIP_TYPE.HYPERLINK, url, rid, is_external=True)
        return rid


def _table(document: Any, table: Table) -> None:
    """A table with its header row marked as one (repeated on each page, read as headers)."""
    from copy import deepcopy

    from docx.table import _Cell

    width = max(len(table.header), 1)
    made = document.add_table(rows=2, cols=width)
    if "Table Grid" in {style.name for style in document.styles}:
        made.style = "Table Grid"
    header = made.rows[0]
    _mark_header(header)
    for tc, cell in zip(header._tr.tc_lst, table.header, strict=False):
        _inlines(_Cell(tc, made).paragraphs[0], cell, bold=True)
    # Each row is a copy of an empty one, appended to the table's XML: python-docx's add_row
    # looks through every row already there for where to put it (and row.cells reads the whole
    # table), which makes a long table take quadratic time.
    empty = made._tbl.tr_lst[1]
    made._tbl.remove(empty)
    for row in table.rows:
        tr = deepcopy(empty)
        made._tbl.append(tr)
        for tc, cell in zip(tr.tc_lst, row, strict=False):
            _inlines(_Cell(tc, made).paragraphs[0], cell)


def _mark_header(row: Any) -> None:
    """Mark ``row`` as its table's header row, for screen readers and page breaks."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def _list(document: Any, items: list[str], style: str, empty: str) -> None:
    if not items:
        document.add_paragraph().add_run(empty).italic = True
    for item in items:
        document.add_paragraph(item, style=style)


def _signature_table(document: Any, lines: tuple[SignatureLine, ...]) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    heading = table.rows[0]
    for cell, text in zip(heading.cells, ("Role", "Name", "Date"), strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text, style="Strong")
    # Mark the first row as the table's header row, for screen readers and page breaks.
    row_properties = heading._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row_properties.append(marker)
    for line in lines:
        cells = table.add_row().cells
        cells[0].text = line.role
        cells[1].text = line.name or _SIGN_HERE
        cells[2].text = line.date or _DATE_HERE
    for row in table.rows:  # a row (a signature and its date) is never split across two pages
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _papers(document: Any, papers: tuple[Paper, ...]) -> None:
    """The background papers as a bulleted list, a title linked to its address where it has one."""
    if not papers:
        document.add_paragraph().add_run("None listed.").italic = True
    for paper in papers:
        paragraph = document.add_paragraph(style="List Bullet")
        if paper.url:
            _hyperlink(paragraph, paper.url, (Text(paper.title),))
        else:
            paragraph.add_run(paper.title)
        if paper.reference:
            paragraph.add_run(f" ({paper.reference})")


def _section(document: Any, section: Section, level: int) -> None:
    document.add_heading(section.heading, level=level)
    if section.subsections:
        for sub in section.subsections:
            _section(document, sub, level + 1)
    else:
        _texts(document, section.blocks)


def _part1(document: Any, view: Part1View) -> None:
    headings = view.headings
    _masthead(document, view)
    document.add_heading(f"Decision {view.header.number}: {view.header.title}", level=1)
    _facts(
        document,
        [
            ("Decision", view.header.number),
            ("Date", view.header.date),
            (headings["report_by"], view.header.report_by or "Not given"),
        ],
    )
    document.add_heading(headings["executive_summary"], level=2)
    _texts(document, view.executive_summary)
    document.add_heading(headings["recommendation"], level=2)
    document.add_paragraph(view.recommendation_lead)
    if not view.recommendations:
        document.add_paragraph().add_run("No recommendations.").italic = True
    for item in view.recommendations:
        _inlines(document.add_paragraph(style="List Number"), item)
    document.add_paragraph(headings["signature_block"], style="Table Caption")
    _signature_table(document, view.signatures)
    document.add_heading(headings["report"], level=2)
    for section in view.sections:
        _section(document, section, 3)
    document.add_heading(headings["background_papers"], level=3)
    _papers(document, view.background_papers)
    document.add_heading(headings["public_access"], level=3)
    _texts(document, view.access_statement)
    if view.exemption is not None:
        document.add_heading(headings["exempt_information"], level=3)
        document.add_paragraph(
            "A separate Part 2 of this decision holds information that is exempt from "
            f"publication under {view.exempt_under}."
        )
    document.add_heading(headings["appendices"], level=2)
    _list(
        document,
        [f"Appendix {appendix.label}: {appendix.title}" for appendix in view.appendices],
        "List Bullet",
        "None attached.",
    )
    document.add_heading(headings["officer_declaration"], level=2)
    for confirmed in _DECLARED:
        document.add_paragraph(confirmed, style="List Bullet")
    for declaration in view.declarations:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{declaration.role}: ", style="Strong")
        paragraph.add_run(declaration.statement)
    document.add_paragraph(headings["declaration_block"], style="Table Caption")
    _signature_table(document, view.declarations)


def _part2(document: Any, view: Part2View) -> None:
    _masthead(document, view)
    document.add_heading(f"Decision {view.header.number}: {view.header.title}, Part 2", level=1)
    _facts(
        document,
        [
            ("Decision", view.header.number),
            ("Date", view.header.date),
            ("Protective marking", view.marking),
            ("Exemption relied on", view.exemption),
            ("Exemption to be reviewed", view.review_on or "No date set"),
        ],
    )
    document.add_paragraph(
        "This Part 2 is not for publication: it holds information exempt under the Freedom of "
        "Information Act 2000."
    )
    for section in view.sections:
        _section(document, section, 2)


def _deterministic_zip(data: bytes, date_iso: str) -> bytes:
    """The same zip with every entry stamped with the record's date, in a fixed order and mode,
    so that the same record gives the same bytes."""
    year, month, day = (int(part) for part in date_iso.split("-"))
    stamp = (min(max(year, 1980), 2107), month, day, 0, 0, 0)  # what a zip date can hold
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(entry.filename))
    return buffer.getvalue()
