"""Signing edits a record in place whatever its layout, and writes nothing it cannot write exactly."""

from __future__ import annotations

import stat
from datetime import date
from pathlib import Path

import pytest
import yaml

from jmb.core.errors import RecordError
from jmb.record.roundtrip import YamlEdit
from jmb.repo.config import Config
from jmb.sign.signing import sign_record
from jmb.sign.transaction import Change, LoadedRecord, update_record
from tests.conftest import TODAY
from tests.signing_support import CC, MO, PCC, RECORD, clean_example, invoke, write_repo

BLOCK = clean_example().split("\n# The form's signature block")[0]


def sign(root: Path, role: str = CC, name: str = "Andy Rhodes") -> None:
    sign_record(
        Config(root=root), str(root / RECORD), role=role, name=name, day=date(2019, 6, 21), today=TODAY
    )  # fmt: skip


def signatures_of(path: Path) -> list[dict[str, object]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [{key: entry[key] for key in ("role", "name")} for entry in data["signatures"]]


@pytest.mark.parametrize(
    ("block", "expected_end"),
    [
        ("signatures:\n", "signatures:\n  - role: Chief Constable\n    name: Andy Rhodes\n"),
        ("signatures: null  # none yet\n", "signatures:  # none yet\n  - role: Chief Constable\n"),
        ("signatures: []\n", "signatures:\n  - role: Chief Constable\n    name: Andy Rhodes\n"),
        ("", "\n\nsignatures:\n  - role: Chief Constable\n    name: Andy Rhodes\n"),
        (
            "signatures:\n- role: Monitoring Officer\n  name: M\n  date: 2019-06-20\n",
            "  date: 2019-06-20\n- role: Chief Constable\n  name: Andy Rhodes\n",
        ),
    ],
    ids=["empty", "null-with-comment", "flow-empty", "missing", "indentless"],
)
def test_a_signature_goes_where_the_file_keeps_them(
    tmp_path: Path, block: str, expected_end: str
) -> None:
    path = write_repo(tmp_path, BLOCK + "\n" + block)
    sign(tmp_path)
    text = path.read_text()
    assert text.startswith(BLOCK)
    assert expected_end in text
    assert signatures_of(path)[-1] == {"role": CC, "name": "Andy Rhodes"}


def test_comments_in_the_signature_block_stay_where_they_were(tmp_path: Path) -> None:
    block = (
        "signatures:\n"
        "  # The Chief Constable signs first.\n"
        "  - role: Chief Constable   # by hand on the paper copy too\n"
        "    name:    # sign here\n"
        "    date:\n"
        "\n"
        "# Nothing below this line.\n"
    )
    path = write_repo(tmp_path, BLOCK + "\n" + block)
    sign(tmp_path)
    assert path.read_text().endswith(
        "signatures:\n"
        "  # The Chief Constable signs first.\n"
        "  - role: Chief Constable   # by hand on the paper copy too\n"
        "    name: Andy Rhodes    # sign here\n"
        "    date: 2019-06-21\n"
        "    digest: sha256:"
        + yaml.safe_load(path.read_text())["signatures"][0]["digest"][7:]
        + "\n"
        "\n"
        "# Nothing below this line.\n"
    )


def test_windows_line_endings_a_bom_and_the_file_mode_are_kept(tmp_path: Path) -> None:
    path = write_repo(tmp_path)
    path.write_bytes(b"\xef\xbb\xbf" + clean_example().replace("\n", "\r\n").encode())
    path.chmod(0o644)
    for role in (PCC, CC, MO):
        sign(tmp_path, role)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfjmb: 1\r\n") or raw.startswith(b"\xef\xbb\xbf# yaml")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert b"\r\n\r\nhistory:\r\n  - status: approved\r\n" in raw
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_a_file_without_a_final_newline(tmp_path: Path) -> None:
    path = write_repo(tmp_path, BLOCK + "\nsignatures: []")
    sign(tmp_path)
    assert path.read_text().endswith("signatures:\n  - role: Chief Constable\n    name: Andy Rhodes\n"
                                     "    date: 2019-06-21\n    digest: " + yaml.safe_load(path.read_text())["signatures"][0]["digest"] + "\n")  # fmt: skip


def test_a_quoted_status_stays_quoted(tmp_path: Path) -> None:
    path = write_repo(tmp_path, clean_example().replace("status: submitted", 'status: "submitted"'))
    for role in (PCC, CC, MO):
        sign(tmp_path, role)
    assert '\nstatus: "approved"\n' in path.read_text()


def test_a_signature_block_in_flow_style_is_refused_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = BLOCK + "\nsignatures: [{role: Chief Constable, name: , date: }]\n"
    path = write_repo(tmp_path, text)
    monkeypatch.chdir(tmp_path)
    code, _, err = invoke("sign", "2019/09", "--role", CC, "--name", "A", "--date", "2019-06-21")
    assert code == 1
    # Refused by rule JMB414 with what to change, before the editor is tried (issue 8, item 18).
    assert err == (
        f"{RECORD}:54:13: warning JMB414 signatures: written in flow style ([...]): jmb sign and "
        "jmb status cannot edit it; write the signatures as a block list, one '- role: ...' entry "
        "per signature, each value on a line of its own\n"
        f"jmb: {RECORD} not signed: put right what JMB414 says first\n"
    )
    assert path.read_text() == text


def test_an_edit_that_would_change_anything_else_writes_nothing(tmp_path: Path) -> None:
    path = write_repo(tmp_path)
    before = path.read_text()

    def careless(record: LoadedRecord) -> tuple[Change, None]:
        edit = record.editor()
        edit.set_value(edit.root, "title", "Another title")
        return Change(edit, dict(record.data)), None  # claims to change nothing

    with pytest.raises(RecordError, match="nothing was written"):
        update_record(path, careless)
    assert path.read_text() == before
    assert sorted(item.name for item in path.parent.iterdir()) == [path.name]


# -- issue 8, item 18: records that read well but cannot be edited in place -----------------------


def _tab_after_colon(text: str) -> str:
    return text.replace("title: Single Online Home", "title:\tSingle Online Home")


def _cr_line_ends(text: str) -> str:
    return text.replace("\n", "\r")


def _flow_signatures(text: str) -> str:
    head = text[: text.index("signatures:")]
    return head + f"signatures: [{{role: {PCC}}}, {{role: {CC}}}, {{role: {MO}}}]\n"


@pytest.mark.parametrize(
    ("change", "finding"),
    [
        (_tab_after_colon, "7:7: warning JMB414 title: a tab after a colon: jmb sign and jmb "
         "status cannot edit the file in place (their YAML parser takes tabs only in quoted or "
         "block text and comments); write a space instead"),
        (_cr_line_ends, "1:67: warning JMB414 the lines end in a carriage return alone (CR): jmb "
         "sign and jmb status cannot edit the file in place; save it with LF (or CRLF) line ends"),
        (_flow_signatures, "55:13: warning JMB414 signatures: written in flow style ([...]): jmb "
         "sign and jmb status cannot edit it; write the signatures as a block list, one "
         "'- role: ...' entry per signature, each value on a line of its own"),
    ],
    ids=["tab-after-colon", "cr-line-ends", "flow-signatures"],
)  # fmt: skip
def test_a_record_jmb_cannot_edit_is_a_warning_and_a_refusal_that_says_what_to_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: object, finding: str
) -> None:
    assert callable(change)
    data = change(clean_example()).encode()
    path = write_repo(tmp_path)
    path.write_bytes(data)
    monkeypatch.chdir(tmp_path)
    code, out, _ = invoke("validate")
    assert code == 0
    assert f"{RECORD}:{finding}\n" in out
    code, out, err = invoke("sign", "2019/09", "--role", CC, "--name", "A", "--date", "2019-06-20")
    assert (code, out) == (1, "")
    assert (
        err == f"{RECORD}:{finding}\njmb: {RECORD} not signed: put right what JMB414 says first\n"
    )
    code, out, err = invoke("status", "2019/09", "withdrawn", "--date", "2019-06-20")
    assert err.endswith(f"jmb: {RECORD} stays submitted: put right what JMB414 says first\n")
    assert path.read_bytes() == data


def test_a_nested_entry_is_written_as_block_mappings_that_read_back(tmp_path: Path) -> None:
    """An approval's wording is a mapping of mappings; keys that YAML would misread are quoted and
    an empty mapping is written as {} (issue 8, item 3)."""
    edit = YamlEdit("jmb: 1\nhistory: []\n", source="x.yaml")
    entry = {"status": "approved", "wording": {"declarations": {"Officer: Legal": "a"}, "x": {}}}
    edit.append_item(edit.root, "history", entry)
    text = edit.result()
    assert text == (
        "jmb: 1\nhistory:\n  - status: approved\n    wording:\n      declarations:\n"
        '        "Officer: Legal": a\n      x: {}\n'
    )
    assert yaml.safe_load(text)["history"] == [entry]
