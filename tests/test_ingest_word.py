"""The Word reader of ``jmb import`` (issue 10): forms built here, in two offices' layouts, read
back as blocks in order; and every file it must refuse refused on one line naming the file."""

from __future__ import annotations

import socket
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from jmb.core.constants import RC
from jmb.core.errors import FormReadError
from jmb.ingest.blocks import Block, Kind
from jmb.ingest.word import MAX_UNCOMPRESSED_BYTES, read_docx

H, P, L, T = Kind.HEADING, Kind.PARAGRAPH, Kind.LIST_ITEM, Kind.TABLE

SUMMARY = (
    "The purpose of the report is to provide authorisation to enter into a collaborative "
    "agreement to secure the necessary governance and payment arrangements for Police.uk when "
    "it moves to SOH."
)
RECOMMENDATIONS = (
    "enter into a collaborative agreement to secure the necessary governance and payment "
    "arrangements for Police.uk when it moves to SOH.",
    "enter into a collaborative agreement should Lancashire Constabulary decided to on-board to "
    "the service towards the end of the programme (February 2020).",
)
SIGNATURES = (
    ("Signature", "Signature"),
    ("Police and Crime Commissioner", "Chief Constable"),
    ("Date", "Date"),
)


def bold_paragraph(document: Any, text: str) -> None:
    document.add_paragraph().add_run(text).bold = True


def table(document: Any, rows: tuple[tuple[str, ...], ...]) -> Any:
    made = document.add_table(rows=len(rows), cols=max(len(row) for row in rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            made.cell(r, c).text = text
    return made


def lancashire_form(path: Path) -> Path:
    """The reference form (decision-2019-09) as Lancashire lays it out: a header table of run-in
    labels, bold paragraphs for headings, typed numbers, a signature table, lettered sub-headings."""
    document = docx.Document()
    bold_paragraph(document, "JOINT MANAGEMENT BOARD")
    table(
        document,
        (
            ("DECISION 2019/09", "DATE: 12 JUNE 2019"),
            ("TITLE : SINGLE ONLINE HOME", ""),
            ("REPORT BY: IAN DICKINSON", ""),
        ),
    )
    bold_paragraph(document, "Executive Summary")
    document.add_paragraph(SUMMARY)
    bold_paragraph(document, "Recommendation")
    document.add_paragraph(
        "The Police and Crime Commissioner and Chief Constable are recommended to"
    )
    for number, text in enumerate(RECOMMENDATIONS, start=1):
        document.add_paragraph(f"{number}. {text}")
    table(document, SIGNATURES)
    document.add_paragraph()  # the empty paragraphs a form is full of are not blocks
    bold_paragraph(document, "PART II")
    bold_paragraph(document, "1. Background and Advice")
    document.add_paragraph("The Digital Public Contact Programme has delivered a platform.")
    bold_paragraph(document, "4. Implications")
    bold_paragraph(document, "a. Risks")
    document.add_paragraph("Based on the clarifications in Appendix A there are risks.")
    bold_paragraph(document, "b. Legal")
    document.add_paragraph("None")
    table(
        document,
        (
            ("Officer declaration", "Date"),
            ("LEGAL IMPLICATIONS \u2013 As above", ""),
        ),
    )
    document.save(str(path))
    return path


def test_a_form_in_lancashires_layout_reads_in_order(tmp_path: Path) -> None:
    blocks = read_docx(lancashire_form(tmp_path / "2019-09.docx"))

    assert [(b.kind, b.text, b.where) for b in blocks] == [
        (H, "JOINT MANAGEMENT BOARD", "paragraph 1"),
        (T, "", "table 1"),
        (H, "Executive Summary", "paragraph 2"),
        (P, SUMMARY, "paragraph 3"),
        (H, "Recommendation", "paragraph 4"),
        (P, "The Police and Crime Commissioner and Chief Constable are recommended to",
         "paragraph 5"),
        (L, RECOMMENDATIONS[0], "paragraph 6"),
        (L, RECOMMENDATIONS[1], "paragraph 7"),
        (T, "", "table 2"),
        (H, "PART II", "paragraph 8"),
        (H, "1. Background and Advice", "paragraph 9"),
        (P, "The Digital Public Contact Programme has delivered a platform.", "paragraph 10"),
        (H, "4. Implications", "paragraph 11"),
        (H, "a. Risks", "paragraph 12"),
        (P, "Based on the clarifications in Appendix A there are risks.", "paragraph 13"),
        (H, "b. Legal", "paragraph 14"),
        (P, "None", "paragraph 15"),
        (T, "", "table 3"),
    ]  # fmt: skip
    assert blocks[1].rows == (
        ("DECISION 2019/09", "DATE: 12 JUNE 2019"),
        ("TITLE : SINGLE ONLINE HOME", ""),
        ("REPORT BY: IAN DICKINSON", ""),
    )
    assert blocks[8].rows == SIGNATURES
    # Bold headings are bold, with no level stated; typed numbers make numbered items.
    assert all(b.bold and b.level == 0 for b in blocks if b.kind is H)
    assert [(b.ordered, b.level) for b in blocks if b.kind is L] == [(True, 0), (True, 0)]
    assert not any(b.bold for b in blocks if b.kind is P)


def other_office_form(path: Path) -> Path:
    """Another office's layout: Heading styles, a key/value table, Word's own bullets and numbers,
    the implications as a table with a merged cell."""
    document = docx.Document()
    document.add_heading("Decision Notice", level=1)
    table(
        document,
        (
            ("Decision number", "073/2013"),
            ("Title", "Estates strategy"),
            ("Date of decision", "23/10/2013"),
        ),
    )
    document.add_heading("Recommendation", level=2)
    document.add_paragraph("Approve the estates strategy.", style="List Bullet")
    document.add_paragraph("Dispose of the old headquarters.", style="List Bullet 2")
    document.add_heading("Background", level=2)
    document.add_paragraph("The strategy was consulted on.", style="List Number")
    implications = table(
        document,
        (
            ("Implication", "Comment"),
            ("Financial", "£2m capital"),
            ("Legal", "None"),
            ("Equality", "Assessed"),
        ),
    )
    # "Implications" over both columns of a row, and "None" down two rows: each given once.
    row = implications.add_row()
    row.cells[0].merge(row.cells[1]).text = "All implications reviewed"
    implications.cell(2, 1).merge(implications.cell(3, 1))
    document.add_paragraph("Chief Executive").runs[0].bold = False
    document.save(str(path))
    return path


def test_a_form_in_another_offices_layout_reads_in_order(tmp_path: Path) -> None:
    blocks = read_docx(other_office_form(tmp_path / "073-2013.docx"))

    assert blocks == [
        Block(H, "Decision Notice", "paragraph 1", bold=True, level=1),
        Block(
            T,
            "",
            "table 1",
            rows=(
                ("Decision number", "073/2013"),
                ("Title", "Estates strategy"),
                ("Date of decision", "23/10/2013"),
            ),
        ),
        Block(H, "Recommendation", "paragraph 2", bold=True, level=2),
        Block(L, "Approve the estates strategy.", "paragraph 3", ordered=False, level=0),
        Block(L, "Dispose of the old headquarters.", "paragraph 4", ordered=False, level=1),
        Block(H, "Background", "paragraph 5", bold=True, level=2),
        Block(L, "The strategy was consulted on.", "paragraph 6", ordered=True, level=0),
        Block(
            T,
            "",
            "table 2",
            rows=(
                ("Implication", "Comment"),
                ("Financial", "£2m capital"),
                ("Legal", "None\n\nAssessed"),
                ("Equality", ""),
                ("All implications reviewed",),
            ),
        ),
        Block(P, "Chief Executive", "paragraph 7"),
    ]


def refused(path: Path) -> str:
    """The one-line message a refused file gives, which names it; its exit code is 1."""
    with pytest.raises(FormReadError) as caught:
        read_docx(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert "\n" not in message
    assert caught.value.exit_code == RC.FINDINGS == 1
    return message


def test_a_file_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.docx"
    path.write_text("DECISION 2019/09\n", encoding="utf-8")
    assert "not a Word document (.docx): it is not a zip package" in refused(path)


def test_a_zip_that_is_not_a_word_document_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "photos.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("photo.txt", "hello")
    assert "is a zip file but not a Word document (.docx)" in refused(path)


def ole_file(path: Path, *streams: str) -> Path:
    """An OLE compound file's header and a directory naming ``streams`` (in UTF-16, as OLE does):
    what Word writes for a password-protected .docx (EncryptionInfo, EncryptedPackage) or a .doc."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    directory = b"".join(name.encode("utf-16-le").ljust(128, b"\0") for name in streams)
    path.write_bytes(header + directory)
    return path


def test_a_password_protected_document_is_refused(tmp_path: Path) -> None:
    path = ole_file(tmp_path / "locked.docx", "Root Entry", "EncryptionInfo", "EncryptedPackage")
    assert "is password-protected (encrypted)" in refused(path)


def test_an_old_word_document_is_refused(tmp_path: Path) -> None:
    path = ole_file(tmp_path / "old.docx", "Root Entry", "WordDocument", "1Table")
    assert "is an old Word 97-2003 document, not a .docx" in refused(path)


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    lancashire_form(path)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        # A few hundred KB on disk, 51 MB inflated.
        archive.writestr("word/media/padding.bin", bytes(MAX_UNCOMPRESSED_BYTES + 1024 * 1024))
    assert path.stat().st_size < 1024 * 1024
    assert "(a zip bomb?)" in refused(path)


def test_a_document_with_broken_xml_is_refused(tmp_path: Path) -> None:
    good = lancashire_form(tmp_path / "good.docx")
    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = data[: len(data) // 2]
            target.writestr(item, data)
    assert "is a malformed Word document" in refused(path)


def test_a_document_cut_short_or_damaged_anywhere_is_refused_never_a_crash(tmp_path: Path) -> None:
    whole = lancashire_form(tmp_path / "whole.docx").read_bytes()
    path = tmp_path / "cut.docx"
    for cut in range(0, len(whole), max(1, len(whole) // 40)):
        path.write_bytes(whole[:cut])
        refused(path)
    # Every part in turn replaced by bytes that are not what it should be.
    with zipfile.ZipFile(tmp_path / "whole.docx") as source:
        items = [(item, source.read(item)) for item in source.infolist()]
    for damaged in range(len(items)):
        with zipfile.ZipFile(path, "w") as target:
            for index, (item, data) in enumerate(items):
                target.writestr(item, b"<w:document>" if index == damaged else data)
        try:
            read_docx(path)
        except FormReadError as error:
            assert str(error).startswith(f"{path}: ")


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    assert "cannot be read" in refused(tmp_path / "absent.docx")


def test_external_links_and_images_are_never_fetched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An image and a hyperlink that point outside the file (TargetMode="External") stay
    addresses: reading the form opens no connection."""
    document = docx.Document()
    paragraph = document.add_paragraph("See the ")
    part = document.part
    link_id = part.relate_to("http://127.0.0.1:9/tracker", RT.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), link_id)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "national guidance"
    run.append(text)
    hyperlink.append(run)
    paragraph._p.append(hyperlink)
    part.relate_to("http://127.0.0.1:9/pixel.png", RT.IMAGE, is_external=True)
    template = (
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
    )
    part.relate_to("http://127.0.0.1:9/template.dotm", template, is_external=True)
    path = tmp_path / "linked.docx"
    document.save(str(path))

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the Word reader opened a connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    assert read_docx(path) == [Block(P, "See the national guidance", "paragraph 1")]


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MC_NS = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'


def body_xml(document: Any, xml: str) -> None:
    """Append raw WordprocessingML to the body (before its section properties)."""
    from docx.oxml import parse_xml

    element = parse_xml(f"<w:wrap {W_NS} {MC_NS}>{xml}</w:wrap>")
    body = document.element.body
    for child in list(element):
        body.insert(len(body) - 1, child)


def test_what_a_reader_sees_is_read_and_only_that(tmp_path: Path) -> None:
    """Content controls and text boxes are opened in place; tracked changes read as accepted
    (inserted text in, deleted text out); a drawing's fallback copy is not read twice; an outline
    level makes a heading; numbering switched off (numId 0) is not a list."""
    document = docx.Document()
    body_xml(
        document,
        """
        <w:sdt><w:sdtContent>
          <w:p><w:r><w:t>Decision number 073/2013</w:t></w:r></w:p>
        </w:sdtContent></w:sdt>
        <w:p><w:r><w:t xml:space="preserve">Approved </w:t></w:r>
          <w:ins><w:r><w:t>in full</w:t></w:r></w:ins>
          <w:del><w:r><w:delText>in part</w:delText></w:r></w:del>
          <w:r><w:tab/><w:t>on 23/10/2013</w:t><w:br/><w:t>by the board</w:t></w:r></w:p>
        <w:p><w:r><mc:AlternateContent>
          <mc:Choice Requires="wps"><w:drawing><w:txbxContent>
            <w:p><w:r><w:t>Text in a box</w:t></w:r></w:p>
          </w:txbxContent></w:drawing></mc:Choice>
          <mc:Fallback><w:pict><w:txbxContent>
            <w:p><w:r><w:t>Text in a box</w:t></w:r></w:p>
          </w:txbxContent></w:pict></mc:Fallback>
        </mc:AlternateContent></w:r><w:r><w:t>Anchor</w:t></w:r></w:p>
        <w:p><w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:r><w:t>Beslut</w:t></w:r></w:p>
        <w:p><w:pPr><w:pStyle w:val="ListBullet"/><w:numPr><w:ilvl w:val="0"/>
          <w:numId w:val="0"/></w:numPr></w:pPr><w:r><w:t>Not a bullet any more</w:t></w:r></w:p>
        """,
    )
    path = tmp_path / "controls.docx"
    document.save(str(path))

    assert read_docx(path) == [
        Block(P, "Decision number 073/2013", "paragraph 1"),
        Block(P, "Approved in full\ton 23/10/2013\nby the board", "paragraph 2"),
        Block(P, "Anchor", "paragraph 3"),
        Block(P, "Text in a box", "paragraph 4"),
        Block(H, "Beslut", "paragraph 5", level=2),
        Block(P, "Not a bullet any more", "paragraph 6"),
    ]


def test_entities_in_a_documents_xml_are_not_expanded(tmp_path: Path) -> None:
    """A part that declares entities (a billion laughs, a file:// entity) expands none of them."""
    good = lancashire_form(tmp_path / "good.docx")
    path = tmp_path / "entities.docx"
    doctype = (
        '<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
        '<!ENTITY file SYSTEM "file:///etc/passwd">]>'
    )
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                declaration, rest = data.split(b"?>", 1)
                rest = rest.replace(b"JOINT MANAGEMENT BOARD", b"&c;&file;", 1)
                data = declaration + b"?>" + doctype.encode() + rest
            target.writestr(item, data)
    blocks = read_docx(path)
    # The paragraph that held only the entities is empty, so the form starts at its table.
    assert blocks[0].kind is T
    texts = " ".join(
        [block.text for block in blocks] + [c for b in blocks for r in b.rows for c in r]
    )
    assert "aaaa" not in texts
    assert "root:" not in texts


def test_bold_set_by_a_style_makes_a_heading_and_a_run_unbolded_does_not(tmp_path: Path) -> None:
    """Bold may come from the paragraph's style (an office's "Form heading", based on Normal) or
    a character style; a run set not bold in a bold style leaves the paragraph not all bold."""
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    style = document.styles.add_style("Form heading", WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.font.bold = True
    base = document.styles.add_style("Form heading 2", WD_STYLE_TYPE.PARAGRAPH)
    base.base_style = style  # bold by inheritance
    document.add_paragraph("Executive Summary", style="Form heading")
    document.add_paragraph("Recommendation", style="Form heading 2")
    paragraph = document.add_paragraph("Financial ", style="Form heading")
    paragraph.add_run("implications").bold = False
    strong = document.add_paragraph()
    strong.add_run("Consultation", style="Strong")
    document.save(str(tmp_path / "styles.docx"))

    assert [(b.kind, b.text, b.bold) for b in read_docx(tmp_path / "styles.docx")] == [
        (H, "Executive Summary", True),
        (H, "Recommendation", True),
        (P, "Financial implications", False),
        (H, "Consultation", True),
    ]


def rewritten(source: Path, path: Path, part: str, change: Any) -> Path:
    """A copy of the package ``source`` with one part's bytes changed by ``change``."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w") as target:
        for item in original.infolist():
            data = original.read(item)
            target.writestr(item, change(data) if item.filename == part else data)
    return path


@pytest.mark.parametrize(
    ("part", "old", "new"),
    [
        # The styles declared as a plain XML part: python-docx opens the document, then finds
        # no styles in that part when a paragraph's style is looked up.
        ("[Content_Types].xml", b"wordprocessingml.styles+xml", b"wordprocessingml.stylez+xml"),
        # A style of no type Word knows.
        ("word/styles.xml", b'w:type="paragraph"', b'w:type="1aragraph"'),
        # A paragraph style reference without the value the schema requires.
        ("word/document.xml", b'<w:pStyle w:val="Heading1"/>', b"<w:pStyle/>"),
    ],
)
def test_damage_found_while_the_body_is_read_is_refused(
    tmp_path: Path, part: str, old: bytes, new: bytes
) -> None:
    source = other_office_form(tmp_path / "source.docx")
    path = rewritten(source, tmp_path / "damaged.docx", part, lambda data: data.replace(old, new))
    assert "is a malformed Word document" in refused(path)


def test_another_offices_word_form_maps_field_by_field(tmp_path: Path) -> None:
    """The key/value header, Heading-style sections, Word's bullets and the implications as a
    table reach their fields; what fits none (the banner, the table's own heading row, the merged
    note, a line after the table) is reported, never filed under the table's last row."""
    from jmb.ingest.mapping import map_blocks
    from jmb.repo.config import Config

    mapped = map_blocks(read_docx(other_office_form(tmp_path / "other.docx")), Config())
    data = mapped.data
    assert (data["number"], data["title"], str(data["date"])) == (
        "073/2013",
        "Estates strategy",
        "2013-10-23",
    )
    assert data["recommendation"]["items"] == [
        "Approve the estates strategy.",
        "Dispose of the old headquarters.",
    ]
    assert data["background"] == "1. The strategy was consulted on."
    assert data["implications"] == {
        "risks": None,
        "legal": "None Assessed",
        "financial": "£2m capital",
        "equality": None,
    }
    assert [(piece.words, piece.where) for piece in mapped.unmapped] == [
        ("Decision Notice", "paragraph 1"),
        ("Implication | Comment", "table 2, row 1"),
        ("All implications reviewed", "table 2, row 5"),
        ("Chief Executive", "paragraph 7"),
    ]


def test_a_word_form_in_lancashires_layout_maps_field_by_field(tmp_path: Path) -> None:
    """Bold headings, the run-in header, typed numbers, the lettered implications and the
    signature table (left blank, as on the reference form) reach their fields; the officer
    declaration's "As above" row, which fills no field, is reported."""
    from jmb.ingest.mapping import map_blocks
    from jmb.repo.config import Config

    mapped = map_blocks(read_docx(lancashire_form(tmp_path / "form.docx")), Config())
    data = mapped.data
    assert (data["number"], data["title"], str(data["date"]), data["report_by"]) == (
        "2019/09",
        "SINGLE ONLINE HOME",
        "2019-06-12",
        "IAN DICKINSON",
    )
    assert data["executive_summary"] == SUMMARY
    assert data["recommendation"] == {
        "lead": "The Police and Crime Commissioner and Chief Constable are recommended to",
        "items": list(RECOMMENDATIONS),
    }
    assert data["background"] == "The Digital Public Contact Programme has delivered a platform."
    assert data["implications"] == {
        "risks": "Based on the clarifications in Appendix A there are risks.",
        "legal": "None",
        "financial": None,
        "equality": None,
    }
    assert data["signatures"] == [
        {"role": "Police and Crime Commissioner", "name": None, "date": None},
        {"role": "Chief Constable", "name": None, "date": None},
    ]
    assert [(piece.words, piece.where) for piece in mapped.unmapped] == [
        ("LEGAL IMPLICATIONS \u2013 As above", "table 3, row 2")
    ]
