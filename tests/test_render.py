"""jmb render: what each format holds, refusals, drafts, templates, determinism."""

from __future__ import annotations

import io
import re
import shutil
import time
import zipfile
from pathlib import Path

import pypdf
import pytest
from docx import Document
from typer.testing import CliRunner

from jmb.cli import app
from jmb.render.markdown import markdown_escape
from jmb.render.renderer import render
from jmb.repo.config import Config
from tests.conftest import ROOT, TODAY, check_golden

EXAMPLE = ROOT / "records" / "2019" / "2019-09-single-online-home.yaml"
APPROVED = ROOT / "tests" / "fixtures" / "approved-with-part2.yaml"
RECORD = "records/2019/2019-09-single-online-home.yaml"


def make_repo(root: Path, source: Path = EXAMPLE, text: str | None = None) -> Path:
    target = root / RECORD
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text if text is not None else source.read_text(encoding="utf-8"), "utf-8")
    return root


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(make_repo(tmp_path))
    return tmp_path


@pytest.fixture
def approved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(make_repo(tmp_path, APPROVED))
    return tmp_path


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def rendered(root: Path, fmt: str = "html", part: int = 1, draft: bool = False) -> bytes:
    (path,) = render(
        ["2019/09"],
        config=Config(root=root),
        part=part,
        fmt=fmt,
        draft=draft,
        today=TODAY,  # type: ignore[arg-type]
    ).written
    return path.read_bytes()


# -- the command ---------------------------------------------------------------------------------


def test_a_record_with_errors_is_refused_with_its_findings(example: Path) -> None:
    code, out, err = invoke("render", "2019/09")
    assert (code, out) == (1, "")
    assert f"{RECORD}:45:5: error JMB202 implications.financial: unanswered question" in err
    assert err.endswith(
        "jmb: not rendered: 1 record has errors; fix them, or render with --draft\n"
    )
    assert not (example / "build").exists()


def test_draft_renders_it_with_a_banner_into_build(example: Path) -> None:
    code, out, _ = invoke("render", "2019/09", "--draft")
    assert code == 0
    assert out == "build/2019-09-part1.html\n"
    html = (example / "build/2019-09-part1.html").read_text()
    assert '<p class="draft-banner">DRAFT - not approved</p>' in html


def test_every_format_by_number_or_path_into_a_chosen_folder(approved: Path) -> None:
    for fmt in ("html", "pdf", "docx", "md"):
        code, out, _ = invoke("render", RECORD, "--format", fmt, "--out", "site")
        assert code == 0, out
        assert out == f"site/2019-09-part1.{fmt}\n"
    assert sorted(path.name for path in (approved / "site").iterdir()) == [
        "2019-09-part1.docx",
        "2019-09-part1.html",
        "2019-09-part1.md",
        "2019-09-part1.pdf",
    ]


def test_all_renders_every_record_and_part_2_only_where_there_is_one(approved: Path) -> None:
    make_repo(approved / "second", EXAMPLE)
    shutil.copy(
        approved / "second" / RECORD, approved / "records/2019/2019-08-single-online-home.yaml"
    )
    text = (approved / "records/2019/2019-08-single-online-home.yaml").read_text()
    (approved / "records/2019/2019-08-single-online-home.yaml").write_text(
        text.replace('number: "2019/09"', 'number: "2019/08"')
    )
    code, out, _ = invoke("render", "--all", "--draft")
    assert (code, out) == (0, "build/2019-08-part1.html\nbuild/2019-09-part1.html\n")
    code, out, _ = invoke("render", "--all", "--draft", "--part", "2")
    assert (code, out) == (0, "build/confidential/2019-09-part2.html\n")


def test_a_record_is_found_by_its_number_however_the_number_is_written(example: Path) -> None:
    record = example / RECORD
    text = record.read_text(encoding="utf-8")
    assert 'number: "2019/09"\n' in text
    record.write_text(text.replace('number: "2019/09"\n', '"number": "2019/09"\n'))
    code, out, _ = invoke("render", "2019/09", "--draft")
    assert (code, out) == (0, "build/2019-09-part1.html\n")


def _second_record(root: Path, number: str) -> Path:
    """A copy of the example as another record, numbered ``number``."""
    second = root / "records/2019/2019-09-police-uk-agreement.yaml"
    text = (root / RECORD).read_text(encoding="utf-8")
    second.write_text(text.replace('number: "2019/09"', f"number: {number!r}"), "utf-8")
    return second


@pytest.mark.parametrize("number", ["2019-09", "\uff12\uff10\uff11\uff19/\uff10\uff19"])
def test_two_records_are_never_written_to_one_file_even_as_drafts(
    example: Path, number: str
) -> None:
    _second_record(example, number)
    expected = (
        "jmb: build/2019-09-part1.html: records/2019/2019-09-police-uk-agreement.yaml "
        f"({number!r}) and {RECORD} ('2019/09') would both be written to it; "
        "give them numbers that make different file names\n"
    )
    assert invoke("render", "--all", "--draft") == (1, "", expected)
    assert not (example / "build").exists()
    # Named one at a time, the second would replace the first's file all the same.
    code, out, err = invoke("render", "2019/09", "--draft")
    assert (code, out) == (1, "")
    assert err.startswith("jmb: build/2019-09-part1.html: ") and err.count("\n") == 1
    assert "records/2019/2019-09-police-uk-agreement.yaml" in err and RECORD in err
    assert not (example / "build").exists()


def test_one_number_written_two_ways_is_refused_unless_drafted(example: Path) -> None:
    """2019/009 is decision 2019/09 (JMB306); as drafts, each has a file of its own."""
    second = _second_record(example, "2019/009")
    second.rename(second.with_name("2019-009-police-uk-agreement.yaml"))
    code, _, err = invoke("render", "--all")
    assert code == 1
    assert "error JMB306 number: '2019/009' is the same number as '2019/09'" in err
    code, out, _ = invoke("render", "--all", "--draft")
    assert (code, out) == (0, "build/2019-009-part1.html\nbuild/2019-09-part1.html\n")


def test_part_2_of_a_record_without_one_is_an_error(example: Path) -> None:
    code, out, err = invoke("render", "2019/09", "--draft", "--part", "2")
    assert (code, out) == (1, "")
    assert err == f"jmb: {RECORD}: decision 2019/09 has no Part 2\n"


def test_unknown_numbers_and_missing_arguments(example: Path) -> None:
    assert invoke("render", "2019/99") == (
        1,
        "",
        "jmb: no record is numbered '2019/99' under records; did you mean '2019/09'?\n",
    )
    assert invoke("render")[0] == 2
    assert invoke("render", "2019/09", "--format", "odt")[0] == 2


# -- Part 1 and Part 2 content --------------------------------------------------------------------


def test_part1_html_golden(example: Path, update_goldens: bool) -> None:
    html = rendered(example, "html", draft=True).decode()
    check_golden(ROOT / "tests/golden/2019-09-part1.html", html, update_goldens)


def test_part1_markdown_golden(example: Path, update_goldens: bool) -> None:
    markdown = rendered(example, "md", draft=True).decode()
    check_golden(ROOT / "tests/golden/2019-09-part1.md", markdown, update_goldens)


def test_part1_lays_out_the_form(approved: Path) -> None:
    html = rendered(approved, "html").decode()
    order = [
        '<p class="organisation">Lancashire Constabulary</p>',
        '<p class="strapline">police and communities together</p>',
        '<p class="board">Joint Management Board</p>',
        "<h1>Decision 2019/09: Single Online Home</h1>",
        "<dt>Date</dt><dd>12 June 2019</dd>",
        "<dt>Report by</dt><dd>Ian Dickinson</dd>",
        "<h2>Executive Summary</h2>",
        "<h2>Recommendation</h2>",
        "<li>enter into a collaborative agreement to secure the governance",
        '<th scope="row">Police and Crime Commissioner</th>\n<td>Jane Ashworth</td>\n<td>20 June 2019</td>',
        "<h3>1. Background and Advice</h3>",
        "<h3>2. Links to the Police and Crime Plan</h3>",
        "<h3>3. Consultation</h3>",
        "<h3>4. Implications</h3>",
        "<h4>a. Risks</h4>",
        "<h4>b. Legal</h4>",
        "<h4>c. Financial</h4>",
        "<h4>d. Equality considerations</h4>",
        "<h3>5. Background Papers</h3>",
        '<li><a href="https://www.police.uk/soh-statement-of-intent">Single Online Home statement '
        "of intent</a> (https://www.police.uk/soh-statement-of-intent)</li>",
        "<h3>6. Public access to information</h3>",
        "within 3 working days of approval",
        "holds information that is exempt from publication under the Freedom of Information Act "
        "2000: s.43 commercial interests.",
        "<li>Appendix A: National clarification of concerns, May 2019</li>",
        "<h2>Officer declaration</h2>",
        "I have been informed about the proposal",
        '<th scope="row">Monitoring Officer</th>\n<td>Abigail Leech</td>\n<td>19 June 2019</td>',
    ]
    positions = [html.find(text) for text in order]
    assert -1 not in positions, [text for text, at in zip(order, positions, strict=True) if at < 0]
    assert positions == sorted(positions)
    assert "DRAFT - not approved" not in html  # approved and not asked for as a draft
    assert "OFFICIAL-SENSITIVE" not in html and "Commercial terms" not in html


def test_part2_has_its_marking_at_top_and_bottom_and_the_exemption(approved: Path) -> None:
    html = rendered(approved, "html", part=2).decode()
    body = html.split("<body>", 1)[1]
    assert body.lstrip().startswith('<p class="marking marking-top">OFFICIAL-SENSITIVE</p>')
    assert body.split("</main>", 1)[1].split() == [
        "<p",
        'class="marking',
        'marking-bottom">OFFICIAL-SENSITIVE</p>',
        "</body>",
        "</html>",
    ]
    assert "<dt>Exemption relied on</dt><dd>s.43 commercial interests</dd>" in html
    assert "<dt>Exemption to be reviewed</dt><dd>12 June 2021</dd>" in html
    assert "<h2>1. Commercial terms</h2>" in html
    # The fixture's text is wrapped by hand, and a line break typed is a line break kept.
    assert "commercially confidential until<br>\nthe contract with MOPAC is signed" in html
    pdf = pypdf.PdfReader(io.BytesIO(rendered(approved, "pdf", part=2)))
    for page in pdf.pages:  # fixed in print: at the top and the bottom of every page
        assert page.extract_text().count("OFFICIAL-SENSITIVE") >= 2


def test_record_text_is_data_never_markup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hostile = "Costs {{ 7*7 }} {% if true %}x{% endif %} <script>alert(1)</script> *bold* [a](b)"
    text = APPROVED.read_text().replace(
        "    instead of the Home Office, from the existing budget.",
        f"    instead of the Home Office, from the existing budget. {hostile}",
    )
    monkeypatch.chdir(make_repo(tmp_path, text=text))
    html = rendered(tmp_path, "html", draft=True).decode()  # "{{ 7*7 }}" is JMB201 too
    assert "Costs {{ 7*7 }} {% if true %}x{% endif %} &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html and "49" not in html
    markdown = rendered(tmp_path, "md", draft=True).decode()
    # *bold* is the subset's italic, written back as Markdown's own; [a](b), a link to no web or
    # mail address, stays text.
    assert "<em>bold</em> [a](b)" in html
    assert (
        r"Costs {{ 7\*7 }} {% if true %}x{% endif %} \<script\>alert(1)\</script\> *bold* "
        r"\[a\](b)" in markdown
    )


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("# not a heading", r"\# not a heading"),
        ("- not a list", r"\- not a list"),
        ("1. not a list", r"1\. not a list"),
        ("> not a quote", r"\> not a quote"),
        ("a | b", r"a \| b"),
        ("AT&T <b>", r"AT\&T \<b\>"),
        ("![img](x)", r"\!\[img\](x)"),
        ("2019/09 costs £5.", "2019/09 costs £5."),
    ],
)
def test_markdown_escape(text: str, escaped: str) -> None:
    assert markdown_escape(text) == escaped


# -- templates ------------------------------------------------------------------------------------


def test_a_template_override_with_a_missing_field_fails_loudly(approved: Path) -> None:
    (approved / "templates").mkdir()
    source = (ROOT / "templates/part1-body.html.j2").read_text()
    (approved / "templates/part1-body.html.j2").write_text(
        source.replace(
            "<h2>{{ view.headings.executive_summary }}</h2>", "<h2>{{ view.header.subtitle }}</h2>"
        )
    )
    code, _, err = invoke("render", "2019/09")
    assert code == 1
    line = 1 + source.split("<h2>{{ view.headings.executive_summary }}</h2>")[0].count("\n")
    assert err.startswith("jmb: ") and f"part1-body.html.j2:{line}: template error:" in err
    assert "has no attribute 'subtitle'" in err


def test_the_pdf_fetches_nothing_outside_the_templates(approved: Path) -> None:
    (approved / "templates").mkdir()
    secret = approved / "secret.png"
    secret.write_bytes(_tiny_png())
    source = (ROOT / "templates/part1-body.html.j2").read_text()
    (approved / "templates/part1-body.html.j2").write_text(
        source.replace(
            "<h2>{{ view.headings.executive_summary }}</h2>",
            f'<img alt="" src="{secret.as_uri()}"><img alt="" src="http://127.0.0.1:9/x.png">'
            "<h2>{{ view.headings.executive_summary }}</h2>",
        )
    )
    from jmb.render.renderer import _confined_fetcher

    fetcher = _confined_fetcher(Config(root=approved).template_dirs)
    for url in (secret.as_uri(), "http://127.0.0.1:9/x.png", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="jmb fetches nothing outside its template folders"):
            fetcher.fetch(url)
    pdf = pypdf.PdfReader(io.BytesIO(rendered(approved, "pdf")))  # refusals do not stop the PDF
    assert [image for page in pdf.pages for image in page.images] == []  # and nothing got in


def _tiny_png() -> bytes:
    """A real one-pixel PNG, which WeasyPrint would embed if it were let fetch it."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


# -- PDF and Word read back ------------------------------------------------------------------------


def test_pdf_is_tagged_and_holds_every_section(approved: Path) -> None:
    reader = pypdf.PdfReader(io.BytesIO(rendered(approved, "pdf")))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en-GB"
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    assert reader.metadata is not None
    assert reader.metadata.title == "Decision 2019/09: Single Online Home (Part 1)"
    assert reader.metadata["/CreationDate"] == "D:20190612000000Z"
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for expected in (
        "Executive Summary",
        "1. Background and Advice",
        "2. Links to the Police and Crime Plan",
        "3. Consultation",
        "4. Implications",
        "a. Risks",
        "b. Legal",
        "c. Financial",
        "d. Equality considerations",
        "5. Background Papers",
        "6. Public access to information",
        "Officer declaration",
        "The Head of Legal Services, the Chief Finance Officer and the Head of Digital Services",
        "Jane Ashworth",
    ):
        assert expected in text, expected


def test_a_draft_pdf_has_the_banner_on_every_page(example: Path) -> None:
    reader = pypdf.PdfReader(io.BytesIO(rendered(example, "pdf", draft=True)))
    assert len(reader.pages) > 1
    for page in reader.pages:  # fixed in print, so repeated on every page
        assert "DRAFT - not approved" in page.extract_text()


def test_docx_has_headings_numbered_items_and_a_signature_table(approved: Path) -> None:
    document = Document(io.BytesIO(rendered(approved, "docx")))
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    assert headings[:4] == [
        ("Heading 1", "Decision 2019/09: Single Online Home"),
        ("Heading 2", "Executive Summary"),
        ("Heading 2", "Recommendation"),
        ("Heading 2", "Report"),
    ]
    assert ("Heading 4", "d. Equality considerations") in headings
    assert ("Heading 3", "6. Public access to information") in headings
    numbered = [p.text for p in document.paragraphs if p.style.name == "List Number"]
    assert len(numbered) == 2 and numbered[0].startswith("enter into a collaborative agreement")
    signatures = document.tables[0]
    assert [cell.text for cell in signatures.rows[0].cells] == ["Role", "Name", "Date"]
    assert [cell.text for cell in signatures.rows[1].cells] == [
        "Police and Crime Commissioner",
        "Jane Ashworth",
        "20 June 2019",
    ]
    assert document.core_properties.title == "Decision 2019/09: Single Online Home (Part 1)"
    assert document.core_properties.created.isoformat().startswith("2019-06-12")


def test_a_draft_docx_says_so_in_its_header(example: Path) -> None:
    document = Document(io.BytesIO(rendered(example, "docx", draft=True)))
    header = [p.text for p in document.sections[0].header.paragraphs]
    assert "DRAFT - not approved" in header
    unsigned = document.tables[0].rows[1].cells
    assert [cell.text for cell in unsigned][1:] == ["Signature: ______________", "Date: ________"]


@pytest.mark.parametrize("fmt", ["html", "md", "pdf", "docx"])
def test_rendering_is_deterministic(approved: Path, fmt: str) -> None:
    first = rendered(approved, fmt)
    time.sleep(1.1)  # a clock-stamped file would differ now: PDF and zip stamps count seconds
    second = rendered(approved, fmt)
    assert first == second
    if fmt == "docx":
        stamps = {info.date_time for info in zipfile.ZipFile(io.BytesIO(first)).infolist()}
        assert stamps == {(2019, 6, 12, 0, 0, 0)}


def test_inline_fields_cannot_start_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A title, lead, author or name with line breaks is shown on one line, in every format."""
    text = (
        APPROVED.read_text()
        .replace(
            "  lead: The Police and Crime Commissioner and Chief Constable are recommended to",
            '  lead: "Recommended to\\n- INJECTED\\n\\n    code block\\n---"',
        )
        .replace("report_by: Ian Dickinson", 'report_by: "Ian\\n\\n1. listed"')
    )
    monkeypatch.chdir(make_repo(tmp_path, text=text))
    markdown = rendered(tmp_path, "md", draft=True).decode()
    assert "\nRecommended to - INJECTED code block ---\n" in markdown  # one harmless line
    assert "- **Report by:** Ian 1. listed\n" in markdown
    html = rendered(tmp_path, "html", draft=True).decode()
    assert "<p>Recommended to - INJECTED code block ---</p>" in html


def test_broken_output_and_templates_are_errors_not_tracebacks(approved: Path) -> None:
    (approved / "blocked").write_text("a file where the output folder should be")
    code, _, err = invoke("render", "2019/09", "--out", "blocked/site")
    assert code == 1 and err.startswith("jmb: cannot write blocked/site/2019-09-part1.html")
    (approved / "templates").mkdir()
    (approved / "templates/part1.html.j2").write_text("<p>{{ 1 / 0 }}</p>\n")
    code, _, err = invoke("render", "2019/09")
    assert code == 1
    assert "part1.html.j2:1: template error: ZeroDivisionError: division by zero" in err


def test_word_takes_odd_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A form feed pasted from Word and a title longer than Word's property limit."""
    long_title = "Single Online Home " + "and more " * 40
    text = re.sub(
        r"plan_links: \|\n(?:  .*\n)+",
        'plan_links: "Priority one\\\\fand two \\\\x01"\n',
        APPROVED.read_text().replace("title: Single Online Home", f"title: {long_title.strip()}"),
    )
    monkeypatch.chdir(make_repo(tmp_path, text=text))
    document = Document(io.BytesIO(rendered(tmp_path, "docx", draft=True)))
    assert len(document.core_properties.title) == 255
    assert any(p.text.strip() == "Priority one and two" for p in document.paragraphs)


def test_part2_aliased_into_part1_is_refused_even_as_a_draft(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = ROOT / "tests/cases/JMB105/fires-alias-into-part1" / RECORD
    monkeypatch.chdir(make_repo(tmp_path, case))
    code, out, err = invoke("render", "2019/09", "--draft")
    assert (code, out) == (1, "")
    assert "error JMB105 background_papers[0].title" in err
    assert not (tmp_path / "build").exists()


# -- what a reader sees of odd but valid records ---------------------------------------------------


def _part1_of(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, fmt: str = "html") -> str:
    """Part 1 of a record written as ``text``, rendered as a draft (its signatures no longer match)."""
    monkeypatch.chdir(make_repo(tmp_path, text=text))
    return rendered(tmp_path, fmt, draft=True).decode()


def _between(text: str, start: str, end: str) -> str:
    """The words a reader sees between ``start`` and ``end``, markup left out."""
    chunk = text.split(start, 1)[1].split(end, 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", chunk).split())


def test_an_approved_decision_rendered_as_a_draft_has_the_banner(approved: Path) -> None:
    assert (
        '<p class="draft-banner">DRAFT - not approved</p>'
        in rendered(approved, draft=True).decode()
    )
    assert "> **DRAFT - not approved**" in rendered(approved, "md", draft=True).decode()


def test_a_role_with_no_signature_entry_has_blank_lines_to_sign(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A role the record has no signature for at all (not even an empty one) is left to sign on paper."""
    text = re.sub(r"  - role: Chief Constable\n(?:    .*\n)+", "", APPROVED.read_text())
    assert "Chief Constable" not in text.split("signatures:")[1]
    html = _part1_of(tmp_path, monkeypatch, text)
    assert (
        '<th scope="row">Chief Constable</th>\n'
        '<td><span class="to-sign">Signature: ______________</span></td>\n'
        '<td><span class="to-sign">Date: ________</span></td></tr>'
    ) in html
    markdown = _part1_of(tmp_path, monkeypatch, text, "md")
    assert "| Chief Constable | Signature: ______ | Date: ______ |" in markdown


def test_a_signed_declaration_shows_the_statement_it_was_signed_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the Monitoring Officer declared, not the wording configured since."""
    signed = "I was consulted on the 2019 wording of this report and am content."
    text = APPROVED.read_text().replace(
        "    name: Abigail Leech\n", f"    name: Abigail Leech\n    statement: {signed}\n"
    )
    html = _part1_of(tmp_path, monkeypatch, text)
    assert f"<p><strong>Monitoring Officer</strong></p>\n<p>{signed}</p>" in html
    assert "I have been informed about the proposal" not in html


def test_no_recommendation_leaves_its_heading_with_nothing_under_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = re.sub(r"recommendation:\n(?:  .*\n)+", "", APPROVED.read_text())
    assert "recommendation:" not in text
    html = _part1_of(tmp_path, monkeypatch, text)
    assert _between(html, "<h2>Recommendation</h2>", "<caption>Signatures</caption>") == ""
    markdown = _part1_of(tmp_path, monkeypatch, text, "md")
    assert _between(markdown, "## Recommendation", "| Role |") == ""


@pytest.mark.parametrize(
    ("exemption", "shown"),
    [
        # Names the Act only by its initials: stated as written, after no "the" and no second Act.
        ("FOIA s.43 commercial interests", "under FOIA s.43 commercial interests."),
        # Starts with a law's name, one that is not the FOI Act: "the" before it, no FOI Act added.
        (
            "Environmental Information Regulations 2004, regulation 12(5)(e)",
            "under the Environmental Information Regulations 2004, regulation 12(5)(e).",
        ),
    ],
)
def test_an_exemption_that_names_its_own_law_is_stated_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exemption: str, shown: str
) -> None:
    text = APPROVED.read_text().replace(
        "exemption: s.43 commercial interests", f'exemption: "{exemption}"'
    )
    html = _part1_of(tmp_path, monkeypatch, text)
    assert f"holds information that is exempt from publication {shown}</p>" in html


def _paper_reference(reference: str) -> str:
    return APPROVED.read_text().replace(
        "reference: https://www.police.uk/soh-statement-of-intent", f"reference: '{reference}'"
    )


@pytest.mark.parametrize(
    ("reference", "linked"),
    [
        ("https://www.police.uk/X-2019/SOH", True),  # capitals are part of an address
        ("https://www.police.uk/" + "a" * (2000 - 22), True),  # 2,000 characters: the longest link
        ("https://www.police.uk/" + "a" * (2001 - 22), False),
        ('https://www.police.uk/soh"onmouseover="alert(1)', False),  # would leave the attribute
    ],
)
def test_a_background_paper_is_a_link_only_when_its_reference_is_a_safe_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference: str, linked: bool
) -> None:
    html = _part1_of(tmp_path, monkeypatch, _paper_reference(reference))
    papers = html.split("<h3>5. Background Papers</h3>\n<ul>\n", 1)[1].split("</ul>", 1)[0]
    escaped = reference.replace('"', "&#34;")
    title = "Single Online Home statement of intent"
    if linked:
        assert papers == f'<li><a href="{escaped}">{title}</a> ({escaped})</li>\n'
    else:
        assert papers == f"<li>{title} ({escaped})</li>\n"


def test_an_office_template_can_show_the_status_and_every_paper(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Part 1 template of the office's own: the record's status, then the background papers and
    appendices in one list, appendices with their label and file."""
    text = APPROVED.read_text().replace(
        "    title: National clarification of concerns, May 2019\n",
        "    title: National clarification of concerns, May 2019\n    file: appendix-a.pdf\n",
    )
    monkeypatch.chdir(make_repo(tmp_path, text=text))
    (tmp_path / "records/2019/appendix-a.pdf").write_bytes(b"%PDF-1.4\n")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/part1.md.j2").write_text(
        "# {{ view.header.title }} ({{ view.status }})\n\n"
        "{% for paper in view.background_papers + view.appendices %}- "
        "{% if paper.label %}Appendix {{ paper.label }}: {% endif %}{{ paper.title }}"
        " ({{ paper.reference }})\n{% endfor %}",
        encoding="utf-8",
    )
    assert rendered(tmp_path, "md", draft=True).decode() == (
        "# Single Online Home (approved)\n\n"
        "- Single Online Home statement of intent (https://www.police.uk/soh-statement-of-intent)\n"
        "- Appendix A: National clarification of concerns, May 2019 (appendix-a.pdf)\n"
    )


# -- a rendered part fetches nothing --------------------------------------------------------------

#: What the page's Content-Security-Policy refused, as the browser says, and whether the page's own
#: stylesheet applies (style.css sets headings bold).
SEEN = """
({
  refused: window.__csp.slice().sort(),
  bold: getComputedStyle(document.querySelector("h1")).fontWeight,
})
"""


@pytest.mark.parametrize("part", [1, 2])
def test_a_rendered_part_opened_in_a_browser_asks_no_server_for_anything(
    approved: Path, tmp_path: Path, part: int
) -> None:
    """An office's stylesheet that names a picture and a font on a server (its own, or one
    that logs who opens what) is refused them by the page itself: a Part 2 opened from its
    confidential folder tells no one it was opened. The page's own stylesheet still applies."""
    from tests.browser_support import Browser, need_chromium, serve
    from tests.test_search import WATCH_CSP

    need_chromium()
    requested: list[str] = []
    with serve(tmp_path, requested) as address:
        (approved / "templates").mkdir()
        stylesheet = (ROOT / "templates" / "style.css").read_text(encoding="utf-8")
        (approved / "templates" / "style.css").write_text(
            stylesheet
            + f'@font-face {{ font-family: "Beacon"; src: url("{address}beacon.woff"); }}\n'
            + f'body {{ background: url("{address}beacon.png"); font-family: "Beacon"; }}\n',
            encoding="utf-8",
        )
        opened = tmp_path / "opened" / "part.html"
        opened.parent.mkdir()
        opened.write_bytes(rendered(approved, "html", part=part))
        with Browser(tmp_path) as browser:
            page = browser.open(opened.as_uri(), before_load=WATCH_CSP)
            # The stylesheet's two addresses are refused (or, without the policy, asked for)
            # once the page has laid itself out with its font.
            deadline = time.monotonic() + 15
            while len(requested) + len(page.evaluate("window.__csp")) < 2:
                assert time.monotonic() < deadline, "the page neither fetched nor refused"
                time.sleep(0.05)
            seen = page.evaluate(SEEN)
    assert requested == []
    assert seen["refused"] == [f"font-src {address}beacon.woff", f"img-src {address}beacon.png"]
    assert int(seen["bold"]) >= 600
