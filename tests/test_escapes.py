"""Control characters from records, file names and arguments are shown escaped in everything jmb
prints, never obeyed: a signatory's name ending in ``ESC[8m`` must not hide the rest of ``jmb
verify``'s report, nor a right-to-left override turn a line of ``jmb validate`` around."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from jmb.check.reporters import REPORTERS, finding_text
from jmb.check.result import ValidationResult
from jmb.core.findings import Finding, Severity
from jmb.core.printable import json_safe, printable
from tests.signing_support import CC, PCC, RECORD, clean_example, invoke

#: Every character that may steer a terminal or reorder a line: C0 (newline apart), DEL, C1, the
#: bidi controls and marks, the line and paragraph separators.
RAW = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)

HIDE = "\x1b[8m"  # "conceal": what follows is invisible at most terminals
RLO = "\u202e"  # right-to-left override


def record_with(title: str = "Single Online Home", name: str = "") -> str:
    text = clean_example().replace("title: Single Online Home", f"title: {json.dumps(title)}", 1)
    if name:
        text = text.replace(
            f"  - role: {PCC}\n    name:\n    date:\n",
            f"  - role: {PCC}\n    name: {json.dumps(name)}\n    date: 2019-06-20\n",
        )
    return text


def strings(data: object) -> list[str]:
    """Every string in decoded JSON."""
    if isinstance(data, str):
        return [data]
    values = data.values() if isinstance(data, dict) else data if isinstance(data, list) else []
    return [text for value in values for text in strings(value)]


def test_verify_shows_a_hiding_name_escaped(repo: Path) -> None:
    (repo / RECORD).write_text(record_with(name=f"Clive Grunshaw{HIDE}"), encoding="utf-8")
    code, out, err = invoke("verify", "2019/09")
    assert (code, err) == (0, "")
    assert not RAW.search(out)
    assert out.splitlines()[0] == (
        f"{RECORD}:56:5: {PCC}, Clive Grunshaw\\x1b[8m, 2019-06-20: no digest: nothing records "
        "what was signed, so nothing could be checked"
    )


def test_a_name_cannot_forge_a_line_of_verify(repo: Path) -> None:
    forged = f"Clive Grunshaw\n{RECORD}:1:1: {CC}, Nobody, 2019-06-20: verified"
    (repo / RECORD).write_text(record_with(name=forged), encoding="utf-8")
    _, out, _ = invoke("verify", "2019/09")
    assert len(out.splitlines()) == 2  # the signature's line and the summary, nothing forged
    assert "Clive Grunshaw\\n" in out.splitlines()[0]


def test_sign_prints_the_name_it_was_given_escaped(repo: Path) -> None:
    code, out, err = invoke(
        "sign", "2019/09", "--role", PCC, "--name", f"Clive{HIDE}", "--date", "2019-06-20"
    )
    assert (code, err) == (0, "")
    assert not RAW.search(out)
    assert f"signed by Clive\\x1b[8m as {PCC}" in out


@pytest.mark.parametrize("fmt", ["text", "github", "json", "sarif"])
def test_validate_shows_a_title_with_a_bidi_override_escaped(repo: Path, fmt: str) -> None:
    (repo / RECORD).write_text(record_with(title=f"Shall we {RLO}buy it{HIDE}?"), "utf-8")
    code, out, err = invoke("validate", "--format", fmt)
    assert (code, err) == (1, "")
    assert not RAW.search(out)
    if fmt in ("text", "github"):  # as the escape is shown
        assert "Shall we \\u202ebuy it\\x1b[8m?" in out
    else:  # as JSON escapes, which read back as the record's own text
        assert "Shall we \\u202ebuy it\\u001b[8m?" in out
        assert any(f"Shall we {RLO}buy it{HIDE}?" in text for text in strings(json.loads(out)))


def test_refusals_and_error_messages_are_escaped(repo: Path) -> None:
    code, _, err = invoke("rules", f"JMB{HIDE}")
    assert code == 2 and not RAW.search(err)
    assert err == "jmb: no rule 'JMB\\x1b[8m'; jmb rules lists them\n"
    code, _, err = invoke("render", f"records/{RLO}x{HIDE}.yaml")
    assert code == 1 and not RAW.search(err)
    assert err == "jmb: records/\\u202ex\\x1b[8m.yaml: no such record file\n"


def test_a_refusal_with_findings_shows_them_escaped(repo: Path) -> None:
    (repo / RECORD).write_text(record_with(title=f"Why{HIDE}?"), "utf-8")
    code, _, err = invoke("sign", "2019/09", "--role", PCC, "--name", "C", "--date", "2019-06-20")
    assert code == 1 and not RAW.search(err)
    assert 'unanswered question "Why\\x1b[8m?"' in err


def test_the_text_reporter_escapes_every_part_of_a_finding() -> None:
    finding = Finding(
        "records/a\x1b]0;title\x07.yaml", 3, 4, "JMB202", Severity.ERROR,
        "title", "unanswered question \"x\u2066y\x9b31m\tz\r\n\"",
    )  # fmt: skip
    line = finding_text(finding)
    assert line == (
        "records/a\\x1b]0;title\\x07.yaml:3:4: error JMB202 title: unanswered question "
        '"x\\u2066y\\x9b31m\\tz\\r\\n"'
    )
    result = ValidationResult(findings=[finding], files=1)
    for name in ("text", "github"):
        report = REPORTERS[name](result, color=True)
        assert not RAW.search(report.replace("\x1b[", "")), name  # only jmb's own colours
        assert len(report.splitlines()) == 2, name


def test_printable_escapes_exactly_the_controls() -> None:
    assert printable("plain text, é, 中文, emoji 🙂") == "plain text, é, 中文, emoji 🙂"
    assert printable("a\nb") == "a\\nb"
    assert printable("a\nb", keep_newlines=True) == "a\nb"
    assert printable("\x00\x1b\x7f\x85\x9f\u061c\u200e\u200f\u2028\u2029") == (
        "\\x00\\x1b\\x7f\\x85\\x9f\\u061c\\u200e\\u200f\\u2028\\u2029"
    )
    assert printable("".join(map(chr, range(0x202A, 0x202F)))) == (
        "\\u202a\\u202b\\u202c\\u202d\\u202e"
    )
    assert printable("\u2066\u2067\u2068\u2069") == "\\u2066\\u2067\\u2068\\u2069"
    assert printable("caf\udce9") == "caf\\xe9"  # a byte of a name that is not UTF-8


def test_json_safe_keeps_the_data_and_escapes_the_controls() -> None:
    data = {"message": "a\x1b[8m\x9b\u202e\u2028z", "path": "caf\udce9.yaml"}
    encoded = json_safe(json.dumps(data, ensure_ascii=False))
    assert not RAW.search(encoded)
    encoded.encode("utf-8")  # valid UTF-8: no lone surrogate left
    decoded = json.loads(encoded)
    assert decoded["message"] == data["message"]
    assert decoded["path"] == "caf\\xe9.yaml"


@pytest.mark.parametrize(
    ("reporter", "color"), [("text", False), ("text", True), ("github", False)]
)
def test_a_field_name_shows_the_characters_that_show_as_nothing(reporter: str, color: bool) -> None:
    """A key with a zero-width space, a soft hyphen or a tag character in it printed as "title"
    beside "did you mean 'title'?": the name is now shown character by character. The message's
    own text is left alone (a joiner inside an emoji in a quotation is the user's text)."""
    finding = Finding(
        "records/x.yaml",
        7,
        1,
        "JMB006",
        Severity.ERROR,
        "ti\u200btle\u00ad.x\U000e0041",
        "unknown field; did you mean 'title'? (\U0001f469\u200d\U0001f4bb)",
    )
    shown = REPORTERS[reporter](ValidationResult(findings=[finding], files=1), color=color)
    assert "ti\\u200btle\\xad.x\\U000e0041: unknown field" in shown
    assert "(\U0001f469\u200d\U0001f4bb)" in shown
