"""``jmb sign`` and the digest: the edit in place, every refusal, approval, tampering, concurrency."""

from __future__ import annotations

import difflib
import hashlib
import json
import multiprocessing
import shutil
import unicodedata
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from jmb.check import engine
from jmb.check.engine import validate
from jmb.core.errors import RefusedError
from jmb.record.canonical import (
    canonical_bytes,
    canonical_content,
    content_digest,
    statement,
    text_digest,
)
from jmb.record.document import read_document
from jmb.repo.config import Config
from jmb.repo.wording import approval_wording
from jmb.sign.lifecycle import change_status
from jmb.sign.signing import sign_record
from jmb.sign.verify import verify_records, verify_report
from tests.conftest import ROOT, TODAY, check_golden
from tests.signing_support import (
    CC,
    EXAMPLE,
    MO,
    PCC,
    RECORD,
    clean_example,
    git,
    invoke,
    write_repo,
)

GOLDEN = ROOT / "tests" / "golden"


def diff(before: str, after: str) -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            "before",
            "after",
        )
    )


def sign_all(config: Config, *roles: str, day: date = date(2019, 6, 20)) -> None:
    for role in roles:
        sign_record(config, "2019/09", role=role, name=f"Holder of {role}", day=day, today=TODAY)


# -- the edit in place ---------------------------------------------------------------------------


def test_sign_fills_the_roles_blank_line_and_changes_nothing_else(
    repo: Path, update_goldens: bool
) -> None:
    before = (repo / RECORD).read_text()
    code, out, err = invoke(
        "sign", "2019/09", "--role", PCC, "--name", "Clive Grunshaw", "--date", "2019-06-20"
    )
    assert (code, err) == (0, "")
    digest = content_digest(yaml.safe_load(before))
    assert out == (f"{RECORD}: signed by Clive Grunshaw as {PCC} on 2019-06-20 ({digest[:19]}…)\n")
    after = (repo / RECORD).read_text()
    check_golden(GOLDEN / "sign-fills-blank-line.diff", diff(before, after), update_goldens)
    assert after.count(f"role: {PCC}") == 1  # filled, not added


def test_the_last_signature_approves_and_records_it_in_history(
    repo: Path, update_goldens: bool
) -> None:
    before = (repo / RECORD).read_text()
    for role, name in ((PCC, "Clive Grunshaw"), (MO, "Abigail Leech")):
        assert (
            invoke("sign", "2019/09", "--role", role, "--name", name, "--date", "2019-06-20")[0]
            == 0
        )
    assert yaml.safe_load((repo / RECORD).read_text())["status"] == "submitted"
    code, out, _ = invoke(
        "sign", str(RECORD), "--role", CC, "--name", "Andy Rhodes", "--date", "2019-06-21"
    )
    assert code == 0
    assert out.endswith(f"{RECORD}: every signature made: approved\n")
    after = (repo / RECORD).read_text()
    check_golden(GOLDEN / "sign-approves.diff", diff(before, after), update_goldens)
    data = yaml.safe_load(after)
    assert data["status"] == "approved"
    assert data["history"] == [
        {
            "status": "approved",
            "date": date(2019, 6, 21),
            "note": f"signed by the {PCC}, the {CC} and the {MO}",
            # The configured wording it was approved under, so that a change to it is reported.
            "wording": approval_wording(Config(root=repo)),
        }
    ]
    # An approved record passes: JMB401 is satisfied, every digest matches.
    result = validate(config=Config(root=repo), today=TODAY)
    assert result.errors == 0
    code, out, _ = invoke("verify")
    assert code == 0
    assert out.splitlines()[-1] == "3 signatures in 1 record verified: 0 problems"
    assert out.count("checked for its digest only (no key)") == 3


def test_a_role_without_a_line_gets_one_appended(repo: Path) -> None:
    text = clean_example().split("\n# The form's signature block")[0] + "\nsignatures: []\n"
    (repo / RECORD).write_text(text)
    sign_all(Config(root=repo), MO)
    after = (repo / RECORD).read_text()
    declared = Config().signatures[2].statement or ""
    assert after.endswith(
        "signatures:\n"
        f"  - role: {MO}\n"
        f"    name: Holder of {MO}\n"
        "    date: 2019-06-20\n"
        f"    digest: {content_digest(yaml.safe_load(text))}\n"
        f"    statement: {declared}\n"
        f"    statement_digest: {text_digest(declared)}\n"
    )


def test_names_that_yaml_would_misread_are_quoted(repo: Path) -> None:
    config = Config(root=repo)
    for role, name in ((PCC, "2019"), (CC, "O'Brien: acting"), (MO, "yes")):
        sign_record(config, "2019/09", role=role, name=name, day=date(2019, 6, 20), today=TODAY)
    data = yaml.safe_load((repo / RECORD).read_text())
    assert [entry["name"] for entry in data["signatures"]] == ["2019", "O'Brien: acting", "yes"]


# -- refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["--role", "Chief Constabl", "--name", "A"],
            2,
            "jmb: --role 'Chief Constabl' is not a signing role; did you mean 'Chief Constable'?\n",
        ),
        (["--role", CC, "--name", "  "], 2, "jmb: --name is empty\n"),
        (
            ["--role", CC, "--name", "A", "--date", "21/06/2019"],
            2,
            "jmb: --date '21/06/2019' is not a date; write YYYY-MM-DD\n",
        ),
        (
            ["--role", CC, "--name", "A", "--date", "2019-06-11"],
            1,
            f"jmb: {RECORD} not signed: the {CC} signed on 2019-06-11, before the decision's "
            "date 2019-06-12 (JMB403)\n",
        ),
        (
            ["--role", CC, "--name", "A", "--date", "2099-01-01"],
            1,
            f"jmb: {RECORD} not signed: the {CC}'s signature is dated 2099-01-01, in the future "
            "(JMB403)\n",
        ),
        (["--name", "A"], 2, None),  # --role is required
    ],
)
def test_sign_refuses_bad_options(
    repo: Path, args: list[str], code: int, message: str | None
) -> None:
    before = (repo / RECORD).read_text()
    result = invoke("sign", "2019/09", *args)
    assert result[0] == code
    if message is not None:
        assert result[2] == message
    assert (repo / RECORD).read_text() == before


def test_sign_refuses_an_unknown_record(repo: Path) -> None:
    assert invoke("sign", "2019/10", "--role", CC, "--name", "A") == (
        1,
        "",
        "jmb: no record is numbered '2019/10' under records\n",
    )


def test_a_role_signs_once(repo: Path) -> None:
    sign_all(Config(root=repo), CC)
    before = (repo / RECORD).read_text()
    code, _, err = invoke("sign", "2019/09", "--role", CC, "--name", "Someone Else")
    assert code == 1
    assert err == (
        f"jmb: the {CC} already signed {RECORD} on 2019-06-20 (signatures[1]); a role signs once\n"
    )
    assert (repo / RECORD).read_text() == before


@pytest.mark.parametrize("status", ["withdrawn", "rejected"])
def test_withdrawn_and_rejected_records_are_not_signed(repo: Path, status: str) -> None:
    (repo / RECORD).write_text(clean_example().replace("status: submitted", f"status: {status}"))
    before = (repo / RECORD).read_text()
    code, _, err = invoke("sign", "2019/09", "--role", CC, "--name", "A", "--date", "2019-06-20")
    assert code == 1
    assert err == f"jmb: {RECORD} is {status}: a {status} decision is not signed\n"
    assert (repo / RECORD).read_text() == before


def test_a_record_with_errors_is_refused_with_the_findings(repo: Path) -> None:
    (repo / RECORD).write_text(EXAMPLE)
    code, out, err = invoke("sign", "2019/09", "--role", CC, "--name", "A", "--date", "2019-06-20")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"{RECORD}:31:213: error JMB301 background: Appendix A is referred to but not listed in "
        "appendices",
        f"{RECORD}:40:60: error JMB301 implications.risks: Appendix A is referred to but not "
        "listed in appendices",
        f'{RECORD}:45:5: error JMB202 implications.financial: unanswered question "What are the '
        'financial implications of on boarding SOH": answer it or take it out',
        f"{RECORD}:49:20: error JMB101 background_papers: 5. Background Papers is empty: "
        "documents relied on, each with a title and a reference (URL or document id).",
        f"jmb: {RECORD} is not fit to sign: 4 errors at submitted level",
    ]
    assert (repo / RECORD).read_text() == EXAMPLE


def test_a_draft_is_not_signed_unless_the_office_signs_drafts(repo: Path) -> None:
    """Issue 8, item 17: a draft went straight to approved by signing."""
    text = clean_example().replace("status: submitted", "status: draft")
    (repo / RECORD).write_text(text)
    code, out, err = invoke("sign", "2019/09", "--role", CC, "--name", "A", "--date", "2019-06-20")
    assert (code, out) == (1, "")
    assert err == (
        f"jmb: {RECORD} is a draft: a decision is signed once it is submitted; run jmb status "
        '2019/09 submitted first (or set [signing] from = "draft" in jmb.toml to sign drafts)\n'
    )
    assert (repo / RECORD).read_text() == text
    (repo / "jmb.toml").write_text('[signing]\nfrom = "draft"\n')
    for role in (PCC, CC, MO):
        code, _, err = invoke(
            "sign", "2019/09", "--role", role, "--name", "A", "--date", "2019-06-20"
        )
        assert code == 0, err
    data = yaml.safe_load((repo / RECORD).read_text())
    assert (data["status"], data["history"][-1]["status"]) == ("approved", "approved")


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("deferred", "is deferred: a deferred decision is signed once it is submitted again; run "
         "jmb status 2019/09 submitted first"),
        ("approved", "is approved: only a submitted decision is signed"),
    ],
)  # fmt: skip
def test_only_a_submitted_record_is_signed(repo: Path, status: str, message: str) -> None:
    config = Config(root=repo)
    change_status(config, "2019/09", "deferred", day=date(2019, 6, 13), today=TODAY)
    if status == "approved":
        change_status(config, "2019/09", "submitted", day=date(2019, 6, 14), today=TODAY)
        sign_all(config, PCC, MO)
    before = (repo / RECORD).read_text()
    if status == "approved":
        # Typed in by hand: the history says submitted, so JMB413 refuses before anything else.
        (repo / RECORD).write_text(before.replace("status: submitted", "status: approved"))
        code, _, err = invoke("sign", "2019/09", "--role", CC, "--name", "A")
        assert code == 1
        assert err.splitlines()[-1] == (
            f"jmb: {RECORD} is approved: only a submitted decision is signed"
        )
        return
    code, _, err = invoke("sign", "2019/09", "--role", CC, "--name", "A", "--date", "2019-06-20")
    assert (code, err) == (1, f"jmb: {RECORD} {message}\n")
    assert (repo / RECORD).read_text() == before


def test_a_draft_is_checked_as_if_submitted(repo: Path) -> None:
    text = clean_example().replace("status: submitted", "status: draft")
    text = text.replace("consultation: N/A", 'consultation: ""')
    (repo / RECORD).write_text(text)
    (repo / "jmb.toml").write_text('[signing]\nfrom = "draft"\n')
    # As a draft, the empty section is a warning only ...
    findings = validate(config=Config(root=repo), today=TODAY).findings
    assert [(f.code, f.severity) for f in findings if f.code == "JMB101"] == [("JMB101", "warning")]
    # ... but a signature needs the record complete.
    code, _, err = invoke("sign", "2019/09", "--role", CC, "--name", "A", "--date", "2019-06-20")
    assert code == 1
    assert err.splitlines()[0] == (
        f"{RECORD}:36:1: error JMB101 consultation: 3. Consultation is empty: who was consulted "
        "and what they said; if nobody, say why none was needed."
    )


def test_other_errors_in_the_signature_block_refuse(repo: Path) -> None:
    text = clean_example().replace(
        "  - role: Monitoring Officer\n", "  - role: Monitoring Oficer\n"
    )
    (repo / RECORD).write_text(text)
    code, _, err = invoke("sign", "2019/09", "--role", CC, "--name", "A", "--date", "2019-06-20")
    assert code == 1
    assert "error JMB404 signatures[2].role: 'Monitoring Oficer' is not a signing role" in err


# -- the digest ----------------------------------------------------------------------------------


def readme_digest(data: dict[str, Any]) -> str:
    """The digest rule as the README states it, written independently of jmb.record.canonical: for text,
    whole numbers and dates (all a record holds), RFC 8785 is JSON with sorted keys, no spaces and
    UTF-8 text."""

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {unicodedata.normalize("NFC", key): plain(item) for key, item in value.items()}
        if isinstance(value, list):
            return [plain(item) for item in value]
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, str):
            return unicodedata.normalize("NFC", value)
        return value

    content = {
        key: plain(value)
        for key, value in data.items()
        if key not in ("status", "signatures", "history")
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def test_the_digest_is_the_readme_rule(repo: Path) -> None:
    sign_all(Config(root=repo), CC)
    data = yaml.safe_load((repo / RECORD).read_text())
    assert data["signatures"][1]["digest"] == readme_digest(data)


def test_text_is_normalised_before_hashing() -> None:
    composed = {"jmb": 1, "title": "Caf\u00e9 review"}
    decomposed = {"jmb": 1, "title": "Cafe\u0301 review"}
    assert content_digest(composed) == content_digest(decomposed)
    assert content_digest(composed) != content_digest({"jmb": 1, "title": "Cafe review"})


@pytest.mark.parametrize(
    ("content", "canonical", "digest"),
    [
        # Step 2's numbers: an integer JSON carries exactly stays a number; beyond 2**53 - 1 either
        # way, its decimal text.
        (
            {"jmb": 1, "seq": 2**53 - 1},
            b'{"jmb":1,"seq":9007199254740991}',
            "65bfb160dbc6d3a154063570d21cdd7a2c55c6755efbb32fbd3155d71dfd16e8",
        ),
        (
            {"jmb": 1, "seq": 2**53},
            b'{"jmb":1,"seq":"9007199254740992"}',
            "50cbff1186d9c61d5ae6f1167cb20f65b691583bec926e961713a24b91d243d0",
        ),
        (
            {"jmb": 1, "seq": -(2**53 - 1)},
            b'{"jmb":1,"seq":-9007199254740991}',
            "c2ae79c217b6c98f23e3b76f6e4a6754103ad0804880dcf7f4452141aaef8495",
        ),
        (
            {"jmb": 1, "seq": -(2**53)},
            b'{"jmb":1,"seq":"-9007199254740992"}',
            "0bfeac2c5f66d7efb87c51f31d1de5106c88312c167fca68faf1bdf136c3b6fb",
        ),
        # A finite float as it is; one that is not finite (YAML's .inf, -.inf, .nan) as its text.
        (
            {"jmb": 1, "cost": 1.5},
            b'{"cost":1.5,"jmb":1}',
            "0ab29797f23219c790676c84ec610c43a7ecd7487ab2ddbacaa603e0d8f86eaa",
        ),
        (
            {"jmb": 1, "cost": float("inf")},
            b'{"cost":"inf","jmb":1}',
            "9c05e315bdd323fe2834f129bb9d6338fae64c209797388eda849a30cea02b51",
        ),
        (
            {"jmb": 1, "cost": float("-inf")},
            b'{"cost":"-inf","jmb":1}',
            "4c9b39b9b8841c977810801c457171cb8f9c3f245e194c637ac6a4fdd71c36f5",
        ),
        (
            {"jmb": 1, "cost": float("nan")},
            b'{"cost":"nan","jmb":1}',
            "c9e78e519d79d03feaf341ab3a4fb28865e1d6395dccbe77f636bca63445d23e",
        ),
        # Booleans and null as they are (a boolean is not the number 1 or 0).
        (
            {"jmb": 1, "a": True, "b": False, "c": None},
            b'{"a":true,"b":false,"c":null,"jmb":1}',
            "482c48b84139824b4998920ac65d7b1ae424b73b37036b7e224b137debac5060",
        ),
        # A date as YYYY-MM-DD, a date with a time in ISO 8601.
        (
            {"jmb": 1, "date": date(2019, 6, 12), "met": datetime(2019, 6, 12, 9, 30)},
            b'{"date":"2019-06-12","jmb":1,"met":"2019-06-12T09:30:00"}',
            "641c6373bac86e595f2d4634f76b90e3320f651fa39ba543b740eba8035bdd58",
        ),
        # Text in NFC, keys too, inside lists and mappings at any depth.
        (
            {"jmb": 1, "cafe\u0301": ["cafe\u0301", {"a": [1, "b"]}]},
            '{"caf\u00e9":["caf\u00e9",{"a":[1,"b"]}],"jmb":1}'.encode(),
            "7e4bd56313e33d948d8b46e900bf0286f3a490e20fab392a56fd661ed042a455",
        ),
        # Step 1: status, signatures and history are not content.
        (
            {"jmb": 1, "status": "approved", "signatures": [{"role": "x"}], "history": []},
            b'{"jmb":1}',
            "51387220155e1523659d9d8c662b42fda379b001a362babb3ff91e19096084e0",
        ),
    ],
)
def test_the_digests_of_the_special_cases_of_the_rule(
    content: dict[str, Any], canonical: bytes, digest: str
) -> None:
    """Fixed digests for the README's step 2: what each kind of value becomes, byte for byte."""
    assert canonical_bytes(canonical_content(content)) == canonical
    assert content_digest(content) == f"sha256:{digest}"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (b"bytes", "bytes is not plain data: it has no canonical form"),
        ({"a"}, "set is not plain data: it has no canonical form"),
        ({1: "a key that is not text"}, "a key of the content is int, not text"),
        (("a",), "tuple is not plain data: it has no canonical form"),
    ],
)
def test_content_with_no_canonical_form_has_no_digest(value: Any, reason: str) -> None:
    with pytest.raises(TypeError) as raised:
        content_digest({"jmb": 1, "title": [{"deep": value}]})
    assert str(raised.value) == reason


def test_the_signed_statement_is_canonical_json() -> None:
    assert statement("2019/09", CC, "Andy Rhodes", date(2019, 6, 21), "sha256:ab") == (
        b'{"date":"2019-06-21","digest":"sha256:ab","name":"Andy Rhodes","number":"2019/09",'
        b'"role":"Chief Constable","statement":"jmb decision signature 1"}'
    )
    # A declaration's signature binds the text declared too (version 2), in NFC.
    declared = statement(
        "2019/09", MO, "Abigail Leech", date(2019, 6, 21), "sha256:ab", "I decline\u0301"
    )
    assert declared == (
        b'{"date":"2019-06-21","declaration":"I declin\xc3\xa9","digest":"sha256:ab",'
        b'"name":"Abigail Leech","number":"2019/09","role":"Monitoring Officer",'
        b'"statement":"jmb decision signature 2"}'
    )


def _scalar_fields(path: Path) -> list[tuple[tuple[str | int, ...], int, int]]:
    """Every scalar of the signed content with a character to change: its path and source span."""
    document = read_document(path)
    found = []
    for field_path, node in document.value_nodes.items():
        if not field_path or field_path[0] in ("status", "signatures", "history", "jmb"):
            continue
        if isinstance(node, yaml.ScalarNode) and node.value:
            found.append((field_path, node.start_mark.index, node.end_mark.index))
    return found


def _signed(tmp_path: Path) -> Path:
    path = write_repo(tmp_path)
    sign_all(Config(root=tmp_path), PCC, CC)
    return path


def test_one_character_changed_in_any_field_is_caught(tmp_path: Path) -> None:
    path = _signed(tmp_path)
    signed = path.read_text()
    fields = _scalar_fields(path)
    assert len(fields) == 17  # every scalar of the content, from number to part2's null
    for field_path, start, end in fields:
        source = signed[start:end]
        offset = next(index for index, char in enumerate(source) if char.isalnum())
        char = source[offset]
        swapped = "3" if char == "2" else "2" if char.isdigit() else "x" if char != "x" else "y"
        path.write_text(signed[: start + offset] + swapped + signed[start + offset + 1 :])
        result = verify_records(Config(root=tmp_path), today=TODAY)
        caught = [finding for finding in result.findings if finding.code == "JMB406"]
        assert len(caught) == 2, f"a change to {field_path} was not caught"
        assert caught[0].field == "signatures[0].digest"
        assert "the content was edited after the Police and Crime Commissioner's signature" in (
            caught[0].message
        )
    # The format version is content too: changing it changes the digest (and JMB004 reports it).
    data = yaml.safe_load(signed)
    assert content_digest({**data, "jmb": 2}) != content_digest(data)


@pytest.mark.parametrize(
    "changes",
    [
        [("# Part II of the form: the report.", "# Part II of the form, as edited.")],
        [("\nconsultation: N/A\n", "\n# nobody to consult\nconsultation: N/A  # as the form\n")],
        [('number: "2019/09"', "number: '2019/09'")],
        [("title: Single Online Home", 'title: "Single Online Home"')],
        [
            ("\n  The Digital Public", "\n    The Digital Public"),
            ("\n  As the Statement", "\n    As the Statement"),
            ("\n  However, the Digital", "\n    However, the Digital"),
            ("\n  The original draft", "\n    The original draft"),
        ],
        [("\n  lead: The", "\n    lead: The"), ("\n  items:\n", "\n    items:\n")],
        [("status: submitted", "status: deferred")],
    ],
    ids=["comment", "comments-added", "quotes", "quoted", "block-indent", "re-indent", "status"],
)
def test_formatting_comments_and_status_are_not_content(
    tmp_path: Path, changes: list[tuple[str, str]]
) -> None:
    path = _signed(tmp_path)
    text = path.read_text()
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text)
    assert verify_records(Config(root=tmp_path), today=TODAY).findings == []


def test_a_signature_without_digest_is_reported_as_unchecked(repo: Path) -> None:
    text = clean_example().replace(
        f"  - role: {PCC}\n    name:\n    date:\n",
        f"  - role: {PCC}\n    name: Clive Grunshaw\n    date: 2019-06-20\n",
    )
    (repo / RECORD).write_text(text)
    code, out, _ = invoke("verify", "2019/09")
    assert code == 0
    assert out == (
        f"{RECORD}:56:5: {PCC}, Clive Grunshaw, 2019-06-20: no digest: nothing records what was "
        "signed, so nothing could be checked\n"
        "1 signature in 1 record verified: 0 problems\n"
    )


def test_verify_reports_content_changes_and_exits_1(repo: Path) -> None:
    sign_all(Config(root=repo), CC)
    path = repo / RECORD
    path.write_text(path.read_text().replace("Single Online Home", "Single Online Hone", 1))
    code, out, _ = invoke("verify")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == f"{RECORD}:59:5: {CC}, Holder of {CC}, 2019-06-20: FAILED (JMB406)"
    assert lines[1].startswith(
        f"{RECORD}:62:13: error JMB406 signatures[1].digest: the content was edited after the "
        f"{CC}'s signature of 2019-06-20: jmb cannot tell which fields changed (the signed "
        "version is not in the repository's git history); the text signed had digest sha256:"
    )
    assert lines[2] == "1 signature in 1 record verified: 1 problem"


def test_a_comment_cannot_silence_a_signature_check(repo: Path) -> None:
    """The file a signature proves cannot switch the proof off: JMB406 is reported by validate and
    verify alike, and the attempt is itself a JMB010 warning."""
    sign_all(Config(root=repo), CC)
    path = repo / RECORD
    text = path.read_text().replace("Single Online Home", "Single Online Hone", 1)
    digest = yaml.safe_load(text)["signatures"][1]["digest"]
    text = text.replace(digest, f"{digest}  # jmb: disable=JMB406 a typo put right later")
    path.write_text(text)
    result = validate(config=Config(root=repo), today=TODAY)
    codes = [finding.code for finding in result.findings]
    assert codes.count("JMB406") == 1 and result.suppressed == 0
    assert "JMB010" in codes
    assert invoke("verify")[0] == 1
    assert invoke("status", "2019/09", "published", "--date", "2019-06-30")[0] == 1


CASES = ROOT / "tests" / "cases"
ARCHIVED = CASES / "JMB415/quiet-archived-signed-on-paper"
UNPROVEN = "signed on paper, not proven: no digest records what was signed, so an edit would go unnoticed; "


@pytest.mark.parametrize(
    ("case", "verdicts"),
    [
        (
            "JMB415/quiet-archived-signed-on-paper",
            [
                UNPROVEN + "the signed original is archive/2019-09-signed.pdf",
                UNPROVEN + "no signed original is named (evidence)",
                UNPROVEN
                + "the signed original is https://www.lancashire-pcc.gov.uk/decisions/2019-09-signed.pdf",
            ],
        ),
        (
            "JMB406/quiet-comment-indentation-and-quotes-changed",
            ["checked for its digest only (no key): the content is unchanged since signing"] * 2,
        ),
        (
            "JMB410/quiet-declaration-signed-with-a-key",
            [
                "proven by key ed25519:37c2bfef2e91fee0: the signature is good and the content "
                "unchanged since signing"
            ],
        ),
        ("JMB409/fires-name-removed-from-a-keyed-signature", ["FAILED (JMB409, JMB410)"]),
    ],
)
def test_verify_says_what_each_signature_proves(
    case: str, verdicts: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each signature line of jmb verify ends with what was checked: the acceptance cases' records
    stand for a signature on paper (with and without the signed original), one checked by its
    digest, one proven by a key, and one that failed two rules."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(CASES))
    monkeypatch.chdir(CASES / case)
    report = verify_report(verify_records(Config(root=CASES / case), today=TODAY))
    lines = [line for line in report.splitlines() if line.startswith(f"{RECORD}:")]
    assert [line.split(": ", 2)[2] for line in lines[: len(verdicts)]] == verdicts


def test_evidence_left_as_spaces_names_no_signed_original(tmp_path: Path) -> None:
    text = (ARCHIVED / RECORD).read_text(encoding="utf-8")
    old = "    method: wet-ink\n"
    assert text.count(old) == 1
    write_repo(tmp_path, text.replace(old, old + '    evidence: "  "\n'))
    report = verify_report(verify_records(Config(root=tmp_path), today=TODAY))
    assert (
        f": {CC}, Mark Heywood, 2019-06-21: {UNPROVEN}no signed original is named (evidence)\n"
        in (report)
    )


#: The eleven text fields of the clean example that a signature's digest covers, in record order.
TEXT_FIELDS = [
    "title",
    "report_by",
    "executive_summary",
    "recommendation.lead",
    "background",
    "plan_links",
    "consultation",
    "implications.risks",
    "implications.legal",
    "implications.financial",
    "implications.equality",
]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize(
    ("edited", "named"),
    [
        (1, "title"),
        (10, ", ".join(TEXT_FIELDS[:10])),
        (11, ", ".join(TEXT_FIELDS[:10]) + " and 1 more"),
    ],
)
def test_the_fields_changed_since_signing_are_named_up_to_ten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edited: int, named: str
) -> None:
    """With the signed version in git, JMB406 names the fields changed since: ten at most, the rest
    counted."""
    path = write_repo(tmp_path)
    sign_all(Config(root=tmp_path), CC)
    monkeypatch.delenv("GIT_CEILING_DIRECTORIES", raising=False)
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "--", str(RECORD))
    git(tmp_path, "commit", "-q", "-m", "Signed")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for field in TEXT_FIELDS[:edited]:
        holder = data
        *parents, last = field.split(".")
        for parent in parents:
            holder = holder[parent]
        holder[last] += " (revised)"
    path.write_text(yaml.safe_dump(data, sort_keys=False, width=100), encoding="utf-8")
    result = validate(config=Config(root=tmp_path), today=TODAY)
    messages = [finding.message for finding in result.findings if finding.code == "JMB406"]
    assert len(messages) == 1
    assert messages[0].startswith(
        f"the content was edited after the {CC}'s signature of 2019-06-20: changed since signing: "
        f"{named}; the text signed had digest sha256:"
    )


# -- two signatures at once ----------------------------------------------------------------------


def _sign_in_process(root: str, role: str, name: str, barrier: Any) -> str:
    barrier.wait()
    try:
        sign_record(
            Config(root=Path(root)),
            str(Path(root) / RECORD),
            role=role,
            name=name,
            day=date(2019, 6, 20),
            today=TODAY,
        )
    except RefusedError as error:
        return f"refused: {error}"
    return "signed"


def test_concurrent_signatures_all_land_or_fail_clearly(tmp_path: Path) -> None:
    write_repo(tmp_path)
    context = multiprocessing.get_context("spawn")
    jobs = [(PCC, "Clive Grunshaw"), (CC, "Andy Rhodes"), (MO, "Abigail Leech"), (CC, "Other")]
    with context.Manager() as manager, context.Pool(len(jobs)) as pool:
        barrier = manager.Barrier(len(jobs))
        outcomes = pool.starmap(
            _sign_in_process, [(str(tmp_path), role, name, barrier) for role, name in jobs]
        )
    assert outcomes.count("signed") == 3
    (refused,) = [outcome for outcome in outcomes if outcome != "signed"]
    assert refused.startswith(f"refused: the {CC} already signed ")
    data = yaml.safe_load((tmp_path / RECORD).read_text())
    assert [entry["role"] for entry in data["signatures"]] == [PCC, CC, MO]
    assert all(entry["digest"].startswith("sha256:") for entry in data["signatures"])
    assert {entry["name"] for entry in data["signatures"]} >= {"Clive Grunshaw", "Abigail Leech"}
    assert data["status"] == "approved"
    assert [entry["status"] for entry in data["history"]] == ["approved"]
    assert not list((tmp_path / RECORD).parent.glob(".*.tmp"))


def test_an_edit_made_while_signing_is_never_lost(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone saves the record in an editor while jmb sign checks it: nothing is written."""
    import jmb.sign.signing
    from jmb.core.errors import RecordError

    path = repo / RECORD
    checked = jmb.sign.signing.submitted_level_errors

    def save_in_an_editor_meanwhile(*args: Any, **kwargs: Any) -> Any:
        path.write_text(
            path.read_text().replace("Single Online Home", "Single Online Home REVISED")
        )
        return checked(*args, **kwargs)

    monkeypatch.setattr(jmb.sign.signing, "submitted_level_errors", save_in_an_editor_meanwhile)
    with pytest.raises(
        RecordError, match="changed while jmb was working on it; nothing was written"
    ):
        sign_record(
            Config(root=repo),
            "2019/09",
            role=CC,
            name="Andy Rhodes",
            day=date(2019, 6, 20),
            today=TODAY,
        )
    text = path.read_text()
    assert "Single Online Home REVISED" in text and "Andy Rhodes" not in text


def test_history_runs_forward_through_signing(repo: Path) -> None:
    """A signature cannot predate the last change in the history, and approval is dated by the
    latest signature, whatever order they were made in."""
    assert invoke("status", "2019/09", "deferred", "--date", "2019-06-15")[0] == 0
    assert invoke("status", "2019/09", "submitted", "--date", "2019-06-16")[0] == 0
    last = date(2019, 6, 16)
    with pytest.raises(RefusedError, match="history runs forward"):
        sign_record(
            Config(root=repo),
            "2019/09",
            role=MO,
            name="Abigail Leech",
            day=last - timedelta(days=1),
            today=TODAY,
        )
    for role, name, day in (
        (MO, "Abigail Leech", last + timedelta(days=5)),
        (CC, "Andy Rhodes", last + timedelta(days=2)),
        (PCC, "Clive Grunshaw", last + timedelta(days=3)),
    ):
        sign_record(Config(root=repo), "2019/09", role=role, name=name, day=day, today=TODAY)
    history = yaml.safe_load((repo / RECORD).read_text())["history"]
    assert history[-1]["status"] == "approved"
    assert history[-1]["date"] == last + timedelta(days=5)


def test_verify_of_many_records_in_parallel_reports_what_a_serial_run_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the parallel threshold verify's records are checked in worker processes; the signature
    lines they report come back in order, the same as one process gives."""
    source = (ROOT / "tests" / "fixtures" / "approved-with-part2.yaml").read_text()
    count = engine.PARALLEL_THRESHOLD + 10
    for index in range(count):
        # Every tenth record is edited after signing: its signatures no longer match it.
        edited = index % 10 == 0
        text = source.replace("Single Online Home", f"Edited {index}") if edited else source
        path = tmp_path / "records" / f"{index:04d}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    monkeypatch.chdir(tmp_path)
    parallel = verify_report(verify_records(Config(root=tmp_path), today=TODAY))
    monkeypatch.setattr(engine, "PARALLEL_THRESHOLD", count + 1)
    serial = verify_report(verify_records(Config(root=tmp_path), today=TODAY))
    assert parallel == serial
    signatures = len(yaml.safe_load(source)["signatures"])
    edited = len(range(0, count, 10))
    assert parallel.splitlines()[-1] == (
        f"{signatures * count} signatures in {count} records verified: "
        f"{signatures * edited} problems"
    )
