"""``jmb import`` of forms saved as text or Markdown: the reader, the mapping, the command."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from jmb.check.engine import validate
from jmb.cli import app
from jmb.core.errors import ConfigError, RecordError
from jmb.ingest import importer, mapping
from jmb.ingest.blocks import Block, Kind
from jmb.ingest.importer import import_forms
from jmb.ingest.mapping import map_blocks, parse_date, title_case
from jmb.ingest.text import read_text
from jmb.record.model import Signature, Status
from jmb.repo.config import Config, read_config
from tests.conftest import TODAY
from tests.signing_support import invoke

ROOT = Path(__file__).parent.parent
#: The reference form as published, saved as text (a copy of ../shared/reference/).
REFERENCE = Path(__file__).parent / "fixtures/forms/decision-2019-09-single-online-home.txt"
EXAMPLE = ROOT / "records/2019/2019-09-single-online-home.yaml"
WRITTEN = "records/2019/2019-09-single-online-home.yaml"

#: Another office's form, in Markdown: a key/value table, other headings, a bulleted recommendation.
OTHER_OFFICE = """\
# Decision of the Police and Crime Commissioner

| Decision number | 073/2013 |
|---|---|
| Date | 23/10/2013 |
| Title | Estates strategy |
| Report author | A. Clerk |

## Summary

The estate is too large.

## Recommendations

The Commissioner is recommended to

- sell the old station;
- keep the new one.

## Supporting information

The old station costs too much.

It is empty.

## Police and Crime Plan

Value for money.

## Engagement

The public were asked.

## Implications

### Risk management

Low.

### Legal implications

The sale is lawful under the 2011 Act.

### Finance

A saving of a million pounds.

### Equalities

No group is affected differently, as assessed in the screening.

## Background papers

- Estates review https://example.org/estates.pdf

## Weather

It rained on the day.
"""


def _findings(result: list) -> set[tuple[str, str]]:  # type: ignore[type-arg]
    return {(finding.code, finding.field) for finding in result}


def test_the_reference_form_imports_to_the_findings_of_the_hand_made_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    config = Config(root=tmp_path)
    [imported] = import_forms([REFERENCE], config, today=TODAY)
    assert imported.path == tmp_path / WRITTEN
    expected = validate([EXAMPLE], config=Config(root=ROOT), today=TODAY, jobs=1).findings
    found = [finding for finding in imported.findings if finding.code != "JMB013"]
    assert _findings(found) == _findings(expected)
    assert len(found) == len(expected)
    # What validate says of the file written is what the import said.
    assert validate(config=config, today=TODAY, jobs=1).findings == imported.findings


def test_the_reference_form_fills_every_field_as_the_hand_made_record_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    import_forms([REFERENCE], Config(root=tmp_path), title_case=True, today=TODAY)
    written = yaml.safe_load((tmp_path / WRITTEN).read_text(encoding="utf-8"))
    example = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))

    def words(value: object) -> object:
        # Words only: the hand-made record and the import differ in white space (a | block ends
        # in a new line, the form's text does not), never in a word.
        if isinstance(value, str):
            return " ".join(value.split())
        if isinstance(value, list):
            return [words(item) for item in value]
        if isinstance(value, dict):
            return {key: words(item) for key, item in value.items()}
        return value

    assert words(written) == words(example)


def test_capitals_are_kept_as_written_unless_title_case_is_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    import_forms([REFERENCE], Config(root=tmp_path), today=TODAY)
    written = yaml.safe_load((tmp_path / WRITTEN).read_text(encoding="utf-8"))
    assert (written["title"], written["report_by"]) == ("SINGLE ONLINE HOME", "IAN DICKINSON")
    assert title_case("MINUTES OF THE BOARD") == "Minutes of the Board"
    assert title_case("Already in case, SOH") == "Already in case, SOH"


def test_each_piece_that_fills_no_field_is_a_warning_quoting_it_and_where_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(REFERENCE, tmp_path / "form.txt")
    result = CliRunner().invoke(app, ["import", "form.txt"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == WRITTEN
    unmapped = [line for line in lines if " JMB013 " in line]
    assert unmapped == [
        f"{WRITTEN}:{5 + index}:1: warning JMB013 not imported from the form, line {line}: "
        f'"{words}": put it in its field (or decide it is not needed), then delete this line'
        for index, (line, words) in enumerate(
            [
                (79, "LEGAL IMPLICATIONS \u2013 As above"),
                (80, "FINANCIAL IMPLICATIONS \u2013 As above"),
                (81, "EQUALITIES IMPLICATIONS \u2013 As above"),
                (82, "CONSULTATION \u2013 As above"),
            ]
        )
    ]
    # The record keeps them until a clerk has seen to them.
    rerun = CliRunner().invoke(app, ["validate", WRITTEN])
    assert [line for line in rerun.stdout.splitlines() if " JMB013 " in line] == unmapped


def test_another_offices_markdown_form_maps_by_meaning_and_its_own_synonyms(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "jmb.toml").write_text(
        '[numbering]\npattern = "{seq:03d}/{year}"\n\n'
        '[import]\nsynonyms = { consultation = ["Engagement"] }\n',
        encoding="utf-8",
    )
    form = tmp_path / "decision.md"
    form.write_text(OTHER_OFFICE, encoding="utf-8")
    [imported] = import_forms([form], read_config(tmp_path / "jmb.toml"), today=TODAY)
    assert imported.path == tmp_path / "records/2013/073-2013-estates-strategy.yaml"
    record = yaml.safe_load(imported.path.read_text(encoding="utf-8"))
    assert record["number"] == "073/2013"
    assert record["date"] == date(2013, 10, 23)
    assert (record["title"], record["report_by"]) == ("Estates strategy", "A. Clerk")
    assert record["executive_summary"] == "The estate is too large."
    assert record["recommendation"] == {
        "lead": "The Commissioner is recommended to",
        "items": ["sell the old station;", "keep the new one."],
    }
    assert record["background"] == "The old station costs too much.\n\nIt is empty."
    assert record["plan_links"] == "Value for money."
    assert record["consultation"] == "The public were asked."
    assert record["implications"] == {
        "risks": "Low.",
        "legal": "The sale is lawful under the 2011 Act.",
        "financial": "A saving of a million pounds.",
        "equality": "No group is affected differently, as assessed in the screening.",
    }
    assert record["background_papers"] == [
        {"title": "Estates review", "reference": "https://example.org/estates.pdf"}
    ]
    assert [(piece.words, piece.where) for piece in imported.unmapped] == [
        ("Decision of the Police and Crime Commissioner", "line 1"),
        ("Weather", "line 56"),
        ("It rained on the day.", "line 58"),
    ]


def test_without_the_offices_synonym_its_section_is_unmapped() -> None:
    blocks = read_text("DECISION 2019/09\nTITLE: X\n\n## Engagement\n\nThe public were asked.\n")
    mapped = map_blocks(blocks, Config())
    assert mapped.data["consultation"] is None
    assert [(piece.words, piece.where) for piece in mapped.unmapped] == [
        ("Engagement", "line 4"),
        ("The public were asked.", "line 6"),
    ]


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('synonyms = { backgrund = ["Context"] }', "'backgrund' is not a section of the form"),
        (
            'synonyms = { background = ["Context"], consultation = ["context:"] }',
            "the heading 'context:' is given for both 'background' and 'consultation'",
        ),
        ('synonyms = { background = ["  "] }', "a heading is words on one line"),
    ],
)
def test_a_wrong_synonym_in_jmb_toml_is_a_configuration_error(
    tmp_path: Path, setting: str, message: str
) -> None:
    (tmp_path / "jmb.toml").write_text(f"[import]\n{setting}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"import\.synonyms") as raised:
        read_config(tmp_path / "jmb.toml")
    assert message in str(raised.value)
    assert ":2: configuration error" in str(raised.value)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("12 JUNE 2019", date(2019, 6, 12)),
        ("12th June 2019", date(2019, 6, 12)),
        ("1st of Sept 2020", date(2020, 9, 1)),
        ("23/10/2013", date(2013, 10, 23)),
        ("23.10.13", date(2013, 10, 23)),
        ("June 12, 2019", date(2019, 6, 12)),
        ("2019-06-12", date(2019, 6, 12)),
        ("31/02/2019", None),
        ("12 Juneteenth 2019", None),
        ("soon", None),
    ],
)
def test_dates_are_read_as_people_type_them(typed: str, meant: date | None) -> None:
    assert parse_date(typed) == meant


def test_the_text_reader_gives_headings_paragraphs_items_and_tables_with_their_lines() -> None:
    text = (
        "# Title\n\nPART II\n\n1. Background and Advice\n\nOne line\nand the next.\n\n"
        "1. enter into an agreement.\n- a bullet\n\u2022 another\n\n"
        "| a | b |\n|---|---|\n| c | d |\nkey\tvalue\n"
    )
    assert read_text(text) == [
        Block(Kind.HEADING, "Title", "line 1", 1, level=1),
        Block(Kind.HEADING, "PART II", "line 3", 3, level=1),
        Block(Kind.HEADING, "1. Background and Advice", "line 5", 5, level=1),
        Block(Kind.PARAGRAPH, "One line\nand the next.", "line 7", 7),
        Block(Kind.LIST_ITEM, "enter into an agreement.", "line 10", 10, ordered=True),
        Block(Kind.LIST_ITEM, "a bullet", "line 11", 11),
        Block(Kind.LIST_ITEM, "another", "line 12", 12),
        Block(Kind.TABLE, "", "line 14", 14, rows=(("a", "b"), ("c", "d"), ("key", "value"))),
    ]


def test_signed_forms_give_the_names_and_dates_of_their_signatures() -> None:
    blocks = read_text(
        "DECISION 2019/09\tDATE: 12 JUNE 2019\nTITLE: X\n\n"
        "Signature: C. Grunshaw\tSignature..Steve Finnigan....\n"
        "Police and Crime Commissioner\tChief Constable\n"
        "Date: 13/06/2019\tDate 14th June 2019\n"
    )
    mapped = map_blocks(blocks, Config())
    # Signed in ink: "method: paper" once record format 1 has it (it is added on another branch).
    paper = {"method": "paper"} if "method" in Signature.model_fields else {}
    assert mapped.data["signatures"] == [
        {
            "role": "Police and Crime Commissioner",
            "name": "C. Grunshaw",
            "date": date(2019, 6, 13),
            **paper,
        },
        {"role": "Chief Constable", "name": "Steve Finnigan", "date": date(2019, 6, 14), **paper},
    ]
    assert mapped.unmapped == []


def test_dry_run_writes_nothing_and_says_where_the_record_would_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(REFERENCE, tmp_path / "form.txt")
    result = CliRunner().invoke(app, ["import", "--dry-run", "form.txt"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == f"{WRITTEN} (not written: --dry-run)"
    assert " JMB101 background_papers: " in result.stdout
    assert not (tmp_path / "records").exists()


def test_a_number_in_use_is_refused_and_nothing_is_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(REFERENCE, tmp_path / "form.txt")
    assert CliRunner().invoke(app, ["import", "form.txt"]).exit_code == 0
    record = tmp_path / WRITTEN
    record.write_text(record.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    before = record.read_bytes()
    again = CliRunner().invoke(app, ["import", "--title-case", "form.txt"])
    assert again.exit_code == 1
    assert (
        again.stderr == "jmb: decision 2019/09 is already in the repository; nothing was written\n"
    )
    assert record.read_bytes() == before
    assert sorted(path.name for path in (tmp_path / "records/2019").iterdir()) == [record.name]


def test_two_forms_of_one_number_write_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(REFERENCE, tmp_path / "a.txt")
    (tmp_path / "b.md").write_text("Decision: 2019/009\n\nTitle: Other\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["import", "a.txt", "b.md"])
    assert result.exit_code == 1
    assert result.stderr == "jmb: b.md and a.txt are both decision 2019/009; nothing was written\n"
    assert not (tmp_path / "records").exists()


@pytest.mark.parametrize(
    ("name", "content", "code", "message"),
    [
        (
            "form.txt",
            b"DECISION 2019/09\n\n\xff\xfe",
            1,
            "form.txt:3: not UTF-8 text; save the form as UTF-8",
        ),
        ("form.txt", b"\xff\xfeD\x00", 1, "form.txt: UTF-16 text; save the form as UTF-8"),
        (
            "form.txt",
            b"TITLE: X\n",
            1,
            'form.txt: no decision number found (a "Decision 2019/09" line or a "Decision number" row)',
        ),
        (
            "form.txt",
            b"DECISION 2019/09\n",
            1,
            'form.txt: no title found (a "Title: ..." line or row)',
        ),
        (
            "form.doc",
            b"",
            2,
            "form.doc: jmb imports forms saved as .docx, .md, .pdf, .txt, not .doc",
        ),
    ],
)
def test_a_form_that_cannot_be_read_is_one_line_naming_the_file(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    content: bytes,
    code: int,
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_bytes(content)
    result = CliRunner().invoke(app, ["import", name])
    assert (result.exit_code, result.stderr) == (code, f"jmb: {message}\n")
    assert not (tmp_path / "records").exists()


def test_a_folder_or_a_missing_file_is_one_line_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder.txt").mkdir()
    folder = CliRunner().invoke(app, ["import", "folder.txt"])
    assert (folder.exit_code, folder.stderr) == (1, "jmb: folder.txt: a folder, not a form\n")
    missing = CliRunner().invoke(app, ["import", "missing.txt"])
    assert missing.exit_code == 1
    assert missing.stderr.startswith("jmb: missing.txt: cannot be read: No such file")


def test_the_status_is_the_one_asked_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    [imported] = import_forms([REFERENCE], Config(root=tmp_path), status=Status.DRAFT, today=TODAY)
    assert yaml.safe_load(imported.path.read_text(encoding="utf-8"))["status"] == "draft"
    wrong = CliRunner().invoke(app, ["import", "--status", "singed", str(REFERENCE)])
    assert wrong.exit_code == 2
    assert "--status 'singed' is not a status" in wrong.stderr


def test_hostile_words_in_an_unmapped_piece_cannot_break_out_of_their_comment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    form = tmp_path / "form.md"
    form.write_text(
        'DECISION 2019/09\nTITLE: X\n\n# Odd\n\n"\u202equoted\u200b" \x1b[8m\npart2: {secret: 1}\n',
        encoding="utf-8",
    )
    [imported] = import_forms([form], Config(root=tmp_path), today=TODAY)
    text = imported.path.read_text(encoding="utf-8")
    assert '# jmb-import unmapped: line 6: "\\"quoted\\" [8m part2: {secret: 1}"\n' in text
    record = yaml.safe_load(text)
    assert record["part2"] is None
    assert {finding.code for finding in imported.findings} >= {"JMB013"}
    assert "JMB012" not in {finding.code for finding in imported.findings}


def test_a_second_value_of_a_fact_is_kept_as_unmapped_not_dropped() -> None:
    blocks = read_text(
        "DECISION 2019/09\nTITLE: X\nDATE: 12 June 2019\n\nDATE: 12/06/2019\n\nDATE: 13 June 2019\n"
    )
    mapped = map_blocks(blocks, Config())
    assert mapped.data["date"] == date(2019, 6, 12)
    assert [(piece.words, piece.where) for piece in mapped.unmapped] == [
        ("DATE: 13 June 2019", "line 7")
    ]


def test_a_form_too_large_for_one_record_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    paragraph = "word " * 200 + "\n\n"
    (tmp_path / "form.txt").write_text(
        "DECISION 2019/09\nTITLE: X\n\nBackground\n\n" + paragraph * 2100, encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["import", "form.txt"])
    assert result.exit_code == 1
    assert result.stderr == (
        "jmb: form.txt: makes a record of more than 2,000,000 bytes, more than jmb reads as one; "
        "is it one decision?\n"
    )
    assert not (tmp_path / "records").exists()


def test_a_misspelt_import_setting_is_named_with_the_right_one(tmp_path: Path) -> None:
    (tmp_path / "jmb.toml").write_text("[import]\nsynonym = {}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        read_config(tmp_path / "jmb.toml")
    assert str(raised.value).endswith(
        ":2: configuration error: import.synonym: unknown key; did you mean 'synonyms'?"
    )


def test_a_banner_heading_does_not_hide_the_header_facts_below_it() -> None:
    blocks = read_text("DECISION NOTICE\n\nDECISION 2019/09\n\nTITLE: X\n")
    mapped = map_blocks(blocks, Config())
    assert (mapped.data["number"], mapped.data["title"]) == ("2019/09", "X")
    assert [(piece.words, piece.where) for piece in mapped.unmapped] == [
        ("DECISION NOTICE", "line 1")
    ]


def test_a_short_bold_paragraph_heads_what_follows_as_a_word_heading_does() -> None:
    blocks = [
        Block(Kind.PARAGRAPH, "Decision 2019/09", "paragraph 1"),
        Block(Kind.PARAGRAPH, "Title: X", "paragraph 2"),
        Block(Kind.PARAGRAPH, "Supporting information", "paragraph 3", bold=True),
        Block(Kind.PARAGRAPH, "The facts.", "paragraph 4"),
        Block(Kind.PARAGRAPH, "Estates matters", "paragraph 5", bold=True),
        Block(Kind.PARAGRAPH, "More facts.", "paragraph 6"),
        Block(Kind.TABLE, "", "table 1", rows=(("Risks", "Low."), ("Finance", "None needed."))),
    ]
    mapped = map_blocks(blocks, Config())
    assert mapped.data["background"] == "The facts."
    assert mapped.data["implications"]["risks"] == "Low."
    assert mapped.data["implications"]["financial"] == "None needed."
    assert [(piece.words, piece.where) for piece in mapped.unmapped] == [
        ("Estates matters", "paragraph 5"),
        ("More facts.", "paragraph 6"),
    ]


def test_a_section_given_as_a_row_says_where_its_unplaced_text_was() -> None:
    blocks = read_text(
        "DECISION 2019/09\nTITLE: X\n\nPublic access to information\tIt is all public.\n"
    )
    mapped = map_blocks(blocks, Config())
    assert [(piece.words, piece.where) for piece in mapped.unmapped] == [
        ("It is all public.", "line 4")
    ]


def test_each_record_written_is_printed_even_when_a_later_one_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(REFERENCE, tmp_path / "a.txt")
    (tmp_path / "b.md").write_text("Decision: 2019/10\n\nTitle: Other\n", encoding="utf-8")
    real = importer.write_numbered
    calls: list[str] = []

    def taken_meanwhile(config: Config, number: str, *args: object) -> object:
        calls.append(number)
        if number == "2019/10":  # as when another jmb takes the number after the import planned
            raise RecordError("decision 2019/10 is already in the repository; nothing was written")
        return real(config, number, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(importer, "write_numbered", taken_meanwhile)
    result = CliRunner().invoke(app, ["import", "a.txt", "b.md"])
    assert calls == ["2019/09", "2019/10"]
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == WRITTEN
    assert result.stderr.endswith(
        "decision 2019/10 is already in the repository; nothing was written\n"
    )


def test_only_a_signature_with_a_name_and_a_date_is_written_as_signed_on_paper(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(mapping, "_PAPER", True)  # as once record format 1 has ``method``
    blocks = read_text(
        "DECISION 2019/09\nTITLE: X\n\n"
        "Signature: C. Grunshaw\tSignature: Steve Finnigan\n"
        "Police and Crime Commissioner\tChief Constable\n"
        "Date: 13/06/2019\tDate\n"
    )
    signatures = map_blocks(blocks, Config()).data["signatures"]
    assert [entry.get("method") for entry in signatures] == ["paper", None]


def test_a_word_form_in_lancashires_layout_imports_as_a_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Word reader and the mapping together, through the command: the header's facts, the
    sections and the recommendation reach their fields."""
    from tests.test_ingest_word import lancashire_form

    form = lancashire_form(tmp_path / "form.docx")
    (tmp_path / "office" / "records").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "office")
    code, out, err = invoke("import", str(form))
    assert code == 0, err
    (written,) = [line for line in out.splitlines() if line.endswith(".yaml")]
    record = yaml.safe_load((tmp_path / "office" / written).read_text(encoding="utf-8"))
    assert (record["number"], record["title"], str(record["date"])) == (
        "2019/09",
        "SINGLE ONLINE HOME",
        "2019-06-12",
    )
    assert record["background"] and record["recommendation"]["items"]


def test_init_import_validate_publish_end_to_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new office, in a fresh folder: set up, bring an archived form in, check it, publish."""
    monkeypatch.chdir(tmp_path)
    code, _, err = invoke("init", "office", "--name", "Avon and Somerset PCC", "--yes")
    assert code == 0, err
    monkeypatch.chdir(tmp_path / "office")
    form = Path(__file__).parent / "fixtures" / "forms" / "decision-2019-09-single-online-home.txt"
    code, out, err = invoke("import", str(form), "--title-case")
    assert code == 0, err
    assert out.splitlines()[0] == "records/2019/2019-09-single-online-home.yaml"
    code, out, _ = invoke("validate")
    assert code == 1 and "error JMB202 implications.financial" in out
    code, out, err = invoke("publish", "--no-search", "--formats", "html")
    assert code == 0, err
    assert out.startswith("build/site: 0 decisions;")  # submitted, not yet approved: not public
    assert "Avon and Somerset PCC" in (tmp_path / "office/build/site/index.html").read_text()
