"""One definition of the form: its headings live in one table, an office renames them in jmb.toml,
and every output, the scaffold and the findings follow."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdf
import pytest
from docx import Document
from typer.testing import CliRunner

from jmb.cli import app
from jmb.record.form import SECTIONS, Form
from jmb.render.renderer import render
from jmb.repo.config import read_config
from tests.conftest import ROOT, TODAY

APPROVED = ROOT / "tests" / "fixtures" / "approved-with-part2.yaml"
EXAMPLE = ROOT / "records" / "2019" / "2019-09-single-online-home.yaml"
RECORD = "records/2019/2019-09-single-online-home.yaml"

RENAMED = """\
[form.headings]
plan_links = "2. Links to the Police, Fire and Crime Plan"
"implications.financial" = "4c. Money matters"
executive_summary = "Summary for the public"
public_access = "6. Publication"
"""


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An approved decision in a repository whose jmb.toml renames four headings."""
    (tmp_path / "jmb.toml").write_text(RENAMED, encoding="utf-8")
    record = tmp_path / RECORD
    record.parent.mkdir(parents=True)
    record.write_text(APPROVED.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def rendered_text(root: Path, fmt: str) -> str:
    """The visible text of Part 1 in ``fmt``, as a reader (or a screen reader) gets it."""
    config = read_config(root / "jmb.toml")
    (path,) = render(["2019/09"], config=config, fmt=fmt, today=TODAY).written  # type: ignore[arg-type]
    data = path.read_bytes()
    if fmt == "pdf":
        return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    if fmt == "docx":
        document = Document(io.BytesIO(data))
        return "\n".join(paragraph.text for paragraph in document.paragraphs)
    return data.decode("utf-8")


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx", "md"])
def test_every_format_prints_the_offices_headings(office: Path, fmt: str) -> None:
    text = " ".join(rendered_text(office, fmt).split())  # PDF lines wrap where they will
    for heading in (
        "2. Links to the Police, Fire and Crime Plan",
        "c. Money matters",  # a part under its parent, as the form prints it
        "Summary for the public",
        "6. Publication",
    ):
        assert heading in text, f"{heading!r} is not in the {fmt} output"
    for replaced in ("Links to the Police and Crime Plan", "c. Financial", "Executive Summary"):
        assert replaced not in text, f"{replaced!r} is still in the {fmt} output"
    assert "1. Background and Advice" in text  # what the office left alone stays as it was


def test_word_headings_are_word_headings(office: Path) -> None:
    config = read_config(office / "jmb.toml")
    (path,) = render(["2019/09"], config=config, fmt="docx", today=TODAY).written  # type: ignore[arg-type]
    document = Document(str(path))
    headings = {
        paragraph.text: paragraph.style.name
        for paragraph in document.paragraphs
        if paragraph.style.name.startswith("Heading")
    }
    assert headings["2. Links to the Police, Fire and Crime Plan"] == "Heading 3"
    assert headings["c. Money matters"] == "Heading 4"
    assert headings["Summary for the public"] == "Heading 2"


def test_findings_and_the_scaffold_use_the_offices_headings(office: Path) -> None:
    record = office / RECORD
    record.write_text(
        record.read_text()
        .replace("status: approved", "status: draft")
        .replace("plan_links:", "aside:")  # no misspelling of it (that is JMB006 alone)
    )
    code, out, _ = invoke("validate", "--format", "text")
    assert "JMB101 plan_links: 2. Links to the Police, Fire and Crime Plan is missing" in out
    code, out, err = invoke("new", "--title", "Estates", "--date", "2026-11-02")
    assert code == 0, err
    scaffold = (office / out.strip()).read_text()
    assert "# 2. Links to the Police, Fire and Crime Plan: Which priorities" in scaffold
    assert "  # c. Money matters: Costs, budget and funding" in scaffold
    assert "# Summary for the public: What the report asks for" in scaffold
    assert "Links to the Police and Crime Plan" not in scaffold


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            '[form.headings]\nplan_link = "2. Plan"\n',
            "jmb.toml:2: configuration error: form.headings.plan_link: 'plan_link' is not a "
            "section of the form; did you mean 'plan_links'?",
        ),
        (
            '[form.headings]\nbackground = "  "\n',
            "jmb.toml:2: configuration error: form.headings.background: a heading is words on one "
            "line, without spaces around them",
        ),
        (
            '[form.headings]\nbackground = "1. Background\\nand Advice"\n',
            "jmb.toml:2: configuration error: form.headings.background: a heading is words on one "
            "line, without spaces around them",
        ),
        (
            "[form]\nheading = {}\n",
            "jmb.toml:2: configuration error: form.heading: unknown key; did you mean 'headings'?",
        ),
        (
            '[sections]\nrequired = ["implications", "implications.legal"]\n',
            "jmb.toml:2: configuration error: sections.required: 'implications.legal' is listed "
            "twice (a parent names all its parts)",
        ),
        (
            '[sections]\nrequired = ["signature_block"]\n',
            "jmb.toml:2: configuration error: sections.required: 'signature_block' is not a "
            "section; sections are",
        ),
    ],
)
def test_a_wrong_form_setting_is_a_configuration_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toml: str, message: str
) -> None:
    (tmp_path / "jmb.toml").write_text(toml, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = invoke("validate")
    assert (code, out) == (3, "")
    assert err.startswith("jmb: ") and message in err, err
    assert len(err.splitlines()) == 1


def test_a_parent_in_sections_required_means_all_its_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "jmb.toml").write_text(
        '[sections]\nrequired = ["recommendation", "implications"]\n', encoding="utf-8"
    )
    config = read_config(tmp_path / "jmb.toml")
    assert config.sections.required == (
        "recommendation.lead",
        "recommendation.items",
        "implications.risks",
        "implications.legal",
        "implications.financial",
        "implications.equality",
    )
    record = tmp_path / RECORD
    record.parent.mkdir(parents=True)
    text = EXAMPLE.read_text().replace("status: submitted", "status: submitted")
    text = re.sub(r"(?ms)^implications:.*?(?=^\w)", "", text)  # the whole of section 4 goes
    record.write_text(text)
    monkeypatch.chdir(tmp_path)
    _, out, _ = invoke("validate", "--format", "text")
    missing = re.findall(r"JMB101 (\S+): (4[a-d]\. [\w ]+) is missing", out)
    assert sorted(missing) == [
        ("implications.equality", "4d. Equality considerations"),
        ("implications.financial", "4c. Financial"),
        ("implications.legal", "4b. Legal"),
        ("implications.risks", "4a. Risks"),
    ]
    assert "JMB101 background" not in out  # not required by this office


def test_a_part_renamed_without_its_parents_number_is_printed_as_given() -> None:
    form = Form({"implications.risks": "Risk register", "implications.legal": "4b. Law"})
    assert form.subheading("implications.risks") == "Risk register"
    assert form.subheading("implications.legal") == "b. Law"
    assert form.heading("implications.legal") == "4b. Law"


def test_the_forms_headings_are_written_in_one_place() -> None:
    """No module or template spells a heading of the form: they all read the table."""
    sources = [
        path
        for folder in ("jmb", "templates")
        for path in sorted((ROOT / folder).rglob("*"))
        if path.suffix in (".py", ".j2") and path != ROOT / "jmb/record/form.py"
    ]
    texts = {path: path.read_text(encoding="utf-8") for path in sources}
    for row in SECTIONS.values():
        # The heading as printed, and its words in a tag, quoted, or after a comment's hash.
        shapes = [
            re.escape(row.heading),
            *(
                rf"{before}{re.escape(row.title)}{after}"
                for before, after in ((">", "<"), ('"', '"'), ("'", "'"), ("# ", ":"))
            ),
        ]
        if not row.number:
            shapes = shapes[1:]  # an unnumbered heading's words alone are too common to search
        pattern = re.compile("|".join(shapes))
        for path, text in texts.items():
            found = pattern.search(text)
            assert found is None, (
                f"{path.relative_to(ROOT)} spells the heading of {row.key}: {found.group()!r}"
            )


def test_word_output_starts_from_the_offices_reference_document(office: Path) -> None:
    templates = office / "templates"
    templates.mkdir()
    base = Document()
    base.styles["Heading 2"].font.name = "Georgia"
    base.sections[0].header.add_paragraph("Office of the Police and Crime Commissioner")
    base.add_paragraph("Sample text of the reference document, not to be kept")
    base.save(str(templates / "reference.docx"))
    config = read_config(office / "jmb.toml")
    (path,) = render(["2019/09"], config=config, fmt="docx", today=TODAY).written  # type: ignore[arg-type]
    document = Document(str(path))
    assert document.styles["Heading 2"].font.name == "Georgia"
    header = [paragraph.text for paragraph in document.sections[0].header.paragraphs]
    assert "Office of the Police and Crime Commissioner" in header
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "Sample text of the reference document" not in text
    assert "2. Links to the Police, Fire and Crime Plan" in text


def test_a_reference_document_that_is_not_word_is_one_line_of_error(office: Path) -> None:
    (office / "templates").mkdir()
    (office / "templates" / "reference.docx").write_text("not a zip")
    code, out, err = invoke("render", "2019/09", "--format", "docx")
    assert (code, out) == (1, "")
    assert err.startswith("jmb: ") and "reference.docx: not a Word document to start from" in err
    assert len(err.splitlines()) == 1
