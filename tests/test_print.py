"""Print-ready Part 1 and Part 2 (issue 11): Word on A4 with the office's margins, a header and a
"Page X of Y" footer; PDF pages numbered with the decision number in the footer, headings and
captions kept with what follows; the exemption named once; ``--format all``."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pypdf
import pytest
from docx import Document
from typer.testing import CliRunner

from jmb.cli import app
from jmb.render.part1 import exempt_under
from jmb.render.renderer import render
from jmb.repo.config import Config, read_config
from tests.conftest import ROOT, TODAY

APPROVED = ROOT / "tests" / "fixtures" / "approved-with-part2.yaml"
RECORD = "records/2019/2019-09-single-online-home.yaml"


def make_repo(root: Path, text: str) -> Path:
    target = root / RECORD
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, "utf-8")
    return root


def rendered(
    root: Path, fmt: str, part: int = 1, config: Config | None = None, draft: bool = False
) -> bytes:
    (path,) = render(
        ["2019/09"],
        config=config or Config(root=root),
        part=part,  # type: ignore[arg-type]
        fmt=fmt,  # type: ignore[arg-type]
        draft=draft,
        today=TODAY,
    ).written
    return path.read_bytes()


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def docx_text(data: bytes) -> str:
    return " ".join(" ".join(p.text.split()) for p in Document(io.BytesIO(data)).paragraphs)


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


# -- the exemption, named once -------------------------------------------------------------------

NAMED_ONCE = (
    "A separate Part 2 of this decision holds information that is exempt from publication under "
    "the Freedom of Information Act 2000, section 43."
)


@pytest.fixture
def act_in_exemption(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The approved example whose exemption names the Act itself, as many offices write it (an
    edit after signing: rendered as a draft)."""
    text = APPROVED.read_text(encoding="utf-8").replace(
        "exemption: s.43 commercial interests",
        "exemption: Freedom of Information Act 2000, section 43",
    )
    monkeypatch.chdir(make_repo(tmp_path, text))
    return tmp_path


@pytest.mark.parametrize(
    ("fmt", "read"),
    [
        ("html", lambda data: " ".join(data.decode().split())),
        ("md", lambda data: " ".join(data.decode().split())),
        ("pdf", pdf_text),
        ("docx", docx_text),
    ],
)
def test_part1_names_the_act_of_the_exemption_once(
    act_in_exemption: Path, fmt: str, read: object
) -> None:
    text = read(rendered(act_in_exemption, fmt, draft=True))  # type: ignore[operator]
    assert NAMED_ONCE in text
    assert text.count("Freedom of Information Act 2000") == 2  # section 6's statement, and here


@pytest.mark.parametrize(
    ("exemption", "said"),
    [
        ("", "the Freedom of Information Act 2000"),
        (
            "s.43 commercial interests",
            "the Freedom of Information Act 2000: s.43 commercial interests",
        ),
        (
            "Freedom of Information Act 2000, section 43",
            "the Freedom of Information Act 2000, section 43",
        ),
        (
            "section 43 of the Freedom of Information Act 2000",
            "section 43 of the Freedom of Information Act 2000",
        ),
        (
            "Section 43 of the Freedom of Information Act",
            "Section 43 of the Freedom of Information Act",
        ),
        ("FOIA s.43", "FOIA s.43"),
        ("freedom of information act, s.43", "freedom of information act, s.43"),
        ("The Freedom of Information Act 2000, s.43", "The Freedom of Information Act 2000, s.43"),
        (
            "Environmental Information Regulations 2004, regulation 12(5)(e)",
            "the Environmental Information Regulations 2004, regulation 12(5)(e)",
        ),
    ],
)
def test_the_exemption_reads_after_under(exemption: str, said: str) -> None:
    assert exempt_under(exemption) == said


# -- --format all ---------------------------------------------------------------------------------


@pytest.fixture
def approved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(make_repo(tmp_path, APPROVED.read_text(encoding="utf-8")))
    return tmp_path


def test_format_all_renders_every_format_in_one_run(approved: Path) -> None:
    code, out, err = invoke("render", "2019/09", "--format", "all")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"build/2019-09-part1.{fmt}" for fmt in ("html", "pdf", "docx", "md")
    ]
    build = approved / "build"
    assert (build / "2019-09-part1.html").read_text().startswith("<!DOCTYPE html>")
    assert (build / "2019-09-part1.md").read_text().startswith("Lancashire Constabulary")
    assert "Jane Ashworth" in pdf_text((build / "2019-09-part1.pdf").read_bytes())
    assert (
        "Jane Ashworth"
        in Document(str(build / "2019-09-part1.docx")).tables[0].rows[1].cells[1].text
    )
    # The same files as one format at a time makes.
    for fmt in ("pdf", "docx"):
        assert (build / f"2019-09-part1.{fmt}").read_bytes() == rendered(approved, fmt)


def test_format_all_with_all_records_and_jobs(approved: Path) -> None:
    second = APPROVED.read_text(encoding="utf-8").replace('number: "2019/09"', 'number: "2019/10"')
    (approved / "records/2019/2019-10-copy.yaml").write_text(second, encoding="utf-8")
    code, out, err = invoke("render", "--all", "--format", "all", "--jobs", "2", "--draft")
    assert (code, err) == (0, "")
    expected = [
        f"build/2019-{number}-part1.{fmt}"
        for number in ("09", "10")
        for fmt in ("html", "pdf", "docx", "md")
    ]
    assert sorted(out.splitlines()) == sorted(expected)
    assert sorted(str(path.relative_to(approved)) for path in (approved / "build").iterdir()) == (
        sorted(expected)
    )


def test_format_all_of_part2_writes_every_format_into_confidential(approved: Path) -> None:
    code, out, err = invoke("render", "2019/09", "--part", "2", "--format", "all")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"build/confidential/2019-09-part2.{fmt}" for fmt in ("html", "pdf", "docx", "md")
    ]
    for fmt in ("html", "pdf", "docx", "md"):
        path = approved / "build" / "confidential" / f"2019-09-part2.{fmt}"
        assert path.stat().st_mode & 0o777 == 0o600


def test_format_all_refuses_a_record_with_errors_and_writes_nothing(approved: Path) -> None:
    record = approved / RECORD
    # Edited after it was signed: JMB406, an error.
    record.write_text(record.read_text().replace("title: Single Online Home", "title: Edited"))
    code, out, err = invoke("render", "2019/09", "--format", "all")
    assert (code, out) == (1, "")
    assert "error JMB406" in err and "not rendered: 1 record has errors" in err
    assert not (approved / "build").exists()


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("part", ["1", "2"])
def test_format_all_writes_no_format_of_a_record_when_one_cannot_be_made(
    approved: Path, jobs: str, part: str
) -> None:
    # The Word file cannot be made (its reference.docx is no Word document), so neither the HTML,
    # the PDF nor the Markdown made before it is written: no half set of a record's files.
    (approved / "templates").mkdir()
    (approved / "templates" / "reference.docx").write_bytes(b"not a zip")
    code, out, err = invoke(
        "render", "2019/09", "--format", "all", "--part", part, "--jobs", jobs, "--draft"
    )
    assert (code, out) == (1, "")
    assert err.startswith("jmb: ") and "not a Word document to start from" in err
    assert [path for path in (approved / "build").rglob("*") if path.is_file()] == []


# -- PDF: page numbers, the number, nothing left alone at a page's foot ---------------------------


def pdf_pages(data: bytes) -> list[str]:
    """Each page's text, its white space made single spaces."""
    return [
        " ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(data)).pages
    ]


def with_appendices(count: int) -> str:
    """The approved example with ``count`` more appendices: a Part 1 as long as is wanted, whose
    declarations (after the appendices) move down a line at a time."""
    more = "".join(
        f'  - label: "{index}"\n    title: Supporting paper {index}\n'
        for index in range(1, count + 1)
    )
    return APPROVED.read_text(encoding="utf-8").replace("appendices:\n", f"appendices:\n{more}")


def test_every_pdf_page_has_its_number_of_pages_and_the_decision_number(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(make_repo(tmp_path, with_appendices(80)))
    pages = pdf_pages(rendered(tmp_path, "pdf", draft=True))
    assert len(pages) >= 4
    for number, text in enumerate(pages, start=1):
        assert f"Decision 2019/09 Page {number} of {len(pages)}" in text, text[-80:]
    part2 = pdf_pages(rendered(tmp_path, "pdf", part=2, draft=True))
    assert part2[0].endswith(f"Decision 2019/09, Part 2 Page 1 of {len(part2)}")


def declarations_pages(root: Path, appendices: int) -> tuple[int, int]:
    """The pages (from 0) of the declarations' caption and of their table's first row, with
    ``appendices`` more appendices."""
    (root / RECORD).write_text(with_appendices(appendices), encoding="utf-8")
    pages = pdf_pages(rendered(root, "pdf", draft=True))
    (caption,) = [index for index, text in enumerate(pages) if "Declarations" in text]
    (row,) = [
        index for index, text in enumerate(pages) if "Monitoring Officer Abigail Leech" in text
    ]
    return caption, row


def test_the_declarations_caption_goes_to_the_page_of_its_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The declarations come last: lengthened a line at a time, Part 1 first needs another page
    for the declarations table where the caption above it would still fit (the caption sat alone
    at the foot of the page). Found by halving, so that no change of layout elsewhere defeats it."""
    monkeypatch.chdir(make_repo(tmp_path, with_appendices(0)))
    _, first = declarations_pages(tmp_path, 0)
    fits, overflows = 0, 64
    assert declarations_pages(tmp_path, overflows)[1] > first  # the table moves on by then
    while overflows - fits > 1:
        middle = (fits + overflows) // 2
        if declarations_pages(tmp_path, middle)[1] > first:
            overflows = middle
        else:
            fits = middle
    for appendices in (overflows, overflows + 1):
        caption, row = declarations_pages(tmp_path, appendices)
        assert caption == row, f"with {appendices} more appendices"


def left_of(data: bytes, text: str) -> float:
    """Where ``text`` starts on the first page, in millimetres from the left edge."""
    found: list[float] = []

    def visit(shown: str, page: list[float], matrix: list[float], *_: object) -> None:
        if shown.startswith(text):  # the text's place, through the page's own transformation
            found.append((matrix[4] * page[0] + matrix[5] * page[2] + page[4]) * 25.4 / 72)

    pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text(visitor_text=visit)
    return found[0]


def test_the_pdf_has_the_margins_of_jmb_toml(approved: Path) -> None:
    assert round(left_of(rendered(approved, "pdf"), "Lancashire Constabulary")) == 18
    (approved / "jmb.toml").write_text("[render.margins]\nleft = 30\n", encoding="utf-8")
    config = read_config(approved / "jmb.toml")
    assert round(left_of(rendered(approved, "pdf", config=config), "Lancashire Constabulary")) == 30


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            "top = 12",
            "render.margins.top: 12 is not a margin: give millimetres as a number from 20 to 50, such as 22",
        ),
        (
            'left = "18mm"',
            "render.margins.left: '18mm' is not a margin: give millimetres as a number from 10 to 50, such as 22",
        ),
        ("right = true", "render.margins.right: True is not a margin"),
        ("right = nan", "render.margins.right: nan is not a margin"),
        ("inner = 20", "render.margins.inner: unknown key"),
    ],
)
def test_a_margin_that_cannot_be_is_a_configuration_error(
    approved: Path, setting: str, message: str
) -> None:
    (approved / "jmb.toml").write_text(f"[render.margins]\n{setting}\n", encoding="utf-8")
    code, out, err = invoke("render", "2019/09", "--format", "pdf")
    assert (code, out) == (3, "")
    assert err.startswith(f"jmb: {approved / 'jmb.toml'}:2: configuration error: {message}")
    assert not (approved / "build").exists()


# -- Word: A4, the office's margins, a header and a "Page X of Y" footer, named styles ------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def word_part(data: bytes, name: str) -> str:
    """The XML of one part of a .docx (``word/header1.xml``)."""
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")


def header_and_footer(document: object) -> tuple[list[str], list[str]]:
    section = document.sections[0]  # type: ignore[attr-defined]
    return (
        [paragraph.text for paragraph in section.header.paragraphs],
        [paragraph.text for paragraph in section.footer.paragraphs],
    )


def fields(part: object) -> list[str]:
    """The instructions of the fields in a header or footer, in order."""
    element = part._element  # type: ignore[attr-defined]
    return [field.get(f"{W}instr").strip() for field in element.iter(f"{W}fldSimple")]


def test_word_is_a4_with_the_default_margins_a_header_and_page_numbers(approved: Path) -> None:
    document = Document(io.BytesIO(rendered(approved, "docx")))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(margin.mm) for margin in margins] == [22, 22, 18, 18]
    header, footer = header_and_footer(document)
    assert header == ["Lancashire Constabulary\t\tDecision 2019/09"]
    assert footer == ["\t\tPage  of "]  # and the numbers are fields, which Word fills in:
    assert fields(section.footer) == ["PAGE", "NUMPAGES"]
    assert fields(section.header) == []


def test_word_has_the_margins_of_jmb_toml(approved: Path) -> None:
    (approved / "jmb.toml").write_text(
        "[render]\nmargins = { top = 30, bottom = 25.5, left = 20, right = 12 }\n", encoding="utf-8"
    )
    config = read_config(approved / "jmb.toml")
    document = Document(io.BytesIO(rendered(approved, "docx", config=config)))
    section = document.sections[0]
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(margin.mm, 1) for margin in margins] == [30, 25.5, 20, 12]
    assert round(section.header_distance.mm) == 15  # halfway into the top margin
    right_stop = document.styles["Footer"].paragraph_format.tab_stops[-1]
    assert round(right_stop.position.mm) == 210 - 20 - 12  # the right edge of the text


def test_word_part2_has_its_marking_in_every_header_and_footer_and_a_draft_its_banner(
    approved: Path,
) -> None:
    document = Document(io.BytesIO(rendered(approved, "docx", part=2, draft=True)))
    header, footer = header_and_footer(document)
    assert header == [
        "OFFICIAL-SENSITIVE",
        "DRAFT - not approved",
        "Lancashire Constabulary\t\tDecision 2019/09, Part 2",
    ]
    assert footer == ["\t\tPage  of ", "OFFICIAL-SENSITIVE"]
    assert fields(document.sections[0].footer) == ["PAGE", "NUMPAGES"]
    styles = [paragraph.style.name for paragraph in document.sections[0].header.paragraphs]
    assert styles == ["Protective Marking", "Draft Banner", "Header"]


def test_word_is_made_of_named_styles_the_office_can_restyle(approved: Path) -> None:
    document = Document(io.BytesIO(rendered(approved, "docx")))
    styled = [(paragraph.style.name, paragraph.text) for paragraph in document.paragraphs]
    assert styled[:3] == [
        ("Organisation", "Lancashire Constabulary"),
        ("Strapline", "police and communities together"),
        ("Board", "Joint Management Board"),  # in capitals by its style, not its text
    ]
    assert ("Table Caption", "Signatures") in styled and ("Table Caption", "Declarations") in styled
    assert document.styles["Board"].font.all_caps
    for table in document.tables:  # and no row of a signature table is split across pages
        for row in table.rows:
            assert row._tr.trPr.find(f"{W}cantSplit") is not None
    assert document.styles["Table Caption"].paragraph_format.keep_with_next
    # What jmb writes of the form itself carries no formatting of its own: the styles carry it.
    for paragraph in document.paragraphs[:3]:
        for run in paragraph.runs:
            assert (run.bold, run.italic, run.font.size) == (None, None, None), paragraph.text
    facts = next(p for p in document.paragraphs if p.text.startswith("Decision: "))
    assert [(run.style.name, run.bold) for run in facts.runs] == [
        ("Strong", None),
        ("Default Paragraph Font", None),
    ]


def office_reference(root: Path, header: str = "", footer: str = "", first_page: str = "") -> None:
    """The office's templates/reference.docx: US Letter with inch margins, with the header and
    footer given (none when empty), and a first page of its own when ``first_page`` is."""
    from docx.shared import Inches

    base = Document()
    section = base.sections[0]
    section.top_margin = section.bottom_margin = Inches(1)
    if header:
        section.header.paragraphs[0].text = header
    if footer:
        section.footer.paragraphs[0].text = footer
    if first_page:
        section.different_first_page_header_footer = True
        section.first_page_header.paragraphs[0].text = first_page
    (root / "templates").mkdir(exist_ok=True)
    base.save(str(root / "templates" / "reference.docx"))


def test_a_reference_document_keeps_its_page_set_up_header_and_footer(approved: Path) -> None:
    office_reference(approved, header="Office of the PCC", footer="Printed on recycled paper")
    document = Document(io.BytesIO(rendered(approved, "docx")))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.top_margin.mm)) == (216, 25)  # Letter
    assert header_and_footer(document) == (["Office of the PCC"], ["Printed on recycled paper"])
    # Part 2's marking, and a draft's banner, are on every page whatever the office's header says.
    document = Document(io.BytesIO(rendered(approved, "docx", part=2, draft=True)))
    assert header_and_footer(document) == (
        ["Office of the PCC", "OFFICIAL-SENSITIVE", "DRAFT - not approved"],
        ["Printed on recycled paper", "OFFICIAL-SENSITIVE"],
    )


def test_a_reference_document_without_a_header_or_footer_gets_jmbs(approved: Path) -> None:
    office_reference(approved)
    document = Document(io.BytesIO(rendered(approved, "docx")))
    assert round(document.sections[0].page_width.mm) == 216  # its page set-up is still its own
    assert header_and_footer(document) == (
        ["Lancashire Constabulary\t\tDecision 2019/09"],
        ["\t\tPage  of "],
    )
    assert fields(document.sections[0].footer) == ["PAGE", "NUMPAGES"]


def office_reference_saved_from_a_decision(root: Path, secret: str) -> None:
    """The office's templates/reference.docx saved from a real decision, as a clerk makes one: its
    body, a comment, a footnote, its properties, its company, a document variable and the picture
    of its first page all hold ``secret``."""
    base = Document()
    paragraph = base.add_paragraph(f"Body: {secret}")
    base.add_comment(paragraph.runs[0], text=f"Comment: {secret}", author=f"Author {secret}")
    properties = base.core_properties
    properties.keywords = properties.category = properties.content_status = secret
    properties.identifier = properties.version = secret
    buffer = io.BytesIO()
    base.save(buffer)
    word = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    (root / "templates").mkdir(exist_ok=True)
    with (
        zipfile.ZipFile(buffer) as source,
        zipfile.ZipFile(root / "templates" / "reference.docx", "w") as target,
    ):
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "docProps/app.xml":
                data = data.replace(
                    b"</Properties>", f"<Company>{secret}</Company></Properties>".encode()
                )
            elif item.filename == "docProps/thumbnail.jpeg":
                data = b"\xff\xd8\xff\xe0" + secret.encode()
            elif item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
                )
            elif item.filename == "word/_rels/document.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    f'<Relationship Id="rId99" Type="{office}/footnotes" Target="footnotes.xml"/>'
                    "</Relationships>".encode(),
                )
            elif item.filename == "word/settings.xml":
                data = re.sub(
                    rb"(<w:settings[^>]*>)",
                    rb'\1<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
                    + f'<w:docVars><w:docVar w:name="Matter" w:val="{secret}"/></w:docVars>'.encode(),
                    data,
                    count=1,
                )
            target.writestr(item, data)
        target.writestr(
            "word/footnotes.xml",
            f'<w:footnotes xmlns:w="{word}"><w:footnote w:type="separator" w:id="-1"><w:p><w:r>'
            f'<w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" '
            f'w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote><w:footnote '
            f'w:id="1"><w:p><w:r><w:t>Footnote: {secret}</w:t></w:r></w:p></w:footnote>'
            "</w:footnotes>",
        )


def test_nothing_of_a_reference_documents_own_text_reaches_the_output(approved: Path) -> None:
    # A reference document saved from a decision with a Part 2 kept its comments, footnotes,
    # properties, company and thumbnail in every Part 1 Word file, which jmb publish publishes.
    secret = "Bidder A tendered 1,284,600"
    office_reference_saved_from_a_decision(approved, secret)
    office = approved / "templates" / "reference.docx"
    with zipfile.ZipFile(office) as source:  # the reference holds it everywhere it is meant to
        assert sum(secret.encode() in source.read(item) for item in source.infolist()) == 7
    for part in (1, 2):
        data = rendered(approved, "docx", part=part)
        with zipfile.ZipFile(io.BytesIO(data)) as output:
            held = [
                item.filename for item in output.infolist() if b"1,284,600" in output.read(item)
            ]
            names = sorted(output.namelist())
        assert held == []
        assert "word/comments.xml" not in names and "docProps/thumbnail.jpeg" not in names
        document = Document(io.BytesIO(data))  # still a Word document, styled by the reference
        assert document.core_properties.keywords == ""
        assert docx_text(data).startswith("Lancashire Constabulary")


def test_the_marking_is_on_a_first_page_of_its_own_too(approved: Path) -> None:
    office_reference(approved, header="Office of the PCC", first_page="With the crest")
    document = Document(io.BytesIO(rendered(approved, "docx", part=2)))
    section = document.sections[0]
    assert [p.text for p in section.first_page_header.paragraphs] == [
        "With the crest",
        "OFFICIAL-SENSITIVE",
    ]
    assert [p.text for p in section.first_page_footer.paragraphs][-1] == "OFFICIAL-SENSITIVE"


# -- the bundled example, as the "done when" reads it back -------------------------------


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled example repository (its jmb.toml included), as the current folder."""
    from tests.test_example import copy_example_repository

    copy_example_repository(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_examples_part1_pdf_opens_with_page_numbers_and_its_number(example: Path) -> None:
    code, out, err = invoke("render", "2019/10", "--format", "pdf")
    assert (code, out, err) == (0, "build/2019-10-part1.pdf\n", "")
    pages = pdf_pages((example / "build" / "2019-10-part1.pdf").read_bytes())
    assert len(pages) > 1
    for number, text in enumerate(pages, start=1):
        assert f"Decision 2019/10 Page {number} of {len(pages)}" in text


def test_the_examples_part1_word_opens_with_its_header_page_numbers_on_a4(example: Path) -> None:
    code, out, err = invoke("render", "2019/10", "--format", "docx")
    assert (code, out, err) == (0, "build/2019-10-part1.docx\n", "")
    data = (example / "build" / "2019-10-part1.docx").read_bytes()
    header = word_part(data, "word/header1.xml")
    assert (
        "<w:t>Lancashire Constabulary</w:t>" in header and "<w:t>Decision 2019/10</w:t>" in header
    )
    footer = word_part(data, "word/footer1.xml")
    assert '<w:fldSimple w:instr=" PAGE ">' in footer
    assert '<w:fldSimple w:instr=" NUMPAGES ">' in footer
    document = word_part(data, "word/document.xml")
    # A4 in twentieths of a point, and the configured margins: 22 mm and 18 mm.
    assert '<w:pgSz w:w="11906" w:h="16838"/>' in document
    assert '<w:pgMar w:top="1247" w:right="1020" w:bottom="1247" w:left="1020"' in document
