"""JMB106: Part 2 text repeated in Part 1 (issue 8, item 5).

The acceptance cases (tests/cases/JMB106) show the rule firing and keeping quiet on whole records;
these tests go through what counts as the same words and the same figure, what does not, that no
comment silences it, and that ``jmb render`` refuses such a record even as a draft.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jmb.check.engine import validate
from jmb.check.reporters import text_report
from jmb.check.rules import part2_in_part1
from jmb.repo.config import Config
from tests.conftest import ROOT, TODAY
from tests.signing_support import invoke

RECORD = Path("records/2019/2019-09-single-online-home.yaml")
FIXTURE = (ROOT / "tests" / "fixtures" / "approved-with-part2.yaml").read_text(encoding="utf-8")
#: The fixture submitted and not yet signed: a clean record with a Part 2, fit to go to the board.
CLEAN = FIXTURE[: FIXTURE.index("signatures:")].replace("status: approved", "status: submitted")
SENTENCE = (
    "The per-force contribution is negotiated nationally and is commercially confidential until\n"
    "        the contract with MOPAC is signed."
)
BACKGROUND_END = "  Mayor's Office for Policing and Crime (MOPAC).\n"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def report(root: Path, text: str) -> str:
    (root / RECORD).parent.mkdir(parents=True, exist_ok=True)
    (root / RECORD).write_text(text, encoding="utf-8")
    lines = text_report(validate(config=Config(root=root), today=TODAY, jobs=1)).splitlines()
    return "\n".join(line.removeprefix(f"{RECORD}:") for line in lines)


def with_background(extra: str) -> str:
    return CLEAN.replace(BACKGROUND_END, BACKGROUND_END.rstrip("\n") + f" {extra}\n")


def with_part2_text(text: str) -> str:
    return CLEAN.replace(SENTENCE, text)


def test_the_clean_record_passes(tmp_path: Path) -> None:
    assert SENTENCE in CLEAN
    assert report(tmp_path, CLEAN) == "1 record checked: 0 errors, 0 warnings"


def test_a_part2_sentence_pasted_into_background_is_an_error(tmp_path: Path) -> None:
    pasted = (
        "THE PER-FORCE contribution is negotiated\n  nationally, and is commercially confidential"
    )
    assert report(tmp_path, with_background(pasted + ".")) == (
        "28:50: error JMB106 background: 10 words of part2.sections[0].text appear here: Part 2 is "
        "confidential; take them out of Part 1\n"
        "1 record checked: 1 error, 0 warnings"
    )


@pytest.mark.parametrize(
    ("part2", "part1"),
    [
        # Typographic quotes and dashes, as a word processor types them, against plain ones.
        (
            "Costs fall to the Mayor\u2019s Office \u2013 not the force \u2013 from the second year on.",
            "costs fall to the Mayor's Office - not the force - from the second",
        ),
        # Full-width letters and digits are the same letters and digits.
        (
            "The per-force share rises to 12 per cent from the second year.",
            "\uff34\uff28\uff25 per-force share rises to \uff11\uff12 per cent from",
        ),
        # Soft hyphens and zero-width spaces, as copying from a PDF or a web page leaves them.
        (
            "The per-force contribution is negotiated nationally every year.",
            "the per-force contri\u00adbution is nego\u200btiated nationally every year",
        ),
        # A quotation of it, in other punctuation.
        (
            "We will not renew the contract if the price rises again.",
            '"We will not renew the contract if the price rises"',
        ),
    ],
)
def test_copied_words_are_found_however_they_are_typed(
    part2: str, part1: str, tmp_path: Path
) -> None:
    text = with_part2_text(part2).replace(BACKGROUND_END, BACKGROUND_END.rstrip() + f" {part1}\n")
    assert "error JMB106 background:" in report(tmp_path, text)


def test_seven_words_are_not_a_copy(tmp_path: Path) -> None:
    text = with_part2_text("Payments start when the contract moves to the London Mayor's budget.")
    assert "From 2020/21 the contract moves to the London\n  Mayor's Office" in CLEAN
    assert "JMB106" not in report(tmp_path, text)


@pytest.mark.parametrize(
    ("part2", "part1", "field"),
    [
        ("The price is £412,000 a year.", "at a cost of £412,000", "background"),
        ("The price is £412,000 a year.", "at a cost of 412000 pounds", "background"),
        ("The price is £412,000 a year.", "between £412,000\u2013£450,000", "background"),
        ("Paid through project KESTREL-88.", "as kestrel-88 does", "background"),
        ("Paid through project KESTREL-88's budget.", "as KESTREL-88 does", "background"),
        ("Paid through project KESTREL-88.", "see the KESTREL-88-terms.pdf", "background"),
        ("It follows decision 2019/10 of the board.", "as 2019/10 decided", "background"),
        ("Bid reference TQ4471 was preferred.", "bid TQ4471", "background"),
    ],
)
def test_a_figure_or_code_of_part2_in_part1_is_an_error(
    part2: str, part1: str, field: str, tmp_path: Path
) -> None:
    text = with_part2_text(part2).replace(BACKGROUND_END, BACKGROUND_END.rstrip() + f" {part1}\n")
    found = report(tmp_path, text)
    assert (
        f"error JMB106 {field}: a figure or code of part2.sections[0].text appears here: Part 2 is "
        "confidential; take it out of Part 1"
    ) in found


@pytest.mark.parametrize(
    ("part2", "part1"),
    [
        (
            "In 2019 the share was 3 per cent.",
            "in 2019 it was 3 per cent",
        ),  # a year, a short number
        ("The 2020/21 budget holds it.", "from 2020/21 on"),  # a financial year
        ("The 2020-2021 budget holds it.", "in 2020-2021"),
        ("The board met at 10:30 and at 2pm.", "at 10:30, and at 2pm"),  # times of day
        ("Decision 2019/09 relies on s.43.", "decision 2019/09, under s.43,"),  # number, exemption
        ("Review it on 2021-06-12.", "by 2021-06-12"),  # the review date, stated openly
        ("The price is £412,000.", "the price is £413,000"),  # another figure
        ("The price is 412.", "the price is 412"),  # three characters
    ],
)
def test_years_times_short_numbers_and_open_facts_are_not_figures(
    part2: str, part1: str, tmp_path: Path
) -> None:
    text = with_part2_text(part2).replace(BACKGROUND_END, BACKGROUND_END.rstrip() + f" {part1}\n")
    assert "JMB106" not in report(tmp_path, text)


def test_every_field_part1_prints_is_looked_at(tmp_path: Path) -> None:
    text = with_part2_text("Code KESTREL-88 and figure 7,654,321.")
    text = text.replace("title: Single Online Home\n", "title: Single Online Home KESTREL-88\n")
    text = text.replace(
        "report_by: Ian Dickinson", "report_by: Ian Dickinson 7654321\nboard: B KESTREL-88"
    )
    text = text.replace(
        "    title: National clarification of concerns, May 2019",
        "    title: National clarification of concerns, May 2019\n    file: kestrel-88.pdf",
    )
    (tmp_path / "records/2019/kestrel-88.pdf").parent.mkdir(parents=True)
    (tmp_path / "records/2019/kestrel-88.pdf").write_bytes(b"%PDF-1.4\n")
    fields = [line.split()[3] for line in report(tmp_path, text).splitlines() if "JMB106" in line]
    assert fields == ["title:", "report_by:", "board:", "appendices[0].file:"]


def test_part2_text_in_the_exemption_which_part1_prints_is_an_error(tmp_path: Path) -> None:
    text = CLEAN.replace(
        "exemption: s.43 commercial interests",
        "exemption: s.43, as the per-force contribution is negotiated nationally and is secret",
    )
    assert report(tmp_path, text) == (
        "61:23: error JMB106 part2.exemption: Part 2 text repeated in Part 1 (the text of this "
        "Part 2 field is withheld: Part 2 is confidential)\n"
        "1 record checked: 1 error, 0 warnings"
    )


def test_a_field_that_is_mostly_part2_gets_ten_findings_and_a_count(tmp_path: Path) -> None:
    codes = [f"KX-{number}" for number in range(100, 115)]
    text = with_part2_text("Codes " + " ".join(codes) + ".")
    text = text.replace(BACKGROUND_END, BACKGROUND_END.rstrip() + f" {' '.join(reversed(codes))}\n")
    lines = [line for line in report(tmp_path, text).splitlines() if "JMB106" in line]
    assert len(lines) == 11
    assert lines[-1].endswith(
        "error JMB106 background: and 5 more passages or figures of Part 2 from here on: Part 2 "
        "is confidential; take them out of Part 1"
    )


def test_the_message_never_quotes_the_text(tmp_path: Path) -> None:
    found = report(tmp_path, with_background(SENTENCE.replace("\n        ", " ")))
    assert "JMB106" in found
    for word in ("per-force", "contribution", "negotiated", "MOPAC", "confidential until"):
        assert word not in found


def test_no_comment_silences_it(tmp_path: Path) -> None:
    text = with_background(SENTENCE.replace("\n        ", " ")).replace(
        "background: |", "background: |  # jmb: disable=JMB106 the board agreed to publish it"
    )
    found = report(tmp_path, text)
    assert "error JMB106 background:" in found
    assert "JMB106 cannot be silenced" in found


def test_render_refuses_it_even_as_a_draft(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / RECORD).parent.mkdir(parents=True)
    (tmp_path / RECORD).write_text(with_background("Project KESTREL-88."), encoding="utf-8")
    text = with_part2_text("Paid through KESTREL-88.")
    (tmp_path / RECORD).write_text(
        text.replace(BACKGROUND_END, BACKGROUND_END.rstrip() + " Project KESTREL-88.\n"), "utf-8"
    )
    monkeypatch.chdir(tmp_path)
    for part in ("1", "2"):
        code, out, err = invoke("render", "2019/09", "--draft", "--part", part)
        assert (code, out) == (1, "")
        assert "error JMB106 background: a figure or code of part2.sections[0].text" in err
    assert not (tmp_path / "build").exists() or not any((tmp_path / "build").rglob("*.*"))


def test_a_record_without_part2_costs_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rule stops at the first look for the records that have no Part 2 (most of them)."""

    def never(text: str) -> list[str]:
        raise AssertionError("a record without Part 2 was read word by word")

    monkeypatch.setattr(part2_in_part1, "_words", never)
    without = CLEAN[: CLEAN.index("part2:")] + "part2: null\n"
    assert report(tmp_path, without) == "1 record checked: 0 errors, 0 warnings"
