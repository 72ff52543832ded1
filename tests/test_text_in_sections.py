"""Section text is a small, safe subset of Markdown, shown natively in every format (README, "Text in
sections"): what is read as what, that nothing is dropped or read as markup, the golden files of a
record that uses all of it, and an attacker's pass."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pypdf
import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from markdown_it import MarkdownIt

from jmb.render.blocks import (
    BulletList,
    Emphasis,
    LineBreak,
    Link,
    ListItem,
    OrderedList,
    Paragraph,
    Strong,
    Table,
    Text,
    blocks,
    inlines,
    plain_text,
)
from jmb.render.docx import _xml_safe
from jmb.render.markdown import escape_for_markdown, markdown_blocks
from jmb.render.part1 import part1_view
from jmb.render.part2 import part2_view
from jmb.render.renderer import Renderer, load_record
from jmb.render.views import map_text
from jmb.repo.config import Config
from tests.conftest import ROOT, check_golden

FIXTURE = ROOT / "tests" / "fixtures" / "markdown-sections.yaml"
GOLDEN = ROOT / "tests" / "golden"


def paragraph(*pieces: str | LineBreak) -> Paragraph:
    return Paragraph(tuple(Text(piece) if isinstance(piece, str) else piece for piece in pieces))


# -- what is read as what --------------------------------------------------------------------------


def test_paragraphs_and_kept_line_breaks() -> None:
    assert blocks("Price: £40,000\nTerm: three years\n\nA second paragraph.") == (
        paragraph("Price: £40,000", LineBreak(), "Term: three years"),
        paragraph("A second paragraph."),
    )
    # The text as YAML gives it: a folded block (>) has joined its lines already.
    assert blocks("one two\n") == (paragraph("one two"),)
    assert blocks(None) == blocks("") == blocks(" \n\n ") == ()


def test_lists_nested_numbered_from_their_start() -> None:
    text = "Sites:\n- Hutton\n- Stations:\n  - Blackburn\n\n3. third\n4. fourth"
    assert blocks(text) == (
        paragraph("Sites:"),
        BulletList(
            (
                ListItem((paragraph("Hutton"),)),
                ListItem(
                    (paragraph("Stations:"), BulletList((ListItem((paragraph("Blackburn"),)),)))
                ),
            )
        ),
        OrderedList(3, (ListItem((paragraph("third"),)), ListItem((paragraph("fourth"),)))),
    )


def test_pipe_tables_with_marks_and_escaped_pipes() -> None:
    (table,) = blocks("| Year | Cost |\n| --- | ---: |\n| 2026 | **£5** |\n| a \\| b |")
    assert table == Table(
        header=((Text("Year"),), (Text("Cost"),)),
        rows=(
            ((Text("2026"),), (Strong((Text("£5"),)),)),
            ((Text("a | b"),), ()),
        ),
    )


def test_bold_italic_and_web_links_only() -> None:
    (read,) = blocks(
        "**b** *i* _u_ [web](https://a.example/x?y=1&z=2) [mail](mailto:a@b.org) "
        "[js](javascript:alert(1)) [JS](JAVASCRIPT:alert(1)) [data](data:text/html,x) "
        "[file](file:///etc/passwd) [rel](page.html) [vb](vbscript:x)"
    )
    assert read == Paragraph(
        (
            Strong((Text("b"),)),
            Text(" "),
            Emphasis((Text("i"),)),
            Text(" "),
            Emphasis((Text("u"),)),
            Text(" "),
            Link("https://a.example/x?y=1&z=2", (Text("web"),)),
            Text(" "),
            Link("mailto:a@b.org", (Text("mail"),)),
            Text(
                " [js](javascript:alert(1)) [JS](JAVASCRIPT:alert(1)) [data](data:text/html,x) "
                "[file](file:///etc/passwd) [rel](page.html) [vb](vbscript:x)"
            ),
        )
    )


@pytest.mark.parametrize(
    "text",
    [
        "# Not a heading",
        "Title\n===",
        "> not a quote",
        "```\ncode\n```",
        "    indented code",
        "---",
        "<script>alert(1)</script>",
        "<b>bold</b> <img src=x onerror=alert(1)>",
        "&lt;script&gt; &amp; &#60;b&#62;",
        "<https://autolink.example> https://bare.example",
        "[ref]\n\n[ref]: https://example.org",
        "`code` ~~struck~~",
    ],
)
def test_outside_the_subset_is_its_text(text: str) -> None:
    """Shown as the text written (line by line), never as markup, never dropped."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    shown = "\n".join(plain_text(block) for block in blocks(text))
    assert shown.split("\n") == lines
    assert all(isinstance(piece, Text | LineBreak) for b in blocks(text) for piece in b.inlines)  # type: ignore[union-attr]


def test_an_image_is_its_text_not_an_image_nor_a_link() -> None:
    assert blocks("See ![plan](https://a.example/p.png).") == (
        paragraph("See ![plan](https://a.example/p.png)."),
    )


def test_a_recommendation_item_is_one_line_of_inline_marks() -> None:
    assert inlines("approve **the award**\n- to [A](https://a.example)") == (
        Text("approve "),
        Strong((Text("the award"),)),
        Text(" - to "),
        Link("https://a.example", (Text("A"),)),
    )


# -- nothing is dropped ----------------------------------------------------------------------------


def test_lists_nested_past_the_parser_limit_are_plain_lines_not_cut_short() -> None:
    """markdown-it stops reading at its nesting limit and drops the rest; jmb shows it all."""
    text = "".join("  " * depth + f"- level {depth}\n" for depth in range(30)) + "\nafter"
    shown = " ".join(plain_text(block) for block in blocks(text))
    assert all(f"level {depth}" in shown for depth in range(30)) and "after" in shown


def test_emphasis_nested_past_the_limit_is_the_text_as_written() -> None:
    (read,) = blocks("*" * 40 + "deep" + "*" * 40)
    assert read == paragraph("*" * 40 + "deep" + "*" * 40)


def test_a_row_wider_than_its_header_is_not_cut() -> None:
    """A pipe table drops cells beyond its header's; jmb shows the text as written instead."""
    text = "| a | b |\n| --- | --- |\n| 1 | 2 | 3 |"
    assert "| 1 | 2 | 3 |" in plain_text(blocks(text)[0])


def test_a_link_title_is_not_dropped() -> None:
    assert blocks('[a](https://a.example "secret title")') == (
        paragraph('[a](https://a.example "secret title")'),
    )
    assert inlines('[a](https://a.example "title")') == (Text('[a](https://a.example "title")'),)


def test_carriage_returns_are_new_lines() -> None:
    assert blocks("a\r\nb\rc") == (paragraph("a", LineBreak(), "b", LineBreak(), "c"),)


MARKDOWNISH = st.text(alphabet="ab c\n\n-*_|[]()#>`!\\:1.<>&;/h", max_size=80)


@settings(max_examples=300, deadline=None)
@given(text=MARKDOWNISH)
def test_every_letter_written_is_shown_in_order(text: str) -> None:
    assert _letters_in_order(blocks(text)) == "".join(char for char in text if char.isalpha())


def _all_inlines(content: tuple[object, ...]) -> list[object]:
    found: list[object] = []
    for block in content:
        if isinstance(block, Paragraph):
            found += block.inlines
        elif isinstance(block, BulletList | OrderedList):
            for item in block.items:
                found += _all_inlines(item.blocks)
        elif isinstance(block, Table):
            for row in (block.header, *block.rows):
                for cell in row:
                    found += cell
    return found


def _letters_in_order(content: tuple[object, ...]) -> str:
    def of(pieces: tuple[object, ...] | list[object]) -> str:
        out = ""
        for piece in pieces:
            if isinstance(piece, Text):
                out += piece.text
            elif isinstance(piece, Strong | Emphasis):
                out += of(piece.children)
            elif isinstance(piece, Link):
                out += of(piece.children) + piece.url
        return out

    return "".join(char for char in of(_all_inlines(content)) if char.isalpha())


@settings(max_examples=1000, deadline=None)
@given(text=st.text(alphabet="ab .,:;'\"()<>#&~`%=\t\n\xa0\u3000é", max_size=60))
def test_text_without_markup_is_read_as_markdown_it_reads_it(text: str) -> None:
    """Prose (most sections) skips the parser: the same blocks, faster."""
    from jmb.render.blocks import _paragraphs, _parsed

    if text.strip():
        assert _paragraphs(text) == _parsed(text)


# -- every string of a view is reached -------------------------------------------------------------


def test_map_text_reaches_every_string_of_the_blocks() -> None:
    record = load_record(FIXTURE)
    config = Config(root=FIXTURE.parent)
    for view in (part1_view(record, config, draft=True), part2_view(record, config, draft=True)):
        marked = map_text(view, lambda text: f"\x00{text}")
        for piece in _strings(marked):
            assert piece.startswith("\x00"), piece


def _strings(value: object) -> list[str]:
    import dataclasses
    from collections.abc import Mapping

    if isinstance(value, str):
        return [value]
    if isinstance(value, tuple):
        return [text for item in value for text in _strings(item)]
    if isinstance(value, Mapping):
        return [text for item in value.values() for text in _strings(item)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [
            text
            for field in dataclasses.fields(value)
            for text in _strings(getattr(value, field.name))
        ]
    return []


def test_word_strips_what_xml_cannot_carry_from_lists_tables_and_links() -> None:
    text = "- a\x01b\n\n| h\x0b | i |\n| --- | --- |\n| [l\x02](https://a.example) | j |"
    view = part1_view(
        load_record(FIXTURE).model_copy(update={"background": text}),
        Config(root=FIXTURE.parent),
        draft=False,
    )
    data = Renderer(Config(root=FIXTURE.parent)).render(view, "docx")
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "ab" in xml and "\x01" not in xml and "\x02" not in xml
    assert _xml_safe("a\x01b") == "ab"


# -- the formats -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def outputs() -> dict[str, bytes]:
    config = Config(root=FIXTURE.parent)
    renderer = Renderer(config)
    record = load_record(FIXTURE)
    made = {}
    for view in (part1_view(record, config, draft=True), part2_view(record, config, draft=True)):
        for fmt in ("html", "md", "docx", "pdf"):
            made[f"part{view.part}.{fmt}"] = renderer.render(view, fmt)  # type: ignore[arg-type]
    return made


@pytest.mark.parametrize("part", [1, 2])
@pytest.mark.parametrize("fmt", ["html", "md", "docx", "pdf"])
def test_golden(outputs: dict[str, bytes], update_goldens: bool, part: int, fmt: str) -> None:
    data = outputs[f"part{part}.{fmt}"]
    if fmt in ("html", "md"):
        text, suffix = data.decode("utf-8"), fmt
    elif fmt == "docx":
        text, suffix = docx_outline(data), "docx.xml"
    else:
        text, suffix = pdf_outline(data), "pdf.txt"
    check_golden(GOLDEN / f"markdown-sections-part{part}.{suffix}", text, update_goldens)


def docx_outline(data: bytes) -> str:
    """The Word file's document.xml, indented, then its hyperlinks' addresses and the numberings
    made for its lists."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    document = etree.fromstring(archive.read("word/document.xml"))
    text = etree.tostring(document, pretty_print=True, encoding="unicode")
    relations = etree.fromstring(archive.read("word/_rels/document.xml.rels"))
    links = sorted(
        f"{relation.get('Id')} {relation.get('Target')}"
        for relation in relations
        if relation.get("Type", "").endswith("/hyperlink")
    )
    numbering = etree.fromstring(archive.read("word/numbering.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    restarts = [
        f"numId {num.get(w + 'numId')}: abstractNum {num.find(w + 'abstractNumId').get(w + 'val')}"
        f", starts at {start.get(w + 'val')}"
        for num in numbering.iter(w + "num")
        for start in num.iter(w + "startOverride")
    ]
    return (
        text
        + "\n# hyperlinks\n"
        + "".join(f"{link}\n" for link in links)
        + ("# numbered lists restarted\n" + "".join(f"{line}\n" for line in restarts))
    )


def pdf_outline(data: bytes) -> str:
    """The PDF's structure tree (its tags, without the spans of text) and the text of each page."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    lines: list[str] = []

    def walk(node: object, depth: int) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for kid in node:
                walk(kid, depth)
        elif isinstance(node, dict):
            tag = node.get("/S")
            if tag is not None and tag not in ("/Span", "/NonStruct"):
                lines.append("  " * depth + str(tag)[1:])
                depth += 1
            if "/K" in node:
                walk(node["/K"], depth)

    walk(reader.trailer["/Root"]["/StructTreeRoot"]["/K"], 0)
    pages = [
        f"--- page {number}\n{page.extract_text()}\n" for number, page in enumerate(reader.pages, 1)
    ]
    return "\n".join(lines) + "\n" + "".join(pages)


def test_html_has_real_lists_tables_and_links(outputs: dict[str, bytes]) -> None:
    html = outputs["part1.html"].decode()
    assert "<li>Divisional stations:\n<ul>\n<li>Blackburn</li>" in html
    assert '<th scope="col">Year</th><th scope="col">Cost</th>' in html
    assert '<a href="https://www.example.org/plan?year=2026&amp;part=estates">plan</a>' in html
    assert "[script link](javascript:alert(1)) stays text" in html
    assert "javascript:" not in "".join(re.findall(r'href="[^"]*"', html))
    assert "ends on 31 August 2026.<br>\nSites covered:" in html
    part2 = outputs["part2.html"].decode()
    assert "Scores and prices of the three bidders:<br>\nevaluated" in part2
    assert (
        "<td><em>48</em></td>" in part2
        and "<li>Bidder A is <strong>recommended</strong>.</li>" in part2
    )


def test_pdf_tags_lists_and_tables(outputs: dict[str, bytes]) -> None:
    outline = pdf_outline(outputs["part1.pdf"])
    for tag in ("\n    L\n", "LI", "LBody", "Table", "THead", "TH", "TD", "Link"):
        assert tag in outline


def test_word_has_list_styles_real_tables_and_hyperlinks(outputs: dict[str, bytes]) -> None:
    document = Document(io.BytesIO(outputs["part1.docx"]))
    styled = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("List Bullet", "Headquarters, Hutton") in styled
    assert ("List Bullet 2", "Blackburn") in styled
    assert ("List Number", "selection questionnaire;") in styled
    assert ("Normal", "The current contract ends on 31 August 2026.\nSites covered:") in styled
    costs = next(t for t in document.tables if t.rows[0].cells[0].text == "Year")
    assert [cell.text for cell in costs.rows[1].cells] == [
        "2026/27",
        "£410,000",
        "part year, from 1 September",
    ]
    header = costs.rows[0]._tr.trPr
    assert (
        header is not None
        and header.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader")
        is not None
    )
    xml = docx_outline(outputs["part1.docx"])
    assert "https://www.legislation.gov.uk/ukpga/2023/54" in xml.split("# hyperlinks")[1]
    assert "javascript" not in xml.split("# hyperlinks")[1]
    # The stages list counts from 1, not on from the two recommendations before it.
    assert ", starts at 1" in xml.split("# numbered lists restarted")[1]


def test_markdown_reads_back_as_the_same_structure(outputs: dict[str, bytes]) -> None:
    """What jmb writes as Markdown, read by a full CommonMark parser with raw HTML on, is the
    same lists, tables and links, and no HTML."""
    reader = MarkdownIt("commonmark", {"html": True}).enable("table")
    for part in (1, 2):
        html = reader.render(outputs[f"part{part}.md"].decode())
        assert (
            "<script" not in html
            and "<b>" not in html
            and "javascript:" not in "".join(re.findall(r'href="[^"]*"', html))
        )
    part1 = reader.render(outputs["part1.md"].decode())
    assert "<li>Divisional stations:\n<ul>\n<li>Blackburn</li>" in part1
    assert "<th>Year</th>" in part1 and "<td>with indexation | capped</td>" in part1
    assert "ends on 31 August 2026.<br />\nSites covered:" in part1
    assert (
        '<a href="https://www.legislation.gov.uk/ukpga/2023/54">Procurement Act 2023</a>' in part1
    )
    assert "<p># Not a heading<br />\n&lt;b&gt;Not bold&lt;/b&gt; &amp;lt;script&amp;gt;" in part1


@settings(max_examples=500, deadline=None)
@given(text=MARKDOWNISH)
def test_markdown_output_cannot_say_more_than_the_blocks(text: str) -> None:
    """Whatever a section holds, its Markdown, read again, has the same blocks, the same links and
    the same letters: record text cannot make the Markdown output hold markup it did not mean.
    (Bold and italic right beside each other may read back merged; that is all.)"""
    made = blocks(text)
    again = blocks(markdown_blocks(map_text(made, escape_for_markdown)))
    assert [block.kind for block in again] == [block.kind for block in made]
    links = [piece.url for piece in _all_inlines(made) if isinstance(piece, Link)]
    assert [piece.url for piece in _all_inlines(again) if isinstance(piece, Link)] == links
    assert _letters_in_order(again) == _letters_in_order(made)


def test_markdown_output_reads_back_as_the_same_blocks() -> None:
    for text in (FIXTURE_TEXTS := _fixture_texts()):
        made = blocks(text)
        assert blocks(markdown_blocks(map_text(made, escape_for_markdown))) == made, text
    assert FIXTURE_TEXTS
    assert blocks(markdown_blocks(blocks("*1*_1_ **a***b*"))) == blocks("*1*_1_ **a***b*")


def _fixture_texts() -> list[str]:
    record = load_record(FIXTURE)
    texts = [record.executive_summary, record.background, record.plan_links, record.consultation]
    texts += [section.text for section in record.part2.sections or ()]  # type: ignore[union-attr]
    implications = record.model_dump()["implications"]
    return [text for text in (*texts, *implications.values()) if text]


# -- an attacker's pass ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "hostile",
    [
        "*a " * 20000,
        "[a](" * 20000,
        "[" * 20000 + "]" * 20000,
        "![" * 20000,
        "_a " * 20000,
        "- " * 5000 + "x",
        "> " * 5000 + "x",
        "| a |\n| --- |\n" + "| 1 |\n" * 10000,
        "- a\n" * 20000,
        "".join("  " * depth + "- x\n" for depth in range(2000)),
        "**" * 20000,
        "&" * 50000 + "lt;",
        "a  \n" * 20000,
    ],
)
def test_hostile_text_is_read_and_kept(hostile: str) -> None:
    """Every letter of text built to trip the parser is kept, in order. How long it takes, against
    markdown-it's own parse and against half the text, is measured by ``bench/hostile_text.py``."""
    made = blocks(hostile)
    letters = sum(char.isalpha() for char in hostile)
    assert len(_letters_in_order(made)) == letters


def test_a_long_table_renders_in_every_format(tmp_path: Path) -> None:
    """Its last row is in every format; the time each takes is in ``bench/hostile_text.py``."""
    text = "| Row | Value |\n| --- | --- |\n" + "".join(f"| {n} | v{n} |\n" for n in range(10000))
    config = Config(root=FIXTURE.parent)
    view = part1_view(
        load_record(FIXTURE).model_copy(update={"background": text}), config, draft=False
    )
    renderer = Renderer(config)
    for fmt in ("html", "md", "docx"):
        data = renderer.render(view, fmt)  # type: ignore[arg-type]
        assert b"v9999" in (
            data if fmt != "docx" else zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
        )
