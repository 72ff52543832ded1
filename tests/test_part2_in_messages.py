"""Findings on Part 2 fields name the field and the rule, never the text (issue 8, item 6).

Every Part 2 field of a record gets a distinctive secret, written so that each rule that can fire on
Part 2 fires on it (a placeholder, an unanswered question, a value of the wrong type, a duplicate
key, an unknown key, a suppression comment naming an unknown rule, a value YAML cannot construct, a
tag, a syntax error...). No secret may appear in anything jmb prints: ``validate`` in all four
formats, ``verify``, the refusals of ``sign``, ``status`` and ``render`` (Part 1 and Part 2).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jmb.check.reporters import REPORTERS
from jmb.core.findings import Finding, Severity
from jmb.record.confidential import HIDDEN_KEY, part2_field, withhold
from tests.conftest import ROOT
from tests.signing_support import invoke
from tests.test_cases import run_case

BASE = (ROOT / "tests" / "fixtures" / "approved-with-part2.yaml").read_text(encoding="utf-8")
RECORD = Path("records/2019/2019-09-single-online-home.yaml")

#: An office that signs drafts (``[signing] from = "draft"``), so that ``sign`` checks the draft's
#: content and refuses on its findings rather than on its status.
SIGNS_DRAFTS = '[signing]\nfrom = "draft"\n'

#: A draft (so that sign and status check it, and refuse), with blank signature lines.
DRAFT = BASE[: BASE.index("signatures:")].replace("status: approved", "status: draft") + (
    "signatures:\n"
    "  - role: Police and Crime Commissioner\n"
    "  - role: Chief Constable\n"
    "  - role: Monitoring Officer\n"
)
PART2 = DRAFT[DRAFT.index("part2:") : DRAFT.index("signatures:")]

#: Part 2 with a secret in every field, each placed to make a rule fire.
RULES_FIRE = """part2:
  marking: 918273645
  exemption: s.43 commercial interests
  review_on: 2021-06-12
  sections:
    - heading: "[insert QZXHEAD here]"
      text: |
        Is QZXQUESTION agreed?

        Click here to enter QZXWORD details.

        Pay {{ QZXFIELD }} to lorem ipsum QZXLOREM, as Appendix Q QZXAPPENDIX says.
      QZXKEY terms: QZXUNKNOWNVALUE
    - QZXNOTAMAPPING
    - heading: XXX QZXTBC  # jmb: disable=QZXRULE9 QZXREASON
      text: 8675309
  QZXTOPKEY: QZXTOPVALUE
"""

#: Part 2 values that the reader reports (most stop the record being read at all), each in a record
#: of its own: ``sign`` and ``status`` refuse a record with any of them before any rule runs.
ON_READING = {
    "duplicate key": "part2:\n  sections:\n    - heading: QZXDUPLICATE\n      heading: H\n",
    "constructor": "part2:\n  review_on: !!float QZXFLOAT\n",
    "unknown tag": "part2:\n  sections:\n    - heading: H\n      text: !QZXTAG QZXTAGVALUE\n",
    "python tag": "part2:\n  marking: !!python/name:QZXPYTHON x\n",
    "recursive": "part2:\n  sections: &QZXANCHOR [*QZXANCHOR]\n",
    "syntax": 'part2:\n  marking: "QZXSYNTAX \\q"\n',
    "mapping key": "part2:\n  [QZXLISTKEY]: x\n",
}

SECRETS = (
    "918273645",
    "8675309",
    "QZXHEAD",
    "QZXDUPLICATE",
    "QZXQUESTION",
    "QZXWORD",
    "QZXFIELD",
    "QZXLOREM",
    "QZXAPPENDIX",
    "QZXKEY",
    "QZXUNKNOWNVALUE",
    "QZXNOTAMAPPING",
    "QZXTBC",
    "QZXRULE9",
    "QZXREASON",
    "QZXTOPKEY",
    "QZXTOPVALUE",
    "QZXFLOAT",
    "QZXTAG",
    "QZXPYTHON",
    "QZXANCHOR",
    "QZXSYNTAX",
    "QZXLISTKEY",
)


def every_output(root: Path) -> dict[str, tuple[int, str]]:
    """What each command prints for the record in ``root`` (the current folder)."""
    runs = {
        **{f"validate {fmt}": ("validate", "--format", fmt) for fmt in REPORTERS},
        "verify": ("verify",),
        "sign": (
            "sign",
            "2019/09",
            "--role",
            "Chief Constable",
            "--name",
            "A",
            "--date",
            "2019-06-21",
        ),
        "status": ("status", "2019/09", "submitted", "--date", "2019-06-21"),
        "render part 1": ("render", "2019/09"),
        "render part 2": ("render", "2019/09", "--part", "2"),
        "render part 1 draft": ("render", "2019/09", "--draft"),
        "render part 2 draft": ("render", "2019/09", "--part", "2", "--draft", "--format", "md"),
    }
    outputs = {}
    for name, args in runs.items():
        code, out, err = invoke(*args)
        outputs[name] = (code, out + err)
    # A draft that could be rendered: its Part 1 files are looked in too (Part 2's may hold it).
    for path in sorted((root / "build").glob("*")) if (root / "build").exists() else ():
        if path.is_file():
            outputs[f"file {path.name}"] = (0, path.read_bytes().decode("utf-8", "replace"))
    return outputs


def leaked(outputs: dict[str, tuple[int, str]]) -> list[str]:
    return [
        f"{name}: {secret}"
        for name, (_, text) in outputs.items()
        for secret in SECRETS
        if secret.lower() in text.lower()
    ]


def test_no_part2_text_in_any_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / RECORD).parent.mkdir(parents=True)
    (tmp_path / RECORD).write_text(DRAFT.replace(PART2, RULES_FIRE), encoding="utf-8")
    (tmp_path / "jmb.toml").write_text(SIGNS_DRAFTS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    outputs = every_output(tmp_path)
    assert not leaked(outputs)
    # Every rule that can fire in Part 2 did (so the test looks where a leak would be) ...
    report = json.loads(outputs["validate json"][1])
    fired = {
        (finding["code"], finding["field"])
        for finding in report["findings"]
        if finding["field"].startswith("part2")
    }
    assert fired == {
        ("JMB006", f"part2.sections[0].{HIDDEN_KEY}"),
        ("JMB006", f"part2.{HIDDEN_KEY}"),
        ("JMB007", "part2.marking"),
        ("JMB007", "part2.sections[1]"),
        ("JMB007", "part2.sections[2].text"),
        ("JMB010", "part2"),
        ("JMB201", "part2.sections[0].heading"),
        ("JMB201", "part2.sections[0].text"),
        ("JMB201", "part2.sections[2].heading"),
        ("JMB202", "part2.sections[0].text"),
        ("JMB301", "part2.sections[0].text"),
    }
    # ... and says what it found, at its place.
    text = outputs["validate text"][1]
    assert (
        f"{RECORD}:68:9: error JMB201 part2.sections[0].text: placeholder or template text left "
        "in the record (the text of this Part 2 field is withheld: Part 2 is confidential)"
    ) in text
    assert f"{RECORD}:73:28: warning JMB010 part2: a # jmb: disable=... comment names" in text
    # Every command ran into the findings and refused (exit 1), none crashed.
    assert {name: code for name, (code, _) in outputs.items()} == {
        **{f"validate {fmt}": 1 for fmt in REPORTERS},
        "verify": 0,
        "sign": 1,
        "status": 1,
        "render part 1": 1,
        "render part 2": 1,
        "render part 1 draft": 1,
        "render part 2 draft": 1,
    }
    assert "JMB201" in outputs["sign"][1] and "JMB201" in outputs["status"][1]
    assert "JMB201" in outputs["render part 2"][1]


@pytest.mark.parametrize("case", sorted(ON_READING))
def test_no_part2_text_from_the_reader(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / RECORD).parent.mkdir(parents=True)
    (tmp_path / RECORD).write_text(DRAFT.replace(PART2, ON_READING[case]), encoding="utf-8")
    (tmp_path / "jmb.toml").write_text(SIGNS_DRAFTS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    outputs = every_output(tmp_path)
    assert not leaked(outputs)
    assert outputs["validate text"][0] == 1
    assert outputs["sign"][0] == outputs["status"][0] == 1


def test_a_refused_part1_render_shows_no_part2_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    part2 = PART2.replace("heading: Commercial terms", "heading: Commercial terms TBC")
    text = DRAFT.replace(PART2, part2).replace("\n  legal: |\n", "\n  legal: |\n    TBC.\n")
    (tmp_path / RECORD).parent.mkdir(parents=True)
    (tmp_path / RECORD).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = invoke("render", "2019/09")
    assert (code, out) == (1, "")
    assert err == (
        f'{RECORD}:44:5: error JMB201 implications.legal: placeholder "TBC" left in: write what it '
        "stands for\n"
        "jmb: not rendered: 1 record has errors; fix them, or render with --draft; 1 finding in "
        "Part 2 not shown: run jmb validate\n"
    )
    # Part 2's own render shows it, withheld.
    code, _, err = invoke("render", "2019/09", "--part", "2")
    assert code == 1
    assert "JMB201 part2.sections[0].heading: placeholder or template text" in err


def test_findings_outside_part2_are_untouched(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bare "N/A" of the example's consultation is still quoted: it is Part 1, public."""
    report = run_case(
        ROOT / "tests" / "cases" / "JMB203" / "fires-na-consultation-block", monkeypatch
    )
    assert 'bare "N/A"' in report


@pytest.mark.parametrize(
    ("field", "shown"),
    [
        ("part2", "part2"),
        ("part2.marking", "part2.marking"),
        ("part2.sections[3].text", "part2.sections[3].text"),
        ("part2.sections[0].KESTREL-88 terms", f"part2.sections[0].{HIDDEN_KEY}"),
        ("part2.sections[0].text.s.43", f"part2.sections[0].text.{HIDDEN_KEY}"),
        ("part2.secret[0].text", f"part2.{HIDDEN_KEY}"),
        ("part2.", f"part2.{HIDDEN_KEY}"),
        ("part2x", None),
        ("background", None),
        ("", None),
    ],
)
def test_the_name_a_part2_field_is_shown_by(field: str, shown: str | None) -> None:
    assert part2_field(field) == shown


def test_withholding_keeps_place_code_and_severity() -> None:
    finding = Finding("r.yaml", 3, 4, "JMB201", Severity.ERROR, "part2.marking", 'placeholder "X"')
    assert withhold(finding, "placeholder text") == Finding(
        "r.yaml",
        3,
        4,
        "JMB201",
        Severity.ERROR,
        "part2.marking",
        "placeholder text (the text of this Part 2 field is withheld: Part 2 is confidential)",
    )
    outside = Finding("r.yaml", 3, 4, "JMB201", Severity.ERROR, "background", 'placeholder "X"')
    assert withhold(outside, "placeholder text") is outside
