"""The checker's own behaviour: parallel runs agree with serial ones, suppressions, path display,
and what the rules say of themselves (``jmb rules``, the findings that withhold Part 2 text)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from jmb.check.engine import PARALLEL_THRESHOLD, display_path, validate
from jmb.check.rules.base import Problem, RecordContext
from jmb.core.findings import Severity
from jmb.record.document import read_document
from jmb.repo.config import Config
from tests.conftest import ROOT, TODAY
from tests.signing_support import invoke

EXAMPLE = (ROOT / "records/2019/2019-09-single-online-home.yaml").read_text(encoding="utf-8")


def test_a_parallel_run_reports_exactly_what_a_serial_run_does(tmp_path: Path) -> None:
    count = PARALLEL_THRESHOLD + 10
    for index in range(count):
        seq = index % (count - 3) + 1  # the last three numbers repeat earlier ones
        folder = tmp_path / "records" / "2019"
        folder.mkdir(parents=True, exist_ok=True)
        text = EXAMPLE.replace('number: "2019/09"', f'number: "2019/{seq:02d}"')
        (folder / f"2019-{seq:02d}-copy-{index}.yaml").write_text(text, encoding="utf-8")
    config = Config(root=tmp_path)
    serial = validate(config=config, today=TODAY, jobs=1)
    parallel = validate(config=config, today=TODAY, jobs=2)
    assert parallel.findings == serial.findings
    assert parallel.files == serial.files == count
    assert sum(1 for finding in serial.findings if finding.code == "JMB306") == 6
    assert serial.errors == 4 * count + 6


def test_suppression_covers_its_line_and_the_block_under_its_key(tmp_path: Path) -> None:
    record = tmp_path / "records/2019/2019-09-single-online-home.yaml"
    record.parent.mkdir(parents=True)
    text = EXAMPLE.replace(
        "consultation: N/A",
        "consultation: N/A  # jmb: disable=JMB203 nobody to consult on a novation",
    ).replace(
        "  financial: |",
        "  financial: |  # jmb: disable=JMB202,JMB301 the question is answered in Part 2",
    )
    record.write_text(text, encoding="utf-8")
    result = validate(config=Config(root=tmp_path), today=TODAY)
    codes = [(finding.code, finding.field) for finding in result.findings]
    assert ("JMB203", "consultation") not in codes
    assert ("JMB202", "implications.financial") not in codes
    assert ("JMB203", "implications.legal") in codes  # other lines keep their findings
    assert result.suppressed == 2


def test_display_paths(tmp_path: Path) -> None:
    assert display_path(Path("records/../records/x.yaml")) == "records/x.yaml"
    assert display_path(tmp_path / "a" / "b.yaml", tmp_path) == "a/b.yaml"
    assert display_path(Path("/elsewhere/b.yaml"), tmp_path) == "/elsewhere/b.yaml"


def write_record(root: Path, text: str, name: str = "2019-09-single-online-home.yaml") -> Path:
    path = root / "records" / "2019" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def codes_at(result_findings: list, code: str) -> list[tuple[int, int]]:  # type: ignore[type-arg]
    return [(finding.line, finding.column) for finding in result_findings if finding.code == code]


def test_a_comment_inside_text_suppresses_nothing(tmp_path: Path) -> None:
    """A "# jmb: disable" inside a quoted value is text that would be published, not a comment;
    a real comment may put spaces around the "="."""
    write_record(
        tmp_path,
        EXAMPLE.replace(
            "consultation: N/A", 'consultation: "N/A # jmb: disable=JMB201 sneaky"'
        ).replace("  legal: None", "  legal: None  # jmb: disable = JMB203 spaced out"),
    )
    result = validate(config=Config(root=tmp_path), today=TODAY)
    assert result.suppressed == 1
    assert [(f.field, f.code) for f in result.findings if f.code in ("JMB010", "JMB203")] == [
        ("implications.equality", "JMB203")
    ]


def test_malformed_and_reasonless_suppressions_warn_and_do_not_apply(tmp_path: Path) -> None:
    write_record(
        tmp_path,
        EXAMPLE.replace(
            "consultation: N/A", "consultation: N/A  # jmb: disable JMB203 no equals"
        ).replace("  legal: None", "  legal: None  # jmb: disable=JMB203"),
    )
    result = validate(config=Config(root=tmp_path), today=TODAY)
    assert result.suppressed == 0
    assert [(f.line, f.message) for f in result.findings if f.code == "JMB010"] == [
        (36, "cannot read this suppression: write # jmb: disable=CODE[,CODE] reason"),
        (41, "the suppression gives no reason, so it does not apply: say why after the codes"),
    ]
    assert codes_at(result.findings, "JMB203") == [(36, 15), (41, 10), (46, 13)]


def test_line_one_is_no_file_wide_switch(tmp_path: Path) -> None:
    # The section under a key that is no misspelling of it (a misspelt key is JMB006 alone).
    text = "# jmb: disable=JMB101 drafts are fine\n" + EXAMPLE.replace("plan_links: |", "aside: |")
    write_record(tmp_path, text)
    result = validate(config=Config(root=tmp_path), today=TODAY)
    assert ("JMB101", "plan_links") in [(f.code, f.field) for f in result.findings]
    assert result.suppressed == 0


def test_blank_title_is_a_missing_field(tmp_path: Path) -> None:
    write_record(tmp_path, EXAMPLE.replace("title: Single Online Home", 'title: "  "'))
    result = validate(config=Config(root=tmp_path), today=TODAY)
    assert [(f.line, f.column, f.message) for f in result.findings if f.code == "JMB005"] == [
        (7, 8, "required field is empty")
    ]


def test_the_same_file_named_twice_is_checked_once(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = write_record(tmp_path, EXAMPLE)
    monkeypatch.chdir(tmp_path)
    result = validate(
        [Path("records"), path, Path("records/2019/../2019") / path.name],
        config=Config(root=tmp_path),
        today=TODAY,
    )
    assert result.files == 1
    assert codes_at(result.findings, "JMB306") == []


def test_numbers_are_compared_with_records_outside_the_run(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """As a pre-commit hook runs: only the changed file is named, the others are still compared."""
    write_record(tmp_path, EXAMPLE)
    new = write_record(tmp_path, EXAMPLE, "2019-09-police-uk.yaml")
    monkeypatch.chdir(tmp_path)
    result = validate([new.relative_to(tmp_path)], config=Config(root=tmp_path), today=TODAY)
    assert [(f.path, f.message) for f in result.findings if f.code == "JMB306"] == [
        (
            "records/2019/2019-09-police-uk.yaml",
            "'2019/09' is also the number of records/2019/2019-09-single-online-home.yaml",
        )
    ]


def test_numbers_outside_the_run_are_read_as_yaml_reads_them(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A quoted key, a spelling with more zeros, a file name of the same form: all the same number."""
    write_record(tmp_path, EXAMPLE.replace('number: "2019/09"', '"number": "2019/09"'))
    write_record(
        tmp_path, EXAMPLE.replace('number: "2019/09"', 'number: "2019/009"'), "2019-009-x.yaml"
    )
    write_record(
        tmp_path, EXAMPLE.replace('number: "2019/09"', 'number: "2019-09"'), "2019-09-y.yaml"
    )
    new = write_record(tmp_path, EXAMPLE, "2019-09-police-uk.yaml")
    monkeypatch.chdir(tmp_path)
    result = validate([new.relative_to(tmp_path)], config=Config(root=tmp_path), today=TODAY)
    assert [(f.path, f.message) for f in result.findings if f.code == "JMB306"] == [
        (
            "records/2019/2019-09-police-uk.yaml",
            "'2019/09' is also the number of records/2019/2019-09-single-online-home.yaml; "
            "it is the same number as '2019/009' of records/2019/2019-009-x.yaml; "
            "it makes the same file name, 2019-09, as '2019-09' of records/2019/2019-09-y.yaml "
            "(their outputs would overwrite each other)",
        )
    ]


def test_a_number_of_thousands_of_digits_is_off_the_pattern(tmp_path: Path) -> None:
    """Python's int() refuses strings of more than 4,300 digits: no traceback, a finding."""
    number = "2019/" + "9" * 5000
    write_record(tmp_path, EXAMPLE.replace('number: "2019/09"', f'number: "{number}"'))
    result = validate(config=Config(root=tmp_path), today=TODAY)
    assert codes_at(result.findings, "JMB304") == [(6, 9)]


def test_broken_links_and_folders_named_like_records_are_reported(
    tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "records" / "2019"
    folder.mkdir(parents=True)
    (folder / "2019-01-gone.yaml").symlink_to(folder / "nowhere.yaml")
    (folder / "2019-02-folder.yaml").mkdir()
    monkeypatch.chdir(tmp_path)
    result = validate(config=Config(root=tmp_path), today=TODAY)
    assert [(f.path, f.code, f.message) for f in result.findings] == [
        ("records/2019/2019-01-gone.yaml", "JMB002", "cannot be read: No such file or directory"),
        ("records/2019/2019-02-folder.yaml", "JMB002", "a folder, not a record file"),
    ]
    named = validate(
        [Path("records/2019/2019-02-folder.yaml")], config=Config(root=tmp_path), today=TODAY
    )
    assert [f.code for f in named.findings] == ["JMB002"]


def test_records_that_is_a_file_is_an_error(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "records").write_text("oops")
    monkeypatch.chdir(tmp_path)
    result = validate(config=Config(root=tmp_path), today=TODAY)
    assert [(f.path, f.message) for f in result.findings] == [
        ("records", "records is not a folder; jmb keeps records in one")
    ]
    assert result.exit_code() == 1


def test_a_duplicate_number_cannot_be_silenced(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A comment in one record cannot make another record's number its own."""
    write_record(tmp_path, EXAMPLE)
    silenced = EXAMPLE.replace(
        'number: "2019/09"',
        'number: "2019/09"  # jmb: disable=JMB306 the other one is the draft we will drop',
        1,
    )
    assert silenced != EXAMPLE
    write_record(tmp_path, silenced, "2019-09-police-uk.yaml")
    monkeypatch.chdir(tmp_path)
    result = validate(config=Config(root=tmp_path), today=TODAY)
    codes = [(f.path, f.code) for f in result.findings if f.code in ("JMB306", "JMB010")]
    assert codes == [
        ("records/2019/2019-09-police-uk.yaml", "JMB306"),  # at the number
        ("records/2019/2019-09-police-uk.yaml", "JMB010"),  # at the comment after it
        ("records/2019/2019-09-single-online-home.yaml", "JMB306"),
    ]
    assert result.suppressed == 0


def test_where_an_appendix_file_is_does_not_depend_on_the_folder_jmb_runs_in(
    tmp_path: Path,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    """A file in a confidential/, hidden or build/ folder of the repository is refused for what it
    is, whether jmb runs at the root of the repository or anywhere else (a pre-commit hook, CI)."""
    cases = ROOT / "tests" / "cases" / "JMB308"
    reasons = {
        "fires-confidential-folder": "is in a confidential/ folder, where Part 2 is kept",
        "fires-hidden-folder-below-papers": "is a hidden file or in a hidden folder",
        "fires-build-folder": "is in build/, where jmb writes what it makes",
    }
    for case, reason in reasons.items():
        for folder in (cases / case, tmp_path):
            monkeypatch.chdir(folder)
            result = validate(config=Config(root=cases / case), today=TODAY)
            (finding,) = [f for f in result.findings if f.code == "JMB308"]
            assert reason in finding.message, (case, folder)


def test_jmb_rules_prints_a_rules_documentation_as_plain_text() -> None:
    """``code`` and `quoted text` read without their backticks; the paragraphs and lists stay."""
    assert invoke("rules", "JMB202") == (
        0,
        "JMB202 unanswered-question (error, since 0.1.0)\n"
        "\n"
        "A question left unanswered in a section.\n"
        "\n"
        'Reviewers leave questions in drafts ("What are the financial implications of on boarding '
        'SOH"); a\n'
        "decision that goes to the board with one still in it was not finished. Two shapes are "
        "caught:\n"
        "\n"
        "- a sentence ending in ?, quoted from its start: a sentence goes on over a line break "
        "(where the\n"
        "  editor wrapped it), and a new line starts one only after a full stop, a question mark, "
        "a colon or\n"
        "  a semicolon, or at a list item's marker (-, *, 1., 2), (a));\n"
        '- a paragraph that opens as a question ("What are ...", "How will ...", "Is there ...", '
        '"Does the\n'
        '  ...") and does not end in a full stop, which is how a question typed without its '
        "question mark\n"
        "  looks.\n"
        "\n"
        'A paragraph that opens with such words but ends in a full stop ("What is proposed is a '
        "two-year\n"
        'agreement.") is a statement and passes, and so is a question quoted inside a sentence '
        "that goes on\n"
        '(residents were asked "Would you report a crime online?" and 68% said yes.). '
        "Recommendation items\n"
        'complete "... are recommended to", so only a question mark makes one a question.\n',
        "",
    )


def test_jmb_rules_lists_each_rule_with_the_first_paragraph_of_its_documentation() -> None:
    code, out, _ = invoke("rules")
    assert code == 0
    listed = {line.split()[0]: line for line in out.splitlines()}
    # A paragraph over two lines of the docstring, with code in it, is one line of plain text.
    assert listed["JMB005"] == (
        "JMB005  error    missing-field          A field the record format requires is missing or "
        "blank: number, title, date, status, or a required part of an entry (a signature's role, "
        "an appendix's title)."
    )
    assert listed["JMB406"] == (
        "JMB406  error    content-changed        The content was edited after a signature: what "
        "was signed is not what the record now says."
    )


def example_rule(code: str, documentation: str) -> ModuleType:
    """A rule module as one is written: its documentation is its docstring."""
    rule = ModuleType(f"example_{code.lower()}", documentation)
    rule.ID = code  # type: ignore[attr-defined]
    rule.NAME = "example"  # type: ignore[attr-defined]
    rule.SEVERITY = Severity.ERROR  # type: ignore[attr-defined]
    return rule


#: A record with a Part 2 and nothing to report.
PART2_RECORD = (
    ROOT / "tests/cases/JMB103/quiet-complete-part2/records/2019/2019-09-single-online-home.yaml"
)


@pytest.mark.parametrize(
    # Each example rule has a code of its own: a rule's summary is worked out once per code.
    ("code", "documentation", "said"),
    [
        # An article is lower case after the field; an abbreviation keeps its capitals.
        (
            "EXAMPLE1",
            "An exemption that the Freedom of Information Act does not have.\n\nMore.",
            "an exemption that the Freedom of Information Act does not have",
        ),
        (
            "EXAMPLE2",
            "UK GDPR special category data named in a Part 2 heading.\n\nHeadings are indexed.",
            "UK GDPR special category data named in a Part 2 heading",
        ),
        # A first paragraph without a full stop is said whole, and the next one not at all.
        (
            "EXAMPLE3",
            "A Part 2 heading that gives its text away\n\nThe index prints it. Keep it general.",
            "a Part 2 heading that gives its text away",
        ),
    ],
)
def test_a_part2_finding_says_the_first_clause_of_its_rules_documentation(
    tmp_path: Path, code: str, documentation: str, said: str
) -> None:
    path = write_record(tmp_path, PART2_RECORD.read_text(encoding="utf-8"))
    context = RecordContext(read_document(path), Config(root=tmp_path), TODAY, path)
    finding = context.to_finding(
        example_rule(code, documentation),
        Problem(("part2", "sections", 0, "text"), 'repeats "negotiated with MOPAC"'),
    )
    assert (finding.line, finding.field, finding.message) == (
        62,
        "part2.sections[0].text",
        f"{said} (the text of this Part 2 field is withheld: Part 2 is confidential)",
    )


def test_a_rule_reads_a_list_item_by_its_index_and_nothing_past_the_end(tmp_path: Path) -> None:
    text = EXAMPLE.replace("appendices: []", "appendices: Appendix A is to follow")
    path = write_record(tmp_path, text)
    context = RecordContext(read_document(path), Config(root=tmp_path), TODAY, path)
    items = ("recommendation", "items")
    assert context.text((*items, 1)) == (
        "enter into a collaborative agreement should Lancashire Constabulary decided to on-board to "
        "the service towards the end of the programme (February 2020)."
    )
    assert context.get((*items, 2)) is None
    # A list written as text, or as nothing, has no items.
    assert context.get(("appendices", 0)) is None
    assert context.get(("background_papers", 0)) is None
    assert context.get(("part2", 0)) is None
