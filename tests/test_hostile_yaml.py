"""What no YAML may do: change a value's type behind its text, repeat text through aliases, hide a
line behind a break editors do not show, stop a run with a value that cannot be read, or slip a date
past the date rules (issue 8, items 1, 4, 9, 11, 14 and 15)."""

from __future__ import annotations

import base64
import subprocess
import sys
import textwrap
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from jmb.check.engine import check_file, validate
from jmb.check.rules.base import as_date
from jmb.check.rules.invisible_character import describe
from jmb.core.errors import RefusedError
from jmb.record import document as document_module
from jmb.record.canonical import content_digest
from jmb.record.document import Document, parse_text, read_document
from jmb.record.model import Record, record_date
from jmb.render.part1 import part1_view
from jmb.render.part2 import part2_view
from jmb.render.renderer import Renderer
from jmb.repo.config import Config
from jmb.sign import signing, transaction
from jmb.sign.signing import sign_record
from tests.conftest import ROOT, TODAY
from tests.signing_support import CC, MO, PCC, RECORD, clean_example, invoke, write_repo
from tests.test_part2_never_in_part1 import texts_of_docx, texts_of_pdf

APPROVED = ROOT / "tests" / "fixtures" / "approved-with-part2.yaml"


def parsed(text: str) -> Document:
    document = Document(path="r.yaml", text=text)
    parse_text(document)
    return document


def findings(root: Path, *paths: Path) -> list[tuple[str, int, int, str, str]]:
    result = validate(list(paths), config=Config(root=root), today=TODAY, jobs=1)
    return [(f.code, f.line, f.column, f.field, f.message) for f in result.findings]


# -- item 1: a tag that changes a value's type -----------------------------------------------------


def test_a_binary_tag_on_a_signed_reference_is_caught(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two texts, one digest: the same base64 text, with and without !!binary, once digested alike
    and rendered differently (the tag made Part 1 print the decoded sentence)."""
    hidden = base64.b64encode(b"The contract goes to KESTREL-88 for 412,000.").decode()
    text = clean_example().replace(
        "  - title: National clarification of concerns, May 2019",
        f"  - title: National clarification of concerns, May 2019\n    reference: {hidden}",
    )
    path = write_repo(tmp_path, text)
    monkeypatch.chdir(tmp_path)
    config = Config(root=tmp_path)
    for role in (PCC, CC, MO):
        sign_record(
            config, "2019/09", role=role, name="A. Holder", day=date(2019, 6, 20), today=TODAY
        )
    assert invoke("verify")[0] == 0
    signed = path.read_text()
    path.write_text(signed.replace(f"reference: {hidden}", f"reference: !!binary {hidden}"))

    code, out, _ = invoke("verify")
    assert code == 1
    assert f"{RECORD}:50:16: error JMB007 background_papers[0].reference: the tag !!binary" in out
    code, out, _ = invoke("validate")
    assert code == 1
    assert f"{RECORD}:50:16: error JMB007 background_papers[0].reference: the tag !!binary" in out
    # What the record holds is the text as written, never the decoded bytes.
    assert read_document(path).data["background_papers"][0]["reference"] == hidden
    code, _, _ = invoke("render", "2019/09", "--draft", "--format", "md")
    html = (tmp_path / "build" / "2019-09-part1.md").read_text()
    assert "KESTREL" not in html


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("!!binary aGVsbG8=", "the tag !!binary is not allowed"),
        ("!!set {a, b}", "the tag !!set is not allowed"),
        ("!!omap [{a: 1}]", "the tag !!omap is not allowed"),
        ("!!pairs [{a: 1}]", "the tag !!pairs is not allowed"),
        ("!!float 1", "the tag !!float is not allowed"),
        ("!!null SECRET", "the tag !!null is not allowed"),
        ("!secret x", "the tag !secret is not allowed"),
        ("!<tag:example.com,2000:x> y", "the tag tag:example.com,2000:x is not allowed"),
        ('!e%1b "x"', "a tag is not allowed"),
    ],
)
def test_every_tag_that_changes_a_value_is_refused(written: str, message: str) -> None:
    document = parsed(f"title: {written}\nstatus: draft\n")
    assert [(f.code, f.line, f.column, f.field) for f in document.findings] == [
        ("JMB007", 1, 8, "title")
    ]
    assert document.findings[0].message.startswith(message)
    assert document.data["status"] == "draft"  # and the reading went on


@pytest.mark.parametrize("written", ["!!str 5", "!!str", "!!null", "!!null ~", "!!int 5", '"5"'])
def test_tags_that_change_nothing_are_allowed(written: str) -> None:
    assert parsed(f"a: {written}\n").findings == []


def test_the_model_coerces_nothing() -> None:
    data = {"jmb": 1, "number": "2019/09", "title": "T", "date": date(2019, 6, 12)}
    for wrong in ({"status": "draft", "title": b"T"}, {"status": "draft", "report_by": 5}):
        with pytest.raises(ValidationError):
            Record.model_validate({**data, **wrong})
    for status in (b"draft", 1, ["draft"]):
        with pytest.raises(ValidationError):
            Record.model_validate({**data, "status": status})
    assert Record.model_validate({**data, "status": "draft"}).title == "T"


@pytest.mark.parametrize(
    "value",
    [b"bytes", {"a", "b"}, {1: "key not text"}, ("a", "tuple"), object(), {"a": [b"deep"]}],
)
def test_the_canonical_form_refuses_what_is_not_plain_data(value: Any) -> None:
    with pytest.raises(TypeError):
        content_digest({"jmb": 1, "title": value})


def test_signing_content_without_a_canonical_form_is_a_clean_refusal(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader never gives bytes; if it did, jmb sign refuses in one line, nothing written."""
    real = transaction.read_document

    def with_bytes(path: Path, display: str | None = None) -> Document:
        document = real(path, display)
        document.data["title"] = b"Single Online Home"
        return document

    monkeypatch.setattr(transaction, "read_document", with_bytes)
    # The schema refuses bytes before signing gets that far: skip it to reach the digest.
    monkeypatch.setattr(signing, "submitted_level_errors", lambda *args: [])
    before = (repo / RECORD).read_text()
    with pytest.raises(RefusedError, match="cannot be signed: bytes is not plain data"):
        sign_record(Config(root=repo), "2019/09", role=PCC, name="A", day=TODAY, today=TODAY)
    code, out, err = invoke("sign", "2019/09", "--role", PCC, "--name", "A")
    assert code == 1
    assert "Traceback" not in out + err
    assert "cannot be signed: bytes is not plain data" in err
    assert (repo / RECORD).read_text() == before


# -- item 11: a value that cannot be read stops nothing --------------------------------------------


def test_tags_and_values_that_cannot_be_read_are_findings_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = clean_example().replace("title: Single Online Home", "title: !!timestamp soon")
    broken = broken.replace("report_by: Ian Dickinson", "report_by: !!bool maybe")
    broken = broken.replace("consultation: N/A", "consultation: !!int x")
    broken = broken.replace("plan_links: |\n  Our", "plan_links: |\n  TBC. Our")
    write_repo(tmp_path, broken)
    other = tmp_path / "records/2019/2019-10-other.yaml"
    other.write_text(clean_example().replace('"2019/09"', '"2019/10"').replace("N/A", "TBC"))
    monkeypatch.chdir(tmp_path)
    code, out, err = invoke("validate")
    assert (code, err) == (1, "")
    assert "Traceback" not in out
    lines = out.splitlines()
    assert f"{RECORD}:7:8: error JMB007 title: the tag !!timestamp is not allowed" in out
    assert f"{RECORD}:9:12: error JMB007 report_by: the tag !!bool is not allowed" in out
    assert f"{RECORD}:36:15: error JMB007 consultation: the tag !!int is not allowed" in out
    assert any(line.startswith(f"{RECORD}:34:3: error JMB201 plan_links") for line in lines)
    assert any("2019-10-other.yaml" in line and "JMB201" in line for line in lines)
    assert lines[-1] == "2 records checked: 5 errors, 4 warnings"


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("2019-02-30", "not a real date or time (day is out of range for month)"),
        ("2019-06-12 25:00:00", "not a real date or time (hour must be in 0..23)"),
        ("9" * 5000, "a number too long to read; put it in quotes if it is text"),
    ],
)
def test_a_value_yaml_cannot_make_is_a_finding_without_its_text(written: str, message: str) -> None:
    document = parsed(f"date: {written}\nnext: read\n")
    assert [(f.code, f.field) for f in document.findings] == [("JMB007", "date")]
    assert document.findings[0].message.startswith(message)
    assert written not in document.findings[0].message
    assert document.data["next"] == "read"
    # In Part 2 even what kind of value it was is withheld (jmb.record.confidential).
    document = parsed(f"part2:\n  review_on: {written}\nnext: read\n")
    assert [(f.code, f.field) for f in document.findings] == [("JMB007", "part2.review_on")]
    assert "withheld: Part 2 is confidential" in document.findings[0].message
    assert written not in document.findings[0].message


# -- item 14: one kind of date ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "found"),
    [
        ("1623456000", "should be a date; write dates as YYYY-MM-DD (found 1623456000)"),
        ("2019-06-12T00:00:00", "should be a date, not a date and time; write dates as YYYY-MM-DD"),
        (
            "'2019-6-1'",
            "should be a date; write dates as YYYY-MM-DD, e.g. 2019-06-01 (found '2019-6-1')",
        ),
        (
            "'\uff12\uff10\uff11\uff19-\uff10\uff16-\uff11\uff12'",
            "should be a date; write dates as YYYY-MM-DD",
        ),
        ('"2019-06-12\\n"', "should be a date; write dates as YYYY-MM-DD"),
    ],
)
def test_dates_are_a_yaml_date_or_quoted_iso_text_only(
    tmp_path: Path, written: str, found: str
) -> None:
    text = clean_example().replace("date: 2019-06-12", f"date: {written}")
    path = write_repo(tmp_path, text)
    (hit,) = [f for f in findings(tmp_path, path) if f[3] == "date"]
    assert hit[:3] == ("JMB007", 8, 7)
    assert hit[4].startswith(found)


def test_the_rules_read_dates_exactly_as_the_schema_does() -> None:
    for value in (
        date(2019, 6, 12),
        "2019-06-12",
        datetime(2019, 6, 12),
        1560297600,
        "2019-6-12",
        "2019-02-30",
        "\uff12\uff10\uff11\uff19-\uff10\uff16-\uff11\uff12",  # fullwidth digits
        "2019-06-12\n",
        None,
        True,
    ):
        data = {"jmb": 1, "number": "1", "title": "T", "status": "draft", "date": value}
        try:
            schema_date: date | None = Record.model_validate(data).date
        except ValidationError:
            schema_date = None
        assert as_date(value) == record_date(value) == schema_date, value


@pytest.mark.parametrize("written", ["2100-01-01", "'2100-01-01'"])
def test_a_signature_dated_2100_fails_validate_and_verify(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written: str
) -> None:
    text = APPROVED.read_text().replace("    date: 2019-06-20\n", f"    date: {written}\n", 1)
    write_repo(tmp_path, text)
    monkeypatch.chdir(tmp_path)
    code, out, _ = invoke("verify")
    assert code == 1
    assert (
        f"{RECORD}:71:11: error JMB403 signatures[0].date: the Police and Crime Commissioner's "
        "signature is dated 2100-01-01, in the future"
    ) in out


@pytest.mark.parametrize("written", ["2100-01-01T00:00:00", "4102444800"])
def test_a_signature_dated_2100_in_another_shape_is_a_wrong_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written: str
) -> None:
    """Once the schema took these for dates and the date rules did not: nothing was said."""
    text = APPROVED.read_text().replace("    date: 2019-06-20\n", f"    date: {written}\n", 1)
    path = write_repo(tmp_path, text)
    assert [f[:4] for f in findings(tmp_path, path)] == [("JMB007", 71, 11, "signatures[0].date")]


# -- items 4 and 9: anchors, aliases, merge keys ---------------------------------------------------


PART2_ALIASED = {
    "merge-key": "    - {<<: {text: See the annex.}, heading: H, text: &t KESTREL-88 at 412000}\n",
    "duplicate-key": "    - heading: H\n      text: &t KESTREL-88 at 412000\n      text: See the annex.\n",
    "duplicate-key-last": "    - heading: H\n      text: See the annex.\n      text: &t KESTREL-88 at 412000\n",
}


@pytest.mark.parametrize("shape", sorted(PART2_ALIASED))
def test_part2_text_aliased_into_part1_is_never_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shape: str
) -> None:
    text = APPROVED.read_text()
    start = text.index("  sections:\n") + len("  sections:\n")
    end = text.index("signatures:")
    text = text[:start] + PART2_ALIASED[shape] + text[end:]
    text = text.replace("consultation: |\n  The Head", "consultation_was: |\n  The Head")
    text = text.replace("signatures:", "consultation: *t\nsignatures:", 1)
    path = write_repo(tmp_path, text)
    monkeypatch.chdir(tmp_path)
    found = findings(tmp_path, path)
    codes = {code for code, *_ in found}
    assert {"JMB011", "JMB105"} <= codes
    for draft in ((), ("--draft",)):
        code, out, err = invoke("render", "2019/09", *draft)
        assert (code, out) == (1, "")
        assert "error JMB011 consultation: a YAML alias (*), read as empty" in err
        assert "KESTREL" not in err
    assert not (tmp_path / "build").exists()
    # Beneath the refusals, the record as read holds the alias as empty: rendered in every
    # format, Part 1 carries none of the Part 2 text.
    data = read_document(path).data
    assert data["consultation"] is None
    del data["consultation_was"]
    record = Record.model_validate(data)
    config = Config(root=tmp_path)
    renderer = Renderer(config)
    part1 = part1_view(record, config, draft=False)
    outputs = {
        "html": renderer.render(part1, "html").decode("utf-8"),
        "md": renderer.render(part1, "md").decode("utf-8"),
        "pdf": texts_of_pdf(renderer.render(part1, "pdf")),
        "docx": texts_of_docx(renderer.render(part1, "docx")),
    }
    for fmt, output in outputs.items():
        assert "KESTREL" not in output and "412000" not in output, fmt
        assert "Single Online Home" in output, fmt
    if "KESTREL" in str(data["part2"]):  # the anchored text is Part 2's own: it is printed there
        assert "KESTREL-88" in renderer.render(part2_view(record, config), "html").decode("utf-8")


@pytest.mark.parametrize("output", ["text", "json", "sarif", "github"])
def test_part2_text_aliased_as_a_key_in_part1_names_no_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, output: str
) -> None:
    # A key written as an alias repeats its anchor's text: a field's name in a finding must not.
    text = APPROVED.read_text()
    text = text.replace("    - heading: Commercial terms", "    - heading: &k KESTREL-88 terms", 1)
    text = text.replace("signatures:", "*k : see the report\nsignatures:", 1)
    path = write_repo(tmp_path, text)
    monkeypatch.chdir(tmp_path)
    found = findings(tmp_path, path)
    assert {"JMB011", "JMB105"} <= {code for code, *_ in found}
    assert ("JMB105", "*") in {(code, field) for code, _, _, field, _ in found}
    code, out, err = invoke("validate", "--format", output)
    assert code == 1
    assert "KESTREL" not in out + err


def test_anchors_aliases_and_merge_keys_cannot_be_silenced(tmp_path: Path) -> None:
    text = clean_example().replace(
        "consultation: N/A",
        "consultation: &c N/A  # jmb: disable=JMB011,JMB003 we like anchors\nconsultation: *c",
    )
    path = write_repo(tmp_path, text)
    found = [f[:4] for f in findings(tmp_path, path) if f[0] in ("JMB003", "JMB011", "JMB010")]
    assert sorted(found) == [
        ("JMB003", 37, 1, "consultation"),
        ("JMB010", 36, 23, ""),
        ("JMB011", 36, 15, "consultation"),
        ("JMB011", 37, 15, "consultation"),
    ]


def test_an_alias_amplification_is_refused_quickly_and_in_little_memory(tmp_path: Path) -> None:
    """A 1 MB string aliased 3,000 times once took 49 s and 6 GB: a separate process, so that its
    peak memory can be read, and a generous bound, so that a slow machine cannot fail it."""
    big = "x" * 1_000_000
    text = clean_example() + f"\nbig: &a {big}\nitems: [{', '.join(['*a'] * 3000)}]\n"
    write_repo(tmp_path, text)
    script = textwrap.dedent(
        """
        import resource, sys
        from datetime import date
        from jmb.check.engine import validate
        from jmb.repo.config import Config
        result = validate(config=Config(root=sys.argv[1]), today=date(2026, 11, 30), jobs=1)
        codes = sorted({finding.code for finding in result.findings})
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(",".join(codes), peak)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    codes, peak = done.stdout.split()
    assert "JMB008" in codes.split(",") and "JMB011" in codes.split(",")
    assert int(peak) < 1024, f"peak memory {peak} MB"


def test_the_expanded_text_is_bounded_not_only_the_values() -> None:
    document = parsed(f"a: &a {'y' * 700_000}\nb: [*a, *a]\n")
    assert next((f.code, f.line, f.column, f.field) for f in document.findings) == (
        "JMB008",
        2,
        1,
        "b",
    )
    assert "more than 2,000,000 characters" in document.findings[0].message


def test_a_huge_file_of_tiny_values_is_counted_before_it_is_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tree of 600,000 nodes would cost a few hundred megabytes: it is never built."""
    path = tmp_path / "r.yaml"
    path.write_text("a: [" + ",".join(["1"] * 600_000) + "]\n")

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the node tree was built")

    monkeypatch.setattr(document_module.yaml, "compose", never)
    document = read_document(path)
    assert [(f.code, f.line) for f in document.findings] == [("JMB008", 1)]
    assert document.data is None


def test_prose_with_ampersands_and_asterisks_needs_no_token_scan() -> None:
    from jmb.record.document import _may_hold_anchor

    for prose in ("R&D", "Q & A", "a*b", "terms & conditions", "5 * 3"):
        assert not _may_hold_anchor(f"a: {prose}\n"), prose
    for anchor in ("&x 1", "a: &x 1", "a: *x", "- &x 1", "{a: *x}", '{"a":*x}', "[&x 1]", "\t&x 1"):
        assert _may_hold_anchor(anchor), anchor
    for written in ("a: 1\u2028&x 1", "\ufeff&x 1", "a: [x,*y]"):
        assert _may_hold_anchor(written), written


# -- item 15: line breaks editors do not show, and invisible characters ----------------------------


@pytest.mark.parametrize(
    ("character", "name"),
    [
        ("\u2028", "U+2028 LINE SEPARATOR"),
        ("\u2029", "U+2029 PARAGRAPH SEPARATOR"),
        ("\x85", "U+0085 NEXT LINE (NEL)"),
    ],
)
def test_a_hidden_line_break_is_a_syntax_error_where_it_is(character: str, name: str) -> None:
    text = (
        "recommendation:\n  items:\n    - approve the plan\n"
        f"    # withdrawn at the meeting:{character}    - release the reserve\n"
        f'title: "one{character}two"\n'
    )
    document = parsed(text)
    assert [(f.code, f.line, f.column) for f in document.findings] == [("JMB001", 4, 32)]
    assert document.findings[0].message.startswith(f"{name} ends a line for YAML")
    # libyaml does read the line after it: the finding is what shows the hidden item.
    assert document.data["recommendation"]["items"] == ["approve the plan", "release the reserve"]


def test_invisible_characters_are_named_and_placed_never_quoted(tmp_path: Path) -> None:
    text = APPROVED.read_text().replace(
        "The per-force contribution",
        "The KESTREL\u202e88 per-force\u200bcontribution",
    )
    text = text.replace("title: Single Online Home", "title: Single Online\u200b Home", 1)
    path = write_repo(tmp_path, text)
    found = [f for f in findings(tmp_path, path) if f[0] == "JMB012"]
    assert [f[:4] for f in found] == [
        ("JMB012", 3, 21, "title"),
        ("JMB012", 66, 20, "part2.sections[0].text"),
        ("JMB012", 66, 33, "part2.sections[0].text"),
    ]
    assert found[0][4].startswith("U+200B ZERO WIDTH SPACE: an invisible character")
    # In Part 2 the place is given and the text withheld (jmb.record.confidential).
    assert all("withheld: Part 2 is confidential" in f[4] for f in found[1:])
    assert not any("KESTREL" in f[4] or "force" in f[4] for f in found)


def test_every_invisible_character_has_a_name() -> None:
    assert describe("\u202e") == "U+202E RIGHT-TO-LEFT OVERRIDE"
    assert describe("\x1b") == "U+001B, a control code"


# -- no YAML breaks the reader ---------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "title: ",
        "part2:\n  sections:\n    - heading: H\n      text: ",
        "consultation: ",
        "date: ",
        "signatures:\n  - role: Chief Constable\n    date: ",
        "&a ",
        "*a",
        "<<: ",
        "!!binary ",
        "!!timestamp ",
        "!!set ",
        "!x ",
        "{a: 1}",
        "[1, 2]",
        "2019-06-12",
        "1623456000",
        "SECRET",
        "\u2028",
        "\x85",
        "\u202e",
        "\u200b",
        '"\\e"',
        "# c",
        "\n",
        "\n  ",
        "title: dup\n",
        "x" * 300,
    ]
)


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_no_yaml_feature_breaks_a_run(tmp_path: Path, text: str) -> None:
    """Tags, anchors, merge keys, duplicate keys, odd breaks and control characters, in any order:
    findings only, every one placed, and content that can always be digested."""
    path = tmp_path / "records" / "2019" / "2019-09-x.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("jmb: 1\n" + text, encoding="utf-8")
    result = check_file(path, Config(root=tmp_path), TODAY)
    for finding in result.findings:
        assert finding.line >= 1 and finding.column >= 1
    document = read_document(path)
    if isinstance(document.data, dict):
        content_digest(document.data)
